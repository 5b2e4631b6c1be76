"""Read the raw fields of one article page, in layers: portal markup, page metadata, generic extractor.

Layer 1 is the Liferay display-page and web-content markup (selected by role, never by the random
fragment UUID classes); layer 2 is what the head and inline scripts say (canonical, og:*, hreflang,
``data-analytics-asset-*``, ``Liferay.ThemeDisplay``); layer 3 (trafilatura, htmldate) runs only for a
field the first two could not find. Each field notes the layer that gave it.
"""

from __future__ import annotations

import codecs
import copy
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlsplit

from lxml import etree
from lxml import html as lxml_html
from lxml.cssselect import CSSSelector

from pipelines.attachments import DOCUMENT_LINK_RE as _DOCUMENT_LINK_RE
from pipelines.bylines import is_byline_block, names_a_place
from pipelines.dates import is_date_line
from pipelines.dom import drop_tree
from pipelines.furniture import is_furniture_text, is_related_label, strip_furniture
from pipelines.hints import MISSED, Hinted, PageHints, find_hinted
from pipelines.learned_layout import LAYOUT, LayoutRule, apply_rules, layout_signature
from pipelines.model import LAYER_GENERIC, LAYER_METADATA, LAYER_PORTAL, LAYER_PROFILE, RawArticle
from pipelines.site_title import strip_site_suffix
from pipelines.text import (
    MARKUP_CONTROL_BYTES,
    MARKUP_CONTROL_RE,
    decode_html,
    fold_key,
    normalize_inline,
)
from pipelines.urls import join_url, url_locale


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

# Layer 2: the page head and inline scripts. The head's link, meta and title elements are read off the
# head's children (five selectors over the whole page cost five times as much).
_LANGUAGE_ID_RE = re.compile(
    r"getLanguageId\s*:\s*function\s*\(\)\s*\{\s*return\s*['\"]([a-z]{2})_[A-Z]{2}['\"]"
)
_GROUP_ID_RE = re.compile(r"getScopeGroupId\s*:\s*function\s*\(\)\s*\{\s*return\s*['\"]?(\d+)")
# The site's name as ThemeDisplay gives it (7.x ``getSiteGroupName``, ``getScopeGroupName``), to cut it off
# the end of <title> and og:title (``pipelines.site_title``).
_SITE_NAME_RE = re.compile(
    r"get(?:SiteGroup|ScopeGroup|Site)Name\s*:\s*function\s*\(\)\s*\{\s*return\s*(['\"])(.*?)\1"
)

# Pages that answer 200 but are not content: a login wall or a maintenance notice.
# (Matched on the attribute nodes, then their elements: the same elements as ``//*[contains(@id, …)]``,
# in a third of the time, as only elements that have the attribute are looked at.)
_LOGIN_FORM = etree.XPath(
    '//@id[contains(., "com_liferay_login_web_portlet_LoginPortlet")]/..'
    ' | //form/@action[contains(., "p_p_id=com_liferay_login_web_portlet_LoginPortlet")]/..'
)
# Ids only Liferay's page chrome has: the theme's banner, navigation and footer, and the wrappers of
# portlets. A body that holds one, found nowhere else in the page, has run into the page around it (its
# closing tags were lost); what it reads as text is the page's menus, related list and footer, which
# change from request to request. (The ids in the body are read as attribute nodes: a body has few, and
# a predicate over every element costs three times as much; the whole page is searched only for a
# chrome id found in the body.)
_IDS_IN = etree.XPath(".//@id")
_WITH_ID = etree.XPath("//*[@id = $id]")
_CHROME_IDS = frozenset({"footer", "banner", "navigation"})
_CHROME_ID_PREFIXES = ("portlet_", "p_p_id_")
# Each of them on its own, for bytes.__contains__: thirty memchr() passes over a 75 KB page cost 25 us, a
# bytes.translate() that deletes them (and copies the page) 42 us.
_EACH_CONTROL_BYTE = tuple(bytes([byte]) for byte in MARKUP_CONTROL_BYTES)
# Codecs in which a C0 control character can only come from its own byte (so a page whose bytes hold
# none decodes to text that holds none, and the costly scan of the text can be skipped).
_ASCII_COMPATIBLE = frozenset({"utf-8", "cp1258", "cp1252", "iso8859-1", "iso8859-15", "ascii"})
# The login portlet's id, in the markup of every login wall: a page that holds it only in scripts (as
# every Liferay page does, in the SPA's list of portlets) needs no XPath search.
_LOGIN_MARK = "com_liferay_login_web_portlet_LoginPortlet"
_MAINTENANCE_RE = re.compile(r"bảo trì|maintenance|tạm ngưng|under construction", re.IGNORECASE)


def parse_html(body: bytes | str, declared_charset: str | None = None, *, nfc: bool = True):
    """Parse a page with lxml after decoding it with the declared charset (never lxml's guess).

    Liferay prints <title> before <meta charset>, so lxml fed raw bytes reads the title as Latin-1.
    ``nfc=False`` leaves the text as decoded (see :func:`extract_page`).
    """
    text, _ = _decode(body, declared_charset, nfc=nfc)
    if text is None:
        return None
    try:
        return lxml_html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return None


def _decode(body: bytes | str, declared_charset: str | None, *, nfc: bool) -> tuple[str | None, bool]:
    """(the page's text, or None when it holds nothing; whether ``body`` is exactly that text's UTF-8)."""
    if isinstance(body, str):
        text, codec = body, None
    else:
        text, codec = decode_html(body, declared_charset, nfc=nfc)
    controls = codec not in _ASCII_COMPATIBLE or any(byte in body for byte in _EACH_CONTROL_BYTE)
    if controls:
        text = MARKUP_CONTROL_RE.sub("", text)  # lxml refuses NUL and other C0 controls in text
    if not text or text.isspace():  # (not strip(): that copies the whole page)
        return None, False
    # Not after a BOM (dropped from the text) or a repaired byte (a U+FFFD in the text).
    same_bytes = (
        codec == "utf-8"
        and not controls
        and not nfc
        and not (isinstance(body, bytes) and body.startswith(codecs.BOM_UTF8))
        and "\ufffd" not in text
    )
    return text, same_bytes


