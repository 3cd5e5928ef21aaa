"""One night over the hostile corner of the simulated web: per-scenario outcome and time, peak memory, wall time.

Run: .venv/bin/python benchmarks/hostile_night.py [--timeout 5] [--budget]
Prints a Markdown table (scenario, what the server did, what ronda did, verdict, seconds) for the closing note.
`--budget` adds a second night (slow, hanging and silent sites, `max_minutes: 0.5`, `timeout_s: 60`) to show
the time budget at work: only the budget can end that night in time.
Peak memory is the largest descendant's maximum RSS (getrusage RUSAGE_CHILDREN: the crawl subprocess).
"""
from __future__ import annotations

import argparse
import json
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from hostileweb.server import BY_ID, HostileWeb

AS_OF = "2026-11-28"


def night(only: list[str] | None, folder: Path, **crawl) -> dict:
    """Serve the scenarios, run the real CLI crawl on them, and collect verdicts, facts and hits."""
    with HostileWeb(only) as web:
        cfg = folder / "sites.yaml"
        cfg.write_text(web.config_yaml(**crawl), encoding="utf-8")
        db = folder / "r.db"
        base = ["--config", str(cfg), "--db", str(db), "--as-of", AS_OF]
        started = time.monotonic()
        r = subprocess.run([sys.executable, "-m", "ronda.cli", *base, "crawl", "--quiet"], capture_output=True, text=True)
        wall = time.monotonic() - started
        s = subprocess.run([sys.executable, "-m", "ronda.cli", *base, "status", "--json"], capture_output=True, text=True)
        hits = {sc.id: len(web.hits(sc.id)) for sc in web.scenarios}
        canary = len(web.hits("canary"))
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    runs = {r["site_id"]: dict(r) for r in con.execute("SELECT * FROM site_runs")}
    errors: dict[str, set[str]] = {}
    for p in con.execute("SELECT site_id, error, final_url FROM pages WHERE error IS NOT NULL"):
        errors.setdefault(p["site_id"], set()).add(p["error"].split(":", 1)[0])
    run = dict(con.execute("SELECT * FROM runs").fetchone())
    return {"code": r.returncode, "stderr": r.stderr, "wall": wall, "rows": json.loads(s.stdout or "[]"), "runs": runs,
            "errors": errors, "hits": hits, "canary": canary, "run": run,
            "crashes": r.stderr.count("Traceback") + r.stderr.count("Error processing")}


def _seconds(run: dict, site: dict) -> float:
    t0 = datetime.fromisoformat(run["started_at"]) if run.get("started_at") else None
    t1 = datetime.fromisoformat(site["finished_at"]) if site.get("finished_at") else None
    return (t1 - t0).total_seconds() if t0 and t1 else float("nan")


def table(result: dict) -> list[str]:
    """Markdown rows: one per scenario."""
    lines = ["| scenario | server | what ronda did | verdict | requests (server hits) | time (s) |",
             "|---|---|---|---|---|---|"]
    for v in result["rows"]:
        sc = BY_ID[v["site"]]
        site = result["runs"].get(v["site"], {})
        did = [f"pages {v['pages']}", f"requests {v['requests']}"]
        if v["truncated"]:
            did.append("truncated" + (" (out of time)" if (v.get("error") or "").startswith("out_of_time") else ""))
        errs = sorted(result["errors"].get(v["site"], ()))
        if errs:
            did.append("errors: " + ", ".join(errs))
        verdict = v["status"] + (f" / {v['reason']}" if v["reason"] else "")
        ok = "" if (v["status"] == "down") == (sc.expect_state == "down") and (sc.expect_reason in (None, v["reason"])) else " ⚠"
        lines.append(f"| {sc.id} | {sc.title} | {'; '.join(did)} | {verdict}{ok} | {v['requests']} ({result['hits'][v['site']]}) "
                     f"| {_seconds(result['run'], site):.0f} |")
    return lines


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--timeout", type=float, default=5)
    ap.add_argument("--budget", action="store_true", help="also run the time-budget night (about 30 s)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        res = night(None, Path(tmp), timeout_s=args.timeout, retries=0)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"hostile night: {len(res['rows'])} sites, exit code {res['code']}, wall {res['wall']:.1f} s, "
              f"crawl peak RSS {peak:.0f} MB, crashes {res['crashes']}, canary hits {res['canary']}, "
              f"verdicts {sum(1 for v in res['rows'] if v['status'])}/{len(res['rows'])}")
        print("\n".join(table(res)))
        if args.budget:
            d = Path(tmp) / "budget"
            d.mkdir()
            b = night(["lambat", "macet", "diam"], d, timeout_s=60, retries=0, max_minutes=0.5)
            print(f"\ntime-budget night (max_minutes 0.5 = 30 s, timeout_s 60): exit code {b['code']}, "
                  f"wall {b['wall']:.1f} s, crashes {b['crashes']}")
            print("\n".join(table(b)))
    print(f"\nserver process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0 if res["code"] == 0 and not res["crashes"] and not res["canary"] else 1


if __name__ == "__main__":
    sys.exit(main())
