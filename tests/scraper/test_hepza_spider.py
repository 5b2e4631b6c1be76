"""The hepza spider on saved replica pages (no server): routing, discovery and the raw fields."""

from __future__ import annotations

from pathlib import Path

import pytest
import scrapy
from scrapy.http import HtmlResponse, TextResponse, XmlResponse
from scrapy.utils.test import get_crawler

from pipelines.extract import extract_page
from pipelines.urls import article_key
from scraper.items import ArticleItem, FetchOutcomeItem, ListingItem
from scraper.spiders.hepza import HepzaSpider

FILES = Path(__file__).resolve().parents[1] / "files"
ORIGIN = "http://127.0.0.1:8000"
SEED_PATH = (
    "/w/h%E1%BB%99i-ngh%E1%BB%8B-s%C6%A1-k%E1%BA%BFt-c%C3%B4ng-t%C3%A1c-x%C3%A2y-d%E1%BB%B1ng-%C4%90%E1%BA%A3ng"
    "-qu%C3%BD-i-v%C3%A0-tri%E1%BB%83n-khai-ph%C6%B0%C6%A1ng-h%C6%B0%E1%BB%9Bng-nhi%E1%BB%87m-v%E1%BB%A5-qu%C3%BD-ii/2022"
)


@pytest.fixture
def spider(tmp_path):
    crawler = get_crawler(
        HepzaSpider,
        {
            "HEPZA_SITE_URL": ORIGIN,
            "HEPZA_DB": str(tmp_path / "a.db"),
            "HEPZA_RECHECK_SCHEDULE": "3d:0,*:30d",
        },
    )
    return HepzaSpider.from_crawler(crawler)


def spider_on(site_url: str, tmp_path) -> HepzaSpider:
    """A spider for another portal (a real Liferay site of the saved pages), every article due daily."""
    crawler = get_crawler(
        HepzaSpider,
        {"HEPZA_SITE_URL": site_url, "HEPZA_DB": str(tmp_path / "a.db"), "HEPZA_RECHECK_SCHEDULE": "*:1d"},
    )
    return HepzaSpider.from_crawler(crawler)


def response(name: str, url: str, cls=HtmlResponse, status: int = 200):
    request = scrapy.Request(url, meta={"category": "tin-tuc-su-kien", "lastmod": None})
    return cls(
        url=url,
        body=(FILES / name).read_bytes(),
        status=status,
        request=request,
        headers={"Content-Type": "text/html; charset=UTF-8"},
    )


def raw_of(item: ArticleItem):
    """The raw fields the archive writer reads from what the spider hands it."""
    return extract_page(item.capture.body, item.capture.url, item.charset)


# The replica's pages are saved in both its layouts: the light markup and the full Liferay 7.4 chrome.
LAYOUTS = ["hepza_", "hepza_full_"]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_article_page_gives_raw_fields(spider, layout):
    items = list(spider.parse_article(response(f"{layout}article_seed.html", ORIGIN + SEED_PATH)))
    assert len(items) == 1 and isinstance(items[0], ArticleItem)
    assert items[0].charset == "utf-8" and items[0].category == "tin-tuc-su-kien"
    raw = raw_of(items[0])
    assert (
        raw.title_raw
        == "Hội nghị sơ kết công tác xây dựng Đảng quý I và triển khai phương hướng, nhiệm vụ quý II/2022"
    )
    assert raw.published_raw == "10:56 08/03/2023"
    assert raw.locale == "vi"
    assert raw.asset_id and raw.asset_id.isdigit()
    assert raw.canonical == ORIGIN + SEED_PATH
    assert set(raw.alternates) == {"vi-VN", "en-US", "x-default"}
    assert raw.layers.pop("layout").startswith("portal:")
    assert raw.layers == {"asset_id": "metadata", "title": "portal", "published": "portal", "body": "portal"}
    assert "Minh Trí" in raw.body_html_raw  # the spider keeps the raw body; cleaning splits the byline off
    assert "Bài viết liên quan" not in raw.body_html_raw and "Lượt xem" not in raw.body_html_raw
    assert items[0].capture.body.startswith(b"<!DOCTYPE") or b"<html" in items[0].capture.body[:500]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_en_page_reads_the_us_date_line(spider, layout):
    items = list(spider.parse_article(response(f"{layout}article_seed_en.html", ORIGIN + "/en" + SEED_PATH)))
    raw = raw_of(items[0])
    assert raw.locale == "en"
    assert raw.published_raw == "3/8/23 10:56 AM"


