"""bench/static_server.py for bench/farm.py, which also gives each request's arrival time.

The farm compares, request by request, when the crawler sent a request (bench/farm_probe.py) with when
its portal's server saw it arrive: ``GET /__bench/arrivals`` answers ``[[path, monotonic seconds], …]``
in arrival order (CLOCK_MONOTONIC is one clock for every process of the machine, so the two compare).
Everything else is bench/static_server.py's.

    python -m bench.farm_server --articles N --portal NAME      # prints "port NNNN" once listening
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys

from bench import static_server
from replica import Site


class _Protocol(static_server._Protocol):
    def _control(self, path: str) -> None:
        if path != "/__bench/arrivals":
            super()._control(path)
            return
        body = json.dumps(list(zip(self.cache.paths, self.cache.arrivals, strict=True))).encode()
        head = f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        self.transport.write(head.encode("latin-1") + body)
        self.transport.close()


async def _main(articles: int, portal: str) -> None:
    cache = static_server._Cache(Site(articles=articles, seed=0, portal=portal))
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: _Protocol(cache), "127.0.0.1", 0)
    print(f"port {server.sockets[0].getsockname()[1]}", flush=True)
    await asyncio.Event().wait()  # until killed


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, required=True)
    parser.add_argument("--portal", default="hepza")
    args = parser.parse_args(argv)
    try:
        asyncio.run(_main(args.articles, args.portal))
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
