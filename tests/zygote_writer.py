"""The archive writer of a crawl the test zygote forked (tests/zygote.py), started in its stead:
``python -S tests/zygote_writer.py ZYGOTE_SOCKET CRAWLER_PID``.

A crawl starts its writer as ``python -m archive.writer_start``, whose imports (the cleaners, lxml, the
archive) cost about 0.2 s of CPU before it writes anything: some 370 writers a test run. The zygote has
imported all that already. So this process, which imports only the standard library (no site packages:
``-S``), asks the zygote to fork the writer on this process's own stdin, stdout and stderr (the crawl's
pipes and its stderr file), then stands for it: it ends when the writer ends, with the writer's status or
its signal. The writer is a real process of its own, running the real writer on the same pipes.

Dying with the crawl, as ``archive.writer_start`` does: the kernel kills this process when the crawl dies,
and the zygote kills the writer when this process's connection to it closes. Like the writer, it ignores
the SIGINT and SIGTERM sent to the crawl's process group (the crawl ends its runs, then the writer's input).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sys

_PR_SET_PDEATHSIG = 1


def _die_with(crawler_pid: int) -> None:
    import ctypes

    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass  # (the writer still stops at the end of its input)
    if os.getppid() != crawler_pid:
        os._exit(0)


def main() -> None:
    socket_path, crawler_pid = sys.argv[1], int(sys.argv[2])
    _die_with(crawler_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    conn.connect(socket_path)
    request = {"kind": "writer", "env": dict(os.environ), "cwd": os.getcwd()}
    socket.send_fds(conn, [json.dumps(request).encode()], [0, 1, 2])
    # Only the writer holds the crawl's pipes now: its end is their end.
    os.close(0)
    os.close(1)
    json.loads(conn.recv(4096))  # {"pid": …}: forked
    answer = conn.recv(4096)
    if not answer:  # the zygote is gone, and its children with it
        os._exit(70)
    status = json.loads(answer)["returncode"]
    if status < 0:
        signal.signal(-status, signal.SIG_DFL)
        os.kill(os.getpid(), -status)
    os._exit(status)


if __name__ == "__main__":
    main()
