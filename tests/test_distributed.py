"""Distributed mode on a real redis-server: two workers + ingest give the verdicts of a one-process crawl."""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter

import pytest

from base import config, store
from crawler import protocol
from ronda import coordinator, jobs

from conftest import AS_OF, free_port, in_ci, readable_copy, redis_server, status_json, wait_for

REDIS = shutil.which("redis-server")
if REDIS is None:
    if in_ci():
        pytest.fail("redis-server is missing on CI: scripts/debian-packages-redis.txt installs it", pytrace=False)
    pytest.skip("redis-server is not installed (Debian package redis-server; scripts/system-deps)", allow_module_level=True)


@pytest.fixture(scope="module")
def redis_url():
    """A private redis-server on 127.0.0.1 (no persistence), for this module."""
    with redis_server() as url:
        yield url


def _hits(web) -> dict[str, list[tuple]]:
    return {s.id: [(h["method"], h["path"], h["user_agent"], h["headers"].get("Range")) for h in web.hits(s.id)]
            for s in web.sites}


@pytest.fixture(scope="module")
def both(simweb, redis_url, tmp_path_factory):
    """One single-process crawl (db A), then one distributed run (db B) with two workers and ingest."""
    tmp = tmp_path_factory.mktemp("distributed")
    path = tmp / "sites.yaml"
    path.write_text(simweb.config_yaml(delay_s=0, timeout_s=10, retries=1), encoding="utf-8")
    cfg = config.load(path)
    before = _hits(simweb)
    single = jobs.crawl(cfg, tmp / "a.db", AS_OF)
    middle = _hits(simweb)
    run_id = coordinator.enqueue(cfg, tmp / "b.db", AS_OF, redis_url=redis_url)
    results = []
    # 12 sites at a time each: both workers get a share of the 35 sites.
    threads = [threading.Thread(target=lambda i=i: results.append(
        coordinator.worker(path, redis_url, idle_s=2, max_sites=12, worker_id=f"w{i}"))) for i in range(2)]
    for t in threads:
        t.start()
    dist = coordinator.ingest(cfg, tmp / "b.db", run_id, redis_url, timeout_s=240)
    for t in threads:
        t.join(timeout=120)
    after = _hits(simweb)
    return {"cfg": cfg, "single": single, "dist": dist, "workers": results, "tmp": tmp, "redis": redis_url,
            "hits_a": {k: middle[k][len(before[k]):] for k in before},
            "hits_b": {k: after[k][len(middle[k]):] for k in before}}


def _key(v: dict) -> dict:
    return {"status": v["status"], "reason": v["reason"], "last_update": v["last_update"],
            "found": sorted(v["found"]), "missing": sorted(v["missing"]),
            "integrity": sorted({i["kind"] for i in v["integrity"]})}


def test_distributed_verdicts_equal_a_single_process_crawl(both):
    assert both["single"].ok and both["dist"].ok, (both["single"].problems, both["dist"].problems)
    a = {v["site"]: _key(v) for v in both["single"].verdicts}
    b = {v["site"]: _key(v) for v in both["dist"].verdicts}
    assert len(a) == len(both["cfg"].enabled_sites) == 35
    assert b == a


def test_both_workers_crawled_and_every_site_has_one_summary(both):
    workers = both["workers"]
    assert [w.exit_code for w in workers] == [0, 0]
    assert all(w.sites > 0 for w in workers), workers    # the work was shared
    assert sum(w.sites for w in workers) == 35           # each site summarised by exactly one worker
    db = store.open_db(both["tmp"] / "b.db")
    rows = list(db.query("SELECT site_id, count(*) AS n FROM site_runs WHERE run_id = ? GROUP BY site_id",
                         [both["dist"].run_id]))
    run = db["runs"].get(both["dist"].run_id)
    pages = db.execute("SELECT count(*) FROM pages WHERE run_id = ?", [both["dist"].run_id]).fetchone()[0]
    db.conn.close()
    assert len(rows) == 35 and all(r["n"] == 1 for r in rows)
    assert run["state"] == "finished" and run["reason"] is None
    assert pages == sum(w.facts for w in workers)        # every fact pushed was ingested, once


def test_no_page_is_fetched_twice_across_workers(both):
    for site, hits in both["hits_b"].items():
        repeated = {h: n for h, n in Counter(hits).items() if n > Counter(both["hits_a"][site])[h]}
        assert not repeated, (site, repeated)
        assert bool(hits) == bool(both["hits_a"][site]), site   # crawled in B whenever it was in A


