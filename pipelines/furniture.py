"""Page furniture a template prints inside an article's content element: related and most-read lists
("Tin liên quan", "Tin đọc nhiều"…), share bars, view counters, print and e-mail buttons. None of it is
the article: it changes from request to request and names other articles.

Recognised by what it says and links to, never by a theme's class names: a block whose whole text is
furniture words (and a counter's number), a link to a share service, or a list of links under a related
list's label. A summary (sapo) is text and stays. Works in place on a plain ``lxml.etree`` body element.
"""

from __future__ import annotations

import re

from lxml import etree

from pipelines.dom import drop_tree
from pipelines.text import fold_key

# Labels of lists of other articles, folded (``pipelines.text.fold_key``), a trailing colon aside.
RELATED_LABELS = frozenset(
    fold_key(label)
    for label in (
        "Tin đọc nhiều",
        "Tin xem nhiều",
        "Đọc nhiều",
        "Xem nhiều",
        "Bài viết liên quan",
        "Bài liên quan",
        "Tin liên quan",
        "Tin khác",
        "Các tin khác",
        "Tin bài khác",
        "Bài viết khác",
        "Các bài viết khác",
        "Tin cùng chuyên mục",
        "Tin cùng loại",
        "Tin mới",
        "Tin mới nhất",
        "Tin mới hơn",
        "Tin cũ hơn",
        "Tin nổi bật",
        "Xem thêm",
        "Related",
        "Related news",
        "Related articles",
        "Related posts",
        "Most read",
        "Most viewed",
        "Other news",
        "Latest news",
        "Read more",
    )
)
# Words of share bars, counters and page buttons (folded), longest first so that "so luot xem" goes whole.
_FURNITURE_WORDS = sorted(
    (
        "so luot xem",
        "luot xem",
        "luot doc",
        "luot truy cap",
        "da xem",
        "views",
        "view",
        "chia se",
        "share",
        "facebook",
        "zalo",
        "twitter",
        "tweet",
        "linkedin",
        "email",
        "e-mail",
        "gui email",
        "gui bai",
        "gui cho ban be",
        "in bai",
        "in trang",
        "ban in",
        "print",
        "copy link",
        "sao chep lien ket",
        "luu tin",
        "quay lai",
        "tro ve",
        "back",
        "len dau trang",
        "thich",
        "like",
        "co chu",
        "font size",
        "a+",
        "a-",
    ),
    key=len,
    reverse=True,
)
_COUNTER_WORDS = frozenset(
    {"so luot xem", "luot xem", "luot doc", "luot truy cap", "da xem", "views", "view"}
)
_WORDS_RE = re.compile(r"(?<![\w])(" + "|".join(re.escape(w) for w in _FURNITURE_WORDS) + r")(?![\w])")
_LEFTOVER_RE = re.compile(r"^[\s|•·:()\[\],./\\-]*$")
_NUMBER_RE = re.compile(r"\d[\d.,]*")
# Links to share services and page buttons.
_SHARE_HREF_RE = re.compile(
    r"sharer|share_inline|/share\?|intent/tweet|shareArticle|mailto:|window\.print|javascript:\s*print",
    re.IGNORECASE,
)
_FURNITURE_MAX_CHARS = 160
_BLOCKS = frozenset("div p ul ol li section aside nav span table tr td h2 h3 h4 h5 h6 strong b a".split())
_LABEL_TAGS = frozenset("h2 h3 h4 h5 h6 div p span strong b".split())
_LIST_LINK_SHARE = 0.6  # of a related list's text in links
_text_content = etree.XPath("string()", smart_strings=False)


def is_furniture_text(text: str) -> bool:
    """True when ``text`` is nothing but furniture words (a counter's number after a counter word)."""
    folded = fold_key(text)
    if not folded or len(folded) > _FURNITURE_MAX_CHARS:
        return False
    words = _WORDS_RE.findall(folded)
    if not words:
        return False
    rest = _WORDS_RE.sub(" ", folded)
    if _NUMBER_RE.search(rest):
        if not _COUNTER_WORDS & set(words):
            return False
        rest = _NUMBER_RE.sub(" ", rest)
    return bool(_LEFTOVER_RE.match(rest))


def is_related_label(text: str) -> bool:
    return fold_key(text).rstrip(" :»›>") in RELATED_LABELS


def strip_furniture(body) -> int:
    """Remove the furniture inside ``body`` (in place); the number of elements removed. Nothing is removed
    when it would leave the body without text."""
    doomed: list = []
    skip: set = set()
    for element in body.iterdescendants():
        if not isinstance(element.tag, str) or element.tag not in _BLOCKS:
            continue
        if any(ancestor in skip for ancestor in _ancestors_below(element, body)):
            continue
        text = _text_content(element)
        if len(text) > _FURNITURE_MAX_CHARS * 4:
            continue
        sections: list = []
        if len(text) <= _FURNITURE_MAX_CHARS and (is_furniture_text(text) or _only_share_links(element)):
            sections = [element]
        elif element.tag in _LABEL_TAGS and len(text) <= 60 and is_related_label(text):
            sections = _related_section(element, body)
        doomed += sections
        skip.update(sections)
    if not doomed:
        return 0
    left = len(_text_content(body)) - sum(len(_text_content(e)) for e in doomed)
    if left <= 0:
        return 0
    for element in doomed:
        drop_tree(element)
    return len(doomed)


def _ancestors_below(element, body):
    for ancestor in element.iterancestors():
        if ancestor is body:
            return
        yield ancestor


def _only_share_links(element) -> bool:
    """An element made of links to share services or page buttons only (icons without words)."""
    links = list(element.iter("a"))
    if not links or not all(_SHARE_HREF_RE.search(a.get("href") or "") for a in links):
        return False
    words = _text_content(element)
    for link in links:
        words = words.replace(_text_content(link), " ", 1)
    return not words.strip() or is_furniture_text(words)


def _related_section(label, body) -> list:
    """The label of a related list and its list: the smallest element around the label whose other text
    is mostly links, or the label and the link list that follows it. Nothing when no list follows."""
    section = label
    while section.getparent() is not None and section.getparent() is not body:
        parent = section.getparent()
        if _link_share(parent, without=label) >= _LIST_LINK_SHARE:
            section = parent
        else:
            break
    if section is not label:
        return [section]
    following = label.getnext()
    if following is not None and _link_share(following) >= _LIST_LINK_SHARE:
        return [label, following]
    return []


def _link_share(element, without=None) -> float:
    """The share of ``element``'s text that is the text of its links (``without``'s text left aside)."""
    text = _text_content(element)
    if without is not None:
        text = text.replace(_text_content(without), "", 1)
    total = len("".join(text.split()))
    if total == 0:
        return 0.0
    linked = sum(len("".join(_text_content(a).split())) for a in element.iter("a"))
    return min(1.0, linked / total)
