"""The archive: one SQLite file (WAL) holding articles, their versions, URLs, captures and crawl runs.

Every write about one article is one transaction (``BEGIN IMMEDIATE`` … ``COMMIT``), so a crash at any point
leaves either all of it or none of it. The hot path writes with parameterised SQL on the sqlite-utils
connection; sqlite-utils builds and migrates the schema.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from sqlite_utils import Database

from archive import captures as capture_codec
from archive.captures import Capture
from archive.diffs import summary as diff_summary
from archive.schema import ensure_schema
from pipelines import EXTRACTOR_VERSION
from pipelines.hashing import canonical_json, content_hash
from pipelines.model import CONTENT_FIELDS, ArticleRecord
from pipelines.text import fold_key
from pipelines.urls import article_key, canonical_url

# What a fetch did to the archive.
NEW, CHANGED, UNCHANGED, RETURNED = "new", "changed", "unchanged", "returned"
# Why a version was written: the first capture, an edit by the agency, or a change in our own extraction.
KIND_FIRST, KIND_EDIT, KIND_EXTRACTION, KIND_REPROCESS = "first", "edit", "extraction", "reprocess"
_JSON_FIELDS = ("authors", "photo_credits", "images", "attachments")
# Keyframes stored plainly before the archive trains its capture dictionary (archive/captures.py): enough
# pages to learn the portal's chrome from, few enough that nearly all of an archive benefits.
DICTIONARY_SAMPLES = 64


# One save looks at the same few URLs several times (the page's URL, its canonical, its hreflang
# alternates, the redirect chain), and the keys are pure functions of the URL: compute each once.
@lru_cache(maxsize=4096)
def _article_key(url: str) -> str | None:
    return article_key(url)


@lru_cache(maxsize=4096)
def _canonical_url(url: str) -> str:
    return canonical_url(url)


class ArchiveError(Exception):
    """A problem with the archive file that the user must fix (one line, no traceback)."""


@dataclass
class Outcome:
    """The result of saving one fetched article."""

    status: str
    article_id: int
    version: int
    changed_fields: list[str] = field(default_factory=list)
    change_kind: str | None = None


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Archive:
    """The archive file and every write the crawler and the CLI make to it."""

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = str(path)
        try:
            if readonly:
                if not Path(self.path).exists():
                    raise ArchiveError(f"no archive at {self.path}")
                conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, isolation_level=None)
            else:
                conn = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            self.db = Database(conn)
            self.db.execute("PRAGMA busy_timeout = 30000")
            if not readonly:
                self.db.execute("PRAGMA journal_mode = WAL")
                # NORMAL in WAL mode: a crash of the process loses nothing committed; only a power cut can
                # lose the last transactions, never corrupt the file.
                self.db.execute("PRAGMA synchronous = NORMAL")
                self.db.execute("PRAGMA foreign_keys = ON")
                self._migrate()
            elif not self.db["articles"].exists():
                raise ArchiveError(f"{self.path} is not a hepza archive (no articles table)")
        except sqlite3.DatabaseError as exc:
            raise ArchiveError(f"{self.path} is not a usable archive: {exc}") from None
        self._batch_open = False
        self._forget_cached_state()

    def _migrate(self) -> None:
        # Migrations manage their own transactions; the connection is in autocommit mode.
        self.db.conn.isolation_level = ""
        try:
            ensure_schema(self.db)
            self.db.conn.commit()
        finally:
            self.db.conn.isolation_level = None

    def close(self) -> None:
        self.db.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic write: everything inside commits together or not at all.

        Inside a batch (:meth:`begin_batch`) the batch is the transaction: a write that fails there is
        for the batch's owner to handle (roll the whole batch back), so nothing is begun or ended here.
        """
        if self._batch_open:
            yield
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            self._forget_cached_state()
            raise
        self.db.execute("COMMIT")

    def _forget_cached_state(self) -> None:
        """What the archive keeps in memory of its own rows, read again after a rollback (which may
        have taken a just-trained dictionary back out)."""
        self._dictionary: capture_codec.TrainedDictionary | None = None
        self._plain_keyframes: int | None = None
        self._train_at = DICTIONARY_SAMPLES

    def begin_batch(self) -> None:
        """Group the next writes into one transaction, committed by :meth:`commit_batch`.

        Why: a commit costs more than the writes of an article (the WAL pages, the full-text index's
        segment flush), so the archive writer commits the articles that queue up during a crawl together.
        Each batch is still atomic: a crash loses only a batch not yet committed, which the next run
        fetches again, as if the crash had come a little earlier.
        """
        self.db.execute("BEGIN IMMEDIATE")
        self._batch_open = True

    def commit_batch(self) -> None:
        """Commit the batch; on failure it is rolled back (nothing of it is written) and the error raised."""
        self._batch_open = False
        try:
            self.db.execute("COMMIT")
        except BaseException:
            self.rollback_batch()
            raise

    def rollback_batch(self) -> None:
        self._batch_open = False
        if self.db.conn.in_transaction:
            self.db.execute("ROLLBACK")
        self._forget_cached_state()

    # --- runs and errors -------------------------------------------------------------------------

    def start_run(self, mode: str, site_url: str) -> int:
        with self.transaction():
            cursor = self.db.execute(
                "INSERT INTO crawl_runs (started_at, status, mode, site_url, pid) VALUES (?, 'running', ?, ?, ?)",
                [utc_now(), mode, site_url, os.getpid()],
            )
        return cursor.lastrowid

    def finish_run(
        self, run_id: int, *, status: str, exit_code: int, counts: dict, alarms: list[str]
    ) -> None:
        columns = ("requests", "not_modified", "new", "changed", "unchanged", "removed", "returned", "errors")
        values = [int(counts.get(c, 0)) for c in columns]
        with self.transaction():
            self.db.execute(
                "UPDATE crawl_runs SET finished_at = ?, status = ?, exit_code = ?, alarms = ?, "
                + ", ".join(f"{c} = ?" for c in columns)
                + " WHERE id = ?",
                [utc_now(), status, exit_code, json.dumps(alarms, ensure_ascii=False), *values, run_id],
            )

    def record_error(
        self, run_id: int | None, url: str, kind: str, message: str, status: int | None = None
    ) -> None:
        with self.transaction():
            self.db.execute(
                "INSERT INTO crawl_errors (run_id, at, url, kind, status, message) VALUES (?, ?, ?, ?, ?, ?)",
                [run_id, utc_now(), url, kind, status, message[:2000]],
            )

    # --- lookups ---------------------------------------------------------------------------------

    def find_article_id(self, asset_id: str | None, urls: list[str]) -> int | None:
        """The article these say: by asset id first, then by any URL's key among the known aliases."""
        if asset_id:
            row = self.db.execute("SELECT id FROM articles WHERE asset_id = ?", [asset_id]).fetchone()
            if row:
                return row[0]
        keys = {k for k in (_article_key(u) for u in dict.fromkeys(urls) if u) if k}
        for key in sorted(keys):
            row = self.db.execute(
                "SELECT article_id FROM article_urls WHERE url_key = ? ORDER BY first_seen_at LIMIT 1", [key]
            ).fetchone()
            if row:
                return row[0]
        return None

    def article(self, article_id: int) -> dict | None:
        cursor = self.db.execute("SELECT * FROM articles WHERE id = ?", [article_id])
        row = cursor.fetchone()
        if row is None:
            return None
        return dict(zip([d[0] for d in cursor.description], row, strict=True))

    def known_articles(self) -> list[dict]:
        """Every archived article with what a re-check needs (URL, validators, dates)."""
        rows = self.db.execute(
            "SELECT id, url, url_key, etag, last_modified, published_at, first_seen_at, last_checked_at, "
            "removed_at, sitemap_lastmod FROM articles ORDER BY id"
        )
        names = [d[0] for d in rows.description]
        return [dict(zip(names, r, strict=True)) for r in rows.fetchall()]

    # --- the main write --------------------------------------------------------------------------

    def save(
        self,
        record: ArticleRecord,
        capture: Capture | None,
        *,
        run_id: int | None,
        urls: list[str] = (),
        change_kind: str | None = None,
        category: str | None = None,
        validators: dict | None = None,
        observed: bool = True,
    ) -> Outcome:
        """Archive one fetched article in one transaction: a new article, a new version, or nothing new.

        ``change_kind`` forces the kind of a new version (``reprocess``); otherwise a change whose raw
        source is unchanged is ours (``extraction``) and any other is the agency's (``edit``).
        ``observed=False`` (re-processing stored captures) leaves the sighting dates and removal alone.
        """
        now = capture.fetched_at if capture else utc_now()
        seen = [u for u in (record.url, record.canonical, *urls, *record.alternates.values()) if u]
        with self.transaction():
            article_id = self.find_article_id(record.asset_id, seen)
            if article_id is None:
                outcome = self._insert_article(record, capture, now, run_id, category)
            else:
                capture_id = self._store_capture(capture, article_id, run_id) if capture else None
                outcome = self._update_article(
                    article_id, record, now, run_id, capture_id, change_kind, observed
                )
            self._remember_urls(outcome.article_id, seen, now)
            if validators:
                self.db.execute(
                    "UPDATE articles SET etag = ?, last_modified = ?, "
                    "sitemap_lastmod = coalesce(?, sitemap_lastmod) WHERE id = ?",
                    [
                        validators.get("etag"),
                        validators.get("last_modified"),
                        validators.get("sitemap_lastmod"),
                        outcome.article_id,
                    ],
                )
        return outcome

    def _insert_article(self, record, capture, now, run_id, category) -> Outcome:
        digest = content_hash(record.content())
        values = self._article_values(record)
        values.update(
            url=_preferred_url(record),
            url_key=_article_key(_preferred_url(record)) or _canonical_url(record.url),
            category=category,
            first_seen_at=now,
            last_seen_at=now,
            last_checked_at=now,
            version_count=1,
            content_hash=digest,
            source_hash=record.source_hash,
        )
        cursor = self.db.execute(
            f"INSERT INTO articles ({', '.join(values)}) VALUES ({', '.join('?' for _ in values)})",
            list(values.values()),
        )
        article_id = cursor.lastrowid
        capture_id = self._store_capture(capture, article_id, run_id) if capture else None
        self._insert_version(
            article_id, 1, record, now, run_id, capture_id, KIND_FIRST, list(CONTENT_FIELDS), digest
        )
        self._index(article_id, record)
        return Outcome(NEW, article_id, 1, list(CONTENT_FIELDS), KIND_FIRST)

    def _update_article(
        self, article_id, record, now, run_id, capture_id, change_kind, observed=True
    ) -> Outcome:
        current = self.article(article_id)
        digest = content_hash(record.content())
        returned = observed and current["removed_at"] is not None
        common = {
            "last_seen_at": now,
            "last_checked_at": now,
            "removed_at": None,
            "missing_since": None,
            "missing_runs": 0,
            "missing_run_id": None,
            "url": _preferred_url(record) or current["url"],
            # A renamed article's key follows its new slug, so the next run knows the new URL (the old
            # one stays in article_urls as an alias).
            "url_key": _article_key(_preferred_url(record)) or current["url_key"],
        }
        if not observed:
            common = {}
        if digest == current["content_hash"]:
            if observed:
                self._update_row(article_id, common | {"source_hash": record.source_hash})
            return Outcome(RETURNED if returned else UNCHANGED, article_id, current["version_count"])
        changed = _changed_fields(current, record)
        kind = change_kind or (KIND_EXTRACTION if record.source_hash == current["source_hash"] else KIND_EDIT)
        version = current["version_count"] + 1
        summary = _diff_summary(current, record, changed)
        self._insert_version(
            article_id, version, record, now, run_id, capture_id, kind, changed, digest, summary
        )
        values = self._article_values(record) | common
        values.update(version_count=version, content_hash=digest, source_hash=record.source_hash)
        self._update_row(article_id, values)
        self._index(article_id, record)
        return Outcome(CHANGED, article_id, version, changed, kind)

    def _update_row(self, article_id: int, values: dict) -> None:
        self.db.execute(
            f"UPDATE articles SET {', '.join(f'{k} = ?' for k in values)} WHERE id = ?",
            [*values.values(), article_id],
        )

    @staticmethod
    def _article_values(record: ArticleRecord) -> dict:
        return {
            "asset_id": record.asset_id,
            "lang": record.lang,
            "title": record.title,
            "title_raw": record.title_raw,
            "published_at": record.published_at,
            "published_raw": record.published_raw,
            "published_is_migration": int(record.published_is_migration),
            "event_date": record.event_date,
            "event_precision": record.event_precision,
            "event_sentence": record.event_sentence,
            "authors": _json(record.authors),
            "roles": _json(record.roles),
            "byline_raw": record.byline_raw,
            "source": record.source,
            "photo_credits": _json(record.photo_credits),
            "body_text": record.body_text,
            "body_html": record.body_html,
            "images": _json(record.images),
            "attachments": _json(record.attachments),
            "layers": _json(record.layers),
            "warnings": _json(record.warnings),
        }

    def _insert_version(
        self, article_id, version, record, now, run_id, capture_id, kind, changed, digest, summary=None
    ) -> None:
        content = record.content()
        values = {
            "diff_summary": summary,
            "article_id": article_id,
            "version": version,
            "captured_at": now,
            "run_id": run_id,
            "change_kind": kind,
            "changed_fields": _json(changed),
            "content_hash": digest,
            "source_hash": record.source_hash,
            "capture_id": capture_id,
            "extractor_version": EXTRACTOR_VERSION,
        }
        values.update({k: _json(v) if k in _JSON_FIELDS else v for k, v in content.items()})
        self.db.execute(
            f"INSERT INTO article_versions ({', '.join(values)}) VALUES ({', '.join('?' for _ in values)})",
            list(values.values()),
        )
        self.db.execute("DELETE FROM document_refs WHERE article_id = ?", [article_id])
        for ref in record.document_refs:
            self.db.execute(
                "INSERT INTO document_refs (article_id, kind, number, issuer, issued_on, raw) VALUES (?, ?, ?, ?, ?, ?)",
                [article_id, ref["kind"], ref["number"], ref.get("issuer"), ref.get("issued_on"), ref["raw"]],
            )

    def _index(self, article_id: int, record: ArticleRecord) -> None:
        """Keep the folded full-text row of an article in step with its current text."""
        self.db.execute("DELETE FROM articles_fts WHERE rowid = ?", [article_id])
        self.db.execute(
            "INSERT INTO articles_fts (rowid, title, body_text) VALUES (?, ?, ?)",
            [article_id, fold_key(record.title or ""), fold_key(record.body_text or "")],
        )

    def _remember_urls(self, article_id: int, urls: list[str], now: str) -> None:
        for url in dict.fromkeys(_canonical_url(u) for u in dict.fromkeys(urls)):
            key = _article_key(url)
            if key is None:
                continue
            self.db.execute(
                "INSERT OR IGNORE INTO article_urls (url, url_key, article_id, first_seen_at) VALUES (?, ?, ?, ?)",
                [url, key, article_id, now],
            )

    def _store_capture(self, capture: Capture, article_id: int | None, run_id: int | None) -> int:
        digest = capture.sha256
        exists = self.db.execute("SELECT 1 FROM capture_bodies WHERE sha256 = ?", [digest]).fetchone()
        if not exists:
            base_sha, base = self._keyframe(article_id)
            if base:
                codec, data = capture_codec.compress(capture.body, base)
            else:
                trained = self._trained_dictionary(capture.body)
                codec, data = capture_codec.compress(capture.body, trained=trained)
                base_sha = trained.sha256 if trained else None
            self.db.execute(
                "INSERT INTO capture_bodies (sha256, codec, base_sha256, size, data) VALUES (?, ?, ?, ?, ?)",
                [digest, codec, base_sha, len(capture.body), data],
            )
        cursor = self.db.execute(
            "INSERT INTO captures (url, article_id, run_id, fetched_at, status, headers, body_sha256) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                capture.url,
                article_id,
                run_id,
                capture.fetched_at,
                capture.status,
                _json(capture.headers),
                digest,
            ],
        )
        return cursor.lastrowid

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
            [capture_codec.CODEC_ZSTD, DICTIONARY_SAMPLES - 1],
        ).fetchall()
        samples = [self.capture_body(sha) for (sha,) in shas] + [body]
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

    def capture_body(self, sha256: str) -> bytes:
        """The bytes of a stored body."""
        row = self.db.execute(
            "SELECT codec, base_sha256, data FROM capture_bodies WHERE sha256 = ?", [sha256]
        ).fetchone()
        if row is None:
            raise ArchiveError(f"no capture body {sha256}")
        return self._decompress(*row)

    def _decompress(self, codec: str, base_sha256: str | None, data: bytes) -> bytes:
        if codec == capture_codec.CODEC_ZSTD_DICT:
            base = self._dictionary_bytes(base_sha256)
        else:
            base = self.capture_body(base_sha256) if base_sha256 else None
        return capture_codec.decompress(codec, data, base)

    def _dictionary_bytes(self, sha256: str | None) -> bytes:
        if self._dictionary is not None and self._dictionary.sha256 == sha256:
            return self._dictionary.data
        row = self.db.execute("SELECT data FROM capture_dictionaries WHERE sha256 = ?", [sha256]).fetchone()
        if row is None:
            raise ArchiveError(f"no capture dictionary {sha256}")
        return row[0]

    def flag_migration_days(self, min_articles: int) -> int:
        """Mark ``published_is_migration`` on articles whose portal day is shared by many articles.

        Old content migrated into the portal carries the migration time; many articles then share one
        day. Returns the number of articles newly flagged (0 writes nothing).
        """
        with self.transaction():
            cursor = self.db.execute(
                "UPDATE articles SET published_is_migration = 1 WHERE published_is_migration = 0 "
                "AND substr(published_at, 1, 10) IN (SELECT substr(published_at, 1, 10) FROM articles "
                "WHERE removed_at IS NULL AND published_at IS NOT NULL GROUP BY 1 HAVING count(*) >= ?)",
                [min_articles],
            )
        return cursor.rowcount

    # --- re-checks without content -----------------------------------------------------------------

    def mark_checked(self, article_id: int, when: str | None = None) -> None:
        """A re-check that found the page unchanged (304): only the check time moves."""
        when = when or utc_now()
        with self.transaction():
            self._update_row(
                article_id,
                {
                    "last_checked_at": when,
                    "last_seen_at": when,
                    "missing_since": None,
                    "missing_runs": 0,
                    "missing_run_id": None,
                },
            )

    def set_sitemap_lastmods(self, lastmods: dict[int, str]) -> None:
        """Remember the sitemap's lastmod of articles (a row is written only when its value differs)."""
        with self.transaction():
            for article_id, lastmod in lastmods.items():
                self.db.execute(
                    "UPDATE articles SET sitemap_lastmod = ? WHERE id = ? AND coalesce(sitemap_lastmod, '') != ?",
                    [lastmod, article_id, lastmod],
                )

    def mark_missing(self, url: str, run_id: int, when: str | None = None) -> str | None:
        """A 404/410 for a known article: pending on the first run, removed when a later run confirms it.

        Returns ``pending``, ``removed``, ``already`` or None (not an article we know).
        """
        when = when or utc_now()
        with self.transaction():
            article_id = self.find_article_id(None, [url])
            if article_id is None:
                return None
            row = self.db.execute(
                "SELECT removed_at, missing_since, missing_run_id FROM articles WHERE id = ?", [article_id]
            ).fetchone()
            removed_at, missing_since, missing_run = row
            if removed_at is not None:
                return "already"
            if missing_since is None:
                self._update_row(
                    article_id,
                    {
                        "missing_since": when,
                        "missing_runs": 1,
                        "missing_run_id": run_id,
                        "last_checked_at": when,
                    },
                )
                return "pending"
            if missing_run == run_id:
                return "pending"
            self._update_row(
                article_id, {"removed_at": missing_since, "missing_run_id": run_id, "last_checked_at": when}
            )
            return "removed"


def _preferred_url(record: ArticleRecord) -> str:
    """The vi canonical URL when the page names one, else the page's canonical, else its URL."""
    return record.alternates.get("vi-VN") or record.canonical or record.url


def _changed_fields(current: dict, record: ArticleRecord) -> list[str]:
    changed = []
    for name, value in record.content().items():
        old = current.get(name)
        if name in _JSON_FIELDS:
            old = json.loads(old) if old else []
        if canonical_json(old) != canonical_json(value):
            changed.append(name)
    return changed


def _diff_summary(current: dict, record: ArticleRecord, changed: list[str]) -> str:
    """``title: -1 +2 words; authors`` — what a change did, short enough for a list of changes."""
    parts = []
    for name in changed:
        if name in ("title", "body_text", "source"):
            parts.append(f"{name}: {diff_summary(current.get(name), getattr(record, name))}")
        else:
            parts.append(name)
    return "; ".join(parts)


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)
