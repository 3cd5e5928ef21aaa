"""The SQLite store (sqlite-utils, WAL): named ordered migrations and the few queries everyone shares."""
from __future__ import annotations

import json
import os
import sqlite3
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable

import sqlite_utils


class StoreError(Exception):
    """The database cannot be opened or written; the message says why in one line."""


def utcnow() -> str:
    """The real time, ISO 8601 in UTC (for checked_at and run bookkeeping, never replaced by --as-of)."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@contextmanager
def transaction(db: sqlite_utils.Database):
    """One write transaction (the connection is in autocommit mode, so BEGIN explicitly)."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        # SQLite may have rolled back already (a full disk does): a second ROLLBACK would hide the real error.
        if db.conn.in_transaction:
            db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


# --- migrations: append only; never edit one that has shipped -------------------------------

def _m001_runs_pages(db: sqlite_utils.Database) -> None:
    db["runs"].create(
        {"id": int, "as_of": str, "state": str, "reason": str, "started_at": str, "finished_at": str,
         "pid": int, "sites": str, "stats": str},
        pk="id", not_null={"as_of", "state", "started_at"},
    )
    db["runs"].create_index(["state", "as_of"])
    db["site_runs"].create(
        {"run_id": int, "site_id": str, "url": str, "state": str, "reason": str, "error": str,
         "home_status": int, "home_final_url": str, "home_ttfb_ms": float, "home_https": int,
         "robots_status": int, "pages": int, "requests": int, "documents": int, "truncated": int,
         "started_at": str, "finished_at": str, "tls": str},
        pk=("run_id", "site_id"), foreign_keys=[("run_id", "runs", "id")],
    )
    db["pages"].create(
        {"id": int, "run_id": int, "site_id": str, "url": str, "final_url": str, "kind": str,
         "depth": int, "status": int, "error": str, "elapsed_ms": float, "bytes": int,
         "content_type": str, "headers": str, "content_hash": str, "title": str, "fetched_at": str,
         "dates": str, "checklist": str, "spam": str, "hygiene": str, "cloaking": str},
        pk="id", foreign_keys=[("run_id", "runs", "id")],
    )
    db["pages"].create_index(["run_id", "site_id"])
    db["pages"].create_index(["site_id", "url"])


def _m002_verdicts(db: sqlite_utils.Database) -> None:
    db["verdicts"].create(
        {"run_id": int, "site_id": str, "as_of": str, "status": str, "reason": str,
         "last_update": str, "last_update_url": str, "last_update_title": str,
         "days_since_update": int, "completeness": int, "score": int, "checked_at": str,
         "data": str},
        pk=("run_id", "site_id"), foreign_keys=[("run_id", "runs", "id")],
    )
    db["verdicts"].create_index(["site_id", "as_of"])


def _m003_alerts(db: sqlite_utils.Database) -> None:
    # one row per e-mail (alert or nightly digest), keyed for idempotency: recorded before it is sent
    db["alerts"].create(
        {"id": int, "key": str, "kind": str, "site_id": str, "rule": str, "as_of": str, "episode": str,
         "reminder": int, "run_id": int, "state": str, "reason": str, "to_addrs": str, "cc_addrs": str,
         "subject": str, "text": str, "html": str, "message_id": str, "attempts": int, "error": str,
         "claimed_by": int, "created_at": str, "updated_at": str, "sent_at": str, "transport": str},
        pk="id", not_null={"key", "kind", "state", "as_of", "created_at"},
    )
    db["alerts"].create_index(["key"], unique=True)
    db["alerts"].create_index(["state"])
    db["alerts"].create_index(["as_of"])


def _m004_incremental(db: sqlite_utils.Database) -> None:
    # Incremental crawling: a page's outgoing links (so a 304 page can still be followed), whether its
    # facts were carried over from the previous fetch, and a per-site index to find that previous run.
    db["pages"].add_column("links", str)
    db["pages"].add_column("not_modified", int)
    db["site_runs"].create_index(["site_id", "run_id"])


def _m005_signals_fingerprint(db: sqlite_utils.Database) -> None:
    # What a run's signals were extracted with (crawler.pipelines.signals_fingerprint): a 304 carries
    # facts over only from a run with the same one, so an upgrade or a checklist edit reads pages afresh.
    db["runs"].add_column("signals", str)


