"""Crawl child processes: started so that they die with their parent, their progress events read line by line."""
from __future__ import annotations

import ctypes
import os
import signal
import subprocess
from typing import Callable

from crawler.protocol import parse_event


def die_with_parent() -> None:
    """In the crawl child: get SIGKILL when the parent dies, so no orphan keeps writing a dead run."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:  # not Linux/glibc: the run is still marked abandoned at the next start
        pass


def start(cmd: list[str], quiet: bool = False) -> subprocess.Popen:
    """Start a child that dies with this process; its stdout is piped (events) unless `quiet`."""
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL if quiet else subprocess.PIPE, stderr=None, text=True,
                            preexec_fn=die_with_parent, env={**os.environ, "PYTHONUNBUFFERED": "1"})


def run(cmd: list[str], on_event: Callable[[dict], None] | None) -> int:
    """Run a child to its end, passing each progress event (a JSON object line of its stdout) on; its exit code."""
    child = start(cmd)
    for line in child.stdout:
        event = parse_event(line)
        if event is not None and on_event:
            on_event(event)
    return child.wait()
