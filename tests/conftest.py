"""Shared fixtures: a simulated OPD web per test module, and a helper to run the real CLI."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

AS_OF = date(2026, 11, 28)


def in_ci() -> bool:
    """Are we in CI? `.ci/run` exports CI=true; every test that asks reads it through here."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def unavailable(reason: str) -> None:
    """A machine part a test needs (root, a Debian package) is missing: a failure in CI, a skip elsewhere."""
    if in_ci():
        pytest.fail(f"{reason} (CI must have it: scripts/system-deps installs it)", pytrace=False)
    pytest.skip(reason)


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run `ronda ARGS...` in a real subprocess, as an operator would."""
    return subprocess.run([sys.executable, "-m", "ronda.cli", *args], capture_output=True, text=True,
                          cwd=cwd, env={**os.environ, **(env or {})}, timeout=timeout)


def wait_for(predicate, timeout: float = 60, step: float = 0.1):
    """Poll until `predicate()` is truthy and return its value; fail after `timeout` seconds."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout} s waiting for {predicate.__doc__ or predicate}")


def readable_copy(db: Path, folder: Path) -> Path:
    """A copy of a database with its WAL, opened apart from the (possibly failed) process that wrote it."""
    import shutil

    copy = folder / f"copy-of-{db.name}"
    for suffix in ("", "-wal", "-shm"):
        if Path(str(db) + suffix).exists():
            shutil.copy(str(db) + suffix, str(copy) + suffix)
    return copy


def status_json(config: Path, db: Path, as_of: date = AS_OF) -> list[dict]:
    r = run_cli("--config", str(config), "--db", str(db), "--as-of", as_of.isoformat(), "status", "--json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def redis_server() -> Iterator[str]:
    """A private redis-server on a free 127.0.0.1 port (no persistence); yields its URL, stops it after."""
    exe = shutil.which("redis-server")
    if exe is None:
        unavailable("redis-server is not installed (Debian package redis-server; scripts/system-deps installs it)")
    port = free_port()
    proc = subprocess.Popen([exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        def listening() -> bool:
            assert proc.poll() is None, f"redis-server exited with code {proc.returncode}"
            with socket.socket() as c:
                return c.connect_ex(("127.0.0.1", port)) == 0
        wait_for(listening, timeout=10, step=0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def small_tmpfs(tmp_path):
    """`small_tmpfs("400k")` mounts a tmpfs of that size (a disk a database can fill) and returns its path."""
    mounts = []

    def mount(size: str) -> Path:
        mnt = tmp_path / f"tmpfs{len(mounts)}"
        mnt.mkdir()
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mnt)],
                           capture_output=True, text=True)
        if r.returncode != 0:
            unavailable(f"cannot mount a small tmpfs here (the test needs root): {r.stderr.strip()}")
        mounts.append(mnt)
        return mnt

    yield mount
    for mnt in mounts:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


@pytest.fixture(scope="module")
def simweb():
    """The default 35-site simulated web, served for one test module (fresh state per module)."""
    from simweb.server import SimWeb

    with SimWeb(as_of=AS_OF, seed=0) as web:
        yield web
