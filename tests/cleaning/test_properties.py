"""Properties of the cleaners over arbitrary text: they never raise, normalisers are idempotent, and a
parsed portal date is always inside the plausible window."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.bylines import normalize_name, parse_byline, photo_credit, split_byline
from pipelines.dates import find_event_date, is_date_line, is_probable_migration, parse_portal_date
from pipelines.docrefs import find_document_refs
from pipelines.text import _clean_spaces, decode_html, fold_key, normalize_inline, normalize_text

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 3, 1, 10, 0, tzinfo=HCM)
BOUNDED = settings(max_examples=200, deadline=None)

# Any text without surrogates, plus text built from the pieces cleaners look for, so that the
# interesting branches are reached, not only the "no match" one.
ANY_TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)))
PIECES = st.sampled_from(
    [
        "10:56",
        "08/03/2023",
        "2/4/26",
        "8:30",
        "AM",
        "SA",
        "CH",
        "Thứ Tư,",
        "ngày",
        "19",
        "tháng",
        "02",
        "năm",
        "2014",
        "8h30",
        "giờ",
        "Ngày 07/4,",
        "sáng 8/3",
        "20-21/5/2021",
        "quý II/2022",
        "Chỉ thị số",
        "05-CT/TW",
        "Theo",
        "Nguồn:",
        "Tin, ảnh:",
        "Minh Trí",
        "THANH DUNG",
        "ĐỨC",
        "B.NG",
        "PV",
        "NHÓM PV",
        "Ảnh:",
        " - ",
        ",",
        ".",
        "(",
        ")",
        "\u00a0",
        "\u200b",
        "\u00ad",
        "\n",
        "\u0301",
        "Z",
        "+07:00",
        "2023-03-08T03:56:00",
        "31/02/2023",
        "01/01/1970",
        "9999",
        "99/99/9999",
    ]
)
SHAPED_TEXT = st.lists(st.one_of(PIECES, ANY_TEXT), max_size=12).map(" ".join)
TEXT = st.one_of(ANY_TEXT, SHAPED_TEXT)


@BOUNDED
@given(TEXT)
def test_normalize_text_idempotent(s):
    once = normalize_text(s)
    assert normalize_text(once) == once


@BOUNDED
@given(TEXT)
def test_normalize_inline_idempotent(s):
    once = normalize_inline(s)
    assert normalize_inline(once) == once
    assert "\n" not in once


def test_clean_spaces_leaves_no_whitespace_but_space_and_line_break():
    # Every kind of whitespace becomes a plain space or line break, or goes: what the cleaners' regexes
    # written with a literal " " rely on.
    for code in range(0x110000):
        if chr(code).isspace():
            assert _clean_spaces(chr(code)) in ("", " ", "\n"), hex(code)


@BOUNDED
@given(TEXT)
def test_fold_key_idempotent(s):
    once = fold_key(s)
    assert fold_key(once) == once


@BOUNDED
@given(TEXT)
def test_normalize_name_idempotent(s):
    once = normalize_name(s)
    assert normalize_name(once) == once


@BOUNDED
@given(TEXT, st.sampled_from(["vi", "en"]))
def test_parse_portal_date_inside_plausible_window(s, locale):
    result = parse_portal_date(s, locale=locale, now=NOW)
    assert (result.value is None) != (result.warning is None)
    if result.value is not None:
        moment = datetime.fromisoformat(result.value)
        assert datetime(1995, 1, 1, tzinfo=HCM) <= moment <= NOW + timedelta(days=1)


@BOUNDED
@given(TEXT, TEXT)
def test_cleaners_never_raise(a, b):
    is_date_line(a)
    event = find_event_date(a, b, "2023-03-08T10:56:00+07:00")
    is_probable_migration("2023-03-08T10:56:00+07:00", event)
    find_event_date(a, b, None)
    parse_byline(a)
    photo_credit(a)
    split_byline([a, b])
    find_document_refs(a)


@BOUNDED
@given(st.binary(max_size=400), st.sampled_from([None, "utf-8", "windows-1258", "iso-8859-1", "bogus"]))
def test_decode_html_never_raises(body, declared):
    text, used = decode_html(body, declared)
    assert isinstance(text, str) and used
