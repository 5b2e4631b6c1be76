"""Telling a new layout's misreading from the agency's edits (docs/redesigns.md, "Edits or a misreading").

When a new page layout (a theme the portal layer follows, or a rule learned in the run) reads some known
articles otherwise than archived, each such page is either an edit the agency made with the redesign or a
misreading of the new markup. Edits are specific to their article: a paragraph added, a figure changed, a
title corrected. A misreading is systematic: the same field lost, or the same field and nothing else read
otherwise, on every page of a kind. So pages that differ *in the same way* are taken for a misreading, even
when they are few; a page whose difference no other page shares stays an edit.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pipelines.model import CONTENT_FIELDS

# Kinds of change to one field.
LOST, GAINED, SHRUNK, GROWN, CHANGED = "lost", "gained", "shrunk", "grown", "changed"
# Fields compared word by word (the others as whole values).
TEXT_FIELDS = frozenset({"title", "body_text", "source"})
# Fields stored as JSON in the archive's rows.
JSON_FIELDS = frozenset({"authors", "photo_credits", "images", "attachments", "links"})
# What the agency edits as content: its text, headline and media. A change to one of them alone, on
# several pages, is still edits unless it only takes words away or is the very same change on each. The
# other fields (byline, source, credits, dates) are printed once by the theme: the same one of them alone
# read otherwise on several pages is how a misreading looks.
EDITED_FIELDS = frozenset({"title", "body_text", "images", "attachments", "links"})
# Fields the record derives from the text and title (an event date found in the lead): a change to them
# beside a change to those is its consequence, not a difference of its own.
DERIVED_FIELDS = frozenset({"event_date"})
DERIVED_FROM = frozenset({"title", "body_text"})
# A layout reading more than this share of its known pages otherwise than archived misreads them (the
# agency rarely edits a tenth of its articles at once).
EDIT_SHARE = 0.1


@dataclass(frozen=True)
class Change:
    """How one field of a page differs from its archived value: ``kind``, and for a text field the words
    taken away and the words put in (in order)."""

    kind: str
    removed: tuple[str, ...] = ()
    added: tuple[str, ...] = ()


Difference = Mapping[str, Change]


@dataclass(frozen=True)
class Verdict:
    """Which of a layout's differing pages (their indices) are taken for a misreading, and why (one line
    for the run's alarm; empty when every page is an edit)."""

    misread: frozenset[int]
    why: str = ""
    too_many: bool = False


def difference(archived: Mapping, content: Mapping) -> dict[str, Change]:
    """The fields of ``content`` (a record's :meth:`content`) that differ from the ``archived`` row."""
    changes = {}
    for name in CONTENT_FIELDS:
        old, new = archived.get(name), content.get(name)
        if name in JSON_FIELDS and isinstance(old, str):
            old = json.loads(old) if old else []
        if _canonical(old) != _canonical(new):
            changes[name] = _change(name, old, new)
    return changes


def judge(differences: Sequence[Difference], reads: int) -> Verdict:
    """Which of ``differences`` (one per page a new layout read otherwise than archived, among ``reads``
    known pages it read) are a misreading: all, when they are too many to be edits (at least two and more
    than a tenth); else the pages that share a way of differing with another (:func:`_patterns`)."""
    if too_many_to_be_edits(len(differences), reads):
        return Verdict(frozenset(range(len(differences))), too_many=True)
    by_pattern: dict[tuple, list[int]] = {}
    for index, diff in enumerate(differences):
        for pattern in _patterns(diff):
            by_pattern.setdefault(pattern, []).append(index)
    shared = {pattern: pages for pattern, pages in by_pattern.items() if len(pages) >= 2}
    misread = frozenset(i for pages in shared.values() for i in pages)
    why = ", ".join(f"{_describe(pattern)} on {len(pages)}" for pattern, pages in sorted(shared.items()))
    return Verdict(misread, why)


def too_many_to_be_edits(differs: int, reads: int) -> bool:
    """Are ``differs`` of ``reads`` known pages read otherwise than archived too many to be the agency's
    edits? (One page alone is always taken as an edit.)"""
    return differs >= 2 and differs > EDIT_SHARE * reads


def _patterns(diff: Difference) -> list[tuple]:
    """The ways a page differs that a misreading would repeat on other pages: each field lost (whatever
    else differs: a field printed where the reading does not look, perhaps into another); each text field
    that only lost words, when the page only lost content (a lead printed apart and no longer read, and
    what is derived from it, an event date); and when one field alone differs, a byline, source, credit or
    date read otherwise, or the very same words put in or taken away (a site-name suffix, a share bar)."""
    if diff.keys() & DERIVED_FROM:
        diff = {name: change for name, change in diff.items() if name not in DERIVED_FIELDS}
    patterns: list[tuple] = [(LOST, name) for name, change in diff.items() if change.kind == LOST]
    if all(change.kind in (LOST, SHRUNK) for change in diff.values()):
        patterns += [(SHRUNK, name) for name, change in diff.items() if change.kind == SHRUNK]
    if len(diff) != 1:
        return patterns
    ((name, change),) = diff.items()
    if change.kind in (LOST, SHRUNK):
        return patterns
    if name not in EDITED_FIELDS:
        patterns.append(("alone", name))
    elif change.removed or change.added:
        patterns.append(("same", name, change.removed, change.added))
    return patterns


def _describe(pattern: tuple) -> str:
    kind, name = pattern[0], pattern[1]
    if kind == LOST:
        return f"{name} lost"
    if kind == SHRUNK:
        return f"only words of {name} lost"
    if kind == "alone":
        return f"only {name} read otherwise"
    return f"the same words of {name} changed"


def _change(name: str, old, new) -> Change:
    if not new:
        return Change(LOST)
    if not old:
        return Change(GAINED)
    if name not in TEXT_FIELDS:
        return Change(CHANGED)
    removed, added = _word_delta(str(old).split(), str(new).split())
    if not added:
        return Change(SHRUNK, removed)
    if not removed:
        return Change(GROWN, (), added)
    return Change(CHANGED, removed, added)


def _word_delta(old: list[str], new: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The words taken out of ``old`` and put into ``new`` (spacing ignored)."""
    removed: list[str] = []
    added: list[str] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("delete", "replace"):
            removed += old[i1:i2]
        if tag in ("insert", "replace"):
            added += new[j1:j2]
    return tuple(removed), tuple(added)


def _canonical(value) -> str:
    return json.dumps(value or None, ensure_ascii=False, sort_keys=True)
