"""Table tests for pipelines.dates: portal date lines, date-line recognition, event dates, migration."""

import unicodedata
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from pipelines.dates import (
    EventDate,
    ParsedDate,
    find_event_date,
    is_date_line,
    is_probable_migration,
    parse_portal_date,
)

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
# Tests never depend on today's date.
NOW = datetime(2026, 3, 1, 10, 0, tzinfo=HCM)


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


# (raw, locale, expected ISO value)
VALID_CASES = [
    # Vietnamese UI, HH:mm dd/MM/yyyy (the seed article)
    ("10:56 08/03/2023", "vi", "2023-03-08T10:56:00+07:00"),
    ("06:12 10/05/2023", "vi", "2023-05-10T06:12:00+07:00"),
    ("18:05 24/05/2021", "vi", "2021-05-24T18:05:00+07:00"),
    ("00:00 01/01/2012", "vi", "2012-01-01T00:00:00+07:00"),
    ("  10:56\u00a008/03/2023\u00a0", "vi", "2023-03-08T10:56:00+07:00"),  # &nbsp; around
    ("10:56\u202f\u200b08/03/2023", "vi", "2023-03-08T10:56:00+07:00"),  # narrow NBSP + ZWSP
    ("10:56:30 08/03/2023", "vi", "2023-03-08T10:56:30+07:00"),
    # dd/MM/yyyy HH:mm
    ("08/03/2023 10:56", "vi", "2023-03-08T10:56:00+07:00"),
    ("08/03/2023 - 10:56", "vi", "2023-03-08T10:56:00+07:00"),
    ("08/03/2023 | 10:56", "vi", "2023-03-08T10:56:00+07:00"),
    # date only: midnight
    ("08/03/2023", "vi", "2023-03-08T00:00:00+07:00"),
    ("8/3/2023", "vi", "2023-03-08T00:00:00+07:00"),
    ("08-03-2023", "vi", "2023-03-08T00:00:00+07:00"),
    ("08.03.2023", "vi", "2023-03-08T00:00:00+07:00"),
    ("10:56 08-03-2023", "vi", "2023-03-08T10:56:00+07:00"),
    # English UI: US short form, month first
    ("2/4/26 8:30 AM", "en", "2026-02-04T08:30:00+07:00"),
    ("5/10/23 6:10 AM", "en", "2023-05-10T06:10:00+07:00"),
    ("5/10/23 6:10 PM", "en", "2023-05-10T18:10:00+07:00"),
    ("12/31/25 12:05 AM", "en", "2025-12-31T00:05:00+07:00"),
    ("1/2/24 12:00 PM", "en", "2024-01-02T12:00:00+07:00"),
    ("5/10/23 6:10 am", "en-US", "2023-05-10T06:10:00+07:00"),
    # the same string in the two locales: order from the locale, not the numbers
    ("5/10/23 6:10", "vi", "2023-10-05T06:10:00+07:00"),
    ("2/4/25 8:30", "vi", "2025-04-02T08:30:00+07:00"),
    # English UI with a 4-digit-year template stays day first
    ("Monday, 24/05/2021, 22:38", "en", "2021-05-24T22:38:00+07:00"),
    ("Monday, 24/05/2021, 21:01", "vi", "2021-05-24T21:01:00+07:00"),
    ("Mon, 24/05/2021 21:01", "en", "2021-05-24T21:01:00+07:00"),
    ("13/05/2023", "en", "2023-05-13T00:00:00+07:00"),
    # weekday templates
    ("(Thứ hai, 19/04/2021 15:17)", "vi", "2021-04-19T15:17:00+07:00"),
    (nfd("(Thứ hai, 19/04/2021 15:17)"), "vi", "2021-04-19T15:17:00+07:00"),
    ("Thứ Hai, 19/04/2021, 15:17 (GMT+7)", "vi", "2021-04-19T15:17:00+07:00"),
    ("Chủ nhật, 23/05/2021 06:00", "vi", "2021-05-23T06:00:00+07:00"),
    ("CN, 23/05/2021 06:00", "vi", "2021-05-23T06:00:00+07:00"),
    ("T4, 19/02/2014 08:00", "vi", "2014-02-19T08:00:00+07:00"),
    # long Vietnamese form
    ("Thứ Tư, ngày 19 tháng 02 năm 2014", "vi", "2014-02-19T00:00:00+07:00"),
    ("08 giờ 00, Thứ Tư, ngày 19 tháng 02 năm 2014", "vi", "2014-02-19T08:00:00+07:00"),
    ("8h30, Thứ Tư, ngày 19 tháng 02 năm 2014", "vi", "2014-02-19T08:30:00+07:00"),
    ("8h, thứ tư, ngày 19 tháng 2 năm 2014", "vi", "2014-02-19T08:00:00+07:00"),
    ("14 giờ 30 phút, ngày 19 tháng 02 năm 2014", "vi", "2014-02-19T14:30:00+07:00"),
    (nfd("08 giờ 00, Thứ Tư, ngày 19 tháng 02 năm 2014"), "vi", "2014-02-19T08:00:00+07:00"),
    ("Ngày 19 tháng 02 năm 2014, lúc 8g30", "vi", "2014-02-19T08:30:00+07:00"),
    # SA / CH
    ("08:30 SA 05/03/2024", "vi", "2024-03-05T08:30:00+07:00"),
    ("12:15 SA 05/03/2024", "vi", "2024-03-05T00:15:00+07:00"),
    ("05/03/2024 2:15 CH", "vi", "2024-03-05T14:15:00+07:00"),
    ("2:15 CH 05/03/2024", "vi", "2024-03-05T14:15:00+07:00"),
    ("12:00 CH 05/03/2024", "vi", "2024-03-05T12:00:00+07:00"),
    ("05/03/2024 14:15 CH", "vi", "2024-03-05T14:15:00+07:00"),
    ("8 giờ sáng, ngày 19 tháng 02 năm 2014", "vi", "2014-02-19T08:00:00+07:00"),
    ("2 giờ chiều, ngày 19 tháng 02 năm 2014", "vi", "2014-02-19T14:00:00+07:00"),
    # ISO 8601, converted to the site zone
    ("2023-03-08T03:56:00Z", "vi", "2023-03-08T10:56:00+07:00"),
    ("2023-03-08T10:56:00+07:00", "vi", "2023-03-08T10:56:00+07:00"),
    ("2023-03-07T20:56:00-07:00", "vi", "2023-03-08T10:56:00+07:00"),
    ("2023-03-08T03:56:00.123Z", "en", "2023-03-08T10:56:00+07:00"),
    ("2023-03-08 10:56", "vi", "2023-03-08T10:56:00+07:00"),
    ("2023-03-08", "vi", "2023-03-08T00:00:00+07:00"),
    # labels
    ("Ngày đăng: 10:56 08/03/2023", "vi", "2023-03-08T10:56:00+07:00"),
    ("Cập nhật:\u00a010:56\u00a008/03/2023", "vi", "2023-03-08T10:56:00+07:00"),
    ("Cập nhật lúc 10:56 08/03/2023", "vi", "2023-03-08T10:56:00+07:00"),
    ("Ngày cập nhật: (Thứ hai, 19/04/2021 15:17)", "vi", "2021-04-19T15:17:00+07:00"),
    ("Published: May 10, 2023 6:10 AM", "en", "2023-05-10T06:10:00+07:00"),
    ("10 May 2023", "en", "2023-05-10T00:00:00+07:00"),
    ("10:56 08/03/2023.", "vi", "2023-03-08T10:56:00+07:00"),
    # the edges of the plausible window
    ("01/01/1995", "vi", "1995-01-01T00:00:00+07:00"),
    ("02/03/2026 09:59", "vi", "2026-03-02T09:59:00+07:00"),  # now + 1 day, just inside
]


