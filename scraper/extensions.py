"""Scrapy extensions of the hepza crawl."""

from __future__ import annotations

import sys
import time

from scrapy import signals
from scrapy.exceptions import NotConfigured

_INTERVAL = 0.5


class ProgressLine:
    """A live progress line on a terminal: pages fetched and queued, new and changed so far.

    Enabled by the CLI only when stderr is a terminal, so cron mail stays one line.
    """

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.last = 0.0

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("HEPZA_PROGRESS"):
            raise NotConfigured
        extension = cls(crawler)
        crawler.signals.connect(extension.update, signal=signals.response_received)
        crawler.signals.connect(extension.done, signal=signals.spider_closed)
        return extension

    def _line(self) -> str:
        stats = self.crawler.stats
        queued = stats.get_value("scheduler/enqueued", 0) - stats.get_value("scheduler/dequeued", 0)
        return (
            f"\r{stats.get_value('response_received_count', 0)} fetched, {queued} queued, "
            f"{stats.get_value('hepza/new', 0)} new, {stats.get_value('hepza/changed', 0)} changed, "
            f"{stats.get_value('hepza/errors', 0)} errors "
        )

    def update(self, *args, **kwargs) -> None:
        now = time.monotonic()
        if now - self.last >= _INTERVAL:
            self.last = now
            sys.stderr.write(self._line())
            sys.stderr.flush()

    def done(self, *args, **kwargs) -> None:
        sys.stderr.write(self._line() + "\n")
        sys.stderr.flush()