class _Parsers(threading.local):
    """lxml parsers for :func:`extract_page`, one per thread (a parser must not be shared by threads).

    Plain ``etree`` elements, not ``lxml.html``'s: its element-class lookup runs Python code for every
    element the extractor touches (about 10% of the extraction on a 75 KB page)."""

    def __init__(self) -> None:
        # (No table of ids: nothing here looks an element up by its id.)
        self.text = etree.HTMLParser(collect_ids=False)
        self.utf8 = etree.HTMLParser(encoding="utf-8", collect_ids=False)


_PARSERS = _Parsers()


def _parse_for_extraction(body: bytes | str, declared_charset: str | None):
    """(the parsed document or None, the text it was parsed from), as plain ``etree`` elements."""
    text, same_bytes = _decode(body, declared_charset, nfc=False)
    if text is None:
        return None, text
    try:
        if same_bytes:
            # Parsed as they are: lxml would otherwise encode the text back into the same bytes first.
            doc = etree.fromstring(body, _PARSERS.utf8)
        else:
            doc = etree.fromstring(text, _PARSERS.text)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None, text
    return doc, text


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


def extract_page(
    body: bytes | str,
    url: str,
    declared_charset: str | None = None,
    *,
    learned: Sequence[LayoutRule] = (),
    hints: PageHints | None = None,
) -> RawArticle:
    """The raw fields of the page at ``url``; ``page_kind`` says when it is not an article at all.

    ``learned``: rules learned after a redesign (``pipelines/learned_layout.py``); the first that finds
    title, date and body on the page reads them, before the metadata and generic layers' guesses.
    ``hints``: a portal profile's selectors (``pipelines/hints.py``), tried before the portal layer's own
    detection: the element a selector finds stands for the one the portal layer would look for (the rest
    of the reading is the portal layer's: the date looked for between a hinted title and body, the sapo
    printed apart), and its field's layer is ``profile``. A page whose title, date and body all come from
    hints is not read with learned rules (the profile pins the theme); otherwise they apply as before."""
    raw = RawArticle(url=url, locale=url_locale(url))
    # The page is not NFC-normalised as a whole (most of it is script and style); the fields taken from
    # it are, at the end, and every text test on the way normalises what it looks at.
    doc, text = _parse_for_extraction(body, declared_charset)
    if doc is None:
        raw.page_kind = "error"
        return raw
    found = _scan(doc, text)  # one pass: the metadata and the body both start from it
    found.page_title = _page_title(doc, found.scripts)
    hinted = find_hinted(doc, hints) if hints is not None and hints.selectors else Hinted()
    hinted_title = hinted.elements.get("title")
    if hinted_title is not None:  # the profile says which element is the title
        found.heading, found.title = hinted_title, normalize_inline(_text_content(hinted_title))
        found.main = _main_web_content(found.articles, found.heading)
    elif found.headings:  # a display page: its title heading says which web content is the article's
        found.heading, found.title = _find_title_element(doc, found.headings)
        found.main = _main_web_content(found.articles, found.heading)
    else:  # a template (Asset Publisher full content, an ADT): the title is printed before the content
        found.main = _main_web_content(found.articles, None)
        found.heading, found.title = _title_of_asset(doc, found.main, found.page_title)
    _read_metadata(doc, url, raw, found)
    # A learned rule reads the page as it was served: the portal layer edits the tree it reads (a title,
    # date line or writer's block printed inside the content leaves the body), and a rule learned after a
    # redesign may look for just those elements.
    served = copy.deepcopy(doc) if learned else None
    _read_portal_markup(doc, raw, found, hinted)
    if served is not None and not all(role in hinted.elements for role in ("title", "date", "body")):
        apply_rules(served, raw, learned)
    _read_categories(doc, url, raw)
    if raw.title_raw is None or raw.body_html_raw is None or raw.published_raw is None:
        _read_generic(doc, url, raw)
    raw.page_kind = _page_kind(doc, raw, login_possible=not _only_in_scripts(text, _LOGIN_MARK))
    if raw.page_kind == "article" and found.body_runs_into_chrome:
        raw.page_kind = "malformed"
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
    """What one pass over the page finds: the web-content elements and the portal's title headings
    (``h1.component-heading``); and the text of the ``ThemeDisplay`` scripts."""

    articles: list = field(default_factory=list)
    headings: list = field(default_factory=list)
    scripts: str = ""
    body_runs_into_chrome: bool = False  # set by _read_portal_markup (see _CHROME_IDS)
    heading: etree._Element | None = None  # the title heading and its text (``_find_title_element``)
    page_title: str | None = None  # og:title or <title> without the site's name (``_page_title``)
    title: str | None = None
    # The article's own web content among ``articles`` (``_main_web_content``).
    main: etree._Element | None = None


# Web contents after an element, in document order: the article's own follows its title heading.
_FOLLOWING_WEB_CONTENT = etree.XPath(
    "following::div[contains(concat(' ', normalize-space(@class), ' '), ' journal-content-article ')]"
)


def _main_web_content(articles: list, heading):
    """The web content that is the article, when the page holds several (a banner, a notice or a sidebar
    is a web-content portlet too, with its own asset id, on every page): the first one after the title
    heading; without a heading, the one with the most text. Its asset id is the article's identity."""
    if len(articles) <= 1:
        return articles[0] if articles else None
    if heading is not None:
        following = _FOLLOWING_WEB_CONTENT(heading)
        if following:
            mine = set(following)
            for article in articles:
                if article in mine:
                    return article
    return max(articles, key=lambda element: len(_text_content(element)))


def _scan(doc, text: str) -> _Found:
    """One walk over the page instead of one per selector: on a 75 KB page each walk costs about as
    much as the rest of the extraction together. ``text`` is the page's text, for the scripts."""
    found = _Found()
    for element in doc.iter(_WEB_CONTENT[0], _PORTAL_TITLE[0]):
        tokens = (element.get("class") or "").split()
        if element.tag == _WEB_CONTENT[0] and _WEB_CONTENT[1] in tokens:
            found.articles.append(element)
        elif element.tag == _PORTAL_TITLE[0] and _PORTAL_TITLE[1] in tokens:
            found.headings.append(element)
    found.scripts = _theme_display_scripts(text)
    return found


_THEME_DISPLAY = "ThemeDisplay"


