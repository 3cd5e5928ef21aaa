"""Per-site verdicts of a finished crawl: status (precedence in docs/statuses.md), score, and what carries over."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable

from base import checklist, store
from base.config import Config, Thresholds
from monitors import completeness, compose, freshness, integrity

# Second-level labels of ccTLD public suffixes (go.id, co.id, ac.id, ...).
SECOND_LEVEL_SUFFIXES = {"go", "co", "ac", "or", "sch", "net", "web", "my", "mil", "desa", "ponpes", "biz", "gov", "com", "org", "edu"}
# At most this many pages of unknown integrity are listed in a verdict (all of them count).
MAX_UNREAD = 20


@dataclass(frozen=True)
class Weights:
    """How the overall score mixes its parts (they sum to 1)."""

    freshness: float = 0.35
    completeness: float = 0.35
    availability: float = 0.15
    integrity: float = 0.15


def status_of(down_reason: str | None, findings: list[dict], days_since_update: int | None, t: Thresholds) -> str:
    """The status, first match wins: down, compromised, idle, stale, active."""
    if down_reason:
        return "down"
    if any(f.get("kind") in integrity.COMPROMISING_KINDS for f in findings):
        return "compromised"
    if days_since_update is None or days_since_update > t.idle_days:
        return "idle"
    if days_since_update > t.stale_days:
        return "stale"
    return "active"


def freshness_score(days: int | None, t: Thresholds) -> float:
    """100 up to stale_days, then falling linearly to 0 at three times idle_days."""
    if days is None:
        return 0.0
    if days <= t.stale_days:
        return 100.0
    span = max(3 * t.idle_days - t.stale_days, 1)
    return max(0.0, 100.0 * (1 - (days - t.stale_days) / span))


def integrity_state(findings: list[dict], unread: list[dict]) -> str:
    """`compromised` on a compromising finding; else `unknown` if a page's integrity could not be read; else `clean`."""
    if any(f.get("kind") in integrity.COMPROMISING_KINDS for f in findings):
        return "compromised"
    return "unknown" if unread else "clean"


def overall_score(status: str, days: int | None, complete: int | None, t: Thresholds, w: Weights = Weights(),
                  integrity: str | None = None) -> int:
    """The 0-100 score: weighted freshness, completeness, availability and integrity.

    A part that cannot be judged is left out and the others keep their proportions and fill the scale:
    completeness not judged (None: a puskesmas is not scored on an OPD's duties), or an `unknown` integrity
    (neither clean nor compromised). Counting either as 0 would punish, as 100 would reward, for nothing.
    """
    avail = 0.0 if status == "down" else 100.0
    parts = [(w.freshness, freshness_score(days, t)), (w.availability, avail)]
    if complete is not None:
        parts.append((w.completeness, complete))
    if integrity != "unknown" or status == "compromised":
        parts.append((w.integrity, 0.0 if status == "compromised" else 100.0))
    return int(round(sum(wt * v for wt, v in parts) / sum(wt for wt, _ in parts)))


def _resources(db, run_id: int, site_id: str) -> list[dict]:
    rows = db.query("SELECT * FROM pages WHERE run_id = ? AND site_id = ? ORDER BY id", [run_id, site_id])
    out = []
    for r in rows:
        for k in store.PAGE_JSON_COLUMNS:
            r[k] = store.loads(r[k])
        out.append(r)
    return out


def _previous(db, site_id: str, as_of: str, run_id: int) -> dict | None:
    row = next(db.query(
        """SELECT v.data FROM verdicts v JOIN runs r ON r.id = v.run_id
           WHERE v.site_id = ? AND r.state = 'finished' AND v.as_of <= ? AND v.run_id != ?
           ORDER BY v.as_of DESC, v.run_id DESC LIMIT 1""", [site_id, as_of, run_id]), None)
    return store.loads(row["data"]) if row else None


