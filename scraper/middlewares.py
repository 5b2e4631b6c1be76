"""Downloader middlewares of the hepza crawl."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qsl, urlsplit

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Request, Response

logger = logging.getLogger(__name__)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin(url: str) -> tuple[str, int] | None:
    """(host, port) of an http(s) URL; None for any other scheme. ``www.`` + the host is another host:
    the spider moves links to it onto the origin itself (``HepzaSpider._on_origin``), so only a redirect
    reaches here with it, and a redirect is not a link of ours to rewrite."""
    parts = urlsplit(url)
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    host = parts.hostname.lower()
    try:
        port = parts.port or _DEFAULT_PORTS[parts.scheme]
    except ValueError:
        return None
    return host, port


class OriginLockMiddleware:
    """Refuse every request that leaves the site's origin: other hosts, ports, IP literals, schemes.

    Redirects pass through downloader middlewares again, so an offsite redirect is refused here too.
    Refusals are counted in the stats (``hepza/offsite``) and logged.
    """

    def __init__(self, site_url: str, stats) -> None:
        origin = _origin(site_url)
        if origin is None:
            raise NotConfigured("HEPZA_SITE_URL is not an http(s) URL")
        self.origin = origin
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.get("HEPZA_SITE_URL"), crawler.stats)

    def process_request(self, request):
        if _origin(request.url) == self.origin:
            return None
        self.stats.inc_value("hepza/offsite")
        logger.warning("refused a request outside the site's origin: %s", request.url)
        raise IgnoreRequest(f"offsite: {request.url}")


class ListPageCapReached(IgnoreRequest):
    """A list was paged further than HEPZA_MAX_LIST_PAGES: probably a trap, not the portal's archive."""


class ListPageCapMiddleware:
    """Stop endless pagination: at most ``HEPZA_MAX_LIST_PAGES`` distinct pager URLs per list path.

    The spider follows a list's pager while its pages bring new article links; a site (or a trap) that
    invents new links on every page would be followed forever. Pager URLs are those with a ``*_cur`` query
    parameter (Liferay's page number); the refusal reaches the spider's errback, so it is recorded in
    ``crawl_errors`` (kind ``ListPageCapReached``), and counted in the stats (``hepza/list_cap``).
    """

    def __init__(self, cap: int, stats) -> None:
        if cap <= 0:
            raise NotConfigured("HEPZA_MAX_LIST_PAGES is 0: no cap")
        self.cap = cap
        self.stats = stats
        self.pages: dict[str, set[str]] = {}

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.getint("HEPZA_MAX_LIST_PAGES"), crawler.stats)

    def process_request(self, request):
        parts = urlsplit(request.url)
        if not any(name.endswith("_cur") for name, _ in parse_qsl(parts.query)):
            return None
        seen = self.pages.setdefault(parts.path, set())
        if request.url in seen or len(seen) < self.cap:
            seen.add(request.url)
            return None
        self.stats.inc_value("hepza/list_cap")
        logger.warning("refused page %d of the list %s (HEPZA_MAX_LIST_PAGES)", len(seen) + 1, parts.path)
        raise ListPageCapReached(f"list paged past HEPZA_MAX_LIST_PAGES={self.cap}: {request.url}")


class CallbackErrorMiddleware:
    """A page whose callback raised (the extractor choking on hostile HTML) is recorded, not lost.

    Without it Scrapy only logs the traceback: the page is neither archived nor in ``crawl_errors``, and the
    run exits 0. The outcome's kind is ``spider-error``; the stats count ``hepza/spider_errors``.
    """

    def __init__(self, stats) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_spider_exception(self, response, exception):
        from scrapy.spidermiddlewares.httperror import HttpError

        from scraper.items import FetchOutcomeItem

        if isinstance(exception, HttpError | IgnoreRequest):
            return None  # the request's errback has recorded it
        self.stats.inc_value("hepza/spider_errors")
        logger.error("extraction failed on %s: %r", response.url, exception)
        message = f"{type(exception).__name__}: {exception}"[:300]
        return [FetchOutcomeItem(response.url, "spider-error", response.status, message)]


