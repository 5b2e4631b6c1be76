"""The served replica: reachability, pagination, sitemap, markup, mutations, conditional requests."""

import re
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone
from html import unescape
from urllib.parse import parse_qs, urlsplit

from replica_http import fetch

from replica.portal import CATEGORIES
from replica.slugs import slug_key

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
HREF = re.compile(r'href="([^"]+)"')


def _path_slug(url: str) -> str:
    path = urlsplit(url).path
    return path.split("/w/", 1)[1]


def crawl_lists(server) -> set[str]:
    """Follow every category's pager links until no new page; return the article slugs (decoded keys)."""
    found: set[str] = set()
    for cat in CATEGORIES.values():
        todo, seen = [f"{server.url}/{cat.key}"], set()
        while todo:
            url = todo.pop()
            if url in seen:
                continue
            seen.add(url)
            status, _, body = fetch(url)
            assert status == 200
            portlet = body.split(f'id="p_p_id_{cat.portlet_id}_"', 1)[1]
            for m in re.finditer(r'<a class="asset-title" href="([^"]+)"', portlet):
                href = unescape(m.group(1))
                if "/-/" in href:
                    status, hdrs, _ = fetch(href)
                    assert status == 301
                    href = hdrs["location"]
                found.add(slug_key(_path_slug(href)))
            for href in HREF.findall(portlet):
                href = unescape(href)
                if f"_{cat.portlet_id}_cur=" in href:
                    todo.append(href)
        assert len(seen) < 100  # pagination ends
    return found


def sitemap_articles(server) -> dict[str, ET.Element]:
    status, hdrs, body = fetch(f"{server.url}/sitemap.xml")
    assert status == 200 and "xml" in hdrs["content-type"]
    index = ET.fromstring(body.encode())
    assert index.tag == f"{SM}sitemapindex"
    out = {}
    for loc in index.iter(f"{SM}loc"):
        q = parse_qs(urlsplit(loc.text).query)
        assert {"p_l_id", "layoutUuid", "groupId", "privateLayout"} <= set(q)
        status, _, child = fetch(loc.text)
        assert status == 200
        urlset = ET.fromstring(child.encode())
        assert urlset.tag == f"{SM}urlset"
        for url in urlset.iter(f"{SM}url"):
            loc_text = url.find(f"{SM}loc").text
            langs = {link.get("hreflang"): link.get("href") for link in url.iter(f"{XHTML}link")}
            assert set(langs) == {"vi-VN", "en-US", "x-default"}
            assert langs["vi-VN"] == langs["x-default"] == loc_text
            if "/w/" in loc_text:
                assert langs["en-US"] == loc_text.replace(server.url, server.url + "/en")
                out[slug_key(_path_slug(loc_text))] = url
    return out


def test_every_live_article_reachable_from_sitemap_and_lists(served):
    site, server = served
    live = {slug_key(a.slug) for a in site.live()}
    assert len(live) == 150
    assert set(sitemap_articles(server)) == live
    assert crawl_lists(server) == live


def test_robots_names_sitemap(served):
    _, server = served
    status, _, body = fetch(f"{server.url}/robots.txt")
    assert status == 200 and f"Sitemap: {server.url}/sitemap.xml" in body


