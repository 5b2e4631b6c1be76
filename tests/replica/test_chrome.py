"""The page chrome (replica/chrome.py): pages as heavy as real Liferay 7.4 ones, and nothing else changes."""

import re
import statistics
from collections import Counter
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import pytest
import scrapy
from lxml import html as lxml_html
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from pipelines.extract import classify_page, extract_page
from pipelines.record import clean_article
from replica import Site, app, chrome
from replica.portal import CATEGORIES, MENU
from scraper.spiders.hepza import HepzaSpider

HOST = "127.0.0.1:8000"
ORIGIN = f"http://{HOST}"
NOW = datetime(2026, 3, 1, tzinfo=UTC)


def get(site: Site, target: str) -> tuple[int, dict[str, str], bytes]:
    status, headers, body = app.handle(site, "GET", target, {"host": HOST})
    return status, dict(headers), body


def page_targets(site: Site) -> list[str]:
    """One page of every kind: articles (vi, en), list pages (both pagers, page 2), home, static, 404."""
    a = site.live()[0]
    cat = CATEGORIES["tin-tuc-su-kien"]
    return [
        a.url,
        "/en" + a.url,
        "/tin-tuc-su-kien",
        f"/tin-tuc-su-kien?p_p_id={cat.portlet_id}&_{cat.portlet_id}_cur=2",
        "/en/hoat-dong-dang-doan-the",
        "/",
        "/en",
        "/gioi-thieu",
        "/khong-co-trang-nay",
    ]


@pytest.fixture(scope="module")
def sites() -> dict[str, Site]:
    return {mode: Site(articles=300, seed=0, chrome=mode) for mode in chrome.MODES}


def test_article_pages_weigh_like_real_liferay_pages(sites):
    sizes = {}
    for mode, site in sites.items():
        articles = [len(get(site, p + a.url)[2]) for a in site.live() for p in ("", "/en")]
        lists = [len(get(site, f"{p}/{key}")[2]) for key in CATEGORIES for p in ("", "/en")]
        homes = [len(get(site, p)[2]) for p in ("/", "/en")]
        sizes[mode] = statistics.median(articles), statistics.median(lists), statistics.median(homes)
    article, lists, home = sizes["full"]
    assert 70_000 <= article <= 80_000, sizes
    assert 65_000 <= lists <= 90_000 and 65_000 <= home <= 90_000, sizes
    article, lists, home = sizes["light"]  # the replica's original pages
    assert 13_000 <= article <= 19_000 and lists < 25_000 and home < 25_000, sizes


def test_light_chrome_is_the_original_markup_and_full_chrome_is_liferay_7_4(sites):
    liferay = [
        "Liferay.Browser",
        '<script type="importmap">',
        "window.__CONFIG__",
        "Liferay.Loader.define(",
        "AUI().applyConfig(",
        "AUI().use(",
        "Liferay.Portlet.register(",
        "Liferay.Portlet.onLoad(",
        "Liferay.SPA.",
        "lfr-product-menu-panel",
        "portlet-boundary_com_liferay_product_navigation_product_menu_web_portlet_ProductMenuPortlet_",
        ".lfr-layout-structure-item-",
        '<link data-senna-track="temporary" href="/o/frontend-css-web/main.css?browserId=other&amp;themeId=',
        "/o/frontend-js-aui-web/aui/aui/aui.js",
        "getPathThemeSpritemap",
    ]
    for target in page_targets(sites["full"]):
        full = get(sites["full"], target)[2].decode()
        light = get(sites["light"], target)[2].decode()
        assert all(marker in full for marker in liferay), target
        assert not any(marker in light for marker in liferay), target
        assert "\x00" not in full and "\x00" not in light
        assert full.count("Liferay.ThemeDisplay = {") == light.count("Liferay.ThemeDisplay = {") == 1
    with pytest.raises(ValueError):
        Site(chrome="heavy")


