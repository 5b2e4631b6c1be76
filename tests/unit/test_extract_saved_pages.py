"""Extraction on saved pages: the replica's article and a real Liferay page of another theme."""

import re
from pathlib import Path

import pytest
from lxml import etree

from pipelines.extract import _head_children, attachment_links, extract_page, image_links
from pipelines.record import clean_article

FILES = Path(__file__).resolve().parents[1] / "files"


def record_of(name: str, url: str, charset: str | None = None):
    return clean_article(extract_page((FILES / name).read_bytes(), url, charset))


# The seed article saved in both of the replica's layouts: the light markup of its first version and the
# full Liferay 7.4 chrome it serves by default (scripts, menus, footer; about 80 KB, as heavy as a real page).
LAYOUTS = ["hepza_", "hepza_full_"]
# The layout signature of the seed article's theme (pipelines/learned_layout.py). Pinned: archives keep it
# for every article, and a signature that changed with the code would hold every edit back as a redesign.
SEED_LAYOUT = "portal:5232be77450d"


@pytest.mark.parametrize("layout", LAYOUTS)
def test_seed_article_page(layout):
    record = record_of(
        f"{layout}article_seed.html", "http://127.0.0.1:8000/w/h%E1%BB%99i-ngh%E1%BB%8B", "utf-8"
    )
    assert (
        record.title
        == "Hội nghị sơ kết công tác xây dựng Đảng quý I và triển khai phương hướng, nhiệm vụ quý II/2022"
    )
    assert record.published_at == "2023-03-08T10:56:00+07:00"
    assert record.authors == ["Minh Trí"]
    assert record.body_text.startswith("Ngày 07/4, Đảng ủy Ban Quản lý các Khu Chế xuất và Công nghiệp TPHCM")
    assert record.body_text.endswith("chào mừng kỷ niệm 30 năm xây dựng và phát triển các KCX, KCN TPHCM.")
    assert "Minh Trí" not in record.body_text and "Bài viết liên quan" not in record.body_text
    assert "lượng đoànviên, thanh niên" in record.body_text  # glued as the real page has it
    assert (record.event_date, record.published_is_migration) == ("2022-04-07", True)
    assert [r["number"] for r in record.document_refs] == ["01-KL/TW", "05-CT/TW", "1374-QĐ/TU"]
    layout = record.layers.pop("layout")
    assert record.layers == {
        "asset_id": "metadata",
        "title": "portal",
        "published": "portal",
        "body": "portal",
    }
    # Both chromes and both locales print the article in one theme: one layout signature.
    assert layout == SEED_LAYOUT


@pytest.mark.parametrize("layout", LAYOUTS)
def test_seed_article_en_page_has_the_same_record(layout):
    vi = record_of(f"{layout}article_seed.html", "http://127.0.0.1:8000/w/x", "utf-8")
    en = record_of(f"{layout}article_seed_en.html", "http://127.0.0.1:8000/en/w/x", "utf-8")
    assert en.published_raw == "3/8/23 10:56 AM" and en.locale == "en" and en.lang == "vi"
    assert en.content() == vi.content()


def test_moh_article_in_another_theme_without_a_charset_header():
    # <title> comes before <meta charset>: decoding must not take the title for Latin-1.
    record = record_of("moh_article_liferay73.html", "https://moh.gov.vn/-/6848045-2")
    assert record.title == "Phản ứng thông thường sau tiêm vắc xin phòng COVID-19"
    assert record.published_raw == "(Thứ hai, 19/04/2021 15:17)"
    assert record.published_at == "2021-04-19T15:17:00+07:00"
    assert record.asset_id == "7282213"
    assert "Tin đọc nhiều" not in record.body_text and "(Thứ hai" not in record.body_text


@pytest.mark.parametrize("locale", ["", "_en"])
def test_both_layouts_give_the_same_record(locale):
    # The chrome around the article is not content: a redesign of it must not read as an edit.
    url = f"http://127.0.0.1:8000{'/en' if locale else ''}/w/x"
    light = record_of(f"hepza_article_seed{locale}.html", url, "utf-8")
    full = record_of(f"hepza_full_article_seed{locale}.html", url, "utf-8")
    assert full.to_dict() == light.to_dict()  # every field, the raw ones and the source hash included


