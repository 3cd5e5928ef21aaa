"""Retention: per-page facts of old nights are pruned; verdicts and alerts are kept."""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from base import store
from base.config import Config


def prune(cfg: Config, db_path: str | Path, as_of: date, vacuum: bool = False) -> int:
    """Delete per-page facts of runs older than `retention.pages_days` (verdicts and alerts stay)."""
    cutoff = (as_of - timedelta(days=cfg.retention.pages_days)).isoformat()
    db = store.open_db(db_path)
    try:
        with store.transaction(db):
            n = db.execute("DELETE FROM pages WHERE run_id IN (SELECT id FROM runs WHERE as_of < ?)", [cutoff]).rowcount
        if vacuum and cfg.retention.vacuum:
            db.execute("VACUUM")
    finally:
        db.conn.close()
    return n
