"""What ``hepza probe`` reads off a few pages, as pure functions: the Liferay generation and its evidence,
the form of an article route, the Asset Publisher instances and pagers of a list page, the pattern of a
date line, and a readable name for the element a field was read from.

Which URL is an article, which page is Liferay, where a page's title, date and body are: those are the
crawler's own answers (pipelines/urls.py, pipelines/platform.py, pipelines/extract.py), never decided
again here; this module only names them for a person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import parse_qsl, urlsplit

from lxml import etree

from pipelines.dates import parse_portal_date
from pipelines.text import normalize_inline
from pipelines.urls import is_article_url

# --- the Liferay generation ----------------------------------------------------------------------------

GEN_62, GEN_70_73, GEN_74 = "6.2", "7.0–7.3", "7.4"
# Liferay appends its build number to its resource URLs (``/combo?…&b=7303``, ``…css?b=6210``): the major
# and minor version, then the release (7303 in the 7.3 pages of ../shared/liferay-samples; 62xx is 6.2,
# 74xx 7.4). An older 6.x is named 6.2 too: the crawl reads it the same way.
_BUILD_RE = re.compile(r"[?&;](?:amp;)?b=([67]\d{3})\b")
# 6.x only: its scripts and themes under /html/, the Asset Publisher as portlet 101.
_HTML_RESOURCES_RE = re.compile(r"""(?:src|href)\s*=\s*["'][^"']*/html/(?:js|themes)/""", re.IGNORECASE)
_PORTLET_101_RE = re.compile(r"(?<![0-9])101_INSTANCE_[A-Za-z0-9]{12}")
# 7.x only: OSGi modules served under /o/, portlets named after their Java packages (com_liferay_…).
_MODULE_RESOURCES_RE = re.compile(r"""(?:src|href)\s*=\s*["'][^"']*/o/[a-z0-9][a-z0-9._-]*/""", re.IGNORECASE)
_JAVA_PORTLET_RE = re.compile(r"\bcom_liferay_[a-z_]+_portlet_[A-Za-z]+Portlet")
# Content pages built of fragments (7.3 and later): their layout-structure wrappers and editable fields.
_FRAGMENTS_RE = re.compile(r"lfr-layout-structure-item-|data-lfr-editable-type=")


@dataclass(frozen=True)
class Generation:
    name: str | None  # GEN_62, GEN_70_73, GEN_74, or None when the pages do not tell
    evidence: tuple[str, ...]


def _build_generation(build: int) -> str:
    if build < 7000:
        return GEN_62
    return GEN_74 if build >= 7400 else GEN_70_73


def liferay_generation(pages: list[str], article_forms: list[str]) -> Generation:
    """The generation of a Liferay portal from its pages' text and the article route forms seen.

    The build number in resource URLs decides when a page prints it; else 6.x's /html/ resources and
    portlet 101 against 7.x's /o/ modules; a 7.x portal whose articles are display pages (``/w/``) or
    whose pages are built of fragments is taken for 7.4 (display pages arrive in 7.3, and are the rule
    in 7.4: OTHER-PORTALS.md)."""
    text = "\n".join(pages)
    evidence: list[str] = []
    builds = sorted({int(b) for b in _BUILD_RE.findall(text)})
    if builds:
        evidence.append("build number " + ", ".join(f"b={b}" for b in builds) + " in resource URLs")
        return Generation(_build_generation(builds[-1]), tuple(evidence))
    six = [
        what
        for what, pattern in (
            ("/html/js/ or /html/themes/ resources", _HTML_RESOURCES_RE),
            ("portlet 101", _PORTLET_101_RE),
        )
        if pattern.search(text)
    ]
    seven = [
        what
        for what, pattern in (
            ("/o/<module>/ resources", _MODULE_RESOURCES_RE),
            ("com_liferay_… portlets", _JAVA_PORTLET_RE),
        )
        if pattern.search(text)
    ]
    if six and not seven:
        return Generation(GEN_62, tuple(six))
    if not seven:
        return Generation(None, tuple(six))
    evidence += seven
    display_pages = [f for f in article_forms if f.endswith("w/<slug>")]
    if display_pages:
        evidence.append("articles on display pages (" + ", ".join(sorted(set(display_pages))) + ")")
    if _FRAGMENTS_RE.search(text):
        evidence.append("fragment markup (lfr-layout-structure-item, data-lfr-editable-type)")
    newest = bool(display_pages) or len(evidence) > len(seven)
    return Generation(GEN_74 if newest else GEN_70_73, tuple(evidence))


# --- article routes --------------------------------------------------------------------------------------

_LOCALE_RE = re.compile(r"^[a-z]{2}(?:[-_][A-Za-z]{2})?$")


def route_form(url: str) -> str | None:
    """The form of an article URL's route (``/w/<slug>``, ``/web/<group>/-/<slug>``, the Asset Publisher's
    query form …), or None for a URL the crawl does not take for an article (pipelines.urls decides)."""
    if not is_article_url(url):
        return None
    parts = urlsplit(url)
    segments = parts.path.split("/")[1:]
    locale = "/<lang>" if segments and _LOCALE_RE.match(segments[0]) and len(segments) > 1 else ""
    if locale:
        segments = segments[1:]
    if "w" in segments[:1]:
        return f"{locale}/w/<slug>"
    if "-" not in segments:
        return f"{locale}/<page>?p_p_id=<portlet>&…view_content (query form)"
    cut = segments.index("-")
    before, after = segments[:cut], segments[cut + 1 :]
    if before[:1] == ["web"] and len(before) == 2:
        page = "/web/<group>"
    elif before:
        page = "/<page>"
    else:
        page = ""
    if after[:1] == ["asset_publisher"]:
        return f"{locale}{page}/-/asset_publisher/<instance>/content/<slug>"
    if after[:1] == ["details"]:
        return f"{locale}{page}/-/details/<id>/<slug>"
    return f"{locale}{page}/-/<slug>"


# --- lists: Asset Publisher instances and their pagers -----------------------------------------------------

# The pager parameter of any portlet instance, as the spider knows pagers (scraper/spiders/hepza.py).
_PAGER_PARAM_RE = re.compile(r"^_(?P<portlet>[A-Za-z0-9_]+)_cur$")
_PORTLET_ID_RE = re.compile(r"^p_p_id_(?P<portlet>.+)_$")
_ASSET_PUBLISHER_RE = re.compile(r"AssetPublisherPortlet_INSTANCE_|^101_INSTANCE_")


@dataclass
class Instance:
    """One Asset Publisher (or other paged portlet) on a list page."""

    portlet: str
    pager_params: list[str] = field(default_factory=list)  # e.g. _<portlet>_cur, _<portlet>_delta
    delta: str | None = None
    pages_linked: int = 0  # pager links met on the page
    asset_publisher: bool = True


def pager_params(url: str) -> dict[str, dict[str, str]]:
    """The pager parameters a link carries, by portlet id: ``{portlet: {"_<portlet>_cur": "2", …}}``."""
    params = parse_qsl(urlsplit(url).query, keep_blank_values=True)
    found: dict[str, dict[str, str]] = {}
    for name, _value in params:
        match = _PAGER_PARAM_RE.match(name)
        if match:
            portlet = match["portlet"]
            found[portlet] = {n: v for n, v in params if n.startswith(f"_{portlet}_")}
    return found


def instances_on(portlet_ids: list[str], links: list[str]) -> list[Instance]:
    """The Asset Publisher instances of a page (by their ``p_p_id_<portlet>_`` wrappers) and every portlet
    its pager links page (``_<portlet>_cur``), with their pager parameters."""
    by_id: dict[str, Instance] = {}
    for element_id in portlet_ids:
        match = _PORTLET_ID_RE.match(element_id)
        if match and _ASSET_PUBLISHER_RE.search(match["portlet"]):
            by_id.setdefault(match["portlet"], Instance(match["portlet"]))
    for link in links:
        for portlet, params in pager_params(link).items():
            instance = by_id.setdefault(
                portlet, Instance(portlet, asset_publisher=bool(_ASSET_PUBLISHER_RE.search(portlet)))
            )
            instance.pages_linked += 1
            for name in params:
                if name not in instance.pager_params and name.endswith(("_cur", "_delta")):
                    instance.pager_params.append(name)
            instance.delta = instance.delta or params.get(f"_{portlet}_delta")
    return list(by_id.values())


# --- date lines -------------------------------------------------------------------------------------------

_CLOCK_RE = re.compile(r"(?<!\d)(\d{1,2})(\s*(?:[:hg]|giờ)\s*)(\d{2})(?::(\d{2}))?(?!\d)")
_NUMBER_RE = re.compile(r"\d+")
_AMPM_RE = re.compile(r"\b(?:AM|PM|SA|CH|a\.m\.|p\.m\.)\b", re.IGNORECASE)
_WEEKDAY_RE = re.compile(
    r"\b(?:Thứ (?:hai|ba|tư|năm|sáu|bảy|2|3|4|5|6|7)|Chủ nhật|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b",
    re.IGNORECASE,
)
# Far ahead: a probe's pattern must not depend on today's date (parse_portal_date refuses future dates).
_FAR_FUTURE = datetime(9000, 1, 1)
_ISO_STAMP_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T")


def date_pattern(line: str, locale: str = "vi") -> str | None:
    """The date line's pattern in Liferay's (Java) letters: ``10:56 08/03/2023`` → ``HH:mm dd/MM/yyyy``,
    ``2/4/26 8:30 AM`` (en) → ``M/d/yy h:mm a``. The day and month are told apart by the crawl's own
    reading of the line (pipelines.dates), so the pattern says what the archive will read. None for a
    line the crawl cannot read."""
    text = normalize_inline(line)
    parsed = parse_portal_date(text, locale, now=_FAR_FUTURE)
    if parsed.value is None:
        return None
    if _ISO_STAMP_RE.match(text):  # an ISO 8601 stamp (the generic layer's reading): its own form
        return "yyyy-MM-ddTHH:mm:ss (ISO 8601)"
    moment = datetime.fromisoformat(parsed.value)
    twelve_hour = bool(_AMPM_RE.search(text))
    pieces: list[str] = []
    position = 0
    clock = _CLOCK_RE.search(text)
    numbers = [
        m for m in _NUMBER_RE.finditer(text) if not clock or not clock.start() <= m.start() < clock.end()
    ]
    names = _date_number_names(numbers, moment, locale.lower().startswith("en"), twelve_hour)
    for match in sorted([*numbers, *([clock] if clock else [])], key=lambda m: m.start()):
        pieces.append(text[position : match.start()])
        if match is clock:
            hour = ("h" if twelve_hour else "H") * len(match[1])
            separator = match[2] if match[2].strip() in ("", ":", "giờ") else f"'{match[2]}'"  # (8h30)
            pieces.append(f"{hour}{separator}mm" + (":ss" if match[4] else ""))
        else:
            pieces.append(names.get(match.start(), match[0]))
        position = match.end()
    pieces.append(text[position:])
    pattern = "".join(pieces)
    pattern = _AMPM_RE.sub("a", pattern)
    return _WEEKDAY_RE.sub("EEEE", pattern)


def _date_number_names(
    numbers: list[re.Match[str]], moment: datetime, english: bool, twelve_hour: bool
) -> dict[int, str]:
    """Which of a date line's numbers (the clock's left out) are its year, month and day."""
    names: dict[int, str] = {}
    left = list(numbers)
    for match in reversed(left):
        if int(match[0]) in (moment.year, moment.year % 100) and len(match[0]) in (2, 4):
            names[match.start()] = "yyyy" if len(match[0]) == 4 else "yy"
            left.remove(match)
            break
    # Equal day and month: the order pipelines.dates reads (month first only in en's US forms).
    day_first = not (english and ("yy" in names.values() or twelve_hour))
    if len(left) >= 2 and int(left[0][0]) != int(left[1][0]):
        day_first = int(left[0][0]) == moment.day
    order = ("d", "M") if day_first else ("M", "d")
    pair = left[:2]
    # A leading zero says two letters, one digit says one; a number of 10 or more says nothing (``d``
    # prints 10 as "10" too): it takes the other's width.
    padded = any(m[0].startswith("0") for m in pair) or not any(len(m[0]) == 1 for m in pair)
    for match, letter in zip(pair, order, strict=False):
        names[match.start()] = letter * (2 if padded else 1) if len(match[0]) <= 2 else match[0]
    return names


# --- naming an element ------------------------------------------------------------------------------------

# Classes that change per site or per page (fragment UUIDs, generated ids): left out of an element's name.
_VOLATILE_CLASS_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}|\d{3,}|[0-9a-f]{12,}", re.IGNORECASE)