def test_the_run_keys_are_cleared_after_ingest(both):
    import redis

    client = redis.Redis.from_url(both["redis"])
    run_id = both["dist"].run_id
    left = [k.decode() for k in client.keys(f"ronda:{protocol.KEY_VERSION}:{run_id}:*")]
    assert left == [protocol.key(run_id, "stop")]   # only the stop marker, for late workers
    assert client.get(protocol.CURRENT_KEY) is None


def test_a_site_enqueued_twice_is_crawled_once(both, simweb):
    """The site-job dupefilter: a duplicate job of the same run is dropped by the worker."""
    cfg, tmp, url = both["cfg"], both["tmp"], both["redis"]
    site = cfg.enabled_sites[0].id
    run_id = coordinator.enqueue(cfg, tmp / "c.db", AS_OF, site_ids=[site], redis_url=url)
    import redis

    client = redis.Redis.from_url(url)
    job = client.lindex(protocol.key(run_id, "jobs"), 0)
    client.rpush(protocol.key(run_id, "jobs"), job)
    # Forged jobs (a site the worker's config does not have, or a known id at another address) are refused.
    forged = json.loads(job)
    client.rpush(protocol.key(run_id, "jobs"),
                 json.dumps({**forged, "site": {**forged["site"], "id": "evil", "url": "http://127.0.0.1:9/"}}),
                 json.dumps({**forged, "site": {**forged["site"], "id": cfg.enabled_sites[1].id}}))
    # Whatever else lands in the run's lists is dropped by ingest: not JSON, not an object, another site.
    for part in ("facts", "sites"):
        client.rpush(protocol.key(run_id, part), b"\xff not json", "[1, 2]", "null",
                     json.dumps({"site_id": cfg.enabled_sites[1].id, "url": "http://127.0.0.1:9/x", "state": "up"}))
    before, other = len(simweb.hits(site)), len(simweb.hits(cfg.enabled_sites[1].id))
    w = coordinator.worker(cfg.path, url, run_id=run_id, idle_s=1)
    result = coordinator.ingest(cfg, tmp / "c.db", run_id, url, timeout_s=60)
    assert w.exit_code == 0 and w.sites == 1
    assert result.ok, result.problems
    assert [v["site"] for v in result.verdicts] == [site]
    db = store.open_db(tmp / "c.db")
    assert {r[0] for r in db.execute("SELECT DISTINCT site_id FROM pages WHERE run_id = ?", [run_id])} == {site}
    db.conn.close()
    fetched = [(h["method"], h["path"], h["user_agent"]) for h in simweb.hits(site)[before:]]
    assert fetched.count(("GET", "/robots.txt", fetched[0][2])) == 1
    assert len(simweb.hits(cfg.enabled_sites[1].id)) == other


def test_jobs_go_out_longest_site_first(both):
    """With a finished run in the store, the site that took longest last time is enqueued first."""
    cfg = both["cfg"]
    db = store.open_db(both["tmp"] / "a.db")
    took = {r["site_id"]: round(r["s"]) for r in db.query(  # whole seconds: julianday arithmetic is not exact
        "SELECT site_id, (julianday(finished_at) - julianday(started_at)) * 86400 AS s FROM site_runs")}
    db.conn.close()
    order = [s.id for s in coordinator._longest_first(both["tmp"] / "a.db", list(cfg.enabled_sites))]
    assert sorted(order) == sorted(s.id for s in cfg.enabled_sites)
    assert took[order[0]] == max(took.values()) > took[order[-1]]
    assert [took[s] for s in order] == sorted(took.values(), reverse=True)


def test_ingest_refuses_a_run_that_is_not_running(both):
    with pytest.raises(jobs.JobError, match="not a running run"):
        coordinator.ingest(both["cfg"], both["tmp"] / "b.db", both["dist"].run_id, both["redis"], timeout_s=1)


def test_frontier_must_be_a_redis_url(tmp_path):
    path = tmp_path / "sites.yaml"
    path.write_text("crawl: {frontier: 'http://example.org/'}\nsites: [{id: a, name: A, url: 'https://a.example/'}]\n",
                    encoding="utf-8")
    with pytest.raises(config.ConfigError, match="frontier"):
        config.load(path)
    path.write_text("crawl: {frontier: 'redis://10.0.0.5:6379/0'}\nsites: [{id: a, name: A, url: 'https://a.example/'}]\n",
                    encoding="utf-8")
    assert config.load(path).crawl.frontier == "redis://10.0.0.5:6379/0"