def _theme_display_scripts(text: str) -> str:
    """The inline scripts that mention ``ThemeDisplay``, cut from the page's text, joined by a space.

    Taken from the text rather than the tree: a Liferay page holds some 25 scripts, 50 KB of them, and
    reading every script's text out of the tree to look for the word costs a tenth of the extraction."""
    scripts: list[str] = []
    position = text.find(_THEME_DISPLAY)
    while position != -1:
        script = _enclosing_script(text, position)
        if script is not None:
            scripts.append(text[script[0] : script[1]])
            position = script[1]
        position = text.find(_THEME_DISPLAY, position + 1)
    return " ".join(scripts)


def _only_in_scripts(text: str, word: str) -> bool:
    """Whether every occurrence of ``word`` in the page's text is inside a script (so no element or
    attribute of the page holds it)."""
    position = text.find(word)
    while position != -1:
        script = _enclosing_script(text, position)
        if script is None:
            return False
        position = text.find(word, script[1])
    return True


def _enclosing_script(text: str, position: int) -> tuple[int, int] | None:
    """(start, end) of the content of the ``<script>`` element around ``position`` in the page's text."""
    opening = text.rfind("<script", 0, position)
    if opening == -1 or opening < text.rfind("</script", 0, position):
        return None
    start = text.find(">", opening) + 1
    if not 0 < start <= position:
        return None  # inside the opening tag itself
    end = text.find("</script", position)
    return start, len(text) if end == -1 else end


def _read_metadata(doc, url: str, raw: RawArticle, found: _Found) -> None:
    """Layer 2: canonical, hreflang, og:*, asset id, ThemeDisplay language and group."""
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
    og: dict[str, str] = {}
    # (Links and metas each in their order: what is read from one never depends on the other. Most of the
    # links are stylesheets and preloads, whose href is not read.)
    for link in _head_children(doc, "link"):
        rel = link.get("rel")
        if rel == "canonical":
            if canonical is None:
                canonical = link.get("href") or ""
        elif rel == "alternate" and link.get("hreflang") is not None:
            href = link.get("href")
            if href:
                alternate = join_url(url, href.strip())
                if alternate is not None:
                    raw.alternates[link.get("hreflang")] = alternate
    for meta in _head_children(doc, "meta"):
        prop = meta.get("property") or ""
        if prop.startswith("og:"):
            og[prop] = (meta.get("content") or "").strip()
        elif meta.get("name") == "description" and not has_description:
            description, has_description = meta.get("content"), True
    if canonical:
        raw.canonical = join_url(url, canonical.strip())
    raw.image_raw = og.get("og:image") or None
    raw.description = og.get("og:description") or description
    main = found.main
    asset_id = main.get("data-analytics-asset-id") if main is not None else None
    if asset_id:
        raw.asset_id = asset_id.strip()
        raw.layers["asset_id"] = LAYER_METADATA
    else:
        entry = _asset_entry_id(url, main)
        if entry is not None:
            raw.asset_id, raw.layers["asset_id"] = entry
    asset_title = main.get("data-analytics-asset-title") if main is not None else None
    if asset_title:
        # The asset title wins over og:title and <title>, so their site suffix need not be cut.
        raw.title_raw = asset_title
        raw.layers["title"] = LAYER_METADATA
        return
    if found.page_title:
        raw.title_raw = found.page_title
        raw.layers["title"] = LAYER_METADATA


def _page_title(doc, scripts: str) -> str | None:
    """og:title, else <title>, without the site's name at its end (``pipelines.site_title``): the name
    og:site_name and ThemeDisplay give."""
    og_title = site_name = None
    for meta in _head_children(doc, "meta"):
        prop = meta.get("property")
        if prop == "og:title" and og_title is None:
            og_title = (meta.get("content") or "").strip() or None
        elif prop == "og:site_name" and site_name is None:
            site_name = (meta.get("content") or "").strip() or None
    title = og_title or _text_of_first(_head_children(doc, "title"))
    if not title:
        return None
    names = [site_name or ""] + [match[2] for match in _SITE_NAME_RE.finditer(scripts)]
    names += _home_link_names(doc)
    return strip_site_suffix(unicodedata.normalize("NFC", title), names) or None


_HOME_LINKS_LOOKED_AT = 40  # the logo comes first in every theme's header
# Liferay's logo link title: "Go to <site>" (6.2 ``go-to-x``), in Vietnamese "Đi đến <site>".
_GO_TO_RE = re.compile(r"^(?:go to|đi đến|đến|về trang chủ|trang chủ)\s*[:-]?\s*", re.IGNORECASE)


_HOME_PATHS = frozenset({"", "/", "/web/guest", "/web/guest/home", "/home"})


# Cached: every page of a portal prints the same header links, so each is split once per crawl rather than
# once per page (about 0.04 ms of a page's 0.17 ms here; bench/NOTES.md).
@lru_cache(maxsize=1024)
def _leads_home(href: str) -> bool:
    """Whether a link's ``href`` leads to the site's home page (any host: the logo may link the portal's
    public address rather than the one crawled)."""
    if not href:
        return False
    try:
        return urlsplit(href.strip()).path in _HOME_PATHS
    except ValueError:  # a malformed link (``http://[``) is no link home
        return False


def _home_link_names(doc) -> list[str]:
    """The site's name as the header's link home says it: its ``title`` and its logo's ``alt``
    (Liferay's themes print the site name there, 6.2's ``a.logo[title="Go to …"]`` among them)."""
    names: list[str] = []
    body = next(doc.iterchildren("body"), None)
    for n, anchor in enumerate(body.iter("a") if body is not None else ()):
        if n >= _HOME_LINKS_LOOKED_AT:
            break
        if not _leads_home(anchor.get("href") or ""):
            continue
        for value in (anchor.get("title"), *(img.get("alt") for img in anchor.iter("img"))):
            if value and value.strip():
                names.append(_GO_TO_RE.sub("", unicodedata.normalize("NFC", value.strip())))
    return names


# 6.2 has no data-analytics-asset-id: the asset entry id is in the query route
# (``_101_INSTANCE_<id>_assetEntryId=N``), in the id Liferay gives the asset's content
# (``div.asset-content#_<portlet id>_<entry id>``) and in the asset's own links and forms.
_ENTRY_ID_PARAM_RE = re.compile(r"(?:^|[?&;])[\w]*_?assetEntryId=(\d+)")
_ASSET_CONTENT_ID_RE = re.compile(r"^_\w+_(\d+)$")
# 6.2's Web Content Display prints ``div.journal-content-article#article_<company>_<group>_<articleId>_<version>``.
_JOURNAL_ARTICLE_ID_RE = re.compile(r"^article_\d+_\d+_([0-9A-Za-z-]+)_\d+(?:\.\d+)*$")


