"""Performance and scale of the crawl on the simulated web: every figure measured side by side in one run.

Sections (each can be chosen with --only):
- cpu:    ronda's crawl (all signals, store) vs a bare scrapy spider that only follows links, same web,
          politeness off, alternating runs; responses/s ratio and CPU ms per response.
- polite: the 35-site web with the default politeness and a simulated server latency vs the bound that
          politeness sets (the busiest site's requests x its delay).
- incr:   a second night over an unchanged web: bytes and wall time relative to the first night.
- scale:  N sites in one crawl process: wall time per site, peak memory (RSS), database size.
- report: weekly report rendering for 35 and 2,000 sites (benchmarks/report_speed.py).

CPU and peak memory are the crawl process's own (os.wait4 rusage); the simulated web runs in this process.

    .venv/bin/python benchmarks/perf.py [--only cpu polite incr scale report] [--cpu-sites 200]
        [--scale-sites 200 2000] [--scale-max-pages 5] [--latency 0.1] [--repeat 2]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from base import config, store
from simweb.server import SimWeb

AS_OF = date(2026, 11, 28)
HERE = Path(__file__).resolve().parent
# Politeness off: the crawl is CPU-bound, which is what the CPU comparison needs.
FAST = {"delay_s": 0, "per_site_concurrency": 8, "concurrency": 64, "autothrottle": False, "retries": 0,
        "timeout_s": 10}


def _raise_open_files() -> None:
    """Thousands of sites are thousands of sockets on both ends: the soft limit goes up to the hard one."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def _child(cmd: list[str]) -> tuple[float, float, int, str]:
    """Run a process; its wall seconds, CPU seconds (user+sys), peak RSS in MB, and stdout."""
    t = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out:
        p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL, env={**os.environ, "PYTHONHASHSEED": "0"})
        _, status, ru = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - t
        out.seek(0)
        text = out.read()
    if p.returncode != 0:
        raise SystemExit(f"{cmd[2]} failed with exit code {p.returncode}")
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss // 1024, text


def ronda_night(web: SimWeb, d: Path, crawl: dict, db_name: str = "r.db") -> dict:
    """One crawl (crawler.main in its own process) of the web into d/db_name; the run is marked finished."""
    cfg_path = d / f"sites-{abs(hash(json.dumps(crawl, sort_keys=True)))}.yaml"
    cfg_path.write_text(web.config_yaml(**crawl), encoding="utf-8")
    cfg = config.load(cfg_path)
    db_path = d / db_name
    db = store.open_db(db_path)
    run = store.start_run(db, web.today.isoformat(), [s.id for s in cfg.sites], os.getpid())
    wall, cpu, rss, _ = _child([sys.executable, "-m", "crawler.main", "--config", str(cfg_path), "--db", str(db_path),
                                "--run-id", str(run), "--as-of", web.today.isoformat()])
    store.finish_run(db, run)
    responses, nbytes, not_modified = db.execute(
        "SELECT COUNT(*), SUM(COALESCE(bytes, 0)), SUM(COALESCE(not_modified, 0)) FROM pages "
        "WHERE run_id = ? AND status IS NOT NULL", [run]).fetchone()
    busiest = db.execute("SELECT MAX(requests), SUM(pages) FROM site_runs WHERE run_id = ?", [run]).fetchone()
    db.conn.close()
    size = sum(p.stat().st_size for p in d.glob(db_name + "*"))
    return {"wall": wall, "cpu": cpu, "rss": rss, "responses": responses, "bytes": nbytes or 0,
            "not_modified": not_modified or 0, "busiest": busiest[0] or 0, "pages": busiest[1] or 0,
            "db_mb": size / 2**20, "delay": cfg.crawl.delay_s}


def bare_night(web: SimWeb, d: Path, max_pages: int, max_depth: int) -> dict:
    """The bare link-following spider over the same web."""
    urls = d / "urls.json"
    urls.write_text(json.dumps([s.url for s in web.sites]), encoding="utf-8")
    wall, cpu, rss, out = _child([sys.executable, str(HERE / "bare_spider.py"), "--sites", str(urls),
                                  "--max-pages", str(max_pages), "--max-depth", str(max_depth),
                                  "--concurrency", str(FAST["concurrency"]), "--per-site", str(FAST["per_site_concurrency"])])
    res = json.loads(out.strip().splitlines()[-1])
    return {"wall": wall, "cpu": cpu, "rss": rss, "responses": res["pages"], "bytes": res["bytes"]}