def test_unreachable_frontier_is_one_line_error(tmp_path):
    path = tmp_path / "sites.yaml"
    path.write_text(f"crawl: {{frontier: 'redis://127.0.0.1:{free_port()}/0'}}\n"
                    "sites: [{id: a, name: A, url: 'https://a.example/'}]\n", encoding="utf-8")
    cfg = config.load(path)
    with pytest.raises(jobs.JobError, match="cannot be reached"):
        coordinator.enqueue(cfg, tmp_path / "x.db", AS_OF)
    assert not (tmp_path / "x.db").exists() or not store.open_db(tmp_path / "x.db")["runs"].count


def _half_done(client, db_path) -> dict[str, str]:
    """Claimed sites whose first facts are in the store but whose summary is not: {site: worker id}."""
    cur = client.get(protocol.CURRENT_KEY)
    if not cur or not db_path.exists():
        return {}
    run_id = json.loads(cur)["run_id"]
    claims = {k.decode(): json.loads(v)["worker"] for k, v in client.hgetall(protocol.key(run_id, "claims")).items()}
    db = store.open_db(db_path)
    try:
        written = {r[0] for r in db.execute("SELECT DISTINCT site_id FROM pages WHERE run_id = ?", [run_id])}
        summed = {r[0] for r in db.execute("SELECT site_id FROM site_runs WHERE run_id = ?", [run_id])}
    finally:
        db.conn.close()
    return {s: w for s, w in claims.items() if s in written and s not in summed}


def _killer_setup(both, simweb, tmp_path, n_sites: int):
    """Up sites, a config with a 2 s worker timeout and slow politeness, and a one-process reference crawl."""
    sites = [v["site"] for v in both["single"].verdicts
             if v["status"] != "down" and v["pages"] >= 10 and simweb.site(v["site"]).kind != "slow"][:n_sites]
    crawl = dict(delay_s=0.3, per_site_concurrency=1, concurrency=2, max_pages=10, timeout_s=10, retries=1)
    plain = tmp_path / "plain.yaml"
    plain.write_text(simweb.config_yaml(**crawl), encoding="utf-8")
    path = tmp_path / "sites.yaml"
    path.write_text(simweb.config_yaml(**crawl, frontier=both["redis"], worker_timeout_s=2), encoding="utf-8")
    reference = jobs.crawl(config.load(plain), tmp_path / "ref.db", AS_OF, sites)
    return sites, path, reference


def _assert_like_reference(path, db_path, sites, reference) -> None:
    """Every site has one record and the reference's verdict; no page of the killed attempt is left."""
    db = store.open_db(db_path)
    run_id = db.execute("SELECT max(id) FROM runs").fetchone()[0]
    twice = list(db.query("SELECT site_id, url, kind, count(*) AS n FROM pages WHERE run_id = ? "
                          "GROUP BY site_id, url, kind HAVING n > 1", [run_id]))
    pages = {r["site_id"]: r["pages"] for r in db.query("SELECT site_id, pages FROM site_runs WHERE run_id = ?", [run_id])}
    db.conn.close()
    assert twice == []
    dist = {v["site"]: v for v in status_json(path, db_path)}
    assert {s: _key(dist[s]) for s in sites} == {v["site"]: _key(v) for v in reference.verdicts}
    assert pages == {v["site"]: v["pages"] for v in reference.verdicts}