# Whether a verdict's TLS findings call for an alert (expired or expiring), computed from its JSON.
TLS_ALERT_SQL = """instr(data, '"tls_exp') > 0 AND EXISTS (SELECT 1 FROM json_each(data, '$.tls.findings') f
                   WHERE json_extract(f.value, '$.kind') IN ('tls_expired', 'tls_expiring'))"""


def _m006_verdict_tls_alert(db: sqlite_utils.Database) -> None:
    # Alerts read every night's verdict of every site: whether the TLS rule holds, as a column, spares
    # them the verdict JSON (kilobytes a row, in overflow pages SQLite then never has to read).
    db["verdicts"].add_column("tls_alert", int)
    db.execute(f"UPDATE verdicts SET tls_alert = ({TLS_ALERT_SQL})")


def _m007_crawl_delay(db: sqlite_utils.Database) -> None:
    # The robots.txt Crawl-delay a site asked for (seconds): it explains a thin crawl in the report.
    db["site_runs"].add_column("crawl_delay", float)


def _m008_page_errors(db: sqlite_utils.Database) -> None:
    # The signals that failed on a page (crawler.signals.barrier): a list of {signal, error}, NULL when none.
    # A failed signal's own column is NULL, unknown; this says why, and lets a run count its failures.
    db["pages"].add_column("errors", str)


def _m009_discovery(db: sqlite_utils.Database) -> None:
    # The hosts of a site's off-site links, as a JSON list (`ronda sites discover` reads the latest night's),
    # and one row per host that each discovery found under the Pemda's domain (the weekly report reads them).
    db["site_runs"].add_column("link_hosts", str)
    db["discoveries"].create(
        {"as_of": str, "host": str, "checked_at": str, "state": str, "hacked": int, "sources": str,
         "url": str, "status": int, "final_url": str, "cms": str, "title": str, "reason": str, "data": str},
        pk=("as_of", "host"),
    )


def _m010_truncated_by(db: sqlite_utils.Database) -> None:
    # Why a site's crawl was cut short: `pages` (crawl.max_pages reached) or `time` (its share of the night).
    db["site_runs"].add_column("truncated_by", str)


def _m011_acks(db: sqlite_utils.Database) -> None:
    # `ronda ack`: a finding or status judged known or wrong, in force from `since` to `until` (as-of days);
    # `findings` is what was acknowledged (a compromise that grows is news); undone rows are kept, as history.
    db["acks"].create(
        {"id": int, "site_id": str, "kind": str, "url": str, "note": str, "by": str, "since": str, "until": str,
         "findings": str, "created_at": str, "undone_on": str, "undone_by": str, "undone_at": str},
        pk="id", not_null={"site_id", "kind", "note", "by", "since", "until", "created_at"},
    )
    db["acks"].create_index(["site_id", "since"])


def _m012_deliveries(db: sqlite_utils.Database) -> None:
    # One row per chat message (monitors/chat.py): an alert or digest to one channel, keyed for idempotency.
    # `target` is the channel's URL in Apprise's privacy form: the real URL (and its secrets) is never stored.
    db["deliveries"].create(
        {"id": int, "key": str, "kind": str, "alert_key": str, "channel": str, "target": str, "site_id": str,
         "rule": str, "as_of": str, "state": str, "body": str, "attempts": int, "error": str, "claimed_by": int,
         "created_at": str, "updated_at": str, "sent_at": str},
        pk="id", not_null={"key", "kind", "channel", "state", "as_of", "created_at"},
    )
    db["deliveries"].create_index(["key"], unique=True)
    db["deliveries"].create_index(["state"])
    db["deliveries"].create_index(["as_of"])


MIGRATIONS: list[tuple[str, Callable[[sqlite_utils.Database], None]]] = [
    ("001_runs_pages", _m001_runs_pages),
    ("002_verdicts", _m002_verdicts),
    ("003_alerts", _m003_alerts),
    ("004_incremental", _m004_incremental),
    ("005_signals_fingerprint", _m005_signals_fingerprint),
    ("006_verdict_tls_alert", _m006_verdict_tls_alert),
    ("007_crawl_delay", _m007_crawl_delay),
    ("008_page_errors", _m008_page_errors),
    ("009_discovery", _m009_discovery),
    ("010_truncated_by", _m010_truncated_by),
    ("011_acks", _m011_acks),
    ("012_deliveries", _m012_deliveries),
]


