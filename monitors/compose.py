"""E-mail wording: alert and digest view models rendered through the packaged jinja2 templates."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping
from urllib.parse import urlsplit

import jinja2
import yaml

from base.safe import terminal

TEMPLATES = Path(__file__).parent / "templates"
# integrity kinds that make a site compromised, most severe first (integrity.py re-exports them: one list, here in
# the lowest module of monitors/), and the TLS kinds the tls rule alerts on
COMPROMISE_KINDS = ("defacement", "cloaking", "spam_page", "hidden_links", "spam_text")
TLS_KINDS = ("tls_expired", "tls_expiring")
MAX_FINDINGS = 10
SUBJECT_MAX = 200
VALUE_MAX = 300


@dataclass(frozen=True)
class Rendered:
    """One e-mail's wording: a one-line subject, the plain-text part and the HTML part."""

    subject: str
    text: str
    html: str
    view: Mapping[str, Any] | None = field(default=None, compare=False, repr=False)
    """what the templates were given (merge() tells several alerts in one e-mail from it)"""


@lru_cache(maxsize=1)
def messages() -> dict[str, Any]:
    """The per-language wording (templates/messages.yaml)."""
    return yaml.safe_load((TEMPLATES / "messages.yaml").read_text(encoding="utf-8"))


def href(url: Any) -> str:
    """A link target that is safe to click: only http(s) URLs, anything else becomes '#'."""
    s = clean(url, 2000)
    return s if urlsplit(s).scheme.lower() in ("http", "https") else "#"


@lru_cache(maxsize=2)
def _env(html: bool) -> jinja2.Environment:
    # crawled titles, URLs and evidence are hostile: HTML parts are always autoescaped
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=html,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    env.filters["href"] = href
    return env


def clean(value: Any, limit: int = VALUE_MAX) -> str:
    """Crawled or configured text as one inert line (no CR/LF or control characters), shortened."""
    return " ".join(terminal("" if value is None else value, limit).split())


def _fmt(template: str, **values: Any) -> str:
    # values are cleaned first, so a title can never add a line to a body or a header
    return template.format_map({k: clean(v) for k, v in values.items()})


def _render(name: str, view: Mapping[str, Any]) -> tuple[str, str]:
    text = _env(False).get_template(f"{name}.txt.j2").render(v=view)
    html = _env(True).get_template(f"{name}.html.j2").render(v=view)
    return text, html


def _names(ids: Iterable[str], names: Mapping[str, str]) -> list[str]:
    return [clean(names.get(i, i)) for i in ids]


def subject_line(lang: str, key: str, reminder: int = 0, template: str | None = None, **values: Any) -> str:
    """`[ronda] (Pengingat ke-N: )<subject>`, one line, at most SUBJECT_MAX characters."""
    m = messages()[lang]
    s = _fmt(template or m["subject"][key], **values)
    if reminder:
        s = f"{_fmt(m['reminder'], n=reminder)}: {s}"
    return clean(f"{m['tag']} {s}", SUBJECT_MAX)


def long_date(value: Any, lang: str) -> str:
    """A day as people write it, `30 November 2026` (`Januari`… in Bahasa Indonesia); anything else as given."""
    day = value if isinstance(value, date) else None
    if day is None:
        try:
            day = date.fromisoformat(clean(value)[:10])
        except ValueError:
            return clean(value)
    return f"{day.day} {messages()[lang]['months'][day.month - 1]} {day.year}"


def days_since(verdict: Mapping[str, Any], as_of: date) -> int | None:
    """Days from the newest genuine post to as-of: tonight's figure, even when the verdict is from an older crawl."""
    last = verdict.get("last_update")
    try:
        return (as_of - date.fromisoformat(str(last)[:10])).days if last else None
    except ValueError:
        return verdict.get("days_since_update")


def compromise_kinds(findings: Iterable[Mapping[str, Any]]) -> list[str]:
    """The compromising kinds among findings, most severe first, each once."""
    present = {f.get("kind") for f in findings}
    return [k for k in COMPROMISE_KINDS if k in present]


