"""How much a change matters: a score with the factors that make it (docs/significance.md).

Plain Python over two versions' content (the ``pipelines.model.CONTENT_FIELDS`` mapping that
:class:`archive.reading.Version` holds), so the crawl's writer, the schema's backfill, the alerts and the
pages can all use it. A reader should see *why* a change ranks where it does, so the score is nothing but
the sum of its factors' weights, and each factor names what it found (``74,28 → 72,48``).

The factors, heaviest first: the article removed; figures changed; cited documents added or removed;
dates changed; names of people or bodies changed; attachments removed; the title changed; links
removed; how much of the text changed; other wording; attachments, links, images added; a typo; and,
lowest, edits of punctuation, spacing, case or tone-mark placement (``hòa`` → ``hoà``) only.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from archive.diffs import word_diff
from pipelines.docrefs import citation_spans, find_document_refs
from pipelines.text import fold_key

# Bumped whenever a weight or a rule changes, so stored scores say which rules made them.
METHOD = "1"

# Weight of each factor, heaviest first (docs/significance.md lists them in this order).
WEIGHTS: dict[str, int] = {
    "removed": 100,
    "numbers": 40,
    "documents": 35,
    "dates": 30,
    "names": 25,
    "attachments_removed": 25,
    "title": 20,
    "links_removed": 15,
    "text_share": 30,  # times the share of the body's words that changed (0 to 1)
    "wording": 5,
    "attachments_added": 8,
    "source": 8,
    "links_added": 4,
    "images": 4,
    "typo": 2,
    "cosmetic": 1,
}
MAX_SCORE = 100


@dataclass(frozen=True)
class Factor:
    """One reason a change matters: its name (a key of :data:`WEIGHTS`), the points it adds, and what was
    found (``74,28 → 72,48``)."""

    name: str
    weight: int
    detail: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "weight": self.weight, "detail": self.detail}


@dataclass(frozen=True)
class Significance:
    """A change's score (0 to :data:`MAX_SCORE`, the capped sum of its factors' weights) and its factors,
    heaviest first."""

    score: int
    factors: tuple[Factor, ...] = field(default_factory=tuple)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.factors)

    def text(self) -> str:
        """``41: numbers (74,28 → 72,48); text_share 1 (2%)`` for one line of ``hepza history``."""
        parts = [f"{f.name} {f.weight}" + (f" ({f.detail})" if f.detail else "") for f in self.factors]
        return f"{self.score}: " + ("; ".join(parts) if parts else "nothing changed")

    def factors_json(self) -> str:
        return json.dumps([f.as_dict() for f in self.factors], ensure_ascii=False)

    @classmethod
    def from_stored(cls, score: int | None, factors: str | None) -> Significance | None:
        """A stored score (``version_significance``) back as a record; None when none was stored."""
        if score is None:
            return None
        try:
            items = json.loads(factors) if factors else []
        except ValueError:
            items = []
        return cls(
            int(score),
            tuple(
                Factor(str(i.get("name")), int(i.get("weight") or 0), str(i.get("detail") or ""))
                for i in items
                if isinstance(i, dict)
            ),
        )


# --- what the text holds ------------------------------------------------------------------------------

# Dates as Vietnamese text writes them: 18/5/2021, 18-5-2021, ngày 18 tháng 5 năm 2021, tháng 5/2021.
_DATE_RE = re.compile(
    r"\b(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4})\b"
    r"|\bngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})(?:\s+năm\s+(\d{4}))?"
    r"|\btháng\s+(\d{1,2})[/\-](\d{4})\b"
    r"|\bngày\s+(\d{1,2})[/\-](\d{1,2})\b(?![/\-.]\d)",
    re.IGNORECASE,
)
# Figures: Vietnamese thousands dots and decimal comma (1.284,5), English ones (1,284.5), plain digits.
_NUMBER_RE = re.compile(r"(?<![\w.,])\d[\d.,]*(?<![.,])(?!\w)")
_VI_THOUSANDS_RE = re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d+)?$")
_EN_THOUSANDS_RE = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
# The unit after a figure: a percentage, a multiplier (triệu, tỷ…) and a currency or measure.
_UNIT_RE = re.compile(
    r"\s*(?:%|(?:nghìn|ngàn|triệu|tỷ|tỉ)(?:\s+(?:USD|đồng|VNĐ|VND|đô la))?|USD|đồng|VNĐ|VND|ha|m2|km|tấn)(?!\w)",
    re.IGNORECASE,
)
_WORD_RE = re.compile(r"\w+", re.UNICODE)
# Words that start the name of a body, whatever follows (``Ban Quản lý``, ``Sở Công Thương``).
_BODY_PREFIXES = frozenset(
    fold_key(w)
    for w in (
        "Sở",
        "Ban",
        "Bộ",
        "Cục",
        "Chi cục",
        "Tổng cục",
        "UBND",
        "HĐND",
        "Ủy ban",
        "Uỷ ban",
        "Hội đồng",
        "Công ty",
        "Tập đoàn",
        "Đảng ủy",
        "Đảng uỷ",
        "Thành ủy",
        "Thành uỷ",
        "Phòng",
        "Trung tâm",
        "Khu",
    )
)
# Family names: a capitalised run at the start of a sentence that begins with one is a person's name.
_SURNAMES = frozenset(
    fold_key(w)
    for w in "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Trương Đinh Lâm".split()
)
# Tone marks: their placement within a syllable (hòa / hoà) is a spelling convention, not a change.
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
# The vowel pairs whose tone two conventions place differently (hòa / hoà), ending a syllable.
_TONE_PAIR_RE = re.compile(r"(?<![qQ])(?:[oO][aAeE]|[uU][yY])$")


@lru_cache(maxsize=65536)
def tone_key(word: str) -> str:
    """A word with its tone mark where the older convention puts it in ``oa``, ``oe``, ``uy`` at the end
    of a syllable: ``hoà`` and ``hòa`` both give ``hòa``, ``thuỷ`` and ``thủy`` both ``thủy``; ``hoa`` and
    every other word stay as they are (NFC)."""
    decomposed = unicodedata.normalize("NFD", word)
    tones = [c for c in decomposed if c in _TONES]
    if len(tones) != 1:
        return unicodedata.normalize("NFC", word)
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    pair = _TONE_PAIR_RE.search(base)
    if not pair:
        return unicodedata.normalize("NFC", word)
    at = pair.start() + 1
    return unicodedata.normalize("NFC", base[:at] + tones[0] + base[at:])


def _plain(text: str) -> str:
    """The text without punctuation, spacing, case or tone placement, figures by value: what a cosmetic
    edit (``1.284,5`` → ``1284,5``, ``hòa`` → ``hoà``, a comma) leaves alone."""
    text = _NUMBER_RE.sub(lambda m: str(_number_value(m.group()) or m.group()), text or "")
    return " ".join(tone_key(w.casefold()) for w in _WORD_RE.findall(text))


def _number_value(token: str) -> Decimal | None:
    """A figure's value: ``1.284,5`` (Vietnamese), ``1,284.5`` (English), ``74,28`` and ``1284`` alike."""
    if _VI_THOUSANDS_RE.match(token):
        token = token.replace(".", "").replace(",", ".")
    elif _EN_THOUSANDS_RE.match(token):
        token = token.replace(",", "")
    elif token.count(",") == 1 and "." not in token:
        token = token.replace(",", ".")  # 74,28: the decimal comma
    elif token.count(".") > 1 or token.count(",") > 1:
        token = token.replace(".", "").replace(",", "")  # 1.284.500 or 1,284,500
    try:
        return Decimal(token).normalize()
    except InvalidOperation:
        return None


