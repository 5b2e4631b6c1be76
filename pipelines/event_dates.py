"""The date an article reports (its event date), read from its title and first paragraphs.

The portal's date line is often a migration time, not the publication day (the seed article reports an
event of 7 April 2022 but shows 08/03/2023). The event date lets the archive tell the two apart.

Forms in bodies: ``Ngày 07/4`` (no year), ``sáng 8/3``, ``ngày 20-21/5/2021``, ``Từ ngày 11 đến ngày
15/8`` (ranges: their first day), ``ngày 19 tháng 02 năm 2014``, ``19/02/2014``, ``tháng 4/2022`` (month),
``quý I/2022`` (quarter), ``năm 2022`` (year). Dates that belong to cited documents (``Chỉ thị số 05-CT/TW
ngày 15/5/2016``) are never taken. The rules are written down in docs/record-conventions.md ("Event
date"). Pure functions, no Scrapy.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property

from pipelines.docrefs import citation_spans, find_document_refs
from pipelines.text import fold_key, normalize_inline, normalize_text

__all__ = ["EventDate", "find_event_date", "is_probable_migration"]

_EARLIEST_YEAR = 1995
_LATEST_YEAR = 2100
# How many leading paragraphs count as the lead: Vietnamese news puts the when in the first sentence,
# but a short sapo or a place line can come before it. A paragraph is a block between blank lines: a
# list or a table is one paragraph, however many lines it has.
_LEAD_PARAGRAPHS = 3
# A portal date more than this many days after the end of the latest period the text names is probably a
# migration time (the same default as :func:`is_probable_migration`).
_MIGRATION_DAYS = 180
# A day/month without a year, on a portal date that is not a probable migration time, is read as the
# occurrence from this many days before the portal date to this many days after it (news reports the
# recent past; notices announce the next days).
_RECENT_BEFORE_DAYS = 60
_RECENT_AFTER_DAYS = 7
_PARAGRAPH_SPLIT_RE = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class EventDate:
    """``date``: ISO date (``2022-04-07``); for coarser precisions the period's first day.
    ``precision``: ``day`` | ``month`` | ``quarter`` | ``year``. ``sentence``: where it was read."""

    date: str
    precision: str
    sentence: str


# (The finder's own records are not frozen: a frozen dataclass is made field by field through
# object.__setattr__, four times as slowly, and several are made for every article. Nothing changes them.)
@dataclass
class _Candidate:
    start: int
    year: int | None  # None: day/month written without a year
    month: int
    day: int
    precision: str
    text: str = field(repr=False)  # the (masked) text it was found in

    @cached_property
    def deadline(self) -> bool:
        """Whether the words before it make it a deadline or cut-off; read only when a rule asks (most
        candidates are never asked: the lead's first day decides most articles, and the years, months
        and quarters are asked only when no day does)."""
        return _is_deadline(self.text, self.start)


@dataclass
class _Text:
    """A title or lead paragraph as the finder reads it: ``original`` (for quoting the sentence),
    ``masked`` (citations blanked out) and the date ``candidates`` of the masked text, computed once
    because every precedence rule looks at them again."""

    original: str
    masked: str
    candidates: tuple[_Candidate, ...]


# --- regexes for dates inside prose, most specific first ---------------------------------------------


# Each form looks behind first, so that a word or a number is taken only where it starts: a word not at
# the end of a longer one, "5/2021" not inside "15/5/2021".
_FULL_TEXTUAL_RE = re.compile(
    r"(?<!\w)(?i:ngày)\s+(?P<d>\d{1,2})\s+(?i:tháng)\s+(?P<m>\d{1,2})\s*,?\s+(?i:năm)\s+(?P<y>\d{4})(?!\d)"
)
_YEARLESS_TEXTUAL_RE = re.compile(r"(?<!\w)(?i:ngày)\s+(?P<d>\d{1,2})\s+(?i:tháng)\s+(?P<m>\d{1,2})(?!\d)")
# "20-21/5/2021", "20 và 21/5", "30 đến 31/5/2021", "11 đến ngày 15/8": a range of days in one month; the
# first day counts.
_DAY_RANGE_RE = re.compile(
    r"(?<![\d/.,])(?P<d>\d{1,2})\s*(?:-|–|—|(?i:và|đến|tới))\s*(?:(?i:hết\s+)?(?i:ngày)\s+)?\d{1,2}"
    r"\s*/\s*(?P<m>\d{1,2})"
    r"(?:\s*/\s*(?P<y>\d{4}))?(?![\d/])"
)
# "15/5/2016", "08.03.2023", "8-3-2023": day, month and year with one separator.
_FULL_NUMERIC_RE = re.compile(
    r"(?<![\d/.,-])(?P<d>\d{1,2})\s*(?P<sep>[/.-])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<y>\d{4})(?![\d/])"
)
# Words that announce a day: "Ngày 07/4", "sáng 8/3", "chiều thứ Tư (19/2)", "từ 20/5".
_DAY_CUE = (
    r"(?<!\w)(?i:ngày|hôm|sáng|trưa|chiều|tối|đêm|rạng\s+sáng|sáng\s+sớm|từ|đến|tới|vào|trước|hết"
    r"|hạn)(?:\s+(?i:nay|qua|mai))?"
    r"(?:\s+(?i:thứ\s+(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s+nhật))?\s*,?\s*\(?\s*(?:(?i:ngày)\s+)?"
)
# A day after its cue word, then the month, and no year after it: "sáng 8/3".
_YEARLESS_NUMERIC_RE = re.compile(
    rf"{_DAY_CUE}(?P<d>\d{{1,2}})\s*[/-]\s*(?P<m>\d{{1,2}})(?!\d|[/.-]\d|\s*/\s*\d)"
)
_MONTH_RE = re.compile(r"(?<!\w)(?i:tháng)\s+(?P<m>\d{1,2})\s*(?:/|-|(?i:năm))\s*(?P<y>\d{4})(?!\d)")
_QUARTER_RE = re.compile(
    r"(?<!\w)(?i:quý)\s+(?P<q>IV|I{1,3}|[1-4])\s*(?:/|-|,?\s*(?i:năm))\s*(?P<y>\d{4})(?!\d)"
)
_YEAR_RE = re.compile(r"(?<!\w)(?i:năm)\s+(?P<y>\d{4})(?![\d/])")
# Any plausible four-digit year, not inside a longer number, for giving a year to "Ngày 07/4".
_ANY_YEAR_RE = re.compile(r"(?<!\d)(?:199\d|20\d\d)(?!\d)")
_QUARTERS = {"I": 1, "II": 2, "III": 3, "IV": 4, "1": 1, "2": 2, "3": 3, "4": 4}

# A deadline or cut-off rather than an event: "Tính đến 31/3/2022", "trước ngày 15/5", "hạn chót",
# "có hiệu lực từ ngày". Matched on the fold_key form of the 30 characters before the date.
_DEADLINE_BEFORE_RE = re.compile(
    r"(?:\bden|\btruoc|cham nhat|\bhan(?: chot)?|\bhet|hieu luc(?: ke)?(?: tu)?)"
    r"(?: het)?(?: ngay)?\s*\(?\s*$"
)
# "tới ngày" (until) is a deadline, but "Tối 3/5" (in the evening of) folds to the same letters: matched
# on the casefolded text, marks kept.
_UNTIL_BEFORE_RE = re.compile(r"(?<!\w)tới(?:\s+hết)?(?:\s+ngày)?\s*\(?\s*$")
# Issuing dates without a document number: "ban hành ngày 5/6/2020", "ký ngày …".
_ISSUING_DATE_RE = re.compile(
    r"(?<!\w)(?i:ban\s+hành|ký|kí)\s+(?i:ngày)\s+\d{1,2}\s*[/.-]\s*\d{1,2}(?:\s*[/.-]\s*\d{4})?"
)
# Sentence ends: ., !, ?, … then optional closing quotes, then space, then a capital or digit.
_SENTENCE_END_RE = re.compile(r"[.!?…]+[\"”’»)]*\s+(?=[\"“«(]?[^\W_a-zà-ỹđ])")
# "TP. HCM", "ThS. Nguyễn": a period after these is not a sentence end.
_LAST_WORD_RE = re.compile(r"(\w+)\W*$")
_ABBREVIATIONS = frozenset({"tp", "ths", "ts", "pgs", "gs", "bs", "ks", "q", "p", "st", "mr", "mrs", "ms"})


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    """Blank out spans (same length, so offsets stay valid)."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _mask_citations(text: str) -> str:
    spans = citation_spans(text) + [m.span() for m in _ISSUING_DATE_RE.finditer(text)]
    if not spans:
        return text
    return _mask(text, spans)


