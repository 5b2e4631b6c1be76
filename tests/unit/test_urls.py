"""Article identity from URLs: every spelling of an article's URL reduces to one key."""

from urllib.parse import urljoin

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.urls import (
    article_key,
    canonical_url,
    category_key,
    is_article_url,
    join_url,
    path_and_query,
    strip_cache_buster,
    strip_volatile_params,
    url_locale,
)

SLUG = "/w/th%C3%B4ng-tin-v%E1%BB%81-h%E1%BB%99i-ngh%E1%BB%8B"
NFD_SLUG = "/w/tho%CC%82ng-tin-ve%CC%82%CC%80-ho%CC%A3%CC%82i-nghi%CC%A3"

SAME_ARTICLE = [
    f"https://hepza.hochiminhcity.gov.vn{SLUG}",
    f"http://hepza.hochiminhcity.gov.vn{SLUG}",
    f"https://www.hepza.hochiminhcity.gov.vn{SLUG}",
    f"https://hepza.hochiminhcity.gov.vn/en{SLUG}",
    f"https://hepza.hochiminhcity.gov.vn{SLUG.lower()}",  # lower-case percent-encoding
    f"https://hepza.hochiminhcity.gov.vn{SLUG}/",
    f"https://hepza.hochiminhcity.gov.vn{SLUG}?_com_liferay_redirect=%2Ftin-tuc",
    f"https://hepza.hochiminhcity.gov.vn{SLUG}#top",
    "https://hepza.hochiminhcity.gov.vn/w/thông-tin-về-hội-nghị",  # unencoded
    f"https://hepza.hochiminhcity.gov.vn{NFD_SLUG}",  # NFD-typed slug
    "https://hepza.hochiminhcity.gov.vn/-/th%C3%B4ng-tin-v%E1%BB%81-h%E1%BB%99i-ngh%E1%BB%8B",
    "https://hepza.hochiminhcity.gov.vn/web/guest/tin-tuc/-/asset_publisher/AbCdEf123456/content/"
    "th%C3%B4ng-tin-v%E1%BB%81-h%E1%BB%99i-ngh%E1%BB%8B?p_p_id=x",
    "http://127.0.0.1:8123/en/w/th%c3%b4ng-tin-v%e1%bb%81-h%e1%bb%99i-ngh%e1%bb%8b",
]


@pytest.mark.parametrize("url", SAME_ARTICLE)
def test_every_spelling_reduces_to_one_key(url):
    assert article_key(url) == SLUG


@pytest.mark.parametrize(
    "url,key",
    [
        # a slug may hold "/" (document numbers) and keeps "." "_" "*" as Liferay does
        (
            "https://h/en/w/th%C3%B4ng-b%C3%A1o-s%E1%BB%91-1443/bql_kcn-_hcm-ng%C3%A0y-04/7/2012-c%E1%BB%A7a",
            "/w/th%C3%B4ng-b%C3%A1o-s%E1%BB%91-1443/bql_kcn-_hcm-ng%C3%A0y-04/7/2012-c%E1%BB%A7a",
        ),
        ("https://h/w/k%E1%BA%BFt-qu%E1%BA%A3-tp.hcm", "/w/k%E1%BA%BFt-qu%E1%BA%A3-tp.hcm"),
        ("https://h/w/%C4%90%E1%BA%A3ng-%E1%BB%A7y", "/w/%C4%90%E1%BA%A3ng-%E1%BB%A7y"),  # capital Đ stays
        ("https://h/w/hoi-nghi-1", "/w/hoi-nghi-1"),  # a duplicate title's slug is another article
    ],
)
def test_key_keeps_what_liferay_keeps(url, key):
    assert article_key(url) == key


@pytest.mark.parametrize(
    "url",
    [
        "https://h/",
        "https://h/gioi-thieu",
        "https://h/tin-tuc?p_p_id=x&_x_cur=2",
        "https://h/sitemap.xml",
        "https://h/documents/20143/0/a.pdf/uuid?t=1",
        "https://h/wx/abc",
    ],
)
def test_other_pages_are_not_articles(url):
    assert not is_article_url(url)
    assert article_key(url) is None


def test_locale_comes_from_the_path():
    assert url_locale("https://h/en/w/abc") == "en"
    assert url_locale("https://h/w/abc") == "vi"


def test_canonical_url_is_stable():
    assert canonical_url("HTTPS://WWW.Example.com/w/a?b=2&a=1#f") == "https://example.com/w/a?a=1&b=2"


def test_cache_buster_is_dropped_from_documents():
    assert (
        strip_cache_buster("https://h/documents/1/2/a.pdf/u?t=1699999")
        == "https://h/documents/1/2/a.pdf/u"
        == strip_cache_buster("https://h/documents/1/2/a.pdf/u;jsessionid=0A1B.node2?t=1")
    )


