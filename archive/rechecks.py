"""What re-checks without content write: a page answered 304 (unchanged), 404/410 (pending, then confirmed
removal), and the sitemap's lastmod of the articles a run confirmed.

A removal takes two runs: the first 404 marks the article pending (``missing_since``), a 404 in a later
run confirms it (``removed_at`` = the first 404's time, ``missing_run_id`` = the confirming run); any
sighting in between clears it (archive/articles.py). The run decides whether its 404s can be trusted
(archive/runs.py): this module only writes what it is told.
"""

from __future__ import annotations

import json

from archive.articles import ArticleStore
from archive.clock import utc_now
from archive.evidence import ledger


class RecheckStore:
    """The sighting and removal columns of ``articles``, through the article store that owns the rows."""

    def __init__(self, articles: ArticleStore) -> None:
        self.articles = articles
        self.db = articles.db

    def file_links(self, article_id: int) -> tuple[list[str], list[str]]:
        """(attachment URLs, image URLs) of the article as archived: what a re-check of its unchanged page
        (304) still has to ask about, as the documents can change under the same URLs."""
        row = self.db.execute(
            "SELECT attachments, images FROM articles WHERE id = ?", [article_id]
        ).fetchone()
        if row is None:
            return [], []
        attachments, images = (json.loads(value) if value else [] for value in row)
        return [a["url"] for a in attachments], [i["src"] for i in images]

    def mark_checked(self, article_id: int, when: str | None = None) -> None:
        """A re-check that found the page unchanged (304): only the check time moves."""
        when = when or utc_now()
        with self.articles.transaction():
            self.articles.update_row(
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
        with self.articles.transaction():
            for article_id, lastmod in lastmods.items():
                self.db.execute(
                    "UPDATE articles SET sitemap_lastmod = ? WHERE id = ? AND coalesce(sitemap_lastmod, '') != ?",
                    [lastmod, article_id, lastmod],
                )

    def mark_missing(
        self, url: str, run_id: int, when: str | None = None, *, confirm: bool = True
    ) -> str | None:
        """A 404/410 for a known article: pending on the first run, removed when a later run confirms it.

        Returns ``pending``, ``removed``, ``already`` or None (not an article we know). With ``confirm``
        false, an article already pending from an earlier run is left pending and ``due`` is returned: the
        run decides at its end whether its 404s can be trusted (:meth:`confirm_removal`).
        """
        when = when or utc_now()
        with self.articles.transaction():
            article_id = self.articles.find_article_id(None, [url])
            if article_id is None:
                return None
            row = self.db.execute(
                "SELECT removed_at, missing_since, missing_run_id FROM articles WHERE id = ?", [article_id]
            ).fetchone()
            removed_at, missing_since, missing_run = row
            if removed_at is not None:
                return "already"
            if missing_since is None:
                self.articles.update_row(
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
            if not confirm:
                self.articles.update_row(article_id, {"last_checked_at": when})
                return "due"
        self.confirm_removal(article_id, run_id, when)
        return "removed"

    def confirm_removal(self, article_id: int, run_id: int, when: str | None = None) -> None:
        """A pending removal confirmed by run ``run_id``: ``removed_at`` is the first 404's time, and
        ``missing_run_id`` the run that confirmed it (the removal event of the feed and history)."""
        when = when or utc_now()
        with self.articles.transaction():
            row = self.db.execute("SELECT missing_since FROM articles WHERE id = ?", [article_id]).fetchone()
            self.articles.update_row(
                article_id,
                {
                    "removed_at": row[0],
                    "missing_run_id": run_id,
                    "last_checked_at": when,
                },
            )
            ledger.record_removal(self.db.conn, article_id, row[0], run_id)

    def pending_removals(self) -> list[tuple[int, str]]:
        """(id, missing_since) of every article that answered 404 once and is not yet confirmed removed."""
        return self.db.execute(
            "SELECT id, missing_since FROM articles WHERE removed_at IS NULL AND missing_since IS NOT NULL "
            "ORDER BY id"
        ).fetchall()
