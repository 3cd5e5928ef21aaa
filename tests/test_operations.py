"""Operations: one job at a time, kill -9 mid-crawl, the scheduler, retention."""
from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest

from base import config as ronda_config
from base import store
from ronda import jobs, retention

from conftest import AS_OF, run_cli, wait_for


def start_cli(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "ronda.cli", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


@pytest.fixture
def slow_config(simweb, tmp_path):
    """Three sites with a polite delay, so a crawl lasts long enough to be interrupted."""
    cfg = tmp_path / "sites.yaml"
    cfg.write_text(simweb.config_yaml(delay_s=1.5, autothrottle=False), encoding="utf-8")
    ids = [s.id for s in simweb.sites if simweb.truth()[s.id]["status"] == "active"][:3]
    return cfg, tmp_path / "r.db", ids


def pages_stored(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=5) as c:
            return c.execute("SELECT count(*) FROM pages").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def test_a_second_job_on_the_same_database_exits_at_once(slow_config):
    cfg, db, ids = slow_config
    site_args = [a for i in ids for a in ("--site", i)]
    first = start_cli("--config", str(cfg), "--db", str(db), "--as-of", AS_OF.isoformat(), "crawl", "--quiet", *site_args)
    try:
        wait_for(lambda: pages_stored(db) > 0)
        t = time.monotonic()
        second = run_cli("--config", str(cfg), "--db", str(db), "--as-of", AS_OF.isoformat(), "run", "--quiet")
        assert time.monotonic() - t < 15
        assert second.returncode == 1
        assert "another ronda job is running on this database" in second.stderr
        assert first.poll() is None  # the first one is untouched
    finally:
        first.kill()
        first.wait()


def test_kill_9_mid_crawl_loses_nothing_and_the_next_run_completes(slow_config):
    cfg, db, ids = slow_config
    site_args = [a for i in ids for a in ("--site", i)]
    job = start_cli("--config", str(cfg), "--db", str(db), "--as-of", AS_OF.isoformat(), "crawl", "--quiet", *site_args)
    wait_for(lambda: pages_stored(db) >= 3)
    os.kill(job.pid, signal.SIGKILL)
    job.wait()
    # The crawl child dies with its parent: nothing keeps writing to the abandoned run.
    wait_for(lambda: subprocess.run(["pgrep", "-f", f"crawler.main --config {cfg}"], capture_output=True).returncode == 1, 15)
    with sqlite3.connect(db) as c:
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert c.execute("SELECT state FROM runs").fetchall() == [("running",)]
        kept = c.execute("SELECT count(*) FROM pages").fetchone()[0]
    assert kept >= 3
    fast = cfg.with_name("fast.yaml")
    fast.write_text(cfg.read_text().replace("delay_s: 1.5", "delay_s: 0"), encoding="utf-8")
    r = run_cli("--config", str(fast), "--db", str(db), "--as-of", AS_OF.isoformat(), "crawl", "--quiet",
                "--site", ids[0])
    assert r.returncode == 0, r.stderr
    with sqlite3.connect(db) as c:
        runs = c.execute("SELECT id, state, reason FROM runs ORDER BY id").fetchall()
        assert runs[0][1:] == ("failed", "abandoned") and runs[1][1] == "finished"
        # The abandoned night's partial facts never became verdicts.
        assert c.execute("SELECT count(*) FROM verdicts WHERE run_id = ?", [runs[0][0]]).fetchone()[0] == 0
        assert c.execute("SELECT count(*) FROM pages WHERE run_id = ?", [runs[0][0]]).fetchone()[0] == kept


def test_scheduler_fires_the_nightly_job_and_stops_on_sigterm(simweb, tmp_path):
    cfg = tmp_path / "sites.yaml"
    one = next(s.id for s in simweb.sites if simweb.truth()[s.id]["status"] == "active")
    # Only one site, and a trigger every 5 seconds (six fields: seconds first).
    cfg.write_text(_only_site(simweb.config_yaml(delay_s=0), one)
                   + 'schedule: {crawl: "*/5 * * * * *", report: "0 6 * * mon"}\n', encoding="utf-8")
    db = tmp_path / "s.db"
    proc = start_cli("--config", str(cfg), "--db", str(db), "schedule")
    try:
        wait_for(lambda: db.exists() and _finished_runs(db) >= 1, timeout=90, step=0.5)
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "scheduler started" in err and "scheduler stopped" in err
    assert re.search(r"next crawl at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \S+, next report at \d{4}-", err), err
    assert re.search(r"night done; next at \d{4}-\d\d-\d\d", err), err   # after each night, when the next one is
    assert Path(str(db) + ".schedule").exists()  # the job store survives restarts


def _only_site(config_text: str, site_id: str) -> str:
    import yaml

    data = yaml.safe_load(config_text)
    data["sites"] = [s for s in data["sites"] if s["id"] == site_id]
    data.pop("schedule", None)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _finished_runs(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as c:
            return c.execute("SELECT count(*) FROM runs WHERE state='finished'").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def test_retention_prunes_old_page_facts_and_keeps_verdicts(tmp_path):
    cfg = ronda_config.parse("retention: {pages_days: 30}\nsites: [{id: a, name: A, url: 'http://a.example.go.id/'}]",
                             path=tmp_path / "sites.yaml")
    db = store.open_db(tmp_path / "r.db")
    for days_ago in (60, 10):
        as_of = (AS_OF - timedelta(days=days_ago)).isoformat()
        rid = store.start_run(db, as_of, ["a"], os.getpid())
        db["pages"].insert_all([{"run_id": rid, "site_id": "a", "url": f"http://a/{i}", "kind": "html"} for i in range(50)])
        db["verdicts"].insert({"run_id": rid, "site_id": "a", "as_of": as_of, "status": "active", "data": "{}"})
        store.finish_run(db, rid)
    db.conn.close()
    assert retention.prune(cfg, tmp_path / "r.db", AS_OF, vacuum=True) == 50
    db = store.open_db(tmp_path / "r.db")
    assert db.execute("SELECT count(*) FROM pages").fetchone()[0] == 50
    assert db.execute("SELECT count(*) FROM verdicts").fetchone()[0] == 2


def test_a_crawl_process_killed_mid_night_is_followed_by_a_second_one(simweb, tmp_path):
    """kill -9 of the crawl process (not the job): the sites it finished stand, the others are crawled
    again in the same run, and the night ends with every verdict and no page twice."""
    ids = [s.id for s in simweb.sites if simweb.truth()[s.id]["status"] == "active"][:3]
    cfg = tmp_path / "sites.yaml"
    cfg.write_text(simweb.config_yaml(delay_s=0.3, autothrottle=False, max_pages=8), encoding="utf-8")
    site_args = [a for i in ids for a in ("--site", i)]
    reference = jobs.crawl(ronda_config.load(cfg), tmp_path / "ref.db", AS_OF, ids)
    db = tmp_path / "r.db"
    job = start_cli("--config", str(cfg), "--db", str(db), "--as-of", AS_OF.isoformat(), "crawl", "--quiet", *site_args)
    try:
        wait_for(lambda: pages_stored(db) >= 3)
        crawler = subprocess.run(["pgrep", "-f", f"crawler.main --config {cfg}"], capture_output=True, text=True)
        os.kill(int(crawler.stdout.split()[0]), signal.SIGKILL)
        out, err = job.communicate(timeout=120)
    finally:
        if job.poll() is None:
            job.kill()
    assert job.returncode == 0, err
    assert "the crawl process stopped with exit code -9; crawling the" in err
    with sqlite3.connect(db) as c:
        (run_id, state, reason), = c.execute("SELECT id, state, reason FROM runs").fetchall()
        assert (state, reason) == ("finished", None)
        assert sorted(r[0] for r in c.execute("SELECT site_id FROM site_runs")) == sorted(ids)
        assert c.execute("SELECT count(*) FROM (SELECT 1 FROM pages GROUP BY site_id, url, kind HAVING count(*) > 1)"
                         ).fetchone()[0] == 0
        pages = dict(c.execute("SELECT site_id, pages FROM site_runs").fetchall())
    assert pages == {v["site"]: v["pages"] for v in reference.verdicts}
    assert {v["site"]: v["status"] for v in reference.verdicts} == {
        r["site"]: r["status"] for r in jobs.status(ronda_config.load(cfg), db, AS_OF) if r["site"] in ids}
