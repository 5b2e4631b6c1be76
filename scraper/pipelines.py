"""The crawl's item pipeline: hands each item to the archive writer (``archive/writer.py``).

Reading an article page's fields, cleaning them (``pipelines``) and archiving (``archive``) run in the
writer, by default a child process, so the reactor goes on downloading while the other core does that work
(``HEPZA_WRITER``). The writer answers with the page's attachment links, which the spider downloads.
"""

from __future__ import annotations

import logging
from collections import Counter

from scrapy import signals
from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future

from archive.lock import RunLock
from archive.runs import abandoned_run_summary
from archive.writer import WriterConfig
from scraper.archive_writer import InlineWriter, ProcessWriter, WriterDied, WriterError
from scraper.items import ArticleItem, AttachmentItem, FetchOutcomeItem, ListingItem, SitemapItem

logger = logging.getLogger(__name__)

WRITER_MODES = ("process", "inline")


def writer_message(item) -> tuple | None:
    """The writer's message for an item (plain values: the writer does not import Scrapy or this package)."""
    if isinstance(item, ArticleItem):
        return ("article", item.capture, item.urls, item.category, item.validators, item.charset)
    if isinstance(item, FetchOutcomeItem):
        return ("outcome", item.url, item.kind, item.status, item.message)
    if isinstance(item, AttachmentItem):
        return (
            "attachment",
            item.url,
            item.article_url,
            item.status,
            item.body,
            item.content_type,
            item.etag,
            item.last_modified,
        )
    if isinstance(item, SitemapItem):
        return ("sitemap", item.lastmods)
    if isinstance(item, ListingItem):
        return ("listing", item.category, item.urls)
    return None


def _item_url(item) -> str:
    return getattr(item, "url", None) or getattr(getattr(item, "capture", None), "url", None) or "?"


class ArchivePipeline:
    """Sends each item to the archive writer, which cleans it, writes it and keeps the run's ledger."""

    def __init__(self, crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.db_path = settings.get("HEPZA_DB")
        self.config = WriterConfig(
            db_path=self.db_path,
            site_url=settings.get("HEPZA_SITE_URL"),
            mode=settings.get("HEPZA_MODE"),
            timezone=settings.get("HEPZA_TIMEZONE"),
            missing_share=settings.getfloat("HEPZA_ALARM_MISSING_SHARE"),
            min_pages=settings.getint("HEPZA_ALARM_MIN_PAGES"),
            migration_batch_min=settings.getint("HEPZA_MIGRATION_BATCH_MIN_ARTICLES"),
            migration_batch_gap=settings.getint("HEPZA_MIGRATION_BATCH_GAP_MINUTES"),
            migration_same_minute_min=settings.getint("HEPZA_MIGRATION_SAME_MINUTE_MIN"),
            removal_floor_share=settings.getfloat("HEPZA_REMOVAL_FLOOR_SHARE"),
            removal_floor_min=settings.getint("HEPZA_REMOVAL_FLOOR_MIN"),
            removal_min_age=settings.get("HEPZA_REMOVAL_MIN_AGE"),
            diff_max_tokens=settings.getint("HEPZA_DIFF_MAX_TOKENS", 4000),
        )
        mode = settings.get("HEPZA_WRITER", "process")
        if mode not in WRITER_MODES:
            raise ValueError(f"HEPZA_WRITER must be one of {', '.join(WRITER_MODES)}, not {mode!r}")
        self.writer = ProcessWriter() if mode == "process" else InlineWriter()
        # What the crawler heard back, for the summary of a run whose writer died.
        self.heard: Counter[str] = Counter()
        self.lost_urls: list[str] = []
        self.stopping = False

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler)
        # The run is finished on spider_closed, not in close_spider: only that signal carries the reason
        # the crawl ended (finished, shutdown on SIGTERM/Ctrl-C, …), and it comes after the last item.
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    async def open_spider(self) -> None:
        # `scrapy crawl hepza` takes the same lock as `hepza crawl` (which already holds it in this process).
        self.lock = RunLock(self.db_path)
        self.lock.acquire()
        try:
            run_id = await maybe_deferred_to_future(self.writer.open(self.config))
        except (WriterError, WriterDied):
            self.lock.release()
            raise
        self.crawler.stats.set_value("hepza/run_id", run_id)

    async def process_item(self, item):
        message = writer_message(item)
        if message is None:
            return item
        try:
            status, errors, links = await maybe_deferred_to_future(self.writer.submit(message))
        except WriterDied as exc:
            # Nothing more can be archived in this run: stop it; the summary says why (exit code 70).
            self.lost_urls.append(_item_url(item))
            self.heard["errors"] += 1
            self._stop(str(exc))
            return item
        if status:
            self.heard[status] += 1
            if status in ("new", "changed"):
                self.crawler.stats.inc_value(f"hepza/{status}")
        self.heard["errors"] = errors
        self.crawler.stats.set_value("hepza/errors", errors)
        if links:
            for request in self.crawler.spider.file_requests(*links, _item_url(item)):
                self.crawler.engine.crawl(request)
        return item

    def _stop(self, reason: str) -> None:
        if not self.stopping:
            self.stopping = True
            logger.critical("%s; stopping the crawl", reason)
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="archive-writer-died"))

    async def spider_closed(self, spider, reason: str) -> None:
        if self.writer.run_id is None:  # the archive never opened: nothing to finish
            return
        stats = self.crawler.stats
        requests = stats.get_value("downloader/request_count", 0)
        offsite = stats.get_value("hepza/offsite", 0)
        try:
            if self.writer.death is not None:
                raise WriterDied(self.writer.death)
            summary = await maybe_deferred_to_future(self.writer.finish(requests, offsite, reason))
        except (WriterDied, WriterError) as exc:
            summary = abandoned_run_summary(
                self.db_path,
                self.writer.run_id,
                str(exc),
                counts=dict(self.heard, requests=requests),
                offsite=offsite,
                failed_urls=self.lost_urls,
            )
        finally:
            self.lock.release()
        stats.set_value("hepza/summary", summary)
