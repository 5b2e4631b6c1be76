"""HTTP glue: a ThreadingHTTPServer on 127.0.0.1 only, in a daemon thread, with no per-request log lines."""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from . import app, foreign
from .site import Site

HOST = "127.0.0.1"  # never another interface: the replica is for local tests only


class _Handler(BaseHTTPRequestHandler):
    server_version = "Apache-Coyote/1.1"  # what Liferay's Tomcat announces
    sys_version = ""
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        srv: ReplicaServer = self.server  # type: ignore[assignment]
        self.connection: list[float | None] | None = None
        if srv.connection_log is not None:
            self.connection = [time.monotonic(), None]
            with srv.stats_lock:
                srv.connection_log.append(self.connection)
        # Headers and body go out in two writes; without NODELAY, Nagle + delayed ACK add ~40 ms per
        # keep-alive request.
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _serve(self, send_body: bool) -> None:
        srv: ReplicaServer = self.server  # type: ignore[assignment]
        if srv.request_log is None:
            self._answer(srv, send_body)
            return
        started = time.monotonic()
        self.answered: float | None = None
        try:
            self._answer(srv, send_body)
        finally:
            with srv.stats_lock:
                srv.request_log.append((started, self.answered or time.monotonic(), self.path))

    def _answer(self, srv: ReplicaServer, send_body: bool) -> None:
        # http.server decodes the request line as Latin-1; undo that so raw UTF-8 paths match too.
        target = self.path.encode("latin-1", "replace").decode("utf-8", "replace")
        headers = {k.lower(): v for k, v in self.headers.items()}
        with srv.stats_lock:
            srv.requests_by_path[target.split("?", 1)[0]] += 1
        if srv.faults is not None and srv.faults.serve(self, srv.site, target, headers, send_body):
            return  # a fault answered (replica/faults.py)
        status, out_headers, body = app.handle(srv.site, self.command, target, headers)
        self.send_response(status)
        for k, v in out_headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)) if status != 304 else "0")
        # The request's end in the log: taken before the answer goes out, as the client can send its next
        # request as soon as it has the answer, on another connection, served by another thread before this
        # one is scheduled again (a loaded machine): stamped after, one client's requests seemed to overlap.
        self.answered = time.monotonic()
        self.end_headers()
        if send_body and status != 304:
            self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._serve(True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve(False)

    def finish(self) -> None:
        super().finish()
        if self.connection is not None:
            self.connection[1] = time.monotonic()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass  # quiet: a crawl of thousands of pages must not flood stderr


class ReplicaServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    faults = None  # a replica.faults.Faults to make the portal misbehave; None = healthy
    # When a list: (start, end, target) of every request, on time.monotonic(), appended as each is answered
    # (from its headers read to its answer ready to go out; a fault's, to its last byte written): a
    # crawler's politeness measured on the server.
    request_log: list[tuple[float, float, str]] | None = None
    # When a list: [opened, closed] of every connection on the same clock, closed None while it is open.
    connection_log: list[list[float | None]] | None = None

    def __init__(self, site: Site, port: int = 0) -> None:
        super().__init__((HOST, port), _Handler)
        self.site = site
        self.stats_lock = threading.Lock()
        self.requests_by_path: Counter[str] = Counter()

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}"

    @property
    def request_count(self) -> int:
        """Requests answered by this server (all paths)."""
        with self.stats_lock:
            return sum(self.requests_by_path.values())


@contextmanager
def serve(site: Site, port: int = 0) -> Iterator[ReplicaServer]:
    """Serve `site` on 127.0.0.1:`port` (0 = any free port) in a daemon thread for the `with` block."""
    server = ReplicaServer(site, port)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        if server.faults is not None:
            server.faults.stop()  # end stalls and drips still holding handler threads
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def serve_forever(
    port: int = 8000, articles: int | None = None, chrome: str = "full", portal: str = "hepza"
) -> None:
    """Serve a replica until Ctrl-C (the `hepza sample-site` command)."""
    if portal in foreign.NAMES:  # a site of another platform, for the "not a Liferay portal" check
        site: Site = foreign.ForeignSite(portal)  # type: ignore[assignment]
        label = f"{portal} (not Liferay)"
    else:
        site = Site(articles=articles, chrome=chrome, portal=portal)
        label = "HEPZA replica" if portal == "hepza" else f"{portal} replica"
    server = ReplicaServer(site, port)
    print(f"{label}: {len(site.live())} articles at {server.url}/  (Ctrl-C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
