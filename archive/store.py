"""The archive: one SQLite file (WAL) holding articles, their versions, URLs, captures and crawl runs.

:class:`Archive` opens the file and owns its transactions; the rows of each seam are written by its own
store, composed here: articles and versions (:mod:`archive.articles`), what re-checks without content write
(:mod:`archive.rechecks`), captures (:mod:`archive.capture_store`) and runs (:mod:`archive.run_store`).
The schema is :mod:`archive.schema`, attachment files :mod:`archive.files`. The methods below are the ones
the crawler's writer, the run ledger and the CLI call; each hands the work to its store.

Every write about one article is one transaction (``BEGIN IMMEDIATE`` … ``COMMIT``), so a crash at any point
leaves either all of it or none of it. The hot path writes with parameterised SQL on the sqlite-utils
connection; sqlite-utils builds and migrates the schema.

A researcher reads an archive through :func:`archive.open` (archive/library.py), not through this class.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from archive.articles import (
    CHANGED,
    KIND_EDIT,
    KIND_EXTRACTION,
    KIND_FIRST,
    KIND_REPROCESS,
    NEW,
    RETURNED,
    UNCHANGED,
    ArticleStore,
    Outcome,
)
from archive.capture_store import CaptureStore
from archive.captures import Capture
from archive.errors import ArchiveError
from archive.migration import MigrationRule
from archive.rechecks import RecheckStore
from archive.run_store import RunStore
from archive.schema import refuse_foreign_database, refuse_non_archive, upgrade
from pipelines.model import ArticleRecord

__all__ = [
    "CHANGED",
    "DICTIONARY_SAMPLES",
    "KIND_EDIT",
    "KIND_EXTRACTION",
    "KIND_FIRST",
    "KIND_REPROCESS",
    "NEW",
    "RETURNED",
    "UNCHANGED",
    "Archive",
    "ArchiveBusyError",
    "ArchiveError",
    "Outcome",
]

# Keyframes stored plainly before the archive trains its capture dictionary (archive/captures.py): enough
# pages to learn the portal's chrome from, few enough that nearly all of an archive benefits. Read when an
# Archive is opened (tests set it lower here first), handed to its CaptureStore.
DICTIONARY_SAMPLES = 64


class ArchiveBusyError(ArchiveError):
    """Another process holds a write lock on the SQLite file itself (not hepza's run lock)."""


class ArchiveDamagedError(ArchiveError):
    """SQLite cannot even read the file's schema: the file is damaged (``hepza check`` reports it)."""


def _check_writable(path: str) -> None:
    """A read-only archive, or one in a folder where SQLite cannot make its -wal file, is a one-line error
    here rather than a traceback at the first write."""
    target = Path(path)
    folder = target.parent
    if not folder.is_dir():
        raise ArchiveError(f"no folder {folder} for the archive {path}")
    if target.exists() and not os.access(target, os.W_OK):
        raise ArchiveError(f"{path} is read-only")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ArchiveError(f"the folder {folder} of {path} is read-only")


def connect(path: str, *, readonly: bool) -> Database:
    """The archive's file as a sqlite-utils Database in autocommit mode: read-only (``mode=ro``, never
    created or upgraded, refused unless it holds the archive's tables), or for writing (WAL, created or
    upgraded). Every failure is an :class:`ArchiveError` of one line."""
    try:
        if readonly:
            if not Path(path).exists():
                raise ArchiveError(f"no archive at {path}")
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
        else:
            _check_writable(path)
            conn = sqlite3.connect(path, isolation_level=None, timeout=30)
        db = Database(conn)
        db.execute("PRAGMA busy_timeout = 30000")
        if not readonly:
            refuse_foreign_database(db, path)
            db.execute("PRAGMA journal_mode = WAL")
            # NORMAL in WAL mode: a crash of the process loses nothing committed; only a power cut can
            # lose the last transactions, never corrupt the file.
            db.execute("PRAGMA synchronous = NORMAL")
            db.execute("PRAGMA foreign_keys = ON")
            upgrade(db)
        else:
            refuse_non_archive(db, path)
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise ArchiveBusyError(f"{path} is locked by another process ({exc})") from None
        raise ArchiveError(f"{path} is not a usable archive: {exc}") from None
    except sqlite3.DatabaseError as exc:
        # Not an OperationalError: the bytes themselves are wrong (a damaged page, not an SQLite file).
        raise ArchiveDamagedError(f"{path} is not a usable archive: {exc}") from None
    return db


class Archive:
    """The archive file and every write the crawler and the CLI make to it.

    ``articles``, ``rechecks``, ``captures`` and ``runs`` are its stores, one per seam, sharing its
    connection and its transactions.
    """

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = str(path)
        self.db = connect(self.path, readonly=readonly)
        self._batch_open = False
        self.captures = CaptureStore(self.db, DICTIONARY_SAMPLES)
        self.articles = ArticleStore(self.db, self.captures, self.transaction)
        self.rechecks = RecheckStore(self.articles)
        self.runs = RunStore(self.db, self.transaction)

    def damage(self) -> str | None:
        """SQLite's quick check of the whole file: None when sound, else its first complaint."""
        try:
            result = self.db.execute("PRAGMA quick_check").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            return str(exc)
        return None if result == "ok" else " ".join(result.split())  # one line, whatever SQLite says

    def close(self) -> None:
        self.db.conn.close()

    # --- transactions ------------------------------------------------------------------------------

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
        self.captures.forget_cached_state()

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

    # --- runs and errors (archive/run_store.py) -----------------------------------------------------

    def start_run(self, mode: str, site_url: str) -> int:
        return self.runs.start(mode, site_url)

    def use_hints(self, hints: Mapping[str, Any] | None) -> None:
        """Key URLs by a profile's article routes too (``[hints] article_routes``; pipelines/urls.py)."""
        self.articles.routes = tuple((hints or {}).get("article_routes") or ())

    def record_run_hints(self, run_id: int, hints: Mapping[str, Any] | None) -> None:
        """Keep the hints a crawl read its pages with on its run's row: ``hepza reprocess`` reads the
        captures again with the last crawl's (:meth:`last_crawl_hints`)."""
        self.runs.record_hints(run_id, hints)

    def last_crawl_hints(self) -> dict[str, Any]:
        """The hints of the newest crawl run (empty when it had none, or for an archive without runs)."""
        return self.runs.last_crawl_hints()

    def finish_run(
        self, run_id: int, *, status: str, exit_code: int, counts: Mapping[str, int], alarms: list[str]
    ) -> None:
        self.runs.finish(run_id, status=status, exit_code=exit_code, counts=counts, alarms=alarms)

    def record_error(
        self, run_id: int | None, url: str, kind: str, message: str, status: int | None = None
    ) -> None:
        self.runs.record_error(run_id, url, kind, message, status)

    # --- articles and versions (archive/articles.py) ------------------------------------------------

    def find_article_id(self, asset_id: str | None, urls: list[str]) -> int | None:
        """The article these say: by asset id first, then by any URL's key among the known aliases."""
        return self.articles.find_article_id(asset_id, urls)

    def article(self, article_id: int) -> dict | None:
        """The article's current row as a dict, None when there is no such article."""
        return self.articles.article(article_id)

    def known_articles(self) -> list[dict]:
        """Every archived article with what a re-check needs (URL, validators, dates)."""
        return self.articles.known_articles()

    def live_article_count(self) -> int:
        """Articles not confirmed removed."""
        return self.articles.live_count()

    def save(
        self,
        record: ArticleRecord,
        capture: Capture | None,
        *,
        run_id: int | None,
        urls: Iterable[str] = (),
        change_kind: str | None = None,
        category: str | None = None,
        validators: dict | None = None,
        observed: bool = True,
    ) -> Outcome:
        """Archive one fetched article in one transaction: a new article, a new version, or nothing new
        (:meth:`archive.articles.ArticleStore.save`)."""
        return self.articles.save(
            record,
            capture,
            run_id=run_id,
            urls=urls,
            change_kind=change_kind,
            category=category,
            validators=validators,
            observed=observed,
        )

    def file_listed_categories(self, listed: dict[str, set[str]]) -> int:
        """Add the categories of the lists each URL was found in to its article; returns how many."""
        return self.articles.file_listed_categories(listed)

    def flag_migration_days(self, rule: MigrationRule, run_id: int | None = None) -> int:
        """Recompute every article's migration flag, logging each change; returns how many changed."""
        return self.articles.flag_migration_days(rule, run_id)

    # --- re-checks without content (archive/rechecks.py) ----------------------------------------------

    def file_links(self, article_id: int) -> tuple[list[str], list[str]]:
        """(attachment URLs, image URLs) of the article as archived."""
        return self.rechecks.file_links(article_id)

    def mark_checked(
        self,
        article_id: int,
        when: str | None = None,
        *,
        answer: Capture | None = None,
        run_id: int | None = None,
    ) -> None:
        """A re-check that found the page unchanged (304): only the check time moves, and the 304 answer
        (``answer``, when the crawler kept its head) is recorded for the WARC export. During a crawl both
        join the writer's batch; outside one, a crash between them loses only the 304's record."""
        self.rechecks.mark_checked(article_id, when)
        if answer is not None:
            with self.transaction():
                self.captures.store_not_modified(answer, article_id, run_id)

    def set_sitemap_lastmods(self, lastmods: dict[int, str]) -> None:
        self.rechecks.set_sitemap_lastmods(lastmods)

    def mark_missing(
        self, url: str, run_id: int, when: str | None = None, *, confirm: bool = True
    ) -> str | None:
        """A 404/410 for a known article: ``pending``, ``removed``, ``already``, ``due`` or None."""
        return self.rechecks.mark_missing(url, run_id, when, confirm=confirm)

    def confirm_removal(self, article_id: int, run_id: int, when: str | None = None) -> None:
        self.rechecks.confirm_removal(article_id, run_id, when)

    def pending_removals(self) -> list[tuple[int, str]]:
        """(id, missing_since) of every article that answered 404 once and is not yet confirmed removed."""
        return self.rechecks.pending_removals()

    # --- captures (archive/capture_store.py) --------------------------------------------------------

    def capture_body(self, sha256: str) -> bytes:
        """The bytes of a stored body."""
        return self.captures.body(sha256)
