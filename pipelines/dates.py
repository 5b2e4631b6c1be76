"""Portal date lines: parse them to ISO 8601 in the site's zone, and recognise them.

Formats (after NFC, odd spaces collapsed, brackets and a leading label such as ``Ngày đăng:`` removed)::

    10:56 08/03/2023                  HH:mm dd/MM/yyyy          (Vietnamese UI, list and article pages)
    08/03/2023 10:56                  dd/MM/yyyy HH:mm
    08/03/2023 · 08-03-2023 · 08.03.2023   date only: midnight
    2/4/26 8:30 AM                    M/d/yy h:mm a             (English UI: month first, 2-digit year)
    (Thứ hai, 19/04/2021 15:17)       weekday, dd/MM/yyyy HH:mm (another Liferay template)
    Monday, 24/05/2021, 22:38         the same in the English UI: still day first (4-digit year)
    08 giờ 00, Thứ Tư, ngày 19 tháng 02 năm 2014    long Vietnamese form; also `8h30`, `8g30`
    08:30 SA 05/03/2024 · 05/03/2024 2:15 CH         SA / CH = AM / PM
    May 10, 2023 6:10 AM · 10 May 2023               English month names
    2023-03-08T03:56:00Z · 2023-03-08T10:56:00+07:00 ISO 8601, converted to the site zone

Day/month order comes from the form and the locale, never from the numbers: numeric dates are day
first, except under an ``en`` locale the US short form (two-digit year) and a date with an AM/PM clock
(``05/10/2023 06:10 AM``), which are month first.

Event dates inside article bodies (``find_event_date``) live in :mod:`pipelines.event_dates` and are
re-exported here. Pure functions, no Scrapy.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pipelines.text import fold_key, normalize_inline

__all__ = [
    "EARLIEST_PLAUSIBLE",
    "EventDate",
    "ParsedDate",
    "find_event_date",
    "gives_time_of_day",
    "is_date_line",
    "is_probable_migration",
    "matches_format",
    "parse_portal_date",
]

# The portal's content starts in 2012; anything before the agency's web presence is a typo or a
# placeholder (01/01/1970, 01/01/1900), not a date.
EARLIEST_PLAUSIBLE = date(1995, 1, 1)
# A date line longer than this is a sentence that happens to contain a date.
_MAX_DATE_LINE = 100


@dataclass(frozen=True)
class ParsedDate:
    """Result of :func:`parse_portal_date`.

    ``value``: ISO 8601 to the second with the zone's offset (``2023-03-08T10:56:00+07:00``) or None;
    ``warning``: why ``value`` is None (or a note), else None.
    """

    value: str | None
    warning: str | None


# --- regexes for date lines -------------------------------------------------------------------------

# A label before the date: "Ngày đăng:", "Cập nhật lúc:", "Published:". Letters and spaces only, then a
# colon, so that "10:56" (digits) is never taken for one.
_LABEL_RE = re.compile(r"^[^\W\d_][^\W\d_ ]*(?: [^\W\d_]+){0,3} ?: ?")
_BRACKETS_RE = re.compile(r"^[(\[]\s*(.*?)\s*[)\]]$")
_ISO_RE = re.compile(
    r"^(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})"
    r"(?:[T ](?P<h>\d{2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}(?::?\d{2})?)?$",
    re.IGNORECASE,
)
# "ngày 19 tháng 02 năm 2014" (the "ngày" is optional in headers: "19 tháng 2 năm 2014").
_VI_LONG_DATE_RE = re.compile(
    r"(?:(?i:ngày)\s+)?(?P<d>\d{1,2})\s+(?i:tháng)\s+(?P<mo>\d{1,2})\s*,?\s+(?i:năm)\s+(?P<y>\d{4})(?!\d)"
)
# 08/03/2023, 8-3-2023, 08.03.2023, 2/4/26: the same separator twice; the last part is the year.
_NUMERIC_DATE_RE = re.compile(
    r"(?<!\d[/.-])(?<!\d)(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})(?!\d|[/.-]\d|:\d)"
)
_EN_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_EN_MONTH = r"(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_EN_MONTH_DATE_RE = re.compile(
    rf"(?:{_EN_MONTH}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+{_EN_MONTH.replace('mon>', 'mon2>')}\s+(?P<y2>\d{{4}}))(?!\d)",
    re.IGNORECASE,
)
# 10:56, 10:56:30, 8h30, 8h, 08 giờ 00, 08g30, with an optional AM/PM marker: SA/CH are Liferay's
# Vietnamese AM/PM; "sáng" (morning) / "chiều", "tối" (afternoon, evening) are how writers say it.
_TIME_RE = re.compile(
    r"(?<![\d:])(?P<h>\d{1,2})\s*(?::\s*(?P<mi>\d{2})(?::(?P<s>\d{2}))?"
    r"|(?i:giờ|h|g)(?:\s*(?P<mi2>\d{1,2}))?(?![^\W\d_]))"
    r"(?:\s*(?i:phút))?(?![\d:])"
    r"(?:\s*(?P<ampm>(?i:am|pm|a\.m\.|p\.m\.|sa|ch|sáng|chiều|tối))(?![^\W\d_]))?"
)
# What may be left of a date line once its date and time are taken out (on the fold_key form):
# weekdays, "ngày"/"lúc"/"at", labels, a GMT+7 note, punctuation.
_FILLER_RE = re.compile(
    r"^(?:\s|[.,;:|·•()\[\]/–—-]"
    r"|thu\s*(?:hai|ba|tu|nam|sau|bay|[2-7])\b|chu\s*nhat\b|cn\b|t[2-7]\b"
    r"|(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|(?:mon|tue|wed|thu|fri|sat|sun)\b\.?"
    r"|ngay\b|luc\b|vao\b|hoi\b|at\b|on\b"
    r"|cap nhat\b|dang\b|xuat ban\b|posted\b|published\b|(?:last )?updated\b|date\b"
    r"|(?:gmt|utc)\s*[+-]\s*0?7(?::?00)?\b|ict\b)*$"
)
_AM = frozenset({"am", "a.m.", "sa", "sáng"})
_US_CLOCK_RE = re.compile(r"\d\s*(?:am|pm|a\.m\.|p\.m\.)(?![^\W\d_])", re.IGNORECASE)


@dataclass  # (not frozen: a frozen dataclass is made four times as slowly, and nothing changes these)
class _Fields:
    """A date line taken apart: calendar fields as written (not yet validated), or an ISO datetime."""

    year: int
    month: int
    day: int
    hour: int = 0
    minute: int = 0
    second: int = 0
    ampm: str | None = None
    aware: datetime | None = None  # set for ISO input with an offset


def _prepare(raw: str) -> str:
    """NFC, spaces collapsed, enclosing brackets and a leading label removed."""
    s = normalize_inline(raw)
    match = _BRACKETS_RE.match(s)
    if match:
        s = match.group(1)
    # A label may itself be followed by a bracketed date: "Cập nhật: (10:56 08/03/2023)".
    s = _LABEL_RE.sub("", s, count=1)
    match = _BRACKETS_RE.match(s)
    return match.group(1) if match else s


def _two_digit_year(y: str) -> int:
    # Liferay's short form prints "yy"; the archive covers 1995 onwards, so 95-99 are the 1990s.
    value = int(y)
    return value + (1900 if len(y) == 2 and value >= 95 else 2000 if len(y) == 2 else 0)


def _split_date(s: str, locale: str) -> tuple[int, int, int, str] | None:
    """Find the date part of a date line; return (year, month, day, the rest of the line)."""
    m = _VI_LONG_DATE_RE.search(s)
    if m:
        return int(m["y"]), int(m["mo"]), int(m["d"]), s[: m.start()] + " " + s[m.end() :]
    m = _NUMERIC_DATE_RE.search(s)
    if m:
        a, b = int(m["a"]), int(m["b"])
        # The US forms of an en locale: Liferay's short ``M/d/yy``, and a template's ``MM/dd/yyyy hh:mm a``
        # (a 12-hour clock with AM/PM is the US pattern; ``Monday, 24/05/2021, 22:38`` stays day first).
        month_first = locale.lower().startswith("en") and (len(m["y"]) == 2 or bool(_US_CLOCK_RE.search(s)))
        month, day = (a, b) if month_first else (b, a)
        return _two_digit_year(m["y"]), month, day, s[: m.start()] + " " + s[m.end() :]
    m = _EN_MONTH_DATE_RE.search(s)
    if m:
        mon = (m["mon"] or m["mon2"]).lower()
        return (
            int(m["y"] or m["y2"]),
            _EN_MONTHS[mon],
            int(m["d"] or m["d2"]),
            s[: m.start()] + " " + s[m.end() :],
        )
    return None


def _parse_fields(raw: str, locale: str) -> _Fields | None:
    """Take a date line apart; None when it is not (entirely) a date line in a known format."""
    s = _prepare(raw)
    if not s or len(s) > _MAX_DATE_LINE:
        return None
    m = _ISO_RE.match(s)
    if m:
        fields = _Fields(
            int(m["y"]), int(m["mo"]), int(m["d"]), int(m["h"] or 0), int(m["mi"] or 0), int(m["s"] or 0)
        )
        if m["tz"]:
            try:
                tz_text = "+00:00" if m["tz"].upper() == "Z" else m["tz"]
                aware = datetime.fromisoformat(
                    f"{m['y']}-{m['mo']}-{m['d']}T{m['h'] or '00'}:"
                    f"{m['mi'] or '00'}:{m['s'] or '00'}{tz_text}"
                )
            except ValueError:
                return fields  # impossible calendar values: validation reports them
            return _Fields(
                fields.year, fields.month, fields.day, fields.hour, fields.minute, fields.second, aware=aware
            )
        return fields
    split = _split_date(s, locale)
    if split is None:
        return None
    year, month, day, rest = split
    hour = minute = second = 0
    ampm = None
    t = _TIME_RE.search(rest)
    if t:
        hour, minute = int(t["h"]), int(t["mi"] or t["mi2"] or 0)
        second = int(t["s"] or 0)
        ampm = t["ampm"].lower() if t["ampm"] else None
        rest = rest[: t.start()] + " " + rest[t.end() :]
    if not _FILLER_RE.match(fold_key(rest)):
        return None
    return _Fields(year, month, day, hour, minute, second, ampm)


def _zone(tz: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _to_24h(hour: int, ampm: str | None) -> int | None:
    """Hour on a 24-hour clock, None when the hour and the marker contradict each other."""
    if ampm is None:
        return hour
    if ampm in _AM:
        return 0 if hour == 12 else hour if hour <= 12 else None
    if hour > 12:
        return hour  # "14:15 CH": redundant but unambiguous
    return 12 if hour == 12 else hour + 12


# strftime directives that print a time of day (a format without any reads a day only: midnight).
_CLOCK_DIRECTIVES = ("%H", "%I", "%M", "%X", "%c", "%T", "%R")


def _format_candidates(raw: str) -> list[str]:
    """The forms of a date line a profile's format is tried on: as printed (spaces collapsed, NFC), then
    without the brackets and leading label the built-in reader drops too."""
    line = normalize_inline(raw or "")
    if not line or len(line) > _MAX_DATE_LINE:
        return []
    prepared = _prepare(line)
    return [line] if prepared == line else [line, prepared]


def _strptime(raw: str, formats: Sequence[str]) -> tuple[datetime, str] | None:
    """(the moment, the format that read it) of the first profile format that reads the whole line."""
    for fmt in formats:
        for candidate in _format_candidates(raw):
            try:
                return datetime.strptime(candidate, fmt), fmt
            except ValueError:
                continue
    return None


def matches_format(text: str, formats: Sequence[str]) -> bool:
    """True when one of a profile's ``strptime`` formats reads the whole of ``text`` (a date line)."""
    return bool(formats) and _strptime(text, formats) is not None