@pytest.mark.parametrize("layout", LAYOUTS)
def test_an_nfd_page_reads_as_its_nfc_twin(layout):
    # The extractor normalises the fields it takes, not the whole page: the result must not tell them apart.
    import unicodedata

    page = (FILES / f"{layout}article_seed.html").read_bytes().decode("utf-8")
    url = "http://127.0.0.1:8000/w/x"
    nfc = extract_page(unicodedata.normalize("NFC", page).encode("utf-8"), url, "utf-8")
    nfd = extract_page(unicodedata.normalize("NFD", page).encode("utf-8"), url, "utf-8")
    assert nfd.to_dict() == nfc.to_dict()
    assert nfc.title_raw.startswith("Hội nghị sơ kết") and nfc.description
    assert clean_article(nfd).to_dict() == clean_article(nfc).to_dict()


def _replica_page() -> tuple[bytes, str]:
    """An article page of the replica (full Liferay chrome) and its URL."""
    from replica import Site, app

    site = Site(articles=3)
    article = site.live()[0]
    _, _, body = app.handle(site, "GET", f"/w/{article.slug}", {"host": "127.0.0.1:8000"})
    return body, f"http://127.0.0.1:8000/w/{article.slug}"


def test_a_liferay_page_names_the_login_portlet_in_its_scripts_and_is_still_an_article():
    body, url = _replica_page()
    assert b"com_liferay_login_web_portlet_LoginPortlet" in body  # the SPA's list of portlets
    assert extract_page(body, url, "utf-8").page_kind == "article"


def test_a_login_wall_in_the_portals_own_chrome_is_a_login_page():
    from replica.faults import LOGIN_PAGE

    body, url = _replica_page()
    portlet = LOGIN_PAGE[LOGIN_PAGE.index("<section") : LOGIN_PAGE.index("</section>") + len("</section>")]
    # The login portlet in the page, the chrome (its scripts naming the portlet too) all kept.
    wall = (
        body.decode()
        .replace('<div class="journal-content-article', portlet + '<div class="journal-content-article', 1)
        .encode()
    )
    assert wall != body
    assert extract_page(wall, url, "utf-8").page_kind == "login"


_HREF_OF = r'(<link[^>]*?href=")[^"]*("[^>]*{attribute}[^>]*>)'


@pytest.mark.parametrize(
    "pattern,replacement",
    [
        (_HREF_OF.format(attribute='rel="canonical"'), r"\1http://[\2"),
        (_HREF_OF.format(attribute='hreflang="en-US"'), r"\1https://[/en\2"),
        ("<p>", '<p><a href="http://[/tai-lieu.pdf">tải về</a> <img src="https://[/a.jpg"> '),
    ],
)
def test_a_malformed_link_costs_the_link_not_the_page(pattern, replacement):
    # An editor's typo (an address Python cannot parse) once made the extractor raise: the page was
    # recorded as an extraction error and the article never archived.
    body, url = _replica_page()
    good = clean_article(extract_page(body, url, "utf-8"))
    broken = re.sub(pattern, replacement, body.decode(), count=1).encode()
    assert b"[" in broken and broken != body
    raw = extract_page(broken, url, "utf-8")
    record = clean_article(raw)
    assert raw.page_kind == "article"
    assert (record.title, record.published_at, record.authors) == (
        good.title,
        good.published_at,
        good.authors,
    )
    assert record.body_text.replace("tải về ", "") == good.body_text
    links = [raw.canonical or "", *raw.alternates.values(), *(a["url"] for a in record.attachments)]
    links += [*(i["src"] for i in record.images), *attachment_links(raw.body_html_raw, url)]
    links += image_links(raw.body_html_raw, url)
    assert links and not any("[" in link for link in links)


