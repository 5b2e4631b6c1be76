"""Word-level diffs between two versions of a text, for ``hepza history`` and the datasette views.

Words are compared as written, so a changed diacritic or tone mark (``hòa`` → ``hoà``) is a change.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable

from archive.config import SETTINGS

_CHUNK_RE = re.compile(r"\s+|\S+")
# A token that ends a block: a word ending a sentence, or whitespace holding a line break. Blocks are
# compared first (they are few and mostly distinct), then words only inside the blocks that changed, so a
# small edit of a long article costs about its length, not its length squared.
_BLOCK_END_RE = re.compile(r"[.!?…;:]$|\n")
# Most tokens (words and spaces) a side of one changed stretch that are compared word by word, and most
# blocks compared: past it the stretch is shown whole (removed, then added), a coarser diff flagged on the
# result (``Diff.coarse``), rather than a quadratic comparison.
MAX_DIFF_TOKENS: int = SETTINGS["diff_max_tokens"].default
COARSE_NOTE = " (coarse diff: a changed passage too long to compare word by word is shown whole)"


class Diff(list):
    """Diff runs, as (op, text) pairs; ``coarse`` is True when a changed stretch was too long to compare
    word by word and is shown whole."""

    coarse: bool = False


def _is_word_char(char: str) -> bool:
    """A letter, digit or combining mark: a mark (a tone mark NFC could not compose onto its letter) stays
    with the letter it sits on, so a word is never cut inside its marks."""
    return char.isalnum() or unicodedata.category(char)[0] == "M"


def _split_chunk(chunk: str) -> list[str]:
    """A run of non-space characters as its leading punctuation, its word and its trailing punctuation:
    ``(Hà),`` is ``(``, ``Hà``, ``),``, so an edited name is that name, not the name with its comma. What is
    inside the word stays whole (``1.284,5``, ``TP.HCM``, ``hepza.hochiminhcity.gov.vn``)."""
    start, end = 0, len(chunk)
    while start < end and not _is_word_char(chunk[start]):
        start += 1
    while end > start and not _is_word_char(chunk[end - 1]):
        end -= 1
    if start == end:
        return [chunk]
    return [part for part in (chunk[:start], chunk[start:end], chunk[end:]) if part]


def _tokens(text: str) -> list[str]:
    """Whitespace, words and the punctuation around them, of the NFC text (NFD and NFC spellings are one
    text)."""
    return [
        token
        for chunk in _CHUNK_RE.findall(unicodedata.normalize("NFC", text or ""))
        for token in (_split_chunk(chunk) if not chunk.isspace() else [chunk])
    ]


def _blocks(tokens: list[str]) -> list[list[str]]:
    blocks, start = [], 0
    for index, token in enumerate(tokens):
        if _BLOCK_END_RE.search(token):
            blocks.append(tokens[start : index + 1])
            start = index + 1
    if start < len(tokens):
        blocks.append(tokens[start:])
    return blocks


def _common_prefix(a: list[str], b: list[str]) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _add(runs: Diff, op: str, tokens: list[str]) -> None:
    """Append a run, joined to the previous one when it has the same op."""
    if not tokens:
        return
    text = "".join(tokens)
    if runs and runs[-1][0] == op:
        runs[-1] = (op, runs[-1][1] + text)
    else:
        runs.append((op, text))


def _replace(runs: Diff, a: list[str], b: list[str]) -> None:
    _add(runs, "-", a)
    _add(runs, "+", b)


def _diff_words(runs: Diff, a: list[str], b: list[str], max_tokens: int) -> None:
    if max(len(a), len(b)) > max_tokens:
        runs.coarse = True
        _replace(runs, a, b)
        return
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            _add(runs, "=", a[i1:i2])
        else:
            _replace(runs, a[i1:i2], b[j1:j2])


def _diff_blocks(runs: Diff, a: list[str], b: list[str], max_tokens: int) -> None:
    if not a or not b:
        _replace(runs, a, b)
        return
    blocks_a, blocks_b = _blocks(a), _blocks(b)
    if max(len(blocks_a), len(blocks_b)) > max_tokens:
        runs.coarse = True
        _replace(runs, a, b)
        return
    keys_a, keys_b = ["".join(x) for x in blocks_a], ["".join(x) for x in blocks_b]
    matcher = difflib.SequenceMatcher(a=keys_a, b=keys_b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        old = [t for block in blocks_a[i1:i2] for t in block]
        if tag == "equal":
            _add(runs, "=", old)
            continue
        new = [t for block in blocks_b[j1:j2] for t in block]
        _diff_words(runs, old, new, max_tokens)


def set_max_tokens(max_tokens: int) -> None:
    """The cap of this process (the ``diff_max_tokens`` setting of a crawl's archive writer)."""
    global MAX_DIFF_TOKENS
    MAX_DIFF_TOKENS = max_tokens


def word_diff(old: str | None, new: str | None, *, max_tokens: int | None = None) -> Diff:
    """The two texts as (op, text) runs: op is ``=`` (same), ``-`` (removed) or ``+`` (added).

    The common start and end are cut off first, the rest compared sentence by sentence, and only the
    sentences that differ word by word; a changed stretch of more than ``max_tokens`` tokens a side is
    shown whole and the result is marked ``coarse``.
    """
    max_tokens = MAX_DIFF_TOKENS if max_tokens is None else max_tokens
    a, b = _tokens(old or ""), _tokens(new or "")
    runs = Diff()
    prefix = _common_prefix(a, b)
    suffix = _common_prefix(a[prefix:][::-1], b[prefix:][::-1])
    _add(runs, "=", a[:prefix])
    _diff_blocks(runs, a[prefix : len(a) - suffix], b[prefix : len(b) - suffix], max_tokens)
    _add(runs, "=", a[len(a) - suffix :])
    return _join_replacements(runs)


def _join_replacements(runs: Diff) -> Diff:
    """Two replaced words with only a space between them read as one replacement: ``Tân Thuận`` →
    ``Linh Trung``, not ``Tân`` → ``Linh``, `` ``, ``Thuận`` → ``Trung``."""
    segments: list[list[str]] = []  # ["=", text] or ["~", removed, added]
    for op, text in runs:
        if op == "=":
            segments.append(["=", text])
        elif segments and segments[-1][0] == "~":
            segments[-1][1 if op == "-" else 2] += text
        else:
            segments.append(["~", text if op == "-" else "", text if op == "+" else ""])
    joined: list[list[str]] = []
    for segment in segments:
        if (
            segment[0] == "~"
            and len(joined) >= 2
            and joined[-1][0] == "="
            and joined[-1][1].isspace()
            and "\n" not in joined[-1][1]
            and joined[-2][0] == "~"
            and all(joined[-2][1:])
            and all(segment[1:])
        ):
            space = joined.pop()[1]
            joined[-1][1] += space + segment[1]
            joined[-1][2] += space + segment[2]
        else:
            joined.append(segment)
    out = Diff()
    out.coarse = runs.coarse
    for segment in joined:
        for op, text in zip(("-", "+"), segment[1:], strict=False) if segment[0] == "~" else [segment]:
            if text:
                _add(out, op, [text])
    return out


def elide(text: str, first: bool, last: bool, context_words: int | None) -> str:
    """An unchanged stretch cut to ``context_words`` words next to each change (None keeps it whole)."""
    if context_words is None:
        return text
    words = text.split(" ")
    if len(words) <= 2 * context_words + 1:
        return text
    head = [] if first else words[:context_words]
    tail = [] if last else words[-context_words:]
    return " ".join([*head, "…", *tail])


def render(
    runs: list[tuple[str, str]],
    *,
    removed: Callable[[str], str],
    added: Callable[[str], str],
    same: Callable[[str], str] = str,
    context_words: int | None = 8,
) -> str:
    """Diff runs as text: each removed, added and unchanged run through its own formatter."""
    out = []
    for index, (op, text) in enumerate(runs):
        if op == "-":
            out.append(removed(text))
        elif op == "+":
            out.append(added(text))
        else:
            out.append(same(elide(text, index == 0, index == len(runs) - 1, context_words)))
    return "".join(out)


def render_terminal(runs: list[tuple[str, str]], context_words: int = 8) -> str:
    """Changed runs as ``[-old-]{+new+}`` with a few words of context, unchanged stretches elided."""
    text = render(
        runs, removed=lambda t: f"[-{t}-]", added=lambda t: f"{{+{t}+}}", context_words=context_words
    ).strip()
    return text + (COARSE_NOTE if getattr(runs, "coarse", False) else "")


def summary(old: str | None, new: str | None) -> str:
    """A short description of a change: words removed and added."""
    return summarize(word_diff(old, new))


def summarize(runs: list[tuple[str, str]]) -> str:
    """Words removed and added in diff runs, ``(coarse)`` when long changed passages were shown whole."""
    removed = sum(len(t.split()) for op, t in runs if op == "-")
    added = sum(len(t.split()) for op, t in runs if op == "+")
    return f"-{removed} +{added} words" + (" (coarse)" if getattr(runs, "coarse", False) else "")


def _letters_and_marks(word: str) -> tuple[str, list[str]]:
    """A word's base letters (lower case) and its marks in order, from its NFD form; the bar of ``đ`` counts
    as a mark on ``d``."""
    letters, marks = [], []
    for char in unicodedata.normalize("NFD", word.lower()):
        if char == "đ":
            letters.append("d")
            marks.append(char)
        elif unicodedata.category(char) == "Mn":
            marks.append(char)
        else:
            letters.append(char)
    return "".join(letters), marks


def mark_change(old: str, new: str) -> str | None:
    """What kind of change a reader may not see in two spellings of one text, or None.

    ``Hòa`` → ``Hoà`` keeps every letter and mark and puts the tone mark on another vowel (the old and
    new placement rules both live on in Vietnamese): ``tone mark moved``. ``Hà`` → ``Hạ`` or
    ``Đảng`` → ``Đăng`` keeps the letters and changes the marks: ``diacritics changed``; ``hoà`` → ``Hoà``:
    ``capitals changed``. Anything else (a letter or a word changed) is a plain edit: None.
    """
    old_words = unicodedata.normalize("NFC", old).split()
    new_words = unicodedata.normalize("NFC", new).split()
    if old_words == new_words or len(old_words) != len(new_words):
        return None
    kinds = set()
    for a, b in zip(old_words, new_words, strict=True):
        if a == b:
            continue
        (letters_a, marks_a), (letters_b, marks_b) = _letters_and_marks(a), _letters_and_marks(b)
        if letters_a != letters_b:
            return None
        if a.lower() == b.lower():
            kinds.add("capitals changed")
        elif marks_a == marks_b:
            kinds.add("tone mark moved")
        else:
            kinds.add("diacritics changed")
    for kind in ("diacritics changed", "tone mark moved", "capitals changed"):  # the most visible first
        if kind in kinds:
            return kind
    return None