@pytest.mark.parametrize("layout,count", [("liferay", None), ("redesigned", 25)])
def test_full_and_light_chrome_give_the_same_record(layout, count):
    pair = {mode: Site(articles=150, seed=2, chrome=mode) for mode in chrome.MODES}
    for site in pair.values():
        site.redesign(layout)
    compared = 0
    for a in pair["light"].live()[:count]:
        for target in (a.url, "/en" + a.url):
            out = {}
            for mode, site in pair.items():
                status, headers, body = get(site, target)
                assert status == 200
                raw = extract_page(body, ORIGIN + target, "utf-8")
                out[mode] = raw, clean_article(raw, now=NOW), headers["ETag"]
            assert out["full"] == out["light"], target
            compared += 1
    assert compared >= 50


def _visible_words(body: bytes) -> Counter:
    doc = lxml_html.document_fromstring(body.decode())
    for element in doc.xpath("//script | //style | //svg"):
        element.drop_tree()
    return Counter(doc.text_content().split())


def test_chrome_is_not_content(sites):
    for name in chrome.names():
        text = chrome.block_text(name)
        for role in ("journal-content-article", "data-lfr-editable-type", "asset-title", "component-heading"):
            assert role not in text, (name, role)
        assert "<h1" not in text and "<title" not in text, name
        # A home page whose text says "maintenance" is taken for a maintenance wall (pipelines/extract.py).
        assert not re.search(r"bảo trì|maintenance|tạm ngưng|under construction", text, re.IGNORECASE), name
    for target in page_targets(sites["full"]):
        full, light = get(sites["full"], target)[2], get(sites["light"], target)[2]
        assert classify_page(full, "utf-8") == classify_page(light, "utf-8") is None
        # Visible text the chrome adds is menu and footer text, never script or style source.
        added = _visible_words(full) - _visible_words(light)
        assert added, target
        assert not [w for w in added if re.search(r"[{};=<>]|Liferay|function|\\x", w)], (target, added)


def _links(body: bytes) -> dict[str, set[str]]:
    """Every URL a page names, by the tag naming it (href, src, action; <use> too; <link> by its rel)."""
    doc = lxml_html.document_fromstring(body.decode())
    out: dict[str, set[str]] = {}
    for element in doc.iter():
        if not isinstance(element.tag, str):
            continue
        tag = f"link:{element.get('rel')}" if element.tag == "link" else element.tag
        for attr in ("href", "src", "action", "{http://www.w3.org/1999/xlink}href"):
            value = element.get(attr)
            if value is not None:
                out.setdefault(tag, set()).add(value.strip())
    return out


def _offsite(url: str) -> bool:
    parts = urlsplit(urljoin(ORIGIN + "/", url))
    return parts.scheme in ("http", "https") and parts.netloc != HOST


def test_no_chrome_link_leaves_the_origin_and_every_resource_answers(sites):
    site = sites["full"]
    resources: set[str] = set()
    for target in page_targets(site):
        full, light = _links(get(site, target)[2]), _links(get(sites["light"], target)[2])
        every = set().union(*full.values())
        # The only links off the origin are the share buttons the light page already has.
        assert {u for u in every if _offsite(u)} == {u for u in set().union(*light.values()) if _offsite(u)}
        assert not [u for u in every if u.startswith("//")]
        # The chrome's <a href>: the menu's pages, in-page anchors and javascript: only.
        prefix = "/en" if target.startswith("/en") else ""
        menu = {urljoin(ORIGIN, f"{prefix}/{key}" if key else prefix or "/") for key, _, _ in MENU}
        added = {urljoin(ORIGIN + target, u) for u in full["a"] - light.get("a", set())}
        assert {u for u in added if not u.startswith("javascript:")} <= menu, target
        for kind in ("link:stylesheet", "link:icon", "script", "use"):
            resources |= full.get(kind, set())
        resources |= full.get("img", set()) - light.get("img", set())
    assert len(resources) > 10
    for url in resources:
        if url.startswith("#"):
            continue  # an icon of the inline sprite
        parts = urlsplit(urljoin(ORIGIN + "/", url))
        status, headers, body = get(site, parts.path + (f"?{parts.query}" if parts.query else ""))
        assert status == 200 and len(body) < 10_000, url
        assert not headers["Content-Type"].startswith("text/html"), url


