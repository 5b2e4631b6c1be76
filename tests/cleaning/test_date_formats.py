"""A profile's date formats (``[hints] date_formats``): strptime tried on the date line before the
built-in reader, in the portal's zone; a format that does not read the line falls through."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from pipelines.dates import gives_time_of_day, matches_format, parse_portal_date
from pipelines.model import RawArticle
from pipelines.record import clean_article

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 3, 1, 10, 0, tzinfo=HCM)  # (never today's date)
YMD = ["%Y/%m/%d %H:%M"]

# (raw, formats, tz, expected value or None, the warning's beginning or None)
CASES = [
    # A form no built-in reader knows: only the format reads it.
    ("2023/03/08 10:56", YMD, "Asia/Ho_Chi_Minh", "2023-03-08T10:56:00+07:00", None),
    ("2023/03/08 10:56", (), "Asia/Ho_Chi_Minh", None, "unrecognised date format"),
    # Spaces as a page prints them, brackets and a leading label dropped as the built-in reader drops them.
    ("\u00a02023/03/08\u202f 10:56 ", YMD, "Asia/Ho_Chi_Minh", "2023-03-08T10:56:00+07:00", None),
    ("(2023/03/08 10:56)", YMD, "Asia/Ho_Chi_Minh", "2023-03-08T10:56:00+07:00", None),
    ("Ngày đăng: 2023/03/08 10:56", YMD, "Asia/Ho_Chi_Minh", "2023-03-08T10:56:00+07:00", None),
    # The portal's zone is the profile's, not the archive's default.
    ("2023/03/08 10:56", YMD, "Asia/Bangkok", "2023-03-08T10:56:00+07:00", None),
    ("2023/03/08 10:56", YMD, "Europe/Paris", "2023-03-08T10:56:00+01:00", None),
    # An offset in the line (%z) is converted to the portal's zone.
    ("2023-03-08 03:56 +0000", ["%Y-%m-%d %H:%M %z"], "Asia/Ho_Chi_Minh", "2023-03-08T10:56:00+07:00", None),
    # The first format that reads the whole line wins; one that reads a part falls through.
    (
        "15:55 | 10/07/2025",
        ["%d/%m/%Y", "%H:%M | %d/%m/%Y"],
        "Asia/Ho_Chi_Minh",
        "2025-07-10T15:55:00+07:00",
        None,
    ),
    # A line no format reads is the built-in reader's (here it knows it).
    ("10:56 08/03/2023", YMD, "Asia/Ho_Chi_Minh", "2023-03-08T10:56:00+07:00", None),
    # Month first where the profile says so: the format decides, not the locale.
    ("03/08/2023", ["%m/%d/%Y"], "Asia/Ho_Chi_Minh", "2023-03-08T00:00:00+07:00", None),
    # Read by the format, still checked: impossible days fall through, implausible ones are refused.
    ("2023/02/31 10:56", YMD, "Asia/Ho_Chi_Minh", None, "unrecognised date format"),
    ("1970/01/01 00:00", YMD, "Asia/Ho_Chi_Minh", None, "implausible date 1970-01-01"),
    ("2027/01/01 00:00", YMD, "Asia/Ho_Chi_Minh", None, "implausible date 2027-01-01: in the future"),
    # Nothing to read, or far too long to be a date line.
    ("", YMD, "Asia/Ho_Chi_Minh", None, "unrecognised date format"),
    ("2023/03/08 10:56 " + "x" * 200, YMD, "Asia/Ho_Chi_Minh", None, "unrecognised date format"),
]


@pytest.mark.parametrize(("raw", "formats", "tz", "value", "warning"), CASES)
def test_a_profile_s_formats_read_the_date_line_first(raw, formats, tz, value, warning):
    parsed = parse_portal_date(raw, tz=tz, now=NOW, formats=formats)
    assert parsed.value == value
    assert (parsed.warning or "").startswith(warning or "") and (parsed.warning is None) == (warning is None)


@pytest.mark.parametrize(
    ("raw", "formats", "expected"),
    [
        ("2023/03/08 10:56", YMD, True),
        ("2023/03/08", ["%Y/%m/%d"], False),  # the format prints no clock
        ("2023/03/08", YMD, False),  # read by no format, nor by the built-in reader
        ("08/03/2023 10:56", YMD, True),  # the built-in reader's
    ],
)
def test_a_time_of_day_is_what_the_reading_format_prints(raw, formats, expected):
    assert gives_time_of_day(raw, formats=formats) is expected


def test_matches_format_needs_the_whole_line():
    assert matches_format("2023/03/08 10:56", YMD)
    assert not matches_format("Đăng 2023/03/08 10:56 bởi Ban biên tập", YMD)
    assert not matches_format("2023/03/08 10:56", ())


def test_cleaning_reads_the_raw_date_with_the_formats_and_keeps_it_raw():
    raw = RawArticle(url="http://x/w/a", title_raw="T", published_raw="2023/03/08", body_html_raw="<p>b</p>")
    record = clean_article(
        raw, now=NOW, listed_date="2023/03/08 10:56", date_formats=["%Y/%m/%d %H:%M", "%Y/%m/%d"]
    )
    # The page prints the day; its list the minute, in the profile's form: the list's minute is kept.
    assert record.published_raw == "2023/03/08"
    assert record.published_at == "2023-03-08T10:56:00+07:00" and record.warnings == []
    assert clean_article(raw, now=NOW).warnings == ["published: unrecognised date format: '2023/03/08'"]
