"""The crawl's item pipeline: hands each item to the archive writer (``archive/writer.py``).

Reading an article page's fields, cleaning them (``pipelines``) and archiving (``archive``) run in the
writer, by default a child process, so the reactor goes on downloading while the other core does that work
(``HEPZA_WRITER``). The writer answers with the page's attachment links; the pipeline passes them on in
the ``file_links_found`` signal (``scraper/signals.py``), and the spider downloads them.
"""

from __future__ import annotations

import logging
from collections import Counter

from scrapy import signals
from scrapy.settings import BaseSettings
from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future

from archive.lock import RunLock
from archive.protocol import (
    ArticlePage,
    Attachment,
    Done,
    FetchOutcome,
    Item,
    ListingPage,
    SitemapLastmods,
    WriterConfig,
)
from archive.runs import abandoned_run_summary
from scraper.archive_writer import InlineWriter, ProcessWriter, WriterDied, WriterError
from scraper.config import setting
from scraper.items import ArticleItem, AttachmentItem, FetchOutcomeItem, ListingItem, SitemapItem
from scraper.signals import file_links_found

logger = logging.getLogger(__name__)

WRITER_MODES = ("process", "inline")


def writer_message(item: object) -> Item | None:
    """The writer's message for an item (``archive/protocol.py``; the writer does not import Scrapy)."""
    if isinstance(item, ArticleItem):
        return ArticlePage(item.capture, tuple(item.urls), item.category, item.validators, item.charset)
    if isinstance(item, FetchOutcomeItem):
        return FetchOutcome(item.url, item.kind, item.status, item.message, item.capture)
    if isinstance(item, AttachmentItem):
        return Attachment(
            url=item.url,
            article_url=item.article_url,
            body=item.body,
            content_type=item.content_type,
            status=item.status,
            etag=item.etag,
            last_modified=item.last_modified,
        )
    if isinstance(item, SitemapItem):
        return SitemapLastmods(item.lastmods)
    if isinstance(item, ListingItem):
        return ListingPage(item.category, tuple(item.urls), tuple(item.dates.items()))
    return None


# WriterConfig's fields that are hepza settings, by their name in archive.config.SETTINGS.
_WRITER_SETTINGS = {
    "site_url": "site_url",
    "timezone": "timezone",
    "missing_share": "alarm_missing_share",
    "min_pages": "alarm_min_pages",
    "migration_batch_min": "migration_batch_min_articles",
    "migration_batch_gap": "migration_batch_gap_minutes",
    "migration_same_minute_min": "migration_same_minute_min",
    "removal_floor_share": "removal_floor_share",
    "removal_floor_min": "removal_floor_min",
    "removal_min_age": "removal_min_age",
    "diff_max_tokens": "diff_max_tokens",
}


def writer_config(settings: BaseSettings) -> WriterConfig:
    """The writer's configuration from the crawl's settings (a run is ``full`` only when asked)."""
    values = {field: setting(settings, name) for field, name in _WRITER_SETTINGS.items()}
    mode = "full" if settings.get("HEPZA_MODE") == "full" else "incremental"
    hints = settings.getdict("HEPZA_HINTS")  # (a profile's; empty without one)
    return WriterConfig(db_path=setting(settings, "db"), mode=mode, hints=hints, **values)


def _item_url(item) -> str:
    return getattr(item, "url", None) or getattr(getattr(item, "capture", None), "url", None) or "?"


class ArchivePipeline:
    """Sends each item to the archive writer, which cleans it, writes it and keeps the run's ledger."""

    def __init__(self, crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.db_path = setting(settings, "db")
        self.config = writer_config(settings)
        mode = setting(settings, "writer")
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
            done: Done = await maybe_deferred_to_future(self.writer.submit(message))
        except WriterDied as exc:
            # Nothing more can be archived in this run: stop it; the summary says why (exit code 70).
            self.lost_urls.append(_item_url(item))
            self.heard["errors"] += 1
            self._stop(str(exc))
            return item
        if done.status:
            self.heard[done.status] += 1
            if done.status in ("new", "changed"):
                self.crawler.stats.inc_value(f"hepza/{done.status}")
        self.heard["errors"] = done.errors
        self.crawler.stats.set_value("hepza/errors", done.errors)
        if done.links:
            # The spider turns the links into requests: the pipeline only talks to the writer.
            self.crawler.signals.send_catch_log(
                signal=file_links_found,
                attachments=done.links.attachments,
                images=done.links.images,
                page_url=_item_url(item),
            )
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