def _masked(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """The text with the spans blanked (a date or a document number is not a figure)."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _dates(text: str) -> Counter:
    """The dates a text names (a cited document's issuing date left out: the document is the change)."""
    found: Counter = Counter()
    for m in _DATE_RE.finditer(_masked(text, citation_spans(text))):
        g = m.groups()
        day, month, year = (g[0], g[1], g[2]) if g[0] else (g[3], g[4], g[5]) if g[3] else (None, g[6], g[7])
        if g[8]:
            day, month, year = g[8], g[9], None
        found[(int(day) if day else None, int(month), int(year) if year else None)] += 1
    return found


def _figures(text: str) -> tuple[Counter, dict[tuple[Decimal, str], str]]:
    """The figures of a text by value and unit (dates and document numbers left out), each with its count,
    and each as first written."""
    text = text or ""
    spans = [m.span() for m in _DATE_RE.finditer(text)] + citation_spans(text)
    found: Counter = Counter()
    written: dict[tuple[Decimal, str], str] = {}
    masked = _masked(text, spans)
    for m in _NUMBER_RE.finditer(masked):
        value = _number_value(m.group())
        if value is None:
            continue
        unit = _UNIT_RE.match(masked, m.end())
        key = (value, " ".join(fold_key(unit.group()).split()) if unit else "")
        found[key] += 1
        written.setdefault(key, masked[m.start() : unit.end()].strip() if unit else m.group())
    return found, written


def numbers(text: str) -> Counter:
    """The figures of a text as (value, unit) (``1.284,5 triệu USD`` and ``1284,5 triệu USD`` are one,
    ``1.284,5 tỷ đồng`` another), each with its count."""
    return _figures(text)[0]


def names(text: str) -> Counter:
    """Runs of two or more capitalised words (``Nguyễn Văn Hùng``, ``Sở Công Thương``, ``UBND TP.HCM``),
    keyed with one tone placement (:func:`tone_key`). A sentence's first word is left out of a run unless
    it starts a name; punctuation ends a run; cited documents' symbols are no names."""
    found: Counter = Counter()
    text = _masked(text or "", citation_spans(text or ""))
    for sentence in re.split(r"(?<=[.!?:;…])\s+|\n+", text):
        tokens = re.findall(r"\w[\w.]*|[^\w\s]", sentence)
        run: list[str] = []
        for index, token in enumerate([*tokens, ","]):
            if token[:1].isupper():
                key = fold_key(token)
                if index > 0 or run or key in _BODY_PREFIXES or key in _SURNAMES:
                    run.append(token.rstrip("."))
                continue
            if len(run) >= 2:
                found[" ".join(tone_key(w) for w in run)] += 1
            run = []
    return found


def document_numbers(text: str) -> set[str]:
    """The numbers of the documents a text cites (``35/2022/NĐ-CP``)."""
    return {ref.number for ref in find_document_refs(text or "")}


# --- comparing two versions -----------------------------------------------------------------------------


def _show(values: Iterable[Any], limit: int = 3) -> str:
    items = [str(v) for v in values]
    shown = ", ".join(items[:limit])
    return shown + (f" (+{len(items) - limit})" if len(items) > limit else "")


def _counter_change(old: Counter, new: Counter) -> tuple[list, list]:
    return list((old - new).elements()), list((new - old).elements())


def _change_detail(removed: Sequence, added: Sequence, fmt=str) -> str:
    left = _show(fmt(v) for v in removed) or "—"
    right = _show(fmt(v) for v in added) or "—"
    return f"{left} → {right}"


def _date_text(date: tuple) -> str:
    return "/".join(str(p) for p in date if p is not None)


def _word_changes(old: str, new: str) -> tuple[list[str], list[str]]:
    """Words removed and added by the edit (tone placement, case and punctuation set aside)."""
    runs = word_diff(_plain(old), _plain(new))
    removed = [w for op, text in runs if op == "-" for w in text.split()]
    added = [w for op, text in runs if op == "+" for w in text.split()]
    return removed, added


def _common_length(a: str, b: str) -> int:
    """The length of the common start of two strings (by halving: slices compare in C)."""
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


# Where a window around an edit may start or end: a paragraph or a sentence boundary.
_BOUNDARY_RE = re.compile(r"\n|[.!?;…]\s")


def _edited_window(old: str, new: str) -> tuple[str, str]:
    """The stretch of each text that the edit touched, widened to whole sentences. The text around it is
    the same on both sides, so whatever it holds (figures, names, dates, documents) cancels out: scoring
    the window gives the score of the whole, at the cost of the edit, not of the article (a one-word edit
    of a 15,000-word article)."""
    start = _common_length(old, new)
    end = _common_length(old[start:][::-1], new[start:][::-1])
    cut = max((m.end() for m in _BOUNDARY_RE.finditer(old, 0, start)), default=0)
    old_end, new_end = len(old) - end, len(new) - end
    after = _BOUNDARY_RE.search(old, old_end)
    grow = (after.start() - old_end) if after else end
    return old[cut : old_end + grow], new[cut : new_end + grow]


def _is_typo(removed: list[str], added: list[str]) -> bool:
    """One or two words each replaced by a near spelling (``đầ tư`` → ``đầu tư``), nothing else."""
    if not removed or len(removed) != len(added) or len(removed) > 2:
        return False
    return all(
        difflib.SequenceMatcher(a=fold_key(a), b=fold_key(b)).ratio() >= 0.6
        for a, b in zip(removed, added, strict=True)
    )


def _as_list(value: Any) -> list:
    """A list field as a list, whether decoded (a record, a :class:`archive.reading.Version`) or stored
    (JSON text of a row); NULL or unreadable: empty."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return []
    return list(value) if isinstance(value, list | tuple) else []


def _items(value: Any, key: str) -> set[str]:
    """The URLs (or another key) of a list field's items, as a set."""
    out = set()
    for item in _as_list(value):
        if isinstance(item, Mapping):
            if item.get(key):
                out.add(str(item[key]))
        elif item:
            out.add(str(item))
    return out


def significance(
    old: Mapping[str, Any] | None, new: Mapping[str, Any] | None, *, removed: bool = False
) -> Significance:
    """The significance of the change from content ``old`` to ``new`` (mappings of content fields:
    ``title``, ``body_text``, ``authors``, ``published_at``, ``event_date``, ``source``,
    ``attachments``, ``links``, ``images``…). ``removed`` (or ``new`` None) scores the article's removal."""
    if removed or new is None:
        return Significance(
            WEIGHTS["removed"], (Factor("removed", WEIGHTS["removed"], "the article was removed"),)
        )
    old = old or {}
    found: list[Factor] = []

    def add(name: str, detail: str = "", weight: int | None = None) -> None:
        found.append(Factor(name, WEIGHTS[name] if weight is None else weight, detail))

    old_title, new_title = str(old.get("title") or ""), str(new.get("title") or "")
    old_body, new_body = str(old.get("body_text") or ""), str(new.get("body_text") or "")
    body_words = max(len(_WORD_RE.findall(old_body)), len(_WORD_RE.findall(new_body)), 1)
    old_body, new_body = _edited_window(old_body, new_body)
    old_text, new_text = f"{old_title}\n{old_body}", f"{new_title}\n{new_body}"

    (old_figures, old_written), (new_figures, new_written) = _figures(old_text), _figures(new_text)
    gone, came = _counter_change(old_figures, new_figures)
    if gone or came:
        add("numbers", _change_detail([old_written[v] for v in gone], [new_written[v] for v in came]))
    docs_old, docs_new = document_numbers(old_text), document_numbers(new_text)
    if docs_old != docs_new:
        add("documents", _change_detail(sorted(docs_old - docs_new), sorted(docs_new - docs_old)))
    gone, came = _counter_change(_dates(old_text), _dates(new_text))
    date_fields = [n for n in ("published_at", "event_date") if (old.get(n) or None) != (new.get(n) or None)]
    if gone or came or date_fields:
        details = [_change_detail(gone, came, _date_text)] if gone or came else []
        details += [f"{n}: {old.get(n) or '—'} → {new.get(n) or '—'}" for n in date_fields]
        add("dates", "; ".join(details))
    # Text whose words are the same but for case, punctuation and tone placement names no one new: a
    # word put in capitals (công → CÔNG) is no new name.
    same_words = _plain(old_text) == _plain(new_text)
    gone, came = ([], []) if same_words else _counter_change(names(old_text), names(new_text))
    authors_old, authors_new = _as_list(old.get("authors")), _as_list(new.get("authors"))
    if gone or came or authors_old != authors_new:
        details = [_change_detail(gone, came)] if gone or came else []
        if authors_old != authors_new:
            details.append(f"authors: {', '.join(authors_old) or '—'} → {', '.join(authors_new) or '—'}")
        add("names", "; ".join(details))

    files_old, files_new = _items(old.get("attachments"), "url"), _items(new.get("attachments"), "url")
    if files_old - files_new:
        add("attachments_removed", _show(sorted(files_old - files_new)))
    if files_new - files_old:
        add("attachments_added", _show(sorted(files_new - files_old)))
    links_old, links_new = _items(old.get("links"), "url"), _items(new.get("links"), "url")
    if links_old - links_new:
        add("links_removed", _show(sorted(links_old - links_new)))
    if links_new - links_old:
        add("links_added", _show(sorted(links_new - links_old)))
    if _items(old.get("images"), "src") != _items(new.get("images"), "src"):
        add("images")
    if (old.get("source") or None) != (new.get("source") or None):
        add("source", f"{old.get('source') or '—'} → {new.get('source') or '—'}")

    title_removed, title_added = _word_changes(old_title, new_title)
    body_removed, body_added = _word_changes(old_body, new_body)
    words_changed = bool(title_removed or title_added or body_removed or body_added)
    facts = {"numbers", "documents", "dates", "names"} & {f.name for f in found}
    if title_removed or title_added:
        if not facts and not body_removed and not body_added and _is_typo(title_removed, title_added):
            add("typo", _change_detail(title_removed, title_added))
        else:
            add("title", f"{old_title} → {new_title}")
    if body_removed or body_added:
        if not facts and _is_typo(body_removed, body_added):
            add("typo", _change_detail(body_removed, body_added))
        else:
            share = max(len(body_removed), len(body_added)) / body_words
            weight = round(WEIGHTS["text_share"] * min(share, 1.0))
            if weight:
                add("text_share", f"{share:.0%} of the words", weight)
            if not facts:
                add("wording", _change_detail(body_removed, body_added))
    if not found and not words_changed and (old_text != new_text):
        add("cosmetic", "punctuation, spacing, case or tone-mark placement only")
    found.sort(key=lambda f: (-f.weight, list(WEIGHTS).index(f.name)))
    return Significance(min(MAX_SCORE, sum(f.weight for f in found)), tuple(found))


# --- template edits ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeGroup:
    """Changes that made the same edit: ``members`` are the keys given to :func:`group_changes`;
    ``template`` is True when the edit reached enough articles to be the portal's template or footer."""

    edit: tuple[tuple[str, str], ...]
    members: tuple[Hashable, ...]
    template: bool


def edit_fingerprint(old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """What an edit removed and added (the changed runs of its title and body), without the text around:
    the same footer line changed in two articles gives the same fingerprint."""
    old = old or {}
    out = []
    for name in ("title", "body_text"):
        runs = word_diff(str(old.get(name) or ""), str(new.get(name) or ""))
        out += [(f"{name}{op}", " ".join(text.split())) for op, text in runs if op != "=" and text.strip()]
    return tuple(out)


def group_changes(
    changes: Iterable[tuple[Hashable, Mapping[str, Any] | None, Mapping[str, Any]]], *, min_articles: int = 3
) -> list[ChangeGroup]:
    """Changes of one run, ``(key, old content, new content)`` each, grouped by identical edit: a group of
    ``min_articles`` or more is a template edit (one event, not one per article); every other change is a
    group of its own. Groups come in the order of their first member."""
    by_edit: dict[tuple, list[Hashable]] = {}
    for key, old, new in changes:
        fingerprint = edit_fingerprint(old, new)
        by_edit.setdefault(fingerprint or (("key", repr(key)),), []).append(key)
    groups = []
    for edit, members in by_edit.items():
        if len(members) >= min_articles and edit[0][0] != "key":
            groups.append(ChangeGroup(edit, tuple(members), True))
        else:
            groups += [ChangeGroup(edit, (member,), False) for member in members]
    return groups
