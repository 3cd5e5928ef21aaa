"""The weekly report: per site, the newest finished run of an ISO week, rendered as HTML, CSV and JSON."""
from __future__ import annotations

import csv
import io
import json
import os
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import urlsplit

import jinja2
import yaml

from base import checklist, store
from base.config import Config
from base.safe import one_line
from monitors import acks, integrity
from monitors.verdicts import empty_row, truncated_by
from reports import NoData, ReportError, browser

__all__ = ["ReportError", "NoData", "Week", "write", "default_out_dir", "build", "render_html", "iso_week",
           "parse_week", "default_week"]

HERE = Path(__file__).parent
HISTORY_WEEKS = 8  # sparklines and the average-score line cover this many weeks
TIMELINE_WEEKS = 12  # each site's nights, drawn in its section
BAR_LABEL_CHARS = 46  # a name longer than this is shortened in the score chart (its full name is the tooltip)
WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")
FILE_RE = re.compile(r"^(\d{4})-W(\d{2})\.html$")
# urgency of a status: the summary's "most urgent" and the order of actions
URGENCY = {"compromised": 0, "down": 1, "idle": 2, "stale": 3, None: 4, "active": 5}
# the ranking's tiers, before the score: a site that cannot be opened or was hacked fails its public now,
# whatever its score kept from content and completeness; a site not checked has no score to rank
RANK_TIER = {"active": 0, "stale": 0, "idle": 0, "down": 1, "compromised": 1, None: 2}
STATUSES = ("active", "stale", "idle", "down", "compromised")
MAX_MISSING_ACTIONS = 3  # missing items named one by one in the actions; the rest are summed up
TOP_N = 3  # sites named under "most improved" and "most urgent"
# spreadsheet programs run cells that start with these as formulas
CSV_FORMULA = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Week:
    """One ISO week (Monday to Sunday)."""

    year: int
    number: int

    @property
    def label(self) -> str:
        return f"{self.year}-W{self.number:02d}"

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.number, 1)

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    def back(self, n: int) -> "Week":
        return iso_week(self.monday - timedelta(weeks=n))


def iso_week(d: date) -> Week:
    """The ISO week holding a date."""
    y, w, _ = d.isocalendar()
    return Week(y, w)


def default_week(as_of: date) -> Week:
    """The last complete ISO week before as-of: on a Monday, the week that just ended."""
    return iso_week(as_of - timedelta(days=7))


def parse_week(text: str) -> Week:
    """`YYYY-Www` as a Week, or a one-line ReportError."""
    m = WEEK_RE.match(text.strip())
    weeks_in_year = date(int(m.group(1)), 12, 28).isocalendar()[1] if m else 0
    if not m or not 1 <= int(m.group(2)) <= weeks_in_year:
        raise ReportError(f"--week must be an ISO week like 2026-W48 (got {text!r})")
    return Week(int(m.group(1)), int(m.group(2)))


@lru_cache(maxsize=1)
def _all_strings() -> dict[str, dict[str, Any]]:
    return yaml.safe_load((HERE / "data" / "strings.yaml").read_text(encoding="utf-8"))


def strings(language: str) -> dict[str, Any]:
    """The report's words in a language (id or en)."""
    table = _all_strings()
    return table.get(language) or table["id"]


# ------------------------------------------------------------------------------------ reading the store

def _rows(db, first: date, last: date) -> list[dict]:
    """Verdict summaries (no JSON) of finished runs whose as-of falls in [first, last], oldest first."""
    return list(db.query(
        """SELECT v.site_id, r.as_of AS as_of, v.run_id, v.status, v.reason, v.score
           FROM verdicts v JOIN runs r ON r.id = v.run_id
           WHERE r.state = 'finished' AND r.as_of >= ? AND r.as_of <= ?
           ORDER BY r.as_of, v.run_id""", [first.isoformat(), last.isoformat()]))