def judge_site(cfg: Config, site, summary: dict, resources: list[dict], previous: dict | None,
               as_of: date, items) -> dict[str, Any]:
    """One site's verdict for one run, as the `status --json` object."""
    down = summary.get("reason") if summary.get("state") == "down" else None
    if not down and integrity.is_suspended(resources, summary.get("home_final_url") or site.url):
        down = "suspended"
    fresh = freshness.assess(resources, as_of).to_json()
    scope = checklist.items_for(items or checklist.load(), site.category)
    comp = (completeness.assess(resources, scope, as_of) if scope else completeness.not_judged()).to_json()
    findings = integrity.assess(resources, site.url)
    unread = integrity.unread(resources, site.url)
    tls = store.loads(summary.get("tls")) if summary.get("tls") else None
    mixed = [u for r in resources for u in ((r.get("hygiene") or {}).get("mixed_content") or ())]
    if tls is not None or mixed:
        tls = {**(tls or {}), "findings": integrity.tls_findings(
            tls, as_of, tls_days=cfg.alerts.tls_days, site_url=site.url, mixed_content=mixed)}

    # What was known carries over: a down night keeps the last known freshness and completeness.
    last_update, last_url, last_title = fresh["last_update"], fresh["last_update_url"], fresh.get("last_update_title")
    if previous and previous.get("last_update") and (last_update is None or previous["last_update"] > last_update):
        last_update, last_url, last_title = previous["last_update"], previous.get("last_update_url"), previous.get("last_update_title")
    if down and previous:
        if scope:  # a site not judged on the checklist stays not judged, whatever an older verdict said
            comp = {k: previous.get(k, comp.get(k)) for k in ("completeness", "found", "missing", "documents", "evidence")}
        findings = previous.get("integrity") or []
        unread = previous.get("integrity_unknown") or []
    elif unread and previous:
        # A page whose spam signal failed tonight is unknown, not clean: it keeps its last known findings.
        findings = integrity.keep_unread(findings, previous.get("integrity"), unread, site.url)
    state = integrity_state(findings, unread)
    if down:
        # A down night reads nothing: the last known state stands, and with none (its first night) there is none.
        state = previous.get("integrity_state", state) if previous else None
    days = (as_of - date.fromisoformat(last_update)).days if last_update else None
    status = status_of(down, findings, days, cfg.thresholds)
    return {
        "site": site.id, "name": site.name, "url": site.url, "status": status, "reason": down,
        "as_of": as_of.isoformat(), "last_update": last_update, "days_since_update": days,
        "last_update_url": last_url, "last_update_title": last_title,
        "posts_7d": fresh.get("posts_7d", 0), "posts_30d": fresh.get("posts_30d", 0), "posts_90d": fresh.get("posts_90d", 0),
        "completeness": comp["completeness"], "found": comp["found"], "missing": comp["missing"],
        "documents": comp.get("documents", {}), "evidence": comp.get("evidence", {}),
        "integrity": findings, "integrity_state": state, "integrity_unknown": unread[:MAX_UNREAD], "tls": tls,
        "score": overall_score(status, days, comp["completeness"], cfg.thresholds, integrity=state),
        "pages": summary.get("pages") or 0, "requests": summary.get("requests") or 0,
        "truncated": bool(summary.get("truncated")), "truncated_by": truncated_by(summary),
        "crawl_delay": summary.get("crawl_delay"), "error": summary.get("error"),
        "home_status": summary.get("home_status"), "home_final_url": summary.get("home_final_url"),
        "home_ttfb_ms": summary.get("home_ttfb_ms"), "checked_at": summary.get("finished_at") or store.utcnow(),
        "verified": site.verified, "category": site.category,
    }


def truncated_by(summary: dict) -> str | None:
    """Why a site's crawl was cut short: `pages` (its page budget) or `time` (its time budget); None if it was not."""
    if not summary.get("truncated"):
        return None
    if summary.get("truncated_by"):
        return summary["truncated_by"]
    # a record from before the cause was stored: the crawl names a time cut in its error
    return "time" if (summary.get("error") or "").startswith("out_of_time") else "pages"