@pytest.mark.parametrize(("raw", "locale", "expected"), VALID_CASES)
def test_parse_portal_date_valid(raw, locale, expected):
    assert parse_portal_date(raw, locale=locale, now=NOW) == ParsedDate(expected, None)


# (raw, locale, a word the warning must contain)
INVALID_CASES = [
    ("31/02/2023", "vi", "impossible"),
    ("10:56 30/02/2024", "vi", "impossible"),
    ("29/02/2023", "vi", "impossible"),
    ("2/30/23 8:30 AM", "en", "impossible"),
    ("13/5/23 6:10 AM", "en", "impossible"),  # month 13 in the US order
    ("25:10 08/03/2023", "vi", "impossible"),
    ("10:61 08/03/2023", "vi", "impossible"),
    ("14:15 SA 05/03/2024", "vi", "contradicts"),
    ("01/01/1970", "vi", "before 1995"),
    ("00:00 01/01/1900", "vi", "before 1995"),
    ("31/12/1994 23:59", "vi", "before 1995"),
    ("1970-01-01T00:00:00Z", "vi", "before 1995"),
    ("01/01/2027", "vi", "future"),
    ("02/03/2026 10:01", "vi", "future"),  # just past now + 1 day
    ("2/4/27 8:30 AM", "en", "future"),
    ("", "vi", "unrecognised"),
    ("   ", "vi", "unrecognised"),
    ("Bài viết liên quan", "vi", "unrecognised"),
    ("Hội nghị ngày 08/03/2023 tại Ban Quản lý", "vi", "unrecognised"),
    ("10:56", "vi", "unrecognised"),
    ("2:15 CH", "vi", "unrecognised"),
    ("08/03", "vi", "unrecognised"),
    ("1443/BQL-KCN-HCM", "vi", "unrecognised"),
]