def _data(db, keys: Iterable[tuple[int, str]]) -> dict[tuple[int, str], dict]:
    """The stored status objects of the chosen (run, site) pairs: only these are parsed."""
    by_run: dict[int, list[str]] = {}
    for run_id, site_id in keys:
        by_run.setdefault(run_id, []).append(site_id)
    out = {}
    for run_id, ids in by_run.items():
        for i in range(0, len(ids), 500):  # SQLite caps the number of bound parameters
            chunk = ids[i:i + 500]
            marks = ",".join("?" * len(chunk))
            for r in db.query(f"SELECT site_id, data FROM verdicts WHERE run_id = ? AND site_id IN ({marks})",
                              [run_id, *chunk]):
                out[(run_id, r["site_id"])] = store.loads(r["data"])
    return out


def _empty(site) -> dict:
    """The status object of a site with no verdict in the week (same fields as `status --json`)."""
    return {**empty_row(site), "last_update_title": None, "documents": {}}


def collect(db, cfg: Config, week: Week) -> dict[str, Any]:
    """Per enabled site: this week's status object, last week's, its 8-week history, its nights and its timeline."""
    weeks = [week.back(n) for n in range(HISTORY_WEEKS - 1, -1, -1)]  # oldest first
    index = {w.monday: i for i, w in enumerate(weeks)}
    enabled = {s.id for s in cfg.enabled_sites}
    newest: dict[tuple[str, int], dict] = {}  # (site, week index) -> newest row of that week
    nights: dict[str, dict[date, dict]] = {}  # site -> as-of day -> its newest run's night (12 weeks)
    for r in _rows(db, week.back(TIMELINE_WEEKS - 1).monday, week.sunday):
        if r["site_id"] not in enabled:
            continue
        d = date.fromisoformat(r["as_of"])
        nights.setdefault(r["site_id"], {})[d] = {"as_of": d, "status": r["status"], "reason": r["reason"],
                                                  "score": r["score"]}
        i = index.get(d - timedelta(days=d.weekday()))
        if i is not None:
            newest[(r["site_id"], i)] = r
    now, prev = HISTORY_WEEKS - 1, HISTORY_WEEKS - 2
    data = _data(db, ((r["run_id"], r["site_id"]) for (sid, i), r in newest.items() if i == now))
    sites = []
    for s in cfg.enabled_sites:
        cur = newest.get((s.id, now))
        before = newest.get((s.id, prev))
        timeline = sorted(nights.get(s.id, {}).values(), key=lambda n: n["as_of"])
        sites.append({
            "site": s,
            "data": data.get((cur["run_id"], s.id)) or _empty(s) if cur else _empty(s),
            "checked": cur is not None,
            "prev": {"status": before["status"], "score": before["score"]} if before else None,
            "history": [newest[(s.id, i)]["score"] if (s.id, i) in newest else None for i in range(HISTORY_WEEKS)],
            "nights": [n for n in timeline if n["as_of"] >= week.monday],
            "timeline": timeline,
        })
    return {"weeks": weeks, "sites": sites}


# ------------------------------------------------------------------------------------ shaping for the page

def safe_href(url: Any) -> str | None:
    """A crawled URL usable as a link: http(s) with a host, else None (shown as text, never linked)."""
    if not isinstance(url, str) or any(c in url for c in "\r\n\t") or len(url) > 2000:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or not parts.hostname:
        return None
    return url.strip()


class Formatter:
    """Dates and numbers in the report's language and time zone."""

    def __init__(self, t: dict[str, Any], cfg: Config):
        self.t, self.tz = t, cfg.tz

    def day(self, d: date | str | None, short: bool = False) -> str:
        """`9 Juni 2023` (or `9 Jun 2023`)."""
        if not d:
            return "–"
        d = date.fromisoformat(d[:10]) if isinstance(d, str) else d
        return f"{d.day} {self.t['months_short' if short else 'months'][d.month - 1]} {d.year}"

    def num(self, x: float | int | None) -> str:
        """A number as the language writes it: `67,6` in Indonesian, `67.6` in English."""
        if x is None:
            return "–"
        return str(x).replace(".", self.t.get("decimal", "."))

    def short(self, d: date) -> str:
        return f"{self.t['weekdays'][d.weekday()]} {d.day} {self.t['months_short'][d.month - 1]}"

    def moment(self, iso: str | None) -> str:
        """An ISO timestamp in the configured zone, e.g. `28 November 2026 01:12`."""
        if not iso:
            return "–"
        dt = datetime.fromisoformat(iso.replace("Z", "+00:00"))
        dt = dt.astimezone(self.tz) if dt.tzinfo else dt
        return f"{self.day(dt.date())} {dt:%H:%M}"


