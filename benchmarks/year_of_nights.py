"""A simulated year of nightly runs written through the store's own API: how big does the database get?

Per-page facts are copied from a real crawl of the simulated web (a database made by `ronda demo`,
or a fresh one-night crawl when none is given), re-dated night by night; each night also gets its
site records and verdicts; retention runs every night (VACUUM on the report weekday) exactly as
`ronda run` does. Prints the database size over the year.

    python benchmarks/year_of_nights.py [--from DEMO_DB] [--nights 365] [--pages-days 30]
"""
from __future__ import annotations

import argparse
import os
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from base import config as ronda_config
from base import store
from ronda import retention


def template(db_path: Path) -> tuple[list[dict], list[dict], list[dict]]:
    """The last finished run's pages, site records and verdicts of a real crawl."""
    db = store.open_db(db_path)
    run = next(db.query("SELECT id FROM runs WHERE state='finished' ORDER BY id DESC LIMIT 1"))["id"]
    pages = [dict(r) for r in db.query("SELECT * FROM pages WHERE run_id = ?", [run])]
    sites = [dict(r) for r in db.query("SELECT * FROM site_runs WHERE run_id = ?", [run])]
    verdicts = [dict(r) for r in db.query("SELECT * FROM verdicts WHERE run_id = ?", [run])]
    db.conn.close()
    return pages, sites, verdicts


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--from", dest="source", type=Path, help="a ronda database with at least one finished run")
    ap.add_argument("--nights", type=int, default=365)
    ap.add_argument("--pages-days", type=int, default=ronda_config.Retention().pages_days)
    args = ap.parse_args()
    if args.source is None:
        from ronda import demo

        folder = Path(tempfile.mkdtemp(prefix="ronda-year-"))
        print(f"no --from: crawling the simulated web once into {folder}")
        demo.run(as_of=date(2026, 11, 28), folder=folder)
        args.source = folder / "ronda.db"
    pages, sites, verdicts = template(args.source)
    out = Path(tempfile.mkdtemp(prefix="ronda-year-")) / "year.db"
    cfg = ronda_config.parse(f"retention: {{pages_days: {args.pages_days}}}\nsites: [{{id: x, name: X, url: 'http://x.go.id/'}}]",
                             path=out.with_name("sites.yaml"))
    first = date(2026, 1, 1)
    started = time.monotonic()
    print(f"{len(sites)} sites, {len(pages)} page facts a night, retention {args.pages_days} days")
    print(f"{'night':>6} {'as_of':>11} {'db MB':>8} {'pages rows':>11}")
    for n in range(args.nights):
        as_of = first + timedelta(days=n)
        db = store.open_db(out)
        run = store.start_run(db, as_of.isoformat(), [s["site_id"] for s in sites], os.getpid())
        with store.transaction(db):
            db["pages"].insert_all(({**p, "id": None, "run_id": run} for p in pages), batch_size=500)
            db["site_runs"].insert_all({**s, "run_id": run} for s in sites)
            db["verdicts"].insert_all({**v, "run_id": run, "as_of": as_of.isoformat()} for v in verdicts)
        store.finish_run(db, run)
        db.conn.close()
        retention.prune(cfg, out, as_of, vacuum=as_of.weekday() == 0)
        if n % 30 == 0 or n == args.nights - 1:
            db = store.open_db(out)
            rows = db.execute("SELECT count(*) FROM pages").fetchone()[0]
            db.conn.close()
            size = sum(p.stat().st_size for p in out.parent.glob("year.db*")) / 1e6
            print(f"{n + 1:>6} {as_of.isoformat():>11} {size:>8.1f} {rows:>11}")
    print(f"wall {time.monotonic() - started:.0f} s; database {out}")


if __name__ == "__main__":
    main()
