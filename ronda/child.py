"""Crawl child processes: started so that they die with their parent, their progress events read line by line."""
from __future__ import annotations

import ctypes
import logging
import os
import signal
import subprocess
import threading
from typing import Callable

from base import logs
from crawler.protocol import QUIET_ENV, parse_event
from ronda import progress


def die_with_parent() -> None:
    """In the crawl child: get SIGKILL when the parent dies, so no orphan keeps writing a dead run."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:  # not Linux/glibc: the run is still marked abandoned at the next start
        pass


def start(cmd: list[str], quiet: bool = False) -> subprocess.Popen:
    """Start a child that dies with this process; its stdout is piped (events) unless `quiet`.

    The child logs to stderr as this process does (not at all with --quiet). While a progress line is on the
    terminal, the child's stderr comes through us, above that line.
    """
    env = {**os.environ, "PYTHONUNBUFFERED": "1", QUIET_ENV: "1" if _log_quiet() else "0"}
    relay = progress.active() is not None
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL if quiet else subprocess.PIPE,
                            stderr=subprocess.PIPE if relay else None, text=True,
                            preexec_fn=die_with_parent, env=env)
    if relay:
        threading.Thread(target=_relay, args=(proc.stderr,), name="child-stderr", daemon=True).start()
    return proc


def run(cmd: list[str], on_event: Callable[[dict], None] | None) -> int:
    """Run a child to its end, passing each progress event (a JSON object line of its stdout) on; its exit code."""
    child = start(cmd)
    for line in child.stdout:
        event = parse_event(line)
        if event is not None and on_event:
            on_event(event)
    return child.wait()


def _relay(stream) -> None:
    for line in stream:
        progress.echo(line)


def _log_quiet() -> bool:
    """Is our log kept off stderr (--quiet)? A process that never set its log up follows its parent's choice."""
    log = logs.get()
    if log.propagate:   # logs.setup() was never called here (a local worker of the coordinator)
        return os.environ.get(QUIET_ENV) == "1"
    return not any(type(h) is logging.StreamHandler for h in log.handlers)
