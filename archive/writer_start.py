"""The archive writer's process entry: ``python -m archive.writer_start PARENT_PID``.

The writer must never outlive the crawler that started it (archive/writer.py says why), so the first thing
its process does is ask the kernel to kill it when its parent dies. Importing the writer (the cleaners,
lxml, the archive) takes half a second on an idle machine and several on a loaded one; a crawler killed in
that time would leave a writer behind if the request came after the imports. So this module imports only
the standard library, makes the request, and then imports the writer.
"""

from __future__ import annotations

import os
import signal
import sys

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int) -> None:
    """Be killed by the kernel when the crawler dies, however it dies (kill -9 included)."""
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass  # the end of the writer's input still stops it, a moment later
    if os.getppid() != parent_pid:  # the parent died before the request took effect
        os._exit(0)


def main() -> int:
    die_with_parent(int(sys.argv[1]))
    from archive.writer import main as writer_main

    return writer_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
