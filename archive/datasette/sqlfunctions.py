"""SQL functions for canned queries: ``hepza_fold`` and ``hepza_fts_query`` fold like the index (as the
search box does), ``hepza_diff_html`` gives a word diff with ``<ins>`` / ``<del>``, ``hepza_citing_url`` the
page of articles citing a document, ``hepza_url_key`` the key of any URL of an article: the one
``hepza history`` looks it up by (``article_urls.url_key = hepza_url_key(:url)``), so a lookup takes every
form the command takes (Unicode or encoded slug, trailing slash, tracking parameters, http or https, any
host, the locale prefix).
"""

from __future__ import annotations

import html
import json
from urllib.parse import quote

from archive.datasette import DATABASE
from archive.datasette.diff_views import item_text
from archive.diffs import COARSE_NOTE, render, word_diff
from archive.reading import fts_query
from pipelines.text import fold_key
from pipelines.urls import article_key

__all__ = ["citing_url", "diff_html", "fts_query", "register_functions", "sql_diff_html", "url_key"]


def diff_html(
    old: str | None, new: str | None, *, context_words: int | None = 12, runs: list | None = None
) -> str | None:
    """HTML of a word-level diff: removed words in ``<del>``, added in ``<ins>``, the rest escaped.

    None when there is nothing to compare (no previous version) or nothing changed. With
    ``context_words``, long unchanged stretches are cut to that many words each side of a change.
    """
    if old is None or old == new:
        return None
    runs = word_diff(old, new) if runs is None else runs
    note = html.escape(COARSE_NOTE) if getattr(runs, "coarse", False) else ""
    return note + render(
        runs,
        removed=lambda t: f"<del>{html.escape(t)}</del>",
        added=lambda t: f"<ins>{html.escape(t)}</ins>",
        same=html.escape,
        context_words=context_words,
    )


def _json_list(value: str | None) -> list | None:
    try:
        loaded = json.loads(value) if value else None
    except ValueError:
        return None
    return loaded if isinstance(loaded, list) else None


def sql_diff_html(old, new) -> str | None:
    """``hepza_diff_html(old, new)``: a word diff of two texts; two JSON lists (authors, photo credits,
    images…) as their items old → new, never a word diff of the JSON (``["Nguyễn Văn [-Hòa"]-]…``)."""
    old, new = _text(old), _text(new)
    before, after = _json_list(old), _json_list(new)
    if before is None or after is None:
        return diff_html(old, new)
    shown_before, shown_after = [item_text(i) for i in before], [item_text(i) for i in after]
    if shown_before == shown_after:
        return None

    def side(items: list[str], tag: str) -> str:
        return ", ".join(f"<{tag}>{html.escape(i)}</{tag}>" for i in items) or "(none)"

    return f"{side(shown_before, 'del')} → {side(shown_after, 'ins')}"


def citing_url(number: str | None, database: str = DATABASE) -> str | None:
    """The page of the articles of ``database`` that cite the document ``number``."""
    if not number:
        return None
    return f"/{database}/articles_citing_document?number={quote(number, safe='')}"


def url_key(value: str | None) -> str | None:
    """The key ``hepza history`` finds an article by (archive.reading.resolve_article_id); None for text
    that is no article URL."""
    if not value or not value.strip():
        return None
    return article_key(value.strip())


def register_functions(conn) -> None:
    """Add the ``hepza_*`` functions to a SQLite connection."""
    conn.create_function(
        "hepza_fold", 1, lambda s: None if s is None else fold_key(str(s)), deterministic=True
    )
    conn.create_function(
        "hepza_fts_query", 1, lambda s: fts_query(None if s is None else str(s)), deterministic=True
    )
    conn.create_function("hepza_diff_html", 2, sql_diff_html, deterministic=True)
    conn.create_function("hepza_citing_url", 1, lambda s: citing_url(_text(s)), deterministic=True)
    conn.create_function("hepza_url_key", 1, lambda s: url_key(_text(s)), deterministic=True)


def _text(value) -> str | None:
    return None if value is None else str(value)
