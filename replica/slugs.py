"""Friendly-URL slugs made the way Liferay's normaliser makes them.

The crawler must cope with every oddity the platform produces (kept capitals outside A-Z, `/` inside a
slug, a cut in the middle of a word, NFD titles giving other slugs), so the replica reproduces the rules
rather than a "nice" slugifier.
"""

from __future__ import annotations

from collections.abc import Container
from urllib.parse import unquote

MAX_LENGTH = 255

# Kept verbatim: Liferay leaves these in friendly URLs (`tp.hcm`, `quý-i/2022`).
_KEEP = frozenset("abcdefghijklmnopqrstuvwxyz0123456789./*_")

# Collapsed into a single `-`: white space and punctuation, including typographic dashes and quotes.
# NBSP (U+00A0) and `…` are deliberately absent: the platform percent-encodes them.
_SEPARATORS = frozenset(" \t\r\n!\"#$&'()+,-:;<=>?@[\\]^`{|}~–—‘’“”«»")


def _tokens(title: str) -> list[str]:
    """Encoded pieces of the slug, one per source character, so a cut never splits a %XX triple."""
    out: list[str] = []
    for ch in title:
        if "A" <= ch <= "Z":
            out.append(ch.lower())
        elif ch in _KEEP:
            out.append(ch)
        elif ch in _SEPARATORS:
            if not out or out[-1] != "-":
                out.append("-")
        else:
            out.append("".join(f"%{b:02X}" for b in ch.encode("utf-8")))
    return out


def _cut(tokens: list[str], limit: int) -> str:
    total = 0
    kept: list[str] = []
    for tok in tokens:
        if total + len(tok) > limit:
            break
        kept.append(tok)
        total += len(tok)
    return "".join(kept)


def slugify(title: str, limit: int = MAX_LENGTH) -> str:
    """Percent-encoded slug of `title` (no normalisation: an NFD title gives another slug)."""
    return _cut(_tokens(title), limit)


def unique_slug(title: str, taken: Container[str], limit: int = MAX_LENGTH, start: int = 1) -> str:
    """Slug of `title`, suffixed `-1`, `-2`… while it collides with an encoded slug in `taken`.

    `start` lets a caller that remembers the last suffix used for a title skip known collisions.
    """
    tokens = _tokens(title)
    full = "".join(tokens)
    slug = _cut(tokens, limit) if len(full) > limit else full
    n = start - 1
    while slug in taken:
        n += 1
        suffix = f"-{n}"
        slug = (
            full + suffix if len(full) + len(suffix) <= limit else _cut(tokens, limit - len(suffix)) + suffix
        )
    return slug


def slug_key(slug: str) -> str:
    """Lookup key of a slug as it arrives in a request: percent-decoded, so `%c3%b4` == `%C3%B4` == `ô`."""
    return unquote(slug, errors="surrogateescape")