@pytest.mark.parametrize(
    "href,url",
    [
        ("/w/a", "https://h/w/a"),
        ("b", "https://h/w/b"),
        # root-relative, as the body's images and documents are (urljoin resolves dot segments, keeps
        # ";" params and a query, drops an empty query and a bare "#")
        ("/documents/1/2/a.jpg/u?t=5", "https://h/documents/1/2/a.jpg/u?t=5"),
        ("/a/./b/../c", "https://h/a/c"),
        ("/a;p=1?q", "https://h/a;p=1?q"),
        ("/a?", "https://h/a"),
        ("//other.vn/a", "https://other.vn/a"),
        ("https://h/en/w/a", "https://h/en/w/a"),
        ("https://h/w/a?", "https://h/w/a"),  # urljoin's re-parsing drops an empty query
        ("https://h/w/a#", "https://h/w/a"),
        ("HTTPS://h/w/a", "https://h/w/a"),
        ("https://h/w/../a", "https://h/w/../a"),
        ("https://[::1]/a", "https://[::1]/a"),
        # An editor's typo in one link: no URL, rather than an exception that would cost the whole page.
        ("http://[", None),
        ("https://[/tai-lieu.pdf", None),
        ("http://h]/a", None),
    ],
)
def test_join_url(href, url):
    assert join_url("https://h/w/x", href) == url


def _urljoin_or_none(base: str, href: str) -> str | None:
    try:
        return urljoin(base, href)
    except ValueError:
        return None


@settings(max_examples=400, deadline=None)
@given(
    base=st.sampled_from(["https://h.vn/w/a", "http://127.0.0.1:8000/w/b?c#d", "https://h.vn"]),
    start=st.sampled_from(["https://", "http://", "https:", "//", "/", ""]),
    rest=st.text(st.characters(max_codepoint=0x7F) | st.sampled_from("đ:/?#;[]@ "), max_size=24),
)
def test_join_url_is_urljoin(base, start, rest):
    # join_url skips urljoin for plain absolute URLs: the shortcut must never change an answer.
    assert join_url(base, start + rest) == _urljoin_or_none(base, start + rest)


@settings(max_examples=600, deadline=None)
@given(
    base=st.sampled_from(
        [
            "https://h.vn/w/a",
            "HTTP://H.vn:8080/w/b/?c#d",
            "http://user@127.0.0.1:8000",
            " https://h.vn/x ",
            "https://h.vn/a/b/../c",
            "ftp://h.vn/w",
            "mailto:a@h.vn",
            "https://[::1]/w",
            "https://[/w",
            "/w/relative",
            "",
        ]
    ),
    rest=st.lists(
        st.sampled_from(
            ["/", "//", "a", ".", "..", "?", "#", ";", "=", "&", "t=5", "%C3", "đ", " ", "\t", "[", "~"]
        ),
        max_size=10,
    ).map("".join),
)
def test_join_url_is_urljoin_for_root_relative_hrefs(base, rest):
    # ...and for plain root-relative ones (the body's images and documents).
    assert join_url(base, "/" + rest) == _urljoin_or_none(base, "/" + rest)


@pytest.mark.parametrize(
    "url,expected",
    [
        ("https://h/w/x", "https://h/w/x"),
        ("https://h/w/x?", "https://h/w/x?"),  # nothing to drop: the link as written
        ("https://h/c/x?p_auth=AbC123", "https://h/c/x"),
        ("https://h/c/x?a=1&p_p_auth=Zz&b=2#frag", "https://h/c/x?a=1&b=2#frag"),
        ("https://h/documents/1/2/a/u?t=1699999&download=true", "https://h/documents/1/2/a/u?download=true"),
        ("https://a.vn/tim?t=abc", "https://a.vn/tim?t=abc"),
        ("https://a.vn/tim?t=", "https://a.vn/tim?t="),
        ("https://a.vn/x?b=%C3%A1&a=1&a=1", "https://a.vn/x?b=%C3%A1&a=1&a=1"),  # spelling and order kept
        ("https://a.vn/x?tt=1&at=2", "https://a.vn/x?tt=1&at=2"),
        # A session id in the path or the query, and a fresh cache-buster: the node that rendered the
        # page, not where the link points (issue 19: a version on every fetch).
        ("https://h/w/x;jsessionid=0A1B2C3D4E", "https://h/w/x"),
        ("https://h/w/x;JSESSIONID=0A1B.node2?a=1", "https://h/w/x?a=1"),
        ("https://h/w/x?JSESSIONID=0A1B&a=1", "https://h/w/x?a=1"),
        ("https://h/w/x?a=1&_=1733000000123", "https://h/w/x?a=1"),
        ("https://h/w/x?rnd=9f86d081884c7d65", "https://h/w/x"),
        ("https://a.vn/tim?q=x&_=abc", "https://a.vn/tim?q=x&_=abc"),  # not a number: a real parameter
    ],
)
def test_volatile_params_are_dropped_and_nothing_else(url, expected):
    assert strip_volatile_params(url) == expected


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://h.gov.vn/tin-tuc-su-kien", "tin-tuc-su-kien"),
        ("https://h.gov.vn/en/tin-tuc-su-kien?p_p_id=x&_x_cur=2", "tin-tuc-su-kien"),
        ("https://h.gov.vn/web/guest/thong-bao/", "thong-bao"),
        ("https://h.gov.vn/tin-tuc/-/categories/20871", "categories/20871"),
        ("https://h.gov.vn/w/bai-viet/-/categories/33001", "categories/33001"),
        ("https://h.gov.vn/", None),
        ("https://h.gov.vn/en", None),
        ("https://h.gov.vn/w/bai-viet", None),
        ("https://h.gov.vn/-/bai-viet", None),
    ],
)
def test_category_key_is_the_list_pages_key_whatever_the_route(url, key):
    assert category_key(url) == key


