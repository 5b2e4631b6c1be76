"""Reference text rules for gold records (docs/record-conventions.md), applied to markup the replica made.

This is not a general extractor: it only has to read the small, known markup of replica bodies, so the gold
follows from the same structured data that renders the page.
Choices the conventions leave open, fixed here: NBSP counts as a space, zero-width spaces / soft hyphens /
BOMs are dropped, runs of spaces collapse to one, every line is stripped and empty lines vanish.
"""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u00ad\ufeff\u200c\u200d"), None)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u2009\u202f]+")


def clean_line(text: str) -> str:
    """NFC, invisible characters dropped, spaces collapsed, stripped."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    return _SPACES.sub(" ", text).strip()


def clean_text(text: str) -> str:
    lines = (clean_line(line) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


class _BlockText(HTMLParser):
    """Text of one body block: `<br>` → newline, `<li>` → `- ` line, `<tr>` → cells joined by ` | `."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.cells: list[list[str]] | None = None

    def _emit(self, s: str) -> None:
        if self.cells is not None and self.cells:
            self.cells[-1].append(s)
        else:
            self.parts.append(s)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "br":
            self._emit("\n")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag == "tr":
            self.cells = []
        elif tag in ("td", "th") and self.cells is not None:
            self.cells.append([])
        elif tag in ("p", "div", "ul", "ol", "table"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr" and self.cells is not None:
            row = " | ".join(clean_line("".join(c)) for c in self.cells)
            self.parts.append("\n" + row + "\n")
            self.cells = None
        elif tag in ("p", "div", "li"):
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        # Source newlines inside a paragraph are plain white space in HTML.
        self._emit(re.sub(r"[\r\n]+", " ", data))


def block_text(html: str) -> str:
    parser = _BlockText()
    parser.feed(html)
    parser.close()
    return clean_text("".join(parser.parts))


# A sentence ends at . ! ? … (possibly followed by a closing quote or bracket) before white space and an
# upper-case letter, a digit or an opening quote. Hand-written texts avoid abbreviations like "TP." at the ends.
_SENTENCE_END = re.compile(r"[.!?…][”\")]?(?=\s+\S)")


def sentences(text: str) -> list[str]:
    out: list[str] = []
    for line in text.split("\n"):
        start = 0
        for m in _SENTENCE_END.finditer(line):
            rest = line[m.end() :].lstrip()
            nxt = rest[:1]
            if nxt.isupper() or nxt.isdigit() or nxt in '"“(':
                out.append(line[start : m.end()].strip())
                start = m.end()
        tail = line[start:].strip()
        if tail:
            out.append(tail)
    return [s for s in out if s]


# --- bylines -------------------------------------------------------------------------------------------

_CREDIT_LABELS = ("tin, ảnh:", "tin và ảnh:", "bài và ảnh:", "bài, ảnh:", "bài và ảnh :", "tin, ảnh :")
_AUTHOR_LABELS = ("bài:", "tin:", "tác giả:")
_ROLES = {"pv", "nhóm pv", "phóng viên"}


def _name(raw: str) -> str | None:
    name = clean_line(raw).strip(" .;,")
    if not name or name.lower() in _ROLES:
        return None
    if "." not in name and name.isupper():
        name = " ".join(w.capitalize() for w in name.split())
    return name


def parse_byline(raw: str) -> tuple[list[str], str | None, list[str]]:
    """(authors, source, photo_credits) of a byline paragraph's text."""
    text = clean_line(raw)
    low = text.lower()
    if low.startswith("theo "):
        return [], text[5:].strip(" ."), []
    if low.startswith("nguồn:"):
        return [], text[6:].strip(" ."), []
    photo = False
    for label in _CREDIT_LABELS:
        if low.startswith(label):
            text, photo = text[len(label) :], True
            break
    else:
        for label in _AUTHOR_LABELS:
            if low.startswith(label):
                text = text[len(label) :]
                break
    names = [n for n in (_name(p) for p in re.split(r"\s[-–]\s|,\s", text)) if n]
    return names, None, list(names) if photo else []


_CAPTION_CREDIT = re.compile(r"Ảnh:\s*([^)]+?)\s*\)?\s*$")


def caption_credit(caption_html: str) -> str | None:
    """Photographer named by `Ảnh: X` at the end of a caption."""
    m = _CAPTION_CREDIT.search(block_text(caption_html))
    return m.group(1).strip(" .") if m else None
