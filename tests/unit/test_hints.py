"""A profile's hints in the pure functions: selectors read an article page before the portal layer
(pipelines/hints.py, pipelines/extract.py), and article routes mark and key more URLs (pipelines/urls.py)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from pipelines.extract import extract_page
from pipelines.hints import MISSED, PageHints, hinted_date_line
from pipelines.record import clean_article
from pipelines.urls import article_key, is_article_url

NOW = datetime(2026, 3, 1, 10, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
URL = "http://127.0.0.1:8000/tin-bai/12-khanh-thanh.html"
BODY = "<p>Sáng 4/2, Ban Quản lý đã tổ chức lễ khánh thành nhà máy mới tại khu chế xuất Tân Thuận.</p>" * 3


def page(main: str, title: str = "Khánh thành nhà máy") -> str:
    return (
        f"<html><head><title>{title}</title></head><body>"
        f'<nav><a href="/">Trang chủ</a></nav>{main}<footer>Bản quyền</footer></body></html>'
    )


# Classes no reader knows; a date form no built-in reader knows; the byline after the related list.
BLIND = page(
    '<div class="q-t">Khánh thành nhà máy</div><div class="q-when">Đăng 2023/03/08 10:56 bởi Ban biên tập</div>'
    f'<div class="q-txt">{BODY}</div><ul class="q-rel"><li><a href="/w/x">Tin khác</a></li></ul>'
    '<div class="q-sig"><p>Ngọc Hân</p></div>'
)
SELECTORS = {"title": ".q-t", "date": ".q-when", "byline": ".q-sig", "body": ".q-txt"}
HINTS = PageHints(SELECTORS, ("%Y/%m/%d %H:%M",))


def read(html: str, hints: PageHints | None):
    raw = extract_page(html, URL, "utf-8", hints=hints)
    return raw, clean_article(raw, now=NOW, date_formats=hints.date_formats if hints else ())


def test_a_theme_no_reader_knows_is_read_by_the_profile_s_selectors():
    raw, record = read(BLIND, HINTS)
    assert raw.page_kind == "article"
    assert (record.title, record.published_at) == ("Khánh thành nhà máy", "2023-03-08T10:56:00+07:00")
    assert raw.published_raw == "2023/03/08 10:56"  # the date line, as printed, out of its sentence
    assert record.authors == ["Ngọc Hân"] and "Tin khác" not in record.body_text
    assert record.body_text.startswith("Sáng 4/2") and record.body_text.count("Tân Thuận") == 3
    assert {k: raw.layers[k] for k in ("title", "published", "body", "byline")} == dict.fromkeys(
        ("title", "published", "body", "byline"), "profile"
    )
    assert raw.layers["layout"].startswith("profile:") and MISSED not in raw.layers


def test_without_hints_the_same_page_is_not_read_from_the_portal_layer():
    raw, record = read(BLIND, None)
    assert raw.layers.get("published") != "profile" and record.published_at is None
    assert record.authors == []


# (the page's main part, hints, the roles missed, what the title / date come from)
FALLBACKS = [
    # The selector finds nothing: detection reads the field (here the h1 and the built-in date line).
    (
        f'<h1>Khánh thành nhà máy</h1><p class="d">10:56 08/03/2023</p><div class="q-txt">{BODY}</div>',
        {"title": ".gone", "date": ".gone", "body": ".q-txt"},
        "title,date",
    ),
    # An element the selector finds empty, or a date element without a date line, is not taken.
    (
        f'<div class="q-t"> </div><h1>Khánh thành nhà máy</h1><p class="q-when">Lượt xem: 12</p>'
        f'<p>10:56 08/03/2023</p><div class="q-txt">{BODY}</div>',
        {"title": ".q-t", "date": ".q-when", "body": ".q-txt"},
        "title,date",
    ),
    # A selector lxml cannot translate (soupsieve's own pseudo-class) finds nothing: detection instead.
    (
        f'<h1>Khánh thành nhà máy</h1><p>10:56 08/03/2023</p><div class="q-txt">{BODY}</div>',
        {"title": 'div:-soup-contains("x")', "body": ".q-txt"},
        "title",
    ),
]


@pytest.mark.parametrize(("main", "selectors", "missed"), FALLBACKS)
def test_a_selector_that_finds_nothing_leaves_its_field_to_detection(main, selectors, missed):
    raw, record = read(page(main), PageHints(selectors))
    assert raw.layers[MISSED] == missed
    assert record.title == "Khánh thành nhà máy" and record.published_at == "2023-03-08T10:56:00+07:00"
    assert raw.layers["title"] != "profile" and raw.layers["published"] != "profile"
    assert raw.layers["body"] == "profile" and record.body_text.startswith("Sáng 4/2")


def test_title_and_date_printed_inside_the_hinted_body_are_not_body_text():
    main = (
        '<div class="all"><h3 class="t">Khánh thành nhà máy</h3><span class="w">2023/03/08 10:56</span>'
        f"{BODY}<p>Ngọc Hân</p></div>"
    )
    raw, record = read(
        page(main), PageHints({"title": ".t", "date": ".w", "body": ".all"}, ("%Y/%m/%d %H:%M",))
    )
    assert record.body_text.startswith("Sáng 4/2") and "2023/03/08" not in record.body_text
    assert "Khánh thành nhà máy" not in record.body_text and record.authors == ["Ngọc Hân"]


def test_a_byline_selected_inside_the_body_is_not_taken_twice():
    main = f'<div class="t">Khánh thành nhà máy</div><p>10:56 08/03/2023</p><div class="b">{BODY}<p class="s">Ngọc Hân</p></div>'
    raw, record = read(page(main), PageHints({"title": ".t", "body": ".b", "byline": ".s"}))
    assert record.authors == ["Ngọc Hân"] and record.body_text.count("Ngọc Hân") == 0
    assert raw.body_html_raw.count("Ngọc Hân") == 1


def test_a_page_read_wholly_by_hints_keeps_one_signature_per_theme_and_a_byline_changes_it():
    other = BLIND.replace("Khánh thành nhà máy", "Hội nghị tổng kết").replace("2023/03/08", "2024/01/02")
    first, second = (extract_page(p, URL, "utf-8", hints=HINTS).layers["layout"] for p in (BLIND, other))
    assert first == second
    unsigned = BLIND.replace("<p>Ngọc Hân</p>", "")
    raw = extract_page(unsigned, URL, "utf-8", hints=HINTS)
    assert raw.layers[MISSED] == "byline" and raw.layers["layout"] != first


@pytest.mark.parametrize(
    ("text", "formats", "line"),
    [
        ("2023/03/08 10:56", ("%Y/%m/%d %H:%M",), "2023/03/08 10:56"),
        ("Đăng 2023/03/08 10:56 bởi Ban biên tập", ("%Y/%m/%d %H:%M",), "2023/03/08 10:56"),
        # (A label is kept in the line, as the built-in reader keeps it: the formats read past it.)
        ("Đăng lúc 15:55 | 10/07/2025 - Tin tức", ("%H:%M | %d/%m/%Y",), "Đăng lúc 15:55 | 10/07/2025"),
        ("Cập nhật: 10:56 08/03/2023", (), "Cập nhật: 10:56 08/03/2023"),  # the built-in reader's
        ("Lượt xem: 1234", ("%Y/%m/%d %H:%M",), None),
        ("", (), None),
        ("2023/03/08 10:56 " + "chữ " * 80, ("%Y/%m/%d %H:%M",), None),  # a container, not a date line
    ],
)
def test_the_date_line_in_a_hinted_date_element(text, formats, line):
    assert hinted_date_line(text, formats) == line


@pytest.mark.parametrize(
    ("value", "selectors", "formats"),
    [
        (None, {}, ()),
        ({}, {}, ()),
        (
            {"selectors": {"title": ".t", "lead": ".x", "body": " "}, "list_pages": ["/a"]},
            {"title": ".t"},
            (),
        ),
        ({"date_formats": ["%d/%m/%Y", "", 3]}, {}, ("%d/%m/%Y",)),
    ],
)
def test_page_hints_from_the_setting(value, selectors, formats):
    hints = PageHints.from_setting(value)
    assert (dict(hints.selectors), hints.date_formats) == (selectors, formats)
    assert bool(hints) is bool(selectors or formats)


ROUTES = (r"^/tin-bai/\d+-[^/?]+\.html$", r"[?&]newsid=\d+")
# (URL, its key with the profile's routes; None: no article)
ROUTE_KEYS = [
    ("http://h/tin-bai/12-khanh-thanh.html", "/tin-bai/12-khanh-thanh.html"),
    ("https://www.h/tin-bai/12-khanh-thanh.html#top", "/tin-bai/12-khanh-thanh.html"),
    ("http://h/tin-bai/12-kh%c3%a1nh.html", "/tin-bai/12-kh%C3%A1nh.html"),  # hex case
    ("http://h/tin-bai/12-kha\u0301nh.html", "/tin-bai/12-kh%C3%A1nh.html"),  # NFD
    ("http://h/chi-tiet?newsid=7&b=2", "/chi-tiet?b=2&newsid=7"),  # the query sorted
    ("http://h/chi-tiet?b=2&newsid=7", "/chi-tiet?b=2&newsid=7"),
    ("http://h/tin-bai/danh-sach", None),
    ("http://h/tin-bai/12-khanh-thanh.html/binh-luan", None),
    # Liferay's routes keep their own keys (identity is unchanged), whatever the hints say.
    ("http://h/w/khanh-thanh?newsid=7", "/w/khanh-thanh"),
    ("http://h/web/guest/-/khanh-thanh", "/w/khanh-thanh"),
]


@pytest.mark.parametrize(("url", "key"), ROUTE_KEYS)
def test_a_profile_s_article_routes_mark_and_key_more_urls(url, key):
    assert article_key(url, routes=ROUTES) == key
    assert article_key(url, nfc=False, routes=ROUTES) == key
    assert is_article_url(url, ROUTES) is (key is not None)


@pytest.mark.parametrize("url", [u for u, _ in ROUTE_KEYS if "/w/" not in u and "/-/" not in u])
def test_without_routes_none_of_them_is_an_article(url):
    assert article_key(url) is None and not is_article_url(url)


def test_a_list_card_s_date_in_a_profile_s_format_is_its_listed_date():
    from lxml import html as lxml_html

    from pipelines.listing_dates import listed_dates

    doc = lxml_html.fromstring(
        '<ul><li><a href="/tin-bai/1-a.html">A</a><span class="k">2023/03/08 10:56</span></li>'
        '<li><a href="/tin-bai/2-b.html">B</a><span class="k">Lượt xem: 4</span></li></ul>'
    )
    assert listed_dates(doc, "http://h/list") == {}
    assert listed_dates(doc, "http://h/list", ("%Y/%m/%d %H:%M",)) == {
        "http://h/tin-bai/1-a.html": "2023/03/08 10:56"
    }


def test_a_route_that_does_not_compile_marks_nothing():
    assert (
        article_key("http://h/tin-bai/1-a.html", routes=("(unclosed", r"^/tin-bai/")) == "/tin-bai/1-a.html"
    )
    assert not is_article_url("http://h/tin-bai/1-a.html", ("(unclosed",))
