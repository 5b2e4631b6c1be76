"""The bare Scrapy spider of bench/farm.py: fetch the given URLs with hepza's per-portal politeness.

Each portal (host:port) is its own download slot with the same delay and one request at a time, as
``hepza crawl --all`` gives each portal, and the same rule for the delay: counted from the end of the
previous response (as scraper/politeness.py does for hepza; Scrapy's own counts it from when the previous
request left the queue, which a busy machine turns into shorter gaps at the portal). The pages are only
parsed (parsel), nothing is kept. Prints one JSON line: responses and Scrapy's elapsed seconds.

    python -m bench.farm_bare URLS_FILE DELAY
"""

from __future__ import annotations

import json
import sys
from time import monotonic
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings


class FarmSpider(scrapy.Spider):
    name = "farm-bare"

    def __init__(self, urls: list[str], **kwargs) -> None:
        super().__init__(**kwargs)
        self.urls = urls

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.restart_delay, signal=signals.response_downloaded)
        return spider

    def restart_delay(self, response, request, spider) -> None:
        # (sent before the downloader looks at the slot's queue again: the next request waits from here)
        slot = self.crawler.engine.downloader.slots.get(request.meta["download_slot"])
        if slot is not None:
            slot.lastseen = max(slot.lastseen, monotonic())

    async def start(self):
        for url in self.urls:
            # Scrapy's slots are per host name, and every portal here is 127.0.0.1: one slot per port.
            yield scrapy.Request(url, meta={"download_slot": urlsplit(url).netloc}, dont_filter=True)

    def parse(self, response):
        if isinstance(response, scrapy.http.TextResponse):
            response.css("title::text").get()


def main() -> None:
    urls_file, delay = sys.argv[1], float(sys.argv[2])
    with open(urls_file, encoding="utf-8") as f:
        urls = [line.strip() for line in f if line.strip()]
    assert all(urlsplit(u).hostname == "127.0.0.1" for u in urls), "loopback only"
    portals = len({urlsplit(u).netloc for u in urls})
    settings = Settings()
    settings.setdict(
        {
            "LOG_LEVEL": "ERROR",
            "DOWNLOAD_DELAY": delay,
            "RANDOMIZE_DOWNLOAD_DELAY": False,
            "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
            "CONCURRENT_REQUESTS": max(16, portals),
            "ROBOTSTXT_OBEY": False,  # robots.txt is among the URLs (hepza asked for it)
            "TELNETCONSOLE_ENABLED": False,
        }
    )
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(FarmSpider)
    process.crawl(crawler, urls=urls)
    process.start()
    stats = crawler.stats.get_stats()
    print(
        json.dumps(
            {
                "responses": stats.get("downloader/response_count", 0),
                "elapsed_s": stats.get("elapsed_time_seconds"),
            }
        )
    )


if __name__ == "__main__":
    main()
