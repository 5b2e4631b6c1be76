"""Thin Scrapy adapters over the plain-Python cleaning (``pipelines``) and archive (``archive``)."""

from __future__ import annotations

import logging

from archive.lock import RunLock
from archive.runs import RunLedger
from archive.store import Archive
from pipelines.record import clean_article
from scraper.items import ArticleItem, AttachmentItem, FetchOutcomeItem, SitemapItem

logger = logging.getLogger(__name__)


class CleaningPipeline:
    """Fills the clean twins of an article's raw fields."""

    def __init__(self, tz: str) -> None:
        self.tz = tz

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.get("HEPZA_TIMEZONE"))

    def process_item(self, item):
        if isinstance(item, ArticleItem):
            try:
                item.record = clean_article(item.raw, tz=self.tz)
            except Exception as exc:  # a cleaner bug on one hostile page must not lose the page silently
                logger.error("cleaning failed on %s: %r", item.capture.url, exc)
                return FetchOutcomeItem(
                    item.capture.url, "clean-error", item.capture.status, f"{type(exc).__name__}: {exc}"[:500]
                )
        return item


class ArchivePipeline:
    """Writes each item to the archive and keeps the run's ledger (counts, errors, alarms, exit code)."""

    def __init__(self, crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.db_path = settings.get("HEPZA_DB")
        self.site_url = settings.get("HEPZA_SITE_URL")
        self.mode = settings.get("HEPZA_MODE")
        self.thresholds = (
            settings.getfloat("HEPZA_ALARM_MISSING_SHARE"),
            settings.getint("HEPZA_ALARM_MIN_PAGES"),
        )
        self.migration_day_min = settings.getint("HEPZA_MIGRATION_DAY_MIN_ARTICLES")
        self.archive: Archive | None = None
        self.ledger: RunLedger | None = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self) -> None:
        # `scrapy crawl hepza` takes the same lock as `hepza crawl` (which already holds it in this process).
        self.lock = RunLock(self.db_path)
        self.lock.acquire()
        self.archive = Archive(self.db_path)
        self.ledger = RunLedger(
            self.archive,
            mode=self.mode,
            site_url=self.site_url,
            missing_share=self.thresholds[0],
            min_pages=self.thresholds[1],
            migration_day_min=self.migration_day_min,
        )
        self.crawler.stats.set_value("hepza/run_id", self.ledger.run_id)

    def close_spider(self) -> None:
        stats = self.crawler.stats
        summary = self.ledger.finish(
            requests=stats.get_value("downloader/request_count", 0),
            offsite=stats.get_value("hepza/offsite", 0),
            shutdown_reason=stats.get_value("finish_reason"),
        )
        stats.set_value("hepza/summary", summary)
        self.archive.close()
        self.lock.release()

    def process_item(self, item):
        try:
            self._write(item)
        except Exception as exc:  # e.g. a full disk: the page is counted as failed, the run goes on
            url = getattr(item, "url", None) or getattr(getattr(item, "capture", None), "url", "?")
            logger.critical("could not archive %s: %r", url, exc)
            self.ledger.write_failed(url, exc)
        self.crawler.stats.set_value("hepza/errors", self.ledger.counts["errors"])
        return item

    def _write(self, item) -> None:
        if isinstance(item, ArticleItem):
            status = self.ledger.article(item)
            if status in ("new", "changed"):
                self.crawler.stats.inc_value(f"hepza/{status}")
        elif isinstance(item, FetchOutcomeItem):
            self.ledger.outcome(item)
        elif isinstance(item, AttachmentItem):
            self.ledger.attachment(item)
        elif isinstance(item, SitemapItem):
            self.ledger.sitemap(item.lastmods)