@pytest.mark.parametrize("status,kind", [(304, "not-modified"), (404, "gone"), (410, "gone")])
def test_article_statuses_are_outcomes(spider, status, kind):
    items = list(
        spider.parse_article(
            HtmlResponse(
                url=ORIGIN + SEED_PATH, body=b"", status=status, request=scrapy.Request(ORIGIN + SEED_PATH)
            )
        )
    )
    assert [(type(i), i.kind) for i in items] == [(FetchOutcomeItem, kind)]


def test_robots_leads_to_the_sitemap(spider):
    requests = list(spider.parse_robots(response("hepza_robots.txt", ORIGIN + "/robots.txt", TextResponse)))
    assert [r.url for r in requests] == [ORIGIN + "/sitemap.xml"]


def test_sitemap_index_leads_to_its_children(spider):
    requests = list(
        spider.parse_sitemap(response("hepza_sitemap_index.xml", ORIGIN + "/sitemap.xml", XmlResponse))
    )
    assert len(requests) >= 2
    assert all("/sitemap.xml?p_l_id=" in r.url and "layoutUuid=" in r.url for r in requests)


def _with(name: str, url: str, cls, old: bytes, new: bytes):
    """A saved page with one edit, as a response."""
    good = response(name, url, cls)
    body = good.body.replace(old, new, 1)
    assert body != good.body
    return good.replace(body=body)


# An editor's typo: an address Python cannot parse (``http://[``). It once made the callback raise, and
# every other link of the page was lost with it.
BAD = b"http://[/w/typo"


def _requests(results) -> list[scrapy.Request]:
    """The requests among what a callback yields (a list page also yields its ``ListingItem``)."""
    return [r for r in results if isinstance(r, scrapy.Request)]


def _list_page(url: str, category: str, hrefs: list[str], next_page: str | None = None) -> HtmlResponse:
    links = "".join(f'<a href="{href}">x</a>' for href in hrefs)
    pager = f'<ul class="pagination"><li><a href="{next_page}">2</a></li></ul>' if next_page else ""
    return HtmlResponse(
        url=url,
        body=f"<html><body>{links}{pager}</body></html>".encode(),
        encoding="utf-8",
        request=scrapy.Request(url, meta={"category": category}),
    )


def test_a_list_page_names_its_category_for_every_article_it_links(spider):
    page = _list_page(ORIGIN + "/dau-tu", "dau-tu", ["/w/a", "/-/b", "/gioi-thieu"])
    listings = [r for r in spider.parse_list(page) if isinstance(r, ListingItem)]
    assert [(x.category, x.urls) for x in listings] == [("dau-tu", [ORIGIN + "/w/a", ORIGIN + "/-/b"])]


def test_a_list_is_paged_on_when_the_sitemap_led_to_its_articles_first(spider):
    # Regression: paging stopped at a page whose articles had all been discovered elsewhere (the sitemap,
    # another list), so an article found first through the sitemap never got the categories of the lists
    # on later pages.
    for url in ("/w/a", "/w/b"):
        spider._article_request(ORIGIN + url, discovered=True)
    next_page = ORIGIN + "/dau-tu?p_p_id=x&_x_cur=2"
    page = _list_page(ORIGIN + "/dau-tu", "dau-tu", ["/w/a", "/w/b"], next_page)
    assert [r.url for r in _requests(spider.parse_list(page)) if r.callback == spider.parse_list] == [
        next_page
    ]
    # A page that repeats what this list has shown (Liferay's answer past the last page) ends the paging.
    again = _list_page(next_page, "dau-tu", ["/w/a", "/w/b"], ORIGIN + "/dau-tu?p_p_id=x&_x_cur=3")
    assert [r for r in _requests(spider.parse_list(again)) if r.callback == spider.parse_list] == []


