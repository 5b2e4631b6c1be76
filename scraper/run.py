"""Run one crawl in this process and return its summary (the ``hepza crawl`` entry into Scrapy)."""

from __future__ import annotations

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from scraper.spiders.hepza import HepzaSpider


def crawl_settings(overrides: dict) -> Settings:
    """The project's settings (scraper.settings) with the CLI's overrides on top."""
    settings = Settings()
    settings.setmodule("scraper.settings", priority="project")
    settings.update(overrides, priority="cmdline")
    return settings


def run_crawl(overrides: dict) -> dict:
    """Crawl with the given setting overrides; the summary comes from the archive pipeline's ledger."""
    settings = crawl_settings(overrides)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(HepzaSpider)
    process.crawl(crawler)
    process.start()
    summary = crawler.stats.get_value("hepza/summary")
    if summary is None:
        raise RuntimeError("the crawl ended before the archive was opened")
    return summary
