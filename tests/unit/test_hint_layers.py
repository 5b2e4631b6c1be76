"""Pages read with a profile's selectors in the run's ledger (archive/runs.py): trusted as the portal layer
is, so a theme only the profile reads raises no alarm, and a layout of their own (``profile:…``), so hints
added to a portal's profile write no version by themselves (docs/portals.md, "Hints")."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from archive.captures import Capture
from archive.protocol import ArticlePage, WriterConfig
from archive.store import Archive
from archive.writer import ArchiveWriter

ORIGIN = "http://127.0.0.1:8000"
# The replica's own theme, read by the profile with the elements the portal layer reads.
SAME = {
    "selectors": {
        "title": "h1.article-title",
        "date": "p.date-display",
        "body": '.journal-content-article [data-lfr-editable-type="rich-text"]',
    }
}
# A body selector that takes the first paragraph only: a misreading of every article.
MISREADS = {"selectors": {**SAME["selectors"], "body": ".article-body > p:first-of-type"}}


def _run(db: Path, pages: list[tuple[str, bytes]], hints: dict) -> tuple[dict, list[str]]:
    writer = ArchiveWriter(WriterConfig(db_path=str(db), site_url=ORIGIN, mode="full", hints=hints))
    statuses = []
    for url, body in pages:
        capture = Capture(url=url, status=200, body=body, fetched_at="2026-11-25T00:00:00+00:00")
        statuses.append(writer.handle(ArticlePage(capture, (url,), None, {}, "utf-8")).status)
    return writer.finish(len(pages), 0, "finished"), statuses


def _pages(n: int = 12) -> list[tuple[str, bytes]]:
    from replica import Site, app

    site = Site()
    pages = []
    for record in site.gold()[:n]:
        _, _, body = app.handle(site, "GET", record["url"], {"host": "127.0.0.1:8000"})
        pages.append((ORIGIN + record["url"], body))
    return pages


def _state(db: Path) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT id, content_hash, version_count FROM articles ORDER BY id").fetchall()
    finally:
        conn.close()


def test_hints_that_read_the_archived_content_write_no_version_and_raise_no_alarm(tmp_path):
    db, pages = tmp_path / "a.db", _pages()
    first, _ = _run(db, pages, {})
    before = _state(db)
    summary, statuses = _run(db, pages, SAME)
    assert summary["status"] == "ok" and summary["alarms"] == [], summary
    assert statuses == ["unchanged"] * len(pages) and _state(db) == before
    archive = Archive(db)
    try:
        layers = json.loads(archive.article(before[0][0])["layers"])
        # The row says how the page is read now; the run's row keeps the hints for reprocess.
        assert layers["body"] == "profile" and layers["layout"].startswith("profile:")
        assert archive.last_crawl_hints() == SAME
    finally:
        archive.close()


def test_hints_that_misread_known_articles_write_no_version(tmp_path):
    # Title, date and body all the profile's: the pages are in a layout of their own that reads the known
    # articles otherwise than archived, so none is written; the run says why, and exits 1.
    db, pages = tmp_path / "a.db", _pages()
    _run(db, pages, {})
    before = _state(db)
    summary, statuses = _run(db, pages, MISREADS)
    assert _state(db) == before  # not one version from the profile's misreading
    assert summary["changed"] == summary["unchanged"] == 0 and summary["errors"] == len(pages), summary
    assert summary["exit_code"] != 0 and "changed" not in statuses, summary


def test_a_body_hint_that_misreads_leaves_the_page_to_the_layout_learned_from_the_archive(tmp_path):
    # Only the body is the profile's: its pages are held as a new layout's, the learner reads the theme
    # from the archived articles, and every page reads exactly as archived.
    db, pages = tmp_path / "a.db", _pages()
    _run(db, pages, {})
    before = _state(db)
    summary, _ = _run(db, pages, {"selectors": {"body": MISREADS["selectors"]["body"]}})
    assert _state(db) == before and summary["unchanged"] == len(pages), summary
    assert [entry["status"] for entry in summary["learned_layouts"]] == ["verified"], summary


def test_a_run_without_hints_keeps_none_on_its_row(tmp_path):
    db = tmp_path / "a.db"
    _run(db, _pages(1), SAME)
    _run(db, _pages(1), {})
    archive = Archive(db)
    try:
        assert archive.last_crawl_hints() == {}
    finally:
        archive.close()