def _asset_entry_id(url: str, main) -> tuple[str, str] | None:
    """(the asset entry id, the layer that gave it) of a page without ``data-analytics-asset-id``."""
    match = _ENTRY_ID_PARAM_RE.search(url.replace("&amp;", "&"))
    if match:
        return match[1], LAYER_METADATA
    if main is None:
        return None
    for ancestor in main.iterancestors():
        tokens = (ancestor.get("class") or "").split()
        if "asset-content" in tokens:
            match = _ASSET_CONTENT_ID_RE.match(ancestor.get("id") or "")
            if match:
                return match[1], LAYER_PORTAL
        if "asset-full-content" in tokens:
            for element in ancestor.iter("a", "form", "input"):
                value = element.get("href") or element.get("action") or element.get("value") or ""
                match = _ENTRY_ID_PARAM_RE.search(value.replace("&amp;", "&"))
                if match:
                    return match[1], LAYER_PORTAL
            break
    match = _JOURNAL_ARTICLE_ID_RE.match(main.get("id") or "")
    return (match[1], LAYER_PORTAL) if match else None


# Where the page files the article, in any Liferay theme: the breadcrumb (7.x ``ol.breadcrumb`` in a
# ``nav[aria-label=Breadcrumb]``, 6.2 ``ul.breadcrumbs``, a theme's ``.breadcrumb``), and the asset
# categories summary the portal prints with an asset (``a.asset-category``, links inside
# ``.asset-categories`` / ``.taglib-asset-categories-summary``). The first breadcrumb of the page is read.
# (Found by one walk over the few tags they use: an XPath testing the class tokens of every element cost
# ten times as much.)
_FILING_TAGS = ("nav", "ol", "ul", "div", "span", "a")
_BREADCRUMB_CLASSES = frozenset({"breadcrumb", "breadcrumbs"})
_CATEGORY_LINK_CLASS = "asset-category"
_CATEGORY_CONTAINER_CLASSES = frozenset({"asset-categories", "taglib-asset-categories-summary"})
# Every class above holds one of these two substrings. The walk meets hundreds of elements of these tags,
# almost all of them with classes and none of these: a substring test lets them pass without splitting
# their class attribute into a set (bench/NOTES.md says what that saves).
_BREADCRUMB_MARK = "breadcrumb"
_CATEGORY_MARK = "asset-categor"


def _read_categories(doc, url: str, raw: RawArticle) -> None:
    """The breadcrumb's items and the asset category links, as printed (text and absolute URL)."""
    trail, links = None, []
    for element in doc.iter(*_FILING_TAGS):
        if trail is None and (element.get("aria-label") or "").lower() == "breadcrumb":
            trail = element
        classes = element.get("class")
        if not classes or (_BREADCRUMB_MARK not in classes and _CATEGORY_MARK not in classes):
            continue
        tokens = set(classes.split())
        if trail is None and tokens & _BREADCRUMB_CLASSES:
            trail = element
        if element.tag == "a" and _CATEGORY_LINK_CLASS in tokens:
            links.append(element)
        elif tokens & _CATEGORY_CONTAINER_CLASSES:
            links.extend(element.iter("a"))
    if trail is not None:
        items = trail.findall(".//li") or trail.findall(".//a")
        raw.breadcrumb = [entry for entry in (_link_entry(item, url) for item in items) if entry["text"]]
    seen: set[tuple] = set()
    for link in links:
        entry = _link_entry(link, url)
        if entry["text"] and (entry["text"], entry["url"]) not in seen:
            seen.add((entry["text"], entry["url"]))
            raw.category_links.append(entry)


def _link_entry(element, base: str) -> dict:
    """``{"text": …, "url": …}`` of a breadcrumb item or link: its text on one line, its (first) link."""
    anchor = element if element.tag == "a" else element.find(".//a")
    href = anchor.get("href") if anchor is not None else None
    text = unicodedata.normalize("NFC", normalize_inline(_text_content(element)))
    return {"text": text, "url": join_url(base, href.strip()) if href and href.strip() else None}


def _head_children(doc, tag: str) -> list:
    """The ``tag`` children of the page's head, in order: what the XPath ``/html/head/<tag>`` selects, in
    a fraction of its time (an XPath over the head's some 27 link and meta elements took 14 µs a page)."""
    if doc.tag != "html":
        return []
    return [element for head in doc.iterchildren("head") for element in head.iterchildren(tag)]


def _runs_into_page_chrome(doc, body) -> bool:
    """Whether the body holds an element of the page around it (see ``_CHROME_IDS``).

    Such an id that is also found outside the body was pasted into the content (the page's own element
    is where it belongs); one found only inside is the page's own, swallowed by the body."""
    inside = Counter(i for i in _IDS_IN(body) if i in _CHROME_IDS or i.startswith(_CHROME_ID_PREFIXES))
    return any(len(_WITH_ID(doc, id=i)) <= n for i, n in inside.items())


