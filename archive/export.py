"""``hepza export`` and ``hepza backup``: the archive out of SQLite, and a consistent copy of it."""

from __future__ import annotations

import csv
import json
import os
import shutil
import sqlite3
from collections.abc import Iterator
from typing import TextIO

from archive.files import files_dir
from archive.store import Archive

# Columns that hold JSON (lists of names, of {url, title}…): JSON Lines writes them as JSON, not as strings
# of JSON, so a reader of the file gets lists (the serve's .jsonl does the same).
JSON_COLUMNS = frozenset(
    {
        "authors",
        "roles",
        "photo_credits",
        "images",
        "attachments",
        "links",
        "categories",
        "category_raw",
        "layers",
        "warnings",
        "changed_fields",
        "alarms",
        "factors",
        "checked_on",
    }
)

EXPORTABLE = {
    "articles": "SELECT * FROM articles ORDER BY id",
    "versions": "SELECT * FROM article_versions ORDER BY article_id, version",
    "urls": "SELECT * FROM article_urls ORDER BY article_id, url",
    "document_refs": "SELECT * FROM document_refs ORDER BY article_id, id",
    "runs": "SELECT * FROM crawl_runs ORDER BY id",
    "errors": "SELECT * FROM crawl_errors ORDER BY id",
}


def _rows(archive: Archive, table: str) -> tuple[list[str], Iterator[tuple]]:
    cursor = archive.db.execute(EXPORTABLE[table])
    return [d[0] for d in cursor.description], cursor


def export(archive: Archive, table: str, fmt: str, out: TextIO, *, bom: bool = False) -> int:
    """Write one table as JSON Lines (JSON columns as JSON) or CSV; returns the number of rows.

    ``bom``: the CSV starts with the UTF-8 byte order mark, without which Excel reads the file in the
    computer's ANSI code page and garbles every Vietnamese letter."""
    names, rows = _rows(archive, table)
    count = 0
    if fmt == "csv":
        if bom:
            out.write("\ufeff")
        writer = csv.writer(out)
        writer.writerow(names)
        for row in rows:
            writer.writerow(row)
            count += 1
        return count
    for row in rows:
        out.write(json.dumps(json_row(dict(zip(names, row, strict=True))), ensure_ascii=False) + "\n")
        count += 1
    return count


def json_row(row: dict) -> dict:
    """A row with its JSON columns decoded (a value that is not valid JSON stays the string it is)."""
    out = dict(row)
    for name in JSON_COLUMNS.intersection(out):
        value = out[name]
        if isinstance(value, str):
            try:
                out[name] = json.loads(value)
            except ValueError:
                pass
    return out


def backup(archive: Archive, destination: str) -> int:
    """A consistent copy of the archive, safe while a crawl writes (SQLite's online backup API), and of the
    attachment files its rows name, into ``<destination>.files/``; returns how many files were copied.

    The files are written once and never changed (named by their hash, renamed into place when whole), so
    every file the copied rows name is already complete; a file missing from the archive's folder fails the
    backup rather than make a copy that has lost it.

    The copy is made under ``<destination>.partial`` and renamed once whole and checked: a backup killed or
    out of space leaves no file that looks like a good backup."""
    partial = f"{destination}.partial"
    if os.path.exists(partial):
        os.remove(partial)  # a backup killed before: never trusted, never reused
    try:
        paths = _copy_database(archive, partial)
    except BaseException:
        if os.path.exists(partial):
            os.remove(partial)
        raise
    os.replace(partial, destination)
    return _copy_files(archive, destination, paths)


def _copy_database(archive: Archive, destination: str) -> list[str]:
    target = sqlite3.connect(destination)
    try:
        archive.db.conn.backup(target)
        if target.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise sqlite3.DatabaseError("the copy failed its integrity check")
        has_files = target.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'attachment_files'"
        ).fetchone()
        paths = (
            [r[0] for r in target.execute("SELECT DISTINCT path FROM attachment_files")] if has_files else []
        )
    finally:
        target.close()
    return paths


def _copy_files(archive: Archive, destination: str, paths: list[str]) -> int:
    source, copy = files_dir(archive.path), files_dir(destination)
    for path in paths:
        if not (source / path).is_file():
            raise OSError(f"attachment file {path} is missing from {source}")
        (copy / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / path, copy / path)
    return len(paths)