# Every article route of the Liferay generations (docs/portals.md): one article, one key.
_TITLE = "hoi-nghi-so-ket-quy-iv-2025"
_P62 = "101_INSTANCE_emZ19pfF3Yyq"
ROUTES = [
    f"https://h/w/{_TITLE}",
    f"https://h/vi/w/{_TITLE}",
    f"https://h/-/{_TITLE}",
    f"https://h/web/hcm/-/{_TITLE}",
    f"https://h/en/web/hcm/-/{_TITLE}",
    f"https://h/web/guest/tin-tuc/-/asset_publisher/iwwYBC4Hj8wV/content/{_TITLE}",
    f"https://h/tin-t%E1%BB%A9c/-/asset_publisher/iwwYBC4Hj8wV/content/{_TITLE}?redirect=%2F",
    # 6.2's query form: the parameter names of whichever portlet instance shows the content.
    f"https://h/tin-tuc-su-kien?p_p_id={_P62}&p_p_lifecycle=0&_{_P62}_struts_action=%2Fasset_publisher"
    f"%2Fview_content&_{_P62}_assetEntryId=1782220&_{_P62}_type=content&_{_P62}_urlTitle={_TITLE}",
    # 7.x's query form of the same view.
    "https://h/tin-tuc?p_p_id=com_liferay_asset_publisher_web_portlet_AssetPublisherPortlet_INSTANCE_ab12"
    "&_com_liferay_asset_publisher_web_portlet_AssetPublisherPortlet_INSTANCE_ab12_mvcPath=%2Fview_content.jsp"
    f"&_com_liferay_asset_publisher_web_portlet_AssetPublisherPortlet_INSTANCE_ab12_urlTitle={_TITLE}",
]


@pytest.mark.parametrize("url", ROUTES)
def test_every_article_route_is_an_article_of_one_key(url):
    assert is_article_url(url)
    assert article_key(url) == f"/w/{_TITLE}"  # the key /w/ display pages have always had


@pytest.mark.parametrize(
    "url,key",
    [
        ("https://h/-/details/48213/hoi-nghi", "/-/details/48213"),  # the id outlives the slug
        ("https://h/-/details/48213/hoi-nghi-moi", "/-/details/48213"),
        ("https://moh.gov.vn/-/6471208-1", "/w/6471208-1"),  # moh's /-/<id>-<n>
        (
            f"https://h/tin-tuc?p_p_id={_P62}&_{_P62}_struts_action=%2Fasset_publisher%2Fview_content"
            f"&_{_P62}_assetEntryId=1782220",
            "/-/asset_entry/1782220",
        ),
    ],
)
def test_routes_without_a_shared_slug_key_on_their_ids(url, key):
    assert article_key(url) == key


@pytest.mark.parametrize(
    "url",
    [
        "https://h/-/categories/1234",
        "https://h/tin-tuc/-/categories/1234?p_r_p_categoryId=1234",
        "https://h/w/bai-viet/-/categories/5678",  # sbv: a category filter under a display page
        "https://h/-/tags/dau-tu",
        "https://h/tin-tuc/-/asset_publisher/iwwYBC4Hj8wV/rss",
        "https://h/-/document_library/abc/view_file/123",
        f"https://h/tin-tuc-su-kien?p_p_id={_P62}&_{_P62}_cur=2&_{_P62}_delta=10",
        f"https://h/tin-tuc?p_p_id={_P62}&_{_P62}_struts_action=%2Fasset_publisher%2Fview",
        "https://h/web/guest/29?p_p_id=EXT_BOCUCVANBAN&p_p_action=0&struts_action=%2Fext%2Fview",
        "https://h/web/hcm/tin-tuc",
    ],
)
def test_filters_pagers_and_other_portlets_are_not_articles(url):
    assert not is_article_url(url)
    assert article_key(url) is None


def test_a_re_check_keeps_the_query_that_names_a_6_2_article():
    url = ROUTES[7]
    assert path_and_query(url) == url[len("https://h") :]
    assert path_and_query("https://h/web/hcm/-/a#top") == "/web/hcm/-/a"
