"""Attachments linked from articles (PDF, DOC, XLS…, and images when asked), stored beside the archive in
``<db>.files/``.

Files are deduplicated by sha256 and named ``<sha256 prefix>-<safe name>`` inside a two-letter folder; a
name taken from a URL can never leave that folder (no separators, no leading dots, no ``..``).
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from pathlib import Path
from urllib.parse import unquote, urlsplit

from archive.clock import utc_now
from archive.store import Archive

_DOCUMENT_RE = re.compile(r"\.(pdf|docx?|xlsx?|pptx?|odt|ods|zip|rar|jpe?g|png|gif|webp)$", re.IGNORECASE)
_UNSAFE_RE = re.compile(r"[^\w.\-]+", re.UNICODE)
_MAX_NAME = 100


def files_dir(db_path: str) -> Path:
    return Path(f"{db_path}.files")


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


def store_attachment(
    archive: Archive, *, url: str, article_url: str, body: bytes, content_type: str | None
) -> str:
    """Write one downloaded attachment (deduplicated by content) and its row; returns its relative path."""
    digest = hashlib.sha256(body).hexdigest()
    base = files_dir(archive.path)
    existing = archive.db.execute(
        "SELECT path FROM attachment_files WHERE sha256 = ? LIMIT 1", [digest]
    ).fetchone()
    if existing:
        relative = existing[0]
    else:
        relative = f"{digest[:2]}/{digest[:16]}-{safe_name(url)}"
        target = (base / relative).resolve()
        if base.resolve() not in target.parents:
            raise ValueError(f"attachment path escapes the archive folder: {relative}")
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(target.name + ".part")
        temporary.write_bytes(body)
        os.replace(temporary, target)  # never a half-written file under the final name
    article_id = archive.find_article_id(None, [article_url])
    with archive.transaction():
        archive.db.execute(
            "INSERT OR REPLACE INTO attachment_files (url, article_id, sha256, path, size, content_type, fetched_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [url, article_id, digest, relative, len(body), content_type, utc_now()],
        )
    return relative


def downloaded_urls(archive: Archive) -> set[str]:
    return {row[0] for row in archive.db.execute("SELECT url FROM attachment_files")}