@pytest.mark.parametrize("meta", [b"windows-1258", b"iso-8859-1", b"utf-16"])
def test_utf8_bytes_read_alike_whatever_their_meta_charset_says(meta):
    # Valid UTF-8 bytes are handed to lxml as they are, with the encoding decided by decode_html: a meta
    # charset that says otherwise must not make lxml re-read them.
    body, url = _replica_page()
    mislabelled = body.replace(b"charset=UTF-8", b"charset=" + meta, 1)
    assert mislabelled != body
    from_bytes = extract_page(mislabelled, url, "utf-8")
    assert from_bytes.to_dict() == extract_page(mislabelled.decode(), url).to_dict()
    assert from_bytes.title_raw == extract_page(body, url, "utf-8").title_raw


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_body_that_runs_into_the_page_chrome_is_a_malformed_page(layout):
    """Every closing tag lost: the body swallows the related list, the menus and the footer, which change
    from request to request. Such a page is recorded as an error, never read as the article's text."""
    from replica.faults import malform

    page = (FILES / f"{layout}article_seed.html").read_bytes()
    url = "http://127.0.0.1:8000/w/h%E1%BB%99i-ngh%E1%BB%8B"
    assert extract_page(page, url, "utf-8").page_kind == "article"
    broken = extract_page(malform(page, "unclosed"), url, "utf-8")
    assert broken.page_kind == "malformed"
    # Only the theme's and the portlets' own elements count: a body that has a footer of its own, or an
    # id the editor gave it, is an article.
    head, _, body = page.partition(b'data-lfr-editable-type="rich-text"')
    note = b'</p><footer class="ghi-chu" id="ghi-chu"><p>Ghi ch\xc3\xba.</p></footer>'
    own = extract_page(
        head + b'data-lfr-editable-type="rich-text"' + body.replace(b"</p>", note, 1), url, "utf-8"
    )
    assert own.page_kind == "article" and "Ghi chú." in own.body_html_raw
    # Even with an id of the theme's own, pasted from another page: the page's footer is still outside.
    pasted = b'</p><div id="footer"><p>Ch\xc3\xa9p t\xe1\xbb\xab trang kh\xc3\xa1c.</p></div>'
    own = extract_page(
        head + b'data-lfr-editable-type="rich-text"' + body.replace(b"</p>", pasted, 1), url, "utf-8"
    )
    assert own.page_kind == "article" and 'id="footer"' in own.body_html_raw


HEAD_XPATHS = {tag: etree.XPath(f"/html/head/{tag}") for tag in ("link", "meta", "title")}


@pytest.mark.parametrize(
    "html",
    [
        *(path.read_bytes() for path in sorted(FILES.glob("*.html"))),
        b"<title>t</title><meta name='description' content='d'><p>x</p>",
        b"<html><head><link rel=canonical href=/a><!-- c --><meta property='og:title' content=t>"
        b"<script>s</script><title>t</title><style>p{}</style></head><body><title>late</title></body></html>",
        b"<html><body><p>no head</p></body></html>",
        b"<p>only a paragraph</p>",
        b"<html><head><div>early body</div><meta name=description content=d><link rel=alternate></head></html>",
        b"<svg:html><head><title>t</title></head></svg:html>",
    ],
)
def test_the_head_elements_are_those_the_xpath_selects(html):
    doc = etree.fromstring(html, etree.HTMLParser(encoding="utf-8", collect_ids=False))
    for tag, xpath in HEAD_XPATHS.items():
        assert _head_children(doc, tag) == xpath(doc)


# --- where the article is filed -------------------------------------------------------------------------

_ARTICLE = (
    '<div class="journal-content-article" data-analytics-asset-id="7">'
    '<div data-lfr-editable-type="rich-text"><p>Nội dung bài viết đủ dài.</p></div></div>'
)


def _page(before: str, after: str = "") -> bytes:
    return (
        '<html lang="vi-VN"><head><title>T</title></head><body><section id="content">'
        f'{before}<h1 class="component-heading">Tiêu đề</h1><p>10:56 08/03/2023</p>{_ARTICLE}{after}'
        "</section></body></html>"
    ).encode()