def _read_portal_markup(doc, raw: RawArticle, found: _Found, hinted: Hinted) -> None:
    """Layer 1: the title heading, the date line and the rich-text body of the display page; an element a
    profile's selector found (``hinted``) stands for the one detection would look for."""
    heading, title = found.heading, found.title
    own = hinted.elements
    if heading is not None:
        raw.title_raw = title
        raw.layers["title"] = LAYER_PROFILE if "title" in own else LAYER_PORTAL
    body = own.get("body")
    if body is None:
        body = _find_body_element(doc, [found.main] if found.main is not None else [])
    template = not found.headings  # an Asset Publisher or web-content template, not a display page
    if body is None and template and heading is not None:
        body = _text_block_after(heading)
    if "date" in own:
        date_el, date_line = own["date"], hinted.date_line
    else:
        date_el, date_line = _find_date_element(doc, heading, body)
    byline_el = own.get("byline")
    summary, bylines = _summary_between(heading, body, date_el) if template and body is not None else ([], [])
    if byline_el is not None:  # (printed apart and selected: not taken twice)
        summary, bylines = (
            [
                e
                for e in part
                if e is not byline_el and not _is_inside(e, byline_el) and not _is_inside(byline_el, e)
            ]
            for part in (summary, bylines)
        )
    if byline_el is None and body is not None:
        signed_after = _byline_after(body, _common_scope(doc, heading, body))
        if signed_after is not None:
            bylines = [*bylines, signed_after]
    if heading is not None and body is not None:
        # (Before the title or date is dropped from inside the body: the elements as the theme has them.)
        kind = "template" if template else "display-page"
        if own:  # a reading of its own: the profile's elements (the byline's too) make its signature
            raw.layers[LAYOUT] = layout_signature(
                "profile:" + kind, heading, date_el, body, byline_el, family="profile"
            )
        else:
            raw.layers[LAYOUT] = layout_signature(kind, heading, date_el, body)
    note = hinted.layer_note()
    if note:
        raw.layers[MISSED] = note
    if date_el is not None:
        raw.published_raw = date_line
        raw.layers["published"] = LAYER_PROFILE if "date" in own else LAYER_PORTAL
        if body is not None and _is_inside(date_el, body):
            drop_tree(date_el)  # a template that prints the date inside the body (moh.gov.vn style)
    elif raw.description and is_date_line(raw.description):
        raw.published_raw = normalize_inline(raw.description)
        raw.layers["published"] = LAYER_METADATA
    if heading is not None and body is not None and _is_inside(heading, body):
        drop_tree(heading)  # a template that prints the title inside the web content
    if body is not None:
        found.body_runs_into_chrome = _runs_into_page_chrome(doc, body)
        if template:
            strip_furniture(body)  # a template may print its share bar or related list in the content
        signed_first = _byline_first(body) if byline_el is None else None
        if signed_first is not None:
            # Out of the body's start, kept as an element: it is printed at the body's end below.
            bylines = [signed_first, *bylines]
            drop_tree(signed_first)
        html = etree.tostring(body, encoding="unicode", method="html", with_tail=False)
        if (
            byline_el is not None
            and byline_el is not body
            and not _is_inside(byline_el, body)
            and not _is_inside(body, byline_el)
        ):
            bylines = [*bylines, byline_el]
        if summary or bylines:
            # The sapo, printed apart from the content, is the body's first paragraph; a writer's name
            # printed apart (above the text) is its last, where cleaning takes a byline from.
            lead, signed = (
                "".join(etree.tostring(e, encoding="unicode", method="html", with_tail=False) for e in part)
                for part in (summary, bylines)
            )
            html = f"<div>{lead}{html}{signed}</div>"
        raw.body_html_raw = html
        raw.layers["body"] = LAYER_PROFILE if "body" in own else LAYER_PORTAL
        if byline_el is not None:
            raw.layers["byline"] = LAYER_PROFILE


# How far up from the body a writer's block after it is looked for (the web content is often wrapped once
# or twice by its template before the block that signs it).
_BYLINE_AFTER_LEVELS = 3


def _byline_after(body, scope):
    """The block right after the body that only names its writers or source (``<div>Hữu Phước</div>`` after
    the web content), else None. Only the first block with text after the body counts, and only when
    it links nowhere: what follows it (share bars, related and most-read lists) is never a byline."""
    element = body
    for _level in range(_BYLINE_AFTER_LEVELS):
        for block in element.itersiblings():
            if not isinstance(block.tag, str) or block.tag in ("script", "style", "template"):
                continue
            text = normalize_inline(_text_content(block))
            if not text:
                continue  # (an anchor, an empty spacer)
            if block.tag in ("div", "p", "span", "section", "address", "footer") and not _HAS_LINK(block):
                return block if is_byline_block(text) else None
            return None
        element = element.getparent()
        if element is None or element is scope:
            break
    return None


# How deep into the body's wrappers its first block is looked for (the content's own template wraps title,
# date line, writer and text once or twice).
_BYLINE_FIRST_LEVELS = 4
# Blocks a writer's name is printed in; a heading (``<h3>``) or a list item is the text's, never a byline.
_BYLINE_FIRST_TAGS = frozenset({"div", "p", "span", "section", "address"})


def _byline_first(body):
    """The body's first block when it only names writers or a source and more body follows it (a
    content template that prints title, date line, writer, summary and text, in that order), else None.
    Cleaning takes a byline off the body's end only, so the caller moves it there, as the learned layer
    does (``learned_layout._bylines_above_text``). Not a byline: a heading, a block with a link, a place
    on a line of its own (a dateline: ``Hà Nội``, ``TP.HCM``), a sentence (a one-line sapo)."""
    total = len(normalize_inline(_text_content(body)))
    element = body
    for _level in range(_BYLINE_FIRST_LEVELS):
        first = _first_block_with_text(element)
        if first is None or first.tag not in _BYLINE_FIRST_TAGS or _HAS_LINK(first):
            return None
        if (first.tail or "").strip():
            return None  # a name inline at the start of a sentence (``<span>X</span> cho biết …``)
        text = normalize_inline(_text_content(first))
        if is_byline_block(text):
            more_after = total - len(text) >= _SUMMARY_MIN_CHARS
            return first if more_after and not names_a_place(text) else None
        element = first  # a wrapper of the blocks: its first one is looked at
    return None


def _first_block_with_text(element):
    """The first child of ``element`` with text when no text is printed before it, else None."""
    if (element.text or "").strip():
        return None
    for child in element:
        if not isinstance(child.tag, str) or child.tag in ("script", "style", "template"):
            continue
        if normalize_inline(_text_content(child)):
            return child
        if (child.tail or "").strip():
            return None
    return None


# A text block: its paragraphs and the like, as a template prints an article's content.
_TEXT_CHILDREN = frozenset("p h2 h3 h4 h5 h6 ul ol blockquote table figure pre".split())
_BODY_MIN_CHARS = 80
_SUMMARY_MIN_CHARS = 40


def _portlet_of(element):
    """The nearest portlet (or Asset Publisher asset wrapper) around ``element``; else its parent."""
    for ancestor in element.iterancestors():
        tokens = set((ancestor.get("class") or "").split())
        if tokens & _PORTLET_ROLES or _ASSET_WRAPPER in tokens:
            return ancestor
    return element.getparent()


