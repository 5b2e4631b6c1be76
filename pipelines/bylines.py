"""Bylines, sources and photo credits of Vietnamese news articles.

Forms (the byline is the article's last short paragraph)::

    Minh Trí                      bare name
    Tin, ảnh: Minh Trí            writer who also took the photos (→ photo_credits too)
    Bài và ảnh: X · Bài, ảnh: X · Tin: X · Bài: X · Bài: X - Ảnh: Y
    Minh Trí - Thanh Dung         two writers (also "–", ",", "và")
    THANH DUNG · ĐỨC ANH          all caps → "Thanh Dung", "Đức Anh"
    B.NG · T.H                    initials, kept as written
    PV · NHÓM PV · Nhóm phóng viên   roles, not names
    Theo Báo Người Lao Động · Theo TTXVN · Nguồn: Báo Sài Gòn Giải Phóng   source, not a writer

A long paragraph is never a byline: ``Theo kế hoạch, năm 2024 Ban Quản lý sẽ …`` is body text.
Pure functions, no Scrapy.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from pipelines.dates import is_date_line
from pipelines.furniture import is_furniture_text, is_related_label
from pipelines.text import fold_key, normalize_inline

__all__ = [
    "Byline",
    "is_byline_block",
    "names_a_place",
    "normalize_name",
    "parse_byline",
    "photo_credit",
    "split_byline",
]


@dataclass(frozen=True)
class Byline:
    """A parsed byline. ``authors``: writers' names (NFC, all-caps names title-cased); ``source``: the
    outlet named by ``Theo …`` / ``Nguồn: …``; ``roles``: ``PV`` / ``Nhóm PV`` / ``CTV`` / ``BBT`` when
    the paper signs with a role instead of a name; ``photo_credits``: names credited for photos."""

    authors: tuple[str, ...] = ()
    source: str | None = None
    roles: tuple[str, ...] = ()
    photo_credits: tuple[str, ...] = ()

    @property
    def is_source_only(self) -> bool:
        return self.source is not None and not (self.authors or self.roles or self.photo_credits)


# --- names -----------------------------------------------------------------------------------------

_VOWELS = "aăâeêioôơuưy"
# A Vietnamese syllable (on the NFD-stripped, casefolded form): optional onset, 1-3 vowels, optional
# coda. Upper-case words that are syllables are names to title-case (THANH → Thanh); the others are
# acronyms or initials and stay as written (TTXVN, TL, NG, HCM).
_SYLLABLE_RE = re.compile(
    rf"^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x)?[{_VOWELS}]{{1,3}}"
    r"(?:ng|nh|ch|c|m|n|p|t)?$"
)
_WHITESPACE_RE = re.compile(r"\s+")
_MARKS_RE = re.compile(r"[\u0300-\u036f]")


def _base_letters(word: str) -> str:
    """Casefolded word with tone marks removed but ă â ê ô ơ ư đ kept as letters of their own."""
    decomposed = unicodedata.normalize("NFD", word.casefold())
    # Keep breve (U+0306), circumflex (U+0302) and horn (U+031B): they make distinct vowels.
    kept = "".join(c for c in decomposed if not _MARKS_RE.match(c) or c in "\u0306\u0302\u031b")
    return unicodedata.normalize("NFC", kept)


# Cached: the same few thousand syllables come back in every byline and name, and taking the marks off
# (NFD, a regex per character, NFC) costs far more than the look-up.
@lru_cache(maxsize=8192)
def _is_syllable(word: str) -> bool:
    return _SYLLABLE_RE.match(_base_letters(word)) is not None


def normalize_name(name: str) -> str:
    """A person's name as the archive stores it: NFC, whitespace collapsed; an all-caps name
    title-cased word by word the Vietnamese way (``ĐỨC ANH`` → ``Đức Anh``), except words that are not
    Vietnamese syllables (initials ``B.NG``, acronyms ``TTXVN``), which stay as written. Mixed-case
    names are kept exactly as written. Idempotent."""
    name = normalize_inline(name)
    if not name.isupper():
        return name
    words = [w.capitalize() if w.isalpha() and _is_syllable(w) else w for w in name.split(" ")]
    return normalize_inline(" ".join(words))


_MAX_INITIAL_LETTERS = 4


def _is_name_word(word: str) -> bool:
    """Capitalised (``Trí``, ``Đức``), ALL CAPS (``TRÍ``), or initials (``B.NG``, ``T.H``, ``Ng.``).

    Uses str methods rather than character ranges: Vietnamese capitals and small letters alternate
    inside one Unicode block (U+1EA0–U+1EF9), so ``[Ạ-Ỹ]`` would accept both.
    """
    if word.isalpha():
        return word.isupper() or (word[0].isupper() and (len(word) == 1 or word[1:].islower()))
    parts = word.split(".")
    if len(parts) < 2 or not parts[0]:
        return False
    return all(not p or (p.isalpha() and p[0].isupper() and len(p) <= _MAX_INITIAL_LETTERS) for p in parts)


_MAX_NAME_WORDS = 5
_MAX_WRITERS = 4
# Lower-case words that occur in headings and prose but never in a person's name: a capitalised
# "Các" or "Của" in a short last paragraph means a heading, not a byline.
_NOT_NAME_WORDS = frozenset(
    {
        "các",
        "của",
        "và",
        "những",
        "được",
        "trong",
        "với",
        "cho",
        "tại",
        "về",
        "là",
        "có",
        "này",
        "đã",
        "sẽ",
        "theo",
        "nguồn",
        "ảnh",
        "tin",
        "bài",
        "xem",
        "thêm",
        "liên",
        "quan",
        "khác",
        "chia",
        "sẻ",
    }
)
# Short last paragraphs that are page furniture, compared on fold_key.
_NOT_BYLINES = frozenset(
    {
        "bai viet lien quan",
        "tin lien quan",
        "tin khac",
        "tin cung chuyen muc",
        "xem them",
        "chia se",
        "tu khoa",
        "tags",
        "in bai",
        "gui email",
        "ve dau trang",
        "tro ve",
        "quay lai",
        "ket luan",
        "thong bao",
        "tai lieu dinh kem",
        "file dinh kem",
        "dinh kem",
    }
)

# Roles, on fold_key, with the form the archive stores.
_ROLES = {
    "pv": "PV",
    "phong vien": "PV",
    "nhom pv": "Nhóm PV",
    "nhom phong vien": "Nhóm PV",
    "ctv": "CTV",
    "cong tac vien": "CTV",
    "nhom ctv": "Nhóm CTV",
    "bbt": "BBT",
    "ban bien tap": "BBT",
    "pv - ctv": "PV",
    "nhom thuc hien": "Nhóm thực hiện",
}
# Outlets that sign a reprint with their acronym alone as the last line.
_SOURCE_ACRONYMS = frozenset({"TTXVN", "VNA", "VOV", "VTV", "TTXVN/VIETNAM+", "VIETNAMPLUS", "CHINHPHU.VN"})


def _is_name(text: str) -> bool:
    words = text.split(" ")
    if not 1 <= len(words) <= _MAX_NAME_WORDS:
        return False
    if any(w.casefold() in _NOT_NAME_WORDS for w in words):
        return False
    return all(_is_name_word(w) for w in words)


# --- byline forms ----------------------------------------------------------------------------------

# "Tin, ảnh:", "Bài và ảnh:", "Bài - ảnh:", "Tin & ảnh:", "Tin:", "Bài:", "Ảnh:", "Thực hiện:", any case.
_LABEL_RE = re.compile(
    r"^(?P<label>(?i:(?:tin|bài)(?:\s*(?:,|-|–|&|\+|và|/)\s*ảnh)?|ảnh|thực\s+hiện|nhóm\s+thực\s+hiện))"
    r"\s*[:：]\s*(?P<rest>.+)$"
)
# A second label inside the rest: "Bài: X - Ảnh: Y", "Bài: X; ảnh: Y".
_PHOTO_PART_RE = re.compile(r"\s*(?:[-–—;,.|]|\s)\s*(?i:ảnh)\s*[:：]\s*")
_SOURCE_RE = re.compile(r"^(?P<label>(?i:theo|nguồn(?:\s+tin)?))(?:\s*[:：]\s*|\s+)(?P<rest>.+)$")
# "(Theo TTXVN)" / "(Nguồn: …)" after a name: "Minh Trí (Theo TTXVN)".
_TRAILING_SOURCE_RE = re.compile(r"^(?P<names>.+?)\s*\((?P<source>(?i:theo|nguồn)\b.+)\)$")
_NAME_SEPARATOR_RE = re.compile(r"\s+[-–—]\s+|\s*[,;]\s*|\s+(?i:và)\s+|\s*&\s*")
# Decoration around a byline: bold markers, dashes before the name, trailing punctuation.
_LEADING_JUNK_RE = re.compile(r"^[\s\-–—*_•·>]+")
_TRAILING_JUNK_RE = re.compile(r"[\s.,;:!*_]+$")
_BRACKETED_RE = re.compile(r"^[(\[](.*)[)\]]$")
_MAX_SOURCE_WORDS = 12
# Sentence punctuation followed by more words: a sentence, not a source or name.
_SENTENCE_RE = re.compile(r"[.!?…;:,]\s+\w")
_DIGIT_RE = re.compile(r"\d")
_BREAK_RE = re.compile(r"(?P<word>\w+)(?P<mark>[.!?…])\s+\w")
_PHOTO_LABEL_AHEAD_RE = re.compile(r"\s+(?i:ảnh)\s*[:：]")
# A source may carry a domain ("Theo VnExpress.net", "Theo 24h.com.vn"): digits are fine there only.
_DOMAIN_RE = re.compile(r"^[\w-]+(?:\.[a-z]{2,})+/?$", re.IGNORECASE)


# Markdown-ish bold markers left by some editors ("**Tin, ảnh:** X"): never part of a name.
_EMPHASIS_RE = re.compile(r"[*_]+")
# "Tin, ảnh :" → "Tin, ảnh:": a space before a colon or comma is left over from a closing tag.
_SPACE_BEFORE_PUNCT_RE = re.compile(r"\s+([:：,])")


def _clean(paragraph: str) -> str:
    s = normalize_inline(_EMPHASIS_RE.sub(" ", paragraph))
    s = _SPACE_BEFORE_PUNCT_RE.sub(r"\1", s)
    s = _LEADING_JUNK_RE.sub("", s)
    s = _TRAILING_JUNK_RE.sub("", s)
    match = _BRACKETED_RE.match(s)
    if match:
        s = _TRAILING_JUNK_RE.sub("", _LEADING_JUNK_RE.sub("", match.group(1)))
    return s


def _source_name(text: str, labelled: bool) -> str | None:
    """The outlet's name after ``Theo`` / ``Nguồn:``, or None when the text is a sentence.

    After ``Theo`` (no colon) the name must start with a capital: ``Theo kế hoạch …``, ``Theo đó`` are
    prose. Digits only inside a domain. Never more than 12 words nor sentence punctuation.
    """
    text = _TRAILING_JUNK_RE.sub("", text).strip()
    words = text.split(" ")
    if not text or len(words) > _MAX_SOURCE_WORDS or _SENTENCE_RE.search(text):
        return None
    if any(_DIGIT_RE.search(w) and not _DOMAIN_RE.match(w) for w in words):
        return None
    if not labelled and not (text[0].isupper() or _DOMAIN_RE.match(words[0])):
        return None
    if not labelled and any(w.casefold() in {"thì", "là", "sẽ", "đã", "được", "có"} for w in words):
        return None
    return text


@lru_cache(maxsize=4096)
def _role(part: str) -> str | None:
    """The role a names part stands for (``NHÓM PV`` → ``Nhóm PV``), or None. Cached: the same
    signatures end article after article, and each look-up folds the part."""
    return _ROLES.get(fold_key(part))


def _names(text: str) -> tuple[list[str], list[str]] | None:
    """Split a names part into (authors, roles); None when any part is neither a name nor a role."""
    parts = [p for p in _NAME_SEPARATOR_RE.split(text) if p]
    if not 1 <= len(parts) <= _MAX_WRITERS:
        return None
    authors: list[str] = []
    roles: list[str] = []
    for part in parts:
        part = _TRAILING_JUNK_RE.sub("", part)
        role = _role(part)
        if role is not None:
            roles.append(role)
        elif _is_name(part):
            authors.append(normalize_name(part))
        else:
            return None
    return authors, roles


def _dedupe(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _has_sentence_break(s: str) -> bool:
    """Sentence punctuation followed by more words (``Minh Trí. Hội nghị …``): a sentence, not a byline.

    A period after initials (``Ng. Hùng``: ``Ng`` is no syllable) and before a photo label
    (``Bài: X. Ảnh: Y``) does not count."""
    for m in _BREAK_RE.finditer(s):
        if m.group("mark") != ".":
            return True
        if _is_syllable(m.group("word")) and not _PHOTO_LABEL_AHEAD_RE.match(s, m.end("mark")):
            return True
    return False


def parse_byline(paragraph: str) -> Byline | None:
    """Parse one paragraph as a byline; None when it is not one (see the module docstring for forms)."""
    s = _clean(paragraph or "")
    if not s or len(s) > 150:
        return None
    byline = _parse_clean_byline(s)
    # Furniture and sentences are not bylines. (Tested after the parse, which rejects most paragraphs it
    # is given, sentences, for less than these two tests cost: the result is the same.)
    if byline is None or fold_key(s) in _NOT_BYLINES or _has_sentence_break(s):
        return None
    return byline


def _parse_clean_byline(s: str) -> Byline | None:
    """``parse_byline`` on a paragraph already cleaned, before its last tests."""
    source_match = _SOURCE_RE.match(s)
    if source_match:
        labelled = not source_match.group("label").casefold().startswith("theo") or ":" in s[:12]
        source = _source_name(source_match.group("rest"), labelled)
        return Byline(source=source) if source else None
    if s.upper() in _SOURCE_ACRONYMS:
        return Byline(source=s)

    source = None
    trailing = _TRAILING_SOURCE_RE.match(s)
    if trailing:
        inner = _SOURCE_RE.match(trailing.group("source"))
        source = _source_name(inner.group("rest"), True) if inner else None
        if source is None:
            return None
        s = trailing.group("names")

    label_match = _LABEL_RE.match(s)
    if label_match:
        label = fold_key(label_match.group("label"))
        rest = label_match.group("rest")
        photo_rest = None
        parts = _PHOTO_PART_RE.split(rest, maxsplit=1)
        if len(parts) == 2 and label in {"tin", "bai"}:
            rest, photo_rest = parts
        names = _names(rest)
        if names is None:
            return None
        authors, roles = names
        photos: list[str] = []
        if label == "anh":
            # A bare "Ảnh: X" as a last paragraph credits photos only.
            photos, authors = authors, []
        elif "anh" in label:
            photos = list(authors)
        if photo_rest is not None:
            photo_names = _names(photo_rest)
            if photo_names is None:
                return None
            photos.extend(photo_names[0])
        return Byline(_dedupe(authors), source, _dedupe(roles), _dedupe(photos))

    names = _names(s)
    if names is None:
        return None
    authors, roles = names
    return Byline(_dedupe(authors), source, _dedupe(roles), ())


# A writer's name or source line printed as a block of its own is short (``Đức Trung``, ``Tin, ảnh: Minh
# Thư``, ``Nguồn: Ban Quản lý``).
BYLINE_BLOCK_MAX_CHARS = 60


def is_byline_block(text: str) -> bool:
    """A block printed apart from the text that names writers (or their role) or a source and nothing
    else (``Đức Trung``, ``Nhóm PV``, ``Theo Báo Đà Nẵng``, ``Nguồn: Ban Quản lý``): the block a theme
    prints above the text or beside the date line, which the portal and learned layers move to the
    body's end, where :func:`split_byline` takes a byline from. A source line is one too: an article
    reprinted from another outlet is signed with its source alone, and a theme prints it where it
    prints a writer's name (taking writers only lost the source of such articles after a redesign)."""
    if not 0 < len(text) <= BYLINE_BLOCK_MAX_CHARS:
        return False
    if is_date_line(text) or is_furniture_text(text) or is_related_label(text):
        return False
    byline = parse_byline(text)
    return byline is not None and bool(byline.authors or byline.roles or byline.source)