@pytest.mark.parametrize("layout", ["hepza_", "hepza_full_"])
def test_the_saved_article_pages_name_their_category_in_the_breadcrumb(layout):
    for name, url in (
        (f"{layout}article_seed.html", "https://hepza.hochiminhcity.gov.vn/w/x"),
        (f"{layout}article_seed_en.html", "https://hepza.hochiminhcity.gov.vn/en/w/x"),
    ):
        record = record_of(name, url)
        assert (record.category, record.categories) == (
            "hoat-dong-dang-doan-the",
            ["hoat-dong-dang-doan-the"],
        )
        assert record.category_raw[0]["url"].rstrip("/").endswith(("8000", "/en"))  # home, as printed
        assert len(record.category_raw) == 3  # home, category, the article itself


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        # Liferay 7.x: a nav labelled Breadcrumb (any case), the article itself last without a link.
        (
            '<nav aria-label="breadcrumb"><ol><li><a href="/">Trang chủ</a></li>'
            '<li><a href="/en/tin-tuc">Tin tức</a></li><li><a href="/en/tin-tuc/dau-tu">Đầu tư</a></li>'
            "<li>Tiêu đề</li></ol></nav>",
            "",
            ("dau-tu", ["tin-tuc", "dau-tu"]),
        ),
        # 6.2: ul.breadcrumbs, the article linked last; an asset-categories summary with the
        # category route, which names a second category.
        (
            '<ul class="breadcrumbs"><li class="first"><a href="/web/guest/home">Trang chủ</a></li>'
            '<li><a href="/web/guest/thong-bao">Thông báo</a></li>'
            '<li class="last"><a href="/web/guest/-/tieu-de">Tiêu đề</a></li></ul>',
            '<span class="taglib-asset-categories-summary"><a href="/thong-bao/-/categories/20871">'
            'Thông báo</a><a href="/w/tieu-de/-/categories/33001">Đấu thầu</a></span>',
            ("thong-bao", ["thong-bao", "categories/20871", "categories/33001"]),
        ),
        # No breadcrumb: asset category links alone give the categories, and no main one.
        ("", '<a class="asset-category" href="/dau-tu">Đầu tư</a>', (None, ["dau-tu"])),
        ("", "", (None, [])),
    ],
)
def test_categories_are_read_from_any_themes_breadcrumb_and_category_links(before, after, expected):
    record = clean_article(extract_page(_page(before, after), "https://example.gov.vn/w/tieu-de"))
    assert (record.category, record.categories) == expected


# --- issue 19: what a black-box attack changed in the page must not change the record -------------------

SEED_URL = "http://127.0.0.1:8000/w/h%E1%BB%99i-ngh%E1%BB%8B"


def _seed_with(variant: str, n: int = 1):
    from replica.faults import _rewrite_portlets

    page = (FILES / "hepza_full_article_seed.html").read_text("utf-8")
    changed = _rewrite_portlets(page, variant, "/w/seed", n)
    assert changed != page
    return clean_article(extract_page(changed.encode(), SEED_URL, "utf-8"))


def test_a_banner_web_content_above_the_article_is_not_its_identity_nor_its_body():
    from replica.faults import BANNER_ASSET_ID

    clean = record_of("hepza_full_article_seed.html", SEED_URL, "utf-8")
    banner = _seed_with("banner")
    assert banner.asset_id == clean.asset_id != BANNER_ASSET_ID
    assert (banner.title, banner.body_text, banner.published_at) == (
        clean.title,
        clean.body_text,
        clean.published_at,
    )


def test_the_main_web_content_is_the_one_with_most_text_when_there_is_no_title_heading():
    page = (
        '<html><body><div class="journal-content-article" data-analytics-asset-id="1"><p>Banner</p></div>'
        '<div class="journal-content-article" data-analytics-asset-id="2"><p>10:56 08/03/2023</p>'
        "<p>Nội dung của bài viết này dài hơn nhiều so với dòng chữ của banner.</p></div></body></html>"
    )
    assert extract_page(page.encode(), "https://h.gov.vn/w/x").asset_id == "2"