def test_an_incremental_run_stops_paging_a_list_that_links_known_articles_by_an_alias_route(spider):
    # Regression (liferay70): a list linking its articles as /-/<slug> while the archive keeps them under
    # /-/details/<id>/<slug> read as "all unknown" on every page, so each unchanged re-crawl walked the
    # whole pager. The alias the archive met them by makes them known; a new article still pages on.
    from archive.crawl_plan import CrawlPlan, KnownArticle

    known = {}
    aliases = {}
    checked = spider.now.isoformat()  # checked just now, published long ago: not due
    for slug, entry in (("a", "1"), ("b", "2")):
        own_url = f"{ORIGIN}/-/details/{entry}/{slug}"
        own_key, alias_key = article_key(own_url), article_key(f"{ORIGIN}/-/{slug}")
        assert own_key is not None and alias_key is not None and own_key != alias_key
        known[own_key] = KnownArticle(
            url=own_url, url_key=own_key, published_at="2025-01-01T08:00:00+07:00", last_checked_at=checked
        )
        aliases[alias_key] = own_key
    spider.plan = CrawlPlan(articles=known, aliases=aliases, now=spider.now)
    next_page = ORIGIN + "/chi-dao?p_p_id=x&_x_cur=2"

    page = _list_page(ORIGIN + "/chi-dao", "chi-dao", ["/-/a", "/-/b"], next_page)
    assert _requests(spider.parse_list(page)) == []  # nothing new: no article, no next page

    spider.list_pages_seen.clear()
    spider.listed_keys.clear()
    page = _list_page(ORIGIN + "/chi-dao", "chi-dao", ["/-/new", "/-/a"], next_page)
    assert [r.url for r in _requests(spider.parse_list(page))] == [ORIGIN + "/-/new", next_page]


def test_a_malformed_address_costs_one_link_of_a_list_not_the_list(tmp_path):
    spider = spider_on("https://ncov.moh.gov.vn", tmp_path)
    url = "https://ncov.moh.gov.vn/en/web/guest/tin-tuc"
    page = _with(
        "moh_list_en_liferay73.html",
        url,
        HtmlResponse,
        b'<a href="',
        b'<a href="' + BAD + b'">x</a><a href="',
    )
    requests = _requests(spider.parse_list(page))
    assert len([r for r in requests if r.callback == spider.parse_article]) == 5
    assert len([r for r in requests if r.callback == spider.parse_list]) == 1


def test_a_malformed_address_costs_one_entry_of_a_sitemap_or_robots(spider):
    index = _with(
        "hepza_sitemap_index.xml",
        ORIGIN + "/sitemap.xml",
        XmlResponse,
        b"<sitemap>",
        b"<sitemap><loc>" + BAD + b"</loc></sitemap><sitemap>",
    )
    assert len(list(spider.parse_sitemap(index))) == 2
    robots = _with(
        "hepza_robots.txt",
        ORIGIN + "/robots.txt",
        TextResponse,
        b"Sitemap: http",
        b"Sitemap: " + BAD + b"\nSitemap: http",
    )
    assert [r.url for r in spider.parse_robots(robots)] == [ORIGIN + "/sitemap.xml"]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_home_menu_leads_to_the_category_lists(spider, layout):
    requests = _requests(spider.parse_home(response(f"{layout}home.html", ORIGIN + "/")))
    lists = {r.url for r in requests if r.callback == spider.parse_list}
    articles = {r.url for r in requests if r.callback == spider.parse_article}
    assert len(lists) >= 3
    assert all(url.startswith(ORIGIN) for url in lists | articles)


def test_one_request_per_article_whatever_the_url(spider):
    urls = [
        ORIGIN + SEED_PATH,
        ORIGIN + "/en" + SEED_PATH,
        ORIGIN + SEED_PATH.lower(),
        ORIGIN + "/-" + SEED_PATH[2:],
        ORIGIN + SEED_PATH + "?_x_redirect=%2F",
    ]
    requests = [spider._article_request(u, discovered=True) for u in urls]
    assert sum(r is not None for r in requests) == 1


def test_links_to_the_portal_host_in_other_spellings_stay_on_the_origin(tmp_path):
    spider = spider_on("https://hepza.hochiminhcity.gov.vn", tmp_path)
    assert (
        spider._on_origin("http://www.hepza.hochiminhcity.gov.vn/w/a#x")
        == "https://hepza.hochiminhcity.gov.vn/w/a"
    )
    assert spider._on_origin("https://evil.example/w/a") == "https://evil.example/w/a"


def test_real_liferay_list_pages_give_articles_and_the_next_page(tmp_path):
    spider = spider_on("https://ncov.moh.gov.vn", tmp_path)
    requests = _requests(
        spider.parse_list(
            response("moh_list_en_liferay73.html", "https://ncov.moh.gov.vn/en/web/guest/tin-tuc")
        )
    )
    articles = [r.url for r in requests if r.callback == spider.parse_article]
    pages = [r.url for r in requests if r.callback == spider.parse_list]
    assert len(articles) == 5 and all("/-/" in url for url in articles)
    assert len(pages) == 1 and "_cur=2" in pages[0] and "_delta=5" in pages[0]


