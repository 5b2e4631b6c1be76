"""The article title out of a page title: Liferay prints ``<title>`` and ``og:title`` as
``<article title> - <site name>`` (and, on a portal whose company is still called Liferay,
`` - Liferay`` after that). The suffix is cut by comparing with what the page itself says the site is
called (``og:site_name``, ``Liferay.ThemeDisplay``'s site name), or with the suffix the site's pages share;
never with a list of one portal's words. Pure functions.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from pipelines.text import fold_key, normalize_inline

# What Liferay and themes put between the title and the site name.
_SEPARATOR_RE = re.compile(r"\s+[-–—|:·•]\s+")
# The platform's own default company name, printed last when nobody renamed the company.
_PLATFORM_SUFFIX_RE = re.compile(r"\s+[-–—|]\s+Liferay(?:\s+(?:DXP|Portal))?\s*$", re.IGNORECASE)
_MIN_NAME_CHARS = 3


def strip_site_suffix(title: str, site_names: Iterable[str] = ()) -> str:
    """``title`` without a trailing `` - <site name>`` for any of ``site_names`` (compared folded: case,
    diacritics and spacing aside), and without the platform's `` - Liferay``. A title that is nothing
    but the site name is kept as it is."""
    text = normalize_inline(unicodedata.normalize("NFC", title or ""))
    names = [fold_key(normalize_inline(n)) for n in site_names if n and len(n.strip()) >= _MIN_NAME_CHARS]
    changed = True
    while changed:
        changed = False
        cut = _PLATFORM_SUFFIX_RE.sub("", text)
        if cut != text and cut:
            text, changed = cut, True
        for start, end in _separators(text):
            tail = fold_key(text[end:])
            if start > 0 and tail in names:
                text, changed = text[:start], True
                break
    return text


def common_suffix(titles: Sequence[str]) -> str | None:
    """The `` - <words>`` tail shared by every title of ``titles`` (at least two, all different), cut at a
    separator: the site name as the site's pages print it, when the page says nothing else. None when
    they share none."""
    texts = list(dict.fromkeys(normalize_inline(unicodedata.normalize("NFC", t or "")) for t in titles))
    if len(texts) < 2:
        return None
    best = None
    for start, end in _separators(texts[0]):
        tail = texts[0][start:]
        if all(t.endswith(tail) and len(t) > len(tail) for t in texts[1:]):
            best = texts[0][end:]
            break  # separators come left to right: the first that all share is the longest tail
    return best


def _separators(text: str) -> list[tuple[int, int]]:
    """(start, end) of every separator in ``text``, left to right."""
    return [(m.start(), m.end()) for m in _SEPARATOR_RE.finditer(text)]
