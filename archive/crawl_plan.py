"""What a crawl needs to know of the archive before it starts, read once, as plain read-only data.

The spider plans its requests from this (which articles the archive knows and their validators, which are
due for a re-check, which are pending removal, which documents to ask for again, which sitemap links are
dead) and never opens the archive itself: the SQL stays on the archive side.

Example::

    plan = CrawlPlan.load("hepza.db", now=datetime.now(UTC), schedule=DEFAULT_SCHEDULE)
    for article in plan.rechecks(full=False):
        print(article.url)
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import MappingProxyType

from archive.deadlinks import recent_dead_links
from archive.files import attachment_validators, failed_attachments
from archive.schedule import DEFAULT_SCHEDULE, is_due
from archive.store import Archive

Schedule = list[tuple[timedelta | None, timedelta]]


@dataclass(frozen=True)
class KnownArticle:
    """An archived article as a re-check sees it: where it lives, its validators and its dates."""

    url: str
    url_key: str
    etag: str | None = None
    last_modified: str | None = None
    published_at: str | None = None
    first_seen_at: str | None = None
    last_checked_at: str | None = None
    removed_at: str | None = None
    missing_since: str | None = None
    sitemap_lastmod: str | None = None

    @property
    def removed(self) -> bool:
        """Confirmed removed from the portal."""
        return self.removed_at is not None

    @property
    def pending_removal(self) -> bool:
        """It answered 404 in an earlier run and the removal is not confirmed yet: whatever the run's mode,
        the next run confirms the removal or clears it, instead of leaving it to the age-based schedule."""
        return self.removed_at is None and self.missing_since is not None

    def modified_since(self, lastmod: str | None) -> bool:
        """Does a sitemap ``<lastmod>`` say the portal changed the article after the one we last saw?"""
        if not lastmod:
            return False
        return self.sitemap_lastmod is None or _newer(lastmod, self.sitemap_lastmod)


@dataclass(frozen=True)
class CrawlPlan:
    """The archive's answers to a crawl's questions, as they stood when the crawl started."""

    articles: Mapping[str, KnownArticle] = field(default_factory=lambda: MappingProxyType({}))
    now: datetime = datetime.min.replace(tzinfo=UTC)  # (an empty plan has nothing to be due)
    schedule: Schedule = field(default_factory=lambda: list(DEFAULT_SCHEDULE))
    # Attachment URL (without Liferay's ?t=) -> (ETag, Last-Modified) of the archived file.
    file_validators: Mapping[str, tuple[str | None, str | None]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    # (attachment URL, article URL) of the documents whose download failed and is tried again.
    files_to_retry: tuple[tuple[str, str], ...] = ()
    dead_keys: frozenset[str] = frozenset()  # URL keys of sitemap links found dead in recent runs
    # URL key of another route the archive met an article under -> the article's own key: a portal that
    # links one article under two routes that reduce to different keys (``/-/<slug>`` and
    # ``/-/details/<id>/<slug>``) is asked for it once, from the second run on (the first learns the alias).
    aliases: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def load(
        cls,
        db_path: str,
        *,
        now: datetime,
        schedule: Schedule = DEFAULT_SCHEDULE,
        dead_link_retry_days: float = 30,
        attachment_retries: int = 3,
    ) -> CrawlPlan:
        """The plan of a crawl into the archive at ``db_path`` (created when missing, as a crawl does)."""
        archive = Archive(db_path)
        try:
            articles = {
                row["url_key"]: KnownArticle(**{name: row[name] for name in _ARTICLE_COLUMNS})
                for row in archive.known_articles()
                if row["url_key"]
            }
            return cls(
                articles=MappingProxyType(articles),
                now=now,
                schedule=list(schedule),
                file_validators=MappingProxyType(attachment_validators(archive)),
                files_to_retry=tuple(failed_attachments(archive, attachment_retries)),
                dead_keys=frozenset(recent_dead_links(archive, now, dead_link_retry_days)),
                aliases=MappingProxyType(_aliases(archive)),
            )
        finally:
            archive.close()

    def own_key(self, url_key: str) -> str:
        """The article's own key for a URL key (itself unless it is a known alias of another)."""
        return self.aliases.get(url_key, url_key)

    def __contains__(self, url_key: object) -> bool:
        """Does the archive know this article, under this key or under a route it met the article by? (A
        list linking known articles by an alias route then reads as "nothing new", and stops paging.)"""
        return isinstance(url_key, str) and self.own_key(url_key) in self.articles

    def article(self, url_key: str | None) -> KnownArticle | None:
        """The archived article of this URL key, if the archive knows it."""
        return self.articles.get(url_key) if url_key is not None else None

    def is_due(self, article: KnownArticle) -> bool:
        """Is the article due for a re-check under the schedule (its age from the portal date, else from
        its first sighting)?"""
        return is_due(
            article.published_at or article.first_seen_at, article.last_checked_at, self.now, self.schedule
        )

    def needs_check(self, article: KnownArticle) -> bool:
        """Should an incremental run ask for this article even if no list or sitemap leads to it?"""
        return article.pending_removal or (not article.removed and self.is_due(article))

    def rechecks(self, *, full: bool) -> Iterator[KnownArticle]:
        """The known articles a run asks for from the start: all of them in a full run."""
        for article in self.articles.values():
            if full or self.needs_check(article):
                yield article

    def file_validator(self, url_key: str) -> tuple[str | None, str | None]:
        """(ETag, Last-Modified) of the archived file at this URL (without ?t=), for a conditional request."""
        return self.file_validators.get(url_key, (None, None))

    def is_dead(self, url_key: str) -> bool:
        """Was this sitemap link found dead in a recent run (so it is not asked for again yet)?"""
        return url_key in self.dead_keys


_ARTICLE_COLUMNS = tuple(KnownArticle.__dataclass_fields__)


def _newer(lastmod: str, stored: str) -> bool:
    """Is a sitemap lastmod later than the stored one? (ISO 8601; unparsable counts as newer.)"""
    try:
        return datetime.fromisoformat(lastmod.replace("Z", "+00:00")) > datetime.fromisoformat(
            stored.replace("Z", "+00:00")
        )
    except ValueError:
        return lastmod != stored


def _aliases(archive: Archive) -> dict[str, str]:
    """URL keys the archive knows as another route of an article, mapped to the article's own key."""
    rows = archive.db.execute(
        "SELECT u.url_key, a.url_key FROM article_urls u JOIN articles a ON a.id = u.article_id "
        "WHERE u.url_key IS NOT NULL AND a.url_key IS NOT NULL AND u.url_key != a.url_key"
    )
    return dict(rows.fetchall())
