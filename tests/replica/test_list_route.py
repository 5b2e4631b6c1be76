"""``Site.list_route``: the lists link articles under a route of no Liferay form, which the portal answers
with the article's page (what only a profile's article routes make a crawl follow)."""

from __future__ import annotations

import re

from replica import Site, app

HOST = {"host": "127.0.0.1:8000"}


def test_the_lists_link_the_route_and_the_portal_answers_it_with_the_article():
    site = Site()
    site.list_route = "/tin-bai/{slug}.html"
    _, _, body = app.handle(site, "GET", "/tin-tuc-su-kien", HOST)
    links = re.findall(r'href="http://127\.0\.0\.1:8000(/tin-bai/[^"]+\.html)"', body.decode())
    first = site.in_category("tin-tuc-su-kien")[0]
    assert f"/tin-bai/{first.slug}.html" in links
    assert not re.search(r'href="[^"]*/w/' + re.escape(first.slug) + '"', body.decode())
    status, _, page = app.handle(site, "GET", f"/tin-bai/{first.slug}.html", HOST)
    canonical = re.search(r'<link[^>]*href="([^"]+)" rel="canonical"', page.decode())
    assert status == 200 and canonical and canonical[1] == f"http://127.0.0.1:8000/w/{first.slug}"
    assert app.handle(site, "GET", "/tin-bai/khong-co-bai-nay.html", HOST)[0] == 404


def test_without_it_the_route_is_no_page():
    site = Site()
    first = site.in_category("tin-tuc-su-kien")[0]
    assert app.handle(site, "GET", f"/tin-bai/{first.slug}.html", HOST)[0] == 404