def parse_portal_date(
    raw: str,
    locale: str = "vi",
    tz: str = "Asia/Ho_Chi_Minh",
    now: datetime | None = None,
    formats: Sequence[str] = (),
) -> ParsedDate:
    """Parse a portal date line (see the module docstring for formats) to ISO 8601 in zone ``tz``.

    ``locale`` ("vi" or "en…") sets the day/month order of the US short form only. ``formats``: a
    profile's ``strptime`` formats (``[hints] date_formats``), tried first on the whole line, as printed or
    without its brackets and label; a naive result is in zone ``tz``, one with ``%z`` is converted to it;
    a format that does not read the line falls through to the built-in reader. Impossible dates (31/02)
    and implausible ones (before 1995-01-01, or more than one day after ``now``, which defaults to the
    current time) give ``value=None`` and a ``warning``. Never raises on any input text.
    """
    zone = _zone(tz)
    if zone is None:
        return ParsedDate(None, f"unknown time zone {tz!r}")
    hinted = _strptime(raw, formats) if formats else None
    if hinted is not None:
        moment = hinted[0]
        moment = moment.astimezone(zone) if moment.tzinfo else moment.replace(tzinfo=zone)
        return _plausible(moment, zone, now)
    fields = _parse_fields(raw or "", locale or "vi")
    if fields is None:
        return ParsedDate(None, f"unrecognised date format: {normalize_inline(raw or '')[:80]!r}")
    if fields.aware is not None:
        moment = fields.aware.astimezone(zone)
    else:
        hour = _to_24h(fields.hour, fields.ampm)
        if hour is None:
            return ParsedDate(None, f"hour {fields.hour} contradicts {fields.ampm!r}")
        try:
            day = date(fields.year, fields.month, fields.day)
            clock = time(hour, fields.minute, fields.second)
        except ValueError:
            return ParsedDate(
                None,
                f"impossible date or time: {fields.day:02d}/{fields.month:02d}/"
                f"{fields.year} {hour:02d}:{fields.minute:02d}",
            )
        moment = datetime.combine(day, clock, tzinfo=zone)
    return _plausible(moment, zone, now)


