"""How long deciding and delivering alerts takes over a long verdict history (S sites x N nights, outbox transport).

Verdicts carry a realistic JSON payload (evidence URLs, documents: about 4 KB, like a crawled site's).
Run: .venv/bin/python benchmarks/alerts_speed.py [nights] [sites]
"""
from __future__ import annotations

import random
import resource
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from base import config, store
from monitors import alerts
from monitors.verdicts import verdict_row


def main(nights: int = 365, sites: int = 35) -> None:
    rnd = random.Random(7)
    tmp = Path(tempfile.mkdtemp(prefix="ronda-alerts-bench-"))
    lines = ["mail: {diskominfo: [kominfo@kota.example.go.id]}", "sites:"]
    lines += [f"  - {{id: s{i}, name: Dinas {i}, url: 'https://s{i}.example.go.id/', head: {{email: k{i}@example.go.id}}}}"
              for i in range(sites)]
    (tmp / "sites.yaml").write_text("\n".join(lines), encoding="utf-8")
    cfg = config.load(tmp / "sites.yaml")
    db_path = tmp / "ronda.db"
    db = store.open_db(db_path)
    start = date(2026, 1, 1)
    last = {i: start for i in range(sites)}
    t0 = time.perf_counter()
    days = [start + timedelta(days=n) for n in range(nights)]
    for day in days:
        with store.transaction(db):
            run = db["runs"].insert({"as_of": day.isoformat(), "state": "finished", "started_at": store.utcnow()}).last_pk
            for i in range(sites):
                if rnd.random() < 0.15:
                    last[i] = day
                down = rnd.random() < 0.03
                age = (day - last[i]).days
                status = "down" if down else "idle" if age > 30 else "stale" if age > 14 else "active"
                comp = 70 - (15 if rnd.random() < 0.01 else 0)
                data = {"site": f"s{i}", "status": status, "reason": "timeout" if down else None, "as_of": day.isoformat(),
                        "last_update": last[i].isoformat(), "days_since_update": age, "completeness": comp,
                        "found": {"profil": "https://x/profil"}, "missing": ["ppid", "lhkpn"], "integrity": [],
                        "tls": {"https": True, "findings": []}, "last_update_url": "https://x/berita/1",
                        "last_update_title": "Berita",
                        "evidence": {f"item{k}": f"https://s{i}.example.go.id/halaman/{k}/bukti-{k}" for k in range(30)},
                        "documents": {f"item{k}": [{"url": f"https://s{i}.example.go.id/unduh/{k}.pdf", "year": 2026}]
                                      for k in range(15)}}
                db["verdicts"].insert(verdict_row(run, data))
    print(f"history: {sites} sites x {nights} nights stored in {time.perf_counter() - t0:.1f} s")
    size = sum(p.stat().st_size for p in tmp.glob("ronda.db*"))
    print(f"database {size / 2**20:.0f} MB")
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    plan = alerts.decide(db, cfg, days[-1])
    cold = time.perf_counter() - t0
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss0) / 1024
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        alerts.decide(db, cfg, days[-1])
        times.append(time.perf_counter() - t0)
    times.sort()
    print(f"decide (night {nights}, {len(plan)} alerts): first call {cold * 1000:.0f} ms, median {times[2] * 1000:.0f} ms; "
          f"peak memory grew {grown:.0f} MB during the first call")
    # a whole month of nightly deliveries at the end of the history, into the outbox
    t0 = time.perf_counter()
    sent = 0
    for day in days[-30:]:
        sent += alerts.deliver(db, cfg, day, db_path, env={}).sent
    per = (time.perf_counter() - t0) / 30
    print(f"deliver (outbox), last 30 nights: {sent} e-mails, {per * 1000:.0f} ms per night")


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("nights", type=int, nargs="?", help="nights of verdict history (default 365)")
    ap.add_argument("sites", type=int, nargs="?", help="sites (default 35)")
    a = ap.parse_args()
    main(*(n for n in (a.nights, a.sites) if n is not None))
