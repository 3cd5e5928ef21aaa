"""Acknowledgements: a finding or status an officer has judged known or wrong (`ronda ack`), and what they cover."""
from __future__ import annotations

import difflib
import hashlib
import json
from datetime import date, timedelta
from typing import Any, Iterable, Mapping

from base import store
from base.config import Config

from .compose import TLS_KINDS
from .integrity import COMPROMISING_KINDS

STATUS_KINDS = ("idle", "down")
# what can be acknowledged: the statuses that alert, and the finding kinds that alert
KINDS = STATUS_KINDS + COMPROMISING_KINDS + TLS_KINDS
DEFAULT_DAYS = 30
_COLUMNS = ("id", "site_id", "kind", "url", "note", "by", "since", "until", "findings", "created_at",
            "undone_on", "undone_by", "undone_at")


class AckError(Exception):
    """A bad acknowledgement request, said in one line."""


def _norm(url: str | None) -> str:
    return (url or "").split("#", 1)[0].rstrip("/")


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _day(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise AckError(f"{what} must be a date as YYYY-MM-DD, not {text!r}") from None


def _row(r: Mapping[str, Any]) -> dict[str, Any]:
    d = {k: r[k] for k in _COLUMNS}
    d["site"] = d.pop("site_id")
    d["findings"] = json.loads(d["findings"] or "[]")
    return d


def _findings(verdict: Mapping[str, Any], kind: str) -> list[dict]:
    found = verdict.get("integrity") or []
    if kind in TLS_KINDS:
        found = (verdict.get("tls") or {}).get("findings") or []
    return [{"kind": f.get("kind"), "url": f.get("url"), "evidence": f.get("evidence")} for f in found
            if f.get("kind") == kind]


def record(db, cfg: Config, site_id: str, kind: str, *, note: str, by: str, on: date, url: str | None = None,
           until: str | None = None) -> dict[str, Any]:
    """Record an acknowledgement from `on` to `until` (default 30 days); a finding kind covers the findings seen now."""
    sites = {s.id: s for s in cfg.sites}
    if site_id not in sites:
        raise AckError(f"unknown site {site_id!r}{_did_you_mean(site_id, sites)}; the site ids are in "
                       f"{cfg.path or 'sites.yaml'}")
    if kind not in KINDS:
        raise AckError(f"unknown kind {kind!r}{_did_you_mean(kind, KINDS)}; one of: {', '.join(KINDS)}")
    if not note.strip() or not by.strip():
        raise AckError("--note and --by must not be empty: say why, and who says so")
    end = _day(until, "--until") if until else on + timedelta(days=DEFAULT_DAYS)
    if end < on:
        raise AckError(f"--until {end} is before {on}: an acknowledgement cannot end before it starts")
    if url and kind in STATUS_KINDS:
        raise AckError(f"--url applies to a finding kind, not to the status {kind!r}")
    snapshot: list[dict] = []
    if kind not in STATUS_KINDS:
        latest = next(db.query(
            """SELECT v.data FROM verdicts v JOIN runs r ON r.id = v.run_id
               WHERE r.state = 'finished' AND v.site_id = ? AND v.as_of <= ?
               ORDER BY v.as_of DESC, v.run_id DESC LIMIT 1""", [site_id, on.isoformat()]), None)
        found = _findings(store.loads(latest["data"]) if latest else {}, kind)
        snapshot = [f for f in found if not url or _norm(f["url"]) == _norm(url)]
        if not snapshot:
            where = f" at {url}" if url and found else ""
            seen = f"; {kind} was found at: {', '.join(sorted({f['url'] for f in found}))}" if url and found else ""
            raise AckError(f"site {site_id!r} has no {kind} finding{where} in its latest verdict (as of {on}): "
                           f"nothing to acknowledge{seen}")
    with store.transaction(db):
        ack_id = db["acks"].insert({
            "site_id": site_id, "kind": kind, "url": url, "note": note.strip(), "by": by.strip(),
            "since": on.isoformat(), "until": end.isoformat(), "findings": json.dumps(snapshot, ensure_ascii=False),
            "created_at": store.utcnow()}).last_pk
    return _row(next(db.query("SELECT * FROM acks WHERE id = ?", [ack_id])))


def undo(db, ack_id: int, *, on: date, by: str | None = None) -> dict[str, Any]:
    """End an acknowledgement from `on` (it stays in the history); alerts resume from that night."""
    row = next(db.query("SELECT * FROM acks WHERE id = ?", [ack_id]), None)
    if row is None:
        raise AckError(f"no acknowledgement #{ack_id} (see ronda ack --list --all)")
    if row["undone_on"]:
        raise AckError(f"acknowledgement #{ack_id} was already undone on {row['undone_on']}")
    with store.transaction(db):
        db["acks"].update(ack_id, {"undone_on": on.isoformat(), "undone_by": by, "undone_at": store.utcnow()})
    return _row(next(db.query("SELECT * FROM acks WHERE id = ?", [ack_id])))


_ACTIVE = "since <= :on AND until >= :on AND (undone_on IS NULL OR undone_on > :on)"


def active(db, site_id: str, on: date) -> list[dict[str, Any]]:
    """The acknowledgements of one site in force on a day, oldest first."""
    return [_row(r) for r in db.query(f"SELECT * FROM acks WHERE site_id = :site AND {_ACTIVE} ORDER BY id",
                                      {"site": site_id, "on": on.isoformat()})]


def of_site(db, site_id: str) -> list[dict[str, Any]]:
    """Every acknowledgement a site ever had (ended and undone too), oldest first."""
    return [_row(r) for r in db.query("SELECT * FROM acks WHERE site_id = ? ORDER BY id", [site_id])]


def in_force(a: Mapping[str, Any], on: date) -> bool:
    """Whether one acknowledgement (a row of `of_site`) held on a day: the same rule as _ACTIVE."""
    day = on.isoformat()
    return a["since"] <= day <= a["until"] and (not a["undone_on"] or a["undone_on"] > day)


def listing(db, on: date, everything: bool = False) -> list[dict[str, Any]]:
    """The acknowledgements in force on a day (all of them, ended and undone too, with `everything`)."""
    where = "" if everything else f"WHERE {_ACTIVE}"
    return [_row(r) for r in db.query(f"SELECT * FROM acks {where} ORDER BY site_id, id", {"on": on.isoformat()})]


def by_site(db, on: date) -> dict[str, list[dict[str, Any]]]:
    """Every site's acknowledgements in force on a day (one query, for a night's alerts)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for a in listing(db, on):
        out.setdefault(a["site"], []).append(a)
    return out


def covers_status(acks: Iterable[Mapping[str, Any]], status: str) -> bool:
    """Whether a status (idle, down) is acknowledged."""
    return any(a["kind"] == status for a in acks)


def uncovered(acks: Iterable[Mapping[str, Any]], findings: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The findings no acknowledgement covers: another kind, another URL, or a compromise that changed or grew."""
    # A compromise finding is covered only as it was seen when acknowledged (same URL and evidence): a link farm
    # with more hosts, or a new page, is news. A TLS finding is covered by its kind (its days left change nightly).
    acks = list(acks)

    def covered(f: Mapping[str, Any]) -> bool:
        for a in acks:
            if a["kind"] != f.get("kind") or (a["url"] and _norm(a["url"]) != _norm(f.get("url"))):
                continue
            if a["kind"] in TLS_KINDS or any(_norm(s["url"]) == _norm(f.get("url")) and s["evidence"] == f.get("evidence")
                                             for s in a["findings"]):
                return True
        return False
    return [f for f in findings if not covered(f)]


def judge(rule: str, verdict: dict, site_acks: list[dict]) -> tuple[bool, dict]:
    """Whether a site's acknowledgements cover tonight's alert of a rule, and the verdict to tell: what none covers."""
    # a verdict other than the one given means news beside an acknowledgement (a new page, a grown farm)
    if rule in STATUS_KINDS:
        return covers_status(site_acks, rule), verdict
    if rule not in ("compromised", "tls"):
        return False, verdict
    kinds = COMPROMISING_KINDS if rule == "compromised" else TLS_KINDS
    relevant = [a for a in site_acks if a["kind"] in kinds]
    if not relevant:
        return False, verdict
    tls = verdict.get("tls") or {}
    found = [f for f in (verdict.get("integrity") if rule == "compromised" else tls.get("findings")) or ()
             if f.get("kind") in kinds]
    left = uncovered(relevant, found)
    if not left:
        return bool(found), verdict
    return False, {**verdict, "integrity": left} if rule == "compromised" else {**verdict, "tls": {**tls, "findings": left}}


def fingerprint(verdict: Mapping[str, Any]) -> str:
    """A short name for the findings a verdict tells (the news beside acknowledged ones), for its alert's key."""
    found = verdict.get("integrity") or (verdict.get("tls") or {}).get("findings") or []
    text = json.dumps(sorted([f.get("kind"), f.get("url"), f.get("evidence")] for f in found), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def brief(a: Mapping[str, Any]) -> dict[str, Any]:
    """What `status --json` and the report show of one acknowledgement."""
    return {"id": a["id"], "kind": a["kind"], "url": a["url"], "note": a["note"], "by": a["by"],
            "since": a["since"], "until": a["until"], "created_at": a["created_at"]}


def with_acks(db, rows: list[dict], on: date) -> list[dict]:
    """Status rows with `acks`: each site's acknowledgements in force on the day (none without a database)."""
    held = by_site(db, on) if db is not None else {}
    for row in rows:
        row["acks"] = [brief(a) for a in held.get(row["site"], ())]
    return rows
