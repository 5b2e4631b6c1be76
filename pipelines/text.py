"""Text normalisation for Vietnamese content: Unicode forms, odd spaces, folding keys and byte decoding.

Pure functions, no Scrapy. Every cleaner in ``pipelines/`` runs its input through :func:`normalize_text`
or :func:`normalize_inline` first, so that NFD text pasted from Word, ``&nbsp;``-derived spaces and
zero-width characters never reach a regex.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

__all__ = [
    "MARKUP_CONTROL_BYTES",
    "MARKUP_CONTROL_RE",
    "decode_html",
    "drop_markup_controls",
    "fold_key",
    "normalize_inline",
    "normalize_text",
]

# Characters that are spaces to a reader but not to ``str.split``'s idea of a word boundary in regexes
# written with a literal " ": NBSP (what ``&nbsp;`` decodes to), narrow NBSP, figure space, the
# U+2000 block, ideographic space, and so on. Tabs and the rarer line-ish controls count as spaces too.
_ODD_SPACES = r"\t\x0b\x0c\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
_ODD_SPACES_RE = re.compile(f"[{_ODD_SPACES}]")
# Invisible characters that split words for a regex but not for a reader (zero-width space, ZWNJ, ZWJ,
# word joiner, BOM) and the soft hyphen, which editors leave inside words (`đoàn\u00adviên`).
_INVISIBLE = r"\u200b-\u200d\u2060\ufeff\u00ad"
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE}]")
# Line separators that are not "\n": CRLF, lone CR, NEL, LINE/PARAGRAPH SEPARATOR.
_LINE_BREAKS = r"\r\x85\u2028\u2029"
_LINE_BREAK_RE = re.compile(rf"\r\n|[{_LINE_BREAKS}]")
# C0 controls other than tab and newline (which the rules above turn into spaces and line breaks), and DEL.
_CONTROLS = r"\x00-\x08\x0e-\x1f\x7f"
_CONTROL_RE = re.compile(f"[{_CONTROLS}]")
_SPACE_RUN_RE = re.compile(r" {2,}")
_BLANK_LINES_RE = re.compile(r"\n{3,}")
# Any character one of the four rules above changes or removes. Most text has none (it was cleaned once
# already): one search for them lets such text skip the four substitutions and the second NFC.
_NEEDS_CLEANING_RE = re.compile(f"[{_ODD_SPACES}{_INVISIBLE}{_LINE_BREAKS}{_CONTROLS}]")


def _clean_spaces(s: str) -> str:
    """NFC; invisible characters removed; odd spaces to " " and odd line breaks to "\\n"."""
    s = unicodedata.normalize("NFC", s)
    if _NEEDS_CLEANING_RE.search(s) is None:
        return s
    s = _INVISIBLE_RE.sub("", s)
    # Removing a zero-width char can leave a base letter next to a combining mark that NFC
    # had to leave alone, so normalise again after it.
    s = unicodedata.normalize("NFC", s)
    s = _LINE_BREAK_RE.sub("\n", s)
    s = _CONTROL_RE.sub("", s)  # NUL and other C0 controls carry no text (and would make false versions)
    return _ODD_SPACES_RE.sub(" ", s)


def normalize_text(s: str) -> str:
    """Normalise multi-line text: NFC, one space between words, lines stripped, newlines kept.

    At most one blank line in a row (paragraphs stay separated by ``"\\n\\n"``); the whole string is
    stripped. Idempotent.
    """
    # Space runs never cross a line break, so one pass over the whole text does every line.
    s = _SPACE_RUN_RE.sub(" ", _clean_spaces(s))
    s = "\n".join([line.strip() for line in s.split("\n")])
    return _BLANK_LINES_RE.sub("\n\n", s).strip()


def normalize_inline(s: str) -> str:
    """Normalise one-line text (titles, names): like :func:`normalize_text` but every run of whitespace,
    newlines included, becomes one space. Idempotent."""
    return " ".join(_clean_spaces(s).split())


# Folding: NFD exposes tone and vowel marks as combining characters (category Mn) which we drop;
# đ/Đ is a letter of its own, not d plus a mark, so it needs an explicit mapping.
_D_FOLD = str.maketrans({"đ": "d", "Đ": "d"})
# Above this many code points the per-character fold table stops growing (arbitrary text could otherwise
# fill it with the whole of Unicode); characters beyond it are folded on every call instead.
_FOLD_TABLE_MAX = 8192


def _fold_char(c: str) -> str:
    """One character's fold, before the final NFC: marks dropped, ``đ`` → ``d``, casefolded."""
    s = "".join(d for d in unicodedata.normalize("NFD", c.translate(_D_FOLD)) if not unicodedata.combining(d))
    s = s.casefold().translate(_D_FOLD)
    # casefold can produce new decomposable characters (e.g. "İ" → "i̇"): drop their marks too.
    return "".join(d for d in unicodedata.normalize("NFD", s) if not unicodedata.combining(d))


