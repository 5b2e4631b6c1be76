"""The replica's other portals (replica/portals.py): a Liferay 7.3 portal with custom ADTs and a 6.2 one.

Pages are read here with BeautifulSoup and each portal's own selectors (the markup OTHER-PORTALS.md
describes), independently of the project's extractor.
"""

import copy
import re
import unicodedata
from datetime import datetime, timedelta, timezone
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup
from click import Choice

from archive.cli import sample_site
from replica import Site, app, files, foreign_names, portal_names, validate
from replica.portals import PortalSite, format_date, slugify

HOST = "127.0.0.1:8011"
BASE = f"http://{HOST}"
OTHERS = [
    "liferay73",
    "liferay62",
    "liferay70",
    "liferay74b",
    "liferay72",
    "liferay71",
    "liferay62b",
    "liferay73b",
]
# Where each portal prints an article's parts (its detail template), and its list cards' links.
READS = {
    "liferay73": {
        "title": "span.asset-title",
        "date": "span.text-ngayxam-page",
        "body": "div.journal-content-article",
        "card": ".news-items .news-item a.asset-publisher-title",
        "sidebar": ".tin-doc-nhieu",
    },
    "liferay62": {
        "title": "h3.header-title span",
        "date": "div.asset-metadata span.metadata-publish-date",
        "body": "div.asset-full-content div.asset-content div.journal-content-article",
        "card": "div.asset-abstract h3.asset-title a",
        "sidebar": ".tin-xem-nhieu",
    },
    "liferay70": {
        "title": "span.asset-title",
        "date": "p.ngay-dang-tin",
        "body": "div.journal-content-article",
        "card": ".danh-sach-tin .tin-item a.tieu-de-tin",
        "sidebar": ".box-doc-nhieu",
    },
    "liferay74b": {
        "title": "h1.dn-tieu-de",
        "date": "span.dn-ngay-dang",
        # the display page's fragments: sapo, a bare writer's name, then the body
        "body": "div.dn-chi-tiet",
        "card": "li.dn-the-tin h3 a",
        "sidebar": ".dn-doc-nhieu",
    },
    "liferay72": {
        "title": "h2.gt-ten-bai",
        "date": "span.gt-ngay-gio",
        "body": "div.journal-content-article",
        "card": "div.gt-khung-tin div.gt-the-tin h3 a.gt-lien-ket-tin",
        "sidebar": ".gt-xem-nhieu",
    },
    "liferay71": {
        "title": "h2.tg-tieu-de",
        "date": "span.tg-cap-nhat",
        # the summary, the web content and a bare writer's name after it
        "body": "div.tg-chi-tiet",
        "card": "ul.tg-ds-tin li.tg-tin h3.tg-ten-tin a",
        "sidebar": ".tg-xem-nhieu",
    },
    "liferay62b": {
        "title": "h2.snv-tieu-de",
        "date": "div.snv-thoi-gian",
        # the web content's own template: title and date line, a bare writer's name, summary and content
        "body": "div.snv-bai-viet",
        "card": "ul.snv-danh-sach li.snv-muc a.snv-lien-ket",
        "sidebar": ".snv-xem-nhieu",
    },
    "liferay73b": {
        "title": "span.asset-title",
        "date": "span.xt-ngay-dang",
        # the ADT's sapo and body inside the web content
        "body": "div.journal-content-article",
        "card": "div.xt-ds-tin div.xt-tin h3 a.xt-tin__lien-ket",
        "sidebar": ".xt-doc-nhieu",
    },
}


def nfc(text):
    return unicodedata.normalize("NFC", text)


def squeeze(text):
    return re.sub(r"\s+([.,;:])", r"\1", " ".join(text.split()))


def get(site, target, headers=None):
    return app.handle(site, "GET", target, {"host": HOST, **(headers or {})})


def soup(site, target):
    status, _, body = get(site, target)
    assert status == 200, target
    return BeautifulSoup(body, "html.parser")


def path_of(url):
    return url[len(BASE) :] if url.startswith(BASE) else url