def score_run(db, cfg: Config, run_id: int, as_of: date, site_ids: Iterable[str], items) -> list[dict]:
    """Judge every site of a run and store the verdicts; returns them in config order."""
    summaries = {r["site_id"]: r for r in db.query("SELECT * FROM site_runs WHERE run_id = ?", [run_id])}
    wanted = set(site_ids)
    verdicts = []
    for site in cfg.enabled_sites:
        if site.id not in wanted or site.id not in summaries:
            continue  # no crawl record: our failure, reported by the job, never a verdict on the site
        v = judge_site(cfg, site, summaries.get(site.id), _resources(db, run_id, site.id),
                       _previous(db, site.id, as_of.isoformat(), run_id), as_of, items)
        verdicts.append(v)
    mark_domain_events(verdicts)
    with store.transaction(db):
        for v in verdicts:
            db["verdicts"].upsert(verdict_row(run_id, v), pk=("run_id", "site_id"))
    return verdicts


def verdict_row(run_id: int, v: dict) -> dict:
    """The `verdicts` table row of one verdict object: the light columns the history reads, and the whole as JSON."""
    return {"run_id": run_id, "site_id": v["site"], "as_of": v["as_of"], "status": v["status"],
            "reason": v.get("reason"), "last_update": v.get("last_update"), "last_update_url": v.get("last_update_url"),
            "last_update_title": v.get("last_update_title"), "days_since_update": v.get("days_since_update"),
            "completeness": v.get("completeness"), "score": v.get("score"), "checked_at": v.get("checked_at"),
            "tls_alert": int(tls_alert(v)), "data": store.dumps(v)}


def tls_alert(verdict: dict) -> bool:
    """Does the verdict hold a TLS finding the alert rule is about (certificate expired or expiring)?"""
    findings = (verdict.get("tls") or {}).get("findings") or ()
    return any(f.get("kind") in compose.TLS_KINDS for f in findings)


def parent_domain(url: str) -> str | None:
    """The parent of a site's host name (`dinkes.pematangsiantar.go.id` -> `pematangsiantar.go.id`)."""
    import ipaddress
    from urllib.parse import urlsplit

    host = (urlsplit(url).hostname or "").lower()
    try:
        ipaddress.ip_address(host)
        return None  # an address has no parent domain
    except ValueError:
        pass
    parent = host.split(".")[1:]
    if len(parent) < 2 or (len(parent) == 2 and parent[0] in SECOND_LEVEL_SUFFIXES):
        return None  # "go.id" is a public suffix, not a Pemda's domain
    return ".".join(parent)


def mark_domain_events(verdicts: list[dict]) -> None:
    """When every site under one parent domain is down for the same reason, that is one event.

    An unpaid go.id rental takes the whole Pemda family of subdomains down at once: the verdicts
    carry `event` so that alerts and reports speak of one domain problem, not of 35 site problems.
    """
    groups: dict[str, list[dict]] = {}
    for v in verdicts:
        parent = parent_domain(v["url"])
        if parent:
            groups.setdefault(parent, []).append(v)
    for parent, members in groups.items():
        reasons = {v["reason"] for v in members}
        if len(members) >= 2 and all(v["status"] == "down" for v in members) and len(reasons) == 1:
            event = {"kind": "domain_down", "domain": parent, "reason": reasons.pop(),
                     "sites": [v["site"] for v in members]}
            for v in members:
                v["event"] = event


def status_rows(db, cfg: Config, as_of: date) -> list[dict]:
    """`ronda status --json`: one object per enabled site, in config order (nulls if never crawled)."""
    latest = store.latest_verdicts(db, as_of.isoformat()) if db is not None else {}
    out = []
    for site in cfg.enabled_sites:
        row = latest.get(site.id)
        if row:
            out.append(store.loads(row["data"]))
        else:
            out.append(empty_row(site))
    return out


def empty_row(site) -> dict:
    """The status object of a site never crawled: every contract field present, unknowns null."""
    return {"site": site.id, "name": site.name, "url": site.url, "status": None, "reason": None, "as_of": None,
            "last_update": None, "days_since_update": None, "last_update_url": None, "completeness": None,
            "found": {}, "missing": [], "integrity": [], "integrity_state": None, "integrity_unknown": [], "tls": None,
            "score": None, "pages": 0, "requests": 0,  # never checked: unknown, not zero
            "truncated": False, "truncated_by": None, "crawl_delay": None, "checked_at": None, "verified": site.verified,
            "category": site.category}