def cpu_section(n_sites: int, repeat: int, rows: list) -> None:
    defaults = config.Crawl()
    with SimWeb(as_of=AS_OF, seed=1, n_sites=n_sites) as web, tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        ronda, bare = [], []
        for k in range(repeat):  # alternating, so both see the same machine load
            ronda.append(ronda_night(web, d, FAST, db_name=f"cpu{k}.db"))
            bare.append(bare_night(web, d, defaults.max_pages, defaults.max_depth))
    r = min(ronda, key=lambda x: x["cpu"] / x["responses"])
    b = min(bare, key=lambda x: x["cpu"] / x["responses"])
    r_ms, b_ms = 1000 * r["cpu"] / r["responses"], 1000 * b["cpu"] / b["responses"]
    r_rate, b_rate = r["responses"] / r["wall"], b["responses"] / b["wall"]
    rows.append(("cpu", f"{n_sites} sites, politeness off (best of {repeat})",
                 f"ronda {r['responses']} resp, {r_rate:.0f}/s wall, {1000 / r_ms:.0f}/CPU-s, {r_ms:.2f} CPU ms/resp | "
                 f"bare {b['responses']} resp, {b_rate:.0f}/s wall, {1000 / b_ms:.0f}/CPU-s, {b_ms:.2f} CPU ms/resp",
                 f"CPU ratio {b_ms / r_ms:.2f}; wall ratio {r_rate / b_rate:.2f} (floor 0.35)"))


def polite_section(latency: float, delay: float | None, rows: list) -> None:
    crawl = {"delay_s": config.Crawl().delay_s if delay is None else delay}
    with SimWeb(as_of=AS_OF, seed=0, latency_s=latency) as web, tempfile.TemporaryDirectory() as tmp:
        r = ronda_night(web, Path(tmp), crawl)
    bound = r["busiest"] * r["delay"]
    rows.append(("polite", f"35 sites, delay {r['delay']} s, latency {latency * 1000:.0f} ms",
                 f"wall {r['wall']:.1f} s; bound {bound:.1f} s ({r['busiest']} requests on the busiest site)",
                 f"ratio {r['wall'] / bound:.2f} (ceiling 1.3)"))


def incr_section(rows: list) -> None:
    with SimWeb(as_of=AS_OF, seed=0) as web, tempfile.TemporaryDirectory() as tmp:
        first = ronda_night(web, Path(tmp), FAST)
        second = ronda_night(web, Path(tmp), FAST)
    rows.append(("incr", "35 sites, unchanged web, politeness off",
                 f"night 1: {first['bytes'] / 2**20:.1f} MB, {first['wall']:.1f} s | night 2: "
                 f"{second['bytes'] / 2**20:.2f} MB, {second['wall']:.1f} s, {second['not_modified']} of "
                 f"{second['responses']} answers 304",
                 f"bytes {second['bytes'] / first['bytes']:.1%} (ceiling 20%); wall {second['wall'] / first['wall']:.0%}; "
                 f"CPU {second['cpu'] / first['cpu']:.0%}"))


def scale_section(sizes: list[int], max_pages: int, rows: list) -> None:
    crawl = {**FAST, "max_pages": max_pages}
    per_site = {}
    for n in sizes:
        with SimWeb(as_of=AS_OF, seed=2, n_sites=n) as web, tempfile.TemporaryDirectory() as tmp:
            r = ronda_night(web, Path(tmp), crawl)
        per_site[n] = r["wall"] / n
        rows.append(("scale", f"{n} sites, max_pages {max_pages}, politeness off",
                     f"wall {r['wall']:.0f} s = {1000 * per_site[n]:.0f} ms/site; {r['responses']} responses; "
                     f"peak RSS {r['rss']} MB; db {r['db_mb']:.0f} MB ({1024 * r['db_mb'] / n:.0f} KB/site)",
                     f"per-site time x{per_site[n] / per_site[sizes[0]]:.2f} of {sizes[0]} sites (ceiling 1.2)"))


def report_section(sizes: list[int], rows: list) -> None:
    sys.path.insert(0, str(HERE))
    import report_speed

    for n in sizes:
        r = report_speed.measure(n, 3 if n <= 100 else 1)
        rows.append(("report", f"{n} sites", f"build {r['build_ms']:.0f} ms, render {r['render_ms']:.0f} ms, "
                     f"write {r['write_ms']:.0f} ms, {r['html_kb']:.0f} KB", ""))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="+", default=["cpu", "polite", "incr", "scale", "report"])
    ap.add_argument("--cpu-sites", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--latency", type=float, default=0.1)
    ap.add_argument("--polite-delay", type=float, default=None, help="default: the config's default delay_s")
    ap.add_argument("--scale-sites", type=int, nargs="+", default=[200, 2000])
    ap.add_argument("--scale-max-pages", type=int, default=5, help="the same budget for every size, so per-site times compare")
    ap.add_argument("--report-sites", type=int, nargs="+", default=[35, 2000])
    a = ap.parse_args(argv)
    _raise_open_files()
    rows: list[tuple[str, str, str, str]] = []
    t = time.perf_counter()
    if "cpu" in a.only:
        cpu_section(a.cpu_sites, a.repeat, rows)
    if "incr" in a.only:
        incr_section(rows)
    if "polite" in a.only:
        polite_section(a.latency, a.polite_delay, rows)
    if "scale" in a.only:
        scale_section(a.scale_sites, a.scale_max_pages, rows)
    if "report" in a.only:
        report_section(a.report_sites, rows)
    for section, setup, figures, verdict in rows:
        print(f"{section:<7} {setup}\n        {figures}\n        => {verdict}" if verdict else
              f"{section:<7} {setup}\n        {figures}")
    print(f"(benchmark wall time {time.perf_counter() - t:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
