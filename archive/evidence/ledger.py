"""The ledger: one leaf of the archive's Merkle tree per event that changes what the archive asserts.

Events: a capture stored (``captures``), a version written (``article_versions``, re-processed ones
included), an attachment's content stored or replaced (``attachment_files``), a migration flag changed
(``migration_flag_changes``), a removal confirmed and a return (``articles.removed_at`` set, cleared), and
a re-process run. Each leaf's data is the canonical JSON (sorted keys, compact, UTF-8) of what the event
wrote: the row's identity, the content hashes it asserts, and ``row_sha256``, the hash of the row's columns
as stored (a fixed list per table, so a column added by a later migration changes no earlier leaf). A
version's leaf also names the leaf of the article's previous version (``previous``): the versions of an
article are a hash chain inside the tree.

The same functions build a leaf when the event is written and when ``hepza verify`` rebuilds it from the
rows, so the two can only agree when the rows are what they were. Leaves are appended in the transaction
that writes the event (the callers' ``Archive.transaction``): an event and its leaf commit together.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator, Mapping
from typing import Any

from archive.evidence.merkle import leaf_hash

# The columns each leaf hashes, per table: those the archive writes once (attachment_files' re-check
# columns, updated by every re-check, are left out; so are derived summaries of a version).
ROW_COLUMNS: dict[str, tuple[str, ...]] = {
    "captures": (
        "id",
        "url",
        "article_id",
        "run_id",
        "fetched_at",
        "status",
        "headers",
        "body_sha256",
        "http_head",
        "http_request",
        "wire_sha256",
    ),
    # A 304 answer: the capture it confirmed, and the heads as exchanged (a WARC revisit record).
    "capture_not_modified": (
        "id",
        "url",
        "article_id",
        "run_id",
        "fetched_at",
        "status",
        "capture_id",
        "http_head",
        "http_request",
    ),
    "article_versions": (
        "id",
        "article_id",
        "version",
        "captured_at",
        "run_id",
        "change_kind",
        "changed_fields",
        "content_hash",
        "source_hash",
        "capture_id",
        "extractor_version",
        "title",
        "body_text",
        "authors",
        "source",
        "photo_credits",
        "published_at",
        "event_date",
        "images",
        "attachments",
        "links",
        "diff_summary",
    ),
    "attachment_files": ("id", "url", "article_id", "sha256", "path", "size", "content_type", "fetched_at"),
    "migration_flag_changes": ("id", "run_id", "article_id", "at", "published_is_migration", "reasons"),
}
# The event each table's rows are.
TABLE_EVENTS = {
    "captures": "capture",
    "capture_not_modified": "not-modified",
    "article_versions": "version",
    "attachment_files": "attachment",
    "migration_flag_changes": "migration-flag",
}
REMOVAL, RETURN, REPROCESS = "removal", "return", "reprocess"


def canonical(data: Mapping[str, Any]) -> bytes:
    """The one byte spelling of a leaf's data."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def row_sha256(table: str, row: Mapping[str, Any]) -> str:
    """The hash of a row's ledgered columns as stored (a missing column, in an older archive, is null)."""
    values = [row.get(name) for name in ROW_COLUMNS[table]]
    encoded = json.dumps(
        [v.hex() if isinstance(v, bytes) else v for v in values], ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def row_data(table: str, row: Mapping[str, Any], extra: Mapping[str, Any] | None = None) -> dict:
    """A row's leaf data: the event, the row's id, the article, the hashes it asserts, its row hash."""
    data: dict[str, Any] = {
        "event": TABLE_EVENTS[table],
        "table": table,
        "id": row["id"],
        "article_id": row.get("article_id"),
        "row_sha256": row_sha256(table, row),
    }
    if table == "captures":
        data.update(url=row["url"], fetched_at=row["fetched_at"], status=row["status"])
        data["body_sha256"] = row["body_sha256"]
    elif table == "article_versions":
        data.update(version=row["version"], captured_at=row["captured_at"], capture_id=row["capture_id"])
        data["content_hash"] = row["content_hash"]
    elif table == "attachment_files":
        data["sha256"] = row["sha256"]
    return data | dict(extra or {})


def fetch_row(db: sqlite3.Connection, table: str, row_id: int) -> dict | None:
    cursor = db.execute(f"SELECT * FROM {table} WHERE id = ?", [row_id])
    found = cursor.fetchone()
    if found is None:
        return None
    return dict(zip([d[0] for d in cursor.description], found, strict=True))


def version_extra(
    db: sqlite3.Connection,
    row: Mapping[str, Any],
    before_index: int | None = None,
    known_capture: str | None = None,
) -> dict:
    """What a version's leaf adds to its row: its capture's body hash, and the leaf hash of the article's
    previous version (the chain; None for the first). ``before_index`` looks only at earlier leaves (when
    a leaf is rebuilt by ``hepza verify``)."""
    capture = known_capture
    if capture is None and row.get("capture_id") is not None:
        found = db.execute("SELECT body_sha256 FROM captures WHERE id = ?", [row["capture_id"]]).fetchone()
        capture = found[0] if found else None
    limit = "" if before_index is None else " AND idx < ?"
    previous = db.execute(
        "SELECT leaf_hash FROM ledger_leaves WHERE event = 'version' AND article_id = ?"
        + limit
        + " ORDER BY idx DESC LIMIT 1",
        [row["article_id"], *([] if before_index is None else [before_index])],
    ).fetchone()
    return {"capture_sha256": capture, "previous": previous[0] if previous else None}


def append(
    db: sqlite3.Connection,
    data: Mapping[str, Any],
    *,
    ref_table: str | None = None,
    ref_id: int | None = None,
) -> int:
    """Add one leaf; returns its index (0-based, the tree's order)."""
    encoded = canonical(data)
    # One statement: the next index is computed by SQLite (idx is the rowid, so it comes back as such).
    cursor = db.execute(
        "INSERT INTO ledger_leaves (idx, event, ref_table, ref_id, article_id, data, leaf_hash) "
        "SELECT coalesce(max(idx) + 1, 0), ?, ?, ?, ?, ?, ? FROM ledger_leaves",
        [
            data["event"],
            ref_table,
            ref_id,
            data.get("article_id"),
            encoded.decode("utf-8"),
            leaf_hash(encoded).hex(),
        ],
    )
    assert cursor.lastrowid is not None  # (an INSERT always gives its rowid)
    return cursor.lastrowid


def record_row(
    db: sqlite3.Connection,
    table: str,
    row_id: int,
    row: Mapping[str, Any] | None = None,
    capture_sha256: str | None = None,
) -> int:
    """The leaf of a row just written (in the transaction that wrote it). The hot path (a page's capture
    and version) hands over the values it inserted, ``row`` with its id, and a version's capture body hash,
    instead of reading them back: ``hepza verify`` rebuilds the leaf from the stored row, so values that
    were not what SQLite stored could only make it fail, never pass."""
    if row is None:
        row = fetch_row(db, table, row_id)
        if row is None:
            raise ValueError(f"no {table} row {row_id} to record")
    extra = None
    if table == "article_versions":
        extra = version_extra(db, row, known_capture=capture_sha256)
    return append(db, row_data(table, row, extra), ref_table=table, ref_id=row_id)


def removal_data(article_id: int, removed_at: str | None, run_id: int | None) -> dict:
    return {"event": REMOVAL, "article_id": article_id, "removed_at": removed_at, "run_id": run_id}


def return_data(article_id: int, removed_at: str | None, seen_at: str | None) -> dict:
    return {"event": RETURN, "article_id": article_id, "removed_at": removed_at, "seen_at": seen_at}


def reprocess_data(run_id: int, started_at: str | None) -> dict:
    return {"event": REPROCESS, "run_id": run_id, "started_at": started_at}


def record_removal(
    db: sqlite3.Connection, article_id: int, removed_at: str | None, run_id: int | None
) -> int:
    return append(db, removal_data(article_id, removed_at, run_id), ref_table="articles", ref_id=article_id)


def record_return(
    db: sqlite3.Connection, article_id: int, removed_at: str | None, seen_at: str | None
) -> int:
    return append(db, return_data(article_id, removed_at, seen_at), ref_table="articles", ref_id=article_id)


def record_reprocess(db: sqlite3.Connection, run_id: int) -> int:
    row = db.execute("SELECT started_at FROM crawl_runs WHERE id = ?", [run_id]).fetchone()
    return append(db, reprocess_data(run_id, row[0] if row else None), ref_table="crawl_runs", ref_id=run_id)


def leaves(db: sqlite3.Connection) -> Iterator[tuple[int, str, str | None, int | None, str, bytes]]:
    """(index, event, table, row id, data, leaf hash) of every leaf, in order."""
    for idx, event, table, ref_id, data, digest in db.execute(
        "SELECT idx, event, ref_table, ref_id, data, leaf_hash FROM ledger_leaves ORDER BY idx"
    ):
        yield idx, event, table, ref_id, data, bytes.fromhex(digest)


def leaf_hashes(db: sqlite3.Connection, size: int | None = None) -> list[bytes]:
    """The leaf hashes in tree order (the first ``size`` of them)."""
    sql = "SELECT leaf_hash FROM ledger_leaves ORDER BY idx"
    rows = db.execute(sql + " LIMIT ?", [size]) if size is not None else db.execute(sql)
    return [bytes.fromhex(r[0]) for r in rows]


def backfill(db: sqlite3.Connection) -> int:
    """Leaves for what an archive held before it had a ledger, in the order it was written: captures,
    304 answers, versions, attachment contents, flag changes by id (each table's rows in their own order, a version
    after the capture it names), then the removals standing now. Returns how many leaves it added."""
    events: list[tuple[str, int, str]] = []
    for table, time_column in (
        ("captures", "fetched_at"),
        ("capture_not_modified", "fetched_at"),
        ("article_versions", "captured_at"),
        ("attachment_files", "fetched_at"),
        ("migration_flag_changes", "at"),
    ):
        for row_id, at in db.execute(f"SELECT id, {time_column} FROM {table} ORDER BY id"):
            events.append((at or "", row_id, table))
    order = {
        "captures": 0,
        "capture_not_modified": 1,
        "article_versions": 2,
        "attachment_files": 3,
        "migration_flag_changes": 4,
    }
    events.sort(key=lambda e: (e[0], order[e[2]], e[1]))
    for _, row_id, table in events:
        record_row(db, table, row_id)
    removed = db.execute(
        "SELECT id, removed_at, missing_run_id FROM articles WHERE removed_at IS NOT NULL ORDER BY id"
    ).fetchall()
    for article_id, removed_at, run_id in removed:
        record_removal(db, article_id, removed_at, run_id)
    return len(events) + len(removed)