@pytest.mark.parametrize(("raw", "locale", "warning_word"), INVALID_CASES)
def test_parse_portal_date_invalid(raw, locale, warning_word):
    result = parse_portal_date(raw, locale=locale, now=NOW)
    assert result.value is None
    assert warning_word in result.warning


def test_parse_portal_date_other_zone_and_naive_now():
    assert (
        parse_portal_date("10:56 08/03/2023", tz="UTC", now=datetime(2026, 1, 1)).value
        == "2023-03-08T10:56:00+00:00"
    )
    assert (
        parse_portal_date("2023-03-08T03:56:00Z", tz="Asia/Bangkok", now=NOW).value
        == "2023-03-08T10:56:00+07:00"
    )


def test_parse_portal_date_unknown_zone_is_a_warning():
    result = parse_portal_date("10:56 08/03/2023", tz="Mars/Olympus", now=NOW)
    assert result.value is None and "time zone" in result.warning


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10:56 08/03/2023", True),
        ("2/4/26 8:30 AM", True),
        ("(Thứ hai, 19/04/2021 15:17)", True),
        ("Monday, 24/05/2021, 22:38", True),
        ("08 giờ 00, Thứ Tư, ngày 19 tháng 02 năm 2014", True),
        ("Ngày đăng: 10:56 08/03/2023", True),
        ("31/02/2023", True),  # a date line, though an impossible date
        (nfd("Thứ Tư, ngày 19 tháng 02 năm 2014"), True),
        ("Minh Trí", False),
        ("Bài viết liên quan", False),
        ("Ngày 07/4, Đảng ủy Ban Quản lý tổ chức hội nghị sơ kết.", False),
        ("Tính đến 31/3/2022, tổng vốn đầu tư thu hút đạt 74,28 triệu USD", False),
        ("Thông báo số 1443/BQL-KCN-HCM ngày 04/7/2012", False),
        ("10:56", False),
        ("", False),
        ("10:56 08/03/2023 " + "x" * 120, False),
    ],
)
def test_is_date_line(text, expected):
    assert is_date_line(text) is expected


SEED_TITLE = "Hội nghị sơ kết công tác xây dựng Đảng quý I và triển khai phương hướng, nhiệm vụ quý II/2022"
SEED_BODY = (
    "Ngày 07/4, Đảng ủy Ban Quản lý các Khu Chế xuất và Công nghiệp TPHCM (Đảng ủy Ban Quản lý) tổ chức hội "
    "nghị sơ kết công tác xây dựng Đảng quý I và triển khai phương hướng, nhiệm vụ trọng tâm quý II/2022. "
    "Tham dự hội nghị có đồng chí Vương Kiến Quốc.\n\n"
    "Trong quý I/2022, với phương châm “Thích ứng an toàn, linh hoạt” Đảng ủy đã tập trung lãnh đạo. "
    "Tính đến 31/3/2022, tổng vốn đầu tư thu hút đạt 74,28 triệu USD (14,86%) kế hoạch.\n\n"
    "Tiếp tục thực hiện Kết luận số 01-KL/TW ngày 18/5/2021 của Bộ Chính trị về tiếp tục thực hiện Chỉ thị "
    "số 05-CT/TW ngày 15/5/2016; duy trì việc thực hiện Quy định 1374-QĐ/TU, ngày 01/12/2017."
)
SEED_FIRST_SENTENCE = (
    "Ngày 07/4, Đảng ủy Ban Quản lý các Khu Chế xuất và Công nghiệp TPHCM (Đảng ủy Ban Quản lý) tổ chức hội "
    "nghị sơ kết công tác xây dựng Đảng quý I và triển khai phương hướng, nhiệm vụ trọng tâm quý II/2022."
)
SEED_PORTAL = "2023-03-08T10:56:00+07:00"


