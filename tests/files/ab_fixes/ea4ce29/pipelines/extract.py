"""Read the raw fields of one article page, in layers: portal markup, page metadata, generic extractor.

Layer 1 is the Liferay display-page and web-content markup (selected by role, never by the random
fragment UUID classes); layer 2 is what the head and inline scripts say (canonical, og:*, hreflang,
``data-analytics-asset-*``, ``Liferay.ThemeDisplay``); layer 3 (trafilatura, htmldate) runs only for a
field the first two could not find. Each field notes the layer that gave it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urljoin

from lxml import etree
from lxml import html as lxml_html
from lxml.cssselect import CSSSelector

from pipelines.dates import is_date_line
from pipelines.model import LAYER_GENERIC, LAYER_METADATA, LAYER_PORTAL, RawArticle
from pipelines.text import decode_html, normalize_inline
from pipelines.urls import url_locale


def _with_class(tag: str, name: str):
    """``tag.name`` as CSS means it, faster: lxml's own iteration over the ``tag`` elements and a test of
    the class token in Python (an XPath ``//tag[…]`` visits every node of a 75 KB page, text included,
    and costs several times as much)."""

    def select(doc):
        return [el for el in doc.iter(tag) if name in (el.get("class") or "").split()]

    return select


# Layer 1: roles in the portal's markup, most specific first.
_PORTAL_TITLE = ("h1", "component-heading")  # the display page's title heading
_WEB_CONTENT = ("div", "journal-content-article")  # the web-content element (asset id, body)
_TITLE_SELECTORS = [
    _with_class(*_PORTAL_TITLE),
    CSSSelector(".asset-full-content .asset-title, .asset-title"),
    CSSSelector("#content h1, main h1"),
]
_CONTENT_ARTICLE = _with_class(*_WEB_CONTENT)
_RICH_TEXT = CSSSelector('[data-lfr-editable-type="rich-text"]')
_CONTENT_AREA = CSSSelector("#content, #main-content, main, .portlet-body")
_DATE_LINE_MAX_CHARS = 60

# Layer 2: the page head and inline scripts. The head's link, meta and title elements are read in one
# query over the head's children (five selectors over the whole page cost five times as much).
_HEAD_ELEMENTS = etree.XPath("/html/head/*[self::link or self::meta or self::title]")
_LANGUAGE_ID_RE = re.compile(
    r"getLanguageId\s*:\s*function\s*\(\)\s*\{\s*return\s*['\"]([a-z]{2})_[A-Z]{2}['\"]"
)
_GROUP_ID_RE = re.compile(r"getScopeGroupId\s*:\s*function\s*\(\)\s*\{\s*return\s*['\"]?(\d+)")
# "<article title> - <site name>": Liferay appends the site name to <title> and og:title.
_SITE_SUFFIX_RE = re.compile(r"\s+[-–|]\s+[^-–|]*(?:Ban Quản lý|Khu [Cc]hế xuất|HEPZA|Bộ |Trang tin)[^-–|]*$")

# Pages that answer 200 but are not content: a login wall or a maintenance notice.
# (Matched on the attribute nodes, then their elements: the same elements as ``//*[contains(@id, …)]``,
# in a third of the time, as only elements that have the attribute are looked at.)
_LOGIN_FORM = etree.XPath(
    '//@id[contains(., "com_liferay_login_web_portlet_LoginPortlet")]/..'
    ' | //form/@action[contains(., "p_p_id=com_liferay_login_web_portlet_LoginPortlet")]/..'
)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
# Codecs in which a C0 control character can only come from its own byte (so a page whose bytes hold
# none decodes to text that holds none, and the costly scan of the text can be skipped).
_ASCII_COMPATIBLE = frozenset({"utf-8", "cp1258", "cp1252", "iso8859-1", "iso8859-15", "ascii"})
# The login portlet's id, in the markup of every login wall: a page without it needs no XPath search.
_LOGIN_MARK = "com_liferay_login_web_portlet_LoginPortlet"
_MAINTENANCE_RE = re.compile(r"bảo trì|maintenance|tạm ngưng|under construction", re.IGNORECASE)


def parse_html(body: bytes | str, declared_charset: str | None = None, *, nfc: bool = True):
    """Parse a page with lxml after decoding it with the declared charset (never lxml's guess).

    Liferay prints <title> before <meta charset>, so lxml fed raw bytes reads the title as Latin-1.
    ``nfc=False`` leaves the text as decoded (see :func:`extract_page`).
    """
    return _parse(body, declared_charset, nfc=nfc)[0]


def _parse(body: bytes | str, declared_charset: str | None, *, nfc: bool):
    """(the parsed document or None, the text it was parsed from)."""
    if isinstance(body, str):
        text, codec = body, None
    else:
        text, codec = decode_html(body, declared_charset, nfc=nfc)
    if codec not in _ASCII_COMPATIBLE or len(body.translate(None, _CONTROL_BYTES)) != len(body):
        text = _CONTROL_RE.sub("", text)  # lxml refuses NUL and other C0 controls in text
    if not text or text.isspace():  # (not strip(): that copies the whole page)
        return None, text
    try:
        return lxml_html.document_fromstring(text), text
    except (etree.ParserError, ValueError):
        return None, text


def classify_page(body: bytes | str, declared_charset: str | None = None) -> str | None:
    """``login`` or ``maintenance`` for a page that is a wall rather than content, else None."""
    doc = parse_html(body, declared_charset)
    if doc is None:
        return None
    if _LOGIN_FORM(doc):
        return "login"
    if (
        not _CONTENT_ARTICLE(doc)
        and not _RICH_TEXT(doc)
        and _MAINTENANCE_RE.search(_text_of_first([doc.find(".//body")]) or "")
    ):
        return "maintenance"
    return None


def extract_page(body: bytes | str, url: str, declared_charset: str | None = None) -> RawArticle:
    """The raw fields of the page at ``url``; ``page_kind`` says when it is not an article at all."""
    raw = RawArticle(url=url, locale=url_locale(url))
    # The page is not NFC-normalised as a whole (most of it is script and style); the fields taken from
    # it are, at the end, and every text test on the way normalises what it looks at.
    doc, text = _parse(body, declared_charset, nfc=False)
    if doc is None:
        raw.page_kind = "error"
        return raw
    found = _scan(doc)  # one pass: the metadata and the body both start from it
    _read_metadata(doc, url, raw, found)
    _read_portal_markup(doc, raw, found)
    if raw.title_raw is None or raw.body_html_raw is None or raw.published_raw is None:
        _read_generic(doc, url, raw)
    raw.page_kind = _page_kind(doc, raw, login_possible=_LOGIN_MARK in text)
    _normalize_fields(raw)
    return raw


def _normalize_fields(raw: RawArticle) -> None:
    """NFC on every text the extractor took from the page, so an NFD page reads as its NFC twin."""
    for name in ("canonical", "title_raw", "published_raw", "body_html_raw", "description", "image_raw"):
        value = getattr(raw, name)
        if value:
            setattr(raw, name, unicodedata.normalize("NFC", value))
    raw.alternates = {lang: unicodedata.normalize("NFC", href) for lang, href in raw.alternates.items()}


@dataclass
class _Found:
    """What one pass over the page finds: the web-content elements, the portal's title headings
    (``h1.component-heading``) and the text of the ``ThemeDisplay`` scripts."""

    articles: list = field(default_factory=list)
    headings: list = field(default_factory=list)
    scripts: str = ""


def _scan(doc) -> _Found:
    """One walk over the page instead of one per selector: on a 75 KB page each walk costs about as
    much as the rest of the extraction together."""
    found, scripts = _Found(), []
    for element in doc.iter(_WEB_CONTENT[0], _PORTAL_TITLE[0], "script"):
        if element.tag == "script":
            text = element.text
            if text and "ThemeDisplay" in text:
                scripts.append(text)
            continue
        tokens = (element.get("class") or "").split()
        if element.tag == _WEB_CONTENT[0] and _WEB_CONTENT[1] in tokens:
            found.articles.append(element)
        elif element.tag == _PORTAL_TITLE[0] and _PORTAL_TITLE[1] in tokens:
            found.headings.append(element)
    found.scripts = " ".join(scripts)
    return found


def _read_metadata(doc, url: str, raw: RawArticle, found: _Found | None = None) -> None:
    """Layer 2: canonical, hreflang, og:*, asset id, ThemeDisplay language and group."""
    found = found or _scan(doc)
    html_lang = (doc.get("lang") or "").lower()
    scripts = found.scripts
    match = _LANGUAGE_ID_RE.search(scripts)
    if match:
        raw.locale = match[1]
    elif html_lang[:2] in ("vi", "en"):
        raw.locale = html_lang[:2]
    match = _GROUP_ID_RE.search(scripts)
    raw.group_id = match[1] if match else None
    canonical = description = None
    has_description = False
    titles = []
    og: dict[str, str] = {}
    for element in _HEAD_ELEMENTS(doc):
        tag = element.tag
        if tag == "link":
            rel, href = element.get("rel"), element.get("href")
            if rel == "canonical" and canonical is None:
                canonical = href or ""
            elif rel == "alternate" and element.get("hreflang") is not None and href:
                raw.alternates[element.get("hreflang")] = urljoin(url, href.strip())
        elif tag == "meta":
            prop = element.get("property") or ""
            if prop.startswith("og:"):
                og[prop] = (element.get("content") or "").strip()
            elif element.get("name") == "description" and not has_description:
                description, has_description = element.get("content"), True
        else:
            titles.append(element)
    if canonical:
        raw.canonical = urljoin(url, canonical.strip())
    raw.image_raw = og.get("og:image") or None
    raw.description = og.get("og:description") or description
    articles = found.articles
    if articles and articles[0].get("data-analytics-asset-id"):
        raw.asset_id = articles[0].get("data-analytics-asset-id").strip()
        raw.layers["asset_id"] = LAYER_METADATA
    if articles and articles[0].get("data-analytics-asset-title"):
        # The asset title wins over og:title and <title>, so their site suffix need not be cut.
        raw.title_raw = articles[0].get("data-analytics-asset-title")
        raw.layers["title"] = LAYER_METADATA
        return
    title = og.get("og:title") or _text_of_first(titles)
    if title:
        raw.title_raw = _SITE_SUFFIX_RE.sub("", unicodedata.normalize("NFC", title))
        raw.layers["title"] = LAYER_METADATA


def _read_portal_markup(doc, raw: RawArticle, found: _Found | None = None) -> None:
    """Layer 1: the title heading, the date line and the rich-text body of the display page."""
    found = found or _scan(doc)
    heading = _find_title_element(doc, found.headings)
    if heading is not None:
        raw.title_raw = normalize_inline(heading.text_content())
        raw.layers["title"] = LAYER_PORTAL
    body = _find_body_element(doc, found.articles)
    date_el = _find_date_element(doc, heading, body)
    if date_el is not None:
        raw.published_raw = normalize_inline(date_el.text_content())
        raw.layers["published"] = LAYER_PORTAL
        if body is not None and _is_inside(date_el, body):
            date_el.drop_tree()  # a template that prints the date inside the body (moh.gov.vn style)
    elif raw.description and is_date_line(raw.description):
        raw.published_raw = normalize_inline(raw.description)
        raw.layers["published"] = LAYER_METADATA
    if body is not None:
        raw.body_html_raw = etree.tostring(body, encoding="unicode", method="html", with_tail=False)
        raw.layers["body"] = LAYER_PORTAL


def _find_title_element(doc, headings: list | None = None):
    for selector in _TITLE_SELECTORS:
        for element in (
            headings if headings is not None and selector is _TITLE_SELECTORS[0] else selector(doc)
        ):
            if normalize_inline(element.text_content()) and "hide-accessible" not in (
                element.get("class") or ""
            ):
                return element
    return None


def _find_body_element(doc, articles=None):
    """The rich-text fragment inside the web content; else the web content itself."""
    for article in _CONTENT_ARTICLE(doc) if articles is None else articles:
        rich = _RICH_TEXT(article)
        return rich[0] if rich else article
    areas = _CONTENT_AREA(doc)
    for area in areas:
        rich = _RICH_TEXT(area)
        if rich:
            return max(rich, key=lambda el: len(el.text_content()))
    return None


def _find_date_element(doc, heading, body):
    """The first short element, after the title, whose whole text is a date line."""
    scope = _common_scope(doc, heading, body)
    started = heading is None
    for element in scope.iter():
        if element is heading:
            started = True
            continue
        if not started or not isinstance(element.tag, str) or element.tag not in _DATE_TAGS:
            continue
        text = element.text_content()
        if len(text) > _DATE_LINE_MAX_CHARS * 3:
            continue
        text = normalize_inline(text)
        if text and len(text) <= _DATE_LINE_MAX_CHARS and is_date_line(text):
            return _deepest_with_text(element, text)
    return None


def _deepest_with_text(element, text: str):
    """The innermost element holding the same text, so removing it removes nothing else."""
    while True:
        for child in element:
            if isinstance(child.tag, str) and normalize_inline(child.text_content()) == text:
                element = child
                break
        else:
            return element


_DATE_TAGS = frozenset("p span div time small em h5 h6 li".split())


def _common_scope(doc, heading, body):
    """The smallest area holding both the title and the body, so menus and sidebars are not searched."""
    if heading is None or body is None:
        areas = _CONTENT_AREA(doc)
        return areas[0] if areas else doc
    ancestors = set(heading.iterancestors())
    for ancestor in body.iterancestors():
        if ancestor in ancestors:
            return ancestor
    return doc


def _is_inside(element, container) -> bool:
    return any(ancestor is container for ancestor in element.iterancestors())


def _read_generic(doc, url: str, raw: RawArticle) -> None:
    """Layer 3: trafilatura for the body, htmldate for the date, only for what is still missing."""
    page = etree.tostring(doc, encoding="unicode", method="html")
    if raw.body_html_raw is None:
        from trafilatura import bare_extraction  # imported late: slow to import, rarely needed

        result = bare_extraction(
            page, url=url, output_format="python", include_images=True, with_metadata=True
        )
        text = getattr(result, "text", None) if result is not None else None
        if text:
            paragraphs = "".join(f"<p>{_escape(line)}</p>" for line in text.split("\n") if line.strip())
            raw.body_html_raw = f"<div>{paragraphs}</div>"
            raw.layers["body"] = LAYER_GENERIC
        title = getattr(result, "title", None) if result is not None else None
        if raw.title_raw is None and title:
            raw.title_raw = title
            raw.layers["title"] = LAYER_GENERIC
    if raw.published_raw is None:
        from htmldate import find_date

        found = find_date(
            page, url=url, original_date=True, outputformat="%Y-%m-%dT%H:%M:%S", extensive_search=False
        )
        if found:
            raw.published_raw = found
            raw.layers["published"] = LAYER_GENERIC


def _page_kind(doc, raw: RawArticle, *, login_possible: bool = True) -> str:
    """article, login, maintenance or not-article: a 200 that is not content must not become a version."""
    if login_possible and _LOGIN_FORM(doc):
        return "login"
    has_article = raw.asset_id is not None or raw.layers.get("body") == LAYER_PORTAL
    if not has_article and _MAINTENANCE_RE.search(_text_of_first([doc.find(".//body")]) or ""):
        return "maintenance"
    if raw.title_raw is None or raw.body_html_raw is None:
        return "not-article"
    return "article"


_HREF_RE = re.compile(r"""href\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_DOCUMENT_LINK_RE = re.compile(r"\.(pdf|docx?|xlsx?|pptx?|odt|ods)(?:$|[/?#])", re.IGNORECASE)


def attachment_links(body_html: str | None, base_url: str) -> list[str]:
    """Absolute URLs of the documents a body links to (PDF, DOC, XLS…), in order, once each."""
    links: dict[str, None] = {}
    for href in _HREF_RE.findall(body_html or ""):
        if _DOCUMENT_LINK_RE.search(href):
            links.setdefault(urljoin(base_url, href.replace("&amp;", "&")), None)
    return list(links)


_IMG_SRC_RE = re.compile(r"""<img\b[^>]*?\ssrc\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


def image_links(body_html: str | None, base_url: str) -> list[str]:
    """Absolute URLs of the images a body shows, in order, once each (inline ``data:`` images left out)."""
    links: dict[str, None] = {}
    for src in _IMG_SRC_RE.findall(body_html or ""):
        if not src.startswith("data:"):
            links.setdefault(urljoin(base_url, src.replace("&amp;", "&")), None)
    return list(links)


def _text_of_first(elements) -> str | None:
    for element in elements:
        if element is not None:
            text = normalize_inline(element.text_content())
            if text:
                return text
    return None


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
