"""The store: named ordered migrations, WAL, runs left by dead processes, one-line errors."""
from __future__ import annotations

import sqlite3

import pytest

from base import store


def test_empty_database_is_migrated_in_order(tmp_path):
    db = store.open_db(tmp_path / "r.db")
    names = [r["name"] for r in db.query("SELECT name FROM migrations ORDER BY rowid")]
    assert names == [name for name, _ in store.MIGRATIONS]
    assert {"runs", "site_runs", "pages", "verdicts"} <= set(db.table_names())
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_upgrade_applies_only_what_is_missing(tmp_path):
    path = tmp_path / "old.db"
    # A database from the first release: only the first migration applied.
    first = store.MIGRATIONS[:1]
    conn = sqlite3.connect(path)
    import sqlite_utils

    old = sqlite_utils.Database(conn)
    old.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    for name, fn in first:
        fn(old)
        old.execute("INSERT INTO migrations VALUES (?, 'then')", [name])
    conn.commit()
    conn.close()
    db = store.open_db(path)
    rows = {r["name"]: r["applied_at"] for r in db.query("SELECT * FROM migrations")}
    assert rows[first[0][0]] == "then"  # not re-applied
    assert set(rows) == {n for n, _ in store.MIGRATIONS}
    assert "verdicts" in db.table_names()


def test_run_of_a_dead_process_is_marked_abandoned(tmp_path):
    db = store.open_db(tmp_path / "r.db")
    dead_pid = 2**22 + 12345  # above the default pid_max: no such process
    run_id = store.start_run(db, "2026-11-28", ["a"], dead_pid)
    again = store.open_db(tmp_path / "r.db")
    store.start_run(again, "2026-11-29", ["a"], dead_pid)
    row = again["runs"].get(run_id)
    assert (row["state"], row["reason"]) == ("failed", "abandoned")


def test_not_a_database_is_a_one_line_error(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(store.StoreError) as e:
        store.open_db(bad)
    assert "is not usable" in str(e.value) and "\n" not in str(e.value)


def test_latest_verdict_ignores_unfinished_runs_and_later_days(tmp_path):
    db = store.open_db(tmp_path / "r.db")
    import os

    def run(as_of, state, status):
        rid = store.start_run(db, as_of, ["a"], os.getpid())
        db["verdicts"].insert({"run_id": rid, "site_id": "a", "as_of": as_of, "status": status, "data": "{}"})
        store.finish_run(db, rid, state)

    run("2026-11-01", "finished", "active")
    run("2026-11-02", "failed", "down")
    run("2026-11-05", "finished", "idle")
    assert store.latest_verdicts(db, "2026-11-03")["a"]["status"] == "active"
    assert store.latest_verdicts(db, "2026-11-05")["a"]["status"] == "idle"


def test_upgrade_to_006_fills_tls_alert_from_the_stored_verdicts(tmp_path):
    """Verdicts stored before the column existed get the value monitors.verdicts.tls_alert gives them."""
    import sqlite_utils

    from monitors.verdicts import tls_alert

    path = tmp_path / "old.db"
    old = sqlite_utils.Database(sqlite3.connect(path))
    old.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    before = [(n, fn) for n, fn in store.MIGRATIONS if n < "006"]
    for name, fn in before:
        fn(old)
        old.execute("INSERT INTO migrations VALUES (?, 'then')", [name])
    samples = [None, {"findings": []}, {"findings": [{"kind": "tls_expired"}]},
               {"findings": [{"kind": "mixed_content"}, {"kind": "tls_expiring"}]},
               {"findings": [{"kind": "tls_self_signed"}]}, {"https": False, "note": "tls_expired in a note"}]
    runs = old["runs"].insert({"as_of": "2026-11-28", "state": "finished", "started_at": "then"}).last_pk
    for i, tls in enumerate(samples):
        old["verdicts"].insert({"run_id": runs, "site_id": f"s{i}", "as_of": "2026-11-28", "status": "active",
                                "data": store.dumps({"site": f"s{i}", "tls": tls})})
    old.conn.commit()
    old.conn.close()
    db = store.open_db(path)
    got = {r["site_id"]: r["tls_alert"] for r in db.query("SELECT site_id, tls_alert FROM verdicts")}
    assert got == {f"s{i}": int(tls_alert({"tls": tls})) for i, tls in enumerate(samples)}
    assert sum(got.values()) == 2


def test_008_adds_page_errors_as_json_and_a_run_counts_them(tmp_path):
    """`pages.errors` (migration 008) holds the signals that failed on a page; 304s carry it; the run counts it."""
    from crawler.pipelines import CARRIED, PreviousFacts, StorePipeline

    assert "008_page_errors" in [n for n, _ in store.MIGRATIONS]
    assert "errors" in store.PAGE_JSON_COLUMNS and "errors" in CARRIED
    db = store.open_db(tmp_path / "r.db")
    assert "errors" in db["pages"].columns_dict
    run = store.start_run(db, "2026-11-28", ["a"], 0)
    writer = StorePipeline.without_crawl(db, run)
    broken = [{"signal": "spam", "error": "ValueError: x"}, {"signal": "dates", "error": "KeyError: 'y'"}]
    writer.process_item({"site_id": "a", "url": "http://a/", "final_url": "http://a/", "kind": "html",
                         "status": 200, "spam": None, "errors": broken})
    writer.process_item({"site_id": "a", "url": "http://a/b", "final_url": "http://a/b", "kind": "html",
                         "status": 200, "spam": {"findings": []}})
    writer.process_item({"site_id": "a", "url": "http://a/c", "final_url": "http://a/c", "kind": "html",
                         "status": 200, "errors": broken[:1]})
    assert store.signal_errors(db, run) == {"dates": 1, "spam": 2}
    ids = [r["id"] for r in db.query("SELECT id FROM pages ORDER BY id")]
    carried = PreviousFacts(db, run, "2026-11-28").carried(ids[0])
    assert carried["errors"] == broken and carried["spam"] is None   # unknown stays unknown on a 304
    assert PreviousFacts(db, run, "2026-11-28").carried(ids[1])["errors"] is None
    assert store.signal_errors(db, run + 1) == {}
