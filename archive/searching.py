"""Search people can trust: what ``hepza serve``'s search page and :meth:`archive.ArchiveReader.search_hits`
answer.

The full-text indexes hold folded text (``pipelines.text.fold_key``: no diacritics, ``đ`` → ``d``), which
finds every accented form of a word typed without marks (``dang`` finds ``đăng``, ``đang``, ``Đảng``). A word
typed *with* marks means those letters, as search engines treat Vietnamese: ``Đảng`` finds ``Đảng`` (any
case, either tone placement: ``hòa`` = ``hoà``), not ``đăng`` or ``đang``. So the folded index gives the
candidates (recall, bm25 order) and each candidate is kept only when its text, as written, holds every
marked word. The snippet is cut from the text as written, the matched words marked.

``past_versions`` searches every version an article ever had (``versions_fts``), which finds the text that
was later removed; each hit says which version held it and whether the current text still does.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from archive.errors import ArchiveError
from archive.reading import Article, has_table, rows
from archive.significance import tone_key
from pipelines.text import fold_key

_WORD_RE = re.compile(r"\w+")
_TERM_RE = re.compile(r'"([^"]*)"|([^\s"]+)')
# FTS5's operators: typed alone, they are no words to search for.
_OPERATORS = frozenset({"AND", "OR", "NOT", "NEAR"})
# Words of text around the first matches in a snippet.
SNIPPET_WORDS = 30


class BadQuery(ArchiveError, ValueError):
    """A query with no word to search for (a lone ``"``, ``AND``, ``*``): its message is a sentence to
    show the reader as it is."""


@dataclass(frozen=True)
class Query:
    """A parsed query: its terms, each a word or a quoted phrase (a tuple of words, as typed, NFC)."""

    text: str
    terms: tuple[tuple[str, ...], ...]

    @property
    def fts(self) -> str:
        """The FTS5 MATCH expression over the folded index: every term, each a quoted phrase."""
        return " ".join('"' + " ".join(fold_key(w) for w in term) + '"' for term in self.terms)

    @property
    def marked(self) -> bool:
        """Whether a word was typed with diacritics (then those letters must match)."""
        return any(_marked(w) for term in self.terms for w in term)


def _marked(word: str) -> bool:
    return fold_key(word) != word.casefold()


def parse_query(text: str | None) -> Query:
    """The terms of a query as a reader types it: words, ``"quoted phrases"``; an unpaired quote, ``*``
    and other signs are ignored, and AND, OR, NOT, NEAR alone are no words. :class:`BadQuery` (with a
    sentence for the reader) when nothing is left to search for."""
    typed = unicodedata.normalize("NFC", (text or "").strip())
    if not typed:
        raise BadQuery("Type one or more words to search for, with or without diacritics.")
    spaced = typed if typed.count('"') % 2 == 0 else typed.replace('"', " ")
    terms: list[tuple[str, ...]] = []
    for m in _TERM_RE.finditer(spaced):
        raw = m.group(1) if m.group(1) is not None else m.group(2)
        if m.group(1) is None and raw in _OPERATORS:
            continue
        words = tuple(_WORD_RE.findall(raw))
        if words:
            terms.append(words)
    if not terms:
        raise BadQuery(
            f"“{typed}” holds no word to search for: type words, with or without diacritics "
            "(quotes around words find them side by side; AND, OR, NOT, NEAR and * alone are not searched)."
        )
    return Query(typed, tuple(terms))


# --- matching the text as written ---------------------------------------------------------------------


class _Tokens:
    """A text's words with their places, and their keys as written (case and tone placement aside) and
    folded."""

    def __init__(self, text: str) -> None:
        self.text = unicodedata.normalize("NFC", text or "")
        self.spans = [m.span() for m in _WORD_RE.finditer(self.text)]
        words = [self.text[a:b] for a, b in self.spans]
        self.exact = [tone_key(w.casefold()) for w in words]
        self.folded = [fold_key(w) for w in words]

    def word_matches(self, index: int, word: str) -> bool:
        if _marked(word):
            return self.exact[index] == tone_key(word.casefold())
        return self.folded[index] == fold_key(word)

    def term_at(self, index: int, term: Sequence[str]) -> bool:
        if index + len(term) > len(self.spans):
            return False
        return all(self.word_matches(index + j, w) for j, w in enumerate(term))

    def holds(self, term: Sequence[str]) -> bool:
        return any(self.term_at(i, term) for i in range(len(self.spans)))

    def hits(self, query: Query) -> list[tuple[int, int]]:
        """Token ranges (start, end) where a term of the query matches."""
        found = []
        for i in range(len(self.spans)):
            for term in query.terms:
                if self.term_at(i, term):
                    found.append((i, i + len(term)))
                    break
        return found


def text_matches(query: Query, *texts: str | None) -> bool:
    """Whether the texts together hold every term of the query, marked words as written (case and tone
    placement aside), the others folded."""
    tokens = [_Tokens(t or "") for t in texts]
    return all(any(t.holds(term) for t in tokens) for term in query.terms)


def highlight(
    query: Query, text: str | None, *, words: int | None = SNIPPET_WORDS
) -> tuple[tuple[str, bool], ...]:
    """The text (cut to ``words`` words around its first matches; None keeps it whole) as pieces
    ``(text, matched)``, the matched words marked; ``…`` where it was cut."""
    tokens = _Tokens(text or "")
    if not tokens.spans:
        return ((tokens.text, False),) if tokens.text else ()
    hits = tokens.hits(query)
    first, last = 0, len(tokens.spans)
    if words is not None and last > words:
        start = max(0, (hits[0][0] if hits else 0) - 5)
        first, last = start, min(last, start + words)
    begin = tokens.spans[first][0] if first else 0
    end = tokens.spans[last - 1][1] if last < len(tokens.spans) else len(tokens.text)
    pieces: list[tuple[str, bool]] = [("… ", False)] if first else []
    at = begin
    for a, b in hits:
        if a < first or b > last:
            continue
        lo, hi = tokens.spans[a][0], tokens.spans[b - 1][1]
        if lo > at:
            pieces.append((tokens.text[at:lo], False))
        pieces.append((tokens.text[lo:hi], True))
        at = hi
    if end > at:
        pieces.append((tokens.text[at:end], False))
    if last < len(tokens.spans):
        pieces.append((" …", False))
    return tuple(pieces)


# --- searching the archive ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchHit:
    """One article found: its current row, its title and a snippet as ``(text, matched)`` pieces, and for
    a past-versions search the version that held the text (``version``) and whether its current text
    still does (``in_current``)."""

    article: Article
    title: tuple[tuple[str, bool], ...]
    snippet: tuple[tuple[str, bool], ...]
    version: int | None = None
    in_current: bool = True


@dataclass(frozen=True)
class SearchResults:
    """The articles a query found (``total``), and the ``hits`` of the page asked for, best match first."""

    query: Query
    total: int
    hits: tuple[SearchHit, ...]
    past_versions: bool = False


def search(
    conn: sqlite3.Connection,
    text: str | None,
    *,
    past_versions: bool = False,
    limit: int | None = 20,
    offset: int = 0,
) -> SearchResults:
    """Articles whose title or body holds every term of ``text``, best match first (bm25 of the folded
    index); :class:`BadQuery` when it holds no word. With ``past_versions``, any version's text counts."""
    query = parse_query(text)
    if past_versions and has_table(conn, "versions_fts"):
        found = _past_matches(conn, query)
    else:
        past_versions = False
        found = [(article_id, None) for article_id in matching_article_ids(conn, query)]
    page = found[offset : None if limit is None else offset + limit]
    hits = []
    for article_id, version in page:
        row = rows(conn, "SELECT * FROM articles WHERE id = ?", [article_id])[0]
        title, body = row.get("title"), row.get("body_text")
        if version is not None:
            title, body = conn.execute(
                "SELECT title, body_text FROM article_versions WHERE article_id = ? AND version = ?",
                [article_id, version],
            ).fetchone()
        hits.append(
            SearchHit(
                Article.from_row(row),
                highlight(query, title, words=None),
                highlight(query, body),
                version,
                version is None,
            )
        )
    return SearchResults(query, len(found), tuple(hits), past_versions)


def matching_article_ids(conn: sqlite3.Connection, query: Query) -> list[int]:
    """The ids of the articles whose current text matches, best first."""
    if not query.marked:
        cursor = conn.execute(
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY bm25(articles_fts), rowid",
            [query.fts],
        )
        return [r[0] for r in cursor]
    cursor = conn.execute(
        "SELECT a.id, a.title, a.body_text FROM articles_fts f JOIN articles a ON a.id = f.rowid "
        "WHERE articles_fts MATCH ? ORDER BY bm25(articles_fts), a.id",
        [query.fts],
    )
    return [article_id for article_id, title, body in cursor if text_matches(query, title, body)]


def _past_matches(conn: sqlite3.Connection, query: Query) -> list[tuple[int, int | None]]:
    """(article id, version) per article, best first: version None when the current text matches (then
    the current text is shown), else the newest version that held the text."""
    columns = ", v.title, v.body_text" if query.marked else ""
    cursor = conn.execute(
        f"SELECT v.article_id, v.version, a.version_count{columns} FROM versions_fts f "
        "JOIN article_versions v ON v.id = f.rowid JOIN articles a ON a.id = v.article_id "
        "WHERE versions_fts MATCH ? ORDER BY bm25(versions_fts), v.article_id, v.version DESC",
        [query.fts],
    )
    order: list[int] = []
    versions: dict[int, list[int]] = {}
    current: dict[int, int] = {}
    for row in cursor:
        article_id, version, latest = row[0], row[1], row[2]
        if query.marked and not text_matches(query, row[3], row[4]):
            continue
        if article_id not in versions:
            order.append(article_id)
            versions[article_id] = []
        versions[article_id].append(version)
        current[article_id] = latest
    return [(a, None if current[a] in versions[a] else max(versions[a])) for a in order]