# Places a dateline names (the provinces and cities, their short forms), on fold_key. A capitalised place
# reads as a bare name (``Hà Nội``, ``TP.HCM``), and a body may open with one on a line of its own.
# (One-syllable places are left out: ``Huế`` and ``Vinh`` fold like the given names ``Huệ`` and ``Vĩnh``.)
_PLACES = frozenset(
    place.strip()
    for place in """
    ha noi|tp.hcm|tp hcm|tphcm|tp. hcm|tp ho chi minh|tp. ho chi minh|thanh pho ho chi minh|ho chi minh|
    sai gon|da nang|hai phong|can tho|thua thien hue|an giang|ba ria - vung tau|ba ria vung tau|
    vung tau|bac giang|bac kan|bac lieu|bac ninh|ben tre|binh dinh|binh duong|binh phuoc|binh thuan|
    ca mau|cao bang|dak lak|dak nong|dien bien|dong nai|dong thap|gia lai|ha giang|ha nam|ha tinh|
    hai duong|hau giang|hoa binh|hung yen|khanh hoa|kien giang|kon tum|lai chau|lam dong|lang son|
    lao cai|long an|nam dinh|nghe an|ninh binh|ninh thuan|phu tho|phu yen|quang binh|quang nam|
    quang ngai|quang ninh|quang tri|soc trang|son la|tay ninh|thai binh|thai nguyen|thanh hoa|
    tien giang|tra vinh|tuyen quang|vinh long|vinh phuc|yen bai|nha trang|da lat|phu quoc|
    bien hoa|thu duc|hiep phuoc|nha be|can gio|cu chi|hoc mon|binh chanh|viet nam
    """.split("|")
)
_PLACE_PREFIX_RE = re.compile(r"^(?i:(?:tp|tỉnh|thành\s+phố|huyện|quận|xã|phường)\.?\s+)")


