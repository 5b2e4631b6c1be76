"""scraper/politeness.py: the delay counted from the end of the previous response, AutoThrottle's extra
from the previous request's leaving."""

from __future__ import annotations

from time import monotonic
from types import SimpleNamespace

import pytest
import scrapy
from scrapy.core.downloader import Slot
from scrapy.http import Response
from scrapy.utils.test import get_crawler

from scraper.politeness import DelayFromResponse
from scraper.spiders.hepza import HepzaSpider

URL = "http://127.0.0.1:8123/w/a"


class Downloader:
    def __init__(self, slot: Slot) -> None:
        self.slots = {"127.0.0.1": slot}

    def get_slot_key(self, request) -> str:
        return "127.0.0.1"


def _extension(floor: float, slot: Slot) -> DelayFromResponse:
    crawler = get_crawler(HepzaSpider, {"DOWNLOAD_DELAY": floor})
    crawler.engine = SimpleNamespace(downloader=Downloader(slot))  # type: ignore[assignment]
    return DelayFromResponse.from_crawler(crawler)


def _answer(extension: DelayFromResponse) -> float:
    """The response downloaded now; the earliest the slot lets the next request go (monotonic s)."""
    request = scrapy.Request(URL)
    extension.response_downloaded(Response(URL, request=request), request, None)
    slot = extension.crawler.engine.downloader.slots["127.0.0.1"]
    return slot.lastseen + slot.delay


def test_the_next_request_waits_the_delay_from_the_response():
    slot = Slot(1, 1.0, 0)
    slot.lastseen = monotonic() - 0.9  # the previous request left 0.9 s ago, its answer is in now
    before = monotonic()
    assert _answer(_extension(1.0, slot)) >= before + 1.0


def test_a_count_already_ahead_is_kept():
    slot = Slot(1, 1.0, 0)
    slot.lastseen = later = monotonic() + 5  # (the count is only ever moved later, never back)
    assert _answer(_extension(1.0, slot)) == pytest.approx(later + 1.0)


def test_autothrottles_extra_still_counts_from_the_request_leaving():
    # A slow portal: AutoThrottle raised the slot's delay to 3 s over the profile's 1 s. The next request
    # leaves 3 s after the previous one left or 1 s after its answer, whichever is later (here the
    # answer): not 3 s after the answer (which would halve the pace at a portal answering in 2 s).
    slot = Slot(1, 3.0, 0)
    slot.lastseen = left = monotonic() - 2.5
    now = monotonic()
    earliest = _answer(_extension(1.0, slot))
    assert earliest >= now + 1.0
    assert earliest <= max(left + 3.0, monotonic() + 1.0) + 0.01


def test_the_extension_is_on_after_autothrottle():
    from scraper.run import crawl_settings

    settings = crawl_settings({})
    assert settings.getdict("EXTENSIONS")["scraper.politeness.DelayFromResponse"] > 0
    assert settings.getdict("EXTENSIONS_BASE")["scrapy.extensions.throttle.AutoThrottle"] == 0
