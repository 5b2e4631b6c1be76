"""Table tests for pipelines.text: normalisation, folding keys and byte decoding."""

import unicodedata

import pytest

from pipelines.text import decode_html, fold_key, normalize_inline, normalize_text


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


def to_cp1258(s: str) -> bytes:
    """Encode Vietnamese text in Windows-1258 the way legacy editors did: base letters with breve,
    circumflex or horn precomposed (the code page has them), tones as combining marks."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", s):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", ch)
        base = "".join(c for c in decomposed if c in "\u0306\u0302\u031b" or not unicodedata.combining(c))
        tones = "".join(c for c in decomposed if unicodedata.combining(c) and c not in "\u0306\u0302\u031b")
        out += unicodedata.normalize("NFC", base).encode("cp1258") + tones.encode("cp1258")
    return bytes(out)


NORMALIZE_TEXT_CASES = [
    ("Minh Trí", "Minh Trí"),
    (nfd("Hội nghị sơ kết công tác xây dựng Đảng"), "Hội nghị sơ kết công tác xây dựng Đảng"),
    ("Ban\u00a0Quản\u00a0lý", "Ban Quản lý"),  # &nbsp;
    ("Ban\u00a0\u00a0 Quản lý", "Ban Quản lý"),  # &nbsp;&nbsp; next to a real space
    ("74,28\u202ftriệu USD", "74,28 triệu USD"),  # narrow NBSP
    ("đoàn\u200bviên", "đoànviên"),  # zero-width space removed, no space invented
    ("đoàn\u00adviên", "đoànviên"),  # soft hyphen
    ("\ufeffNgày 07/4, Đảng ủy", "Ngày 07/4, Đảng ủy"),  # BOM
    ("Tham\u2060dự", "Thamdự"),  # word joiner
    ("a\u200cb\u200dc", "abc"),  # ZWNJ / ZWJ
    ("  Ngày 07/4,\t\tĐảng ủy  ", "Ngày 07/4, Đảng ủy"),
    ("Đoạn một.\n\n\n\nĐoạn hai.", "Đoạn một.\n\nĐoạn hai."),
    ("Đoạn một.  \n \n\u00a0\nĐoạn hai.", "Đoạn một.\n\nĐoạn hai."),  # blank lines made of spaces
    ("Dòng một\r\nDòng hai\rDòng ba", "Dòng một\nDòng hai\nDòng ba"),
    ("Dòng một\u2028Dòng hai", "Dòng một\nDòng hai"),
    ("\n\n  Tiêu đề \n", "Tiêu đề"),
    ("thủy\u3000hoà", "thủy hoà"),  # ideographic space; tone placement kept as written
    ("Hoà" + "\u200b" + nfd("ả"), "Hoàả"),
    ("", ""),
    (" \u00a0\u200b ", ""),
]


@pytest.mark.parametrize(("raw", "expected"), NORMALIZE_TEXT_CASES)
def test_normalize_text(raw, expected):
    assert normalize_text(raw) == expected
    assert normalize_text(expected) == expected


NORMALIZE_INLINE_CASES = [
    ("Hội nghị sơ kết\n công tác xây dựng Đảng", "Hội nghị sơ kết công tác xây dựng Đảng"),
    (
        nfd("  Thông báo số 1443/BQL-KCN-HCM\u00a0 ngày 04/7/2012 "),
        "Thông báo số 1443/BQL-KCN-HCM ngày 04/7/2012",
    ),
    ("MINH\u00a0TRÍ\n", "MINH TRÍ"),
    ("Đoạn một.\n\nĐoạn hai.", "Đoạn một. Đoạn hai."),
    ("a\u00adb\tc", "ab c"),
]


@pytest.mark.parametrize(("raw", "expected"), NORMALIZE_INLINE_CASES)
def test_normalize_inline(raw, expected):
    assert normalize_inline(raw) == expected


FOLD_PAIRS = [
    ("hoà", "hòa"),
    ("thuỷ", "thủy"),
    ("xây dựng Đảng", "XAY DUNG DANG"),
    (nfd("Đảng ủy Ban Quản lý"), "dang uy ban quan ly"),
    ("Khu Chế xuất\u00a0và  Công nghiệp", "khu che xuat va cong nghiep"),
    ("ĐỨC ANH", "đức anh"),
    ("Thứ Tư", "thu tu"),
]


@pytest.mark.parametrize(("left", "right"), FOLD_PAIRS)
def test_fold_key_matches(left, right):
    assert fold_key(left) == fold_key(right)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Hội nghị sơ kết", "hoi nghi so ket"),
        ("ĐỨC  ANH", "duc anh"),
        ("Quy định 1374-QĐ/TU", "quy dinh 1374-qd/tu"),
        # fold_key folds character by character through a table, then composes: these pin that it
        # still equals folding the whole string.
        ("\u1100\u0301\u1161", "\uac00"),  # jamo that compose once the mark between them is gone
        ("İSTANBUL", "istanbul"),  # casefold adds a combining dot, dropped too
        ("ẞ Straße", "ss strasse"),  # casefold to two letters
        ("A\tB\x00  C\r\nD", "a b c d"),  # the ASCII path: controls dropped, whitespace collapsed
        ("Thủ\u00a0Đức\u200b", "thu duc"),
    ],
)
def test_fold_key_value(raw, expected):
    assert fold_key(raw) == expected


VIETNAMESE = (
    "Hội nghị sơ kết công tác xây dựng Đảng quý I và triển khai nhiệm vụ quý II/2022. Ủy ban, Ương, Ơn."
)
PAGE = f"<html><head><title>{VIETNAMESE}</title></head><body><p>{VIETNAMESE}</p></body></html>"


@pytest.mark.parametrize(
    ("body", "declared", "expected_encoding"),
    [
        # The declared charset wins when the bytes decode with it.
        (PAGE.encode("utf-8"), "utf-8", "utf-8"),
        (PAGE.encode("utf-8"), "UTF8", "utf-8"),
        (to_cp1258(PAGE), "windows-1258", "cp1258"),
        # Declared UTF-8, but the bytes are Windows-1258: detect.
        (to_cp1258(PAGE), "utf-8", "cp1258"),
        # Nothing declared: detection finds each.
        (PAGE.encode("utf-8"), None, "utf-8"),
        (to_cp1258(PAGE), None, "cp1258"),
        (to_cp1258(PAGE), "no-such-charset", "cp1258"),
        # Declared Windows-1258 / Latin-1, but the bytes are valid UTF-8 with multibyte sequences: UTF-8.
        (PAGE.encode("utf-8"), "windows-1258", "utf-8"),
        (PAGE.encode("utf-8"), "iso-8859-1", "utf-8"),
        # A BOM, and NFD UTF-8 (comes back NFC).
        (b"\xef\xbb\xbf" + PAGE.encode("utf-8"), None, "utf-8-sig"),
        (nfd(PAGE).encode("utf-8"), "utf-8", "utf-8"),
    ],
)
def test_decode_html_vietnamese(body, declared, expected_encoding):
    text, used = decode_html(body, declared)
    assert used == expected_encoding
    assert text == PAGE
    assert unicodedata.is_normalized("NFC", text)


def test_decode_html_meta_charset_when_undeclared():
    page = (
        '<html><head><meta http-equiv="content-type" content="text/html; charset=windows-1258">'
        f"<title>{VIETNAMESE}</title></head></html>"
    )
    text, used = decode_html(to_cp1258(page), None)
    assert (text, used) == (page, "cp1258")


def test_decode_html_title_before_meta_is_not_mojibake():
    # Liferay prints <title> before its meta charset: with the header's UTF-8, the title reads right.
    page = f'<html><head><title>{VIETNAMESE}</title><meta charset="UTF-8"></head></html>'
    text, used = decode_html(page.encode("utf-8"), "utf-8")
    assert used == "utf-8" and VIETNAMESE in text


def test_decode_html_ascii_is_fine_under_any_declaration():
    assert decode_html(b"<p>Minh Tri</p>", "iso-8859-1") == ("<p>Minh Tri</p>", "iso8859-1")


def test_decode_html_never_raises_on_garbage():
    text, used = decode_html(bytes(range(256)) * 3, "utf-8")
    assert isinstance(text, str) and used


def test_whitespace_alone_normalizes_to_nothing():
    # The body walker skips normalize_text for a buffer of whitespace only (the line breaks between
    # blocks): it must give "" for every such text.
    spaces = [chr(c) for c in range(0x110000) if chr(c).isspace()]
    assert normalize_text("".join(spaces)) == ""
    for space in spaces:
        assert normalize_text(space) == normalize_text(f"{space}\n{space} ") == ""
