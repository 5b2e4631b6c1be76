"""The archive's captures in SQLite: raw responses stored once per sha256, compressed by archive/captures.py.

A body is stored as a delta against its article's first capture (its keyframe) when the article has one,
else as a keyframe: plain zstd for the archive's first keyframes, then with the zstd dictionary the
archive trains on them (``capture_dictionaries``, append-only like the bodies). Every write goes to the
Archive's own connection, inside the transaction or batch the Archive has open: a capture commits or rolls
back with the article it belongs to.
"""

from __future__ import annotations

import hashlib
import json

from sqlite_utils import Database

from archive import captures as capture_codec
from archive.captures import Capture
from archive.clock import utc_now
from archive.errors import ArchiveError
from archive.evidence import ledger


class CaptureStore:
    """The ``captures``, ``capture_bodies`` and ``capture_dictionaries`` rows of one archive, and the
    trained dictionary it keeps in memory."""

    def __init__(self, db: Database, dictionary_samples: int) -> None:
        self.db = db
        # Keyframes stored plainly before the dictionary is trained (archive.store.DICTIONARY_SAMPLES).
        self.dictionary_samples = dictionary_samples
        self.forget_cached_state()

    def forget_cached_state(self) -> None:
        """What the store keeps in memory of its own rows, read again after a rollback (which may
        have taken a just-trained dictionary back out)."""
        self._dictionary: capture_codec.TrainedDictionary | None = None
        self._plain_keyframes: int | None = None
        self._train_at = self.dictionary_samples

    def store(self, capture: Capture, article_id: int | None, run_id: int | None) -> int:
        """Write one capture (its body only if no capture had the same bytes); returns the capture's id."""
        digest = self._store_body(capture.body, article_id)
        wire = capture.wire_body
        wire_sha = self._store_body(wire, article_id) if wire is not None and wire != capture.body else None
        row = {
            "url": capture.url,
            "article_id": article_id,
            "run_id": run_id,
            "fetched_at": capture.fetched_at,
            "status": capture.status,
            "headers": json.dumps(capture.headers, ensure_ascii=False),
            "body_sha256": digest,
            "http_head": capture.http_head,
            "http_request": capture.http_request,
            "wire_sha256": wire_sha,
        }
        cursor = self.db.execute(
            f"INSERT INTO captures ({', '.join(row)}) VALUES ({', '.join(':' + name for name in row)})",
            row,
        )
        assert cursor.lastrowid is not None  # (an INSERT always gives its rowid)
        ledger.record_row(self.db.conn, "captures", cursor.lastrowid, row | {"id": cursor.lastrowid})
        return cursor.lastrowid

    def store_not_modified(self, answer: Capture, article_id: int, run_id: int | None) -> None:
        """A 304 answer to the article's conditional request, tied to the capture it confirmed (the
        article's latest): a WARC revisit record of profile server-not-modified (archive/warc.py)."""
        confirmed = self.db.execute(
            "SELECT max(id) FROM captures WHERE article_id = ?", [article_id]
        ).fetchone()
        row = {
            "url": answer.url,
            "article_id": article_id,
            "run_id": run_id,
            "fetched_at": answer.fetched_at,
            "status": answer.status,
            "capture_id": confirmed[0],
            "http_head": answer.http_head,
            "http_request": answer.http_request,
        }
        cursor = self.db.execute(
            f"INSERT INTO capture_not_modified ({', '.join(row)}) VALUES ({', '.join(':' + n for n in row)})",
            row,
        )
        assert cursor.lastrowid is not None  # (an INSERT always gives its rowid)
        ledger.record_row(
            self.db.conn, "capture_not_modified", cursor.lastrowid, row | {"id": cursor.lastrowid}
        )

    def _store_body(self, body: bytes, article_id: int | None) -> str:
        """Store a body unless one with the same bytes is stored; returns its sha256."""
        digest = hashlib.sha256(body).hexdigest()
        exists = self.db.execute("SELECT 1 FROM capture_bodies WHERE sha256 = ?", [digest]).fetchone()
        if not exists:
            base_sha, base = self._keyframe(article_id)
            if base:
                codec, data = capture_codec.compress(body, base)
            else:
                trained = self._trained_dictionary(body)
                codec, data = capture_codec.compress(body, trained=trained)
                base_sha = trained.sha256 if trained else None
            self.db.execute(
                "INSERT INTO capture_bodies (sha256, codec, base_sha256, size, data) VALUES (?, ?, ?, ?, ?)",
                [digest, codec, base_sha, len(body), data],
            )
        return digest

    def _keyframe(self, article_id: int | None) -> tuple[str | None, bytes | None]:
        """The article's first stored body, the dictionary its later captures are compressed against."""
        if article_id is None:
            return None, None
        row = self.db.execute(
            "SELECT b.sha256, b.codec, b.base_sha256, b.data FROM captures c "
            "JOIN capture_bodies b ON b.sha256 = c.body_sha256 "
            "WHERE c.article_id = ? AND b.codec IN (?, ?) ORDER BY c.id LIMIT 1",
            [article_id, capture_codec.CODEC_ZSTD, capture_codec.CODEC_ZSTD_DICT],
        ).fetchone()
        if row is None:
            return None, None
        return row[0], self._decompress(row[1], row[2], row[3])

    def _trained_dictionary(self, body: bytes) -> capture_codec.TrainedDictionary | None:
        """The archive's capture dictionary; trained (in the current transaction) from the last stored
        keyframes and ``body`` once there are DICTIONARY_SAMPLES of them; None before."""
        if self._dictionary is not None:
            return self._dictionary
        if self._plain_keyframes is None:
            row = self.db.execute(
                "SELECT sha256, data FROM capture_dictionaries ORDER BY created_at DESC, rowid DESC LIMIT 1"
            ).fetchone()
            if row is not None:
                self._dictionary = capture_codec.TrainedDictionary(row[0], row[1])
                return self._dictionary
            self._plain_keyframes = self.db.execute(
                "SELECT count(*) FROM capture_bodies WHERE codec = ?", [capture_codec.CODEC_ZSTD]
            ).fetchone()[0]
        self._plain_keyframes += 1
        if self._plain_keyframes < self._train_at:
            return None
        shas = self.db.execute(
            "SELECT sha256 FROM capture_bodies WHERE codec = ? ORDER BY rowid DESC LIMIT ?",
            [capture_codec.CODEC_ZSTD, self.dictionary_samples - 1],
        ).fetchall()
        samples = [self.body(sha) for (sha,) in shas] + [body]
        try:
            trained = capture_codec.train_dictionary(samples)
        except Exception:  # zstd found too little to learn from (tiny pages): try again with twice as many
            self._train_at = self._plain_keyframes * 2
            return None
        self.db.execute(
            "INSERT INTO capture_dictionaries (sha256, created_at, samples, size, data) VALUES (?, ?, ?, ?, ?)",
            [trained.sha256, utc_now(), len(samples), len(trained.data), trained.data],
        )
        self._dictionary = trained
        return trained

    def body(self, sha256: str) -> bytes:
        """The bytes of a stored body."""
        row = self.db.execute(
            "SELECT codec, base_sha256, data FROM capture_bodies WHERE sha256 = ?", [sha256]
        ).fetchone()
        if row is None:
            raise ArchiveError(f"no capture body {sha256}")
        return self._decompress(*row)

    def _decompress(self, codec: str, base_sha256: str | None, data: bytes) -> bytes:
        base: bytes | None
        if codec == capture_codec.CODEC_ZSTD_DICT:
            base = self._dictionary_bytes(base_sha256)
        else:
            base = self.body(base_sha256) if base_sha256 else None
        return capture_codec.decompress(codec, data, base)

    def _dictionary_bytes(self, sha256: str | None) -> bytes:
        if self._dictionary is not None and self._dictionary.sha256 == sha256:
            return self._dictionary.data
        row = self.db.execute("SELECT data FROM capture_dictionaries WHERE sha256 = ?", [sha256]).fetchone()
        if row is None:
            raise ArchiveError(f"no capture dictionary {sha256}")
        return row[0]
