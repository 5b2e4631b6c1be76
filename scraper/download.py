"""The HTTP/1.1 download handler of the crawl: Scrapy's, with a cap on the response's header section.

Scrapy's size caps (DOWNLOAD_MAXSIZE) count body bytes only, and Twisted's HTTP client parser keeps every
header line it is sent (one line is capped at 16 KiB, their number is not): a server that sends header
lines without end grows the crawler's memory until it dies (3 GB in 22 s). The parser is where headers are
read, so the cap is there: past ``HEPZA_MAX_HEADER_LINES`` lines or ``HEPZA_MAX_HEADER_BYTES`` bytes the
response fails (``ResponseFailed``, recorded as that page's error) and the connection is dropped.

The parser and protocol classes are Scrapy's own lenient ones (``_LenientHTTPClientParser``…), subclassed:
Scrapy swaps the parser class in the same way, as Twisted hard-codes it.

The same parser keeps the response's head as received (the status line with its reason phrase, every header
line in order, repeated ones and their case), and the protocol the request head as written: Scrapy keeps
neither (its headers are a case-folded dict, the reason phrase is dropped). Both reach the request's meta
(``hepza_http_head``, ``hepza_http_request``) for the capture's WARC record (archive/warc.py).
"""

from __future__ import annotations

import inspect
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType, SimpleNamespace

import scrapy.utils.deprecate
from scrapy.exceptions import ResponseDataLossError
from scrapy.utils._download_handlers import get_dataloss_msg, wrap_twisted_exceptions
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.web._newclient import HEADER, STATUS

from scraper.config import setting

logger = logging.getLogger(__name__)


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
        _ScrapyAgent,
    )


class HeaderLimitExceeded(Exception):
    """The response's header section is longer than the crawl allows."""


def _capped_parser(max_lines: int, max_bytes: int) -> type:
    class CappedParser(_LenientHTTPClientParser):
        hepza_request_head: list[bytes] | None = None  # (set by the protocol: what it wrote)

        def lineReceived(self, line: bytes) -> None:
            if self.state in (STATUS, HEADER):
                _keep_head_line(self, line)
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


def _keep_head_line(parser, line: bytes) -> None:
    """Keep one line of the response's head; on the blank line that ends it, hand the head (and the request
    head the protocol wrote) to the Twisted response, before Twisted delivers the response onwards."""
    lines = parser.__dict__.setdefault("hepza_head_lines", [])
    if line.rstrip(b"\r"):
        lines.append(line.rstrip(b"\r"))
    elif parser.state == HEADER and parser.response is not None:
        parser.response.hepza_http_head = b"\r\n".join(lines).decode("latin-1")
        request_head = parser.hepza_request_head
        if request_head:
            parser.response.hepza_http_request = b"".join(request_head).decode("latin-1").rstrip("\r\n")


class _Recorder:
    """A transport that keeps what ``Request._writeHeaders`` writes (the request head) and passes it on."""

    def __init__(self, transport, sink: list[bytes]) -> None:
        self._transport, self._sink = transport, sink

    def writeSequence(self, data) -> None:
        self._sink.extend(data)
        self._transport.writeSequence(data)

    def __getattr__(self, name: str):
        return getattr(self._transport, name)


def _capped_factory(parser: type) -> type[_LenientHTTP11ClientFactory]:
    class CappedProtocol(_LenientHTTP11ClientProtocol):
        def request(self, request):
            sink: list[bytes] = []
            write_headers = request._writeHeaders
            request._writeHeaders = lambda transport, te_or_cl: write_headers(
                _Recorder(transport, sink), te_or_cl
            )
            deferred = super().request(request)
            if self._parser is not None:
                self._parser.__class__ = parser
                self._parser.hepza_request_head = sink  # type: ignore[attr-defined]
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

    async def download_request(self, request):
        # Scrapy's own download_request (2.19) with our agent, which hands the heads to the request's meta.
        agent = _HeadKeepingAgent(
            contextFactory=self._contextFactory,
            bindAddress=self._bind_address,
            pool=self._pool,
            maxsize=self._default_maxsize,
            warnsize=self._default_warnsize,
            fail_on_dataloss=self._fail_on_dataloss,
            crawler=self._crawler,
            tls_verbose_logging=self._tls_verbose_logging,
        )
        try:
            with wrap_twisted_exceptions():
                return await maybe_deferred_to_future(agent.download_request(request))
        except ResponseDataLossError:
            if not self._fail_on_dataloss_warned:
                logger.warning(get_dataloss_msg(request.url))
                self._fail_on_dataloss_warned = True
            raise


class _HeadKeepingAgent(_ScrapyAgent):
    def _cb_bodyready(self, txresponse, request):
        # Every download sets both (a redirect's next request carries the meta of the one before).
        request.meta["hepza_http_head"] = getattr(txresponse, "hepza_http_head", None)
        request.meta["hepza_http_request"] = getattr(txresponse, "hepza_http_request", None)
        return super()._cb_bodyready(txresponse, request)
