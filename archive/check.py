"""``hepza check``: is the archive sound? SQLite integrity, every version's hash against its content, every
capture's hash against its bytes, each article against its newest version, and every downloaded attachment's
file against its hash. Stops at the first problem."""

from __future__ import annotations

import hashlib
import json

from archive.files import files_dir
from archive.store import Archive
from pipelines.hashing import content_hash
from pipelines.model import CONTENT_FIELDS

_JSON_FIELDS = ("authors", "photo_credits", "images", "attachments", "links")


def first_problem(archive: Archive) -> str | None:
    """A one-line description of the first problem found, or None when the archive is sound."""
    db = archive.db
    result = db.execute("PRAGMA integrity_check").fetchone()[0]
    if result != "ok":
        return f"integrity_check: {' '.join(result.split())}"
    bad_key = db.execute("PRAGMA foreign_key_check").fetchone()
    if bad_key:
        return f"foreign key broken in {bad_key[0]} row {bad_key[1]}"
    # An archive opened read-only may predate a content field added later (its versions hash without it).
    present = set(db["article_versions"].columns_dict)
    fields = [name for name in CONTENT_FIELDS if name in present]
    for row in db.execute(
        f"SELECT article_id, version, content_hash, {', '.join(fields)} FROM article_versions ORDER BY id"
    ):
        if content_hash(_content(fields, row[3:])) != row[2]:
            return f"article {row[0]} version {row[1]}: content does not match its hash"
    problem = _article_problem(archive, [name for name in fields if name in db["articles"].columns_dict])
    if problem:
        return problem
    dictionaries = db["capture_dictionaries"].exists()  # (an archive older than them, opened read-only)
    for sha256, data in db.execute("SELECT sha256, data FROM capture_dictionaries") if dictionaries else ():
        if hashlib.sha256(data).hexdigest() != sha256:
            return f"capture dictionary {sha256[:12]}: bytes do not match their hash"
    for (sha256,) in db.execute("SELECT sha256 FROM capture_bodies"):
        try:
            body = archive.capture_body(sha256)
        except Exception as exc:  # a corrupt blob must be reported, not crash the check
            return f"capture {sha256[:12]}: cannot be decompressed ({exc})"
        if hashlib.sha256(body).hexdigest() != sha256:
            return f"capture {sha256[:12]}: bytes do not match their hash"
    return _attachment_problem(archive)


def _content(fields: list[str], values) -> dict:
    """The clean content of a row as it was hashed (JSON lists decoded)."""
    return {
        name: (json.loads(value) if value else []) if name in _JSON_FIELDS else value
        for name, value in zip(fields, values, strict=True)
    }


def _article_problem(archive: Archive, fields: list[str]) -> str | None:
    """The first article whose current row is not its newest version: the version number, the hash the row
    claims, and the hash of the row's own clean fields (an article row edited by hand) must all agree."""
    db = archive.db
    for row in db.execute(f"SELECT id, content_hash, version_count, {', '.join(fields)} FROM articles"):
        article_id, digest, count = row[:3]
        newest = db.execute(
            "SELECT version, content_hash FROM article_versions WHERE article_id = ? "
            "ORDER BY version DESC LIMIT 1",
            [article_id],
        ).fetchone()
        if newest is None or newest[0] != count or newest[1] != digest:
            return f"article {article_id}: current content does not match its newest version"
        current = _content(fields, row[3:])
        if content_hash(current) != digest:
            version = db.execute(
                f"SELECT {', '.join(fields)} FROM article_versions WHERE article_id = ? AND version = ?",
                [article_id, count],
            ).fetchone()
            stored = _content(fields, version)
            field = next((name for name in fields if current[name] != stored[name]), "content")
            return f"article {article_id}: {field} differs from its newest version ({count})"
    return None


def _attachment_problem(archive: Archive) -> str | None:
    """The first attachment whose file is missing from ``<db>.files/`` or holds other bytes than it did."""
    if not archive.db["attachment_files"].exists():  # (an archive older than attachments, opened read-only)
        return None
    folder = files_dir(archive.path)
    for sha256, path in archive.db.execute(
        "SELECT DISTINCT sha256, path FROM attachment_files ORDER BY path"
    ):
        try:
            digest = hashlib.sha256((folder / path).read_bytes()).hexdigest()
        except OSError:
            return f"attachment file {path}: missing from {folder}"
        if digest != sha256:
            return f"attachment file {path}: bytes do not match their hash"
    return None
