"""Structured log lines (`time level run=.. site=.. message`) to stderr and optionally a file."""
from __future__ import annotations

import logging
import sys

from base.safe import terminal

LOGGER = "ronda"


class _Formatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        fields = " ".join(f"{k}={terminal(v)}" for k in ("run", "stage", "site") if (v := getattr(record, k, None)) is not None)
        msg = terminal(record.getMessage())
        return f"{self.formatTime(record, '%Y-%m-%dT%H:%M:%S')} {record.levelname.lower():<7} {fields + ' ' if fields else ''}{msg}"


def setup(level: str = "info", file: str | None = None, quiet: bool = False) -> logging.Logger:
    """Configure the `ronda` logger once per process (stderr unless quiet, plus an optional file)."""
    log = logging.getLogger(LOGGER)
    log.handlers.clear()
    log.setLevel(level.upper())
    log.propagate = False
    if not quiet:
        h = logging.StreamHandler(sys.stderr)
        h.setFormatter(_Formatter())
        log.addHandler(h)
    if file:
        fh = logging.FileHandler(file, encoding="utf-8")
        fh.setFormatter(_Formatter())
        log.addHandler(fh)
    return log


def get() -> logging.Logger:
    return logging.getLogger(LOGGER)