def _text_block_after(heading):
    """The content of a template that prints an article's fields without a web-content element: after
    the title, in its portlet, the element whose paragraphs hold the most text (lists of links, which
    are other articles, not counted)."""
    portlet = _portlet_of(heading)
    if portlet is not None and _PORTLET_ROLES & set((portlet.get("class") or "").split()):
        return _best_text_block(portlet, heading)
    # No portlet around it (a fragment, a stripped theme): the nearest ancestor that holds a text block.
    for depth, ancestor in enumerate(heading.iterancestors()):
        if depth >= _BODY_SEARCH_LEVELS or ancestor.tag in ("body", "html"):
            break
        best = _best_text_block(ancestor, heading)
        if best is not None:
            return best
    return None


_BODY_SEARCH_LEVELS = 6


def _best_text_block(container, heading):
    best, best_chars, after = None, _BODY_MIN_CHARS - 1, False
    for element in container.iter():
        if element is heading:
            after = True
            continue
        if not after or not isinstance(element.tag, str) or _is_inside(element, heading):
            continue
        if element.tag == "a" or any(a.tag == "a" for a in element.iterancestors()):
            # A link is another article (a related list's item), however long its title: never the text.
            continue
        chars = sum(
            len(_text_content(child)) - _linked_chars(child)
            for child in element
            if isinstance(child.tag, str) and child.tag in _TEXT_CHILDREN
        ) + len((element.text or "").strip())
        if chars > best_chars:
            best, best_chars = element, chars
    return best


def _linked_chars(element) -> int:
    return sum(len(_text_content(a)) for a in element.iter("a"))


_SENTENCE_END_RE = re.compile(r"[.!?…:;]['\"”’)»]*$")
_CLOCK_RE = re.compile(r"\b\d{1,2}[:h]\d{2}\b")
_PROSE_MIN_CHARS = 160


def _reads_as_prose(text: str) -> bool:
    """A summary ends as a sentence ends, or is long; a meta line (``Đăng lúc 10:56 08/03/2023 tại
    chuyên mục …``) does neither and prints a clock time."""
    if len(text) >= _PROSE_MIN_CHARS:
        return True
    return bool(_SENTENCE_END_RE.search(text)) and not (_CLOCK_RE.search(text) and len(text) < 120)


def _summary_between(heading, body, date_el) -> tuple[list, list]:
    """(the summary blocks (sapo), the byline blocks) a template prints between the title and the content,
    outside both. A summary is text of a sentence's length, not links, not furniture (the date line
    aside); a byline block is a short one that is only a byline (a writer's name printed above the text)."""
    if heading is None:
        return [], []
    container = _common_scope(None, heading, body)
    found: list = []
    bylines: list = []
    after = False
    for element in container.iter():
        if element is body:
            break
        if element is heading:
            after = True
            continue
        if not after or not isinstance(element.tag, str) or element.tag not in ("div", "p", "section"):
            continue
        if (
            _is_inside(element, heading)
            or _is_inside(body, element)
            or any(_is_inside(element, f) for f in found + bylines)
        ):
            continue
        text = normalize_inline(_text_content(element))
        if element is not date_el and is_byline_block(text):
            bylines.append(element)
            continue
        if date_el is not None and (element is date_el or _is_inside(date_el, element)):
            text = normalize_inline(text.replace(normalize_inline(_text_content(date_el)), " ", 1))
            if len(text) >= _SUMMARY_MIN_CHARS:
                continue  # (a wrapper of the date line and more: its blocks are looked at one by one)
        if (
            len(text) >= _SUMMARY_MIN_CHARS
            and _reads_as_prose(text)
            and _linked_chars(element) * 2 < len(text)
            and not is_furniture_text(text)
            and not is_related_label(text)
        ):
            found.append(element)
    return found, bylines


def _find_title_element(doc, headings: list | None = None):
    """(the title heading, its text as one line), or (None, None)."""
    for selector in _TITLE_SELECTORS:
        for element in (
            headings if headings is not None and selector is _TITLE_SELECTORS[0] else selector(doc)
        ):
            text = normalize_inline(_text_content(element))
            if text and "hide-accessible" not in (element.get("class") or ""):
                return element, text
    return None, None


# Where a template prints an asset's title: a heading, or an element of one of Liferay's own title roles
# (7.x ``span.asset-title``, ADTs' ``.asset-publisher-title``, 6.2 ``h3.header-title``).
_TITLE_TAGS = frozenset({"h1", "h2", "h3", "h4"})
_TITLE_ROLES = frozenset({"asset-title", "header-title", "asset-publisher-title", "component-heading"})
# The portlet around the asset: the title is looked for there, never in the page's menus or sidebars.
_PORTLET_ROLES = frozenset({"portlet-body", "portlet-content", "portlet-boundary"})
_TITLE_MAX_CHARS = 400


def _title_of_asset(doc, main, page_title: str | None):
    """(the title element, its text) of an article shown through a template, or (None, None).

    Before the article's web content, within its portlet: the element whose text is the page's own title
    (og:title or <title> without the site's name), else the nearest title role or heading. A first
    heading inside the web content that reads as the page title counts too. Without web content, the
    heading or title role of the page whose text is the page title."""
    want = fold_key(page_title) if page_title else None
    if main is None:
        return _title_matching(doc, want)
    container = next(
        (a for a in main.iterancestors() if _PORTLET_ROLES & set((a.get("class") or "").split())),
        main.getparent() if main.getparent() is not None else main,
    )
    candidates = []
    for element in container.iter():
        if element is main:
            break
        if _is_title_role(element):
            candidates.append(element)
    inside = [e for e in main.iter(*_TITLE_TAGS)]
    for element in reversed(candidates):
        text = _title_text(element)
        if text and want is not None and fold_key(text) == want:
            return element, text
    for element in inside[:1]:
        text = _title_text(element)
        if text and want is not None and fold_key(text) == want:
            return element, text
    for element in reversed(candidates):
        text = _title_text(element)
        if text and not is_date_line(text):
            return element, text
    return _title_matching(doc, want) if want else (None, None)


def _is_title_role(element) -> bool:
    if not isinstance(element.tag, str):
        return False
    tokens = (element.get("class") or "").split()
    if element.tag not in _TITLE_TAGS and not _TITLE_ROLES & set(tokens):
        return False
    # (A title in a list item is another article's: a related list, a menu.)
    return "hide-accessible" not in tokens and not any(a.tag == "li" for a in element.iterancestors())


