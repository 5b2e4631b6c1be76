"""The attachment back-channel: the pipeline signals the writer's links, the spider schedules them."""

from __future__ import annotations

import asyncio

import scrapy
from scrapy.utils.test import get_crawler
from twisted.internet import defer

from archive.captures import Capture
from archive.protocol import ArticlePage, Done, FileLinks
from scraper.items import ArticleItem
from scraper.pipelines import ArchivePipeline
from scraper.signals import file_links_found
from scraper.spiders.hepza import HepzaSpider

ORIGIN = "http://127.0.0.1:8000"
PAGE = ORIGIN + "/w/bai-viet"
PDF = ORIGIN + "/documents/1/2/tb.pdf/0f1e2d3c-0000-0000-0000-000000000000"
JPG = ORIGIN + "/documents/1/2/anh.jpg/0f1e2d3c-0000-0000-0000-000000000001"


class _Engine:
    """Records what is scheduled (the engine's ``crawl``)."""

    def __init__(self) -> None:
        self.scheduled: list[scrapy.Request] = []

    def crawl(self, request: scrapy.Request) -> None:
        self.scheduled.append(request)


def _crawler(settings: dict | None = None):
    crawler = get_crawler(HepzaSpider, {"HEPZA_SITE_URL": ORIGIN, **(settings or {})})
    crawler.spider = HepzaSpider.from_crawler(crawler)
    crawler.engine = _Engine()
    return crawler


def test_the_spider_schedules_the_documents_of_the_signal_once_each():
    crawler = _crawler({"HEPZA_DOWNLOAD_ATTACHMENTS": True})
    for _ in range(2):  # a second sighting of the same links asks for nothing more
        crawler.signals.send_catch_log(
            signal=file_links_found, attachments=(PDF + "?t=1",), images=(JPG,), page_url=PAGE
        )
    assert [(r.url, r.meta["article_url"]) for r in crawler.engine.scheduled] == [(PDF + "?t=1", PAGE)]
    assert crawler.engine.scheduled[0].callback == crawler.spider.parse_attachment


class _Writer:
    """A writer that answers every item with links, as the archive writer does for an article page."""

    run_id = 1
    death = None

    def __init__(self) -> None:
        self.items: list = []

    def submit(self, item) -> defer.Deferred:
        self.items.append(item)
        return defer.succeed(Done("new", 0, FileLinks((PDF,), (JPG,))))


def test_the_pipeline_hands_the_item_to_the_writer_and_signals_its_links():
    crawler = _crawler()
    crawler.stats.open_spider()
    pipeline = ArchivePipeline.from_crawler(crawler)
    pipeline.writer = _Writer()
    heard: list[dict] = []
    crawler.signals.connect(lambda **kwargs: heard.append(kwargs), signal=file_links_found, weak=False)
    # The spider is not asked for anything: its methods are out of the pipeline's reach.
    crawler.spider = None
    capture = Capture(url=PAGE, status=200, body=b"<html></html>", fetched_at="2026-11-25T00:00:00+00:00")
    item = ArticleItem(capture=capture, urls=[PAGE], category="tin-tuc", charset="utf-8")

    assert asyncio.run(pipeline.process_item(item)) is item

    assert pipeline.writer.items == [ArticlePage(capture, (PAGE,), "tin-tuc", {}, "utf-8")]
    assert [(h["attachments"], h["images"], h["page_url"]) for h in heard] == [((PDF,), (JPG,), PAGE)]
    assert crawler.stats.get_value("hepza/new") == 1


def _result(d: defer.Deferred):
    """The result of a Deferred that has already fired (the inline writer's always have)."""
    results: list = []
    d.addBoth(results.append)
    (result,) = results
    return result


def test_the_inline_writer_speaks_the_same_protocol(tmp_path):
    from archive.protocol import FetchOutcome, WriterConfig
    from scraper.archive_writer import InlineWriter

    writer = InlineWriter()
    assert _result(writer.open(WriterConfig(db_path=str(tmp_path / "a.db"), site_url=ORIGIN))) == 1
    done = _result(writer.submit(FetchOutcome(PAGE, "http-error", 500, "HTTP 500")))
    assert done == Done(None, 1, None)
    summary = _result(writer.finish(1, 0, "finished"))
    assert summary["errors"] == 1 and summary["exit_code"] != 0
