"""A portal's delay counted from the end of its previous response, so the portal sees it whole.

Scrapy's download slot counts its delay from the moment it let the previous request go (``slot.lastseen``,
set when the request leaves the slot's queue), not from when the request reached the portal nor from when
its answer came back. On a busy crawler, the previous request can wait after leaving the queue (its
coroutine scheduled behind others, a connection to set up) while the next one goes out on time: the
portal sees two requests closer together than the delay (bench/farm.py measured gaps of 0.106 s at the
crawler and 0.100 s at the portal for a delay of 0.2 s, 50 portals on two cores).

With one request at a time to a portal (the profiles' politeness), counting the delay from the end of the
previous response makes it hold at the portal, however late anything runs: the portal answered the
previous request before the crawler read the answer, and the next request leaves the crawler at least
the delay after that. The price is a response's time per request (milliseconds for a portal that
answers promptly, against a delay of a second).

Only the profile's delay (``DOWNLOAD_DELAY``, the floor) is counted from the response. What AutoThrottle
adds above it for a slow portal (the slot's delay grows towards the response time, so that about one
request is in flight) keeps Scrapy's count from the previous request's leaving: counted from the response
as well, a portal answering in 2 s would wait 4 s between requests instead of 3.

Only a download that brings a response moves the count: after a failed one (refused, reset, timed out)
the delay counts, as in Scrapy, from when the failed request left the queue (and BackoffMiddleware widens
the delay for the requests that follow).
"""

from __future__ import annotations

from time import monotonic

from scrapy import signals


class DelayFromResponse:
    """On each downloaded response, move its slot's ``lastseen`` (which Scrapy's downloader counts the
    slot's delay from, on the same monotonic clock) so that the next request leaves no sooner than the
    floor after now, nor sooner than the slot's delay after the previous request left. The
    ``response_downloaded`` signal is sent before the downloader looks at the slot's queue again, so the
    next request waits from here. AutoThrottle (EXTENSIONS_BASE, order 0) adjusts the slot's delay on the
    same signal; this extension's higher order makes it run after, with the delay the queue will use."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.floor = crawler.settings.getfloat("DOWNLOAD_DELAY")

    @classmethod
    def from_crawler(cls, crawler):
        extension = cls(crawler)
        crawler.signals.connect(extension.response_downloaded, signal=signals.response_downloaded)
        return extension

    def response_downloaded(self, response, request, spider) -> None:
        downloader = self.crawler.engine.downloader
        slot = downloader.slots.get(downloader.get_slot_key(request))
        if slot is not None:
            slot.lastseen = max(slot.lastseen, monotonic() + min(self.floor, slot.delay) - slot.delay)