def names_a_place(text: str) -> bool:
    """A short block that names a province or city (``Hà Nội``, ``TP.HCM``, ``Tỉnh Long An``): a dateline
    printed on a line of its own, not a writer, though it reads like a bare name. For blocks where a
    dateline can stand (the top of a body); a byline at the end of a body is never tested against it,
    since a writer may bear a place's name (``Bình Dương``)."""
    cleaned = _clean(text or "")
    key = fold_key(cleaned)
    if key in _PLACES:
        return True
    stripped = _PLACE_PREFIX_RE.sub("", cleaned)
    return stripped != cleaned and bool(stripped)


def _merge(first: Byline, second: Byline) -> Byline:
    return Byline(
        authors=_dedupe([*first.authors, *second.authors]),
        source=first.source or second.source,
        roles=_dedupe([*first.roles, *second.roles]),
        photo_credits=_dedupe([*first.photo_credits, *second.photo_credits]),
    )


def split_byline(paragraphs: list[str]) -> tuple[list[str], str | None, Byline | None]:
    """Take the byline off the end of an article's paragraphs.

    Looks at the last non-empty paragraph and, when one of the last two is a source line (``Theo …``)
    and the other a writer's byline, at both. Returns (body paragraphs without them, the byline text
    as printed in NFC — two lines joined by ``"\\n"`` —, the merged :class:`Byline`). When the end is not
    a byline, the paragraphs come back unchanged with ``None, None``.
    """
    indexed = [(i, p) for i, p in enumerate(paragraphs) if p and p.strip()]
    if not indexed:
        return list(paragraphs), None, None
    last_i, last_text = indexed[-1]
    last = parse_byline(last_text)
    if last is None:
        return list(paragraphs), None, None
    used = [(last_i, last_text)]
    merged = last
    if len(indexed) >= 2:
        prev_i, prev_text = indexed[-2]
        prev = parse_byline(prev_text)
        if prev is not None and prev.is_source_only != last.is_source_only:
            used.insert(0, (prev_i, prev_text))
            merged = _merge(prev, last)
    raw = "\n".join(unicodedata.normalize("NFC", text).strip() for _, text in used)
    body = list(paragraphs[: used[0][0]])
    return body, raw, merged


