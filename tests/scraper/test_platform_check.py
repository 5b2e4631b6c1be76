"""scraper/platform_check.py: requests held until the home page, robots.txt and sitemap have decided."""

from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse, TextResponse
from scrapy.utils.test import get_crawler
from twisted.internet import reactor  # noqa: F401  (installed: these tests drive Deferreds with no crawl)
from twisted.internet.task import Clock

from scraper import platform_check
from scraper.platform_check import PROBE_WAIT, LiferayCheckMiddleware, NotLiferay

SITE = "http://127.0.0.1:8041"
WORDPRESS_HOME = '<html><head><meta name="generator" content="WordPress 6.4.3"></head><body>x</body></html>'
LIFERAY_HOME = (
    '<script>var Liferay = {}; Liferay.ThemeDisplay = {};</script><div class="portlet-boundary"></div>'
)


class Engine:
    def __init__(self) -> None:
        self.reasons: list[str] = []

    async def close_spider_async(self, reason: str) -> None:
        self.reasons.append(reason)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(platform_check, "_clock", clock)
    return clock


@pytest.fixture
def check() -> LiferayCheckMiddleware:
    crawler = get_crawler(settings_dict={"HEPZA_SITE_URL": SITE})
    crawler.engine = Engine()  # type: ignore[assignment]
    return LiferayCheckMiddleware.from_crawler(crawler)


def answer(check, path: str, body: str, status: int = 200, ctype: str = "text/html; charset=utf-8"):
    request = Request(SITE + path)
    assert check.process_request(request) is None  # a probe always goes through
    cls = HtmlResponse if "html" in ctype else TextResponse
    response = cls(request.url, status=status, body=body.encode(), headers={"Content-Type": ctype})
    return check.process_response(request, response)


def outcome(deferred) -> list:
    seen: list = []
    deferred.addCallbacks(seen.append, lambda f: seen.append(f.value))
    return seen


def test_a_liferay_home_page_releases_what_was_held(check, clock):
    answer(check, "/robots.txt", "User-Agent: *\nDisallow:\n", ctype="text/plain")
    assert check.state is None  # robots.txt alone decides nothing, the home page is still to come
    held = outcome(check.process_request(Request(SITE + "/tin-tuc")))
    assert held == []
    answer(check, "/", LIFERAY_HOME)
    clock.advance(0)
    assert held == [None] and check.state == "liferay" and check.crawler.engine.reasons == []
    assert check.process_request(Request(SITE + "/w/x")) is None  # decided: nothing is held any more


def test_another_platform_refuses_what_was_held_and_closes_the_crawl(check, clock):
    held = outcome(check.process_request(Request(SITE + "/2024/03/bai-viet/")))
    answer(check, "/robots.txt", "User-agent: *\nDisallow: /wp-admin/\n", ctype="text/plain")
    answer(check, "/", WORDPRESS_HOME)
    clock.advance(0)
    assert check.state == "other" and isinstance(held[0], NotLiferay)
    (reason,) = check.crawler.engine.reasons
    assert (
        reason.startswith("not-liferay: not a Liferay portal: http://127.0.0.1:8041 ")
        and "WordPress" in reason
    )
    with pytest.raises(NotLiferay):
        check.process_request(Request(SITE + "/feed/"))


def test_a_home_page_redirected_off_the_origin_decides_nothing(check, clock):
    assert check.process_request(Request(SITE + "/")) is None
    held = outcome(check.process_request(Request(SITE + "/tin-tuc")))
    # The origin lock refused the redirect's next hop before this middleware saw it.
    hop = Request("http://elsewhere.example/", meta={"redirect_urls": [SITE + "/"]})
    check.process_exception(hop, NotLiferay("offsite"))
    clock.advance(0)
    assert check.state == "unknown" and held == [None]


def test_a_probe_lost_on_its_way_stalls_the_crawl_no_longer_than_the_wait(check, clock):
    check.in_flight.add(SITE + "/sitemap.xml")  # redirected to a URL already fetched: never heard of again
    answer(check, "/robots.txt", "User-agent: *\n", ctype="text/plain")
    answer(check, "/", LIFERAY_HOME.replace("Liferay", "Other").replace("portlet-boundary", "box"))
    held = outcome(check.process_request(Request(SITE + "/tin-tuc")))
    clock.advance(PROBE_WAIT - 1)
    assert held == [] and check.state is None
    clock.advance(1.5)
    assert check.state == "other" and isinstance(held[0], NotLiferay)
