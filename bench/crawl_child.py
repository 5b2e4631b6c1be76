"""One crawl in this process, measured: the hepza crawl (as ``hepza crawl`` runs it) or a bare Scrapy spider.

Run by bench/crawl.py and bench/incremental.py in a fresh process per crawl (Twisted's reactor runs once
per process, and the peak memory must be the crawl's own). Prints one JSON line:
``{"elapsed_s", "responses", "requests", "items", "pages_per_s", "maxrss_mb", "writer_maxrss_mb", "summary"}``.

    python -m bench.crawl_child hepza --site-url http://127.0.0.1:PORT --db DB [--full] [--writer inline]
    python -m bench.crawl_child bare --urls-file FILE
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

_BODY_CSS = '[data-lfr-editable-type="rich-text"]'


class BareSpider(scrapy.Spider):
    """Fetches the given pages and only parses them (parsel), with Scrapy's default settings."""

    name = "bare"

    def __init__(self, urls: list[str], **kwargs) -> None:
        super().__init__(**kwargs)
        self.urls = urls

    async def start(self):
        for url in self.urls:
            yield scrapy.Request(url, callback=self.parse)

    def parse(self, response):
        # The least an article extractor does: parse, and take title, date line, body and byline.
        paragraphs = response.css(f"{_BODY_CSS} p")
        yield {
            "title": response.css("h1.component-heading::text").get(),
            "date": response.css("p.date-display::text").get(),
            "body_len": sum(len(t) for t in paragraphs.css("::text").getall()),
            "byline": paragraphs[-1].css("::text").get() if paragraphs else None,
        }


def _assert_loopback(url: str) -> None:
    from urllib.parse import urlsplit

    if urlsplit(url).hostname != "127.0.0.1":
        raise SystemExit(f"benchmarks only crawl 127.0.0.1, not {url}")


def run_bare(urls: list[str]) -> tuple[dict, dict | None]:
    for url in urls[:1]:
        _assert_loopback(url)
    settings = Settings()  # Scrapy's defaults
    settings.set("LOG_LEVEL", "ERROR")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler, urls=urls)
    process.start()
    return crawler.stats.get_stats(), None


def run_hepza(site_url: str, db: str, full: bool, writer: str = "process") -> tuple[dict, dict | None]:
    """The same code path as ``hepza crawl --site-url URL --db DB --delay 0 --concurrency 16 [--full]``
    (settings resolved by archive.config, HEPZA_* environment included), minus the CLI's lock file."""
    from archive.config import crawl_overrides, resolve
    from archive.store import Archive
    from scraper.run import crawl_settings
    from scraper.spiders.hepza import HepzaSpider

    _assert_loopback(site_url)
    values = resolve({"site_url": site_url, "db": db, "delay": 0, "concurrency": 16, "writer": writer})
    Archive(db).close()  # as the CLI does: create or upgrade the archive first
    process = CrawlerProcess(crawl_settings(crawl_overrides(values, full=full)))
    crawler = process.create_crawler(HepzaSpider)
    process.crawl(crawler)
    process.start()
    stats = crawler.stats.get_stats()
    return stats, stats.get("hepza/summary")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=["hepza", "bare"])
    parser.add_argument("--site-url")
    parser.add_argument("--db")
    parser.add_argument("--full", action="store_true")
    parser.add_argument("--urls-file")
    parser.add_argument("--writer", choices=["process", "inline"], default="process")
    args = parser.parse_args(argv)
    wall = time.perf_counter()
    if args.kind == "bare":
        with open(args.urls_file, encoding="utf-8") as f:
            urls = [line.strip() for line in f if line.strip()]
        stats, summary = run_bare(urls)
    else:
        stats, summary = run_hepza(args.site_url, args.db, args.full, args.writer)
    wall = time.perf_counter() - wall
    elapsed = stats.get("elapsed_time_seconds") or wall
    responses = stats.get("downloader/response_count", 0)
    out = {
        "kind": args.kind,
        "elapsed_s": elapsed,
        "wall_s": wall,
        "responses": responses,
        "requests": stats.get("downloader/request_count", 0),
        "items": stats.get("item_scraped_count", 0),
        "status_200": stats.get("downloader/response_status_count/200", 0),
        "status_304": stats.get("downloader/response_status_count/304", 0),
        "pages_per_s": responses / elapsed if elapsed else 0.0,
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        # The archive writer's peak (a child process, reaped by the crawl): largest child's ru_maxrss.
        "writer_maxrss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "summary": summary,
    }
    sys.stdout.write(json.dumps(out, default=str) + "\n")


if __name__ == "__main__":
    main()
