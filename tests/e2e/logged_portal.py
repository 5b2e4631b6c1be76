"""A replica portal served in a process of its own, logging every request's start and end and every
connection's opening and closing: a crawler's politeness measured on a server no other server (nor the
test) shares a GIL with.

``python -m tests.e2e.logged_portal PORTAL`` prints the portal's URL on a line, serves until its stdin
closes, then prints its logs as one JSON object: ``requests`` ``[start, end, target]``, ``connections``
``[opened, closed]`` (closed null for one still open).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from replica import Site, serve
from tests.hepza_cli import ROOT


@dataclass
class LoggedPortal:
    """A portal's URL while it runs; its request log once it has stopped."""

    url: str
    log: list[tuple[float, float, str]] = field(default_factory=list)
    connections: list[tuple[float, float | None]] = field(default_factory=list)


@contextmanager
def logged_portal(portal: str) -> Iterator[LoggedPortal]:
    """Serve ``portal`` in its own process for the ``with`` block; its ``log`` is filled when it ends."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.e2e.logged_portal", portal],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        running = LoggedPortal(process.stdout.readline().strip())
        assert running.url.startswith("http://127.0.0.1:"), running.url
        yield running
        process.stdin.close()
        logs = json.loads(process.stdout.read())
        running.log = [(start, end, target) for start, end, target in logs["requests"]]
        running.connections = [(opened, closed) for opened, closed in logs["connections"]]
    except BaseException:
        process.kill()
        raise
    finally:
        process.wait(timeout=10)


def main() -> None:
    with serve(Site(portal=sys.argv[1])) as server:
        server.request_log, server.connection_log = [], []
        print(server.url, flush=True)
        sys.stdin.read()  # until the test closes it
        with server.stats_lock:
            logs = {"requests": server.request_log, "connections": server.connection_log}
            text = json.dumps(logs)
    print(text, flush=True)


if __name__ == "__main__":
    main()
