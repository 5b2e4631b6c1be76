"""The queued events, read back with what a message and a rule need: the article, its versions, its files.

The triggers of migration ``m008_alert_queue`` (archive/schema.py) queue a row in ``alert_events`` in the
transaction that writes the change; this module only reads.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field

from archive.alerts.watches import Subject

# The fields a message shows as a word diff; the others as old → new. Narrower than archive.history's
# TEXT_FIELDS: in a message a changed date reads better whole ("2026-01-01 → 2026-01-02").
TEXT_FIELDS = ("title", "body_text", "source")
_JSON_FIELDS = ("authors", "photo_credits", "images", "attachments", "links")


@dataclass(frozen=True)
class FieldChange:
    """One changed field of an edit, as a message shows it: old and new as a reader reads them (lists
    joined, documents by their names). archive.history.FieldChange holds the stored values instead."""

    name: str
    old: str
    new: str


@dataclass
class Event:
    """One queued event and its article as archived."""

    id: int
    run_id: int | None
    kind: str
    at: str
    article_id: int | None
    version: int | None = None
    title: str = ""
    url: str | None = None
    published_at: str | None = None
    before: str | None = None  # the old address (rename), removal time (removal, return), old file hash
    after: str | None = None  # the new address (rename), the new file hash (attachment)
    changes: list[FieldChange] = field(default_factory=list)
    file: dict | None = None  # attachment: url, size, previous_size
    subject: Subject = field(default_factory=lambda: Subject(kind=""))


def _rows(db: sqlite3.Connection, sql: str, params: list | tuple = ()) -> list[dict]:
    cursor = db.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def load_events(db: sqlite3.Connection, where: str = "1", params: list | tuple = ()) -> list[Event]:
    """The events that meet an SQL condition over ``alert_events e``, oldest first."""
    return [
        _event(db, row)
        for row in _rows(db, f"SELECT e.* FROM alert_events e WHERE {where} ORDER BY e.id", params)
    ]


def _event(db: sqlite3.Connection, row: dict) -> Event:
    event = Event(
        id=row["id"],
        run_id=row["run_id"],
        kind=row["kind"],
        at=row["at"],
        article_id=row["article_id"],
        version=row["version"],
        before=row["before"],
        after=row["after"],
    )
    article = (_rows(db, "SELECT * FROM articles WHERE id = ?", [row["article_id"]]) or [{}])[0]
    versions = _versions(db, row)
    shown = versions[-1] if versions else article
    event.title = shown.get("title") or article.get("title") or ""
    event.url = article.get("url")
    event.published_at = shown.get("published_at") or article.get("published_at")
    if row["kind"] == "edit" and len(versions) == 2:
        event.changes = _changes(*versions)
    if row["kind"] == "attachment":
        event.file = _file(db, row["file_id"])
    event.subject = _subject(db, event, article, versions)
    return event


def _versions(db: sqlite3.Connection, row: dict) -> list[dict]:
    """The version the event made and the one before it (an edit), else the article's latest."""
    if row["version"] is not None:
        return _rows(
            db,
            "SELECT * FROM article_versions WHERE article_id = ? AND version IN (?, ?) ORDER BY version",
            [row["article_id"], row["version"] - 1, row["version"]],
        )
    return _rows(
        db,
        "SELECT * FROM article_versions WHERE article_id = ? ORDER BY version DESC LIMIT 1",
        [row["article_id"]],
    )


def _changes(old: dict, new: dict) -> list[FieldChange]:
    names = json.loads(new.get("changed_fields") or "[]")
    return [FieldChange(name, _as_text(name, old.get(name)), _as_text(name, new.get(name))) for name in names]


def _as_text(name: str, value: object) -> str:
    """A field's value as a reader reads it: lists joined, documents and images by their names."""
    if value is None:
        return ""
    if name not in _JSON_FIELDS:
        return str(value)
    items = json.loads(str(value)) if value else []
    shown = []
    for item in items:
        if isinstance(item, dict):
            shown.append(
                str(item.get("name") or item.get("text") or item.get("url") or item.get("src") or "")
            )
        else:
            shown.append(str(item))
    return ", ".join(s for s in shown if s)


def _file(db: sqlite3.Connection, file_id: int | None) -> dict | None:
    rows = _rows(db, "SELECT url, size, sha256 FROM attachment_files WHERE id = ?", [file_id])
    if not rows:
        return None
    current = rows[0]
    previous = _rows(
        db,
        "SELECT size FROM attachment_files WHERE url = ? AND id < ? ORDER BY id DESC LIMIT 1",
        [current["url"], file_id],
    )
    return {**current, "previous_size": previous[0]["size"] if previous else None}


def _subject(db: sqlite3.Connection, event: Event, article: dict, versions: list[dict]) -> Subject:
    keys = {
        r["url_key"]
        for r in _rows(db, "SELECT url_key FROM article_urls WHERE article_id = ?", [event.article_id])
    }
    if article.get("url_key"):
        keys.add(article["url_key"])
    categories = set(json.loads(article.get("categories") or "[]"))
    if article.get("category"):
        categories.add(article["category"])
    texts = [str(v.get(name) or "") for v in versions or [article] for name in ("title", "body_text")]
    authors = [str(a) for a in json.loads(article.get("authors") or "[]")]
    documents = [
        r["number"]
        for r in _rows(db, "SELECT number FROM document_refs WHERE article_id = ?", [event.article_id])
        if r["number"]
    ]
    if event.file:
        texts.append(event.file["url"])
    return Subject(
        kind=event.kind,
        url=event.url,
        url_keys=keys,
        categories=categories,
        texts=texts,
        authors=authors,
        documents=documents,
    )