def _kind_label(t: dict, kind: str) -> str:
    return t["kinds"].get(kind, kind)


def _actions(t: dict, cfg: Config, row: dict, items: dict) -> list[str]:
    """Concrete fixes for one OPD, most urgent first, in the report's language."""
    a, v = t["action"], row["data"]
    out: list[str] = []
    status = v.get("status")
    if not row["checked"]:
        out.append(a["not_checked"])
    if status == "down":
        reason = v.get("reason")
        out.append(a["suspended"] if reason == "suspended" else
                   a["down"].format(reason=t["reasons"].get(reason, reason or "?")))
    out += integrity.advice(v.get("integrity") or [], cfg.language)   # each kind of compromise its own advice
    days = v.get("days_since_update")
    if row["checked"] and status != "down":
        if days is None:
            out.append(a["idle_never"])
        elif days > cfg.thresholds.idle_days:
            out.append(a["idle"].format(days=days))
        elif days > cfg.thresholds.stale_days:
            out.append(a["stale"].format(days=days, stale=cfg.thresholds.stale_days))
    for f in (v.get("tls") or {}).get("findings") or []:
        out.append(a["tls"].format(what=_kind_label(t, f.get("kind", "")).lower()))
    if row["never_read"]:  # nothing was ever read: what is "missing" is unknown, not missing
        return out + ([a["unverified"]] if not row["site"].verified else [])
    for iid, doc in sorted((v.get("documents") or {}).items()):
        if doc.get("outdated"):
            out.append(a["outdated"].format(name=items.get(iid, {}).get("name", iid), year=doc.get("year")))
    missing = sorted(v.get("missing") or [], key=lambda i: (-items.get(i, {}).get("weight", 0), i))
    for iid in missing[:MAX_MISSING_ACTIONS]:
        out.append(a["missing"].format(name=items.get(iid, {}).get("name", iid)))
    if len(missing) > MAX_MISSING_ACTIONS:
        out.append(a["missing_more"].format(n=len(missing) - MAX_MISSING_ACTIONS))
    if not row["site"].verified:
        out.append(a["unverified"])
    return out


SPARK_W, SPARK_H = 88, 26


def _spark(scores: list[int | None]) -> list[tuple[float, float]]:
    """Sparkline points (x, y) in a SPARK_W x SPARK_H box for the weeks that have a score."""
    step = (SPARK_W - 6) / max(len(scores) - 1, 1)
    return [(round(3 + i * step, 1), round(3 + (100 - s) * (SPARK_H - 6) / 100, 1))
            for i, s in enumerate(scores) if s is not None]


TL_W, TL_H, TL_LEFT, TL_TOP, TL_BOTTOM = 360, 74, 22, 6, 16  # a site's 12-week timeline (viewBox units)


def _timeline(nights: list[dict], week: Week) -> dict[str, Any]:
    """A site's nights over the last TIMELINE_WEEKS weeks as SVG coordinates: score by day, coloured by status."""
    first = week.back(TIMELINE_WEEKS - 1).monday
    days = (week.sunday - first).days or 1
    plot_h = TL_H - TL_TOP - TL_BOTTOM

    def x(d: date) -> float:
        return round(TL_LEFT + 4 + (d - first).days * (TL_W - TL_LEFT - 8) / days, 1)

    points = [{"x": x(n["as_of"]), "y": round(TL_TOP + (100 - (n["score"] or 0)) * plot_h / 100, 1),
               "as_of": n["as_of"], "status": n["status"], "score": n["score"]} for n in nights]
    ticks = [{"x": x(w.monday), "label": f"W{w.number:02d}"}
             for w in (week.back(k) for k in range(TIMELINE_WEEKS - 1, -1, -1))]
    return {"w": TL_W, "h": TL_H, "left": TL_LEFT, "top": TL_TOP, "bottom": TL_H - TL_BOTTOM,
            "points": points, "ticks": ticks}


