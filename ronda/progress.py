"""A per-site progress line for interactive crawls; silent under cron (stderr not a terminal)."""
from __future__ import annotations

import sys
import time


class Progress:
    """Shows `sites done/total`, the last site and an ETA on stderr, rewriting one line."""

    def __init__(self, enabled: bool, stream=None):
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        self.shown = False

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()

    def update(self, event: dict) -> None:
        if not self.enabled or event.get("event") != "site":
            return
        done, total = event.get("done", 0), max(event.get("total", 1), 1)
        elapsed = time.monotonic() - self.started
        eta = elapsed / done * (total - done) if done else 0
        width = 24
        filled = int(width * done / total)
        bar = "#" * filled + "." * (width - filled)
        site = str(event.get("site", ""))[:20]
        self.stream.write(f"\r[{bar}] {done}/{total} sites  ETA {eta:4.0f} s  {site:<20}")
        self.stream.flush()
        self.shown = True
