"""One job at a time per database: an advisory lock on `<db>.lock`, released when the process dies."""
from __future__ import annotations

import fcntl
import os
from pathlib import Path


class LockBusy(Exception):
    """Another ronda job holds the lock of this database."""


class LockUnavailable(Exception):
    """The lock file cannot be made (read-only or missing folder, no permission); the message says why in one line."""


class DbLock:
    """`with DbLock(db_path):` — flock(2) on `<db>.lock`; the kernel drops it if the holder is killed."""

    def __init__(self, db_path: str | Path):
        self.path = Path(str(db_path) + ".lock")
        self.fd: int | None = None

    def __enter__(self) -> "DbLock":
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as e:
            raise LockUnavailable(f"cannot make the lock file {self.path}: {e.strerror or e}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 64).decode(errors="replace").strip() or "?"
            os.close(fd)
            raise LockBusy(f"another ronda job is running on this database (pid {holder}, lock {self.path})") from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self.fd = fd
        return self

    def __exit__(self, *exc) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None
