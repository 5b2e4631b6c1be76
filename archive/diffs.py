"""Word-level diffs between two versions of a text, for ``hepza history`` and the datasette views.

Words are compared as written, so a changed diacritic or tone mark (``hòa`` → ``hoà``) is a change.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable

_TOKEN_RE = re.compile(r"\s+|[^\s]+")


def _tokens(text: str) -> list[str]:
    return _TOKEN_RE.findall(unicodedata.normalize("NFC", text or ""))


def word_diff(old: str | None, new: str | None) -> list[tuple[str, str]]:
    """The two texts as (op, text) runs: op is ``=`` (same), ``-`` (removed) or ``+`` (added)."""
    a, b = _tokens(old or ""), _tokens(new or "")
    runs: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            runs.append(("=", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            runs.append(("-", "".join(a[i1:i2])))
        if j2 > j1:
            runs.append(("+", "".join(b[j1:j2])))
    return runs


def elide(text: str, first: bool, last: bool, context_words: int | None) -> str:
    """An unchanged stretch cut to ``context_words`` words next to each change (None keeps it whole)."""
    if context_words is None:
        return text
    words = text.split(" ")
    if len(words) <= 2 * context_words + 1:
        return text
    head = [] if first else words[:context_words]
    tail = [] if last else words[-context_words:]
    return " ".join([*head, "…", *tail]) + (" " if tail and not tail[-1] else "")


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
    return render(
        runs, removed=lambda t: f"[-{t}-]", added=lambda t: f"{{+{t}+}}", context_words=context_words
    ).strip()


def summary(old: str | None, new: str | None) -> str:
    """A short description of a change: words removed and added."""
    runs = word_diff(old, new)
    removed = sum(len(t.split()) for op, t in runs if op == "-")
    added = sum(len(t.split()) for op, t in runs if op == "+")
    return f"-{removed} +{added} words"
