"""The origin lock: the crawl never leaves the site's origin."""

import pytest
import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.test import get_crawler

from scraper.middlewares import OriginLockMiddleware
from scraper.spiders.hepza import HepzaSpider


@pytest.fixture
def lock():
    crawler = get_crawler(HepzaSpider, {"HEPZA_SITE_URL": "http://127.0.0.1:8123"})
    crawler.stats.open_spider()
    return OriginLockMiddleware.from_crawler(crawler)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8123/w/a",
        "http://127.0.0.1:8123/robots.txt",
        "http://127.0.0.1:8123/sitemap.xml?p_l_id=1",
    ],
)
def test_same_origin_passes(lock, url):
    assert lock.process_request(scrapy.Request(url)) is None


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.2:8123/w/a",
        "http://127.0.0.1:8124/w/a",
        "http://localhost:8123/w/a",
        "https://example.com/w/a",
        "http://[::1]:8123/w/a",
        "http://10.0.0.1/w/a",
        "https://127.0.0.1/w/a",
    ],
)
def test_other_origins_are_refused(lock, url):
    with pytest.raises(IgnoreRequest):
        lock.process_request(scrapy.Request(url))
    assert lock.stats.get_value("hepza/offsite") == 1


def test_www_plus_the_host_is_another_origin_for_a_redirect():
    # Issue 19: a redirect to www. + the origin's host was followed (the spider rewrites links to www.
    # onto the origin; a redirect reaches the lock as it is, and must not take the crawl elsewhere).
    crawler = get_crawler(HepzaSpider, {"HEPZA_SITE_URL": "https://hepza.hochiminhcity.gov.vn"})
    crawler.stats.open_spider()
    lock = OriginLockMiddleware.from_crawler(crawler)
    assert lock.process_request(scrapy.Request("https://hepza.hochiminhcity.gov.vn/w/a")) is None
    with pytest.raises(IgnoreRequest):
        lock.process_request(scrapy.Request("https://www.hepza.hochiminhcity.gov.vn/w/a"))


def test_settings_are_polite_and_safe():
    from scraper import settings

    assert settings.ROBOTSTXT_OBEY and settings.AUTOTHROTTLE_ENABLED
    assert settings.CONCURRENT_REQUESTS_PER_DOMAIN == 1
    assert "+http" in settings.USER_AGENT and "hepza-archive" in settings.USER_AGENT
    assert settings.TELNETCONSOLE_ENABLED is False and settings.REMOTE_CONTROL_ENABLED is False
    assert 500 in settings.RETRY_HTTP_CODES and settings.RETRY_TIMES >= 2
