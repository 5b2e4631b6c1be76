"""One writing run at a time per archive: an advisory lock (``flock``) on ``<real db path>.lock``.

A second run while one is active exits at once (code 75). The kernel holds the lock for the open file, so
a holder that dies (killed, crashed) releases it by itself: no stale lock, and no PID that another process
may later reuse. The lock is named after the archive's real path, so a symlink or another spelling of the
path reaches the same lock. The file holds the holder's pid, for the message only.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path


class LockedError(Exception):
    """Another run holds the lock."""


# Locks this process holds, by lock file: `hepza crawl` takes the lock, and its pipeline takes it again.
_HELD: dict[str, list] = {}


def lock_path(db_path: str) -> Path:
    return Path(f"{os.path.realpath(db_path)}.lock")


class RunLock:
    """``with RunLock(db_path):`` — held for the whole run."""

    def __init__(self, db_path: str) -> None:
        self.path = lock_path(db_path)
        self._taken = False

    def acquire(self) -> None:
        key = str(self.path)
        if key in _HELD:
            _HELD[key][1] += 1
            self._taken = True
            return
        for _ in range(3):
            fd = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                owner = os.read(fd, 32).decode("ascii", "replace").strip()
                os.close(fd)
                raise LockedError(f"another run (pid {owner or '?'}) holds {self.path}") from None
            # The holder before us may have removed the file between our open and our lock: lock the file
            # that is at the path now, or two runs would hold locks on two different files.
            try:
                same = os.stat(self.path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if not same:
                os.close(fd)
                continue
            os.ftruncate(fd, 0)
            os.write(fd, str(os.getpid()).encode())
            _HELD[key] = [fd, 1]
            self._taken = True
            return
        raise LockedError(f"could not take {self.path}")

    def release(self) -> None:
        if not self._taken:
            return
        self._taken = False
        key = str(self.path)
        held = _HELD.get(key)
        if held is None:
            return
        held[1] -= 1
        if held[1] == 0:
            del _HELD[key]
            self.path.unlink(missing_ok=True)  # while still locked, so no one locks the removed file
            os.close(held[0])

    def __enter__(self) -> RunLock:
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()
