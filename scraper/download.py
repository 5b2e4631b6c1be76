"""The HTTP/1.1 download handler of the crawl: Scrapy's, with a cap on the response's header section.

Scrapy's size caps (DOWNLOAD_MAXSIZE) count body bytes only, and Twisted's HTTP client parser keeps every
header line it is sent (one line is capped at 16 KiB, their number is not): a server that sends header
lines without end grows the crawler's memory until it dies (3 GB in 22 s). The parser is where headers are
read, so the cap is there: past ``HEPZA_MAX_HEADER_LINES`` lines or ``HEPZA_MAX_HEADER_BYTES`` bytes the
response fails (``ResponseFailed``, recorded as that page's error) and the connection is dropped.

The parser and protocol classes are Scrapy's own lenient ones (``_LenientHTTPClientParser``…), subclassed:
Scrapy swaps the parser class in the same way, as Twisted hard-codes it.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType, SimpleNamespace

import scrapy.utils.deprecate
from twisted.web._newclient import HEADER

from scraper.config import setting


@contextmanager
def _deprecations_named_cheaply() -> Iterator[None]:
    """Scrapy's ``create_deprecated_class`` (run three times when http11's TLS module is imported) calls
    ``inspect.stack()`` only to name the module that called it; ``inspect.stack`` also finds and reads the
    source of every frame on the stack, about 0.3 s of CPU at each crawl's start (the handler is loaded deep
    in the engine's set-up). For that import, its ``inspect.stack`` gives the same frames without sources."""

    def frames(context: int = 1) -> list[tuple[FrameType]]:
        frame: FrameType | None = sys._getframe(1)
        stack = []
        while frame is not None:
            stack.append((frame,))
            frame = frame.f_back
        return stack

    real = scrapy.utils.deprecate.inspect
    scrapy.utils.deprecate.inspect = SimpleNamespace(**{**vars(inspect), "stack": frames})  # type: ignore[assignment]
    try:
        yield
    finally:
        scrapy.utils.deprecate.inspect = real


with _deprecations_named_cheaply():
    from scrapy.core.downloader.handlers.http11 import (
        HTTP11DownloadHandler,
        _LenientHTTP11ClientFactory,
        _LenientHTTP11ClientProtocol,
        _LenientHTTPClientParser,
    )


class HeaderLimitExceeded(Exception):
    """The response's header section is longer than the crawl allows."""


def _capped_parser(max_lines: int, max_bytes: int) -> type:
    class CappedParser(_LenientHTTPClientParser):
        def lineReceived(self, line: bytes) -> None:
            if self.state == HEADER:
                # Counted here, per response: the parser is made anew for each request.
                self.header_lines = getattr(self, "header_lines", 0) + 1
                self.header_bytes = getattr(self, "header_bytes", 0) + len(line) + 2
                if self.header_lines > max_lines or self.header_bytes > max_bytes:
                    # Raised inside dataReceived: the protocol gives up on the response and drops the
                    # connection (the request fails with ResponseFailed).
                    raise HeaderLimitExceeded(
                        f"response headers over the cap of {max_lines} lines or {max_bytes} bytes"
                    )
            super().lineReceived(line)

    return CappedParser


def _capped_factory(parser: type) -> type[_LenientHTTP11ClientFactory]:
    class CappedProtocol(_LenientHTTP11ClientProtocol):
        def request(self, request):
            deferred = super().request(request)
            if self._parser is not None:
                self._parser.__class__ = parser
            return deferred

    class CappedFactory(_LenientHTTP11ClientFactory):
        def buildProtocol(self, addr):
            return CappedProtocol(self._quiescentCallback)

    return CappedFactory


class CappedHTTP11DownloadHandler(HTTP11DownloadHandler):
    """Scrapy's HTTP/1.1 handler whose connections cap the header section of every response."""

    def __init__(self, crawler) -> None:
        super().__init__(crawler)
        parser = _capped_parser(
            setting(crawler.settings, "max_header_lines"),
            setting(crawler.settings, "max_header_bytes"),
        )
        self._pool._factory = _capped_factory(parser)
