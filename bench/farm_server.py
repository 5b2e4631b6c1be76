"""bench/static_server.py for bench/farm.py, which also gives each request's arrival time.

The farm compares, request by request, when the crawler sent a request (bench/farm_probe.py) with when
its portal's server saw it arrive: ``GET /__bench/arrivals`` answers ``[[path, monotonic seconds], …]``
in arrival order (CLOCK_MONOTONIC is one clock for every process of the machine, so the two compare).
Everything else is bench/static_server.py's.

    python -m bench.farm_server --articles N --portal NAME      # prints "port NNNN" once listening
"""

from __future__ import annotations

import json

from bench import static_server


class _Protocol(static_server._Protocol):
    def _control(self, path: str) -> None:
        if path != "/__bench/arrivals":
            super()._control(path)
            return
        body = json.dumps(list(zip(self.cache.paths, self.cache.arrivals, strict=True))).encode()
        head = f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        self.transport.write(head.encode("latin-1") + body)
        self.transport.close()


def main(argv: list[str] | None = None) -> None:
    static_server.main(argv, protocol=_Protocol, doc=__doc__)


if __name__ == "__main__":
    main()
