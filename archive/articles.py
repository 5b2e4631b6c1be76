"""Articles and their versions: the archive's main write (:meth:`ArticleStore.save`), the lookups the crawler
needs, the categories an article is filed under, the migration flags, and what re-checks without content
write (a 304, a 404, a sitemap's lastmod).

A version is written only when the hash of the clean content changes; ``articles`` holds the current row,
``article_versions`` one row per change, ``articles_fts`` the folded text of the current row. Every write
runs inside the transaction the :class:`~archive.store.Archive` owning this store has open.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from functools import lru_cache

from sqlite_utils import Database

from archive.capture_store import CaptureStore
from archive.captures import Capture
from archive.clock import utc_now
from archive.diffs import summary as diff_summary
from archive.evidence import ledger
from archive.migration import MigrationRule, batch_members
from archive.significance import METHOD as SIGNIFICANCE_METHOD
from archive.significance import significance
from pipelines import EXTRACTOR_VERSION
from pipelines.categories import breadcrumb_category, main_category
from pipelines.event_dates import EventDate, is_probable_migration
from pipelines.hashing import canonical_json, content_hash
from pipelines.model import CONTENT_FIELDS, ArticleRecord
from pipelines.text import fold_key
from pipelines.urls import article_key, canonical_url, is_article_url

# What a fetch did to the archive.
NEW, CHANGED, UNCHANGED, RETURNED = "new", "changed", "unchanged", "returned"
# Why a version was written: the first capture, an edit by the agency, or a change in our own extraction.
KIND_FIRST, KIND_EDIT, KIND_EXTRACTION, KIND_REPROCESS = "first", "edit", "extraction", "reprocess"
_JSON_FIELDS = ("authors", "photo_credits", "images", "attachments", "links")


# A page's URLs are keyed again and again in one save (the fetched URL, its canonical, its aliases, the
# alternates, the redirect chain), and the keys are pure functions of the URL: compute each once.
@lru_cache(maxsize=4096)
def _article_key(url: str, routes: tuple[str, ...] = ()) -> str | None:
    return article_key(url, routes=routes)


@lru_cache(maxsize=4096)
def _canonical_url(url: str) -> str:
    return canonical_url(url)


def _folded_text(record: ArticleRecord) -> tuple[str, str]:
    """The title and body text as both search indexes (``articles_fts``, ``versions_fts``) hold them:
    folded (``pipelines.text.fold_key``), once for both."""
    return fold_key(record.title or ""), fold_key(record.body_text or "")


@dataclass
class Outcome:
    """The result of saving one fetched article."""

    status: str
    article_id: int
    version: int
    changed_fields: list[str] = field(default_factory=list)
    change_kind: str | None = None


class ArticleStore:
    """The ``articles``, ``article_urls``, ``article_versions``, ``document_refs``, ``articles_fts`` and
    ``migration_flag_changes`` rows of one archive."""

    def __init__(
        self,
        db: Database,
        captures: CaptureStore,
        transaction: Callable[[], AbstractContextManager[None]],
    ) -> None:
        self.db = db
        self.captures = captures
        # A profile's article routes (``[hints] article_routes``): more URLs that name articles, keyed by
        # their canonical path?query (pipelines/urls.py); the crawl, the writer and reprocess set them alike.
        self.routes: tuple[str, ...] = ()
        # The owning Archive's transaction (it knows whether a batch is open).
        self.transaction = transaction

    def url_key(self, url: str) -> str | None:
        """The article key of ``url`` (``pipelines.urls.article_key``) under this archive's routes.
        Cached: a page's URLs are keyed again by every step that looks its article up."""
        return _article_key(url, self.routes)

    def find_article_id(self, asset_id: str | None, urls: list[str]) -> int | None:
        """The article these say: by asset id first, then by any URL's key among the known aliases."""
        if asset_id:
            row = self.db.execute("SELECT id FROM articles WHERE asset_id = ?", [asset_id]).fetchone()
            if row:
                return row[0]
        keys = {k for k in (_article_key(u, self.routes) for u in dict.fromkeys(urls) if u) if k}
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
            "removed_at, missing_since, sitemap_lastmod FROM articles ORDER BY id"
        )
        names = [d[0] for d in rows.description]
        return [dict(zip(names, r, strict=True)) for r in rows.fetchall()]

    def live_count(self) -> int:
        """Articles not confirmed removed (a full run that sees far fewer raises the coverage alarm)."""
        return self.db.execute("SELECT count(*) FROM articles WHERE removed_at IS NULL").fetchone()[0]

    # --- the main write --------------------------------------------------------------------------

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
        """Archive one fetched article in one transaction: a new article, a new version, or nothing new.

        ``change_kind`` forces the kind of a new version (``reprocess``); otherwise a change whose raw
        source is unchanged is ours (``extraction``) and any other is the agency's (``edit``).
        ``observed=False`` (re-processing stored captures) leaves the sighting dates and removal alone.
        """
        now = capture.fetched_at if capture else utc_now()
        seen = [u for u in (record.url, record.canonical, *urls, *record.alternates.values()) if u]
        with self.transaction():
            article_id = self.find_article_id(record.asset_id, seen)
            if (
                article_id is not None
                and record.asset_id
                and self._another_article(article_id, record, seen, run_id)
            ):
                # Not the article the asset id names: archived on its own, under its URLs, without the
                # asset id (the other article holds it), and it says so.
                record = dataclasses.replace(
                    record,
                    asset_id=None,
                    warnings=[*record.warnings, f"asset id {record.asset_id} is another article's"],
                )
                article_id = self.find_article_id(None, seen)
            if article_id is None:
                outcome = self._insert_article(record, capture, now, run_id, category)
            else:
                capture_id = self.captures.store(capture, article_id, run_id) if capture else None
                outcome = self._update_article(
                    article_id, record, now, run_id, capture_id, change_kind, observed
                )
            self._remember_urls(outcome.article_id, seen, now)
            self._file_categories(outcome.article_id, [*record.categories, category], record.category_raw)
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
            url=_preferred_url(record, self.routes),
            url_key=_article_key(_preferred_url(record, self.routes), self.routes)
            or _canonical_url(record.url),
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
        assert article_id is not None  # (an INSERT always gives its rowid)
        capture_id = self.captures.store(capture, article_id, run_id) if capture else None
        self._insert_version(
            article_id, 1, record, now, run_id, capture_id, KIND_FIRST, list(CONTENT_FIELDS), digest, None
        )
        return Outcome(NEW, article_id, 1, list(CONTENT_FIELDS), KIND_FIRST)

    def _update_article(
        self, article_id, record, now, run_id, capture_id, change_kind, observed=True
    ) -> Outcome:
        current = self.article(article_id)
        assert current is not None  # (found by find_article_id in this transaction)
        digest = content_hash(record.content())
        returned = observed and current["removed_at"] is not None
        common = {
            "last_seen_at": now,
            "last_checked_at": now,
            "removed_at": None,
            "missing_since": None,
            "missing_runs": 0,
            "missing_run_id": None,
            "url": _preferred_url(record, self.routes) or current["url"],
            # A renamed article's key follows its new slug, so the next run knows the new URL (the old
            # one stays in article_urls as an alias).
            "url_key": _article_key(_preferred_url(record, self.routes), self.routes) or current["url_key"],
        }
        if not observed:
            common = {}
        if returned:
            # A removed article seen again: the archive no longer asserts its removal.
            ledger.record_return(self.db.conn, article_id, current["removed_at"], now)
        if digest == current["content_hash"]:
            if observed:
                # Markup that changed without the content (emphasis, a session token in a link) is no
                # version, but the row shows the page as it is now.
                # (And the layers it was read with: a theme's new layout, read exactly as archived, is
                # the layout the next run compares its pages with; archive/runs.py.)
                self.update_row(
                    article_id,
                    common
                    | {
                        "source_hash": record.source_hash,
                        "body_html": record.body_html,
                        "layers": _json(record.layers),
                    },
                )
            return Outcome(RETURNED if returned else UNCHANGED, article_id, current["version_count"])
        changed = _changed_fields(current, record)
        kind = change_kind or (KIND_EXTRACTION if record.source_hash == current["source_hash"] else KIND_EDIT)
        version = current["version_count"] + 1
        summary = _diff_summary(current, record, changed)
        self._insert_version(
            article_id, version, record, now, run_id, capture_id, kind, changed, digest, current, summary
        )
        values = self._article_values(record) | common
        # Only the run's pass (flag_migration_days) changes the flag of an archived article, and it logs
        # each change: an edit alone neither clears nor sets it silently.
        values["published_is_migration"] = current["published_is_migration"]
        # A theme that no longer prints the asset id (a redesign) does not make the article lose it.
        values["asset_id"] = record.asset_id or current["asset_id"]
        values.update(version_count=version, content_hash=digest, source_hash=record.source_hash)
        self.update_row(article_id, values)
        return Outcome(CHANGED, article_id, version, changed, kind)

    def _another_article(self, article_id: int, record: ArticleRecord, seen: list[str], run_id) -> bool:
        """Whether a page carrying the asset id of ``article_id`` is nevertheless another article.

        The asset id is the identity that survives a rename (new title, new slug), so it wins, except
        when the page is clearly another article: none of its URLs is an alias of the asset id's article,
        its title is not that article's, and either its URLs name another article the archive holds
        without an asset id (one split off before), or the asset id's article was fetched at its own URL
        in this same run (a renamed article does not answer at two addresses under two titles at once).
        Two portlets or a misconfigured template then give two articles one id (issue 19)."""
        keys = sorted({k for k in (_article_key(u, self.routes) for u in dict.fromkeys(seen) if u) if k})
        if not keys:
            return False
        if self.db.execute(
            "SELECT 1 FROM article_urls WHERE article_id = ? "
            "AND url_key IN (SELECT value FROM json_each(?)) LIMIT 1",
            [article_id, json.dumps(keys)],
        ).fetchone():
            return False
        title = self.db.execute("SELECT title FROM articles WHERE id = ?", [article_id]).fetchone()[0]
        if title == record.title:
            return False
        other = self.find_article_id(None, seen)
        if other is not None and other != article_id:
            row = self.db.execute("SELECT asset_id FROM articles WHERE id = ?", [other]).fetchone()
            return row[0] is None
        return run_id is not None and bool(
            self.db.execute(
                "SELECT 1 FROM captures WHERE article_id = ? AND run_id = ? LIMIT 1", [article_id, run_id]
            ).fetchone()
        )

    def _file_categories(
        self, article_id: int, categories: Sequence[str | None], breadcrumb: list[dict] | None = None
    ) -> None:
        """Add categories to an article's: never a version (where the portal files an article is not its
        content). ``categories`` is every key the article was ever seen under, sorted, so the order in which
        lists and pages were met does not matter; ``category`` is the breadcrumb's deepest category, else
        the first of them. ``breadcrumb`` (the page's, as printed) replaces the stored one when given."""
        row = self.db.execute(
            "SELECT category, categories, category_raw FROM articles WHERE id = ?", [article_id]
        ).fetchone()
        old_main, old_keys, old_raw = row
        stored = json.loads(old_raw) if old_raw else []
        raw = breadcrumb if breadcrumb else stored
        keys = sorted({*(json.loads(old_keys) if old_keys else []), *(c for c in categories if c)})
        main = main_category(breadcrumb_category(raw), keys)
        values = {"category": main, "categories": _json(keys), "category_raw": _json(raw) if raw else None}
        if (old_main, old_keys, old_raw) != tuple(values.values()):
            self.update_row(article_id, values)

    def file_listed_categories(self, listed: dict[str, set[str]]) -> int:
        """The categories of the lists each article URL was found in this run, added to the article the
        URL names (an URL of no archived article is left out). Returns the number of articles named."""
        by_article: dict[int, set[str]] = {}
        for url, categories in listed.items():
            article_id = self.find_article_id(None, [url])
            if article_id is not None:
                by_article.setdefault(article_id, set()).update(categories)
        with self.transaction():
            for article_id, categories in by_article.items():
                self._file_categories(article_id, sorted(categories))
        return len(by_article)

    def update_row(self, article_id: int, values: dict) -> None:
        """Set these columns of an article's current row (never a version: the caller decides that)."""
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
            "links": _json(record.links),
            "layers": _json(record.layers),
            "warnings": _json(record.warnings),
        }

    def _insert_version(
        self,
        article_id,
        version,
        record,
        now,
        run_id,
        capture_id,
        kind,
        changed,
        digest,
        previous,
        summary=None,
    ) -> None:
        """Write a version, its significance against ``previous`` (the article's current row; None for a
        first version) and its rows of both search indexes (the version's, and the article's current text:
        a new version is the article's text now); the article's cited documents follow it."""
        content = record.content()
        folded = _folded_text(record)  # (once for both indexes)
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
        version_id = self.db.execute(
            f"INSERT INTO article_versions ({', '.join(values)}) VALUES ({', '.join('?' for _ in values)})",
            list(values.values()),
        ).lastrowid
        scored = significance(previous, content) if previous is not None else None
        self.db.execute(
            "INSERT INTO version_significance (version_id, article_id, version, score, factors, method) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                version_id,
                article_id,
                version,
                scored.score if scored else None,
                scored.factors_json() if scored else None,
                SIGNIFICANCE_METHOD,
            ],
        )
        self.db.execute(
            "INSERT INTO versions_fts (rowid, title, body_text) VALUES (?, ?, ?)",
            [version_id, *folded],
        )
        self._index(article_id, folded)
        assert version_id is not None  # (an INSERT always gives its rowid)
        ledger.record_row(self.db.conn, "article_versions", version_id, values | {"id": version_id})
        self.db.execute("DELETE FROM document_refs WHERE article_id = ?", [article_id])
        for ref in record.document_refs:
            self.db.execute(
                "INSERT INTO document_refs (article_id, kind, number, issuer, issued_on, raw) VALUES (?, ?, ?, ?, ?, ?)",
                [article_id, ref["kind"], ref["number"], ref.get("issuer"), ref.get("issued_on"), ref["raw"]],
            )

    def _index(self, article_id: int, folded: tuple[str, str]) -> None:
        """Keep the full-text row of an article in step with its current text (``folded``:
        :func:`_folded_text`)."""
        self.db.execute("DELETE FROM articles_fts WHERE rowid = ?", [article_id])
        self.db.execute(
            "INSERT INTO articles_fts (rowid, title, body_text) VALUES (?, ?, ?)", [article_id, *folded]
        )

    def _remember_urls(self, article_id: int, urls: list[str], now: str) -> None:
        for url in dict.fromkeys(_canonical_url(u) for u in dict.fromkeys(urls)):
            key = _article_key(url, self.routes)
            if key is None:
                continue
            self.db.execute(
                "INSERT OR IGNORE INTO article_urls (url, url_key, article_id, first_seen_at) VALUES (?, ?, ?, ?)",
                [url, key, article_id, now],
            )

    def flag_migration_days(self, rule: MigrationRule, run_id: int | None = None) -> int:
        """Recompute ``published_is_migration`` of every article from all archived dates; log each change.

        An article is flagged when its own dates say migration (rule 1: event long before the portal date)
        or its portal time belongs to a migration batch (rule 2, :func:`archive.migration.batch_members`).
        Removed articles count as evidence of a batch: a migration happened whether or not one of its
        articles was taken down later, so removing articles never clears another one's flag. Every flag that
        changes gets a row in ``migration_flag_changes`` (run, article, new value, the rules that hold).
        Returns the number of articles whose flag changed (0 writes nothing).
        """
        rows = self.db.execute(
            "SELECT id, published_at, event_date, event_precision, event_sentence, published_is_migration "
            "FROM articles"
        ).fetchall()
        in_batch = batch_members({row[0]: row[1] for row in rows}, rule)
        now = utc_now()
        changes = []
        for article_id, published_at, event_date, precision, sentence, flag in rows:
            event = EventDate(event_date, precision or "day", sentence or "") if event_date else None
            reasons = [
                name
                for name, holds in (
                    ("batch", article_id in in_batch),
                    ("dates", is_probable_migration(published_at, event)),
                )
                if holds
            ]
            if bool(reasons) != bool(flag):
                changes.append((run_id, article_id, now, int(bool(reasons)), ", ".join(reasons) or "neither"))
        if changes:
            with self.transaction():
                self.db.conn.executemany(
                    "UPDATE articles SET published_is_migration = ? WHERE id = ?",
                    [(value, article_id) for _, article_id, _, value, _ in changes],
                )
                for change in changes:
                    cursor = self.db.execute(
                        "INSERT INTO migration_flag_changes (run_id, article_id, at, published_is_migration, "
                        "reasons) VALUES (?, ?, ?, ?, ?)",
                        change,
                    )
                    assert cursor.lastrowid is not None  # (an INSERT always gives its rowid)
                    ledger.record_row(self.db.conn, "migration_flag_changes", cursor.lastrowid)
        return len(changes)


def _preferred_url(record: ArticleRecord, routes: tuple[str, ...] = ()) -> str:
    """The vi canonical URL when the page names one, else the page's canonical, else its URL: the first
    of them that is an article URL (a portal may print its list page's URL as an article's canonical, as
    Liferay 6.2 does for a content view opened in the list's own portlet)."""
    candidates = (record.alternates.get("vi-VN"), record.canonical, record.url)
    return next((url for url in candidates if url and is_article_url(url, routes)), record.url)


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
