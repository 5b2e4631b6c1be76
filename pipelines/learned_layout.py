"""Learn where a redesigned theme now prints an article's title, date line, byline and body.

After a theme change the portal layer of :mod:`pipelines.extract` finds nothing, but the archive still
holds what each known article says. That content is the label: on a page of a known article, the
elements whose text is its title, whose date line parses to its ``published_at``, and whose text is its
body paragraphs and byline are where those fields now sit. From them a :class:`LayoutRule` is derived:
one CSS selector per role, made of tags and stable classes (never a random fragment UUID), with the
parent or grandparent as a landmark when the element alone is not enough. Whoever calls this checks a
rule on further known pages before trusting it (``archive/learning.py``).

Pure functions over lxml elements; no Scrapy, no archive.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree
from lxml.cssselect import CSSSelector, SelectorError

from pipelines.bylines import is_byline_block
from pipelines.dates import longest_date_run, parse_portal_date
from pipelines.dom import drop_tree
from pipelines.model import LAYER_LEARNED, RawArticle
from pipelines.text import normalize_inline

__all__ = [
    "LAYER_LEARNED",
    "LAYOUT",
    "ROLES",
    "Known",
    "LayoutRule",
    "apply_rules",
    "date_in_text",
    "layout_signature",
    "learn_rule",
]

# The ``RawArticle.layers`` key of the markup's signature: which elements (by tag and stable classes, and
# their parents') the title, the date line and the body were read from. A known article read from a page
# whose signature is not the one its archived version was read from is a page in another theme: its
# fields differ by the theme perhaps, not by an edit (``archive/runs.py`` decides what to trust).
LAYOUT = "layout"

# The fields a rule fills, by the name ``RawArticle.layers`` gives them.
ROLES = ("title", "published", "body")

_text_content = etree.XPath("string()", smart_strings=False)
_WORD_RE = re.compile(r"\w+")
# A class token is stable when it names a role, not an instance: no run of digits (``yui_3_17_2_1_…``,
# ids), no hex block of a UUID, none of Liferay's per-fragment or per-portlet-instance classes.
_UNSTABLE_CLASS_RE = re.compile(
    r"\d{3,}|[0-9a-f]{8}|^lfr-layout-structure-item-|_INSTANCE_|^portlet_|^p_p_id|^yui", re.IGNORECASE
)
_CSS_IDENT_RE = re.compile(r"^-?[A-Za-z_][\w-]*$")
# Elements that never hold an article's visible fields.
_SKIP_TAGS = frozenset({"script", "style", "noscript", "head", "title", "meta", "link", "template"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4"})
# A date line is short; an element whose text is longer is a sentence or a container.
_DATE_ELEMENT_MAX_CHARS = 160
# What a body part may hold beyond the known paragraphs (captions, an attachment label), in words.
_BODY_SLACK_WORDS, _BODY_SLACK_SHARE = 3, 0.05


@dataclass(frozen=True)
class LayoutRule:
    """Where a theme prints each field: a CSS selector for the title and the date line, and one for
    each part of the body (a lead paragraph, the text, a byline printed apart), in document order."""

    title: str
    published: str
    body: tuple[str, ...]

    def to_json(self) -> str:
        return json.dumps({"title": self.title, "published": self.published, "body": list(self.body)})

    @classmethod
    def from_json(cls, text: str) -> LayoutRule:
        value = json.loads(text)
        return cls(value["title"], value["published"], tuple(value["body"]))

    def signature(self) -> str:
        """The layout signature of a page read with this rule (see :data:`LAYOUT`)."""
        return "learned:" + hashlib.sha256(self.to_json().encode("utf-8")).hexdigest()[:12]

    def describe(self) -> str:
        """One line for the run summary and the logs."""
        return f"title {self.title!r}, date {self.published!r}, body {' + '.join(map(repr, self.body))}"


@dataclass(frozen=True)
class Known:
    """What the archive holds of one article: the label its page is learned from."""

    title: str
    published_at: str
    body_text: str
    byline_raw: str | None = None
    # Texts the body prints that are not its paragraphs (image captions): allowed in it, not required.
    captions: tuple[str, ...] = ()
    # The link texts of its attachments ("Mẫu báo cáo"): the block printing them and none of the body's
    # paragraphs ("File đính kèm: Mẫu báo cáo") is kept out of the body text, so it too is allowed.
    attachment_titles: tuple[str, ...] = ()
    locale: str = "vi"
    tz: str = "Asia/Ho_Chi_Minh"


# --- applying a rule (the extractor's "learned" layer) ----------------------------------------------


_SELECTORS: dict[str, CSSSelector] = {}


def _selector(css: str) -> CSSSelector | None:
    if css not in _SELECTORS:
        try:
            _SELECTORS[css] = CSSSelector(css)
        except (SelectorError, SyntaxError, ValueError):
            return None
    return _SELECTORS[css]


def _first(doc, css: str):
    selector = _selector(css)
    if selector is None:
        return None
    for element in selector(doc):
        return element
    return None


def date_in_text(text: str) -> str | None:
    """The date line inside a short text, as printed: the whole text when it is one, else the longest
    run of words that is (``Đăng lúc 06:33 10/05/2023 bởi Ban biên tập`` → ``Đăng lúc 06:33 10/05/2023``)."""
    text = normalize_inline(text)
    if not text or len(text) > _DATE_ELEMENT_MAX_CHARS:
        return None
    return longest_date_run(text)


def apply_rules(doc, raw: RawArticle, rules: Sequence[LayoutRule]) -> None:
    """Read title, date line and body with the first rule that finds all of them on this page (a rule
    that finds only some is another theme's). A rule is only ever given here once it read known pages of
    this portal's current theme exactly (``archive/learning.py``), so it is preferred to the portal
    layer, whose reading of a theme it was not written for may differ (a byline printed apart, lost) or
    be partial (its date finder, without its title heading, takes the first date it meets, perhaps a
    related article's). The fields the rule fills say ``learned``, and the layout is the rule's."""
    for rule in rules:
        found = _read_rule(doc, rule)
        if found is None:
            continue
        title, (date_el, date_line), body_parts = found
        for part in body_parts:
            if any(ancestor is part for ancestor in date_el.iterancestors()):
                drop_tree(date_el)  # a date printed inside the body is not body text
        raw.title_raw, raw.published_raw = title, date_line
        signed = _bylines_above_text(body_parts)
        signed_html = [_html(e) for e in signed]
        for element in signed:
            if element in body_parts:
                body_parts.remove(element)
            else:
                drop_tree(element)
        raw.body_html_raw = _join_parts([_html(p) for p in body_parts] + signed_html)
        for role in ROLES:
            raw.layers[role] = LAYER_LEARNED
        raw.layers[LAYOUT] = rule.signature()
        return


def _read_rule(doc, rule: LayoutRule):
    """(title, (date element, date line), body parts) as the rule finds them, or None."""
    title_el = _first(doc, rule.title)
    date_el = _first(doc, rule.published)
    if title_el is None or date_el is None:
        return None
    title = normalize_inline(_text_content(title_el))
    date_line = date_in_text(_text_content(date_el))
    parts = []
    for css in rule.body:
        part = _first(doc, css)
        if part is None:
            return None
        parts.append(part)
    parts = _outermost_in_order(doc, parts)
    if not title or date_line is None or not parts:
        return None
    return title, (date_el, date_line), parts


def _outermost_in_order(doc, parts: list) -> list:
    """The parts once each, none inside another, in document order."""
    unique = []
    for part in parts:
        if part not in unique and not any(a in parts for a in part.iterancestors()):
            unique.append(part)
    if len(unique) > 1:
        order = {element: i for i, element in enumerate(doc.iter())}
        unique.sort(key=order.__getitem__)
    return unique


def _html(element) -> str:
    return etree.tostring(element, encoding="unicode", method="html", with_tail=False)


def _join_parts(html: list[str]) -> str:
    return html[0] if len(html) == 1 else "<div>" + "\n".join(html) + "</div>"


def _is_byline_block(element) -> bool:
    """A block that names writers or a source and nothing else, told as the portal layer tells one."""
    return is_byline_block(normalize_inline(_text_content(element)))


def _leading_block(part):
    """The part's first block when nothing is printed before it, else None."""
    if (part.text or "").strip():
        return None
    for child in part:
        if not isinstance(child.tag, str):
            continue
        if child.tag not in _BLOCK_TAGS:
            return None  # the part starts with inline text (a <strong> in a sentence)
        return child if normalize_inline(_text_content(child)) else None
    return None


def _bylines_above_text(parts: list) -> list:
    """The writer's names a theme prints above the text, in their own part or as the first block of a
    part, when a body part with text follows them. Cleaning takes a byline off the end of the body only,
    so they are moved there, as the portal layer moves a byline printed apart (``pipelines.extract``).
    Why not learn it: a theme prints the name on some articles only, and the pages a rule is learned
    from may have none (a rule that then reads the name as the text's first paragraph misreads every
    page that has one). Why it is safe: a rule is verified on known pages, whose archived byline is
    the label, before it is trusted."""
    found = []
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        if _is_byline_block(part):
            if last:
                break  # already where cleaning looks
            found.append(part)
            continue
        lead = _leading_block(part)
        if lead is not None and (not last or lead.getnext() is not None) and _is_byline_block(lead):
            found.append(lead)
    return found


# --- learning a rule from labelled pages ------------------------------------------------------------


# Elements whose text is apart from the text around it: the words of two table cells or two paragraphs
# are two words even where the markup prints no space between them.
_BLOCK_TAGS = frozenset(
    "p div section article aside header footer main nav ul ol li table thead tbody tfoot tr td th "
    "h1 h2 h3 h4 h5 h6 br hr blockquote figure figcaption pre dl dt dd".split()
)


def _spaced_text(element) -> str:
    """The element's text, with a space at the edges of every block element inside it."""
    parts: list[str] = []
    # (A walk, not a recursion: a hostile page nests thousands of elements.)
    for event, node in etree.iterwalk(element, events=("start", "end")):
        block = node.tag in _BLOCK_TAGS
        if event == "start":
            if block:
                parts.append(" ")
            if isinstance(node.tag, str) and node.text:
                parts.append(node.text)
        else:
            if block:
                parts.append(" ")
            if node is not element and node.tail:
                parts.append(node.tail)
    return "".join(parts)


def _words(text: str) -> str:
    """The text as its words, NFC, one space apart and around: what two renderings of one text share
    (``blocks_to_text`` adds list dashes and blank lines; the page has its own spacing). Invisible format
    characters (a soft hyphen, a zero-width space) are dropped, as the cleaner drops them: "giải\xadquyết"
    is the word the archive holds as "giảiquyết", not two words."""
    visible = "".join(c for c in unicodedata.normalize("NFC", text) if unicodedata.category(c) != "Cf")
    return " " + " ".join(_WORD_RE.findall(visible)) + " "


def _stable_classes(element) -> list[str]:
    return [
        token
        for token in (element.get("class") or "").split()
        if _CSS_IDENT_RE.match(token) and not _UNSTABLE_CLASS_RE.search(token)
    ]


def _describe(element) -> str:
    return element.tag + "".join(f".{c}" for c in _stable_classes(element))


def layout_signature(kind: str, *elements, family: str = "portal") -> str:
    """The signature of the markup a page's fields were read from (:data:`LAYOUT`): ``kind`` (which
    reading of the portal layer) and each element's tag and stable classes with its parent's (None for a
    field not found). The same on every article page of one theme; another after a redesign. ``family``
    names the reader: ``portal``, or ``profile`` for a page read with a profile's selectors."""
    parts = [kind]
    for element in elements:
        if element is None:
            parts.append("-")
            continue
        parent = element.getparent()
        parts.append(_describe(element) + (" < " + _describe(parent) if parent is not None else ""))
    return f"{family}:" + hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()[:12]


def _visible(doc):
    """The page's elements that may print content (not head, scripts or styles), in document order."""
    for element in doc.iter():
        if not isinstance(element.tag, str) or element.tag in _SKIP_TAGS:
            continue
        if any(a.tag in _SKIP_TAGS for a in element.iterancestors()):
            continue
        yield element


def _deepest(elements: list, same) -> list:
    """The elements none of whose children also qualifies (so the rule points at the innermost one)."""
    chosen = set(elements)
    return [e for e in elements if not any(child in chosen and same(child) for child in e)]


@dataclass
class _Targets:
    """Where one labelled page prints each field (candidates, best first)."""

    titles: list
    dates: list
    body_parts: list


def _title_elements(doc, known: Known) -> list:
    title = normalize_inline(unicodedata.normalize("NFC", known.title))
    limit = len(title) * 3 + 40
    found = [
        e
        for e in _visible(doc)
        if len(_text_content(e)) <= limit
        and normalize_inline(unicodedata.normalize("NFC", _text_content(e))) == title
    ]
    found = _deepest(found, lambda e: True)

    def preference(e) -> tuple:
        in_link = e.tag == "a" or any(a.tag == "a" for a in e.iterancestors())
        return (in_link, e.tag not in _HEADINGS, not _stable_classes(e))

    return sorted(found, key=preference)


def _dates_match(text: str, known: Known) -> bool:
    line = date_in_text(text)
    if line is None:
        return False
    value = parse_portal_date(line, locale=known.locale, tz=known.tz).value
    if value is None:
        return False
    # A page that prints the day only (its minute came from a list) matches on the day.
    return value[:16] == known.published_at[:16] or (
        value[11:16] == "00:00" and value[:10] == known.published_at[:10]
    )


def _date_elements(doc, known: Known) -> list:
    found = [
        e
        for e in _visible(doc)
        if len(_text_content(e)) <= _DATE_ELEMENT_MAX_CHARS * 2 and _dates_match(_text_content(e), known)
    ]
    found = _deepest(found, lambda e: True)
    return sorted(found, key=lambda e: not _stable_classes(e))


def _body_lines(known: Known) -> list[str]:
    lines = [_words(line) for line in known.body_text.split("\n")]
    if known.byline_raw:
        lines.append(_words(known.byline_raw))
    return [line for line in lines if line.strip()]


def _residual_words(text: str, lines: list[str]) -> tuple[int, int]:
    """(words of ``text`` left once every known line in it is taken out, words of ``text``)."""
    total = len(text.split())
    for line in lines:
        text = text.replace(line, " ", 1)
    return len(text.split()), total


def _attachment_blocks(doc, known: Known, lines: list[str]) -> list[str]:
    """The words of each block that prints a link to one of the article's attachments and none of its
    paragraphs: the attachments' list ("File đính kèm: Mẫu báo cáo"), not body text."""
    titles = {_words(t) for t in known.attachment_titles if t.strip()}
    blocks = []
    for link in doc.iter("a"):
        if _words(_spaced_text(link)) not in titles:
            continue
        block = link
        while block.tag not in _BLOCK_TAGS and block.getparent() is not None:
            block = block.getparent()
        text = _words(_spaced_text(block))
        if not any(line in text for line in lines):
            blocks.append(text)
    return blocks


def _body_parts(doc, known: Known, date_el) -> list:
    """The fewest elements that together print every known paragraph and little else: the smallest
    element holding them all when that is nearly all it holds, else its children that hold them.
    Captions and the attachments' list are allowed in the body and taken out of its text first: a
    caption that credits the writer ("Ảnh: Kim Ngân") must not pass for the byline printed elsewhere,
    and a short body's list of documents must not make its container hold "too much"."""
    lines = _body_lines(known)
    if not lines:
        return []
    allowed = [_words(c) for c in known.captions] + _attachment_blocks(doc, known, lines)
    allowed = sorted((text for text in allowed if text.strip()), key=len, reverse=True)

    def text_of(element) -> str:
        text = _words(_spaced_text(element))
        for extra in allowed:
            text = text.replace(extra, " ")
        return text

    holders = [e for e in _visible(doc) if all(line in text_of(e) for line in lines)]
    if not holders:
        return []
    root = holders[-1]  # (document order: the last is the deepest, as each holder holds the next)
    date_words = _words(_spaced_text(date_el)) if date_el is not None else ""

    def cover(element) -> list:
        text = text_of(element)
        inside = [line for line in lines if line in text]
        if not inside:
            return []
        if date_words.strip() and date_words in text:
            text = text.replace(date_words, " ", 1)
        left, total = _residual_words(text, inside)
        if left <= max(_BODY_SLACK_WORDS, total * _BODY_SLACK_SHARE):
            return [element]
        return [part for child in element if isinstance(child.tag, str) for part in cover(child)]

    parts = cover(root)
    covered = "".join(text_of(p) for p in parts)
    return parts if all(line in covered for line in lines) else []


def locate(doc, known: Known) -> _Targets:
    """Where this page of a known article prints its title, date line and body."""
    dates = _date_elements(doc, known)
    return _Targets(_title_elements(doc, known), dates, _body_parts(doc, known, dates[0] if dates else None))


def _candidates(element) -> list[str]:
    """Selectors for an element, most general first: its own tag and stable classes, then with its
    parent, its grandparent, or its nearest ancestor that has a stable class as the landmark."""
    own = _describe(element)
    out = [own] if _stable_classes(element) else []
    parent = element.getparent()
    if parent is not None:
        out.append(f"{_describe(parent)} > {own}")
        grandparent = parent.getparent()
        if grandparent is not None:
            out.append(f"{_describe(grandparent)} > {_describe(parent)} > {own}")
        landmark = next((a for a in element.iterancestors() if _stable_classes(a)), None)
        if landmark is not None:
            out.append(f"{_describe(landmark)} {own}")
        same_tag = [c for c in parent if c.tag == element.tag]
        if len(same_tag) > 1:
            out.append(f"{_describe(parent)} > {element.tag}:nth-of-type({same_tag.index(element) + 1})")
    return list(dict.fromkeys(out))


def _choose(candidates_of: list, pages: list, fits) -> str | None:
    """The first selector (over the first page's elements, best first) whose first match fits the field
    on every page: ``fits(element, page_index)``."""
    for element in candidates_of:
        for css in _candidates(element):
            if _selector(css) is None:
                continue
            if all(
                (match := _first(doc, css)) is not None and fits(match, i) for i, (doc, _) in enumerate(pages)
            ):
                return css
    return None


def learn_rule(pages: Sequence[tuple[object, Known]]) -> tuple[LayoutRule | None, str]:
    """A rule that reads every one of ``pages`` (parsed page, what the archive knows of its article),
    and why not when there is none. The caller verifies it on other pages before trusting it."""
    if not pages:
        return None, "no page of a known article"
    pages = list(pages)
    targets = [locate(doc, known) for doc, known in pages]
    first = targets[0]
    for role, found in (("title", first.titles), ("date line", first.dates), ("body", first.body_parts)):
        if not found:
            return None, f"the {role} of a known article is nowhere on its page"
    title = _choose(
        first.titles,
        pages,
        lambda e, i: (
            normalize_inline(unicodedata.normalize("NFC", _text_content(e)))
            == normalize_inline(unicodedata.normalize("NFC", pages[i][1].title))
        ),
    )
    published = _choose(first.dates, pages, lambda e, i: _dates_match(_text_content(e), pages[i][1]))
    body: list[str] = []
    for part in first.body_parts:
        # (On a page without that part, a byline's wrapper say, the selector finds it empty.)
        css = _choose(
            [part], pages, lambda e, i: e in targets[i].body_parts or not _words(_spaced_text(e)).strip()
        )
        if css is None:
            return None, "no selector finds the body on every page"
        body.append(css)
    if title is None:
        return None, "no selector finds the title on every page"
    if published is None:
        return None, "no selector finds the date line on every page"
    return LayoutRule(title, published, tuple(dict.fromkeys(body))), ""