def walk_list(site, cat):
    """Every card link of a list, following its pager's links until a page brings nothing new."""
    seen_pages, links, todo = set(), [], [cat.path]
    while todo:
        target = todo.pop(0)
        if target in seen_pages:
            continue
        seen_pages.add(target)
        page = soup(site, target)
        links += [a["href"] for a in page.select(READS[site.portal]["card"])]
        for a in page.select("ul.pager a[href], ul.pagination a[href], div.pagination a[href]"):
            if a["href"].startswith("http"):
                todo.append(path_of(a["href"]))
    return links, seen_pages


def canonical(site, target):
    return path_of(soup(site, target).find("link", rel="canonical")["href"])


def test_portal_names_and_the_cli_choice():
    assert portal_names() == ["hepza", *OTHERS]
    option = next(p for p in sample_site.params if p.name == "portal")
    assert isinstance(option.type, Choice)
    assert list(option.type.choices) == portal_names() + foreign_names()
    assert type(Site()) is Site and type(Site(portal="hepza")) is Site
    assert isinstance(Site(portal="liferay62"), PortalSite)
    with pytest.raises(ValueError, match="unknown portal"):
        Site(portal="joomla")


@pytest.mark.parametrize("name", OTHERS)
def test_data_files_validate_and_a_broken_one_is_refused(name):
    doc = files.data(name)
    assert validate.check_other_portal(doc, name) == []
    broken = copy.deepcopy(doc)
    broken["categories"][0]["link"] = "nowhere"
    del broken["about"]["seen"]
    problems = validate.check_other_portal(broken, name)
    assert any("unknown route 'nowhere'" in p for p in problems)
    assert any("seen" in p for p in problems)