def render_alert(*, lang: str, rule: str, facts: Mapping[str, Any], verdict: Mapping[str, Any], site_name: str,
                 site_url: str, head_name: str | None, org: str, as_of: date, reminder_days: int,
                 item_names: Mapping[str, str], reminder: int = 0, escalated_after: int | None = None,
                 since: str | None = None, footer: str = "footer") -> Rendered:
    """The wording of one alert about one site (rule: idle, down, compromised, tls, completeness_drop, recovered)."""
    # footer: `footer` (to a head, replies go to Diskominfo), `footer_no_reply`, or `footer_diskominfo` (to Diskominfo)
    m = messages()[lang]
    base = {"name": site_name, "url": site_url, "date": long_date(as_of, lang)}
    variant, values, findings, todo = rule, dict(base), [], list(m["todo"].get(rule, ()))
    show_newest, missing, newly = False, [], []
    found_lines: list[str] | None = None
    subject_template: str | None = None
    if rule == "idle":
        days = days_since(verdict, as_of)
        variant = "idle" if days is not None else "idle_never"
        values |= {"days": days, "idle_days": facts.get("idle_days")}
        show_newest, missing = True, _names(verdict.get("missing") or (), item_names)
    elif rule == "down":
        values |= {"nights": facts.get("nights"), "since": long_date(facts.get("since"), lang),
                   "reason": m["reasons"].get(verdict.get("reason") or "unknown", clean(verdict.get("reason")))}
    elif rule == "compromised":
        findings = [f for f in verdict.get("integrity") or () if f.get("kind") in COMPROMISE_KINDS]
        kinds = compromise_kinds(findings)
        if kinds:  # each kind in its own words and steps, the most severe first and in the subject
            words = [m["compromise"][k] for k in kinds]
            subject_template = words[0]["subject"]
            found_lines = [_fmt(m["found"]["compromised"], **values)] + [_fmt(w["found"], **values) for w in words]
            todo = list(dict.fromkeys(step for w in words for step in w["todo"]))
    elif rule == "tls":
        findings = [f for f in ((verdict.get("tls") or {}).get("findings") or ()) if f.get("kind") in TLS_KINDS]
        variant = "tls_expired" if facts.get("expired") else "tls"
        values |= {"days_left": facts.get("days_left"), "not_after": long_date(facts.get("not_after"), lang)}
    elif rule == "completeness_drop":
        values |= {"before": facts.get("before"), "after": facts.get("after"), "drop": facts.get("drop")}
        newly = _names(facts.get("newly_missing") or (), item_names)
        missing = _names(verdict.get("missing") or (), item_names)
        show_newest = False
    elif rule == "recovered":
        variant = f"recovered_{facts.get('from')}"
        values |= {"last_update": long_date(verdict.get("last_update"), lang)}
    newest = None
    if show_newest and verdict.get("last_update"):
        newest = {"date": long_date(verdict.get("last_update"), lang), "title": clean(verdict.get("last_update_title")),
                  "url": clean(verdict.get("last_update_url") or site_url, 2000)}
    notes = []
    if reminder and since:
        notes.append(_fmt(m["labels"]["since_first"], date=long_date(since, lang)))
    if escalated_after:
        notes.append(_fmt(m["labels"]["escalated"], n=escalated_after))
    if variant == "recovered_compromised" and verdict.get("integrity_state") == "unknown":
        notes.append(m["labels"]["integrity_unknown"])   # not found where we could look: not "clean" yet
    subject = subject_line(lang, variant, reminder, template=subject_template, **values)
    section = {
        "title": subject.removeprefix(m["tag"]).strip(),
        "found": found_lines or [_fmt(m["found"][variant], **values)],
        "newest": newest, "show_newest": show_newest,
        "findings": [{"label": clean(m["kinds"].get(f.get("kind"), f.get("kind"))),
                      "evidence": clean(f.get("evidence")), "url": clean(f.get("url") or site_url, 2000)}
                     for f in findings[:MAX_FINDINGS]],
        "missing": missing, "newly_missing": newly, "todo": todo, "notes": notes,
    }
    view = {
        "lang": lang, "labels": m["labels"], "subject": subject,
        "greeting": _fmt(m["greeting"], head=head_name or _fmt(m["head_default"], name=site_name)),
        "intro": _fmt(m["intro"], **base), "sections": [section],
        "footer": _fmt(m["labels"][footer], org=org, days=reminder_days),
    }
    text, html = _render("alert", view)
    return Rendered(subject, text, html, view)


