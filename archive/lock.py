"""One crawl at a time per archive: a lock file holding the owner's pid.

A second run while one is active exits at once (code 75); a lock whose process is gone is stale and taken
over. The lock is created with O_EXCL so two starting runs cannot both win.
"""

from __future__ import annotations

import os
from pathlib import Path


class LockedError(Exception):
    """Another run holds the lock."""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class RunLock:
    """``with RunLock(db_path):`` — held for the whole run."""

    def __init__(self, db_path: str) -> None:
        self.path = Path(f"{db_path}.lock")

    def acquire(self) -> None:
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                owner = self._owner()
                if owner is not None and owner != os.getpid() and _alive(owner):
                    raise LockedError(f"another run (pid {owner}) holds {self.path}") from None
                self.path.unlink(missing_ok=True)  # stale: its process is gone
                continue
            with os.fdopen(fd, "w") as handle:
                handle.write(str(os.getpid()))
            return
        raise LockedError(f"could not take {self.path}")

    def _owner(self) -> int | None:
        try:
            return int(self.path.read_text().strip() or 0) or None
        except (OSError, ValueError):
            return None

    def release(self) -> None:
        if self._owner() == os.getpid():
            self.path.unlink(missing_ok=True)

    def __enter__(self) -> RunLock:
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()