@pytest.mark.parametrize("name", OTHERS)
def test_lists_reach_every_article_once_under_its_canonical_route(name):
    site = Site(articles=90, seed=2, portal=name)
    assert soup(site, "/").select(READS[name]["card"])
    found = set()
    for cat in site.categories.values():
        links, pages = walk_list(site, cat)
        assert len(pages) == -(-len(site.in_category(cat.key)) // cat.delta) + 1  # the first page twice
        # Every list link, whatever route it takes, answers with the article's page naming its canonical URL.
        found |= {canonical(site, path_of(href)) for href in set(links)}
    gold_urls = {g["url"] for g in site.gold()}
    assert found == gold_urls and len(gold_urls) == len(site.live())
    route = site.spec.routes["canonical"].split("{")[0]
    assert all(u.startswith(route) for u in gold_urls) if route else True


def test_the_73_cards_come_twice_and_urls_are_encoded_vietnamese():
    site = Site(portal="liferay73")
    cat = site.categories["tin-tuc-su-kien"]
    assert cat.path == "/tin-t%E1%BB%A9c-s%E1%BB%B1-ki%E1%BB%87n-all-"
    page = soup(site, cat.path)
    desktop = [a["href"] for a in page.select(".news-item.d-md-block a.asset-publisher-title")]
    mobile = [a["href"] for a in page.select(".news-item.d-md-none a.asset-publisher-title")]
    assert desktop == mobile and len(desktop) == cat.delta
    assert all(a["title"] for a in page.select("a.asset-publisher-title"))
    summaries = [d.get_text() for d in page.select(".limit-tin-descc-news")]
    assert summaries and all(s.startswith("(Hochiminhcity.gov.vn) - ") for s in summaries)
    assert re.fullmatch(r"\d\d:\d\d \| \d\d/\d\d/\d{4}", page.select_one(".text-date-sklh").get_text())
    assert all(h.startswith(f"{BASE}/web/hcm/-/") for h in desktop)


@pytest.mark.parametrize("name", OTHERS)
def test_gold_records_match_what_the_page_shows(name):
    site = Site(articles=60, seed=5, portal=name)
    reads = READS[name]
    suffix = site.spec.title_suffix
    for g in site.gold():
        page = soup(site, g["url"])
        assert nfc(page.title.get_text()) == g["title"] + suffix
        assert nfc(page.select_one(reads["title"]).get_text(strip=True)) == g["title"]
        day, month, year = re.search(
            r"(\d\d)/(\d\d)/(\d{4})", page.select_one(reads["date"]).get_text()
        ).groups()
        assert g["published_at"].startswith(f"{year}-{month}-{day}") and g["published_at"].endswith("+07:00")
        body = nfc(page.select_one(reads["body"]).get_text(" "))
        norm = squeeze(body)  # get_text(" ") puts a space at every tag, a link's end included
        assert squeeze(g["body_first"]) in norm and squeeze(g["body_last"]) in norm
        for author in g["authors"]:
            assert author in body or author.upper() in body
        assert page.select_one(reads["sidebar"]) is not None
        assert not page.select_one(reads["body"]).select(reads["sidebar"])
    a = site.live()[0]
    text = soup(site, site.url_of(a)).select_one(reads["date"]).get_text()
    minute = site.gold_for(a.asset_id)["published_at"][11:16]
    if name in ("liferay73", "liferay70"):  # the minute is on the article page, in the template's own form
        assert re.fullmatch(r"\((Thứ \w+|Chủ nhật), \d\d/\d\d/\d{4} \d\d:\d\d\)", text)
        assert text[-6:-1] == minute
    elif name == "liferay72":
        assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", text.strip()) and text.endswith(minute)
    elif name == "liferay74b":
        assert re.fullmatch(r"Ngày đăng: \d\d/\d\d/\d{4} - \d\d:\d\d", text) and text.endswith(minute)
    elif name == "liferay62b":  # Cập nhật: Thứ hai, dd/MM/yyyy HH:mm, the list gives the day only
        form = r"Cập nhật: (Thứ \w+|Chủ nhật), \d\d/\d\d/\d{4} \d\d:\d\d"
        assert re.fullmatch(form, text) and text.endswith(minute)
    elif name == "liferay73b":  # HH:mm dd/MM/yyyy on the page, the list gives the day only
        assert re.fullmatch(r"(\d\d:\d\d) \d\d/\d\d/\d{4}", text).group(1) == minute
    elif name == "liferay71":  # the minute first: Cập nhật: HH:mm | dd/MM/yyyy, above the title
        assert re.fullmatch(r"Cập nhật: (\d\d:\d\d) \| \d\d/\d\d/\d{4}", text.strip()).group(1) == minute
    else:  # the page gives the day only; the list gives the minute the gold record keeps
        assert re.fullmatch(
            r"\d\d/\d\d/\d{4}", soup(site, site.url_of(a)).select_one(reads["date"]).get_text()
        )
        card = soup(site, site.categories[a.category].path).select_one("div.asset-abstract")
        minute = card.select_one("span.metadata-publish-date").get_text()[-5:]
        assert minute == site.gold_for(a.asset_id)["published_at"][11:16]


def test_the_62_article_routes_and_sitemap():
    site = Site(portal="liferay62")
    a = site.live()[0]
    cat = site.categories[a.category]
    friendly = site.url_of(a)
    assert friendly == f"{cat.path}/-/asset_publisher/{cat.instance}/content/{a.slug}"
    query = site.url_of(a, "query")
    pid = f"101_INSTANCE_{cat.instance}"
    assert f"_{pid}_struts_action=%2Fasset_publisher%2Fview_content" in query and f"_{pid}_urlTitle=" in query
    assert canonical(site, query) == friendly == canonical(site, friendly)
    # 6.2's normaliser folds to ASCII with đ as d; the 7.x portal seen drops đ (OTHER-PORTALS: itpc).
    assert slugify("Giám đốc Sở Tư pháp", site.spec.slug) == "giam-doc-so-tu-phap"
    assert slugify("Giám đốc Sở Tư pháp", Site(portal="liferay73").spec.slug) == "giam-oc-so-tu-phap"
    assert all(x.slug.startswith(slugify(x.title, site.spec.slug)) for x in site.live())
    status, _, body = get(site, "/sitemap.xml")
    locs = [path_of(u) for u in re.findall(r"<loc>([^<]+)</loc>", body.decode())]
    assert status == 200 and b"<urlset" in body and "/" in locs
    assert set(locs) == {"/", *(c.path for c in site.categories.values())}  # pages only, never articles
    pager = soup(site, cat.path).select_one("div.taglib-page-iterator ul.pager")
    hrefs = [x["href"] for x in pager.select("a") if x["href"].startswith("http")]
    assert hrefs and all(f"_{pid}_cur=" in unquote(h) and f"_{pid}_delta=" in unquote(h) for h in hrefs)


def test_the_73_sitemap_lists_articles_under_the_canonical_route():
    site = Site(portal="liferay73")
    status, _, body = get(site, "/sitemap.xml")
    children = [u.replace("&amp;", "&") for u in re.findall(r"<loc>([^<]+)</loc>", body.decode())]
    assert status == 200 and b"<sitemapindex" in body and len(children) == 2
    locs = set()
    for child in children:
        locs |= {path_of(u) for u in re.findall(r"<loc>([^<]+)</loc>", get(site, path_of(child))[2].decode())}
    assert {g["url"] for g in site.gold()} <= locs
    assert canonical(site, "/-/" + site.live()[0].slug) == site.gold()[0]["url"]


@pytest.mark.parametrize("name", OTHERS)
def test_unknown_routes_are_404(name):
    site = Site(portal=name)
    cat = next(iter(site.categories.values()))
    for target in (
        "/nope",
        "/web/hcm/-/no-such-article",
        f"{cat.path}/-/asset_publisher/{cat.instance}/content/no-such",
        "/sitemap.xml?p_l_id=999",
        "/documents/1/2/x.exe/0",
    ):
        assert get(site, target)[0] == 404, target
    assert get(site, "/robots.txt")[2].endswith(f"Sitemap: {BASE}/sitemap.xml\n".encode())


@pytest.mark.parametrize("name", OTHERS)
def test_every_mutation_changes_what_is_served(name):
    site = Site(portal=name)
    reads = READS[name]
    a = site.live()[3]
    url = site.url_of(a)
    etag = dict(get(site, url)[1])["ETag"]
    site.edit(a.asset_id, title="Tiêu đề đã sửa", add_paragraph="Đoạn văn mới thêm vào cuối bài.")
    page = soup(site, url)
    assert page.select_one(reads["title"]).get_text(strip=True) == "Tiêu đề đã sửa"
    assert "Đoạn văn mới thêm vào cuối bài." in page.select_one(reads["body"]).get_text()
    assert site.gold_for(a.asset_id)["title"] == "Tiêu đề đã sửa"
    assert dict(get(site, url)[1])["ETag"] != etag
    assert get(site, url, {"if-none-match": dict(get(site, url)[1])["ETag"]})[0] == 304

    site.remove(a.asset_id)
    assert get(site, url)[0] == 404 and url not in {g["url"] for g in site.gold()}
    site.restore(a.asset_id)
    assert get(site, url)[0] == 200

    new_slug = site.rename(a.asset_id, "Một tiêu đề hoàn toàn mới của bài")
    new_url = site.url_of(a)
    assert new_slug in new_url and get(site, new_url)[0] == 200
    status, headers, _ = get(site, url)
    assert status == 301 and dict(headers)["Location"] == BASE + new_url

    (new_id,) = site.add_new(1)
    fresh = site.article(new_id)
    first = soup(site, site.categories[fresh.category].path).select(reads["card"])[0]
    assert canonical(site, path_of(first["href"])) == site.gold_for(new_id)["url"]

    img = next(x for x in site.live() if x.image)
    before = get(site, img.image)[2]
    assert site.replace_document(img.image) == 1
    assert get(site, img.image)[2] != before

    other = next(k for k in site.categories if k != fresh.category)

    def in_other():
        cards = soup(site, site.categories[other].path).select(reads["card"])
        return {canonical(site, path_of(x["href"])) for x in cards}

    assert site.gold_for(new_id)["url"] not in in_other()
    site.file_in(new_id, other)
    assert site.gold_for(new_id)["url"] in in_other()
    assert site.gold_for(new_id)["categories"] == sorted({fresh.category, other})

    when = datetime(2024, 2, 29, 9, 5, tzinfo=timezone(timedelta(hours=7)))
    site.edit(a.asset_id, date_line=when)
    assert "29/02/2024" in soup(site, new_url).select_one(reads["date"]).get_text()
    assert site.gold_for(a.asset_id)["published_at"] == "2024-02-29T09:05:00+07:00"

    site.redesign()
    page = soup(site, new_url)
    assert page.select_one(reads["title"]) is None and "Một tiêu đề hoàn toàn mới của bài" in page.get_text()
    site.redesign("liferay")
    assert soup(site, new_url).select_one(reads["title"]) is not None


def test_the_73_portal_pastes_some_articles_in_nfd_and_gold_is_nfc():
    site = Site(portal="liferay73")
    nfd = [a for a in site.live() if a.title != unicodedata.normalize("NFC", a.title)]
    assert nfd and len(nfd) < len(site.live())
    a = nfd[0]
    page = soup(site, site.url_of(a))
    shown = page.select_one(READS["liferay73"]["title"]).get_text(strip=True)
    assert shown == unicodedata.normalize("NFD", shown) != unicodedata.normalize("NFC", shown)
    assert site.gold_for(a.asset_id)["title"] == unicodedata.normalize("NFC", shown)
    assert a.slug.isascii()


def test_the_73_english_ui_serves_the_same_articles_under_en():
    site = Site(portal="liferay73")
    cat = site.categories["thong-bao"]
    page = soup(site, "/en" + cat.path)
    assert page.html["lang"] == "en-US"
    dates = [d.get_text() for d in page.select(".news-item.d-md-block .text-date-sklh")]
    assert dates and all(re.fullmatch(r"[A-Z][a-z]+day, \d\d/\d\d/\d{4}, \d\d:\d\d", d) for d in dates)
    labels = [a.get_text() for a in page.select("ul.pager a")]
    assert "Next" in labels and "Tiếp theo" not in labels
    links = [a["href"] for a in page.select(".news-item.d-md-block a.asset-publisher-title")]
    assert all(h.startswith(f"{BASE}/en/-/") for h in links)  # this list links the /-/ alias
    a = site.in_category(cat.key)[0]
    assert canonical(site, path_of(links[0])) == site.gold_for(a.asset_id)["url"]
    en = soup(site, "/en" + site.url_of(a))
    hreflang = {x["hreflang"]: path_of(x["href"]) for x in en.find_all("link", rel="alternate")}
    assert hreflang == {"vi-VN": site.url_of(a), "en-US": "/en" + site.url_of(a), "x-default": site.url_of(a)}
    assert en.select_one("span.asset-title").get_text(strip=True) == a.title  # the Vietnamese text
    assert get(site, "/en/nope")[0] == 404


def test_the_70_routes_lists_and_english_ui():
    site = Site(portal="liferay70")
    a = site.live()[0]
    assert site.url_of(a) == f"/-/details/{a.asset_id}/{a.slug}"
    assert canonical(site, f"/-/{a.slug}") == canonical(site, f"/en/-/details/{a.asset_id}/{a.slug}")
    assert canonical(site, f"/-/{a.slug}") == site.url_of(a)
    cat = site.categories["tin-noi-bat"]
    assert cat.path.startswith("/web/guest/") and cat.pager == "simple"
    page = soup(site, cat.path)
    dates = [d.get_text() for d in page.select(".tin-item .thoi-gian-dang")]
    assert dates and all(re.fullmatch(r"\d\d:\d\d \d\d/\d\d/\d{4}", d) for d in dates)
    assert [x.get_text() for x in page.select("ul.pager a")] == ["Trước", "Tiếp theo"]
    en = soup(site, "/en" + cat.path)
    assert [x.get_text() for x in en.select("ul.pager a")] == ["Previous", "Next"]
    assert all(h["href"].startswith(f"{BASE}/en/-/details/") for h in en.select("a.tieu-de-tin"))
    assert any(x.title != nfc(x.title) for x in site.live())  # some pasted in NFD
    assert slugify("Ngành y tế Đắk Lắk", site.spec.slug) == "nganh-y-te-ak-lak"
    article = soup(site, site.url_of(a))
    assert article.select_one("div.journal-content-article")["data-analytics-asset-id"] == a.asset_id
    assert article.select_one(".box-doc-nhieu h4").get_text() == "Tin đọc nhiều"


def test_the_74b_display_pages_links_and_documents():
    site = Site(portal="liferay74b")
    news, orders = site.categories["tin-tuc"], site.categories["thong-tin-chi-dao"]
    cards = soup(site, news.path).select("li.dn-the-tin h3 a")
    assert cards and all(c["href"].startswith(f"{BASE}/vi/w/") for c in cards)
    assert all(
        c["href"].startswith(f"{BASE}/w/") for c in soup(site, orders.path).select("li.dn-the-tin h3 a")
    )
    assert "…" in soup(site, news.path).select_one("ul.pagination").get_text()
    a = site.live()[0]
    page = soup(site, site.url_of(a))
    # The category link names the article's URL but is the category's collection, not an article.
    link = page.select_one("a.dn-chuyen-muc")["href"]
    assert path_of(link) == f"{site.url_of(a)}/-/categories/{site.categories[a.category].category_id}"
    filtered = soup(site, path_of(link))
    assert (
        filtered.select_one("h1.dn-tieu-de") is None
        and canonical(site, path_of(link)) == site.categories[a.category].path
    )
    assert get(site, f"{site.url_of(a)}/-/categories/1")[0] == 404
    # Bylines: a bare writer's name above the body, a labelled one (Tin, ảnh: X) its last paragraph.
    tops = labelled = 0
    for x in site.live():
        art = soup(site, site.url_of(x))
        top, body = art.select_one(".dn-tac-gia").get_text(strip=True), art.select_one(".dn-noi-dung")
        raw = x.byline_raw() or ""
        if raw and ":" not in raw and not raw.startswith("Theo"):
            assert top == raw and raw not in [p.get_text(strip=True) for p in body.find_all("p")]
            tops += 1
        elif raw:
            assert top == "" and body.find_all("p")[-1].get_text(strip=True) == raw
            labelled += raw.startswith("Tin, ảnh:")
    assert tops and labelled
    img = next(x for x in site.live() if x.image)
    art = soup(site, site.url_of(img))
    src = art.select_one(".dn-noi-dung figure img")["src"]
    assert re.fullmatch(r"/documents/d/guest/[a-z0-9-]+-jpg", src)
    assert art.find("meta", property="og:image")["content"] == BASE + src
    before = get(site, src)
    assert before[0] == 200 and dict(before[1])["Content-Type"].startswith("image/")
    site.replace_document(img.image)
    assert get(site, src)[2] != before[2]
    assert get(site, "/documents/d/guest/no-such-jpg")[0] == 404


@pytest.mark.parametrize(
    "name", ["liferay70", "liferay74b", "liferay72", "liferay71", "liferay62b", "liferay73b"]
)
def test_a_redesign_moves_and_reformats_the_date_line(name):
    site = Site(portal=name)
    a = site.live()[0]
    before = soup(site, site.url_of(a)).select_one(READS[name]["date"]).get_text()
    site.redesign()
    page = soup(site, site.url_of(a))
    assert page.select_one(READS[name]["date"]) is None and page.select_one(READS[name]["body"]) is None
    text = nfc(page.get_text())
    after = format_date(a.date, site.spec.dates["article-redesigned"])
    assert after in text and before not in text
    # The date line moved: it now follows the body (its last sentence).
    assert text.index(after) > text.index(site.gold_for(a.asset_id)["body_last"][:30])


def test_the_72_asset_publisher_routes_meta_bar_pager_and_sitemap():
    site = Site(articles=60, seed=3, portal="liferay72")
    news, notices = site.categories["tin-tuc-su-kien"], site.categories["thong-bao"]
    assert news.path == "/web/sgtvt/tin-t%E1%BB%A9c-s%E1%BB%B1-ki%E1%BB%87n"
    a = site.in_category(notices.key)[0]
    assert site.url_of(a) == f"{notices.path}/-/asset_publisher/{notices.instance}/content/{a.slug}"
    assert canonical(site, f"/web/sgtvt/-/{a.slug}") == site.url_of(a)  # the second list's alias
    page = soup(site, news.path)
    cards = [x["href"] for x in page.select(READS["liferay72"]["card"])]
    assert len(cards) == len(set(cards)) == news.delta  # each card once
    assert all(re.fullmatch(r"\d\d/\d\d/\d{4}", d.get_text()) for d in page.select(".gt-ngay-the"))
    assert "…" in page.select_one("ul.pagination").get_text()
    art = soup(site, site.url_of(a))
    bar = art.select_one("div.gt-thanh-thong-tin")
    assert art.select_one("h2.gt-ten-bai").find_next_sibling("div") is bar
    assert re.search(r"Lượt xem: \d+", bar.get_text())
    assert art.select_one("div.journal-content-article")["data-analytics-asset-id"] == a.asset_id
    body = art.select_one(READS["liferay72"]["body"])
    assert art.select_one("div.gt-tin-lien-quan h3").get_text() == "Tin liên quan"
    assert not body.select("div.gt-tin-lien-quan")  # after the body, not in it
    raws = {x.byline_raw() for x in site.live()} - {None}
    assert any(r.startswith("Bài, ảnh: ") for r in raws) and any(r.startswith("Theo ") for r in raws)
    assert any(r.isupper() for r in raws)
    status, _, body = get(site, "/sitemap.xml")
    children = [u.replace("&amp;", "&") for u in re.findall(r"<loc>([^<]+)</loc>", body.decode())]
    assert status == 200 and b"<sitemapindex" in body and len(children) == 1
    child = get(site, path_of(children[0]))[2].decode()
    locs = {path_of(u) for u in re.findall(r"<loc>([^<]+)</loc>", child)}
    assert locs == {"/", news.path, notices.path}  # pages only: the lists lead to the articles


@pytest.mark.parametrize("name", portal_names())
def test_a_theme_may_print_one_category_s_articles_with_a_template_of_its_own(name):
    site = Site(portal=name)
    gold = copy.deepcopy(site.gold())
    odd = sorted({g["category"] for g in gold})[0]
    main = '<div class="chung"><h2>{{ title }}</h2>{{ body_blocks }}<p class="ngay">{{ date_long }}</p></div>'
    apart = (
        '<div class="rieng"><h2>{{ title }}</h2><div class="sapo">{{ lead }}</div>'
        '<div class="text">{{ blocks_after_lead }}</div><p class="ngay">{{ date_long }}</p></div>'
    )
    with pytest.raises(ValueError):
        site.redesign("two", main, by_category={"no-such-category": apart})
    site.redesign("two", main, by_category={odd: apart})
    assert site.gold() == gold  # a theme is not content
    for record in gold:
        page = soup(site, record["url"])
        if record["category"] == odd:
            assert page.select_one("div.chung") is None
            lead = nfc(page.select_one("div.rieng div.sapo").get_text(" ", strip=True))
            assert squeeze(lead).startswith(squeeze(nfc(record["body_first"]))[:40]), record["url"]
            assert lead not in nfc(page.select_one("div.rieng div.text").get_text(" ", strip=True))
        else:
            assert page.select_one("div.rieng") is None and page.select_one("div.chung h2") is not None
    site.redesign("liferay")
    assert all(soup(site, r["url"]).select_one("div.rieng, div.chung") is None for r in gold[:3])
