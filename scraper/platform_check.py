"""Stop a crawl pointed at a site that is not a Liferay portal (the markers: pipelines/platform.py).

A downloader middleware rather than spider code: it sees every answer the spider's first requests get
(home page, robots.txt, sitemap, including the robots.txt Scrapy's RobotsTxtMiddleware asks for) without
the spider having to know. Until those answers have decided, it holds back every other request, so that
nothing is fetched, let alone archived, from a site of another platform. A Liferay marker releases them at
once (on a Liferay portal the home page has several, so this costs nothing); an undecided check (an error,
a maintenance page for every URL) releases them too and the crawl goes on as before.
"""

from __future__ import annotations

import logging

from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import TextResponse
from scrapy.utils.defer import deferred_from_coro
from twisted.internet import defer, reactor

from pipelines.platform import LIFERAY, OTHER, Evidence, close_reason, probe_kind

logger = logging.getLogger(__name__)


class NotLiferay(IgnoreRequest):
    """A request not sent: the site is not a Liferay portal, and the crawl is stopping."""


class LiferayCheckMiddleware:
    def __init__(self, crawler) -> None:
        site_url = crawler.settings.get("HEPZA_SITE_URL")
        if not site_url:
            raise NotConfigured("no HEPZA_SITE_URL")
        self.crawler = crawler
        self.site_url = site_url
        self.evidence = Evidence(site_url)
        self.in_flight: set[str] = set()
        self.held: list[defer.Deferred] = []
        self.state: str | None = None  # None while the check has not decided

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _kind(self, request) -> str | None:
        first = (request.meta.get("redirect_urls") or [request.url])[0]
        return probe_kind(first, self.site_url)

    def process_request(self, request):
        if self.state == OTHER:
            raise NotLiferay(f"not a Liferay portal: {request.url}")
        if self.state is not None:
            return None
        for url in request.meta.get("redirect_urls", ()):
            self.in_flight.discard(url)  # a redirect's first hop ends here, not in process_response
        if self._kind(request) is not None:
            self.in_flight.add(request.url)
            return None
        if not self.in_flight:  # nothing left to hear from: decide with what there is
            self._settle(done=True)
            return self.process_request(request)
        held: defer.Deferred = defer.Deferred()
        self.held.append(held)
        return held

    def process_response(self, request, response):
        if self.state is None and self._kind(request) is not None:
            self.in_flight.discard(request.url)
            headers = {k.decode("latin-1"): v[0].decode("latin-1") for k, v in response.headers.items() if v}
            body = response.text if isinstance(response, TextResponse) else ""
            self.evidence.add(self._kind(request) or "", response.status, headers, body)
            self._settle(done=not self.in_flight)
        return response

    def process_exception(self, request, exception):
        if self.state is None and request.url in self.in_flight:
            self.in_flight.discard(request.url)
            self._settle(done=not self.in_flight)
        return None

    def _settle(self, *, done: bool) -> None:
        verdict = self.evidence.verdict(done=done)
        if verdict != LIFERAY and not done:
            return
        self.state = verdict
        held, self.held = self.held, []
        if verdict == OTHER:
            message = self.evidence.message()
            logger.info("%s", message)
            for d in held:
                reactor.callLater(0, d.errback, NotLiferay(message))  # type: ignore[arg-type]
            deferred_from_coro(self.crawler.engine.close_spider_async(reason=close_reason(message)))
        else:
            for d in held:
                reactor.callLater(0, d.callback, None)  # type: ignore[arg-type]
