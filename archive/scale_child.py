"""``python -m archive.scale_child PARENT_PID ARGS…``: ``hepza ARGS…`` in a process that dies with the
``hepza scale worker`` that started it.

A worker killed (kill -9, the OOM killer) must not leave its crawl running: its Redis lock expires and its
job goes back on the queue, so another worker may crawl the portal, and two crawls of one portal at once is
what the queue must never do. On Linux the kernel sends this process SIGKILL when its parent dies
(``PR_SET_PDEATHSIG``, kept across the exec below); the archive is left as after any killed crawl (sound;
the next run closes the dead run's row). Elsewhere the crawl simply runs on to its end.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1


def main(argv: list[str]) -> None:
    parent = int(argv[0])
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # the worker died before the line above: do not run at all
            sys.exit(130)
    os.execv(sys.executable, [sys.executable, "-m", "archive.cli", *argv[1:]])


if __name__ == "__main__":
    main(sys.argv[1:])
