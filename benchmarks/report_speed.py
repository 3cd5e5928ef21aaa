"""How long the weekly report takes: 35 sites (Pematangsiantar) and 2,000 synthetic sites.

The store holds 8 weeks of history (one run a week) and 7 nightly runs in the report week, like a
real deployment; status objects are synthetic but shaped as monitors store them.

    .venv/bin/python benchmarks/report_speed.py [--sites 35 2000] [--repeat 5]
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from base import config, store
from crawler.signals import checklist
from monitors.verdicts import verdict_row
from reports import weekly

AS_OF = date(2026, 11, 28)
STATUSES = ["active"] * 5 + ["stale"] * 2 + ["idle"] * 2 + ["down", "compromised"]


def status_obj(rnd: random.Random, sid: str, day: date, ids: list[str]) -> dict:
    """One plausible `status --json` object."""
    status = rnd.choice(STATUSES)
    days = rnd.choice([None, rnd.randint(0, 400)]) if status == "idle" else rnd.randint(0, 40)
    missing = rnd.sample(ids, rnd.randint(0, len(ids) // 2))
    return {"site": sid, "name": f"Dinas Uji {sid}", "url": f"https://{sid}.example.go.id/", "status": status,
            "reason": "timeout" if status == "down" else None, "as_of": day.isoformat(),
            "last_update": None if days is None else (day - timedelta(days=days)).isoformat(),
            "days_since_update": days, "last_update_url": f"https://{sid}.example.go.id/berita/{rnd.randint(1, 999)}",
            "last_update_title": "Sosialisasi layanan publik & rapat koordinasi <SPBE>", "posts_7d": 1,
            "posts_30d": 4, "posts_90d": 9, "completeness": rnd.randint(10, 100),
            "found": {i: f"https://{sid}.example.go.id/{i}" for i in ids if i not in missing}, "missing": missing,
            "documents": {"renstra": {"doc_url": f"https://{sid}.example.go.id/renstra.pdf", "year": 2019,
                                      "outdated": True}},
            "evidence": {}, "integrity": [{"kind": "hidden_links", "url": f"https://{sid}.example.go.id/",
                                           "evidence": "slot gacor maxwin"}] if status == "compromised" else [],
            "tls": None, "score": rnd.randint(0, 100), "pages": 120, "requests": 160, "truncated": False,
            "error": None, "home_status": 200, "home_final_url": None, "home_ttfb_ms": 80.0,
            "checked_at": f"{day.isoformat()}T18:40:00+00:00", "verified": True}


def build_store(d: Path, n: int) -> tuple[config.Config, object]:
    """A config of n sites and a store with their history."""
    lines = ["organization: Pemerintah Kota Uji", "sites:"]
    lines += [f"  - {{id: s{i:04d}, name: Dinas Uji {i}, url: 'https://s{i:04d}.example.go.id/'}}" for i in range(n)]
    (d / "sites.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    cfg = config.load(d / "sites.yaml")
    db = store.open_db(d / "r.db")
    ids = [i.id for i in checklist.load()]
    rnd = random.Random(n)
    days = [AS_OF - timedelta(weeks=w) for w in range(7, 0, -1)] + [AS_OF - timedelta(days=k) for k in range(5, -1, -1)]
    for day in days:
        run = store.start_run(db, day.isoformat(), [s.id for s in cfg.sites], os.getpid())
        with store.transaction(db):
            db["verdicts"].insert_all((verdict_row(run, status_obj(rnd, s.id, day, ids)) for s in cfg.sites),
                                      batch_size=500)
        store.finish_run(db, run)
    return cfg, db


def measure(n: int, repeat: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        t0 = time.perf_counter()
        cfg, db = build_store(d, n)
        setup = time.perf_counter() - t0
        weekly.write(db, cfg, d / "warm", weekly.iso_week(AS_OF).label, AS_OF)  # template compilation and YAML loading, once per process
        build_t, html_t, write_t = [], [], []
        for k in range(repeat):
            t = time.perf_counter()
            ctx = weekly.build(db, cfg, weekly.iso_week(AS_OF), AS_OF)
            build_t.append(time.perf_counter() - t)
            t = time.perf_counter()
            html = weekly.render_html(ctx)
            html_t.append(time.perf_counter() - t)
            t = time.perf_counter()
            paths = weekly.write(db, cfg, d / f"out{k}", weekly.iso_week(AS_OF).label, AS_OF)
            write_t.append(time.perf_counter() - t)
        size = paths["html"].stat().st_size
    return {"sites": n, "setup_s": setup, "build_ms": 1000 * statistics.median(build_t),
            "render_ms": 1000 * statistics.median(html_t), "write_ms": 1000 * statistics.median(write_t),
            "html_kb": size / 1024, "html_chars": len(html)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sites", type=int, nargs="+", default=[35, 2000])
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args(argv)
    print(f"{'sites':>6} {'build ms':>9} {'render ms':>10} {'write ms':>9} {'html KB':>8}   (medians of {a.repeat})")
    for n in a.sites:
        r = measure(n, a.repeat if n <= 100 else max(1, a.repeat // 2))
        print(f"{r['sites']:>6} {r['build_ms']:>9.1f} {r['render_ms']:>10.1f} {r['write_ms']:>9.1f} {r['html_kb']:>8.0f}",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