def describe(element) -> str:
    """``tag.class1.class2 < parent-tag.class``: where a field sits, as a person (or a selector) names it."""

    def one(el) -> str:
        classes = [c for c in (el.get("class") or "").split() if not _VOLATILE_CLASS_RE.search(c)]
        return el.tag + "".join(f".{c}" for c in classes[:3])

    parent = element.getparent()
    return one(element) + (f" < {one(parent)}" if parent is not None and isinstance(parent.tag, str) else "")


def element_with_text(doc, text: str, *, slack: int = 0, headings_first: bool = False):
    """The innermost element of the page's body whose text is ``text`` (or holds it with at most
    ``slack`` more characters), the first in document order: where the crawl's reading of a field sits.
    ``headings_first``: elements of a title's role, then visible headings, are looked at first (the
    title is printed in the breadcrumb and the page's title too). None when no element does."""
    want = normalize_inline(text)
    if not want:
        return None
    body = doc.find(".//body")

    def holds(element) -> bool:
        if not isinstance(element.tag, str) or element.tag in ("script", "style", "head", "title"):
            return False
        content = normalize_inline(_text_content(element))
        return want in content and len(content) <= len(want) + slack

    root = body if body is not None else doc
    # A heading first (a title is printed in its breadcrumb and its heading alike), then anything.
    first: list = []
    if headings_first:
        first = [el for el in root.iter() if _TITLE_ROLES & set((el.get("class") or "").split())]
        first += [
            el for el in root.iter(*_HEADING_TAGS) if not _HIDDEN & set((el.get("class") or "").split())
        ]
    for element in [*first, *root.iter()]:
        if holds(element):
            while True:  # the innermost element that still holds it
                inner = next((child for child in element if holds(child)), None)
                if inner is None:
                    return element
                element = inner
    return None


_text_content = etree.XPath("string()", smart_strings=False)
_HEADING_TAGS = ("h1", "h2", "h3", "h4")
# Where a title is printed, by role (the classes pipelines.extract reads titles by) …
_TITLE_ROLES = frozenset({"component-heading", "asset-title", "header-title", "asset-publisher-title"})
# … and headings printed for screen readers only (a portlet's own title), which hold it too.
_HIDDEN = frozenset({"hide-accessible", "sr-only", "visually-hidden"})
