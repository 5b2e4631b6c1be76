"""Slug rules (SITE-FACTS "Slug rules") against a hand-made table."""

import unicodedata

import pytest

from replica.slugs import MAX_LENGTH, slug_key, slugify, unique_slug

CASES = [
    ("Thông báo", "th%C3%B4ng-b%C3%A1o"),
    ("ABC xyz", "abc-xyz"),
    ("Đảng ủy", "%C4%90%E1%BA%A3ng-%E1%BB%A7y"),  # capital Đ is not A-Z: stays encoded upper-case
    ("quý I/2022", "qu%C3%BD-i/2022"),
    ("TP.HCM", "tp.hcm"),
    ("a*b_c", "a*b_c"),
    ("Hỏi: vì sao?", "h%E1%BB%8Fi-v%C3%AC-sao-"),
    ("“Nhà trọ an toàn”", "-nh%C3%A0-tr%E1%BB%8D-an-to%C3%A0n-"),
    ("Bình Dương – Vũng Tàu", "b%C3%ACnh-d%C6%B0%C6%A1ng-v%C5%A9ng-t%C3%A0u"),
    ("a - b -- c", "a-b-c"),
    ("(KCX), [KCN]", "-kcx-kcn-"),
    ("x\u00a0y", "x%C2%A0y"),  # NBSP is encoded, not a separator
    ("Chờ…", "ch%E1%BB%9D%E2%80%A6"),
    ("96% kế hoạch", "96%25-k%E1%BA%BF-ho%E1%BA%A1ch"),
    ("1443/BQL-KCN-HCM ngày 04/7/2012", "1443/bql-kcn-hcm-ng%C3%A0y-04/7/2012"),
    ("a, b; c!", "a-b-c-"),
    ("Tab\tand  spaces", "tab-and-spaces"),
]


@pytest.mark.parametrize(("title", "slug"), CASES)
def test_table(title, slug):
    assert slugify(title) == slug


def test_nfd_title_gives_another_slug():
    nfc = "Thông báo"
    nfd = unicodedata.normalize("NFD", nfc)
    assert slugify(nfd) != slugify(nfc)
    assert slugify(nfd) == "tho%CC%82ng-ba%CC%81o"


def test_limit_cuts_mid_word_never_inside_a_triple():
    title = "Hội nghị " * 40
    slug = slugify(title)
    assert len(slug) <= MAX_LENGTH
    assert len(slugify(title + "x")) == len(slug)
    # no broken %XX at the end, and the whole thing decodes
    assert not slug.endswith("%") and slug[-2:-1] != "%"
    assert slug_key(slug).encode("utf-8", "strict")
    # cut mid-word: the next encoded token would not fit
    assert len(slug) > MAX_LENGTH - 10


def test_duplicates_get_suffixes():
    taken = {"t%E1%BB%95ng-k%E1%BA%BFt"}
    assert unique_slug("Tổng kết", taken) == "t%E1%BB%95ng-k%E1%BA%BFt-1"
    taken.add("t%E1%BB%95ng-k%E1%BA%BFt-1")
    assert unique_slug("Tổng kết", taken) == "t%E1%BB%95ng-k%E1%BA%BFt-2"


def test_duplicate_of_a_full_length_slug_stays_within_the_limit():
    title = "Khu chế xuất " * 40
    first = slugify(title)
    second = unique_slug(title, {first})
    assert second.endswith("-1") and len(second) <= MAX_LENGTH


def test_key_matches_lower_case_hex_and_raw_text():
    assert slug_key("th%c3%b4ng") == slug_key("th%C3%B4ng") == slug_key("thông")