def bar_labels(names: list[str], limit: int = BAR_LABEL_CHARS) -> list[str]:
    """Chart labels: each name whole if it fits, else shortened; two names never end up as the same label."""
    labels = [n if len(n) <= limit else n[:limit - 1].rstrip() + "…" for n in names]
    for label in {lb for lb in labels if labels.count(lb) > 1}:
        clash = [i for i, lb in enumerate(labels) if lb == label]
        if len({names[i] for i in clash}) < len(clash):  # the same name twice: only a number tells them apart
            for k, i in enumerate(clash, 1):
                labels[i] = f"{label} ({k})"
            continue
        # shortened alike: keep the head and the end, which is where long names differ ("Kecamatan Siantar …")
        cut = [f"{label} ({k})" for k in range(1, len(clash) + 1)]  # if they differ only deep inside
        for tail in range(4, limit // 2):
            tried = [_head_and_tail(names[i], tail, limit) for i in clash]
            if len(set(tried)) == len(tried):
                cut = tried
                break
        for i, lb in zip(clash, cut):
            labels[i] = lb
    return labels


def _head_and_tail(name: str, tail: int, limit: int) -> str:
    """`Unit Pelaksana Teknis … Wilayah Selatan`: the name's last `tail` characters, widened to whole words."""
    start = name.rfind(" ", 0, len(name) - tail) + 1
    end = name[start:] if len(name) - start <= limit // 2 else name[-tail:]
    head = name[:limit - len(end) - 2]
    space = head.rfind(" ")
    head = head[:space] if space > len(head) // 2 else head  # and the head ends on a whole word, if it can
    return head.rstrip() + " …" + (" " if start else "") + end


def _checklist_names(items: checklist.Checklist, language: str) -> dict[str, dict]:
    """Checklist item id -> {name, weight} (the Pemda's checklist file, else the packaged one)."""
    return {i.id: {"name": i.name_en if language == "en" and i.name_en else i.name, "weight": i.weight, "doc": i.doc}
            for i in items}


def _judged(v: dict, checked: bool, site, items: checklist.Checklist) -> bool:
    """Is the site judged on the checklist? Its verdict says so; a site not checked goes by today's checklist."""
    if checked:
        return v.get("completeness") is not None
    return bool(checklist.items_for(items, site.category))


def _category_label(t: dict, category: str) -> str:
    return t["categories"].get(category) or category.capitalize()


def build(db, cfg: Config, week: Week, as_of: date) -> dict[str, Any]:
    """Everything the template shows, as plain data."""
    t = strings(cfg.language)
    fmt = Formatter(t, cfg)
    loaded = checklist.load(cfg.checklist_path())
    items = _checklist_names(loaded, cfg.language)
    got = collect(db, cfg, week)
    rows = got["sites"]
    held = acks.by_site(db, min(as_of, week.sunday))   # `ronda ack`: shown with note, who and when
    for r in rows:
        v, prev = r["data"], r["prev"]
        r["status"] = v.get("status") if r["checked"] else None
        r["score"] = (v.get("score") or 0) if r["checked"] else 0  # for ordering only: shown as unknown
        r["delta"] = (r["score"] - prev["score"]) if (prev and r["checked"] and prev["score"] is not None) else None
        r["href"] = safe_href(v.get("url") or r["site"].url)
        r["post_href"] = safe_href(v.get("last_update_url"))
        r["missing"] = [items.get(i, {}).get("name", i) for i in
                        sorted(v.get("missing") or [], key=lambda i: (-items.get(i, {}).get("weight", 0), i))]
        r["outdated"] = [{"name": items.get(i, {}).get("name", i), "year": d.get("year"), "href": safe_href(d.get("doc_url"))}
                         for i, d in sorted((v.get("documents") or {}).items()) if d.get("outdated")]
        r["findings"] = [{**f, "label": _kind_label(t, f.get("kind", "")), "href": safe_href(f.get("url"))}
                         for f in v.get("integrity") or []]
        r["tls_findings"] = [{**f, "label": _kind_label(t, f.get("kind", ""))}
                             for f in (v.get("tls") or {}).get("findings") or []]
        r["flags"] = list(dict.fromkeys(f["label"] for f in r["findings"] + r["tls_findings"]))
        if v.get("integrity_state") == "unknown":
            r["flags"].append(t["integrity_unknown"])   # never "bersih": a page's spam signal failed
        r["down_nights"] = [n for n in r["nights"] if n["status"] == "down"]
        # down on every night it was ever checked: nothing was read, so completeness and integrity are unknown
        r["never_read"] = r["checked"] and r["status"] == "down" and "integrity_state" in v and v["integrity_state"] is None
        r["actions"] = _actions(t, cfg, r, items)
        r["acks"] = held.get(r["site"].id, [])
        r["verified"] = r["site"].verified
        r["spark"] = _spark(r["history"])
        r["opd"] = cfg.is_opd(r["site"])
        r["judged"] = _judged(v, r["checked"], r["site"], loaded)
        scope = checklist.items_for(loaded, r["site"].category)
        found = set(v.get("found") or ())
        r["items_total"] = len(scope)
        r["items_found"] = sum(1 for i in scope if i.id in found)
        r["weight_total"] = sum(i.weight for i in scope)
        r["weight_found"] = sum(i.weight for i in scope if i.id in found)
        r["clean"] = r["checked"] and not r["never_read"] and v.get("integrity_state", "clean") == "clean"
        r["timeline_svg"] = _timeline(r["timeline"], week)
        r["truncated_by"] = truncated_by(v)  # a verdict from before the cause was stored: read from its error
    # OPDs are ranked against each other; a puskesmas or a portal is not an OPD and is judged on less, so it
    # is shown in its own table, one per category, never ranked among the OPDs
    best_first = sorted(rows, key=lambda r: (RANK_TIER.get(r["status"], 2), -r["score"], URGENCY.get(r["status"], 4),
                                             r["site"].name.lower()))
    ranking = [r for r in best_first if r["opd"]]
    for i, r in enumerate(ranking, 1):
        r["rank"] = i
    others = []
    for cat in dict.fromkeys(r["site"].category for r in best_first if not r["opd"]):
        members = [r for r in best_first if not r["opd"] and r["site"].category == cat]
        for i, r in enumerate(members, 1):
            r["rank"] = i
        others.append({"category": cat, "label": _category_label(t, cat), "rows": members})
    for r, label in zip(ranking, bar_labels([r["site"].name for r in ranking])):
        r["bar_label"] = label
    opd_rows = [r for r in rows if r["opd"]]
    checked = [r for r in rows if r["checked"]]
    opd_checked = [r for r in opd_rows if r["checked"]]
    prev_rows = [r for r in rows if r["prev"] and r["prev"]["score"] is not None]
    opd_prev = [r for r in prev_rows if r["opd"]]
    counts = {s: sum(1 for r in rows if r["status"] == s) for s in STATUSES}
    counts_prev = {s: sum(1 for r in rows if r["prev"] and r["prev"]["status"] == s) for s in STATUSES}
    # the average score is the OPDs': other categories are scored on fewer parts
    avg = round(sum(r["score"] for r in opd_checked) / len(opd_checked), 1) if opd_checked else None
    avg_prev = round(sum(r["prev"]["score"] for r in opd_prev) / len(opd_prev), 1) if opd_prev else None
    averages = []
    for i, w in enumerate(got["weeks"]):
        scores = [r["history"][i] for r in opd_rows if r["history"][i] is not None]
        averages.append({"week": w.label, "score": round(sum(scores) / len(scores), 1) if scores else None})
    # a site that went down or was hacked is not "improved", whatever its score did
    improved = sorted((r for r in rows if (r["delta"] or 0) > 0 and r["status"] not in ("down", "compromised")), key=lambda r: (-r["delta"], r["site"].name.lower()))
    urgent = sorted((r for r in rows if URGENCY.get(r["status"], 4) < 4),
                    key=lambda r: (URGENCY[r["status"]], r["score"], r["site"].name.lower()))
    stamps = sorted(n for n in (r["data"].get("checked_at") for r in checked) if n)
    as_ofs = sorted({r["data"].get("as_of") for r in checked if r["data"].get("as_of")})
    return {
        "t": t, "fmt": fmt, "cfg": cfg, "week": week, "as_of": as_of,
        "organization": cfg.organization, "rows": ranking, "others": others, "config_order": rows,
        "detail_rows": ranking + [r for o in others for r in o["rows"]], "total_opd": len(opd_rows),
        "counts": counts, "counts_prev": counts_prev if prev_rows else None,
        "average": avg, "average_prev": avg_prev,
        "average_delta": round(avg - avg_prev, 1) if avg is not None and avg_prev is not None else None,
        "averages": averages, "improved": improved[:TOP_N], "urgent": urgent[:TOP_N],
        "unverified": [r for r in rows if not r["verified"]],
        "checked": len(checked), "total": len(rows),
        "first_checked": stamps[0] if stamps else None, "last_checked": stamps[-1] if stamps else None,
        "as_of_days": ", ".join(fmt.day(d) for d in as_ofs), "generated": datetime.now(cfg.tz).isoformat(timespec="minutes"),
        "statuses": STATUSES,
        "subdomains": subdomains(db, cfg, as_of),
    }


def subdomains(db, cfg: Config, as_of: date) -> dict[str, Any] | None:
    """The newest `ronda sites discover` (as of the report): hosts nobody monitors, hacked first, and dropped sites."""
    if "discoveries" not in db.table_names():
        return None
    day = db.execute("SELECT max(as_of) FROM discoveries WHERE as_of <= ?", [as_of.isoformat()]).fetchone()[0]
    if day is None:
        return None
    order = {"hacked": 0, "up": 1, "down": 2, "not_probed": 3}
    rows = sorted((dict(r) for r in db.query("SELECT * FROM discoveries WHERE as_of = ?", [day])),
                  key=lambda r: (order.get(r["state"], 9), r["host"]))
    for r in rows:
        found = (json.loads(r["data"] or "{}").get("integrity") or {}).get("findings") or []
        r["evidence"] = one_line(f"{found[0]['where']}: {found[0]['evidence']}", 120) if found else None
    return {"as_of": day, "domain": cfg.domain, "hosts": [r for r in rows if r["state"] != "unlisted"],
            "unlisted": [r for r in rows if r["state"] == "unlisted"]}


# ------------------------------------------------------------------------------------ rendering

@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(HERE / "templates")),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True,
                             undefined=jinja2.StrictUndefined)
    env.filters["href"] = safe_href
    return env


