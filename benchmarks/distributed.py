"""Throughput of the distributed mode: one Redis worker vs two, side by side on one simulated web.

    python benchmarks/distributed.py [--sites 200] [--seed 0]

Politeness off (delay 0), incremental crawling off for the throughput runs (every page in full), then one
incremental night with two workers over the unchanged web (bytes and wall time against the full night, and
the size of the site jobs, which carry the previous validators and links). Starts its own redis-server. An unmeasured warm-up crawl first
fills the simulated web's page cache (it renders in one thread, in this process) and gives the next runs
the per-site durations that order their jobs longest first. For each worker count: a fresh
run is enqueued, N workers crawl it while ingest writes the store; the crawl's wall time runs from
the enqueue to the last site summary ingested. Prints pages/s, the ratio, and worker CPU per page
(user + system of the worker processes, from getrusage of waited-for children).
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

from base import config, store
from crawler import protocol
from ronda import coordinator
from simweb.server import SimWeb

AS_OF = date(2026, 11, 28)


def _cpu(who: int) -> float:
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime


def _secs(iso: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(iso).timestamp()


def measure(cfg_path: Path, db: Path, url: str, workers: int, max_sites: int = 0) -> dict:
    """One distributed run with `workers` workers; wall time to the last summary, pages, worker CPU."""
    cfg = config.load(cfg_path)
    cpu0, self0 = _cpu(resource.RUSAGE_CHILDREN), _cpu(resource.RUSAGE_SELF)
    t0 = time.monotonic()
    run_id = coordinator.enqueue(cfg, db, AS_OF, redis_url=url)
    jobs = coordinator.connect(url).lrange(protocol.key(run_id, "jobs"), 0, -1)
    results: list = []
    threads = [threading.Thread(target=lambda i=i: results.append(
        coordinator.worker(cfg_path, url, run_id=run_id, idle_s=2, max_sites=max_sites, worker_id=f"w{i}"))) for i in range(workers)]
    for t in threads:
        t.start()
    last = {}

    def progress(event: dict) -> None:
        if event.get("done") == event.get("total"):
            last["t"] = time.monotonic()

    result = coordinator.ingest(cfg, db, run_id, url, progress=progress)
    for t in threads:
        t.join()
    wall = last.get("t", time.monotonic()) - t0
    load = os.getloadavg()[0]   # the machine is shared: a loaded one cannot show the second core
    cpu = _cpu(resource.RUSAGE_CHILDREN) - cpu0
    own = _cpu(resource.RUSAGE_SELF) - self0   # the simulated web's server thread and ingest
    d = store.open_db(db)
    facts = d.execute("SELECT count(*) FROM pages WHERE run_id = ?", [run_id]).fetchone()[0]
    html = d.execute("SELECT count(*) FROM pages WHERE run_id = ? AND kind = 'html'", [run_id]).fetchone()[0]
    nbytes = d.execute("SELECT SUM(COALESCE(bytes, 0)) FROM pages WHERE run_id = ?", [run_id]).fetchone()[0] or 0
    spans = sorted(((_secs(r["finished_at"]) - _secs(r["started_at"]), r["site_id"]) for r in d.query(
        "SELECT site_id, started_at, finished_at FROM site_runs WHERE run_id = ?", [run_id])), reverse=True)
    d.conn.close()
    return {"longest": spans[:3], "workers": workers, "wall_s": wall, "facts": facts, "html": html, "cpu_s": cpu, "own_s": own, "load": load,
            "bytes": nbytes, "job_bytes": sum(map(len, jobs)) / max(1, len(jobs)),
            "sites": [r.sites for r in results], "problems": result.problems + sum((r.problems for r in results), [])}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sites", type=int, default=200)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--max-sites", type=int, default=0, help="sites per worker at once (default: concurrency / per-site)")
    ap.add_argument("--cold", dest="warm", action="store_false", help="skip the warm-up crawl (server renders cold)")
    args = ap.parse_args()
    binary = shutil.which("redis-server")
    if binary is None:
        print("redis-server is not installed (scripts/debian-packages-redis.txt)", file=sys.stderr)
        return 2
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    redis_proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                                  stdout=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    tmp = Path(tempfile.mkdtemp(prefix="ronda-dist-bench-"))
    try:
        time.sleep(0.3)
        with SimWeb(as_of=AS_OF, seed=args.seed, n_sites=args.sites) as web:
            cfg_path = tmp / "sites.yaml"
            cfg_path.write_text(web.config_yaml(delay_s=0, timeout_s=10, retries=1, incremental=False), encoding="utf-8")
            incr_path = tmp / "incremental.yaml"
            incr_path.write_text(web.config_yaml(delay_s=0, timeout_s=10, retries=1), encoding="utf-8")
            if args.warm:
                # The simulated web renders each page once per day and caches it: a first, unmeasured
                # crawl leaves both measured runs the same cheap server, so the crawlers are what is compared.
                measure(cfg_path, tmp / "bench.db", url, 2)
            # One database: each run's jobs go out longest site first, by the previous run (ronda/coordinator.py).
            rows = [measure(cfg_path, tmp / "bench.db", url, n, args.max_sites) for n in (1, 2)]
            again = measure(incr_path, tmp / "bench.db", url, 2, args.max_sites)
        for r in rows:
            print(f"{r['workers']} worker(s): {r['facts']} resources ({r['html']} HTML pages) in {r['wall_s']:.1f} s = "
                  f"{r['facts'] / r['wall_s']:.1f} resources/s, {r['html'] / r['wall_s']:.1f} pages/s; "
                  f"worker CPU {1000 * r['cpu_s'] / max(1, r['facts']):.2f} ms/resource, server+ingest CPU "
                  f"{1000 * r['own_s'] / max(1, r['facts']):.2f} ms/resource; sites per worker {r['sites']}; "
                  f"longest sites {', '.join(f'{sid} {s:.0f} s' for s, sid in r['longest'])}; "
                  f"load average at the end {r['load']:.1f} on {os.cpu_count()} CPUs"
                  + (f"; problems: {r['problems']}" if r["problems"] else ""))
        one, two = rows
        ratio = (two["facts"] / two["wall_s"]) / (one["facts"] / one["wall_s"])
        print(f"throughput ratio two/one workers: {ratio:.2f} (target >= 1.4)")
        print(f"incremental night, 2 workers, unchanged web: {again['bytes'] / 2**20:.1f} MB vs {two['bytes'] / 2**20:.1f} MB "
              f"= {again['bytes'] / two['bytes']:.1%} of the full night's bytes; wall {again['wall_s']:.1f} s vs "
              f"{two['wall_s']:.1f} s = {again['wall_s'] / two['wall_s']:.0%}; worker CPU {again['cpu_s'] / two['cpu_s']:.0%}; "
              f"site jobs {again['job_bytes'] / 1024:.1f} KB each on average (full night's: {two['job_bytes']:.0f} B)")
    finally:
        redis_proc.terminate()
        redis_proc.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
