"""How a changed field of an article is shown on the history and compare pages.

Three kinds of field, three ways to read them:

- **text** (title, body): a word diff (archive/diffs.py: NFC words, tone marks never cut off their
  letter), inline (removed words struck out, added ones highlighted, in one text) or side by side (the old
  paragraph beside the new one, unchanged paragraphs folded away);
- **values** (authors, photo credits, source, dates): ``old → new`` whole, as a reader compares a byline,
  never a word diff of a name or of a JSON list;
- **items** (images, attachments, links): the items removed and added, each whole.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from dataclasses import field as _default

import markupsafe

from archive.diffs import COARSE_NOTE, Diff, mark_change, render, summarize, word_diff
from pipelines.model import CONTENT_FIELDS

TEXT = ("title", "body_text")
VALUES = ("authors", "photo_credits", "source", "published_at", "event_date")
ITEMS = ("images", "attachments", "links")
VIEWS = ("inline", "side")
# Unchanged paragraphs kept beside a changed one in the side-by-side view (when not showing everything).
_SIDE_CONTEXT_ROWS = 1


@dataclass
class SideRow:
    """One row of a side-by-side diff: the old and new HTML of a paragraph, or ``folded`` unchanged ones."""

    old: markupsafe.Markup = markupsafe.Markup("")
    new: markupsafe.Markup = markupsafe.Markup("")
    changed: bool = False
    folded: int = 0


@dataclass
class FieldView:
    """A changed field ready for the template: ``kind`` is ``text``, ``values`` or ``items``."""

    field: str
    kind: str
    summary: str
    inline: markupsafe.Markup | None = None
    rows: list[SideRow] = _default(default_factory=list)
    old_values: list[str] = _default(default_factory=list)
    new_values: list[str] = _default(default_factory=list)
    removed: list[str] = _default(default_factory=list)
    added: list[str] = _default(default_factory=list)
    coarse: bool = False
    # Changes a reader could miss: ``tone mark moved`` (Hòa → Hoà), ``diacritics changed``, ``capitals
    # changed`` (archive/diffs.py mark_change), said beside the field.
    notes: list[str] = _default(default_factory=list)

    @property
    def explained(self) -> list[tuple[str, str]]:
        """The notes with what each means."""
        return [(note, NOTE_MEANINGS.get(note, "")) for note in self.notes]


# What each note means, for the reader (the note's tooltip).
NOTE_MEANINGS = {
    "tone mark moved": "The same letters and marks, the tone mark on another vowel (hòa / hoà: the old and "
    "the new placement rule): the same word.",
    "diacritics changed": "The same letters with other marks (Hà / Hạ, Đảng / Đăng): another word.",
    "capitals changed": "The same word with other capitals.",
}


def _notes(pairs) -> list[str]:
    found = {mark_change(old, new) for old, new in pairs}
    return [n for n in ("diacritics changed", "tone mark moved", "capitals changed") if n in found]


def _replaced_pairs(runs: Diff) -> list[tuple[str, str]]:
    """The (removed, added) runs that replace one another in a word diff."""
    return [
        (runs[i][1], runs[i + 1][1])
        for i in range(len(runs) - 1)
        if runs[i][0] == "-" and runs[i + 1][0] == "+"
    ]


def _load(value):
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def values_of(value) -> list[str]:
    """A value field as the values a reader sees: a JSON list's items, else the one value (none when
    empty)."""
    loaded = _load(value)
    if loaded is None or loaded == "" or loaded == []:
        return []
    if isinstance(loaded, list):
        return [str(v) for v in loaded if v not in (None, "")]
    return [str(value)]


def item_text(item) -> str:
    """An image, attachment or link as one line: its caption or title, then its URL (as text)."""
    if isinstance(item, dict):
        label = item.get("caption") or item.get("title") or item.get("text")
        url = item.get("src") or item.get("url")
        parts = [str(p) for p in (label, url) if p]
        return " — ".join(parts) if parts else json.dumps(item, ensure_ascii=False, sort_keys=True)
    return str(item)


def items_of(value) -> list[str]:
    loaded = _load(value)
    return [item_text(i) for i in loaded] if isinstance(loaded, list) else values_of(value)


def inline_html(runs: Diff, context_words: int | None) -> markupsafe.Markup:
    """The word diff as one text: ``<del>`` removed, ``<ins>`` added, long unchanged stretches elided."""
    note = html.escape(COARSE_NOTE) if runs.coarse else ""
    return markupsafe.Markup(
        note
        + render(
            runs,
            removed=lambda t: f"<del>{html.escape(t)}</del>",
            added=lambda t: f"<ins>{html.escape(t)}</ins>",
            same=html.escape,
            context_words=context_words,
        )
    )


def side_rows(runs: Diff, context_words: int | None) -> list[SideRow]:
    """The word diff as paragraphs side by side: a row per paragraph (a changed stretch that spans
    paragraphs stays one row), removed words struck out on the left, added ones highlighted on the right.
    With ``context_words`` set, unchanged paragraphs away from a change are folded into one row."""
    rows: list[SideRow] = []
    old: list[str] = []
    new: list[str] = []
    changed = False

    def flush() -> None:
        nonlocal old, new, changed
        if changed or "".join(old).strip() or "".join(new).strip():
            rows.append(SideRow(markupsafe.Markup("".join(old)), markupsafe.Markup("".join(new)), changed))
        old, new, changed = [], [], False

    for op, text in runs:
        if op == "=":
            for index, part in enumerate(text.split("\n")):
                if index:
                    flush()
                old.append(html.escape(part))
                new.append(html.escape(part))
        elif op == "-":
            old.append(f"<del>{html.escape(text)}</del>")
            changed = True
        else:
            new.append(f"<ins>{html.escape(text)}</ins>")
            changed = True
    flush()
    if context_words is None:
        return rows
    near = {
        i + d
        for i, row in enumerate(rows)
        if row.changed
        for d in range(-_SIDE_CONTEXT_ROWS, _SIDE_CONTEXT_ROWS + 1)
    }
    folded: list[SideRow] = []
    for index, row in enumerate(rows):
        if index in near:
            folded.append(row)
        elif folded and folded[-1].folded:
            folded[-1].folded += 1
        else:
            folded.append(SideRow(folded=1))
    return folded


def field_view(name: str, old, new, *, context_words: int | None = 12) -> FieldView | None:
    """How field ``name`` changed between two versions (its stored values), or None if it did not."""
    if name in TEXT:
        before, after = "" if old is None else str(old), "" if new is None else str(new)
        if before == after:
            return None
        runs = word_diff(before, after)
        return FieldView(
            name,
            "text",
            summarize(runs),
            inline=inline_html(runs, context_words),
            rows=side_rows(runs, context_words),
            coarse=runs.coarse,
            notes=_notes(_replaced_pairs(runs)),
        )
    if name in ITEMS:
        before_items, after_items = items_of(old), items_of(new)
        if before_items == after_items:
            return None
        removed = [i for i in before_items if i not in after_items]
        added = [i for i in after_items if i not in before_items]
        summary = f"-{len(removed)} +{len(added)} items" if removed or added else "order changed"
        return FieldView(name, "items", summary, removed=removed, added=added, old_values=before_items)
    before_values, after_values = values_of(old), values_of(new)
    if before_values == after_values:
        return None
    return FieldView(
        name,
        "values",
        f"{len(before_values)} → {len(after_values)} values"
        if len(before_values) != 1 or len(after_values) != 1
        else "value changed",
        old_values=before_values,
        new_values=after_values,
        notes=_notes(zip(before_values, after_values, strict=False))
        if len(before_values) == len(after_values)
        else [],
    )


def field_views(old: dict | None, new: dict, *, context_words: int | None = 12) -> list[FieldView]:
    """Every content field that differs between two version rows, in the record's order."""
    if old is None:
        return []
    views = (
        field_view(name, old.get(name), new.get(name), context_words=context_words) for name in CONTENT_FIELDS
    )
    return [v for v in views if v is not None]