def test_seed_article_event_date_and_migration():
    event = find_event_date(SEED_BODY, SEED_TITLE, SEED_PORTAL)
    assert event == EventDate("2022-04-07", "day", SEED_FIRST_SENTENCE)
    assert is_probable_migration(SEED_PORTAL, event) is True


# (body, title, portal date, expected (date, precision) or None)
EVENT_CASES = [
    # year from the title
    ("Ngày 07/4, Đảng ủy tổ chức hội nghị.", "Sơ kết quý II/2022", None, ("2022-04-07", "day")),
    # year from the text near it
    (
        "Sáng 8/3, Công đoàn tổ chức mít tinh kỷ niệm. Năm 2023 là năm thứ 10.",
        "Mít tinh kỷ niệm",
        None,
        ("2023-03-08", "day"),
    ),
    # year from the portal date: the latest year not after it
    ("Sáng 8/3, Công đoàn tổ chức mít tinh.", "Mít tinh", "2023-05-10T06:12:00+07:00", ("2023-03-08", "day")),
    ("Chiều 20/12, Ban Quản lý tổng kết.", "Tổng kết", "2023-01-05T06:12:00+07:00", ("2022-12-20", "day")),
    # no year anywhere: unknown, not a guess
    ("Sáng 8/3, Công đoàn tổ chức mít tinh.", "Mít tinh", None, None),
    # ranges: the first day
    ("Trong 2 ngày 20-21/5/2021, Ban Quản lý tổ chức tập huấn.", "", None, ("2021-05-20", "day")),
    ("Ngày 20 - 21/5/2021, Ban Quản lý tổ chức tập huấn.", "", None, ("2021-05-20", "day")),
    ("Từ ngày 30/4 - 1/5/2021, công nhân được nghỉ.", "", None, ("2021-04-30", "day")),
    # long form, with time and weekday
    (
        "Vào lúc 08 giờ 00, Thứ Tư, ngày 19 tháng 02 năm 2014, Ban Quản lý tổ chức hội nghị.",
        "Thông báo",
        "2023-05-10T06:12:00+07:00",
        ("2014-02-19", "day"),
    ),
    ("Hội nghị diễn ra ngày 19/02/2014 tại Hội trường.", "", None, ("2014-02-19", "day")),
    (nfd("Ngày 19/02/2014, Ban Quản lý tổ chức hội nghị."), "", None, ("2014-02-19", "day")),
    ("Ngày\u00a007/4, Đảng ủy tổ chức hội nghị.", "Sơ kết quý II/2022", None, ("2022-04-07", "day")),
    ("Sáng thứ Tư (19/2), Ban Quản lý tổ chức hội nghị.", "Hội nghị năm 2014", None, ("2014-02-19", "day")),
    # citation dates are not event dates
    (
        "Thực hiện Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị, Đảng ủy tổ chức học tập.",
        "",
        None,
        None,
    ),
    (
        "Căn cứ Nghị định số 35/2022/NĐ-CP ngày 28/5/2022, ngày 15/6/2022 Ban Quản lý tổ chức hội nghị.",
        "",
        None,
        ("2022-06-15", "day"),
    ),
    (
        "Theo văn bản số 2479/BKHĐT-QLKKT ngày 11/4/2012 và số 05-CT/TW ngày 15/5/2016, Ban Quản lý triển khai.",
        "",
        None,
        None,
    ),
    (
        "Quyết định ban hành ngày 5/6/2020. Sáng 10/6/2020, Ban Quản lý tổ chức phổ biến.",
        "",
        None,
        ("2020-06-10", "day"),
    ),
    (  # "ký" with the Kelvin sign, which (?i:k) matches
        "Quyết định \u212aÝ ngày 5/6/2020. Sáng 10/6/2020, Ban Quản lý tổ chức phổ biến.",
        "",
        None,
        ("2020-06-10", "day"),
    ),
    # a deadline gives way to a better date, but is used when it is all there is
    (
        "Tính đến 31/3/2022, tổng vốn đầu tư đạt 74,28 triệu USD. Ngày 7/4/2022, hội nghị sơ kết.",
        "",
        None,
        ("2022-04-07", "day"),
    ),
    ("Tính đến 31/3/2022, tổng vốn đầu tư đạt 74,28 triệu USD.", "", None, ("2022-03-31", "day")),
    ("Doanh nghiệp nộp hồ sơ trước ngày 15/5/2022.", "", None, ("2022-05-15", "day")),
    # the title is the document
    (
        "Ban Quản lý thông báo đến các doanh nghiệp.",
        "Thông báo số 1443/BQL-KCN-HCM ngày 04/7/2012 của Ban Quản lý",
        "2023-05-10T06:10:00+07:00",
        ("2012-07-04", "day"),
    ),
    # coarser precisions
    ("Trong quý I/2022, vốn đầu tư tăng.", "Sơ kết quý I/2022", None, ("2022-01-01", "quarter")),
    ("Kết quả thu hút đầu tư tăng.", "Báo cáo tình hình quý III năm 2021", None, ("2021-07-01", "quarter")),
    ("Trong tháng 4/2022, vốn đầu tư tăng.", "", None, ("2022-04-01", "month")),
    ("Kết quả thu hút đầu tư.", "Tháng Công nhân năm 2022", None, ("2022-01-01", "year")),
    # nothing at all
    ("Ban Quản lý tổ chức hội nghị.", "Hội nghị", "2023-03-08T10:56:00+07:00", None),
    ("", "", None, None),
    # impossible day/month skipped
    ("Ngày 31/2, hội nghị. Ngày 3/3/2022, tập huấn.", "", None, ("2022-03-03", "day")),
    # bug: a range written "Từ ngày 11 đến ngày 15/8" gave its last day
    (
        "Từ ngày 11 đến ngày 15/8, đoàn kiểm tra của Ban Quản lý đã làm việc với 24 doanh nghiệp.",
        "Kiểm tra công tác bảo vệ môi trường",
        "2025-08-15T13:30:00+07:00",
        ("2025-08-11", "day"),
    ),
    ("Từ ngày 11 đến hết ngày 15/8/2025, đoàn kiểm tra làm việc.", "", None, ("2025-08-11", "day")),
    (
        "Từ ngày 5 đến 9/12/2022, Ban Quản lý kiểm tra công tác phòng cháy chữa cháy.",
        "Kiểm tra công tác phòng cháy chữa cháy cuối năm 2022",
        "2023-03-08T11:04:00+07:00",
        ("2022-12-05", "day"),
    ),
    # bug: a year-end review took the title's year (2025-01-06); on a portal date that is not a probable
    # migration time, a day/month close before it is in the portal date's year
    (
        "Ngày 6/1, Đảng bộ Ban Quản lý tổ chức hội nghị tổng kết công tác xây dựng Đảng năm 2025 và triển "
        "khai nhiệm vụ năm 2026.",
        "Đảng bộ Ban Quản lý tổng kết công tác xây dựng Đảng năm 2025",
        "2026-01-06T09:15:00+07:00",
        ("2026-01-06", "day"),
    ),
    (
        "Ngày 6/1, Đảng bộ tổ chức hội nghị tổng kết công tác năm 2025.",
        "Tổng kết công tác năm 2025",
        "2026-01-08T09:15:00+07:00",
        ("2026-01-06", "day"),
    ),
    # ... across the new year, the other way: a December event reported in January of the titled year
    (
        "Chiều 20/12, Ban Quản lý triển khai kế hoạch.",
        "Kế hoạch năm 2026",
        "2026-01-05T08:00:00+07:00",
        ("2025-12-20", "day"),
    ),
    # ... a notice may announce the next few days
    (
        "Sáng 2/1, Ban Quản lý tổ chức lễ chào cờ.",
        "Lễ chào cờ",
        "2025-12-30T08:00:00+07:00",
        ("2026-01-02", "day"),
    ),
    # ... but migrated content keeps the title's year (its latest period ends long before the portal date)
    (
        "Ngày 6/1, Đảng bộ tổ chức hội nghị tổng kết công tác năm 2018.",
        "Tổng kết công tác năm 2018",
        "2023-03-08T10:56:00+07:00",
        ("2018-01-06", "day"),
    ),
    (
        "Ngày 1/3, Công đoàn tổ chức hội thao công nhân năm 2019.",
        "Hội thao công nhân năm 2019",
        "2023-03-08T10:56:00+07:00",
        ("2019-03-01", "day"),
    ),
    # ... and a day/month far from the portal date still takes the title's year (a future holiday)
    (
        "Ban Quản lý thông báo lịch nghỉ Tết.\n\n- Thời gian nghỉ: từ thứ Bảy, ngày 14/02 đến hết Chủ nhật, "
        "ngày 22/02.",
        "Thông báo lịch nghỉ Tết Nguyên đán năm 2026",
        "2025-12-30T10:00:00+07:00",
        ("2026-02-14", "day"),
    ),
    # a notice reports the first date it announces, even a future one
    (
        "Căn cứ thông báo của Ủy ban nhân dân Thành phố, Ban Quản lý thông báo lịch nghỉ Tết.\n\n"
        "- Thời gian nghỉ: từ thứ Bảy, ngày 14/02/2026 đến hết Chủ nhật, ngày 22/02/2026.\n"
        "- Bộ phận tiếp nhận hồ sơ trực tuyến vẫn hoạt động.\n\n"
        "Đề nghị các doanh nghiệp thông báo cho Ban Quản lý trước ngày 20/01/2026.",
        "Thông báo lịch nghỉ Tết Nguyên đán Bính Ngọ năm 2026",
        "2025-12-30T10:00:00+07:00",
        ("2026-02-14", "day"),
    ),
    (
        "Từ ngày 01/10/2025, Ban Quản lý tiếp nhận hồ sơ trực tuyến toàn trình đối với 42 thủ tục.",
        "Thông báo về việc tiếp nhận hồ sơ trực tuyến toàn trình",
        "2025-09-22T16:00:00+07:00",
        ("2025-10-01", "day"),
    ),
    # bug: "Tối 3/5" (in the evening of) was read as "tới 3/5" (until), a deadline; hidden until the
    # title's period came before lead deadlines (it then gave 2025-01-01, year)
    (
        "Tối 3/5, Công đoàn các KCX-KCN khai mạc Tháng Công nhân năm 2025.",
        "Khai mạc Tháng Công nhân năm 2025",
        "2025-05-14T15:00:00+07:00",
        ("2025-05-03", "day"),
    ),
    (
        "Hội chợ kéo dài tới ngày 15/5/2022. Ngày 10/5/2022, hội chợ khai mạc.",
        "",
        None,
        ("2022-05-10", "day"),
    ),
    # bug: a list or a table counted one paragraph per line, pushing the third paragraph out of the lead
    (
        "Trung tâm thông báo tuyển dụng 6 viên chức năm 2025.\n\nVị trí | Số lượng\nGiảng viên | 3\n"
        "Chuyên viên | 2\nKế toán viên | 1\n\nHồ sơ nộp trực tiếp tại Trung tâm từ ngày 02/4 đến hết ngày "
        "02/5/2025 trong giờ hành chính.",
        "Thông báo tuyển dụng viên chức năm 2025",
        "2025-04-02T08:15:00+07:00",
        ("2025-04-02", "day"),
    ),
    # the title's period before a deadline in the lead (a deadline only when nothing else dates it)
    (
        "Ban Quản lý thông báo kết quả kiểm tra quý I/2024 tại 30 doanh nghiệp.\n\n"
        "Các doanh nghiệp có tồn tại phải báo cáo kết quả khắc phục trước ngày 30/6/2024.",
        "Thông báo kết quả kiểm tra công tác an toàn vệ sinh lao động quý I/2024",
        "2024-06-03T14:00:00+07:00",
        ("2024-01-01", "quarter"),
    ),
    (
        "Thực hiện Nghị định số 35/2022/NĐ-CP ngày 28/5/2022 của Chính phủ, Ban Quản lý xây dựng cơ sở dữ "
        "liệu.\n\nĐề nghị các doanh nghiệp cập nhật thông tin trước ngày 30/9/2024.",
        "Thông báo về việc thu thập thông tin doanh nghiệp",
        "2024-08-15T09:30:00+07:00",
        ("2024-09-30", "day"),
    ),
    # a year or a quarter in the lead when nothing finer dates the article
    (
        "Trong quý III/2025, một số doanh nghiệp thiếu đơn hàng.",
        "Bảo đảm quyền lợi người lao động",
        "2025-10-03T09:05:00+07:00",
        ("2025-07-01", "quarter"),
    ),
    (
        "Năm 2025, các KCX, KCN thu hút 1.284,5 triệu USD.",
        "Kết quả thu hút đầu tư năm 2025",
        "2026-01-28T14:05:00+07:00",
        ("2025-01-01", "year"),
    ),
    # the finder skips a date form when its word or separator is missing (a cheap test on lower()):
    # capitals and spaced separators must still reach every form
    ("NGÀY 19 THÁNG 02 NĂM 2014, BAN QUẢN LÝ HỌP.", "", None, ("2014-02-19", "day")),
    (
        "SÁNG 8 / 3, Công đoàn tổ chức mít tinh.",
        "Mít tinh",
        "2023-05-10T06:12:00+07:00",
        ("2023-03-08", "day"),
    ),
    ("Trong QUÝ III/2025, một số doanh nghiệp thiếu đơn hàng.", "", None, ("2025-07-01", "quarter")),
    ("Báo cáo THÁNG 4 NĂM 2022 của Ban Quản lý.", "", None, ("2022-04-01", "month")),
    # a citation written in capitals is still masked: its date is not the event's
    (
        "Thực hiện CHỈ THỊ SỐ 05-CT/TW NGÀY 15/5/2016, năm 2022 Ban Quản lý tổ chức học tập.",
        "",
        None,
        ("2022-01-01", "year"),
    ),
    # no digit in the lead: nothing to find there, the title's date counts
    ("Ban Quản lý tổ chức hội nghị tổng kết.", "Hội nghị ngày 19/02/2014", None, ("2014-02-19", "day")),
]


