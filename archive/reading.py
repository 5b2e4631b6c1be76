"""What a reader gets out of an archive: frozen records of articles, versions, captures and runs, and the
SQL that reads their rows.

The functions here take a plain ``sqlite3.Connection``, so the same reads serve :func:`archive.open` (the
library), the CLI and the datasette plugin (which hands them the connection of its own thread through
``Database.execute_fn``). Rows come back as dicts of the stored columns (``*_row`` functions) and as
records, whose JSON columns are decoded (``Article.authors`` is a tuple of names, not a JSON string).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from archive.errors import ArchiveError
from archive.run_store import RUN_COUNTS
from archive.significance import Significance
from pipelines.model import CONTENT_FIELDS
from pipelines.text import fold_key
from pipelines.urls import article_key

Row = dict[str, Any]
# Columns that hold JSON lists in ``articles`` and ``article_versions``.
_JSON_COLUMNS = ("authors", "photo_credits", "images", "attachments", "links", "categories", "roles")


class ArticleNotFound(ArchiveError, LookupError):
    """No archived article matches an id or URL (a LookupError too, for code that catches those)."""


def rows(conn: sqlite3.Connection, sql: str, params: Sequence[object] = ()) -> list[Row]:
    """The rows of a query as dicts of column name to value (whatever the connection's row factory)."""
    cursor = conn.execute(sql, list(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _json_list(value: object) -> tuple:
    """A JSON list column as a tuple (NULL, empty or unreadable: an empty tuple)."""
    if not value:
        return ()
    try:
        decoded = json.loads(str(value))
    except ValueError:
        return ()
    return tuple(decoded) if isinstance(decoded, list) else ()


# --- records ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Article:
    """One archived article as it is now (its newest version), with when the archive saw it.

    Dates are ISO 8601 strings as stored (``published_at`` in the portal's time zone, the ``*_at`` of
    the archive in UTC); lists are tuples (``authors``) or tuples of dicts (``attachments``: ``url``,
    ``title``; ``images``: ``src``, ``caption``, ``credit``; ``links``: ``url``, ``text``).
    """

    id: int
    url: str
    title: str | None
    published_at: str | None
    asset_id: str | None = None
    lang: str | None = None
    category: str | None = None
    categories: tuple[str, ...] = ()
    published_is_migration: bool = False
    event_date: str | None = None
    authors: tuple[str, ...] = ()
    source: str | None = None
    body_text: str | None = None
    body_html: str | None = None
    images: tuple[dict, ...] = ()
    attachments: tuple[dict, ...] = ()
    links: tuple[dict, ...] = ()
    version_count: int = 1
    first_seen_at: str | None = None
    last_seen_at: str | None = None
    last_checked_at: str | None = None
    removed_at: str | None = None
    missing_since: str | None = None

    @property
    def edited(self) -> bool:
        """Whether the archive holds more than one version of it."""
        return self.version_count > 1

    @property
    def removed(self) -> bool:
        """Whether its removal from the portal was confirmed (a pending 404 is not a removal yet)."""
        return self.removed_at is not None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Article:
        return cls(
            id=row["id"],
            url=row["url"],
            title=row.get("title"),
            published_at=row.get("published_at"),
            asset_id=row.get("asset_id"),
            lang=row.get("lang"),
            category=row.get("category"),
            categories=_json_list(row.get("categories")),
            published_is_migration=bool(row.get("published_is_migration")),
            event_date=row.get("event_date"),
            authors=_json_list(row.get("authors")),
            source=row.get("source"),
            body_text=row.get("body_text"),
            body_html=row.get("body_html"),
            images=_json_list(row.get("images")),
            attachments=_json_list(row.get("attachments")),
            links=_json_list(row.get("links")),
            version_count=row.get("version_count") or 1,
            first_seen_at=row.get("first_seen_at"),
            last_seen_at=row.get("last_seen_at"),
            last_checked_at=row.get("last_checked_at"),
            removed_at=row.get("removed_at"),
            missing_since=row.get("missing_since"),
        )


@dataclass(frozen=True)
class Version:
    """One version of an article: its content as captured, and why it was written.

    ``change_kind`` is ``first``, ``edit`` (the agency changed the page), ``extraction`` (our extraction
    changed) or ``reprocess``; ``changed_fields`` names the content fields that differ from the version
    before; ``content`` maps each content field to its value (lists decoded from JSON);
    ``significance`` how much its change matters, with the factors (docs/significance.md; None for a
    first version, or an archive older than the scores opened read-only).
    """

    article_id: int
    version: int
    captured_at: str
    change_kind: str
    changed_fields: tuple[str, ...]
    diff_summary: str | None
    content_hash: str
    content: Mapping[str, Any]
    run_id: int | None = None
    capture_id: int | None = None
    extractor_version: str | None = None
    significance: Significance | None = None

    @property
    def title(self) -> str | None:
        return self.content.get("title")

    @property
    def body_text(self) -> str | None:
        return self.content.get("body_text")

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Version:
        # (a list field NULL in a row older than the field stays None: not recorded, not empty)
        content = {
            name: _json_list(row[name]) if name in _JSON_COLUMNS and row[name] is not None else row[name]
            for name in CONTENT_FIELDS
            if name in row
        }
        return cls(
            article_id=row["article_id"],
            version=row["version"],
            captured_at=row["captured_at"],
            change_kind=row["change_kind"],
            changed_fields=_json_list(row.get("changed_fields")),
            diff_summary=row.get("diff_summary"),
            content_hash=row["content_hash"],
            content=content,
            run_id=row.get("run_id"),
            capture_id=row.get("capture_id"),
            extractor_version=row.get("extractor_version"),
            significance=Significance.from_stored(row.get("significance"), row.get("significance_factors")),
        )


@dataclass(frozen=True)
class StoredCapture:
    """One HTTP response the archive keeps (its bytes: :meth:`archive.ArchiveReader.capture_body`)."""

    id: int
    url: str
    fetched_at: str
    status: int
    sha256: str | None
    size: int | None
    headers: Mapping[str, str]
    article_id: int | None = None
    run_id: int | None = None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> StoredCapture:
        try:
            headers = json.loads(row["headers"]) if row.get("headers") else {}
        except ValueError:
            headers = {}
        return cls(
            id=row["id"],
            url=row["url"],
            fetched_at=row["fetched_at"],
            status=row["status"],
            sha256=row.get("body_sha256"),
            size=row.get("size"),
            headers=headers if isinstance(headers, dict) else {},
            article_id=row.get("article_id"),
            run_id=row.get("run_id"),
        )


@dataclass(frozen=True)
class Run:
    """One crawl run (or ``hepza reprocess``): when, how it ended, what it counted, its alarms.

    ``status`` is ``running``, ``ok``, ``failed-pages``, ``alarm``, ``interrupted`` or ``internal-error``;
    ``exit_code`` the documented exit code (README "Exit codes"); ``counts`` maps ``new``, ``changed``,
    ``removed``, ``errors``… to numbers.
    """

    id: int
    started_at: str
    finished_at: str | None
    status: str
    exit_code: int | None
    mode: str | None
    site_url: str | None
    counts: Mapping[str, int]
    alarms: tuple[str, ...]

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Run:
        return cls(
            id=row["id"],
            started_at=row["started_at"],
            finished_at=row.get("finished_at"),
            status=row["status"],
            exit_code=row.get("exit_code"),
            mode=row.get("mode"),
            site_url=row.get("site_url"),
            counts={name: int(row.get(name) or 0) for name in RUN_COUNTS if name in row},
            alarms=_json_list(row.get("alarms")),
        )


@dataclass(frozen=True)
class RunError:
    """A page or file a run could not fetch or archive."""

    id: int
    run_id: int | None
    at: str
    url: str
    kind: str
    status: int | None
    message: str | None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> RunError:
        return cls(
            id=row["id"],
            run_id=row.get("run_id"),
            at=row["at"],
            url=row["url"],
            kind=row["kind"],
            status=row.get("status"),
            message=row.get("message"),
        )


# --- reads -----------------------------------------------------------------------------------------


def resolve_article_id(conn: sqlite3.Connection, ref: int | str) -> int:
    """An article's id from its id (an int or digits) or any URL that ever reached it."""
    text = str(ref)
    if text.isdigit():
        row = conn.execute("SELECT id FROM articles WHERE id = ?", [int(text)]).fetchone()
        if row:
            return row[0]
    key = article_key(text)
    if key:
        row = conn.execute("SELECT article_id FROM article_urls WHERE url_key = ? LIMIT 1", [key]).fetchone()
        if row:
            return row[0]
    raise ArticleNotFound(f"no archived article matches {text!r}")


def article_row(conn: sqlite3.Connection, article_id: int) -> Row | None:
    found = rows(conn, "SELECT * FROM articles WHERE id = ?", [article_id])
    return found[0] if found else None


def article_rows(
    conn: sqlite3.Connection,
    *,
    category: str | None = None,
    edited: bool | None = None,
    removed: bool | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[Row]:
    """Articles, newest published first; each filter left as None does not filter."""
    where, params = [], []
    if category is not None:
        where.append("(category = ? OR ? IN (SELECT value FROM json_each(coalesce(categories, '[]'))))")
        params += [category, category]
    if edited is not None:
        where.append("version_count > 1" if edited else "version_count <= 1")
    if removed is not None:
        where.append("removed_at IS NOT NULL" if removed else "removed_at IS NULL")
    sql = "SELECT * FROM articles" + (f" WHERE {' AND '.join(where)}" if where else "")
    sql += " ORDER BY published_at DESC, id DESC LIMIT ? OFFSET ?"
    return rows(conn, sql, [*params, -1 if limit is None else limit, offset])


def fts_query(text: str | None) -> str:
    """A safe FTS5 MATCH expression for the words of ``text``, folded like the index (all words must match)."""
    from datasette.utils import escape_fts  # (its quoting rules are the ones the search box uses)

    folded = fold_key(text or "")
    # A query with no word matches nothing (instead of an FTS5 syntax error).
    return escape_fts(folded) if folded.strip('" ') else '""'


def search_rows(conn: sqlite3.Connection, query: str, *, limit: int | None = 20) -> list[Row]:
    """Articles whose title or body holds every word of ``query``, best match first (bm25): a word typed
    without diacritics matches every accented form, one typed with them those letters
    (:mod:`archive.searching`). A query with no word finds nothing."""
    from archive.searching import BadQuery, matching_article_ids, parse_query

    try:
        ids = matching_article_ids(conn, parse_query(query))
    except BadQuery:
        return []
    found = [article_row(conn, article_id) for article_id in ids[: None if limit is None else limit]]
    return [row for row in found if row is not None]


def url_rows(conn: sqlite3.Connection, article_id: int) -> list[Row]:
    """Every URL that reached an article (``url``, ``first_seen_at``), in the order they were first seen."""
    return rows(
        conn,
        "select url, first_seen_at from article_urls where article_id = ? order by first_seen_at, url",
        [article_id],
    )


def document_ref_rows(conn: sqlite3.Connection, article_id: int) -> list[Row]:
    """The documents an article cites (``kind``, ``number``, ``issuer``, ``issued_on``, ``raw``)."""
    return rows(conn, "select * from document_refs where article_id = ? order by id", [article_id])


def has_table(conn: sqlite3.Connection, name: str) -> bool:
    """Whether the archive has this table (an older archive opened read-only lacks the later ones)."""
    return bool(conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", [name]).fetchone())


def version_rows(conn: sqlite3.Connection, article_id: int) -> list[Row]:
    """Every version of an article, oldest first, with its ``significance`` score and
    ``significance_factors`` (JSON) where the archive has them."""
    if not has_table(conn, "version_significance"):
        return rows(
            conn, "SELECT * FROM article_versions WHERE article_id = ? ORDER BY version", [article_id]
        )
    return rows(
        conn,
        "SELECT v.*, s.score AS significance, s.factors AS significance_factors FROM article_versions v "
        "LEFT JOIN version_significance s ON s.version_id = v.id WHERE v.article_id = ? ORDER BY v.version",
        [article_id],
    )


def significant_version_rows(
    conn: sqlite3.Connection, min_score: int = 0, *, limit: int | None = 50
) -> list[Row]:
    """Versions whose change scores ``min_score`` or more, most significant first, then newest (none in an
    archive older than the scores opened read-only)."""
    if not has_table(conn, "version_significance"):
        return []
    return rows(
        conn,
        "SELECT v.*, s.score AS significance, s.factors AS significance_factors FROM version_significance s "
        "JOIN article_versions v ON v.id = s.version_id WHERE s.score >= ? "
        "ORDER BY s.score DESC, v.captured_at DESC, v.id DESC LIMIT ?",
        [min_score, -1 if limit is None else limit],
    )


def run_edit_pairs(conn: sqlite3.Connection, run_id: int) -> list[tuple[Row, Row]]:
    """The edits a run archived (versions of kind ``edit``), each as (version before, version), in the
    order they were written."""
    pairs = []
    for new in rows(
        conn, "SELECT * FROM article_versions WHERE run_id = ? AND change_kind = 'edit' ORDER BY id", [run_id]
    ):
        old = rows(
            conn,
            "SELECT * FROM article_versions WHERE article_id = ? AND version = ?",
            [new["article_id"], new["version"] - 1],
        )
        if old:
            pairs.append((old[0], new))
    return pairs


def capture_rows(conn: sqlite3.Connection, article_id: int) -> list[Row]:
    """The captures of an article, oldest first, with the size of each body."""
    return rows(
        conn,
        "SELECT c.*, b.size FROM captures c LEFT JOIN capture_bodies b ON b.sha256 = c.body_sha256 "
        "WHERE c.article_id = ? ORDER BY c.fetched_at, c.id",
        [article_id],
    )


def run_rows(conn: sqlite3.Connection, *, limit: int | None = None) -> list[Row]:
    """Crawl runs, newest first."""
    return rows(conn, "SELECT * FROM crawl_runs ORDER BY id DESC LIMIT ?", [-1 if limit is None else limit])


def run_row(conn: sqlite3.Connection, run_id: int | None) -> Row | None:
    if run_id is None:
        return None
    found = rows(conn, "SELECT * FROM crawl_runs WHERE id = ?", [run_id])
    return found[0] if found else None


def error_rows(conn: sqlite3.Connection, run_id: int | None = None) -> list[Row]:
    """The errors of one run (all runs when None), in the order they happened."""
    if run_id is None:
        return rows(conn, "SELECT * FROM crawl_errors ORDER BY id")
    return rows(conn, "SELECT * FROM crawl_errors WHERE run_id = ? ORDER BY id", [run_id])