def render_html(ctx: dict[str, Any]) -> str:
    """The self-contained weekly page."""
    return _env().get_template("weekly.html.j2").render(**ctx)


def _csv_cell(value: Any) -> Any:
    """A cell a spreadsheet shows as text, never runs as a formula (titles and names are crawled)."""
    if isinstance(value, str) and value.startswith(CSV_FORMULA):
        return "'" + value
    return value


def render_csv(ctx: dict[str, Any]) -> str:
    """One line per enabled site: the OPDs in ranking order, then the other categories."""
    t = ctx["t"]
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(["rank", "site", "name", "category", "opd", "url", "verified", "status", "status_label", "reason", "score", "score_prev",
                "score_change", "last_update", "days_since_update", "last_update_url", "last_update_title",
                "completeness", "missing", "outdated_documents", "integrity", "tls", "down_nights", "checked_at"])
    for r in ctx["detail_rows"]:  # OPDs ranked, then each other category (ranked within it)
        v = r["data"]
        w.writerow([_csv_cell(x) for x in [
            r["rank"], r["site"].id, r["site"].name, r["site"].category or "", r["opd"], v.get("url"), r["verified"],
            r["status"] or "",
            t["status"][r["status"] or "none"], v.get("reason") or "", r["score"] if r["checked"] else "",
            r["prev"]["score"] if r["prev"] else "", "" if r["delta"] is None else r["delta"],
            v.get("last_update") or "", "" if v.get("days_since_update") is None else v["days_since_update"],
            v.get("last_update_url") or "", v.get("last_update_title") or "",
            (v.get("completeness") or 0) if r["judged"] and r["checked"] and not r["never_read"] else "",
            ";".join(v.get("missing") or []), ";".join(k for k, d in (v.get("documents") or {}).items() if d.get("outdated")),
            ";".join(dict.fromkeys(f.get("kind", "") for f in v.get("integrity") or [])),
            ";".join(f.get("kind", "") for f in (v.get("tls") or {}).get("findings") or []),
            len(r["down_nights"]), v.get("checked_at") or ""]])
    return out.getvalue()