class _FoldTable(dict):
    """``str.translate`` table that folds each character, filled on first sight of a character.

    A table because the archive folds every article's whole body for its search index: folding a body
    through NFD and a generator over its characters costs several times as much (bench/NOTES.md).

    Folding character by character gives the same string as folding the whole text: NFD decomposes
    each character on its own and only reorders combining marks (which are all dropped), and casefold
    maps code points one at a time."""

    def __missing__(self, code: int) -> str:
        folded = _fold_char(chr(code))
        if len(self) < _FOLD_TABLE_MAX:
            self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable()


def fold_key(s: str) -> str:
    """A matching / search key: marks removed, ``đ`` → ``d``, casefolded, whitespace collapsed.

    ``hoà`` / ``hòa`` and ``thuỷ`` / ``thủy`` (the two tone placements that survive NFC) fold alike,
    as do ``xây dựng Đảng`` and ``XAY DUNG DANG``. Never store the key in place of the text. Idempotent.
    """
    s = normalize_inline(s)
    if s.isascii():
        # Nothing to decompose, and casefold is lower() on ASCII; normalize_inline already collapsed
        # the whitespace.
        return s.lower()
    # NFC last: dropping marks can leave characters that compose (it is not per character).
    s = unicodedata.normalize("NFC", s.translate(_FOLD_TABLE))
    return " ".join(s.split())


# C0 controls other than tab, LF and CR, and DEL: lxml and nh3 refuse them in markup, and they carry no text.
MARKUP_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MARKUP_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])


def drop_markup_controls(html: str) -> str:
    """``html`` without C0 controls other than tab, LF and CR, and without DEL."""
    return MARKUP_CONTROL_RE.sub("", html)


# ---------------------------------------------------------------------------------------------------
# Byte decoding

# `<meta charset="x">` or `<meta http-equiv="content-type" content="text/html; charset=x">`, in bytes.
_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_META_SCAN_BYTES = 2048
# Single-byte encodings whose every (or almost every) byte decodes: bytes that are valid UTF-8 with
# multibyte sequences are far more likely UTF-8 mislabelled than real text in these.
_SINGLE_BYTE = frozenset({"cp1258", "cp1252", "iso8859-1", "iso8859-15", "ascii"})
# Letters only Vietnamese uses (Latin Extended Additional block plus ă â đ ê ô ơ ư): a decoding that
# produces them from non-UTF-8 bytes is a Vietnamese legacy encoding read right.
_VIETNAMESE_LETTER_RE = re.compile(r"[\u1ea0-\u1ef9ăâđêôơưĂÂĐÊÔƠƯ]")
_NON_ASCII_RE = re.compile(rb"[\x80-\xff]")


def _codec_name(label: str | None) -> str | None:
    """Python's canonical codec name for a charset label, or None when unknown / empty."""
    if not label:
        return None
    try:
        return codecs.lookup(label.strip().strip("\"'")).name
    except (LookupError, ValueError):
        return None


def _strict_decode(body: bytes, codec: str) -> str | None:
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _valid_utf8_with_multibyte(body: bytes) -> bool:
    return _NON_ASCII_RE.search(body) is not None and _strict_decode(body, "utf-8") is not None


def _meta_charset(body: bytes) -> str | None:
    match = _META_CHARSET_RE.search(body[:_META_SCAN_BYTES])
    return _codec_name(match.group(1).decode("ascii", "replace")) if match else None


def _vietnamese_score(text: str) -> int:
    return len(_VIETNAMESE_LETTER_RE.findall(unicodedata.normalize("NFC", text)))


