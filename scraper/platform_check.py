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
from typing import Any

from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import TextResponse
from scrapy.utils.defer import deferred_from_coro
from twisted.internet import defer

from pipelines.platform import HOME, LIFERAY, OTHER, Evidence, close_reason, probe_kind

logger = logging.getLogger(__name__)
# The longest the check holds requests back: a probe lost on its way (a redirect to a URL already fetched,
# dropped by the duplicate filter before it reaches this middleware again) must not stall the crawl. When
# it runs out the check decides with what has answered, as when every probe is in.
PROBE_WAIT = 30.0


# What schedules the check's timers: the running reactor (tests give a clock of their own).
_clock: Any = None


def _timer() -> Any:
    """The clock, else the running reactor, imported when first needed, never with this module: importing
    ``twisted.internet.reactor`` installs the default reactor, and a process that imports the crawler's
    components before Scrapy installs its asyncio reactor (the test zygote) could then not crawl. (Its zope
    interface does not type-check as a call.)"""
    if _clock is not None:
        return _clock
    from twisted.internet import reactor

    return reactor


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
        self.timer = None
        self.home_heard = False  # the home page answered or failed: until then there is nothing to decide

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
        if self._done():  # nothing left to hear from: decide with what there is
            self._settle(done=True)
            return self.process_request(request)
        held: defer.Deferred = defer.Deferred()
        self.held.append(held)
        if self.timer is None:
            self.timer = _timer().callLater(PROBE_WAIT, self._settle, done=True)
        return held

    def _done(self) -> bool:
        return self.home_heard and not self.in_flight

    def process_response(self, request, response):
        kind = self._kind(request)
        if self.state is None and kind is not None:
            self.in_flight.discard(request.url)
            self.home_heard |= kind == HOME
            headers = {k.decode("latin-1"): v[0].decode("latin-1") for k, v in response.headers.items() if v}
            body = response.text if isinstance(response, TextResponse) else ""
            self.evidence.add(kind, response.status, headers, body)
            self._settle(done=self._done())
        return response

    def process_exception(self, request, exception):
        # A probe that failed, or was refused before it got here (a redirect off the origin): its URLs,
        # the redirect's first hops included, are no longer on their way.
        urls = {request.url, *request.meta.get("redirect_urls", ())}
        if self.state is None and urls & self.in_flight:
            self.in_flight -= urls
            self.home_heard |= self._kind(request) == HOME
            self._settle(done=self._done())
        return None

    def _settle(self, *, done: bool) -> None:
        verdict = self.evidence.verdict(done=done)
        if verdict != LIFERAY and not done:
            return
        if self.state is not None:
            return
        self.state = verdict
        if self.timer is not None and self.timer.active():
            self.timer.cancel()
        held, self.held = self.held, []
        if verdict == OTHER:
            message = self.evidence.message()
            logger.info("%s", message)
            for d in held:
                _timer().callLater(0, d.errback, NotLiferay(message))
            deferred_from_coro(self.crawler.engine.close_spider_async(reason=close_reason(message)))
        else:
            for d in held:
                _timer().callLater(0, d.callback, None)
