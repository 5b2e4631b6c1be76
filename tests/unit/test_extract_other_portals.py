"""Extraction on the replica's other portals (a Liferay 7.3 city portal with custom ADTs, a 6.2 portal with
portlet 101): every article page read from the portal layer, every gold field right.

Pages are rendered by the replica's own code (``replica.app.handle``, the same function its server runs),
list pages included: a 6.2 article page prints the day only, and the minute comes from its list card.
"""

import hashlib
import re
import unicodedata
from sqlite3 import connect

import pytest

from archive.captures import Capture
from archive.protocol import ArticlePage, ListingPage, WriterConfig
from archive.reprocess import reprocess
from archive.store import Archive
from archive.writer import ArchiveWriter
from pipelines.extract import extract_page, parse_html
from pipelines.listing_dates import listed_dates
from pipelines.record import clean_article
from replica import Site, app
from replica.portals import entry_id

HOST = "127.0.0.1:8011"
BASE = f"http://{HOST}"
# What each portal prints around an article and what must never be read as its body.
FURNITURE = {
    "liferay73": ["Tin liên quan", "Tin đọc nhiều", "Lượt xem", "Chia sẻ", "Zalo", "In bài"],
    "liferay62": ["Các tin khác", "Tin xem nhiều", "Lượt xem", "Quay lại", "Facebook", "Twitter"],
}


def norm(text):
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def get(site, target):
    status, _, body = app.handle(site, "GET", target, {"host": HOST})
    assert status == 200, target
    return body


def card_dates(site, prefix=""):
    """Every list page of every category, pager followed: {article URL: the date its card prints}."""
    dates, todo, seen = {}, [prefix + c.path for c in site.categories.values()], set()
    while todo:
        target = todo.pop()
        if target in seen:
            continue
        seen.add(target)
        doc = parse_html(get(site, target), "utf-8")
        dates.update(listed_dates(doc, BASE + target))
        for a in doc.cssselect("ul.pager a[href], ul.pagination a[href]"):
            if a.get("href").startswith(BASE):
                todo.append(a.get("href")[len(BASE) :])
    return dates


def records(site, prefix="", rewrite=lambda body: body):
    """(gold, raw, record) of every live article, read from its canonical page (``rewrite`` of it)."""
    dates = card_dates(site, prefix)
    for gold in site.gold():
        a = site.article(gold["asset_id"])
        url = BASE + prefix + gold["url"]
        raw = extract_page(rewrite(get(site, prefix + gold["url"])), url, "utf-8")
        listed_url = BASE + prefix + site.url_of(a, site.categories[a.category].link)
        yield gold, raw, clean_article(raw, listed_date=dates.get(url) or dates.get(listed_url))


@pytest.mark.parametrize(("portal", "prefix"), [("liferay73", ""), ("liferay73", "/en"), ("liferay62", "")])
def test_every_article_of_a_replica_portal_is_read_right_from_the_portal_layer(portal, prefix):
    site = Site(portal=portal)
    seen = 0
    for gold, raw, record in records(site, prefix):
        where = gold["url"]
        assert {raw.layers[k] for k in ("title", "published", "body")} == {"portal"}, where
        assert record.page_kind == "article", where
        assert norm(record.title) == norm(gold["title"]), where
        assert record.published_at == gold["published_at"], where
        assert record.authors == gold["authors"], where
        text = norm(record.body_text)
        assert text.startswith(norm(gold["body_first"])) and text.endswith(norm(gold["body_last"])), where
        assert [m for m in FURNITURE[portal] if m in text] == [], where
        # 7.x: data-analytics-asset-id; 6.2: the asset entry id (the only id its pages print).
        a = site.article(gold["asset_id"])
        assert record.asset_id == (entry_id(a) if portal == "liferay62" else gold["asset_id"]), where
        seen += 1
    assert seen == len(site.live()) > 20