def _plausible(moment: datetime, zone: ZoneInfo, now: datetime | None) -> ParsedDate:
    """``moment`` as the ISO value, unless it is before the portal's time or in the future."""
    if now is None:
        now = datetime.now(zone)
    elif now.tzinfo is None:
        now = now.replace(tzinfo=zone)
    if moment < datetime.combine(EARLIEST_PLAUSIBLE, time(), tzinfo=zone):
        return ParsedDate(
            None, f"implausible date {moment.date().isoformat()}: before {EARLIEST_PLAUSIBLE.isoformat()}"
        )
    if moment > now + timedelta(days=1):
        return ParsedDate(None, f"implausible date {moment.date().isoformat()}: in the future")
    return ParsedDate(moment.isoformat(timespec="seconds"), None)


def gives_time_of_day(raw: str, locale: str = "vi", formats: Sequence[str] = ()) -> bool:
    """True when a date line prints a time of day (``12/11/2025 17:29``), False for a day only
    (``12/11/2025``) or for what is no date line at all. A line one of ``formats`` reads (a profile's)
    prints a time when that format has a clock directive."""
    hinted = _strptime(raw, formats) if formats else None
    if hinted is not None:
        return any(directive in hinted[1] for directive in _CLOCK_DIRECTIVES)
    if _parse_fields(raw or "", locale or "vi") is None:
        return False
    s = _prepare(raw)
    iso = _ISO_RE.match(s)
    if iso:
        return iso["h"] is not None
    split = _split_date(s, locale or "vi")
    return split is not None and _TIME_RE.search(split[3]) is not None


def is_date_line(text: str) -> bool:
    """True when a short text is entirely a date line in one of the portal formats (valid or not)."""
    return _parse_fields(text or "", "vi") is not None


# Most words of a date line found inside a longer text (a weekday, a label, a day, a time, AM/PM).
_DATE_RUN_MAX_WORDS = 12


def longest_date_run(text: str, reads: Callable[[str], bool] = is_date_line) -> str | None:
    """The date line inside a short text, as printed: the whole text when ``reads`` takes it for one,
    else its longest run of words that ``reads`` takes (``Đăng lúc 06:33 10/05/2023 bởi Ban biên tập`` →
    ``Đăng lúc 06:33 10/05/2023``); None without one."""
    if reads(text):
        return text
    words = text.split()
    for size in range(min(len(words), _DATE_RUN_MAX_WORDS), 0, -1):
        for start in range(len(words) - size + 1):
            candidate = " ".join(words[start : start + size]).strip(",;|·•-–").strip()
            if candidate and reads(candidate):
                return candidate
    return None


# Re-exported: the event-date finder is a separate concern (body text, not date lines).
from pipelines.event_dates import EventDate, find_event_date, is_probable_migration  # noqa: E402