def test_lastmod_is_utc_modification_time(served):
    site, server = served
    entries = sitemap_articles(server)
    a = site.live()[5]
    lastmod = entries[slug_key(a.slug)].find(f"{SM}lastmod").text
    assert lastmod == a.modified.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_out_of_range_page_is_last_page_and_lists_are_newest_first(served):
    site, server = served
    cat = CATEGORIES["tin-tuc-su-kien"]
    p = cat.portlet_id
    entries = site.in_category(cat.key)
    pages = -(-len(entries) // 10)
    base = f"{server.url}/{cat.key}?p_p_id={p}&p_p_lifecycle=0&_{p}_delta=10&p_r_p_resetCur=false&_{p}_cur="
    last = fetch(base + str(pages))[2]
    beyond = fetch(base + "999")[2]
    grab = re.compile(r'class="asset-title" href="([^"]+)"')
    assert grab.findall(last) == grab.findall(beyond) and grab.findall(last)
    first = [slug_key(_path_slug(unescape(h))) for h in grab.findall(fetch(base + "1")[2])]
    assert first == [slug_key(a.slug) for a in entries[:10]]
    dates = [a.date for a in entries]
    assert dates == sorted(dates, reverse=True)


def test_both_pager_styles_and_link_styles(served):
    _, server = served
    numbered = fetch(f"{server.url}/tin-tuc-su-kien")[2]
    assert '<ul class="pagination">' in numbered and 'class="page-link"' in numbered and "…" in numbered
    simple = fetch(f"{server.url}/hoat-dong-dang-doan-the")[2]
    assert "lfr-pagination-buttons pager" in simple and "Tiếp theo" in simple and "Trước" in simple
    assert '<a class="asset-title" href="http://127.0.0.1' in simple and "/-/" in simple
    notices = fetch(f"{server.url}/thong-bao")[2]
    assert f"_{CATEGORIES['thong-bao'].portlet_id}_redirect=" in notices
    assert re.search(r"\d\d:\d\d \d\d/\d\d/\d{4}</span>", numbered)


def test_chrome_pages_answer(served):
    _, server = served
    for path in ("/", "/gioi-thieu", "/thu-tuc-hanh-chinh", "/lien-he", "/en/dau-tu", "/en"):
        status, _, body = fetch(server.url + path)
        assert status == 200 and "Liferay.ThemeDisplay" in body and "getScopeGroupId" in body
    status, _, body = fetch(f"{server.url}/khong-co-trang-nay")
    assert status == 404 and "Không tìm thấy" in body
    status, hdrs, css = fetch(f"{server.url}/o/hepza-theme/css/main.css")
    assert status == 200 and hdrs["content-type"].startswith("text/css") and ".main-menu" in css


def test_article_page_head_and_fragments(served):
    site, server = served
    a = next(x for x in site.live() if x.image)
    status, hdrs, body = fetch(server.url + a.url)
    assert status == 200 and hdrs["content-type"] == "text/html;charset=UTF-8"
    assert body.index("<title>") < body.index('http-equiv="content-type"')
    assert f'<link data-senna-track="temporary" href="{server.url}{a.url}" rel="canonical" />' in body
    for lang, href in (("vi-VN", a.url), ("en-US", "/en" + a.url), ("x-default", a.url)):
        assert f'href="{server.url}{href}" hreflang="{lang}"' in body
    for prop in ("og:title", "og:url", "og:description", "og:image", "og:locale"):
        assert f'property="{prop}"' in body
    assert '<meta property="og:type" content="website">' in body and "article:published_time" not in body
    frag = body.split('data-lfr-editable-type="rich-text">', 1)[1].split("</div>", 1)[0]
    for volatile in ("Lượt xem", "Bài viết liên quan", "authToken", "facebook.com"):
        assert volatile not in frag
    assert f'data-analytics-asset-id="{a.asset_id}"' in body
    en = fetch(server.url + "/en" + a.url)[2]
    assert '<html class="ltr" dir="ltr" lang="en-US">' in en
    assert f'href="{server.url}/en{a.url}" rel="canonical"' in en
    assert frag in en  # same Vietnamese body


def test_date_lines_by_locale(fresh):
    site, server = fresh
    newest = site.live()[0]
    assert re.search(
        r'mb-3" data-lfr-editable-id="element-text" data-lfr-editable-type="text">08:30 04/02/2026</p>',
        fetch(server.url + newest.url)[2],
    )
    assert ">2/4/26 8:30 AM</p>" in fetch(server.url + "/en" + newest.url)[2]
    notice = next(a for a in site.live() if "1443" in a.title)
    assert notice.slug.count("/") >= 3
    assert ">06:10 10/05/2023</p>" in fetch(server.url + notice.url)[2]
    assert ">5/10/23 6:10 AM</p>" in fetch(server.url + "/en" + notice.url)[2]


def test_slug_matching_variants_and_old_routes(fresh):
    site, server = fresh
    a = next(x for x in site.live() if "%C3%B4" in x.slug)
    assert fetch(server.url + "/w/" + a.slug.replace("%C3%B4", "%c3%b4"))[0] == 200
    assert fetch(server.url + a.url + "/")[0] == 200
    status, hdrs, _ = fetch(f"{server.url}/-/{a.slug}")
    assert status == 301 and hdrs["location"] == server.url + a.url
    cat = CATEGORIES[a.category]
    old = f"{server.url}/web/guest/{cat.key}/-/asset_publisher/{cat.instance}/content/{a.slug}?p_p_id={cat.portlet_id}&p_p_lifecycle=0"
    status, hdrs, _ = fetch(old)
    assert status == 301 and hdrs["location"] == server.url + a.url
    assert fetch(f"{server.url}/w/khong-ton-tai")[0] == 404


def test_documents_are_served(fresh):
    site, server = fresh
    pdf = next(
        re.search(r'href="(/documents/[^"]+\.pdf/[^"]+)"', b.html).group(1)
        for a in site.live()
        for b in a.blocks
        if b.kind == "attach" and ".pdf/" in b.html
    )
    status, hdrs, body = fetch(server.url + pdf)
    assert status == 200 and hdrs["content-type"] == "application/pdf" and body.startswith("%PDF")
    doc = next(
        re.search(r'href="(/documents/[^"]+\.doc/[^"]+)"', b.html).group(1)
        for a in site.live()
        for b in a.blocks
        if b.kind == "attach" and ".doc/" in b.html
    )
    assert fetch(server.url + doc)[1]["content-type"] == "application/msword"
    img = next(a.image for a in site.live() if a.image)
    assert fetch(server.url + img)[1]["content-type"] == "image/jpeg"


def test_volatile_parts_change_but_etag_does_not(fresh):
    site, server = fresh
    a = site.live()[3]
    pages = [fetch(server.url + a.url) for _ in range(6)]
    views = [re.search(r"Lượt xem: (\d+)", b).group(1) for _, _, b in pages]
    tokens = [re.search(r"Liferay.authToken = '(\w+)'", b).group(1) for _, _, b in pages]
    related = {b.split('<ul class="related-list">', 1)[1].split("</ul>", 1)[0] for _, _, b in pages}
    assert len(set(views)) == 6 and len(set(tokens)) == 6 and len(related) > 1
    assert len({h["etag"] for _, h, _ in pages}) == 1


def test_conditional_requests(fresh):
    site, server = fresh
    a = site.live()[2]
    status, hdrs, _ = fetch(server.url + a.url)
    etag, lm = hdrs["etag"], hdrs["last-modified"]
    assert fetch(server.url + a.url, {"If-None-Match": etag})[0] == 304
    assert fetch(server.url + a.url, {"If-Modified-Since": lm})[0] == 304
    assert fetch(server.url + a.url, {"If-None-Match": '"other"'})[0] == 200
    site.edit(a.asset_id, add_paragraph="Đoạn bổ sung sau khi đăng.")
    status, hdrs2, _ = fetch(server.url + a.url, {"If-None-Match": etag, "If-Modified-Since": lm})
    assert status == 200 and hdrs2["etag"] != etag and hdrs2["last-modified"] != lm
    site.conditional_requests = False
    status, hdrs3, _ = fetch(server.url + a.url, {"If-None-Match": hdrs2["etag"]})
    assert status == 200 and "etag" not in hdrs3 and "last-modified" not in hdrs3


def _only_changed(before: dict, after: dict) -> set[str]:
    return {k for k in before if before[k] != after[k]}


def test_each_edit_changes_exactly_what_it_says(fresh):
    site, server = fresh
    a = next(x for x in site.live() if x.byline_html and not x.migrated)
    aid = a.asset_id
    mod0 = a.modified

    g0 = site.gold_for(aid)
    site.edit(aid, title="Tiêu đề mới của bài viết")
    g1 = site.gold_for(aid)
    assert _only_changed(g0, g1) == {"title"} and g1["url"] == g0["url"]
    assert "Tiêu đề mới của bài viết</h1>" in fetch(server.url + a.url)[2]

    site.edit(aid, add_paragraph="Buổi làm việc kết thúc lúc 11 giờ cùng ngày.")
    g2 = site.gold_for(aid)
    assert (
        _only_changed(g1, g2) == {"body_last"}
        and g2["body_last"] == "Buổi làm việc kết thúc lúc 11 giờ cùng ngày."
    )
    assert site.expected_body(aid).endswith(g2["body_last"])

    site.edit(aid, byline="Tin, ảnh: Lan Anh")
    g3 = site.gold_for(aid)
    assert g3["authors"] == ["Lan Anh"] and "Lan Anh" in g3["photo_credits"]
    assert _only_changed(g2, g3) <= {"authors", "photo_credits", "source"}

    when = datetime(2026, 2, 9, 9, 15, tzinfo=timezone(timedelta(hours=7)))
    site.edit(aid, date_line=when)
    g4 = site.gold_for(aid)
    assert _only_changed(g3, g4) == {"published_at"} and g4["published_at"] == "2026-02-09T09:15:00+07:00"
    assert ">09:15 09/02/2026</p>" in fetch(server.url + a.url)[2]

    first = g4["body_first"]
    word = first.split()[1]
    site.edit(aid, replace=(word, word + " mới"))
    g5 = site.gold_for(aid)
    assert _only_changed(g4, g5) == {"body_first"}
    assert a.modified > mod0
    lastmod = sitemap_articles(server)[slug_key(a.slug)].find(f"{SM}lastmod").text
    assert lastmod == a.modified.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_remove_restore(fresh):
    site, server = fresh
    a = site.in_category("hoat-dong-dang-doan-the")[0]
    site.remove(a.asset_id)
    for path in (a.url, "/en" + a.url, "/-/" + a.slug):
        assert fetch(server.url + path)[0] == 404
    assert a.asset_id not in {g["asset_id"] for g in site.gold()}
    assert slug_key(a.slug) not in sitemap_articles(server)
    assert slug_key(a.slug) not in crawl_lists(server)
    site.restore(a.asset_id)
    assert fetch(server.url + a.url)[0] == 200
    assert slug_key(a.slug) in crawl_lists(server)


def test_rename_redirects_old_slug(fresh):
    site, server = fresh
    a = site.live()[7]
    old = a.slug
    new = site.rename(a.asset_id, "Tên mới: bài viết đã đổi tiêu đề")
    assert (
        new
        == "t%C3%AAn-m%E1%BB%9Bi-b%C3%A0i-vi%E1%BA%BFt-%C4%91%C3%A3-%C4%91%E1%BB%95i-ti%C3%AAu-%C4%91%E1%BB%81"
    )
    status, hdrs, _ = fetch(f"{server.url}/w/{old}")
    assert status == 301 and hdrs["location"] == f"{server.url}/w/{new}"
    assert fetch(f"{server.url}/en/w/{old}")[1]["location"] == f"{server.url}/en/w/{new}"
    assert site.gold_for(a.asset_id)["url"] == f"/w/{new}"
    assert fetch(f"{server.url}/w/{new}")[0] == 200


def test_add_new_goes_on_top(fresh):
    site, server = fresh
    before = site.live()[0]
    ids = site.add_new(3)
    assert [a.asset_id for a in site.live()[:3]] == ids[::-1]
    assert site.live()[3] is before
    for aid in ids:
        a = site.article(aid)
        assert fetch(server.url + a.url)[0] == 200
        assert a.date > before.date
    assert site.gold()[0]["asset_id"] == ids[-1]