def test_a_62_page_gives_the_day_and_the_list_gives_the_minute():
    site = Site(portal="liferay62")
    gold, raw, record = next(records(site))
    assert len(raw.published_raw) == len("12/11/2025")  # the page: the day only
    assert record.published_at == gold["published_at"] and not record.published_at.endswith("T00:00:00+07:00")
    assert record.layers["published_minute"] == "listing" and record.layers["published"] == "portal"
    alone = clean_article(raw)  # without its list: the day, and nothing said of a list
    assert alone.published_at == gold["published_at"][:10] + "T00:00:00+07:00"
    assert "published_minute" not in alone.layers


def test_the_62_query_route_and_the_friendly_route_give_the_same_asset_id():
    site = Site(portal="liferay62")
    a = site.live()[0]
    friendly = extract_page(get(site, site.url_of(a)), BASE + site.url_of(a), "utf-8")
    query = extract_page(get(site, site.url_of(a, "query")), BASE + site.url_of(a, "query"), "utf-8")
    assert friendly.asset_id == query.asset_id == entry_id(a)


def test_the_writer_keeps_the_list_s_minute_and_a_run_without_the_list_makes_no_version(tmp_path):
    site = Site(portal="liferay62")
    a = site.live()[0]
    gold = site.gold_for(a.asset_id)
    url = BASE + site.url_of(a, "query")  # what the 6.2 list links to
    dates = {u: d for u, d in card_dates(site).items() if u == url}
    assert dates  # the card prints the minute
    page = ArticlePage(
        Capture(
            url=url, status=200, body=get(site, site.url_of(a, "query")), fetched_at="2026-01-02T00:00:00Z"
        ),
        (url,),
        a.category,
        {},
        "utf-8",
    )
    db = tmp_path / "a.db"
    for listing, status in (
        (ListingPage(a.category, (url,), tuple(dates.items())), "new"),
        (None, "unchanged"),
    ):
        writer = ArchiveWriter(WriterConfig(db_path=str(db), site_url=BASE))
        if listing is not None:
            writer.handle(listing)
        assert writer.handle(page).status == status
        writer.finish(2, 0, "finished")
    archive = Archive(db)
    try:
        assert reprocess(archive)["changed"] == 0  # re-cleaning the capture keeps the list's minute
    finally:
        archive.close()
    with connect(db) as conn:
        assert conn.execute("SELECT published_at, version_count FROM articles").fetchall() == [
            (gold["published_at"], 1)
        ]


def test_a_62_theme_without_its_asset_markup_still_reads_the_same_content():
    # The replica's 6.2 redesign drops asset-full-content, journal-content-article and the suffix's
    # og:site_name: title by the page title (its site name from the logo link), body as the text block
    # after it, sapo included, date line with furniture. Same content: no version from the redesign.
    site = Site(portal="liferay62")
    before = {g["asset_id"]: r.content() for g, _, r in records(site)}
    site.redesign()
    after = {g["asset_id"]: (raw.layers, r.content()) for g, raw, r in records(site)}
    assert {k: layers for k, (layers, _) in after.items() if layers["body"] != "portal"} == {}
    assert {k: c for k, (_, c) in after.items() if c != before[k]} == {}


def _rename_every_class(body: bytes) -> bytes:
    """The page with every class token replaced by a made-up one, Liferay's own included."""

    def rename(match: re.Match) -> bytes:
        tokens = [f"t{hashlib.md5(t).hexdigest()[:6]}" for t in match[1].split()]
        return b'class="' + " ".join(tokens).encode() + b'"'

    return re.sub(rb'class="([^"]*)"', rename, body)


@pytest.mark.parametrize("portal", ["liferay73", "liferay62"])
def test_a_theme_whose_every_class_is_unknown_still_reads_every_field(portal):
    # No class name the code knows, not even Liferay's: the title by the page title, the body as the
    # text block after it, the sapo before it, the date line around them.
    site = Site(portal=portal)
    for gold, raw, record in records(site, rewrite=_rename_every_class):
        where = gold["url"]
        assert {raw.layers[k] for k in ("title", "published", "body")} == {"portal"}, where
        assert (norm(record.title), record.published_at) == (norm(gold["title"]), gold["published_at"]), where
        assert record.authors == gold["authors"], where
        text = norm(record.body_text)
        assert text.startswith(norm(gold["body_first"])) and text.endswith(norm(gold["body_last"])), where
        assert [m for m in FURNITURE[portal] if m in text] == [], where