def merge(lang: str, parts: list[Rendered]) -> Rendered:
    """One e-mail telling several problems of one site, in the order given (the most severe first)."""
    if len(parts) == 1:
        return parts[0]
    first = parts[0]
    subject = clean(_fmt(messages()[lang]["subject"]["more"], subject=first.subject, n=len(parts) - 1), SUBJECT_MAX)
    view = {**first.view, "subject": subject, "sections": [s for p in parts for s in p.view["sections"]]}
    text, html = _render("alert", view)
    return Rendered(subject, text, html, view)


def render_digest(*, lang: str, as_of: date, org: str, groups: Mapping[str, list[Mapping[str, Any]]],
                  counts: Mapping[str, int] | None = None) -> Rendered:
    """The nightly digest to Diskominfo (a quiet night's too): the sites per status, then the groups of e-mails."""
    # groups: sent / unsent / suppressed / acknowledged lists of {site_name, subject, to, error};
    # counts: enabled sites per status (`none`: never checked), in the order of `statuses` in messages.yaml
    m = messages()[lang]
    labels = {"sent": m["labels"]["digest_sent"], "unsent": m["labels"]["digest_unsent"],
              "suppressed": m["labels"]["digest_suppressed"], "acknowledged": m["labels"]["digest_acknowledged"]}
    sent = len(groups.get("sent") or ())
    day = long_date(as_of, lang)
    quiet = not any(groups.get(g) for g in ("sent", "unsent"))
    counts = counts or {}
    view = {
        "lang": lang, "labels": m["labels"],
        "subject": subject_line(lang, "digest_quiet" if quiet else "digest", date=day, count=sent),
        "intro": _fmt(m["labels"]["digest_intro"], date=day),
        "counts_title": _fmt(m["labels"]["digest_counts"], total=sum(counts.values())),
        "counts": [{"label": label, "n": counts.get(status, 0)} for status, label in m["statuses"].items()
                   if status != "none" or counts.get("none")],
        "quiet": m["labels"]["digest_quiet"] if quiet else None,
        "groups": [{"label": labels[g], "entries": [{k: clean(v) for k, v in a.items()} for a in groups[g]]}
                   for g in ("sent", "unsent", "suppressed", "acknowledged") if groups.get(g)],
        "footer": _fmt(m["labels"]["footer_diskominfo"], org=org),
    }
    text, html = _render("digest", view)
    return Rendered(view["subject"], text, html, view)


def render_domain_down(*, lang: str, domain: str, reason: str | None, since: str, sites: list[Mapping[str, str]],
                       org: str, as_of: date, reminder: int = 0) -> Rendered:
    """One alert to Diskominfo for a whole parent domain down the same way (sites: name, url)."""
    m = messages()[lang]
    why = m["reasons"].get(reason or "unknown", clean(reason))
    values = {"domain": domain, "count": len(sites), "reason": why, "since": long_date(since, lang)}
    subject = subject_line(lang, "domain_down", reminder, **values)
    section = {
        "title": subject, "found": [_fmt(m["found"]["domain_down"], **values)], "newest": None, "show_newest": False,
        "findings": [{"label": clean(s["name"]), "evidence": why, "url": clean(s["url"], 2000)} for s in sites],
        "missing": [], "newly_missing": [], "todo": list(m["todo"]["domain_down"]),
        "notes": [_fmt(m["labels"]["since_first"], date=values["since"])] if reminder else [],
    }
    view = {
        "lang": lang, "labels": m["labels"], "subject": subject,
        "greeting": _fmt(m["greeting"], head="Diskominfo"),
        "intro": _fmt(m["intro"], date=long_date(as_of, lang), name=domain, url=domain), "sections": [section],
        "footer": _fmt(m["labels"]["footer_diskominfo"], org=org),
    }
    text, html = _render("alert", view)
    return Rendered(subject, text, html, view)