def _spider(tmp_path, mode: str) -> HepzaSpider:
    crawler = get_crawler(
        HepzaSpider,
        {
            "HEPZA_SITE_URL": ORIGIN,
            "HEPZA_DB": str(tmp_path / f"{mode}.db"),
            "HEPZA_RECHECK_SCHEDULE": "3d:0,*:30d",
        },
    )
    return HepzaSpider.from_crawler(crawler)


def _discover(site: Site, spider: HepzaSpider) -> list[str]:
    """The requests the spider makes from the home page, the menus and every list page they lead to, in
    order (the spider's own parse_home / parse_list on the replica's pages, no server)."""
    requested: list[str] = []
    todo = [scrapy.Request(ORIGIN + "/", callback=spider.parse_home)]
    while todo:
        request = todo.pop(0)
        target = request.url[len(ORIGIN) :] or "/"
        status, headers, body = get(site, target)
        response = HtmlResponse(
            url=request.url, status=status, body=body, request=request, headers=headers, encoding="utf-8"
        )
        for out in request.callback(response):
            if isinstance(out, scrapy.Request):
                requested.append(out.url)
                if out.callback == spider.parse_list and out.url not in requested[:-1]:
                    todo.append(out)
    return requested


def test_a_crawl_requests_the_same_pages_with_full_and_light_chrome(tmp_path):
    found = {
        mode: _discover(Site(articles=120, seed=0, chrome=mode), _spider(tmp_path, mode))
        for mode in chrome.MODES
    }
    assert found["full"] == found["light"]
    assert len(found["full"]) > 120


def test_same_seed_same_bytes_and_volatile_parts_still_change():
    one, two = Site(articles=80, seed=5), Site(articles=80, seed=5)
    targets = page_targets(one) * 2
    assert [get(one, t)[2] for t in targets] == [get(two, t)[2] for t in targets]
    a = one.live()[3]
    first, second = get(one, a.url)[2].decode(), get(one, a.url)[2].decode()
    token = re.compile(r"Liferay\.authToken = '([0-9a-f]+)'")
    assert token.search(first)[1] != token.search(second)[1]
    views = re.compile(r'class="view-count">[^:]+: (\d+)<')
    assert int(views.search(second)[1]) == int(views.search(first)[1]) + 1
    strip = [token, views, re.compile(r'<ul class="related-list">.*?</ul>', re.S)]
    for pattern in strip:
        first, second = pattern.sub("", first), pattern.sub("", second)
    assert first == second


def test_cached_pages_share_the_chrome_blocks():
    site = Site(articles=40, seed=0)
    for a in site.live()[:5]:
        get(site, a.url)
    head = chrome.block("head/vi")
    cached = list(site._page_cache.values())
    assert len(cached) == 5
    assert all(sum(part is head for part in segments) == 1 for segments in cached)
    shared = {id(chrome.block(name)) for name in chrome.names()}
    own = [
        sum(len(p) for p in segments if isinstance(p, bytes) and id(p) not in shared) for segments in cached
    ]
    assert max(own) < 35_000  # the page's own part; the ~50 KB of shared chrome is stored once


@pytest.mark.parametrize("mode", chrome.MODES)
def test_sample_site_serves_the_chrome_asked_for(mode):
    import socket
    import time

    from tests.hepza_cli import popen_hepza
    from tests.replica.replica_http import fetch

    with socket.socket() as probe:  # a free port on loopback
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = popen_hepza("sample-site", "--port", str(port), "--chrome", mode)
    try:
        site = Site(chrome=mode)  # what the command serves: the hand-written corpus
        article = site.live()[0]
        deadline = time.monotonic() + 30
        while True:
            try:
                status, _, body = fetch(f"http://127.0.0.1:{port}{article.url}")
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, process.stderr.read()
                time.sleep(0.1)
        assert status == 200
        expected = get(site, article.url)[2].decode()
        # The same page as the mode's own, but for the host and the per-request counter and token.
        assert len(body) == pytest.approx(len(expected), rel=0.02)
        assert ("Liferay.Loader" in body) == ("Liferay.Loader" in expected)
    finally:
        process.terminate()
        process.wait(timeout=10)
