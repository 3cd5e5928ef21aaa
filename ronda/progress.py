"""A per-site progress line for interactive crawls; silent under cron (stderr not a terminal) and with --quiet.

The line says the sites done of the total and the slowest site now: of the sites still being crawled, the one
that started longest ago, with its time so far. It is redrawn every second, so that time keeps counting between
events. Log lines written meanwhile (ours, and the crawl process's stderr passed through `echo`) go above it.
"""
from __future__ import annotations

import logging
import os
import sys
import threading
import time

from base import logs
from base.safe import terminal

_active: "Progress | None" = None   # the line on screen now, if any (log lines must clear it first)


class Progress:
    """`sites done/total · slowest now: SITE (TIME)` on stderr, one line rewritten in place."""

    REDRAW_S = 1.0

    def __init__(self, enabled: bool, stream=None):
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.done = 0
        self.total: int | None = None
        self.running: dict[str, float] = {}   # site id -> monotonic time its crawl began
        self.shown = False
        self.lock = threading.RLock()
        self.stop = threading.Event()
        self.handlers: list[tuple[logging.StreamHandler, object]] = []

    def __enter__(self) -> "Progress":
        global _active
        if self.enabled:
            _active = self
            # Our own log lines go through the line too, so they never land in the middle of it.
            for h in logs.get().handlers:
                if type(h) is logging.StreamHandler and h.stream is self.stream:
                    self.handlers.append((h, h.setStream(_Above(self))))
            threading.Thread(target=self._tick, name="progress", daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        global _active
        self.stop.set()
        with self.lock:
            if _active is self:
                _active = None
            for h, stream in self.handlers:
                h.setStream(stream)
            if self.shown:
                self.stream.write("\n")
                self.stream.flush()

    def update(self, event: dict) -> None:
        """Take one progress event of the crawl (`site_start`, `site`) and redraw."""
        kind, site = event.get("event"), str(event.get("site", ""))
        if kind not in ("site", "site_start"):
            return
        with self.lock:
            if isinstance(event.get("total"), int):
                self.total = event["total"]
            if kind == "site_start":
                self.running.setdefault(site, time.monotonic())
            else:
                self.running.pop(site, None)
                self.done = event["done"] if isinstance(event.get("done"), int) else self.done + 1
            if self.enabled:
                self._draw()

    def line(self) -> str:
        """The progress line as it is now."""
        with self.lock:
            text = f"{self.done}/{self.total} sites done" if self.total else f"{self.done} sites done"
            if self.running:
                site, began = min(self.running.items(), key=lambda kv: kv[1])
                text += f" · {len(self.running)} crawling · slowest now: {terminal(site)} ({_duration(time.monotonic() - began)})"
            return text

    def write_above(self, text: str) -> None:
        """Write `text` (whole lines) above the progress line, then put the line back."""
        with self.lock:
            if self.shown:
                self.stream.write("\r\x1b[K")
            self.stream.write(text)
            self.stream.flush()
            if self.shown:
                self._draw()

    def _draw(self) -> None:
        # The width of the terminal stderr is on (stdout may be a pipe): a longer line would wrap. 0: not known.
        columns = os.get_terminal_size(self.stream.fileno()).columns if self.stream.isatty() else 0
        width = columns - 1 if columns > 1 else 99
        self.stream.write("\r\x1b[K" + self.line()[:width])
        self.stream.flush()
        self.shown = True

    def _tick(self) -> None:
        while not self.stop.wait(self.REDRAW_S):
            with self.lock:
                if self.running and not self.stop.is_set():
                    self._draw()


class _Above:
    """A stream for log handlers: each write goes above the progress line."""

    def __init__(self, bar: Progress):
        self.bar = bar

    def write(self, text: str) -> None:
        self.bar.write_above(text)

    def flush(self) -> None:
        self.bar.stream.flush()


def active() -> Progress | None:
    """The progress line on screen now, if any."""
    return _active


def echo(text: str) -> None:
    """A line of a crawl process's stderr, passed to ours above the progress line if there is one."""
    bar = _active
    if bar is not None:
        bar.write_above(text)
    else:
        sys.stderr.write(text)
        sys.stderr.flush()


def _duration(seconds: float) -> str:
    """`48 s`, `3 min 05 s`."""
    s = int(seconds)
    return f"{s} s" if s < 60 else f"{s // 60} min {s % 60:02d} s"