def _detect(body: bytes) -> tuple[str, str]:
    """Guess the encoding of undeclared or mislabelled bytes; see :func:`decode_html` for the order."""
    # A BOM is definite.
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if body.startswith(bom):
            text = _strict_decode(body, codec)
            if text is not None:
                return text, codecs.lookup(codec).name
    # The page's own meta charset, under the same UTF-8 rule as a declared header.
    meta = _meta_charset(body)
    if meta is not None:
        if meta in _SINGLE_BYTE and _valid_utf8_with_multibyte(body):
            return body.decode("utf-8"), "utf-8"
        text = _strict_decode(body, meta)
        if text is not None:
            return text, meta
    # Valid UTF-8 is almost never an accident for non-ASCII bytes.
    text = _strict_decode(body, "utf-8")
    if text is not None:
        return text, "utf-8"
    # Legacy bytes: let bs4's detector (which asks charset-normalizer/chardet when installed) propose,
    # add Windows-1258 (which detectors rarely propose) and keep the candidate that reads as the most
    # Vietnamese; ties go to the earlier candidate.
    # (Imported here: only legacy bytes need it, and bs4 costs ~0.1 s of CPU to import in every process.)
    from bs4.dammit import EncodingDetector

    candidates: list[str] = []
    detector = EncodingDetector(
        body, known_definite_encodings=[], is_html=True, user_encodings=["windows-1258"]
    )
    for label in detector.encodings:
        name = _codec_name(label)
        if name and name not in candidates:
            candidates.append(name)
    for codec in ("cp1258", "cp1252"):
        if codec not in candidates:
            candidates.append(codec)
    best: tuple[int, str, str] | None = None
    for codec in candidates:
        text = _strict_decode(body, codec)
        if text is None:
            continue
        score = _vietnamese_score(text)
        if best is None or score > best[0]:
            best = (score, text, codec)
    if best is not None:
        return best[1], best[2]
    # Nothing decodes strictly: keep what UTF-8 can read, mark the rest with U+FFFD.
    return body.decode("utf-8", "replace"), "utf-8"


def _mostly_utf8(body: bytes) -> bool:
    """Valid UTF-8 but for a few bytes (at most 1 in 1,000, at least 1 allowed)."""
    bad = body.decode("utf-8", "replace").count("\ufffd")
    return bad <= max(1, len(body) // 1000)


def decode_html(body: bytes, declared_charset: str | None, *, nfc: bool = True) -> tuple[str, str]:
    """Decode a page's bytes; return ``(text in NFC, Python codec name used)``, e.g. ``"utf-8"``, ``"cp1258"``.

    Order:

    1. The declared charset (HTTP header) wins when the bytes decode cleanly with it — except that bytes
       declared as a single-byte encoding (Windows-1258/1252, Latin-1, ASCII) which are valid UTF-8 with
       multibyte sequences are UTF-8 (a mislabelled server, common on old portals).
    2. Otherwise (nothing declared, unknown label, or bytes that do not decode): a BOM; the page's
       ``<meta charset>`` in the first 2 KB; UTF-8 if valid; then bs4's ``EncodingDetector`` candidates plus
       Windows-1258 and Windows-1252, keeping the one that yields the most Vietnamese letters.
    3. Never raises: as a last resort UTF-8 with replacement characters.

    Windows-1258 decodes tones to combining marks; the result is NFC-normalised so it compares equal to
    the same text read from UTF-8. ``nfc=False`` leaves that to the caller: the extractor normalises the
    few fields it takes instead of the whole page (most of which is script and style).
    """
    declared = _codec_name(declared_charset)
    text: str | None = None
    used = ""
    if declared is not None:
        if declared in _SINGLE_BYTE and _valid_utf8_with_multibyte(body):
            text, used = body.decode("utf-8"), "utf-8"
        else:
            text = _strict_decode(body, declared)
            used = declared
    if text is None and "utf-8" in (declared, _codec_name(_meta_charset(body))) and _mostly_utf8(body):
        # A UTF-8 page with a stray invalid byte stays UTF-8: one bad byte must not turn the whole page
        # into Windows-1258 mojibake.
        text, used = body.decode("utf-8", "replace"), "utf-8"
    if text is None:
        text, used = _detect(body)
    # A UTF-8 BOM read by a plain "utf-8" decode survives as U+FEFF: it is not text.
    text = text.removeprefix("\ufeff")
    return (unicodedata.normalize("NFC", text) if nfc else text), used