def migrate(db: sqlite_utils.Database) -> list[str]:
    """Apply the migrations not yet applied, in order, each in its own transaction; return their names."""
    db.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    done = {r[0] for r in db.execute("SELECT name FROM migrations").fetchall()}
    applied = []
    for name, fn in MIGRATIONS:
        if name in done:
            continue
        with transaction(db):
            fn(db)
            db.execute("INSERT INTO migrations (name, applied_at) VALUES (?, ?)", [name, utcnow()])
        applied.append(name)
    return applied


def open_db(path: str | Path, *, create: bool = True) -> sqlite_utils.Database:
    """Open (and migrate) the store; one-line StoreError when the file is not a usable SQLite database."""
    path = Path(path)
    if not create and not path.exists():
        raise StoreError(f"database {path} does not exist (run `ronda crawl` first)")
    try:
        if create:
            path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), timeout=30, isolation_level=None)
        conn.execute("PRAGMA busy_timeout = 30000")
        db = sqlite_utils.Database(conn)
        db.enable_wal()
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA foreign_keys = ON")
        migrate(db)
    except sqlite3.DatabaseError as e:
        raise StoreError(f"database {path} is not usable: {e}") from None
    except OSError as e:
        raise StoreError(f"database {path} cannot be opened: {e}") from None
    return db


# Columns of `pages` that hold JSON (written with dumps, read with loads).
PAGE_JSON_COLUMNS = ("headers", "dates", "checklist", "spam", "hygiene", "cloaking", "links", "errors")


def dumps(value: Any) -> str | None:
    """JSON for a column (None stays NULL)."""
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)


# --- runs -------------------------------------------------------------------------------------

def start_run(db: sqlite_utils.Database, as_of: str, site_ids: Iterable[str], pid: int) -> int:
    """Mark runs left 'running' by a dead process as failed, then open a new run."""
    abandon_dead_runs(db)
    with transaction(db):
        run_id = db["runs"].insert({"as_of": as_of, "state": "running", "started_at": utcnow(),
                                    "pid": pid, "sites": dumps(list(site_ids))}).last_pk
    return run_id


def abandon_dead_runs(db: sqlite_utils.Database) -> int:
    """Runs still 'running' whose process is gone are failed (abandoned); their facts never count."""
    n = 0
    for row in db.query("SELECT id, pid FROM runs WHERE state = 'running'"):
        alive = False
        if row["pid"]:
            try:
                os.kill(row["pid"], 0)
                alive = row["pid"] != os.getpid()
            except OSError:
                alive = False
        if not alive:
            with transaction(db):
                db["runs"].update(row["id"], {"state": "failed", "reason": "abandoned", "finished_at": utcnow()})
            n += 1
    return n


def finish_run(db: sqlite_utils.Database, run_id: int, state: str = "finished", reason: str | None = None,
               stats: dict | None = None) -> None:
    with transaction(db):
        db["runs"].update(run_id, {"state": state, "reason": reason, "finished_at": utcnow(), "stats": dumps(stats)})


def signal_errors(db: sqlite_utils.Database, run_id: int) -> dict[str, int]:
    """How many signal failures the run's pages recorded, per signal (empty when none)."""
    rows = db.execute(
        """SELECT json_extract(e.value, '$.signal'), COUNT(*) FROM pages p, json_each(p.errors) e
           WHERE p.run_id = ? AND p.errors IS NOT NULL GROUP BY 1 ORDER BY 1""", [run_id]).fetchall()
    return {str(name): n for name, n in rows}


def latest_verdicts(db: sqlite_utils.Database, as_of: str) -> dict[str, dict]:
    """Per site, the verdict of its newest finished run whose as-of <= as_of."""
    rows = db.query(
        """SELECT v.* FROM verdicts v JOIN runs r ON r.id = v.run_id
           WHERE r.state = 'finished' AND v.as_of <= ?
           ORDER BY v.as_of, v.run_id""", [as_of])
    out: dict[str, dict] = {}
    for r in rows:
        out[r["site_id"]] = r
    return out
