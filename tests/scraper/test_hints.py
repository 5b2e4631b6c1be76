"""A profile's hints in the spider (HEPZA_HINTS): its list pages are read besides discovery's, and its
article routes make more URLs articles, each asked for once whatever its spelling."""

from __future__ import annotations

import asyncio
import json

import pytest
import scrapy
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from scraper.items import ArticleItem, FetchOutcomeItem, ListingItem
from scraper.spiders.hepza import HepzaSpider

ORIGIN = "http://127.0.0.1:8000"
HINTS = {
    "list_pages": ["/tin-bai/danh-sach", ORIGIN + "/thong-bao?trang=1", "https://elsewhere.example/list"],
    "article_routes": [r"^/tin-bai/\d+-[^/?]+\.html$", r"[?&]newsid=\d+"],
}


def spider_with(tmp_path, hints) -> HepzaSpider:
    crawler = get_crawler(
        HepzaSpider,
        {"HEPZA_SITE_URL": ORIGIN, "HEPZA_DB": str(tmp_path / "a.db"), "HEPZA_HINTS": hints},
    )
    return HepzaSpider.from_crawler(crawler)


def _start(spider: HepzaSpider) -> list[scrapy.Request]:
    async def collect():
        return [request async for request in spider.start()]

    return asyncio.run(collect())


def _page(url: str, hrefs: list[str], category: str | None = "tin-bai") -> HtmlResponse:
    links = "".join(f'<a href="{href}">x</a>' for href in hrefs)
    return HtmlResponse(
        url=url,
        body=f"<html><body>{links}</body></html>".encode(),
        encoding="utf-8",
        request=scrapy.Request(url, meta={"category": category, "lastmod": None}),
    )


LINKS = [
    "/tin-bai/12-khanh-thanh.html",
    "/tin-bai/12-khanh-thanh.html#top",  # the same article
    "/chi-tiet?b=2&newsid=7",
    "/chi-tiet?newsid=7&b=2",  # the same, parameters in another order
    "/tin-bai/danh-sach?_x_cur=2",  # a pager, not an article
    "/gioi-thieu",
]


@pytest.mark.parametrize("as_json", [False, True])  # (`scrapy crawl -s HEPZA_HINTS='{…}'` gives a string)
def test_the_profile_s_list_pages_are_read_besides_discovery(tmp_path, as_json):
    spider = spider_with(tmp_path, json.dumps(HINTS) if as_json else HINTS)
    lists = [r.url for r in _start(spider) if r.callback == spider.parse_list]
    # Paths are on the origin; a list off the origin is refused as any link there is.
    assert lists == [ORIGIN + "/tin-bai/danh-sach", ORIGIN + "/thong-bao?trang=1"]
    assert spider.crawler.stats.get_value("hepza/offsite") == 1


def test_without_hints_the_start_is_discovery_alone(tmp_path):
    spider = spider_with(tmp_path, {})
    assert [r.url for r in _start(spider)] == [ORIGIN + "/robots.txt", ORIGIN + "/"]


def test_the_profile_s_article_routes_make_a_list_s_links_articles_once_each(tmp_path):
    spider = spider_with(tmp_path, HINTS)
    results = list(spider.parse_list(_page(ORIGIN + "/tin-bai/danh-sach", LINKS)))
    articles = [
        r.url for r in results if isinstance(r, scrapy.Request) and r.callback == spider.parse_article
    ]
    assert articles == [ORIGIN + "/tin-bai/12-khanh-thanh.html", ORIGIN + "/chi-tiet?b=2&newsid=7"]
    (listing,) = [r for r in results if isinstance(r, ListingItem)]
    assert len(listing.urls) == 4  # every link to them, as printed
    pages = [r.url for r in results if isinstance(r, scrapy.Request) and r.callback == spider.parse_list]
    assert pages == [ORIGIN + "/tin-bai/danh-sach?_x_cur=2"]


def test_without_the_routes_those_links_are_no_articles(tmp_path):
    spider = spider_with(tmp_path, {})
    results = list(spider.parse_list(_page(ORIGIN + "/tin-bai/danh-sach", LINKS)))
    assert not [r for r in results if isinstance(r, scrapy.Request) and r.callback == spider.parse_article]


@pytest.mark.parametrize(("hints", "kind"), [(HINTS, ArticleItem), ({}, FetchOutcomeItem)])
def test_a_page_at_a_profile_s_route_is_an_article_page(tmp_path, hints, kind):
    spider = spider_with(tmp_path, hints)
    (item,) = spider.parse_article(_page(ORIGIN + "/tin-bai/12-khanh-thanh.html", []))
    assert isinstance(item, kind)
    if kind is FetchOutcomeItem:
        assert item.kind == "not-article"


def test_an_nfd_article_known_under_a_profile_route_is_asked_for_once(tmp_path):
    # The archive keeps the article's own URL as the portal spells it (an NFD slug) and its key NFC; a
    # list links it under the profile's route. Its re-check and the list's link are one request.
    from types import MappingProxyType

    from archive.crawl_plan import CrawlPlan, KnownArticle

    nfd = "/w/ta%CC%A3%CC%82p-hua%CC%82%CC%81n"  # tập huấn, decomposed
    own = "/w/t%E1%BA%ADp-hu%E1%BA%A5n"
    spider = spider_with(tmp_path, HINTS)
    spider.plan = CrawlPlan(
        articles=MappingProxyType({own: KnownArticle(url=ORIGIN + nfd, url_key=own)}),
        aliases=MappingProxyType({"/tin-bai/12-t%E1%BA%ADp-hu%E1%BA%A5n.html": own}),  # (keys are NFC)
    )
    assert spider._article_request(ORIGIN + nfd) is not None  # (its re-check)
    list_link = ORIGIN + "/tin-bai/12-ta\u0323\u0302p-hua\u0302\u0301n.html"
    assert spider._article_request(list_link, discovered=True) is None