def _title_text(element) -> str | None:
    text = _text_content(element)
    if len(text) > _TITLE_MAX_CHARS * 2:
        return None
    text = normalize_inline(text)
    return text if 0 < len(text) <= _TITLE_MAX_CHARS else None


def _title_matching(doc, want: str | None):
    """The first heading or title role of the page whose text is ``want`` (folded)."""
    if want is None:
        return None, None
    for element in doc.iter("h1", "h2", "h3", "h4", "span", "a", "div", "p"):
        if _is_title_role(element) or element.tag in _TITLE_TAGS:
            text = _title_text(element)
            if text and fold_key(text) == want:
                return element, text
    return None, None


def _find_body_element(doc, articles=None):
    """The rich-text fragment inside the web content; else the web content itself."""
    for article in _CONTENT_ARTICLE(doc) if articles is None else articles:
        rich = _RICH_TEXT(article)
        return rich[0] if rich else article
    areas = _CONTENT_AREA(doc)
    for area in areas:
        rich = _RICH_TEXT(area)
        if rich:
            # The text fragment: the one of several paragraphs before a one-paragraph lead (a sapo longer
            # than a short article's text is still its lead), then the longest.
            return max(rich, key=lambda el: (min(len(el.findall("p")), 2), len(_text_content(el))))
    return None


def _find_date_element(doc, heading, body):
    """(the first short element, after the title and before the body ends, that is a date line, perhaps
    with furniture around it (``| Lượt xem: 123``); the date as printed), or (None, None).

    Never after the body: what follows it (the related articles, a sidebar) prints other articles'
    dates, and one of them is no date of this article."""
    scope = _common_scope(doc, heading, body)
    started = heading is None
    body_end = _last_descendant(body) if body is not None else None
    ended = in_body = False
    for element in scope.iter():
        if ended:
            break
        ended = element is body_end
        in_body = in_body or element is body
        if element is heading:
            started = True
            continue
        if not started or not isinstance(element.tag, str) or element.tag not in _DATE_TAGS:
            continue
        if not in_body and _in_linked_list_item(element, heading, body):
            continue
        text = _text_content(element)
        if len(text) > _DATE_LINE_MAX_CHARS * 3:
            continue
        text = normalize_inline(text)
        if not text or len(text) > _DATE_LINE_MAX_CHARS * 2:
            continue
        if len(text) <= _DATE_LINE_MAX_CHARS and is_date_line(text):
            return _deepest_with_text(element, text), text
        # (Furniture only outside the body: a short paragraph of the article may open with a date. And
        # not around an element of its own that is the whole date line: ``<span>Ngày đăng: 25/11/2025 -
        # 12:21</span> <a>category</a>`` is read from the span, whose dash is no separator.)
        date = None if in_body or _holds_a_date_line(element) else _date_among_furniture(element)
        if date is not None:
            return _deepest_with_text(element, text), date
    found = _date_in_asset_metadata(body) if body is not None else (None, None)
    if found[0] is None and heading is not None:
        return _date_above_title(heading, scope)
    return found


# How far above the title a date line is looked for: the blocks just before it (a top bar with the
# category link and the date, a kicker), a few levels up, never more text than a short line or two.
_ABOVE_TITLE_LEVELS = 3
_ABOVE_TITLE_MAX_CHARS = _DATE_LINE_MAX_CHARS * 4


def _date_above_title(heading, scope):
    """(element, date line) of a date printed just above the title (``<div><a>Tin tức</a><span>Cập nhật:
    17:03 | 06/08/2025</span></div><h2>…</h2>``: a top bar of the article, as many Vietnamese portals
    print it), else (None, None). Only the blocks right before the title, nearest first, within the area
    of title and body: a list, a heading or more text than a line or two ends the search (a menu, a
    most-read list, another article's teaser above this one)."""
    chars = 0
    element = heading
    for _level in range(_ABOVE_TITLE_LEVELS):
        for block in element.itersiblings(preceding=True):
            if not isinstance(block.tag, str):
                continue
            if block.tag in ("ul", "ol", "nav", "li", *_TITLE_TAGS) or block.find(".//li") is not None:
                return None, None
            text = normalize_inline(_text_content(block))
            chars += len(text)
            if chars > _ABOVE_TITLE_MAX_CHARS:
                return None, None
            found = _date_line_in_block(block) if text else (None, None)
            if found[0] is not None:
                return found
        element = element.getparent()
        if element is None or element is scope:
            break
    return None, None


def _date_line_in_block(block):
    """(element, date line) of a short block that prints a date line, alone in an element of its own or
    among furniture (``Tin tức | 17:03 06/08/2025``); else (None, None)."""
    for inner in block.iter(*_DATE_TAGS):
        if _holds_a_date_line(inner):
            continue  # (the innermost: the bar around the date holds the category link's text too)
        text = normalize_inline(_text_content(inner))
        if text and len(text) <= _DATE_LINE_MAX_CHARS and is_date_line(text):
            return _deepest_with_text(inner, text), text
    date = _date_among_furniture(block)
    if date is not None:
        return _deepest_with_text(block, normalize_inline(_text_content(block))), date
    return None, None


def _in_linked_list_item(element, heading, body) -> bool:
    """Is the element in a list item that links elsewhere, apart from the article's title and body? Such an
    item is another article's (a related or most-read list, before or after the content), and so is its
    date: where the page has no body element the portal layer knows, nothing else stops the search before
    those lists. (A page whose closing tags were lost nests everything in its menu's first item: that
    item holds the title too, and is no other article's.)"""
    item = element if element.tag == "li" else next(element.iterancestors("li"), None)
    if item is None or not _HAS_LINK(item):
        return False
    return not any(part is not None and _is_inside(part, item) for part in (heading, body))


# Liferay's asset wrapper (6.2 and 7.x Asset Publisher full content), whose ``asset-metadata`` after the
# content holds the asset's own dates (``span.metadata-entry.metadata-publish-date``).
_ASSET_WRAPPER = "asset-full-content"


_HAS_LINK = etree.XPath("boolean(.//a)")


