"""The backoff middleware: Retry-After honoured, exponential otherwise, the pace restored after success."""

from types import SimpleNamespace

import pytest
import scrapy
from scrapy.http import Response
from scrapy.utils.test import get_crawler

from scraper.middlewares import BackoffMiddleware, _retry_after
from scraper.spiders.hepza import HepzaSpider


class FakeDownloader:
    def __init__(self) -> None:
        self.slots = {"127.0.0.1": SimpleNamespace(delay=0.0)}

    def get_slot_key(self, request) -> str:
        return "127.0.0.1"


@pytest.fixture
def backoff():
    crawler = get_crawler(HepzaSpider, {"HEPZA_BACKOFF_BASE": 0.5, "HEPZA_BACKOFF_MAX": 10})
    crawler.stats.open_spider()
    crawler.engine = SimpleNamespace(downloader=FakeDownloader())
    return BackoffMiddleware.from_crawler(crawler)


def request(retries: int = 0) -> scrapy.Request:
    return scrapy.Request("http://127.0.0.1:1/w/a", meta={"retry_times": retries})


def slot(middleware):
    return middleware.crawler.engine.downloader.slots["127.0.0.1"]


@pytest.mark.parametrize("retries,delay", [(0, 0.5), (1, 1.0), (2, 2.0), (5, 10.0)])
def test_exponential_backoff_after_a_5xx(backoff, retries, delay):
    backoff.process_response(request(retries), Response("http://127.0.0.1:1/w/a", status=503))
    assert slot(backoff).delay == delay


def test_retry_after_is_honoured_and_the_pace_comes_back(backoff):
    backoff.process_response(
        request(), Response("http://127.0.0.1:1/w/a", status=429, headers={"Retry-After": "7"})
    )
    assert slot(backoff).delay == 7
    backoff.process_response(request(), Response("http://127.0.0.1:1/w/b", status=200))
    assert slot(backoff).delay == 0.0


def test_a_timeout_backs_off_too(backoff):
    backoff.process_exception(request(1), TimeoutError())
    assert slot(backoff).delay == 1.0


@pytest.mark.parametrize(
    "header,seconds", [("120", 120.0), ("", None), ("soon", None), ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0)]
)
def test_retry_after_header(header, seconds):
    response = Response("http://x/", status=429, headers={"Retry-After": header} if header else {})
    assert _retry_after(response) == seconds