# "(Ảnh: Minh Trí)", "Ảnh: THANH DUNG", "… doanh nghiệp. Ảnh: Internet", "(Ảnh: TL)".
_CAPTION_CREDIT_RE = re.compile(
    r"(?:^|[\s(\[.–—-])(?i:ảnh)\s*[:：]\s*(?P<credit>[^()\[\]\n]+?)\s*[)\]]?\s*[.]?\s*$"
)


# Between several credited names; kept in the output, the names themselves normalised.
_CREDIT_SEPARATOR_RE = re.compile(r"(\s+[-–—]\s+|\s*,\s*)")


def photo_credit(caption: str) -> str | None:
    """The photo credit in an image caption, or None (``Ảnh minh họa`` has none).

    The credit is the text after the last ``Ảnh:``, kept as written except that all-caps names are
    title-cased the Vietnamese way (``THANH DUNG`` → ``Thanh Dung``); non-names such as ``Internet`` or
    ``TL`` (tư liệu, archive photo) stay as they are. Several names stay one string (``Minh Trí - Thanh
    Dung``)."""
    s = normalize_inline(caption or "")
    match = _CAPTION_CREDIT_RE.search(s)
    if not match:
        return None
    credit = _TRAILING_JUNK_RE.sub("", match.group("credit")).strip()
    if not credit or len(credit.split(" ")) > 2 * _MAX_NAME_WORDS:
        return None
    parts = _CREDIT_SEPARATOR_RE.split(credit)
    return "".join(p if i % 2 else normalize_name(p) for i, p in enumerate(parts)) or None
