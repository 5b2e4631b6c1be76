"""Citations of legal and Party documents in Vietnamese article bodies.

Forms seen on the portal (and in Vietnamese administrative writing generally)::

    Kết luận số 01-KL/TW ngày 18/5/2021            Party form:  number-TYPE/ISSUER
    Quy định 1374-QĐ/TU, ngày 01/12/2017
    Chỉ thị số 07/CT-TTg ngày 2/3/2012             State form:  number/TYPE-ISSUER
    Nghị định số 35/2022/NĐ-CP ngày 28/5/2022      State form with year: number/year/TYPE-ISSUER
    văn bản số 2479/BKHĐT-QLKKT ngày 11/4/2012     Official letter: number/ISSUER-DRAFTING UNIT
    Thông báo số 1443/BQL-KCN-HCM ngày 04/7/2012

Pure functions, no Scrapy. Does not import :mod:`pipelines.dates` (which imports this module).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from pipelines.text import fold_key, normalize_inline

__all__ = ["DocumentRef", "citation_spans", "find_document_refs", "issuer_of"]


@dataclass(frozen=True)
class DocumentRef:
    """One cited document.

    ``kind``: the document type in its capitalised form (``Chỉ thị``, ``Văn bản``);
    ``number``: number and symbol as written (``01-KL/TW``, ``35/2022/NĐ-CP``);
    ``issuer``: the issuing body's abbreviation read off the symbol (``TW``, ``CP``) or None;
    ``issued_on``: ISO date (``2016-05-15``) from a following ``ngày …``, or None;
    ``raw``: the matched text (NFC, whitespace collapsed).
    """

    kind: str
    number: str
    issuer: str | None
    issued_on: str | None
    raw: str


# Kinds, keyed by fold_key so that `VĂN BẢN`, `văn bản` and NFD input all map to one capitalised form.
_KINDS = (
    "Thông tư liên tịch",
    "Nghị quyết liên tịch",
    "Kết luận",
    "Chỉ thị",
    "Nghị quyết",
    "Quyết định",
    "Quy định",
    "Thông báo",
    "Công văn",
    "Văn bản",
    "Kế hoạch",
    "Nghị định",
    "Thông tư",
    "Luật",
    "Hướng dẫn",
    "Tờ trình",
    "Báo cáo",
    "Chương trình",
    "Công điện",
    "Pháp lệnh",
    "Quy chế",
    "Đề án",
)
_KIND_BY_FOLD = {fold_key(k): k for k in _KINDS}
# Longest first, so that "Thông tư liên tịch" wins over "Thông tư".
_KIND_ALTERNATION = "|".join(sorted((re.escape(k) for k in _KINDS), key=len, reverse=True))

# A number with a symbol: digits, then one or more `/` or `-` parts, each either a 4-digit year or an
# abbreviation starting with an upper-case letter (`KL`, `TTg`, `BKHĐT`, `QH14`, `ĐU.BQL`). Requiring a
# symbol is what keeps "số lượng" and "số 3 đường" out. A part never contains `/` or `-` itself, so the
# regex has one way to split a symbol and cannot backtrack exponentially on long junk ("1-A-A-A…").
_SYMBOL_PART = r"(?:\d{4}(?!\w)|[A-ZĐ][A-Za-zĐđ0-9]*(?:\.[A-Za-zĐđ0-9]+)*)"
_NUMBER_WITH_SYMBOL = rf"\d{{1,6}}(?:\s?[/-]\s?{_SYMBOL_PART})+"
# "ngày 18/5/2021", "ngày 01-12-2017", "ngày 19 tháng 02 năm 2014", optionally after ", ban hành / ký".
_ISSUED_ON = (
    r"(?:\s*,)?\s+(?i:(?:ban\s+hành|ký|kí)\s+)?(?i:ngày)\s+"
    r"(?:(?P<d>\d{1,2})\s*(?P<sep>[/.-])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<y>\d{4})(?!\d)"
    r"|(?P<d2>\d{1,2})\s+(?i:tháng)\s+(?P<m2>\d{1,2})\s+(?i:năm)\s+(?P<y2>\d{4})(?!\d))"
)
# Only the start of an issuing date, without groups: a bare number ("Công văn số 123") counts as a
# document number only when a date follows it.
_ISSUED_ON_AHEAD = r"(?=(?:\s*,)?\s+(?i:(?:ban\s+hành|ký|kí)\s+)?(?i:ngày)\s+\d)"
_DOC_REF_RE = re.compile(
    rf"(?<!\w)(?P<kind>(?i:{_KIND_ALTERNATION}))\s+"
    rf"(?:(?i:số)\s*:?\s*(?P<bare>\d{{1,6}}){_ISSUED_ON_AHEAD}|(?:(?i:số)\s*:?\s*)?(?P<number>{_NUMBER_WITH_SYMBOL}))"
    rf"(?:{_ISSUED_ON})?",
)
# A symbol-bearing number followed by an issuing date, without a kind in front ("… và số 05-CT/TW ngày
# 15/5/2016"): still a citation date, which the event-date finder must not take.
_BARE_CITATION_RE = re.compile(rf"(?:(?i:số)\s*)?(?<![\w/-]){_NUMBER_WITH_SYMBOL}{_ISSUED_ON}")

_WHITESPACE_RE = re.compile(r"\s+")

# Type abbreviations that open the symbol of state documents (Nghị định 30/2020/NĐ-CP, appendix I).
_TYPE_ABBREVIATIONS = frozenset(
    {
        "QĐ",
        "CT",
        "NĐ",
        "TT",
        "TTLT",
        "NQ",
        "NQLT",
        "KL",
        "TB",
        "KH",
        "HD",
        "HDLT",
        "TTR",
        "BC",
        "CV",
        "CĐ",
        "QC",
        "QYĐ",
        "QYD",
        "PL",
        "L",
        "CTR",
        "ĐA",
        "GM",
        "GP",
        "GCN",
        "KT",
        "QD",
        "ND",
        "CD",
    }
)
# Segments that qualify the issuer's name (a zone type or a place) rather than name a drafting unit:
# `BQL-KCN-HCM` is one issuer, the board of the HCMC zones, while in `BKHĐT-QLKKT` the QLKKT is the
# ministry department that drafted the letter.
_ISSUER_QUALIFIERS = frozenset(
    {
        "KCN",
        "KCX",
        "KCNC",
        "KKT",
        "KCX-KCN",
        "HCM",
        "TPHCM",
        "TP.HCM",
        "HN",
        "TP",
        "BD",
        "BRVT",
        "ĐN",
    }
)


def issuer_of(number: str) -> str | None:
    """The issuing body's abbreviation in a document number, by Vietnamese symbol conventions.

    * Party documents ``01-KL/TW``, ``1374-QĐ/TU``: the part after the last ``/`` (``TW``, ``TU``).
    * State documents ``07/CT-TTg``, ``35/2022/NĐ-CP``: the symbol after the year starts with a type
      abbreviation (``CT``, ``NĐ``, …); the issuer is everything after it (``TTg``, ``CP``).
    * Letters ``2479/BKHĐT-QLKKT``: no type abbreviation; the issuer is the first segment plus any
      segments that qualify it by zone or place (``BQL-KCN-HCM``); a trailing drafting unit is dropped.
    * A single segment (``61/2020/QH14``) is the issuer as written. None when there is no symbol.
    """
    number = _WHITESPACE_RE.sub("", number)
    head, _, tail = number.partition("/")
    if "-" in head and tail:
        # Party form: the type sits before the slash, the issuer after the last slash.
        return number.rsplit("/", 1)[1] or None
    parts = [p for p in number.split("/")[1:] if not re.fullmatch(r"\d{4}", p)]
    if not parts:
        return None
    segments = "/".join(parts).split("-")
    if segments[0].upper() in _TYPE_ABBREVIATIONS:
        rest = "-".join(segments[1:])
        return rest or None
    issuer = [segments[0]]
    for seg in segments[1:]:
        if seg.upper() not in _ISSUER_QUALIFIERS:
            break
        issuer.append(seg)
    return "-".join(issuer) or None


def _iso_date(day: str | None, month: str | None, year: str | None) -> str | None:
    """ISO date for day/month/year strings, None when missing or impossible (31/02)."""
    if not (day and month and year):
        return None
    try:
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def citation_spans(text: str) -> list[tuple[int, int]]:
    """Character spans (in ``text`` as given) of every document citation, number and issuing date
    included, with or without a kind in front. Used to keep citation dates out of event-date search."""
    spans = [m.span() for m in _DOC_REF_RE.finditer(text)]
    # A citation without a kind counts only with its issuing date.
    spans.extend(m.span() for m in _BARE_CITATION_RE.finditer(text))
    return sorted(spans)


def find_document_refs(text: str) -> list[DocumentRef]:
    """Every document cited in ``text``, in order of first mention.

    A document cited twice (same kind and number) is listed once; if only a later mention carries the
    issuing date, the entry takes it.
    """
    text = normalize_inline(text)
    refs: list[DocumentRef] = []
    index: dict[tuple[str, str], int] = {}
    for m in _DOC_REF_RE.finditer(text):
        kind = _KIND_BY_FOLD.get(fold_key(m.group("kind")), m.group("kind"))
        number = _WHITESPACE_RE.sub("", m.group("number") or m.group("bare"))
        issued_on = _iso_date(m.group("d"), m.group("m"), m.group("y")) or _iso_date(
            m.group("d2"), m.group("m2"), m.group("y2")
        )
        ref = DocumentRef(
            kind=kind, number=number, issuer=issuer_of(number), issued_on=issued_on, raw=m.group(0)
        )
        key = (kind, number.casefold())
        if key not in index:
            index[key] = len(refs)
            refs.append(ref)
        elif refs[index[key]].issued_on is None and issued_on is not None:
            refs[index[key]] = ref
    return refs