# Every date form and every citation has a digit: a text without one has nothing to mask or find.
_DIGIT_RE = re.compile(r"\d")


def _read(text: str) -> _Text:
    """Mask a text's citations and find its date candidates, once."""
    if _DIGIT_RE.search(text) is None:
        return _Text(text, text, ())
    masked = _mask_citations(text)
    return _Text(text, masked, tuple(_candidates(masked)))


def _is_deadline(text: str, start: int) -> bool:
    """Whether the words just before position ``start`` make the date there a deadline or cut-off."""
    before = text[max(0, start - 30) : start]
    return (
        _DEADLINE_BEFORE_RE.search(fold_key(before)) is not None
        or _UNTIL_BEFORE_RE.search(before.casefold()) is not None
    )


def _candidates(text: str) -> list[_Candidate]:
    """Every date mention in ``text`` (citations already masked), in order of position."""
    found: list[_Candidate] = []
    taken: list[tuple[int, int]] = []

    def add(
        match: re.Match[str], year: int | None, month: int, day: int, precision: str, start: int | None = None
    ) -> None:
        span = match.span()
        if any(span[0] < e and s < span[1] for s, e in taken):
            return  # part of a more specific mention already found
        taken.append(span)
        where = match.start("d") if start is None else start
        found.append(_Candidate(where, year, month, day, precision, text))

    for m in _FULL_TEXTUAL_RE.finditer(text):
        add(m, int(m["y"]), int(m["m"]), int(m["d"]), "day")
    for m in _DAY_RANGE_RE.finditer(text):
        add(m, int(m["y"]) if m["y"] else None, int(m["m"]), int(m["d"]), "day")
    for m in _FULL_NUMERIC_RE.finditer(text):
        add(m, int(m["y"]), int(m["m"]), int(m["d"]), "day")
    for m in _YEARLESS_TEXTUAL_RE.finditer(text):
        add(m, None, int(m["m"]), int(m["d"]), "day")
    for m in _YEARLESS_NUMERIC_RE.finditer(text):
        add(m, None, int(m["m"]), int(m["d"]), "day")
    for m in _MONTH_RE.finditer(text):
        add(m, int(m["y"]), int(m["m"]), 1, "month", m.start())
    for m in _QUARTER_RE.finditer(text):
        add(m, int(m["y"]), 3 * _QUARTERS[m["q"].upper()] - 2, 1, "quarter", m.start())
    for m in _YEAR_RE.finditer(text):
        add(m, int(m["y"]), 1, 1, "year", m.start())
    return sorted(found, key=lambda c: c.start)


