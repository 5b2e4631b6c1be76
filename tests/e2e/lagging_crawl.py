"""A Scrapy crawl with the project's settings whose every other request waits after leaving its download
slot, as on a busy crawler (a coroutine scheduled late, a connection to set up): the case in which
Scrapy's delay, counted from when a request leaves the slot, lets two requests reach a portal closer
together than the delay (tests/e2e/test_politeness.py).

    python -m tests.e2e.lagging_crawl SITE_URL REQUESTS [--scrapy-delay]

``--scrapy-delay`` leaves out scraper/politeness.py: Scrapy's own count of the delay, to show the case.
"""

from __future__ import annotations

import sys

import scrapy
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import task

from scraper.download import CappedHTTP11DownloadHandler
from scraper.run import _Process, crawl_settings

DELAY = 0.2
LAG = 0.15  # shorter than the delay: the slot's wait is not over when the late request's answer is in


class LaggingHandler(CappedHTTP11DownloadHandler):
    """The project's handler; a request marked ``lag`` waits LAG seconds before it is sent."""

    async def download_request(self, request):
        if request.meta.get("lag"):
            from twisted.internet import reactor  # (the one Scrapy installed, not one installed here)

            await maybe_deferred_to_future(task.deferLater(reactor, LAG, lambda: None))
        return await super().download_request(request)


class Pages(scrapy.Spider):
    name = "pages"

    def __init__(self, site: str, count: int, **kwargs) -> None:
        super().__init__(**kwargs)
        self.site, self.count = site, count

    async def start(self):
        for i in range(self.count):
            yield scrapy.Request(f"{self.site}/p{i}", meta={"lag": i % 2 == 1}, dont_filter=True)

    def parse(self, response):
        return None


def main() -> None:
    site, count = sys.argv[1], int(sys.argv[2])
    overrides: dict = {
        "HEPZA_SITE_URL": site,
        "DOWNLOAD_DELAY": DELAY,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
        "DOWNLOAD_HANDLERS": {"http": "tests.e2e.lagging_crawl.LaggingHandler"},
        # (the politeness under test is the downloader's; the page checks are not, and this server is
        # no Liferay portal with a robots.txt)
        "ROBOTSTXT_OBEY": False,
        "ITEM_PIPELINES": {},
        "SPIDER_MIDDLEWARES": {},
    }
    settings = crawl_settings(overrides)
    middlewares = dict(settings.getdict("DOWNLOADER_MIDDLEWARES"))
    middlewares["scraper.platform_check.LiferayCheckMiddleware"] = None
    settings.set("DOWNLOADER_MIDDLEWARES", middlewares, priority="cmdline")
    if "--scrapy-delay" in sys.argv:
        extensions = dict(settings.getdict("EXTENSIONS"))
        extensions["scraper.politeness.DelayFromResponse"] = None
        settings.set("EXTENSIONS", extensions, priority="cmdline")
    process = _Process(settings)
    process.crawl(Pages, site=site, count=count)
    process.start()


if __name__ == "__main__":
    main()
