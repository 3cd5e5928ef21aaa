"""A site's history: its nights (the newest finished run of each as-of day) as plain data, oldest first."""
from __future__ import annotations

from datetime import date
from typing import Any

from base import store
from monitors import acks

# The light columns of `verdicts`, and the few parts of its JSON a timeline shows (read by SQLite, not parsed here).
_QUERY = """
SELECT v.run_id, v.as_of, v.status, v.reason, v.score, v.completeness, v.last_update, v.days_since_update,
       v.last_update_url, v.last_update_title,
       json_extract(v.data, '$.integrity') AS integrity, json_extract(v.data, '$.integrity_state') AS integrity_state,
       json_extract(v.data, '$.truncated_by') AS truncated_by
FROM verdicts v JOIN runs r ON r.id = v.run_id
WHERE v.site_id = ? AND r.state = 'finished' AND v.as_of >= ? AND v.as_of <= ?
ORDER BY v.as_of, v.run_id
"""


def history(db, site_id: str, as_of: date | None = None, since: date | None = None) -> list[dict[str, Any]]:
    """One object per night of a site, oldest first, between `since` and `as_of` (both inclusive, both optional)."""
    first = since.isoformat() if since else "0000-01-01"
    last = as_of.isoformat() if as_of else "9999-12-31"
    nights: dict[str, dict[str, Any]] = {}
    for r in db.query(_QUERY, [site_id, first, last]):
        nights[r["as_of"]] = night(r)  # a later run of the same day replaces an earlier one
    held = acks.of_site(db, site_id)
    for n in nights.values():   # what Diskominfo had acknowledged that night (so it sent no alert for it)
        n["acks"] = [acks.brief(a) for a in held if acks.in_force(a, date.fromisoformat(n["as_of"]))]
    return list(nights.values())


def night(r: dict) -> dict[str, Any]:
    """One night's entry from a row of _QUERY."""
    findings = store.loads(r["integrity"]) or []
    return {
        "as_of": r["as_of"], "run_id": r["run_id"], "status": r["status"], "reason": r["reason"],
        "score": r["score"], "completeness": r["completeness"],
        "last_update": r["last_update"], "days_since_update": r["days_since_update"],
        "last_update_url": r["last_update_url"], "last_update_title": r["last_update_title"],
        "findings": list(dict.fromkeys(f.get("kind") for f in findings if isinstance(f, dict))),
        "findings_count": len(findings),
        "integrity_state": r["integrity_state"], "truncated_by": r["truncated_by"],
    }


def known_site(db, site_id: str) -> bool:
    """Has the store any verdict of this site (a site since removed from the configuration still has a history)?"""
    return db.execute("SELECT 1 FROM verdicts WHERE site_id = ? LIMIT 1", [site_id]).fetchone() is not None