def _valid(year: int | None, month: int, day: int) -> date | None:
    if year is None or not _EARLIEST_YEAR <= year <= _LATEST_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _years(text: str) -> list[tuple[int, int]]:
    """(position, year) of every plausible year in masked text."""
    return [(m.start(), int(m.group())) for m in _ANY_YEAR_RE.finditer(text)]


def _recent_year(cand: _Candidate, portal: date) -> int | None:
    """The year that puts a day/month from ``_RECENT_BEFORE_DAYS`` before the portal date to
    ``_RECENT_AFTER_DAYS`` after it, or None."""
    for year in (portal.year - 1, portal.year, portal.year + 1):
        try:
            offset = (date(year, cand.month, cand.day) - portal).days
        except ValueError:
            continue  # 29/2 in a common year
        if -_RECENT_BEFORE_DAYS <= offset <= _RECENT_AFTER_DAYS:
            return year
    return None


def _year_for(
    cand: _Candidate, title_year: int | None, text: str, portal: date | None, portal_is_live: bool
) -> int | None:
    """A year for a day/month written without one.

    On a portal date that is not a probable migration time (``portal_is_live``), a day/month close before
    it (or a few days after) is in the portal date's year, or the year before or after across a new year
    (``Ngày 6/1`` on 06/01/2026 is 2026-01-06 even in a review titled ``năm 2025``). Otherwise: the
    title's year, else the nearest in the paragraph, else the latest year that does not put the date after
    the portal date."""
    if cand.year is not None:
        return cand.year
    if portal is not None and portal_is_live:
        recent = _recent_year(cand, portal)
        if recent is not None:
            return recent
    if title_year is not None:
        return title_year
    near = _years(text)
    if near:
        return min(near, key=lambda py: abs(py[0] - cand.start))[1]
    if portal is not None:
        year = portal.year
        try:
            return year if date(year, cand.month, cand.day) <= portal else year - 1
        except ValueError:
            return year  # 29/2 etc.: validation decides
    return None


