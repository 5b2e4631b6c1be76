"""A fast static server of the replica's pages, for the crawl-throughput benchmark (goal 3).

The issue measures crawlers "on loopback against a fast static server": the replica's own server
(``http.server``, rendering every page) costs more CPU per page than the crawlers it serves, so on two
cores it, not the crawler, would set the pace. This one answers from memory with asyncio, HTTP/1.1
keep-alive, in its own process (its own core): each path is rendered once by the replica
(``replica.app.handle``) on first request, then served as the same bytes (the replica's per-request
volatile parts, view counter and token, are frozen: a first full crawl does not care). Bound to 127.0.0.1.
It also answers as an HTTP proxy would (``GET http://host/path``), so a crawler that insists on a
name without a port (bench/peers.py's peers) reaches it through ``http_proxy``. It counts the requests it
answers: ``GET /__bench/requests`` gives the count so far (that request not
counted), so a benchmark reads each crawler's requests off the server, not off the crawler's own stats.

    python -m bench.static_server --articles N      # prints "port NNNN" once listening
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time

from replica import Site, app

_REASONS = {200: "OK", 301: "Moved Permanently", 302: "Found", 304: "Not Modified", 404: "Not Found"}


class _Cache:
    def __init__(self, site: Site) -> None:
        self.site = site
        self.responses: dict[tuple[str, str], bytes] = {}
        self.reset()

    def reset(self) -> None:
        self.requests = 0
        self.paths: list[str] = []
        self.arrivals: list[float] = []
        self.open_connections = 0
        self.most_connections = 0

    def politeness(self) -> dict:
        gaps = [b - a for a, b in zip(self.arrivals, self.arrivals[1:], strict=False)]
        return {
            "requests": self.requests,
            "paths": self.paths,
            "most_connections": self.most_connections,
            "min_gap_s": min(gaps) if gaps else None,
        }

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
        self.counted = False  # (a connection counts as open once it brought a request, not a control one)

    def connection_lost(self, exc) -> None:
        if self.counted:
            self.cache.open_connections -= 1

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
            if path.startswith("http://"):  # a request sent to it as a proxy: the target in absolute form
                host, _, rest = path[len("http://") :].partition("/")
                path = "/" + rest
            if path.startswith("/__bench/"):
                self._control(path)
                continue
            if not self.counted:
                self.counted = True
                self.cache.open_connections += 1
                self.cache.most_connections = max(self.cache.most_connections, self.cache.open_connections)
            self.cache.requests += 1
            self.cache.paths.append(path)
            self.cache.arrivals.append(time.monotonic())
            self.transport.write(self.cache.response(path, host))

    def _control(self, path: str) -> None:
        if path == "/__bench/requests":
            body = str(self.cache.requests).encode()
        elif path == "/__bench/politeness":
            body = json.dumps(self.cache.politeness()).encode()
        elif path == "/__bench/reset":
            self.cache.reset()
            body = b"reset"
        else:
            body = b"unknown"
        head = f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        self.transport.write(head.encode("latin-1") + body)
        self.transport.close()


async def _main(articles: int, portal: str, protocol: type[_Protocol]) -> None:
    cache = _Cache(Site(articles=articles, seed=0, portal=portal))
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: protocol(cache), "127.0.0.1", 0)
    print(f"port {server.sockets[0].getsockname()[1]}", flush=True)
    await asyncio.Event().wait()  # until killed


def main(
    argv: list[str] | None = None, protocol: type[_Protocol] = _Protocol, doc: str | None = None
) -> None:
    """Serve until killed; ``protocol`` answers the requests (bench/farm_server.py adds to it)."""
    parser = argparse.ArgumentParser(description=(doc or __doc__ or "").splitlines()[0])
    parser.add_argument("--articles", type=int, required=True)
    parser.add_argument("--portal", default="hepza")
    args = parser.parse_args(argv)
    try:
        asyncio.run(_main(args.articles, args.portal, protocol))
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