def test_a_list_that_brings_no_article_links_is_not_paged(tmp_path):
    # The ministry's NFD timeline shows its entries inline: no article links, so paging stops there.
    spider = spider_on("https://ncov.moh.gov.vn", tmp_path)
    assert (
        list(
            spider.parse_list(
                response("moh_list_vi_liferay73.html", "https://ncov.moh.gov.vn/web/guest/dong-thoi-gian")
            )
        )
        == []
    )


def test_list_links_resolve_against_the_pages_base_href(spider):
    page = HtmlResponse(
        url=ORIGIN + "/tin-tuc-su-kien",
        body=b'<html><head><base href="' + ORIGIN.encode() + b'/en/"></head>'
        b'<body><a href="w/bai-viet">x</a></body></html>',
        encoding="utf-8",
        request=scrapy.Request(ORIGIN + "/tin-tuc-su-kien", meta={"category": "tin-tuc-su-kien"}),
    )
    assert [r.url for r in _requests(spider.parse_list(page))] == [ORIGIN + "/en/w/bai-viet"]


def test_the_home_menu_leads_to_the_same_pages_in_both_layouts(tmp_path):
    # A spider per layout: a spider asks for each page once, so a second parse of the menu asks for none.
    def followed(name: str) -> set[tuple[str, str]]:
        spider = spider_on(ORIGIN, tmp_path / name)
        home = spider.parse_home(response(name, ORIGIN + "/"))
        return {(r.url, r.callback.__name__) for r in _requests(home)}

    light = followed("hepza_home.html")
    assert light == followed("hepza_full_home.html")
    assert len({url for url, callback in light if callback == "parse_list"}) >= 3


# --- other Liferay generations: the replica's 7.3 and 6.2 portals (replica/portals.py), pages from its app


def _portal_page(site, target: str, callback_meta: dict | None = None) -> HtmlResponse:
    from replica import app

    status, headers, body = app.handle(site, "GET", target, {"host": "127.0.0.1:8000"})
    assert status == 200, target
    url = ORIGIN + target
    return HtmlResponse(
        url=url,
        body=body,
        status=status,
        headers=dict(headers),
        request=scrapy.Request(url, meta=callback_meta or {"category": None}),
    )


@pytest.mark.parametrize("portal", ["liferay73", "liferay62"])
def test_a_portal_s_list_gives_each_card_once_and_its_next_page(portal, tmp_path):
    # 7.3: every card twice (desktop and mobile copies), a simple pager; 6.2: the query-form content
    # links of portlet 101 and its _cur/_delta pager. Neither has HEPZA's instance id nor its markup.
    from replica import Site

    site = Site(portal=portal)
    spider = spider_on(ORIGIN, tmp_path)
    cat = next(c for c in site.spec.categories.values() if c.pager == "simple")
    requests = _requests(spider.parse_list(_portal_page(site, cat.path, {"category": cat.key})))
    articles = [r.url for r in requests if r.callback == spider.parse_article]
    pages = [r.url for r in requests if r.callback == spider.parse_list]
    shown = site.in_category(cat.key)[: cat.delta]
    assert sorted(article_key(u) for u in articles) == sorted(
        article_key(ORIGIN + site.url_of(a)) for a in shown
    )
    assert (
        f"{ORIGIN}{cat.path}?{site.spec.pager_query.format(pid=cat.portlet_id(site.spec), delta=cat.delta, cur=2)}"
        in pages
    )


@pytest.mark.parametrize("portal", ["liferay73", "liferay62"])
def test_a_portal_s_menu_leads_to_its_percent_encoded_list_pages(portal, tmp_path):
    from replica import Site

    site = Site(portal=portal)
    spider = spider_on(ORIGIN, tmp_path)
    requests = _requests(spider.parse_home(_portal_page(site, "/")))
    lists = {r.url for r in requests if r.callback == spider.parse_list}
    assert {ORIGIN + c.path for c in site.spec.categories.values()} <= lists


