"""Run crawls in this process and return their summaries (the ``hepza crawl`` entry into Scrapy).

One portal or many, it is one Scrapy process: with many (``hepza crawl --all``) each portal is a crawler
of its own, with its own settings and so its own downloader, whose slot holds that portal's delay and
concurrency however many crawlers run beside it. A crawler that fails to start is that portal's failure
alone: the others run on.
"""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.settings import Settings
from twisted.python.failure import Failure

from archive.runs import EXIT_INTERNAL, interrupted_run_summary, run_summary
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
    process = _Process(crawl_settings(overrides))
    crawler = process.create_crawler(HepzaSpider)
    process.crawl(crawler)
    process.start()
    summary = _summary(process, crawler)
    if summary is None:
        raise RuntimeError("the crawl ended before the archive was opened")
    return summary


def run_crawls(many: list[dict]) -> list[dict]:
    """Crawl several portals at once, one crawler each with its own overrides; their summaries in order.
    A crawler that ended before its archive was opened (an exception in its start) gets an
    ``internal-error`` summary (exit 70) naming the exception, and never stops the others."""
    # The process's own settings (logging, the reactor) are the first portal's. Each crawler is made from
    # its own portal's; Scrapy merges the process's settings into every crawler it runs, over any of the
    # crawler's of the same or a lower priority, so the process's are given the lowest ("default").
    shared = Settings()
    shared.setmodule("scraper.settings", priority="default")
    shared.update(many[0], priority="default")
    process = _Process(shared)
    crawlers: list[Crawler] = []
    errors: dict[int, str] = {}
    for index, overrides in enumerate(many):
        # (the first crawler installs the reactor, as CrawlerProcess.create_crawler would have it)
        crawler = Crawler(HepzaSpider, crawl_settings(overrides), init_reactor=index == 0)
        process.crawl(crawler).addErrback(_keep_error, errors, index)
        crawlers.append(crawler)
    process.start()
    summaries = []
    for index, crawler in enumerate(crawlers):
        summary = _summary(process, crawler)
        if summary is None:
            reason = errors.get(index, "the crawl ended before the archive was opened")
            summary = run_summary(None, "internal-error", EXIT_INTERNAL, {}, alarms=[reason], failed_urls=[])
        summaries.append(summary)
    return summaries


def _summary(process: _Process, crawler: Crawler) -> dict | None:
    try:
        stats = crawler.stats
    except RuntimeError:  # (Scrapy's "not set yet": a crawler that failed before its stats were made)
        return None
    summary = stats.get_value("hepza/summary")
    if summary is None and process.signalled is not None:
        return interrupted_run_summary(
            crawler.settings.get("HEPZA_DB"),
            stats.get_value("hepza/run_id"),
            requests=stats.get_value("downloader/request_count", 0),
        )
    return summary


def _keep_error(failure: Failure, errors: dict[int, str], index: int) -> None:
    """Keep what stopped crawler ``index`` (handled here, so Twisted logs no unhandled error)."""
    text = " ".join(str(failure.value).split())
    name = type(failure.value).__name__
    errors[index] = f"{name}: {text}" if text else name