@pytest.mark.parametrize(("body", "title", "portal", "expected"), EVENT_CASES)
def test_find_event_date(body, title, portal, expected):
    event = find_event_date(body, title, portal)
    if expected is None:
        assert event is None
    else:
        assert event is not None
        assert (event.date, event.precision) == expected
        assert event.sentence


def test_event_sentence_of_a_list_item_is_its_line():
    body = (
        "Ban Quản lý thông báo lịch nghỉ Tết như sau.\n\n"
        "- Thời gian nghỉ: từ thứ Bảy, ngày 14/02/2026 đến hết Chủ nhật, ngày 22/02/2026.\n"
        "- Bộ phận tiếp nhận hồ sơ trực tuyến vẫn hoạt động."
    )
    event = find_event_date(body, "Thông báo lịch nghỉ Tết năm 2026", "2025-12-30T10:00:00+07:00")
    assert event == EventDate(
        "2026-02-14",
        "day",
        "- Thời gian nghỉ: từ thứ Bảy, ngày 14/02/2026 đến hết Chủ nhật, ngày 22/02/2026.",
    )


@pytest.mark.parametrize(
    ("portal", "event", "threshold", "expected"),
    [
        ("2023-03-08T10:56:00+07:00", EventDate("2022-04-07", "day", ""), 180, True),
        ("2023-05-10T06:10:00+07:00", EventDate("2012-07-04", "day", ""), 180, True),
        ("2022-04-08T09:00:00+07:00", EventDate("2022-04-07", "day", ""), 180, False),
        ("2022-04-01T09:00:00+07:00", EventDate("2022-04-07", "day", ""), 180, False),  # before the event
        ("2022-10-10T09:00:00+07:00", EventDate("2022-04-07", "day", ""), 180, True),
        ("2022-10-10T09:00:00+07:00", EventDate("2022-04-07", "day", ""), 200, False),
        # a coarse date counts from the end of its period
        ("2022-12-01T00:00:00+07:00", EventDate("2022-04-01", "quarter", ""), 180, False),
        ("2023-01-15T00:00:00+07:00", EventDate("2022-04-01", "quarter", ""), 180, True),
        ("2023-03-08T00:00:00+07:00", EventDate("2022-01-01", "year", ""), 180, False),
        ("2023-08-08T00:00:00+07:00", EventDate("2022-01-01", "year", ""), 180, True),
        ("2022-10-20T00:00:00+07:00", EventDate("2022-04-01", "month", ""), 180, False),
        (None, EventDate("2022-04-07", "day", ""), 180, False),
        ("2023-03-08T10:56:00+07:00", None, 180, False),
        ("not a date", EventDate("2022-04-07", "day", ""), 180, False),
    ],
)
def test_is_probable_migration(portal, event, threshold, expected):
    assert is_probable_migration(portal, event, threshold_days=threshold) is expected
