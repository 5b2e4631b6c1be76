"""A fast static server of the replica's pages, for the crawl-throughput benchmark (goal 3).

The issue measures crawlers "on loopback against a fast static server": the replica's own server
(``http.server``, rendering every page) costs more CPU per page than the crawlers it serves, so on two
cores it, not the crawler, would set the pace. This one answers from memory with asyncio, HTTP/1.1
keep-alive, in its own process (its own core): each path is rendered once by the replica
(``replica.app.handle``) on first request, then served as the same bytes (the replica's per-request
volatile parts, view counter and token, are frozen: a first full crawl does not care). Bound to 127.0.0.1.

    python -m bench.static_server --articles N      # prints "port NNNN" once listening
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from replica import Site, app

_REASONS = {200: "OK", 301: "Moved Permanently", 302: "Found", 304: "Not Modified", 404: "Not Found"}


class _Cache:
    def __init__(self, site: Site) -> None:
        self.site = site
        self.responses: dict[tuple[str, str], bytes] = {}

    def response(self, path: str, host: str) -> bytes:
        key = (path, host)
        cached = self.responses.get(key)
        if cached is None:
            status, headers, body = app.handle(self.site, "GET", path, {"host": host})
            lines = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Status')}"]
            lines += [f"{k}: {v}" for k, v in headers if k.lower() not in ("content-length", "connection")]
            lines += [f"Content-Length: {len(body)}", "Connection: keep-alive", "", ""]
            cached = self.responses[key] = "\r\n".join(lines).encode("latin-1") + body
        return cached


class _Protocol(asyncio.Protocol):
    def __init__(self, cache: _Cache) -> None:
        self.cache = cache
        self.buffer = b""

    def connection_made(self, transport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while b"\r\n\r\n" in self.buffer:
            head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
            lines = head.decode("latin-1").split("\r\n")
            parts = lines[0].split(" ")
            host = next(
                (ln.split(":", 1)[1].strip() for ln in lines[1:] if ln.lower().startswith("host:")), ""
            )
            path = parts[1] if len(parts) > 1 else "/"
            self.transport.write(self.cache.response(path, host))


async def _main(articles: int) -> None:
    cache = _Cache(Site(articles=articles, seed=0))
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: _Protocol(cache), "127.0.0.1", 0)
    print(f"port {server.sockets[0].getsockname()[1]}", flush=True)
    await asyncio.Event().wait()  # until killed


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, required=True)
    args = parser.parse_args(argv)
    try:
        asyncio.run(_main(args.articles))
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
