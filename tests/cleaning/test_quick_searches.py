"""The quick searches that let the date and citation finders skip their costly regexes, and the regexes
rewritten to scan faster, against the forms they stand for: a quick search must find something in every
text the full form matches, and a rewritten form must match exactly as the original."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines import docrefs, event_dates, hashing
from pipelines.text import MARKUP_CONTROL_RE, drop_markup_controls

BOUNDED = settings(max_examples=400, deadline=None)

# Text made of the pieces the forms look for, in any case, with the characters that (?i:…) matches
# beyond plain upper and lower case ("ı", "ſ", "İ", the Kelvin sign) and digits and separators around.
PIECES = st.sampled_from(
    [
        "Chỉ thị",
        "CHỈ THỊ",
        "Công điện",
        "CÔNG ĐİỆN",
        "công đıện",
        "Thông tư liên tịch",
        "THÔNG TƯ LİÊN TỊCH",
        "Kế hoạch",
        "\u212aẾ HOẠCH",
        "Văn bản",
        "số",
        "SỐ",
        "ſố",
        "số:",
        "05-CT/TW",
        "35/2022/NĐ-CP",
        "1443/BQL-KCN-HCM",
        "123",
        "ngày",
        "NGÀY",
        "Ngày",
        "ban hành",
        "BAN HÀNH",
        "ký",
        "KÝ",
        "kí",
        "\u212aÝ",
        "tháng",
        "THÁNG",
        "năm",
        "Năm",
        "quý",
        "QUÝ",
        " II",
        "IV",
        "x",
        "_",
        "1995",
        "2026",
        "15/5/2016",
        "20-21/5",
        "11 đến ngày 15/8",
        "7/4",
        "8/3/2023",
        "08.03.2023",
        "sáng",
        "từ",
        "hết",
        "và",
        "tới",
        " ",
        "  ",
        "\n",
        ",",
        ".",
        "/",
        "-",
        "–",
        "1",
        "12",
        "2022",
        "a",
        "(",
    ]
)
TEXT = st.lists(PIECES, max_size=14).map("".join) | st.text(max_size=40)

# The two numeric forms as they were written before they were made to start with the day's digit.
_DAY_RANGE_LOOK_BEHIND_FIRST = re.compile(
    r"(?<![\d/.,])(?P<d>\d{1,2})\s*(?:-|–|—|(?i:và|đến|tới))\s*(?:(?i:hết\s+)?(?i:ngày)\s+)?\d{1,2}"
    r"\s*/\s*(?P<m>\d{1,2})"
    r"(?:\s*/\s*(?P<y>\d{4}))?(?![\d/])"
)
_FULL_NUMERIC_LOOK_BEHIND_FIRST = re.compile(
    r"(?<![\d/.,-])(?P<d>\d{1,2})\s*(?P<sep>[/.-])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<y>\d{4})(?![\d/])"
)


# The word forms as they were written before their look-behind was moved after the word.
_WORD_FORMS_LOOK_BEHIND_FIRST = {
    "_FULL_TEXTUAL_RE": r"(?<!\w)(?i:ngày)\s+(?P<d>\d{1,2})\s+(?i:tháng)\s+(?P<m>\d{1,2})\s*,?\s+(?i:năm)\s+"
    r"(?P<y>\d{4})(?!\d)",
    "_YEARLESS_TEXTUAL_RE": r"(?<!\w)(?i:ngày)\s+(?P<d>\d{1,2})\s+(?i:tháng)\s+(?P<m>\d{1,2})(?!\d)",
    "_MONTH_RE": r"(?<!\w)(?i:tháng)\s+(?P<m>\d{1,2})\s*(?:/|-|(?i:năm))\s*(?P<y>\d{4})(?!\d)",
    "_QUARTER_RE": r"(?<!\w)(?i:quý)\s+(?P<q>IV|I{1,3}|[1-4])\s*(?:/|-|,?\s*(?i:năm))\s*(?P<y>\d{4})(?!\d)",
    "_YEAR_RE": r"(?<!\w)(?i:năm)\s+(?P<y>\d{4})(?![\d/])",
    "_ANY_YEAR_RE": r"(?<!\d)(?:199\d|20\d\d)(?!\d)",
}


@BOUNDED
@given(TEXT)
def test_word_forms_match_as_written_before(text):
    for name, pattern in _WORD_FORMS_LOOK_BEHIND_FIRST.items():
        assert _matches(getattr(event_dates, name), text) == _matches(re.compile(pattern), text), name


def _matches(regex: re.Pattern, text: str) -> list:
    return [(m.span(), m.groupdict()) for m in regex.finditer(text)]


@BOUNDED
@given(TEXT)
def test_numeric_forms_match_as_written_before(text):
    assert _matches(event_dates._DAY_RANGE_RE, text) == _matches(_DAY_RANGE_LOOK_BEHIND_FIRST, text)
    assert _matches(event_dates._FULL_NUMERIC_RE, text) == _matches(_FULL_NUMERIC_LOOK_BEHIND_FIRST, text)


@BOUNDED
@given(TEXT)
def test_quick_searches_find_every_text_the_full_forms_match(text):
    if event_dates._YEARLESS_NUMERIC_RE.search(text):
        assert event_dates._YEARLESS_NUMERIC_HINT_RE.search(text)
    if event_dates._ISSUING_DATE_RE.search(text):
        assert event_dates._ISSUING_HINT_RE.search(text.lower())
    if docrefs._DOC_REF_RE.search(text):
        assert docrefs._may_name_document(text)
    if docrefs._BARE_CITATION_RE.search(text):
        assert docrefs._BARE_CITATION_HINT_RE.search(text)


def test_quick_searches_on_the_letters_case_insensitive_matching_adds():
    # (?i:i) matches "ı" and "İ", (?i:s) matches "ſ", (?i:k) the Kelvin sign.
    for text in (
        "Công đıện số 12/CĐ-TTg",
        "CÔNG ĐİỆN SỐ 12/CĐ-TTg",
        "Chỉ thị ſố 5/CT-TTg",
        "\u212aế hoạch 12/KH-BQL",
    ):
        assert docrefs._DOC_REF_RE.search(text), text
        assert docrefs._may_name_document(text), text
    assert event_dates._ISSUING_HINT_RE.search("\u212aÝ ngày 5/6/2020".lower())


def test_case_insensitive_matching_adds_no_other_letter_to_the_words_searched_lower_cased():
    # The quick searches rely on this: every character that (?i:x) matches, for each letter x of the kinds
    # and of "số" (but for "i" and "s", handled by _case_key) and of the issuing words, lower-cases to x.
    letters = set("".join(docrefs._KINDS).lower() + "sốbanhànhkýkíngày") - {" ", "i", "s"}
    every_character = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    for letter in letters:
        for char in re.findall(f"(?i:{re.escape(letter)})", every_character):
            assert char.lower() == letter, (char, letter)


@BOUNDED
@given(
    st.lists(
        st.sampled_from(["?t=", "&t=", "&amp;t=", "t=", "123", "?", "&", "a", "/x.jpg", " "]), max_size=12
    )
)
def test_cache_busters_are_dropped_as_the_regex_drops_them(pieces):
    text = "".join(pieces)
    assert hashing._without_cache_busters(text) == hashing._CACHE_BUSTER_RE.sub(r"\1", text)


@BOUNDED
@given(
    st.text(
        alphabet=st.characters(exclude_categories=())  # surrogates included
        | st.sampled_from(["\x00", "\x0b", "\x1f", "\x7f", "\x85", "\t", "\n", "\r", "<", "é"]),
        max_size=30,
    )
)
def test_markup_controls_are_dropped_as_the_regex_drops_them(html):
    assert drop_markup_controls(html) == MARKUP_CONTROL_RE.sub("", html)
