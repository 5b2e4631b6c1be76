"""A portal profile's hints, as the extractor and the cleaner use them (docs/portals.md, "Hints").

A profile (archive/profiles.py) may pin what detection cannot decide on a portal: CSS selectors for an
article page's title, date line, byline and body, and ``strptime`` formats of its date lines. They reach
``pipelines`` as plain data (the Scrapy setting ``HEPZA_HINTS``, the run's row for ``hepza reprocess``) and
are read here into :class:`PageHints`. Each selector is tried before the portal layer; one that finds
nothing on a page leaves that field to detection, and the page's ``layers`` say so (:data:`MISSED`).

Pure functions over lxml elements; no Scrapy, no archive.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from lxml.cssselect import CSSSelector, SelectorError

from pipelines.dates import is_date_line, longest_date_run, matches_format
from pipelines.text import normalize_inline

__all__ = ["MISSED", "ROLES", "PageHints", "Hinted", "find_hinted", "hinted_date_line"]

# The roles a profile gives selectors for (archive/profiles.py SELECTOR_ROLES).
ROLES = ("title", "date", "byline", "body")
# The ``layers`` key listing the roles whose selector found nothing on the page (comma-separated, in
# :data:`ROLES` order): those fields were left to detection.
MISSED = "profile_missed"
# A date element's text longer than this is a container, not a date line (the date is looked for in it).
_DATE_TEXT_MAX_CHARS = 200

_text_content = etree.XPath("string()", smart_strings=False)


@dataclass(frozen=True)
class PageHints:
    """The hints that read an article page: selectors by role, and date formats."""

    selectors: Mapping[str, str] = field(default_factory=dict)
    date_formats: tuple[str, ...] = ()

    @classmethod
    def from_setting(cls, value: Mapping[str, Any] | None) -> PageHints:
        """From the plain form (``Hints.as_setting()``: a dict, or None for no hints); unknown roles and
        keys other than ``selectors`` and ``date_formats`` are not this module's (the profile checked them)."""
        value = value or {}
        selectors = {
            role: css
            for role, css in dict(value.get("selectors") or {}).items()
            if role in ROLES and isinstance(css, str) and css.strip()
        }
        formats = tuple(f for f in value.get("date_formats") or () if isinstance(f, str) and f.strip())
        return cls(selectors, formats)

    def __bool__(self) -> bool:
        return bool(self.selectors or self.date_formats)


@dataclass
class Hinted:
    """What a page's hint selectors found: ``role -> element`` (the date's with its line), and the roles
    whose selector found nothing there."""

    elements: dict[str, Any] = field(default_factory=dict)
    date_line: str | None = None
    missed: list[str] = field(default_factory=list)

    def layer_note(self) -> str | None:
        """The value of ``layers[MISSED]``, or None when every selector found its field."""
        return ",".join(role for role in ROLES if role in self.missed) or None


_SELECTORS: dict[str, CSSSelector | None] = {}


def _selector(css: str) -> CSSSelector | None:
    """The compiled selector (cached); None for one lxml cannot translate (the profile's check compiles it
    with soupsieve, whose dialect is wider: such a selector finds nothing, and detection reads the field)."""
    if css not in _SELECTORS:
        try:
            _SELECTORS[css] = CSSSelector(css)
        except (SelectorError, SyntaxError, ValueError):
            _SELECTORS[css] = None
    return _SELECTORS[css]


def hinted_date_line(text: str, formats: Sequence[str] = ()) -> str | None:
    """The date line in a hinted date element's text, as printed: the whole text when a profile format or
    the built-in reader reads it, else the longest run of words that one of them reads (``Đăng lúc 15:55 |
    10/07/2026 bởi Ban biên tập`` → ``15:55 | 10/07/2026`` under ``%H:%M | %d/%m/%Y``); None without one."""
    text = normalize_inline(text or "")
    if not text or len(text) > _DATE_TEXT_MAX_CHARS:
        return None

    def reads(candidate: str) -> bool:
        return matches_format(candidate, formats) or is_date_line(candidate)

    return longest_date_run(text, reads)


def find_hinted(doc, hints: PageHints) -> Hinted:
    """The first element each hint selector finds with text in it (for the date: with a date line in
    it); a selector that finds none is ``missed``."""
    hinted = Hinted()
    for role in ROLES:
        css = hints.selectors.get(role)
        if not css:
            continue
        selector = _selector(css)
        for element in selector(doc) if selector is not None else ():
            text = normalize_inline(_text_content(element))
            if not text:
                continue
            if role == "date":
                line = hinted_date_line(text, hints.date_formats)
                if line is None:
                    continue
                hinted.date_line = line
            hinted.elements[role] = element
            break
        else:
            hinted.missed.append(role)
    return hinted
