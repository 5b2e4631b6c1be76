"""Dead links learned from earlier runs: article URLs of the sitemaps that answered 404/410 and that the
archive does not hold (``crawl_errors`` kind ``not-found``). A sitemap listing thousands of them would
otherwise cost thousands of requests every run; each is asked again only after ``retry_days``."""

from __future__ import annotations

from datetime import datetime, timedelta

from archive.store import Archive
from pipelines.urls import article_key


def recent_dead_links(archive: Archive, now: datetime, retry_days: float) -> set[str]:
    """URL keys of the article URLs found dead in the last ``retry_days`` days (none when 0)."""
    if retry_days <= 0:
        return set()
    since = (now - timedelta(days=retry_days)).isoformat(timespec="seconds")
    rows = archive.db.execute(
        "SELECT DISTINCT url FROM crawl_errors WHERE kind = 'not-found' AND at >= ?", [since]
    ).fetchall()
    keys = (article_key(row[0]) for row in rows)
    return {key for key in keys if key is not None}