def _retry_after(response) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date), or None."""
    value = response.headers.get("Retry-After", b"").decode("latin-1").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds()) if when.tzinfo else None


class BackoffMiddleware:
    """Slow down when the site struggles: after a 5xx, a 429 or a timeout, the site's download slot waits
    Retry-After seconds when the site says so, else ``base × 2^retries`` (capped); the first good response
    restores the slot's own delay. Retrying itself stays with Scrapy's RetryMiddleware."""

    def __init__(self, crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.codes = {int(code) for code in settings.getlist("RETRY_HTTP_CODES")}
        self.base = settings.getfloat("HEPZA_BACKOFF_BASE")
        self.cap = settings.getfloat("HEPZA_BACKOFF_MAX")
        self.saved_delays: dict[str, float] = {}

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("RETRY_ENABLED"):
            raise NotConfigured
        return cls(crawler)

    def _slot(self, request):
        downloader = self.crawler.engine.downloader if self.crawler.engine else None
        if downloader is None:
            return None, None
        key = downloader.get_slot_key(request)
        return key, downloader.slots.get(key)

    def _back_off(self, request, wait: float) -> None:
        key, slot = self._slot(request)
        if slot is None:
            return
        self.saved_delays.setdefault(key, slot.delay)
        slot.delay = max(slot.delay, min(wait, self.cap))
        self.crawler.stats.inc_value("hepza/backoff")

    def process_response(self, request, response):
        if response.status in self.codes:
            retries = request.meta.get("retry_times", 0)
            self._back_off(request, _retry_after(response) or self.base * 2**retries)
        else:
            key, slot = self._slot(request)
            if slot is not None and key in self.saved_delays:
                slot.delay = self.saved_delays.pop(key)
        return response

    def process_exception(self, request, exception):
        self._back_off(request, self.base * 2 ** request.meta.get("retry_times", 0))
        return None


class WireBodyMiddleware:
    """Keep the body as the server sent it (``hepza_wire_body`` in the request's meta) when it came
    content-encoded (gzip, br…): placed before HttpCompressionMiddleware (590) decodes it, so a capture's
    WARC record can hold the payload that was on the wire, not only the decoded page the archive reads."""

    def process_response(self, request, response):
        if response.headers.get("Content-Encoding"):
            request.meta["hepza_wire_body"] = response.body
        else:  # (a redirect's next request carries the meta of the one before)
            request.meta.pop("hepza_wire_body", None)
        return response


class SharedRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, whose one download of a site's robots.txt also answers the spider's
    own request for it (the spider reads the ``Sitemap:`` lines): one request for robots.txt a run, not two.

    Nothing can be missed by it: both requests ask for the same URL at the start of the same run, and the
    spider's waits for the middleware's (it needs the parsed rules first), so the answer it is given is the
    portal's robots.txt as it stood a moment before. When the middleware's download failed, nothing is kept
    and the spider's request goes to the portal as before."""

    def __init__(self, crawler) -> None:
        super().__init__(crawler)
        self._robots_responses: dict[str, Response] = {}

    # (Scrapy types its own as returning None; a downloader middleware may answer with a Response.)
    async def process_request(  # type: ignore[override]
        self, request: Request, spider=None
    ) -> Response | None:
        await super().process_request(request)
        url = urlsplit(request.url)
        if url.path != "/robots.txt" or url.query:
            return None
        kept = self._robots_responses.pop(url.netloc, None)  # (once: a retry goes to the portal)
        if kept is None:
            return None
        self.crawler.stats.inc_value("hepza/robots_shared")
        return kept.replace(url=request.url, request=request)

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        self._robots_responses[netloc] = response
        await super()._parse_robots(response, netloc, request)