def render_json(ctx: dict[str, Any]) -> str:
    """The `status --json` objects of the week, in config order."""
    # one object per line: readable and diffable, and the C encoder (indent= would force the slow one)
    return "[\n" + ",\n".join(json.dumps(r["data"], ensure_ascii=False) for r in ctx["config_order"]) + "\n]\n"


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def _archive(out_dir: Path) -> list[dict[str, Any]]:
    """The weekly reports present in out_dir, newest first, with their status counts."""
    weeks = []
    for p in out_dir.iterdir():
        m = FILE_RE.match(p.name)
        if not m:
            continue
        stem = p.name[:-5]
        counts: dict[str, int] = {}
        j = out_dir / f"{stem}.json"
        data = _read_json(j)
        for v in data if isinstance(data, list) else []:
            s = v.get("status") if isinstance(v, dict) else None
            if s in STATUSES:
                counts[s] = counts.get(s, 0) + 1
        if isinstance(data, list) and not counts:
            continue  # an empty week written by an older version: never listed
        weeks.append({"label": stem, "html": p.name,
                      "files": [f"{stem}.{ext}" for ext in ("csv", "json", "pdf") if (out_dir / f"{stem}.{ext}").exists()],
                      "counts": counts})
    return sorted(weeks, key=lambda w: w["label"], reverse=True)


