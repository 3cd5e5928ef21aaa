"""`python -m simweb --as-of YYYY-MM-DD ...`: serve the simulated web until a signal (or its control pipe closes)."""
from __future__ import annotations

import argparse
import json
import os
import signal
import stat
import sys
import threading
from datetime import date
from pathlib import Path
from typing import Any

from .server import SimWeb


def _write(path: str | None, text: str) -> None:
    """Write atomically (readers never see half a file)."""
    if not path:
        return
    target = Path(path)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, target)


def main(argv: list[str] | None = None) -> int:
    """Parse, start, announce `ready {...}`, then obey `today YYYY-MM-DD` lines on stdin."""
    ap = argparse.ArgumentParser(prog="python -m simweb", description="Serve the simulated OPD web.")
    ap.add_argument("--as-of", required=True, type=date.fromisoformat, metavar="YYYY-MM-DD",
                    help="the simulated web's today: posts, clocks and outages are drawn up to this day")
    ap.add_argument("--seed", type=int, default=0, help="which simulated city (same seed, same web; default 0)")
    ap.add_argument("--sites", type=int, default=35, help="how many sites, each on its own port (default 35)")
    ap.add_argument("--base", type=date.fromisoformat, default=None, metavar="YYYY-MM-DD",
                    help="the day the sites' history is drawn from (default: --as-of)")
    ap.add_argument("--host", default="127.0.0.1", help="address to serve on (default 127.0.0.1)")
    ap.add_argument("--port", type=int, default=0, metavar="N",
                    help="the first site's port, the others on N+1, N+2 ... (default: free ports, new at each start)")
    ap.add_argument("--write-config", default=None, metavar="FILE", help="write a sites.yaml for these sites")
    ap.add_argument("--write-truth", default=None, metavar="FILE",
                    help="write the ground truth (what a correct monitor concludes) as JSON, kept current")
    ap.add_argument("--domain", default=None, help="also name the sites <id>.DOMAIN and serve a portal and "
                    "unwatched subdomains by Host header (the written config maps the names in resolve:)")
    ap.add_argument("--write-ct", default=None, metavar="FILE", help="with --domain: write a crt.sh-style CT export")
    args = ap.parse_args(argv)

    if args.port and not 0 < args.port <= 65536 - args.sites:
        ap.error(f"--port must leave room for {args.sites} consecutive ports (1 to {65536 - args.sites})")
    web = SimWeb(args.as_of, seed=args.seed, n_sites=args.sites, base=args.base, host=args.host, port=args.port,
                 domain=args.domain)
    try:
        web.start()
    except OSError as e:   # a port taken, an address not ours
        web.stop()
        ports = f"ports {args.port}-{args.port + args.sites - 1}" if args.port else "free ports"
        print(f"Error: cannot serve the simulated web on {args.host} ({ports}): {e.strerror or e}", file=sys.stderr)
        return 1
    done = threading.Event()

    def _on_signal(signum: int, frame: Any) -> None:
        done.set()

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    _write(args.write_config, web.config_yaml())
    _write(args.write_truth, json.dumps(web.truth(), ensure_ascii=False, indent=1))
    _write(args.write_ct if web.named else None, web.named.ct_json() if web.named else "")
    sites = [{"id": s.id, "name": s.name, "url": s.url, "category": s.category, "cms": s.cms} for s in web.sites]
    print("ready " + json.dumps({"sites": sites, "as_of": web.today.isoformat(), "base": web.base.isoformat()},
                                ensure_ascii=False), flush=True)

    def _read_stdin() -> None:
        for line in sys.stdin:
            parts = line.split()
            if len(parts) == 2 and parts[0] == "today":
                try:
                    d = date.fromisoformat(parts[1])
                except ValueError:
                    print(f"error bad date {parts[1]!r}", flush=True)
                    continue
                web.set_today(d)
                _write(args.write_truth, json.dumps(web.truth(), ensure_ascii=False, indent=1))
                print("ok", flush=True)
            elif parts:
                print(f"error unknown command {parts[0]!r}", flush=True)
        # A closed control pipe means its owner is gone; /dev/null (`nohup ... </dev/null &`) means nobody
        # will ever write, so keep serving until a signal.
        if stat.S_ISFIFO(os.fstat(sys.stdin.fileno()).st_mode):
            done.set()

    threading.Thread(target=_read_stdin, name="simweb-stdin", daemon=True).start()
    while not done.wait(0.5):
        pass
    web.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
