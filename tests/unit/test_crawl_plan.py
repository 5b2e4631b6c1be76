"""The crawl plan (archive/crawl_plan.py): what a crawl learns of the archive before it starts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from archive.captures import Capture
from archive.crawl_plan import CrawlPlan, KnownArticle
from archive.protocol import ArticlePage, FetchOutcome, WriterConfig
from archive.writer import ArchiveWriter
from pipelines.urls import article_key

ORIGIN = "http://127.0.0.1:8000"
CHECKED = datetime(2026, 11, 25, tzinfo=UTC)  # when _archive_of fetched its pages
DAILY = [(None, timedelta(days=1))]  # every article due once a day has passed since its last check


def _archive_of(db: Path, n: int, *, gone: int | None = None) -> list[str]:
    """An archive of n replica articles (the one at index ``gone`` then answered 404); their URLs."""
    from replica import Site, app

    site = Site()
    writer = ArchiveWriter(WriterConfig(db_path=str(db), site_url=ORIGIN))
    urls = []
    for record in site.gold()[:n]:
        _, _, body = app.handle(site, "GET", record["url"], {"host": "127.0.0.1:8000"})
        url = ORIGIN + record["url"]
        capture = Capture(url=url, status=200, body=body, fetched_at=CHECKED.isoformat())
        validators = {
            "etag": f'"{len(urls)}"',
            "last_modified": None,
            "sitemap_lastmod": "2026-11-20T00:00:00Z",
        }
        assert writer.handle(ArticlePage(capture, (url,), None, validators, "utf-8")).status == "new"
        urls.append(url)
    if gone is not None:
        writer.handle(FetchOutcome(urls[gone], "gone", 404, "HTTP 404"))
    writer.finish(n, 0, "finished")
    return urls


def test_the_plan_knows_the_archive_s_articles_by_key_with_their_validators(tmp_path):
    urls = _archive_of(tmp_path / "a.db", 3)
    plan = CrawlPlan.load(str(tmp_path / "a.db"), now=CHECKED, schedule=DAILY)
    keys = [article_key(url) for url in urls]
    assert set(plan.articles) == set(keys) and all(key in plan for key in keys)
    first = plan.article(keys[0])
    assert isinstance(first, KnownArticle) and first.url_key == keys[0]
    assert (first.etag, first.removed, first.pending_removal) == ('"0"', False, False)
    assert plan.article(article_key(ORIGIN + "/w/khong-co")) is None and plan.article(None) is None


def test_due_re_checks_follow_the_schedule_and_a_full_run_takes_every_article(tmp_path):
    _archive_of(tmp_path / "a.db", 3)
    # Checked just now: nothing due an hour later, everything due two days later.
    soon = CrawlPlan.load(str(tmp_path / "a.db"), now=CHECKED + timedelta(hours=1), schedule=DAILY)
    later = CrawlPlan.load(str(tmp_path / "a.db"), now=CHECKED + timedelta(days=2), schedule=DAILY)
    assert list(soon.rechecks(full=False)) == []
    assert len(list(soon.rechecks(full=True))) == 3
    assert len(list(later.rechecks(full=False))) == 3


def test_an_article_pending_removal_is_re_checked_whatever_the_schedule(tmp_path):
    urls = _archive_of(tmp_path / "a.db", 3, gone=1)
    plan = CrawlPlan.load(str(tmp_path / "a.db"), now=CHECKED + timedelta(hours=1), schedule=DAILY)
    pending = plan.article(article_key(urls[1]))
    assert pending is not None and pending.pending_removal and not pending.removed
    assert [a.url_key for a in plan.rechecks(full=False)] == [pending.url_key]


def test_a_sitemap_lastmod_newer_than_the_stored_one_says_modified(tmp_path):
    urls = _archive_of(tmp_path / "a.db", 1)
    plan = CrawlPlan.load(str(tmp_path / "a.db"), now=CHECKED, schedule=DAILY)
    article = plan.article(article_key(urls[0]))
    assert article is not None and article.sitemap_lastmod == "2026-11-20T00:00:00Z"
    assert article.modified_since("2026-11-21T00:00:00+00:00")
    assert not article.modified_since("2026-11-20T00:00:00Z") and not article.modified_since(None)


def test_an_empty_plan_knows_nothing(tmp_path):
    plan = CrawlPlan.load(str(tmp_path / "new.db"), now=CHECKED)
    assert plan == CrawlPlan(now=plan.now, schedule=plan.schedule)
    assert plan.file_validator(ORIGIN + "/documents/a.pdf") == (None, None)
    assert not plan.is_dead("127.0.0.1:8000/w/a") and list(plan.rechecks(full=True)) == []


def test_another_route_the_archive_met_an_article_under_names_the_article_s_own_key(tmp_path):
    # A portal that links one article as /-/details/<id>/<slug> and as /-/<slug> (keys that differ): once
    # the archive holds both as its URLs, the plan maps the alias to the article's key, and the spider asks
    # for the article once.
    db = tmp_path / "a.db"
    urls = _archive_of(db, 2)
    alias = ORIGIN + "/-/other-route-of-the-first"
    writer = ArchiveWriter(WriterConfig(db_path=str(db), site_url=ORIGIN))
    from replica import Site, app

    site = Site()
    _, _, body = app.handle(site, "GET", site.gold()[0]["url"], {"host": "127.0.0.1:8000"})
    page = Capture(url=alias, status=200, body=body, fetched_at=CHECKED.isoformat())
    assert writer.handle(ArticlePage(page, (alias, urls[0]), None, {}, "utf-8")).status == "unchanged"
    writer.finish(1, 0, "finished")
    plan = CrawlPlan.load(str(db), now=CHECKED, schedule=DAILY)
    own, other = article_key(urls[0]), article_key(alias)
    assert own is not None and other is not None and own != other
    assert plan.own_key(other) == own and plan.own_key(own) == own
    assert plan.own_key(article_key(urls[1]) or "") == article_key(urls[1])


def test_an_article_is_known_under_the_routes_the_archive_met_it_by():
    own, alias = "/-/details/1/a", "/-/a"
    plan = CrawlPlan(articles={own: KnownArticle(url=ORIGIN + own, url_key=own)}, aliases={alias: own})
    assert own in plan and alias in plan
    assert "/-/b" not in plan and None not in plan