@pytest.mark.parametrize("n", range(4))  # each of the replica's date-line forms (replica.faults)
def test_a_date_line_with_furniture_around_the_date_is_read(n):
    from replica.faults import DATE_FURNITURE, _rewrite_portlets

    page = (FILES / "hepza_full_article_seed.html").read_text("utf-8")
    form = DATE_FURNITURE[n]
    changed = page.replace("10:56 08/03/2023</p>", form.format(date="10:56 08/03/2023", n=123) + "</p>", 1)
    assert changed != page and _rewrite_portlets  # (the fault's own forms)
    raw = extract_page(changed.encode(), SEED_URL, "utf-8")
    assert (raw.published_raw, raw.layers["published"]) == ("10:56 08/03/2023", "portal")
    assert clean_article(raw).published_at == "2023-03-08T10:56:00+07:00"


def test_the_date_is_never_taken_from_the_related_articles_after_the_body():
    page = (FILES / "hepza_full_article_seed.html").read_text("utf-8")
    undated = page.replace("10:56 08/03/2023</p>", "Tin tức - Sự kiện</p>", 1)
    raw = extract_page(undated.encode(), SEED_URL, "utf-8")
    # The related list prints (09:15 06/01/2026) and others: none of them is this article's date.
    assert raw.layers.get("published") != "portal"
    assert raw.published_raw is None or "06/01/2026" not in raw.published_raw


@pytest.mark.parametrize(
    "related",
    [
        # After the content, as the replica's redesigned theme prints it (no body element the portal
        # layer knows, so no "body end" to stop at).
        '<ul class="nd-related"><li class="related-item"><a href="/w/b">Bài khác</a> '
        '<span class="related-date">(14:05 28/01/2026)</span></li></ul>',
        # A most-read column before the content.
        '<aside><ol><li><a href="/w/c">Tin đọc nhiều</a><p>14:05 28/01/2026</p></li></ol></aside>',
    ],
)
def test_a_date_beside_a_link_in_a_list_item_is_another_articles(related):
    body = "".join(
        f"<p>Đoạn văn thứ {n} của bài viết, đủ dài để là nội dung của trang.</p>" for n in range(6)
    )
    page = (
        '<html><head><meta property="og:title" content="Bài viết"></head><body><div class="container">'
        '<article class="news-detail-v2"><div class="nd-title">Bài viết</div>'
        '<div class="nd-meta">Đăng lúc 08:30 04/02/2026 bởi Ban biên tập</div>'
        + (related if related.startswith("<aside") else "")
        + f'<section class="nd-content">{body}</section>'
        + (related if not related.startswith("<aside") else "")
        + "</article></div></body></html>"
    )
    raw = extract_page(page.encode(), SEED_URL, "utf-8")
    assert raw.published_raw is None or "28/01/2026" not in raw.published_raw, raw.layers


@pytest.mark.parametrize(
    "line",
    [
        "10:56 08/03/2023 | một đoạn văn bản dài không phải là đồ trang trí của dòng ngày tháng",
        "Hội nghị ngày 08/03/2023 | Lượt xem: 5",
    ],
)
def test_a_date_inside_a_sentence_is_not_a_date_line(line):
    page = (FILES / "hepza_full_article_seed.html").read_text("utf-8")
    raw = extract_page(page.replace("10:56 08/03/2023</p>", line + "</p>", 1).encode(), SEED_URL, "utf-8")
    assert raw.layers.get("published") != "portal"


def test_a_body_paragraph_that_opens_with_a_date_stays_in_the_body():
    page = (FILES / "hepza_full_article_seed.html").read_text("utf-8")
    page = page.replace("10:56 08/03/2023</p>", "Tin tức - Sự kiện</p>", 1)
    page = page.replace(
        'data-lfr-editable-type="rich-text">',
        'data-lfr-editable-type="rich-text"><p>08/03/2023 - Hội nghị</p>',
        1,
    )
    record = clean_article(extract_page(page.encode(), SEED_URL, "utf-8"))
    assert record.body_text.startswith("08/03/2023 - Hội nghị")
