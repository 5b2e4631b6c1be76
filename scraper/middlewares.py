"""Downloader middlewares of the hepza crawl."""

from __future__ import annotations

import logging
from urllib.parse import parse_qsl, urlsplit

from scrapy.exceptions import IgnoreRequest, NotConfigured

logger = logging.getLogger(__name__)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin(url: str) -> tuple[str, int] | None:
    """(host without www., port) of an http(s) URL; None for any other scheme."""
    parts = urlsplit(url)
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    host = parts.hostname.lower().removeprefix("www.")
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
