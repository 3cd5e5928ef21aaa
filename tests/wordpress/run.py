"""Stand-alone: start the seeded WordPress sites, crawl them with ronda, print setup/crawl times and verdicts."""
# Usage: .venv/bin/python tests/wordpress/run.py [--keep]   (--keep: leave the sites up until Ctrl-C)
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from wordpress import sites, wp  # noqa: E402


def main() -> int:
    as_of = datetime.now(ZoneInfo("Asia/Jakarta")).date()
    root = Path(tempfile.mkdtemp(prefix="ronda-wp-"))
    with wp.WordPressWeb(root, sites.specs(as_of)) as web:
        cfg, db = root / "sites.yaml", root / "ronda.db"
        cfg.write_text(web.config_yaml())
        base = [sys.executable, "-m", "ronda.cli", "--config", str(cfg), "--db", str(db), "--as-of", as_of.isoformat()]
        t0 = time.monotonic()
        r = subprocess.run([*base, "crawl"], capture_output=True, text=True)
        crawl_s = time.monotonic() - t0
        if r.returncode != 0:
            print(r.stderr, file=sys.stderr)
            return 1
        verdicts = json.loads(subprocess.run([*base, "status", "--json"], capture_output=True, text=True, check=True).stdout)
        print(json.dumps({"as_of": as_of.isoformat(), "setup_s": {k: round(v, 1) for k, v in web.timings.items()},
                          "crawl_s": round(crawl_s, 1), "folder": str(root)}, indent=1))
        for v in verdicts:
            print(f"{v['site']}: {v['status']} last_update={v['last_update']} ({v['last_update_url']}) "
                  f"completeness={v['completeness']} pages={v['pages']} requests={v['requests']}\n"
                  f"  found={sorted(v['found'])}\n  integrity={[f['kind'] for f in v['integrity']]}")
        if "--keep" in sys.argv:
            print("sites: " + " ".join(s.url for s in web.sites.values()) + "  (Ctrl-C stops them)")
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
