"""The date a list page prints beside each article link (its card), as printed.

A 6.2 article page often shows the day only (``div.asset-metadata``) while its list card shows the minute
(``12/11/2025 17:29``): the archive keeps the list's minute for that day (``pipelines.record``). Cards are
found by role, not by class: the smallest element around a link that holds a date line and no link to
another page. Pure functions over lxml, no Scrapy.
"""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from pipelines.dates import is_date_line, matches_format
from pipelines.text import normalize_inline
from pipelines.urls import join_url

_CARD_MAX_DEPTH = 5  # ancestors of a link looked at for its card
_DATE_MAX_CHARS = 60
_DATE_TAGS = frozenset("p span div time small em li h5 h6".split())
_text_content = etree.XPath("string()", smart_strings=False)


def listed_dates(doc, base_url: str, formats: Sequence[str] = ()) -> dict[str, str]:
    """``{absolute link URL: the date line of its card}`` for every link of the parsed list page ``doc``
    whose card prints exactly one date line (the first card of a URL wins: a desktop and a mobile copy of
    one item print the same date). ``formats``: a profile's date formats, date lines too."""
    dates: dict[str, str] = {}
    for anchor in doc.iter("a"):
        href = (anchor.get("href") or "").strip()
        url = join_url(base_url, href) if href and not href.startswith(("#", "javascript:")) else None
        if url is None or url in dates:
            continue
        date = _card_date(anchor, url, base_url, formats)
        if date is not None:
            dates[url] = date
    return dates


def _card_date(anchor, url: str, base_url: str, formats: Sequence[str]) -> str | None:
    element = anchor
    for _ in range(_CARD_MAX_DEPTH):
        element = element.getparent()
        if element is None or element.tag in ("body", "html"):
            return None
        others = {
            join_url(base_url, (a.get("href") or "").strip())
            for a in element.iter("a")
            if (a.get("href") or "").strip() and not (a.get("href") or "").startswith(("#", "javascript:"))
        }
        if others - {url}:
            return None  # grown past the card into the list
        found = _dates_in(element, formats)
        if len(found) == 1:
            return found[0]
        if found:
            return None
    return None


def _dates_in(element, formats: Sequence[str]) -> list[str]:
    """The date lines of the innermost elements of ``element`` that are one."""
    found: list[str] = []
    for node in element.iter():
        if not isinstance(node.tag, str) or node.tag not in _DATE_TAGS:
            continue
        text = _text_content(node)
        if len(text) > _DATE_MAX_CHARS * 2:
            continue
        text = normalize_inline(text)
        if text and len(text) <= _DATE_MAX_CHARS and (is_date_line(text) or matches_format(text, formats)):
            if not any(normalize_inline(_text_content(c)) == text for c in node if isinstance(c.tag, str)):
                found.append(text)
    return list(dict.fromkeys(found))