def _read_json(path: Path) -> Any:
    if not path.exists():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, OSError):  # a damaged export must not stop the archive page
        return None


def default_out_dir(cfg: Config, db_path: str | Path) -> Path:
    """Where reports go: `report.out` (default `laporan`), relative to the database's folder."""
    out = Path(cfg.report.out)
    return out if out.is_absolute() else Path(db_path).resolve().parent / out


def write(db, cfg: Config, out_dir: Path, week: str | None, as_of: date, pdf: bool = False) -> dict[str, Path]:
    """Write DIR/YYYY-Www.{html,csv,json} (and .pdf), refresh DIR/index.html; return the paths written."""
    if isinstance(db, (str, Path)):  # a path: open it for this call only
        opened = store.open_db(db, create=False)
        try:
            return write(opened, cfg, out_dir, week, as_of, pdf)
        finally:
            opened.conn.close()
    w = parse_week(week) if week else default_week(as_of)
    if pdf and browser.find() is None:  # fail before writing anything
        raise ReportError("headless Chromium is not installed (Debian: apt-get install chromium); it is needed for --pdf")
    ctx = build(db, cfg, w, as_of)
    if not ctx["checked"]:  # an empty week is never published: a page of "not checked" would read as zeros
        raise NoData(f"week {w.label} ({w.monday} to {w.sunday}) has no finished run; nothing was written "
                     f"(choose another week with --week)")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"html": out_dir / f"{w.label}.html", "csv": out_dir / f"{w.label}.csv",
             "json": out_dir / f"{w.label}.json", "index": out_dir / "index.html"}
    _atomic_write(paths["html"], render_html(ctx))
    _atomic_write(paths["csv"], "\ufeff" + render_csv(ctx))  # the BOM makes Excel read UTF-8
    _atomic_write(paths["json"], render_json(ctx))
    if pdf:
        paths["pdf"] = browser.print_pdf(paths["html"], out_dir / f"{w.label}.pdf")
    else:  # a PDF printed from an earlier version of this week's page no longer says what the page says
        (out_dir / f"{w.label}.pdf").unlink(missing_ok=True)
    t = ctx["t"]
    index = _env().get_template("index.html.j2").render(
        t=t, organization=cfg.organization, weeks=_archive(out_dir), statuses=STATUSES,
        generated=ctx["generated"])
    _atomic_write(paths["index"], index)
    return paths