def test_a_killed_worker_s_sites_are_crawled_by_another(both, simweb, tmp_path):
    """CLI end to end: `ronda crawl --workers 0` coordinates, `ronda worker` A is killed -9 in the middle
    of its sites, `ronda worker` B takes them over; the verdicts equal a one-process crawl's, no page twice."""
    import redis

    from conftest import run_cli

    sites, path, reference = _killer_setup(both, simweb, tmp_path, 4)
    db_path = tmp_path / "d.db"
    client = redis.Redis.from_url(both["redis"])
    base = [sys.executable, "-m", "ronda.cli", "--config", str(path), "--db", str(db_path), "--as-of", AS_OF.isoformat()]
    coordinator = subprocess.Popen([*base, "crawl", "--workers", "0", "--quiet", *(a for s in sites for a in ("--site", s))],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    def home_hits(site: str) -> int:
        return sum(h["path"] == "/" and "ronda" in (h["user_agent"] or "") for h in simweb.hits(site))

    before = {s: home_hits(s) for s in sites}
    a = subprocess.Popen([*base, "worker", "--idle", "1"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         text=True, start_new_session=True)
    try:
        held = wait_for(lambda: _half_done(client, db_path))
        os.killpg(a.pid, signal.SIGKILL)
        a.wait(timeout=10)
        b = run_cli("--config", str(path), "--db", str(db_path), "--as-of", AS_OF.isoformat(), "worker", "--idle", "1",
                    timeout=180)
        out, err = coordinator.communicate(timeout=180)
    finally:
        for p in (coordinator, a):
            if p.poll() is None:
                p.kill()
    assert coordinator.returncode == 0, err
    assert f"{len(sites)} site(s)" in out
    assert "stopped answering" in err and "goes back to the queue (attempt 2 of 2)" in err
    assert b.returncode == 0, b.stderr
    assert re.search(r"worker: run \d+: [1-9]\d* site\(s\)", b.stdout), b.stdout
    for s in held:   # crawled twice: the killed attempt, then worker B's
        assert home_hits(s) - before[s] == 2, s
    _assert_like_reference(path, db_path, sites, reference)


def test_the_coordinator_replaces_a_local_worker_that_died(both, simweb, tmp_path):
    """`ronda crawl --workers 1`: its only worker is killed -9 mid-site; a new one is started and finishes the run."""
    import redis

    sites, path, reference = _killer_setup(both, simweb, tmp_path, 2)
    db_path = tmp_path / "d.db"
    client = redis.Redis.from_url(both["redis"])
    coordinator = subprocess.Popen([sys.executable, "-m", "ronda.cli", "--config", str(path), "--db", str(db_path),
                                    "--as-of", AS_OF.isoformat(), "crawl", "--workers", "1", "--quiet",
                                    *(a for s in sites for a in ("--site", s))],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: _half_done(client, db_path))
        local = _children(coordinator.pid)
        assert len(local) == 1
        for pid in [*_children(local[0]), local[0]]:   # the worker and its crawl process
            os.kill(pid, signal.SIGKILL)
        out, err = coordinator.communicate(timeout=180)
    finally:
        if coordinator.poll() is None:
            coordinator.kill()
    assert coordinator.returncode == 0, err
    assert "a local worker exited with code -9: starting another" in err
    assert "goes back to the queue (attempt 2 of 2)" in err
    _assert_like_reference(path, db_path, sites, reference)


def _children(pid: int) -> list[int]:
    """The process ids whose parent is `pid` (from /proc)."""
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                stat = open(f"/proc/{d}/stat").read()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(d))
    return out


def test_a_site_that_outlived_two_workers_is_given_up(both):
    """The poison site: its second attempt's worker is gone too, so ingest gives it up with a clear problem."""
    import redis

    cfg, url = both["cfg"], both["redis"]
    site = cfg.enabled_sites[0].id
    db_path = both["tmp"] / "poison.db"
    run_id = coordinator.enqueue(cfg, db_path, AS_OF, site_ids=[site], redis_url=url)
    client = redis.Redis.from_url(url)
    job = json.loads(client.lpop(protocol.key(run_id, "jobs")))
    claim = protocol.dumps({"worker": "ghost", "attempt": 2, "job": {**job, "attempt": 2}})
    client.hset(protocol.key(run_id, "claims"), site, claim)
    t = time.monotonic()
    result = coordinator.ingest(cfg, db_path, run_id, url, timeout_s=60)
    assert time.monotonic() - t < 30   # not the timeout: the ghost's claim was seen at once
    assert result.verdicts == []
    assert any(f"site {site}: 2 workers stopped answering" in p for p in result.problems), result.problems
    assert client.llen(protocol.key(run_id, "jobs")) == 0   # no third attempt
    db = store.open_db(db_path)
    assert db["runs"].get(run_id)["state"] == "finished"
    db.conn.close()


def test_a_second_distributed_night_is_incremental(both):
    """Jobs carry the previous validators and links: an unchanged web answers mostly 304, and ingest fills
    in the stored signals, so the verdicts and page facts equal the first night's."""
    cfg, url, db_path = both["cfg"], both["redis"], both["tmp"] / "b.db"
    first = both["dist"].run_id
    run_id = coordinator.enqueue(cfg, db_path, AS_OF, redis_url=url)
    import redis

    jobs_ = [json.loads(j) for j in redis.Redis.from_url(url).lrange(protocol.key(run_id, "jobs"), 0, -1)]
    assert sum(bool(j["previous"]) for j in jobs_) >= 30      # every site that was up has validators
    w = coordinator.worker(cfg.path, url, run_id=run_id, idle_s=1)
    second = coordinator.ingest(cfg, db_path, run_id, url, timeout_s=240)
    assert w.exit_code == 0 and second.ok, (w.problems, second.problems)
    assert {v["site"]: _key(v) for v in second.verdicts} == {v["site"]: _key(v) for v in both["dist"].verdicts}
    db = store.open_db(db_path)
    cols = "url, kind, title, content_hash, links, dates, checklist, spam, hygiene"
    n304, answered = db.execute("SELECT SUM(COALESCE(not_modified, 0)), COUNT(*) FROM pages WHERE run_id = ? "
                                "AND status IS NOT NULL", [run_id]).fetchone()
    nbytes = [db.execute("SELECT SUM(COALESCE(bytes, 0)) FROM pages WHERE run_id = ?", [r]).fetchone()[0] for r in (first, run_id)]
    before = {r[0]: r for r in db.execute(f"SELECT {cols} FROM pages WHERE run_id = ? AND status = 200", [first])}
    carried = list(db.execute(f"SELECT {cols} FROM pages WHERE run_id = ? AND not_modified = 1", [run_id]))
    db.conn.close()
    assert n304 > answered / 2, (n304, answered)
    assert nbytes[1] < 0.3 * nbytes[0], nbytes
    assert carried and all(tuple(r) == tuple(before[r[0]]) for r in carried)   # signals filled in from the store


@pytest.mark.parametrize("command", ["crawl", "ingest"])
def test_a_store_failure_mid_ingest_is_one_line_error_and_no_finished_night(redis_url, tmp_path, small_tmpfs, command):
    """The disk holding the database fills up while ingest writes a run's facts (`ronda crawl --workers 0` as
    coordinator, or `ronda ingest RUN`): one `Error:` line, exit 1, no traceback, the run failed, workers told to stop."""
    import redis

    disk = small_tmpfs("1m")
    db_path = disk / "r.db"
    path = tmp_path / "sites.yaml"
    path.write_text(f"crawl: {{frontier: '{redis_url}'}}\nsites:\n"
                    "  - {id: a, name: A, url: 'http://127.0.0.1:9/a/'}\n"
                    "  - {id: b, name: B, url: 'http://127.0.0.1:9/b/'}\n", encoding="utf-8")
    client = redis.Redis.from_url(redis_url)
    base = [sys.executable, "-m", "ronda.cli", "--config", str(path), "--db", str(db_path), "--as-of", AS_OF.isoformat()]

    def read(sql: str):
        try:
            with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as c:
                return c.execute(sql).fetchone()[0]
        except sqlite3.OperationalError:   # the coordinator is still creating the schema
            return None

    def enqueued() -> int | None:
        """The run the coordinator opened, once its jobs are on the frontier."""
        cur = client.get(protocol.CURRENT_KEY)
        run_id = read("SELECT max(id) FROM runs") if db_path.exists() else None
        return run_id if cur and run_id and json.loads(cur)["run_id"] == run_id else None

    def fact(i: int, title_bytes: int) -> str:
        url = f"http://127.0.0.1:9/a/{i}"
        return protocol.dumps({"site_id": "a", "url": url, "final_url": url, "kind": "html", "depth": 1, "status": 200,
                               "title": "x" * title_bytes, "fetched_at": "2026-11-28T01:00:00+00:00", "attempt": 1})

    proc = None
    try:   # whatever fails, the coordinator must not outlive the test: it would ingest the next test's run 1
        if command == "crawl":
            proc = subprocess.Popen([*base, "crawl", "--workers", "0", "--quiet"], stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True)
            run_id = wait_for(enqueued)
        else:
            run_id = coordinator.enqueue(config.load(path), db_path, AS_OF, redis_url=redis_url)
            proc = subprocess.Popen([*base, "ingest", str(run_id)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    text=True)
        # No worker and no site summary: ingest waits for the run and writes whatever facts come meanwhile.
        client.rpush(protocol.key(run_id, "facts"), fact(0, 100))
        wait_for(lambda: read("SELECT count(*) FROM pages"))   # ingest is writing
        # 6 MB of facts for a 1 MB disk, more than SQLite's page cache holds (2 MB): the store fails while the
        # pipeline writes them, not only at the commit.
        client.rpush(protocol.key(run_id, "facts"), *(fact(i, 64_000) for i in range(1, 100)))
        out, err = proc.communicate(timeout=120)
    finally:
        if proc is not None and proc.poll() is None:
            proc.kill()
    assert proc.returncode == 1, (out, err)
    assert "Traceback" not in err, err
    errors = [line for line in err.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "the store failed" in errors[0] and "full" in errors[0], err
    assert client.exists(protocol.key(run_id, "stop"))    # workers still serving the run leave at once
    with sqlite3.connect(readable_copy(db_path, tmp_path)) as c:
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert c.execute("SELECT count(*) FROM runs WHERE state = 'finished'").fetchone()[0] == 0
        assert c.execute("SELECT state FROM runs WHERE id = ?", [run_id]).fetchone()[0] == "failed"
