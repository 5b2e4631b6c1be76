"""A portal's delay holds at the portal: two requests never arrive closer together than the delay, even
when the crawler sends one of them late (scraper/politeness.py).

A server on loopback notes when each request arrives (monotonic: one clock for the machine's processes);
a Scrapy crawl with the project's settings (tests/e2e/lagging_crawl.py) fetches pages from it, one at a
time, with every other request held 0.15 s after its slot let it go. Without the project's count (the
delay from the end of the previous response), Scrapy's own count lets the next request out 0.05 s after
the late one: the second test shows the case is real, so the first can fail.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.e2e.lagging_crawl import DELAY
from tests.hepza_cli import ROOT

REQUESTS = 12


class _Timed(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a portal: one connection for the whole crawl

    def do_GET(self) -> None:
        self.server.arrivals.append(time.monotonic())  # type: ignore[attr-defined]
        body = b"<html><title>p</title></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args) -> None:  # noqa: A002 (the base class's name)
        pass


@pytest.fixture
def timed_server() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Timed)
    server.arrivals = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _gaps(server: ThreadingHTTPServer, *flags: str) -> list[float]:
    site = f"http://127.0.0.1:{server.server_address[1]}"
    subprocess.run(
        [sys.executable, "-m", "tests.e2e.lagging_crawl", site, str(REQUESTS), *flags],
        cwd=ROOT,
        check=True,
        timeout=120,
    )
    arrivals = server.arrivals  # type: ignore[attr-defined]
    assert len(arrivals) == REQUESTS
    return [b - a for a, b in zip(arrivals, arrivals[1:], strict=False)]


def test_the_delay_holds_at_the_portal_when_a_request_is_sent_late(timed_server):
    assert min(_gaps(timed_server)) >= DELAY


def test_scrapys_own_count_lets_requests_arrive_closer_than_the_delay(timed_server):
    # (the case the project's count is for; if Scrapy ever counts from the response, this one says so)
    assert min(_gaps(timed_server, "--scrapy-delay")) < DELAY - 0.1
