"""The store under faults: a full disk and a read-only database give one clear error, never a finished night."""
from __future__ import annotations

import sqlite3

import pytest

from conftest import AS_OF, readable_copy, run_cli


@pytest.fixture
def tiny_disk(small_tmpfs):
    """A 400 KB tmpfs: the database fills it during the crawl."""
    return small_tmpfs("400k")


def test_a_full_disk_is_one_line_error_and_no_finished_night(simweb, tmp_path, tiny_disk):
    cfg = tmp_path / "sites.yaml"
    cfg.write_text(simweb.config_yaml(delay_s=0), encoding="utf-8")
    db = tiny_disk / "r.db"
    r = run_cli("--config", str(cfg), "--db", str(db), "--as-of", AS_OF.isoformat(), "crawl", "--quiet")
    assert r.returncode == 1, (r.stdout, r.stderr)
    assert "Traceback" not in r.stderr
    errors = [line for line in r.stderr.splitlines() if line.startswith("Error:")]
    assert errors and any("full" in e for e in errors), r.stderr[-2000:]
    # Whatever made it to disk is readable, and no night was taken as finished.
    with sqlite3.connect(readable_copy(db, tmp_path)) as c:
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert c.execute("SELECT count(*) FROM runs WHERE state = 'finished'").fetchone()[0] == 0
