"""Readable text from a rich-text body fragment: blocks, images with captions, attachments.

Works on an lxml element (the pre-cut body fragment, never the whole page). Spaces at inline-tag
boundaries are kept exactly as the HTML has them: ``đoàn<span>viên</span>`` reads ``đoànviên`` and
``<b>Ban</b> <i>Quản lý</i>`` reads ``Ban Quản lý``; only block boundaries add breaks.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

from lxml import etree
from lxml import html as lxml_html

from pipelines.attachments import DOCUMENT_LINK_RE as _ATTACHMENT_RE
from pipelines.text import drop_markup_controls, normalize_text
from pipelines.urls import join_url, strip_cache_buster, strip_volatile_params

_BLOCK_TAGS = frozenset(
    "p div section article blockquote h1 h2 h3 h4 h5 h6 ul ol li table thead tbody tfoot tr "
    "figure figcaption pre address center header footer dl dt dd".split()
)
_SKIP_TAGS = frozenset(
    "script style noscript template iframe object embed video audio svg button form".split()
)
_HEADING_TAGS = frozenset("h1 h2 h3 h4 h5 h6".split())
_CAPTION_MAX_CHARS = 300
_ATTACHMENT_LABEL_MAX_CHARS = 40
_LIST_PUNCTUATION_RE = re.compile(r"[\s,;|–-]+|\b(?:và|and)\b")
_PHOTO_CREDIT_RE = re.compile(r"\(?\s*Ảnh\s*:", re.IGNORECASE)
# Hrefs that lead nowhere outside the page, or run code: not links a reader can follow.
_NOT_A_LINK_RE = re.compile(r"#|(?:javascript|data|vbscript):", re.IGNORECASE)


@dataclass
class Block:
    """One readable unit of a body: ``kind`` is paragraph, heading, item, row or caption."""

    kind: str
    text: str


@dataclass
class BodyParts:
    """What a body fragment holds, in reading order."""

    blocks: list[Block] = field(default_factory=list)
    images: list[dict] = field(default_factory=list)
    attachments: list[dict] = field(default_factory=list)
    links: list[dict] = field(default_factory=list)  # every other link: {url, text}

    @property
    def paragraphs(self) -> list[str]:
        """The text blocks that are body text (captions excluded)."""
        return [b.text for b in self.blocks if b.kind != "caption"]


class _Walker:
    """Walks the fragment once, flushing the inline buffer at every block boundary."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.parts = BodyParts()
        self._buffer: list[str] = []
        self._kind = "paragraph"
        self._pending_image: dict | None = None  # an image whose caption may follow
        self._block_el = None  # the element of the block being read, to judge caption styling

    def flush(self) -> None:
        if not self._buffer:
            return  # (every block flushes as it opens and as it closes: most find nothing to read)
        text = "".join(self._buffer)
        self._buffer = []
        text = normalize_text(text)
        if not text:
            return
        kind = self._kind
        if kind == "paragraph" and self._pending_image is not None and self._looks_like_caption(text):
            # Older bodies put the caption in the paragraph after a centred image, not in <figcaption>.
            kind = "caption"
        if kind == "caption" and self._pending_image is not None:
            self._pending_image["caption"] = text
        self._pending_image = None
        self.parts.blocks.append(Block(kind, text))

    def walk(self, el, kind: str = "paragraph") -> None:
        tag = el.tag
        if not isinstance(tag, str):
            tag = ""  # a comment or processing instruction
        if tag in _SKIP_TAGS:
            self._tail(el)
            return
        is_block = tag in _BLOCK_TAGS
        if is_block:
            self.flush()
            saved_kind, saved_el = self._kind, self._block_el
            kind = self._kind_for(tag, kind)
            self._kind, self._block_el = kind, el
        if tag == "br":
            self._buffer.append("\n")
        elif tag == "img":
            self._image(el)
        elif tag == "a":
            self._link(el)
        if tag in ("td", "th"):
            self._cells(el)
        else:
            text = el.text  # (each read of .text or .tail makes a new str)
            if text and tag not in ("br", "img"):
                self._buffer.append(text)
            for child in el:
                self.walk(child, kind)
        if is_block:
            self.flush()
            self._kind, self._block_el = saved_kind, saved_el
        self._tail(el)

    def _looks_like_caption(self, text: str) -> bool:
        """A short paragraph right after an image that is centred, italic or credits a photo."""
        if len(text) > _CAPTION_MAX_CHARS:
            return False
        el = self._block_el
        if el is None:
            return False
        style = (el.get("style") or "").replace(" ", "").lower()
        if "text-align:center" in style or "caption" in (el.get("class") or ""):
            return True
        if _PHOTO_CREDIT_RE.search(text):
            return True
        children = [c for c in el if isinstance(c.tag, str)]
        own_text = (el.text or "").strip() or any((c.tail or "").strip() for c in children)
        return len(children) == 1 and children[0].tag in ("em", "i") and not own_text

    def _tail(self, el) -> None:
        tail = el.tail
        if tail:
            self._buffer.append(tail)

    def _kind_for(self, tag: str, inherited: str) -> str:
        if tag == "figcaption":
            return "caption"
        if tag == "li":
            return "item"
        if tag == "tr":
            return "row"
        if tag in _HEADING_TAGS:
            return "heading"
        return inherited if inherited in ("caption", "item") else "paragraph"

    def _cells(self, cell) -> None:
        # A cell's own blocks are read inline so that one table row stays one line.
        text = normalize_text(_text_content(cell)).replace("\n", " ")
        if self._buffer and "".join(self._buffer).strip():
            self._buffer.append(" | ")
        self._buffer.append(text)

    def _image(self, el) -> None:
        src = el.get("src") or el.get("data-src")
        if not src or src.startswith("data:"):
            return
        url = join_url(self.base_url, src)
        if url is None:
            return  # an address Python cannot parse (a typo such as ``http://[``): no image to list
        image = {"src": strip_cache_buster(url), "caption": None, "credit": None}
        self.parts.images.append(image)
        self._pending_image = image

    def _link(self, el) -> None:
        href = el.get("href")
        if not href:
            return
        if not _ATTACHMENT_RE.search(href):
            self._other_link(el, href)
            return
        url = join_url(self.base_url, href)
        if url is None:
            return
        url = strip_cache_buster(url)
        if any(a["url"] == url for a in self.parts.attachments):
            return
        title = normalize_text(_text_content(el)).replace("\n", " ") or url.rsplit("/", 2)[-2]
        self.parts.attachments.append({"url": url, "title": title})

    def _other_link(self, el, href: str) -> None:
        # A link's target is content too: an edit that points the same words elsewhere changes no text.
        href = href.strip()
        if not href or _NOT_A_LINK_RE.match(href):
            return
        url = join_url(self.base_url, href)
        if url is None:
            return
        link = {
            "url": strip_volatile_params(url),
            "text": normalize_text(_text_content(el)).replace("\n", " "),
        }
        if link not in self.parts.links:
            self.parts.links.append(link)