def _date_in_asset_metadata(body):
    """(element, date line) of a date printed after the body but within the asset's own wrapper, before
    any list (share links, related articles): Liferay 6.2's ``div.asset-metadata``. Else (None, None)."""
    wrapper = next(
        (a for a in body.iterancestors() if _ASSET_WRAPPER in (a.get("class") or "").split()), None
    )
    if wrapper is None:  # a template of its own: the article's portlet
        wrapper = next(
            (a for a in body.iterancestors() if _PORTLET_ROLES & set((a.get("class") or "").split())), None
        )
    if wrapper is None:  # no Liferay wrapper at all: two levels around the body
        parent = body.getparent()
        wrapper = parent.getparent() if parent is not None and parent.getparent() is not None else parent
    if wrapper is None:
        return None, None
    after = False
    for element in wrapper.iter():
        if element is body:
            after = True
            continue
        if not after or not isinstance(element.tag, str) or _is_inside(element, body):
            continue
        if element.tag in ("ul", "ol", "li", "h2", "h3", "h4", "a") or _HAS_LINK(element):
            break  # a list, a heading or links after the asset's content: other articles, share bars
        if element.tag not in _DATE_TAGS:
            continue
        text = normalize_inline(_text_content(element))
        if text and len(text) <= _DATE_LINE_MAX_CHARS and is_date_line(text):
            return _deepest_with_text(element, text), text
    return None, None


def _last_descendant(element):
    """The element's last descendant in document order (itself when it has no children)."""
    while len(element):
        element = element[-1]
    return element


# What a template prints beside the date on its line: a bar, a bullet, a line break (read as a bar), or a
# spaced dash (``06:33 10/05/2023 | Lượt xem: 123``, ``Lượt xem: 77 | 06:33 10/05/2023``, ``… - Tin tức``).
_STRONG_SEPARATOR_RE = re.compile(r"\s*[|•·]\s*")
_DASH_SEPARATOR_RE = re.compile(r"\s+[-–—]\s+")
_FURNITURE_MAX_CHARS = 40


def _holds_a_date_line(element) -> bool:
    """Does an element inside ``element`` print a whole date line on its own?"""
    for inner in element.iterdescendants(*_DATE_TAGS):
        text = normalize_inline(_text_content(inner))
        if text and len(text) <= _DATE_LINE_MAX_CHARS and is_date_line(text):
            return True
    return False


def _date_among_furniture(element) -> str | None:
    """The date line in an element that prints short furniture around it, as printed; else None.

    Pieces between separators are tried whole first, then runs of dash-separated pieces, longest first
    (``Ngày đăng: 19/04/2021 - 15:17`` holds a dash of its own). Every other piece must be short."""
    text = normalize_inline(_text_with_breaks(element))
    for piece in _STRONG_SEPARATOR_RE.split(text):
        if not piece or len(piece) > _DATE_LINE_MAX_CHARS + _FURNITURE_MAX_CHARS:
            continue
        if is_date_line(piece):
            return _if_rest_is_furniture(text, piece)
        parts = _DASH_SEPARATOR_RE.split(piece)
        for size in range(len(parts) - 1, 0, -1):
            for start in range(len(parts) - size + 1):
                candidate = " - ".join(parts[start : start + size])
                if len(candidate) <= _DATE_LINE_MAX_CHARS and is_date_line(candidate):
                    return _if_rest_is_furniture(text, candidate)
    return None


def _if_rest_is_furniture(text: str, date: str) -> str | None:
    rest = text.replace(date, " ", 1) if date in text else ""
    pieces = [p for p in _DASH_SEPARATOR_RE.split(" ".join(_STRONG_SEPARATOR_RE.split(rest))) if p.strip()]
    if all(len(p.strip()) <= _FURNITURE_MAX_CHARS for p in pieces) and date in text:
        return date
    return None


def _text_with_breaks(element) -> str:
    """The element's text with a bar for every ``<br>`` (``_text_content`` glues the lines together)."""
    parts: list[str] = []
    # (A walk, not a recursion: a hostile page nests thousands of elements.)
    for event, node in etree.iterwalk(element, events=("start", "end")):
        if event == "start":
            if node.tag == "br":
                parts.append(" | ")
            elif isinstance(node.tag, str) and node.text:
                parts.append(node.text)
        elif node is not element and node.tail:
            parts.append(node.tail)
    return "".join(parts)


def _deepest_with_text(element, text: str):
    """The innermost element holding the same text (as one line), so removing it removes nothing else."""
    while True:
        for child in element:
            if isinstance(child.tag, str) and normalize_inline(_text_content(child)) == text:
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


# ``lxml.html``'s text_content(), for plain ``etree`` elements; as a plain str, which does not keep the
# page's whole tree alive the way lxml's "smart" strings do.
_text_content = etree.XPath("string()", smart_strings=False)


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
    """article, login, maintenance or not-article: a 200 that is not content must not become a version.
    (``extract_page`` also says ``malformed`` for an article page whose body ran into the page's chrome.)"""
    if login_possible and _LOGIN_FORM(doc):
        return "login"
    has_article = raw.asset_id is not None or raw.layers.get("body") in (LAYER_PORTAL, LAYER_PROFILE)
    if not has_article and _MAINTENANCE_RE.search(_text_of_first([doc.find(".//body")]) or ""):
        return "maintenance"
    if raw.title_raw is None or raw.body_html_raw is None:
        return "not-article"
    return "article"


_HREF_RE = re.compile(r"""href\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


def attachment_links(body_html: str | None, base_url: str) -> list[str]:
    """Absolute URLs of the documents a body links to (PDF, DOC, XLS…), in order, once each."""
    links: dict[str, None] = {}
    for href in _HREF_RE.findall(body_html or ""):
        if _DOCUMENT_LINK_RE.search(href):
            link = join_url(base_url, href.replace("&amp;", "&"))
            if link is not None:
                links.setdefault(link, None)
    return list(links)


_IMG_SRC_RE = re.compile(r"""<img\b[^>]*?\ssrc\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


def image_links(body_html: str | None, base_url: str) -> list[str]:
    """Absolute URLs of the images a body shows, in order, once each (inline ``data:`` images left out)."""
    links: dict[str, None] = {}
    for src in _IMG_SRC_RE.findall(body_html or ""):
        link = None if src.startswith("data:") else join_url(base_url, src.replace("&amp;", "&"))
        if link is not None:
            links.setdefault(link, None)
    return list(links)


def _text_of_first(elements) -> str | None:
    for element in elements:
        if element is not None:
            text = normalize_inline(_text_content(element))
            if text:
                return text
    return None


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