def _sentence_at(text: str, pos: int) -> str:
    """The sentence of ``text`` containing character ``pos``."""
    start = 0
    for m in _SENTENCE_END_RE.finditer(text):
        word = _LAST_WORD_RE.search(text[start : m.start() + 1])
        if word and word.group(1).casefold() in _ABBREVIATIONS:
            continue
        if m.end() > pos:
            return text[start : m.start() + len(m.group().rstrip())].strip()
        start = m.end()
    return text[start:].strip()


def _portal_day(portal_date: str | None) -> date | None:
    """The calendar day of an ISO portal date (as :func:`pipelines.dates.parse_portal_date` writes it)."""
    if not portal_date:
        return None
    try:
        return datetime.fromisoformat(portal_date.strip().replace("Z", "+00:00")).date()
    except ValueError:
        return None


def _title_year(masked_title: str) -> int | None:
    """The title's year for yearless dates: the latest one it names (``tổng kết năm 2021, nhiệm vụ năm
    2022`` is held in 2022), None if it names none."""
    years = [y for _, y in _years(masked_title)]
    return max(years) if years else None


def _line_sentence(text: str, pos: int) -> str:
    """The sentence at ``pos`` within its line (a list item or table row is never joined to the next)."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    end = len(text) if end < 0 else end
    return _sentence_at(text[start:end], pos - start)


def _first_day(
    texts: list[_Text],
    title_year: int | None,
    portal: date | None,
    portal_is_live: bool,
    deadline: bool,
) -> EventDate | None:
    """The first day-precision date with the given deadline flag, over the texts in order."""
    for text in texts:
        for cand in text.candidates:
            if cand.precision != "day" or cand.deadline != deadline:
                continue
            year = _year_for(cand, title_year, text.masked, portal, portal_is_live)
            day = _valid(year, cand.month, cand.day)
            if day is not None:
                return EventDate(day.isoformat(), "day", _line_sentence(text.original, cand.start))
    return None


def _portal_is_live(texts: list[_Text], portal: date | None, threshold_days: int = _MIGRATION_DAYS) -> bool:
    """Whether the portal date reads as a publication date for these texts: it is not more than
    ``threshold_days`` after the end of the latest period they name with a year (a day, month, quarter or
    year). Texts naming no year give no evidence of a migration: True."""
    if portal is None:
        return False
    ends = []
    for text in texts:
        for cand in text.candidates:
            start = _valid(cand.year, cand.month, cand.day)
            if start is not None:
                ends.append(_end_of(start, cand.precision))
    return not ends or (portal - max(ends)).days <= threshold_days


_PRECISION_ORDER = {"month": 0, "quarter": 1, "year": 2}


def _coarse(text: _Text) -> EventDate | None:
    """The finest month/quarter/year mention in a text, the first of those on ties."""
    coarse = [c for c in text.candidates if c.precision in _PRECISION_ORDER and not c.deadline]
    coarse = [c for c in coarse if _valid(c.year, c.month, c.day) is not None]
    if not coarse:
        return None
    best = min(coarse, key=lambda c: (_PRECISION_ORDER[c.precision], c.start))
    day = date(best.year or 0, best.month, best.day)
    return EventDate(day.isoformat(), best.precision, _line_sentence(text.original, best.start))


def find_event_date(body_text: str, title: str = "", portal_date: str | None = None) -> EventDate | None:
    """The main date the article reports, or None.

    Precedence (first hit wins):

    1. the first day-precision date in the lead (first three paragraphs; a list or table is one) that is
       not a deadline (``Tính đến 31/3/2022``, ``trước ngày …``). A notice's announced dates count like
       any other (``nghỉ từ thứ Bảy, ngày 14/02/2026``, ``Từ ngày 01/10/2025, Ban Quản lý tiếp nhận``);
       a range counts from its first day;
    2. a day-precision date in the title;
    3. the issuing date of the document the title names (``Thông báo số 1443/… ngày 04/7/2012``);
    4. the finest month / quarter / year in the title (``quý I/2024``, ``năm 2023``);
    5. a deadline-like day in the lead;
    6. the finest month / quarter / year in the lead.

    Citation dates of documents are never candidates in the body. A day/month without a year: when the
    portal date is not a probable migration time (the latest period the title and lead name with a year
    ends at most 180 days before it, or they name none), the occurrence from 60 days before the portal
    date to 7 days after it; otherwise, and when there is none, the title's (latest) year, else the
    nearest year in its paragraph, else the portal date's year (the latest year that does not put it
    after the portal date); without any of those it is skipped.
    """
    body = normalize_text(body_text or "")
    title = normalize_inline(title or "")
    portal = _portal_day(portal_date)
    # Each text is masked and searched for candidates once, here; the rules below only filter them.
    head = _read(title)
    title_year = _title_year(head.masked)
    paragraphs = [p for p in _PARAGRAPH_SPLIT_RE.split(body) if p.strip()][:_LEAD_PARAGRAPHS]
    lead = [_read(p) for p in paragraphs]
    live = _portal_is_live([head, *lead], portal)

    found = _first_day(lead, title_year, portal, live, deadline=False)
    if found is None and title:
        found = _first_day([head], title_year, portal, live, deadline=False)
    if found is None and title:
        refs = find_document_refs(title)
        if refs and refs[0].issued_on and title.casefold().startswith(refs[0].kind.casefold()):
            found = EventDate(refs[0].issued_on, "day", title)
    if found is None and title:
        found = _coarse(head)
    if found is None:
        found = _first_day(lead, title_year, portal, live, deadline=True)
    if found is None:
        for text in lead:
            found = _coarse(text)
            if found is not None:
                break
    return found


def _end_of(start: date, precision: str) -> date:
    """Last day of the period that starts on ``start`` (its first day) with this precision."""
    if precision == "month":
        return start.replace(day=calendar.monthrange(start.year, start.month)[1])
    if precision == "quarter":
        last_month = start.month + 2
        return date(start.year, last_month, calendar.monthrange(start.year, last_month)[1])
    if precision == "year":
        return date(start.year, 12, 31)
    return start


def _period_end(event: EventDate) -> date | None:
    """Last day of the period an event date stands for."""
    try:
        start = date.fromisoformat(event.date)
    except ValueError:
        return None
    return _end_of(start, event.precision)


def is_probable_migration(
    published_at: str | None, event: EventDate | None, threshold_days: int = _MIGRATION_DAYS
) -> bool:
    """True when the portal date is more than ``threshold_days`` after the end of the event's period
    (its day, month, quarter or year): the date line is a migration time, not the publication day.
    False when either is unknown."""
    portal = _portal_day(published_at)
    if portal is None or event is None:
        return False
    end = _period_end(event)
    return end is not None and (portal - end).days > threshold_days
