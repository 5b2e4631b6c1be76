"""Attachments linked from articles (PDF, DOC, XLS…, and images when asked), stored beside the archive in
``<db>.files/``.

Files are deduplicated by sha256 and named ``<sha256 prefix>-<safe name>`` inside a two-letter folder; a
name taken from a URL can never leave that folder (no separators, no leading dots, no ``..``).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
from pathlib import Path
from urllib.parse import unquote, urlsplit

from archive.clock import utc_now
from archive.evidence import ledger
from archive.store import Archive
from pipelines.attachments import FILE_NAME_RE as _DOCUMENT_RE
from pipelines.urls import strip_cache_buster

_UNSAFE_RE = re.compile(r"[^\w.\-]+", re.UNICODE)
_MAX_NAME = 100


def files_dir(db_path: str) -> Path:
    """The archive's folder of files, beside its real path (a symlinked --db reaches the same folder)."""
    return Path(f"{os.path.realpath(db_path)}.files")


def safe_name(url: str) -> str:
    """A file name from a document URL that is safe on any file system and stays in its folder.

    Liferay document URLs end ``/<file name>/<uuid>``, so the segment with a document extension is used.
    """
    segments = [unquote(s) for s in urlsplit(url).path.split("/") if s]
    name = next(
        (s for s in reversed(segments) if _DOCUMENT_RE.search(s)), segments[-1] if segments else "file"
    )
    name = unicodedata.normalize("NFC", name.replace("\\", "/").split("/")[-1])
    name = _UNSAFE_RE.sub("_", name).lstrip("._-")
    if len(name) > _MAX_NAME:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: _MAX_NAME - len(ext) - 1] + dot + ext) if dot and len(ext) <= 5 else name[:_MAX_NAME]
    return name or "file"


# What a fetch of an attachment found (``store_attachment``), as counted in a run's summary.
NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"


def store_attachment(
    archive: Archive,
    *,
    url: str,
    article_url: str,
    body: bytes,
    content_type: str | None,
    etag: str | None = None,
    last_modified: str | None = None,
) -> tuple[str, str]:
    """Keep what one fetch of an attachment brought; returns what it found (``new``, ``changed`` or
    ``unchanged``) and the file's path relative to the files folder.

    A URL that serves other bytes than last time gets a new row (its earlier rows and files stay: the
    ``attachment_changes`` view pairs them); the same bytes only mark the latest row as checked. Files are
    deduplicated by content."""
    digest = hashlib.sha256(body).hexdigest()
    now = utc_now()
    latest = _latest(archive, url)
    if latest is not None and latest[1] == digest:
        with archive.transaction():
            archive.db.execute(
                "UPDATE attachment_files SET checked_at = ?, etag = ?, last_modified = ? WHERE id = ?",
                [now, etag, last_modified, latest[0]],
            )
        return UNCHANGED, latest[2]
    relative = _write_file(archive, url, body, digest)
    article_id = archive.find_article_id(None, [article_url])
    with archive.transaction():
        cursor = archive.db.execute(
            "INSERT INTO attachment_files (url, article_id, sha256, path, size, content_type, fetched_at, "
            "checked_at, etag, last_modified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [url, article_id, digest, relative, len(body), content_type, now, now, etag, last_modified],
        )
        assert cursor.lastrowid is not None  # (an INSERT always gives its rowid)
        ledger.record_row(archive.db.conn, "attachment_files", cursor.lastrowid)
    return (NEW if latest is None else CHANGED), relative


def attachment_not_modified(archive: Archive, url: str) -> bool:
    """A re-check answered 304: the latest content of ``url`` is still current. False if the archive holds
    none (a 304 to a request that was not conditional proves nothing)."""
    latest = _latest(archive, url)
    if latest is None:
        return False
    with archive.transaction():
        archive.db.execute("UPDATE attachment_files SET checked_at = ? WHERE id = ?", [utc_now(), latest[0]])
    return True


def attachment_validators(archive: Archive) -> dict[str, tuple[str | None, str | None]]:
    """URL -> (ETag, Last-Modified) of its latest content, for conditional re-checks; every URL the archive
    has a file of is a key, with or without validators."""
    rows = archive.db.execute(
        "SELECT url, etag, last_modified FROM attachment_files f "
        "WHERE id = (SELECT max(id) FROM attachment_files WHERE url = f.url)"
    )
    return {url: (etag, last_modified) for url, etag, last_modified in rows}


def failed_attachments(archive: Archive, retries: int) -> list[tuple[str, str]]:
    """(attachment URL, article URL) of the documents live articles link that the archive holds no file
    for, and whose download failed in at most ``retries`` runs so far: what a later run asks for again,
    instead of waiting for the article's next re-check (a document over the size cap, or gone, is given
    up after that many runs)."""
    held = {row[0] for row in archive.db.execute("SELECT DISTINCT url FROM attachment_files")}
    failures: dict[str, set[int]] = {}
    for url, run_id in archive.db.execute("SELECT url, run_id FROM crawl_errors"):
        failures.setdefault(strip_cache_buster(url), set()).add(run_id)
    wanted = []
    for article_url, attachments in archive.db.execute(
        "SELECT url, attachments FROM articles WHERE removed_at IS NULL AND attachments NOT IN ('', '[]')"
    ):
        for attachment in json.loads(attachments):
            url = attachment["url"]
            if url not in held and len(failures.get(url, ())) <= retries:
                wanted.append((url, article_url))
    return wanted


def _latest(archive: Archive, url: str) -> tuple[int, str, str] | None:
    """(id, sha256, path) of the latest row of ``url``."""
    return archive.db.execute(
        "SELECT id, sha256, path FROM attachment_files WHERE url = ? ORDER BY id DESC LIMIT 1", [url]
    ).fetchone()


def _write_file(archive: Archive, url: str, body: bytes, digest: str) -> str:
    """The file of these bytes under the files folder, written once (never half-written under its name)."""
    base = files_dir(archive.path)
    existing = archive.db.execute(
        "SELECT path FROM attachment_files WHERE sha256 = ? LIMIT 1", [digest]
    ).fetchone()
    if existing:
        return existing[0]
    relative = f"{digest[:2]}/{digest[:16]}-{safe_name(url)}"
    target = (base / relative).resolve()
    if base.resolve() not in target.parents:
        raise ValueError(f"attachment path escapes the archive folder: {relative}")
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(target.name + ".part")
    temporary.write_bytes(body)
    os.replace(temporary, target)
    return relative
