"""`python -m hostileweb CONFIG.yaml`: serve the hostile corner and write its sites.yaml until Ctrl-C."""
from __future__ import annotations

import sys
import time
from pathlib import Path

from .server import HostileWeb


def main(argv: list[str]) -> int:
    out = Path(argv[0] if argv else "hostile-sites.yaml")
    with HostileWeb() as web:
        out.write_text(web.config_yaml(), encoding="utf-8")
        print(f"config: {out}  canary port: {web.canary_port}", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