def body_parts(fragment, base_url: str) -> BodyParts:
    """Split a body fragment (lxml element or HTML string) into blocks, images and attachments."""
    if isinstance(fragment, bytes):
        fragment = fragment.decode("utf-8", "replace")
    if isinstance(fragment, str):
        # lxml refuses NUL and other C0 controls; they carry no text.
        fragment = _parse_fragment(drop_markup_controls(fragment) or "<div></div>")
    walker = _Walker(base_url)
    if fragment.text:
        walker._buffer.append(fragment.text)
    for child in fragment:
        walker.walk(child)
    walker.flush()
    _drop_attachment_only_blocks(walker.parts)
    return walker.parts


class _Parsers(threading.local):
    """The fragment parser, one per thread (a parser must not be shared by threads): lxml.html's own,
    without its element-class lookup, which runs Python code for every element the walk touches."""

    def __init__(self) -> None:
        self.html = etree.HTMLParser(collect_ids=False)


_PARSERS = _Parsers()

# ``lxml.html``'s text_content(), for plain ``etree`` elements, as a plain str.
_text_content = etree.XPath("string()", smart_strings=False)


def _parse_fragment(html: str):
    """``lxml.html.fragment_fromstring(html, create_parent="div")``, as plain ``etree`` elements."""
    try:
        # (lxml's stubs ask for lxml.html's parser; a plain etree one is what this module wants, see
        # _Parsers.)
        elements = lxml_html.fragments_fromstring(html, parser=_PARSERS.html)  # type: ignore[call-overload]
    except AssertionError as exc:
        # lxml asserts on a "fragment" that is a whole document (a doctype, then a script): say so in the
        # exception the function's contract names, not in an assertion that `python -O` would drop.
        raise ValueError(f"not an HTML fragment: {exc}") from None
    except etree.ParserError:
        elements = []  # markup with nothing in it (``<!DOCTYPE``): an empty fragment
    parent = etree.Element("div")
    if elements and isinstance(elements[0], str):
        parent.text = elements.pop(0)
    parent.extend(elements)
    return parent


def _drop_attachment_only_blocks(parts: BodyParts) -> None:
    """A paragraph made only of attachment links (and perhaps a short label such as ``Tải về:``) is
    listed in ``attachments``, not in the body text."""
    if not parts.attachments:
        return
    titles = sorted({a["title"] for a in parts.attachments}, key=len, reverse=True)

    def attachment_only(text: str) -> bool:
        rest = text
        for title in titles:
            rest = rest.replace(title, " ")
        if rest == text:
            return False
        rest = _LIST_PUNCTUATION_RE.sub(" ", rest).strip()
        return rest == "" or (rest.endswith(":") and len(rest) <= _ATTACHMENT_LABEL_MAX_CHARS)

    parts.blocks = [b for b in parts.blocks if not attachment_only(b.text)]


def blocks_to_text(blocks: list[Block]) -> str:
    """Join body blocks: paragraphs apart by a blank line, list items and table rows one per line."""
    out: list[str] = []
    previous = None
    for block in blocks:
        if block.kind == "caption":
            continue
        text = f"- {block.text}" if block.kind == "item" else block.text
        if out and block.kind in ("item", "row") and previous == block.kind:
            out[-1] += "\n" + text
        else:
            out.append(text)
        previous = block.kind
    return "\n\n".join(out)