def test_pagers_are_known_by_the_portlet_s_parameter_not_by_their_markup(spider):
    pid = "101_INSTANCE_Zx9Qw8Er7Ty6"
    page = _list_page(
        ORIGIN + "/tin-tuc",
        "tin-tuc",
        ["/w/a"],
    ).replace(
        body=(
            '<html><body><a href="/w/a">a</a><div class="custom-pages">'
            f'<a href="/tin-tuc?p_p_id={pid}&_{pid}_cur=2&_{pid}_delta=10">2</a>'
            f'<a href="/tin-tuc?p_p_id={pid}&_{pid}_cur=abc">?</a>'
            '<a href="/tin-tuc?cur=3">3</a></div></body></html>'
        ).encode()
    )
    pages = [r.url for r in _requests(spider.parse_list(page)) if r.callback == spider.parse_list]
    assert pages == [f"{ORIGIN}/tin-tuc?p_p_id={pid}&_{pid}_cur=2&_{pid}_delta=10"]


def test_a_re_check_asks_for_a_query_form_article_with_its_query(spider):
    from archive.crawl_plan import CrawlPlan, KnownArticle

    pid = "101_INSTANCE_emZ19pfF3Yyq"
    url = (
        f"{ORIGIN}/tin-tuc-su-kien?p_p_id={pid}&_{pid}_struts_action=%2Fasset_publisher%2Fview_content"
        f"&_{pid}_assetEntryId=1782220&_{pid}_urlTitle=hoi-nghi"
    )
    key = article_key(url)
    assert key is not None
    spider.plan = CrawlPlan(articles={key: KnownArticle(url=url, url_key=key)})
    spider.full_run = True
    assert [r.url for r in spider.recheck_requests()] == [url]


def _portal_xml(site, target: str) -> XmlResponse:
    from replica import app

    status, headers, body = app.handle(site, "GET", target, {"host": "127.0.0.1:8000"})
    assert status == 200, target
    url = ORIGIN + target
    return XmlResponse(url=url, body=body, headers=dict(headers), request=scrapy.Request(url))


@pytest.mark.parametrize("portal", ["liferay73", "liferay62"])
def test_a_portal_s_sitemap_leads_to_its_articles_or_only_to_its_pages(portal, tmp_path):
    # 7.3: an index of a pages set and an articles set (/web/<group>/-/<slug>); 6.2: pages only, which
    # are followed as lists (web content is reached through the lists).
    from replica import Site

    site = Site(portal=portal)
    spider = spider_on(ORIGIN, tmp_path)
    pending, articles, lists = [_portal_xml(site, "/sitemap.xml")], set(), set()
    while pending:
        for request in _requests(spider.parse_sitemap(pending.pop())):
            if request.callback == spider.parse_sitemap:
                pending.append(_portal_xml(site, request.url[len(ORIGIN) :]))
            elif request.callback == spider.parse_article:
                articles.add(request.url)
            else:
                lists.add(request.url)
    assert {ORIGIN + c.path for c in site.spec.categories.values()} <= lists
    expected = {ORIGIN + g["url"] for g in site.gold()} if site.spec.sitemap_articles else set()
    assert articles == expected and (portal == "liferay62") == (not expected)


def test_a_list_page_is_asked_for_once_however_its_links_spell_it(spider):
    page = _list_page(
        ORIGIN + "/",
        "x",
        [],
    ).replace(
        body=b'<html><body><a href="/tin-t%E1%BB%A9c?a=1&_x_cur=2">2</a><a href="/w/a">a</a>'
        b'<a href="/tin-t%e1%bb%a9c?_x_cur=2&a=1">2</a><a href="/tin-t\xe1\xbb\xa9c?a=1&_x_cur=2">2</a>'
        b"</body></html>"
    )
    pages = [r.url for r in _requests(spider.parse_list(page)) if r.callback == spider.parse_list]
    assert len(pages) == 1


def test_a_list_page_hands_on_its_cards_dates_before_its_article_requests(tmp_path):
    # A 6.2 article page may print the day only: the writer must know the card's minute when it arrives.
    spider = spider_on("https://ncov.moh.gov.vn", tmp_path)
    results = list(
        spider.parse_list(
            response("moh_list_en_liferay73.html", "https://ncov.moh.gov.vn/en/web/guest/tin-tuc")
        )
    )
    (listing,) = [r for r in results if isinstance(r, ListingItem)]
    assert results.index(listing) < min(i for i, r in enumerate(results) if isinstance(r, scrapy.Request))
    assert listing.dates["https://ncov.moh.gov.vn/en/web/guest/-/6847426-3899"] == "Monday, 24/05/2021, 22:38"
    assert set(listing.dates) == set(listing.urls) and len(listing.urls) == 5
