"""Downloader middlewares of the hepza crawl."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

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
