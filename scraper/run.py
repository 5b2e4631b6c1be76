"""Run one crawl in this process and return its summary (the ``hepza crawl`` entry into Scrapy)."""

from __future__ import annotations

from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from archive.runs import interrupted_run_summary
from scraper.spiders.hepza import HepzaSpider


class _Process(CrawlerProcess):
    """Scrapy's process, remembering whether a signal (SIGINT, SIGTERM) stopped it: a first signal stops
    the crawl gracefully (the ledger finishes the run as ``interrupted``); a second one stops the reactor at
    once, and the run's row is then closed here instead of being left ``running``."""

    signalled: int | None = None

    def _signal_shutdown(self, signum: int, frame: Any) -> None:
        self.signalled = signum
        super()._signal_shutdown(signum, frame)

    def _signal_kill(self, signum: int, frame: Any) -> None:
        self.signalled = signum
        super()._signal_kill(signum, frame)


def crawl_settings(overrides: dict) -> Settings:
    """The project's settings (scraper.settings) with the CLI's overrides on top."""
    settings = Settings()
    settings.setmodule("scraper.settings", priority="project")
    settings.update(overrides, priority="cmdline")
    return settings


def run_crawl(overrides: dict) -> dict:
    """Crawl with the given setting overrides; the summary comes from the archive pipeline's ledger."""
    settings = crawl_settings(overrides)
    process = _Process(settings)
    crawler = process.create_crawler(HepzaSpider)
    process.crawl(crawler)
    process.start()
    summary = crawler.stats.get_value("hepza/summary")
    if summary is None and process.signalled is not None:
        return interrupted_run_summary(
            settings.get("HEPZA_DB"),
            crawler.stats.get_value("hepza/run_id"),
            requests=crawler.stats.get_value("downloader/request_count", 0),
        )
    if summary is None:
        raise RuntimeError("the crawl ended before the archive was opened")
    return summary
