"""Distributed mode on a real redis-server: two workers + ingest give the verdicts of a one-process crawl."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import threading
import time
from collections import Counter

import pytest

from ronda import config, distributed, jobs, store
from conftest import AS_OF

REDIS = shutil.which("redis-server")
if REDIS is None:
    if os.environ.get("CI") == "true":
        raise RuntimeError("redis-server is missing on CI: scripts/debian-packages-redis.txt installs it")
    pytest.skip("redis-server is not installed (Debian package redis-server; scripts/system-deps)", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def redis_url():
    """A private redis-server on 127.0.0.1 (no persistence), for this module."""
    port = _free_port()
    proc = subprocess.Popen([REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    import redis

    client = redis.Redis.from_url(url)
    for _ in range(100):
        if proc.poll() is not None:
            pytest.fail(f"redis-server exited with code {proc.returncode}")
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


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
    run_id = distributed.enqueue(cfg, tmp / "b.db", AS_OF, redis_url=redis_url)
    results = []
    # 12 sites at a time each: both workers get a share of the 35 sites.
    threads = [threading.Thread(target=lambda i=i: results.append(
        distributed.worker(path, redis_url, idle_s=2, max_sites=12, worker_id=f"w{i}"))) for i in range(2)]
    for t in threads:
        t.start()
    dist = distributed.ingest(cfg, tmp / "b.db", run_id, redis_url, timeout_s=240)
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
    left = [k.decode() for k in client.keys(f"ronda:{distributed.KEY_VERSION}:{run_id}:*")]
    assert left == [distributed.key(run_id, "stop")]   # only the stop marker, for late workers
    assert client.get(distributed.CURRENT_KEY) is None


def test_a_site_enqueued_twice_is_crawled_once(both, simweb):
    """The site-job dupefilter: a duplicate job of the same run is dropped by the worker."""
    cfg, tmp, url = both["cfg"], both["tmp"], both["redis"]
    site = cfg.enabled_sites[0].id
    run_id = distributed.enqueue(cfg, tmp / "c.db", AS_OF, site_ids=[site], redis_url=url)
    import redis

    client = redis.Redis.from_url(url)
    job = client.lindex(distributed.key(run_id, "jobs"), 0)
    client.rpush(distributed.key(run_id, "jobs"), job)
    # Forged jobs (a site the worker's config does not have, or a known id at another address) are refused.
    forged = json.loads(job)
    client.rpush(distributed.key(run_id, "jobs"),
                 json.dumps({**forged, "site": {**forged["site"], "id": "evil", "url": "http://127.0.0.1:9/"}}),
                 json.dumps({**forged, "site": {**forged["site"], "id": cfg.enabled_sites[1].id}}))
    before, other = len(simweb.hits(site)), len(simweb.hits(cfg.enabled_sites[1].id))
    w = distributed.worker(cfg.path, url, run_id=run_id, idle_s=1)
    result = distributed.ingest(cfg, tmp / "c.db", run_id, url, timeout_s=60)
    assert w.exit_code == 0 and w.sites == 1
    assert [v["site"] for v in result.verdicts] == [site]
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
    order = [s.id for s in distributed._longest_first(both["tmp"] / "a.db", list(cfg.enabled_sites))]
    assert sorted(order) == sorted(s.id for s in cfg.enabled_sites)
    assert took[order[0]] == max(took.values()) > took[order[-1]]
    assert [took[s] for s in order] == sorted(took.values(), reverse=True)


def test_ingest_refuses_a_run_that_is_not_running(both):
    with pytest.raises(jobs.JobError, match="not a running run"):
        distributed.ingest(both["cfg"], both["tmp"] / "b.db", both["dist"].run_id, both["redis"], timeout_s=1)


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
    path.write_text(f"crawl: {{frontier: 'redis://127.0.0.1:{_free_port()}/0'}}\n"
                    "sites: [{id: a, name: A, url: 'https://a.example/'}]\n", encoding="utf-8")
    cfg = config.load(path)
    with pytest.raises(jobs.JobError, match="cannot be reached"):
        distributed.enqueue(cfg, tmp_path / "x.db", AS_OF)
    assert not (tmp_path / "x.db").exists() or not store.open_db(tmp_path / "x.db")["runs"].count
