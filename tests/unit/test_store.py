"""The archive's change tracking, on hand-made records (no crawler, no network)."""

import json
import sqlite3

import pytest

from archive.captures import Capture
from archive.store import CHANGED, NEW, RETURNED, UNCHANGED, Archive
from pipelines.model import ArticleRecord

URL = "http://127.0.0.1:9/w/h%E1%BB%99i-ngh%E1%BB%8B"


def make_record(**changes) -> ArticleRecord:
    values = dict(
        url=URL,
        locale="vi",
        asset_id="40001",
        canonical=URL,
        lang="vi",
        title_raw="Hội nghị",
        title="Hội nghị",
        published_raw="10:56 08/03/2023",
        published_at="2023-03-08T10:56:00+07:00",
        byline_raw="Minh Trí",
        authors=["Minh Trí"],
        roles=[],
        source=None,
        photo_credits=[],
        body_text="Ngày 07/4, hội nghị.",
        body_html="<p>Ngày 07/4, hội nghị.</p>",
        images=[],
        attachments=[],
        links=[],
        event_date="2022-04-07",
        event_precision="day",
        event_sentence="Ngày 07/4, hội nghị.",
        published_is_migration=True,
        document_refs=[],
        alternates={},
        layers={},
        warnings=[],
        source_hash="s1",
    )
    values.update(changes)
    return ArticleRecord(**values)


def capture(body: bytes = b"<html>page 1</html>", url: str = URL) -> Capture:
    return Capture(url=url, status=200, body=body, fetched_at="2026-11-01T00:00:00+00:00")


@pytest.fixture
def archive(tmp_path):
    store = Archive(tmp_path / "a.db")
    yield store
    store.close()


def versions(archive, article_id=1):
    return archive.db.execute(
        "SELECT version, change_kind, changed_fields FROM article_versions WHERE article_id = ? ORDER BY version",
        [article_id],
    ).fetchall()


def test_unchanged_refetches_write_no_version(archive):
    assert archive.save(make_record(), capture(), run_id=None).status == NEW
    for n in range(5):
        body = f"<html>page 1 <span>Lượt xem: {n}</span></html>".encode()
        assert archive.save(make_record(), capture(body), run_id=None).status == UNCHANGED
    assert versions(archive) == [(1, "first", versions(archive)[0][2])]
    assert archive.db.execute("SELECT version_count FROM articles").fetchone()[0] == 1


def test_an_edit_writes_one_version_naming_the_changed_fields(archive):
    archive.save(make_record(), capture(), run_id=None)
    outcome = archive.save(
        make_record(title="Hội nghị sơ kết", source_hash="s2"), capture(b"p2"), run_id=None
    )
    assert (outcome.status, outcome.version, outcome.changed_fields, outcome.change_kind) == (
        CHANGED,
        2,
        ["title"],
        "edit",
    )
    assert archive.db.execute("SELECT title, version_count FROM articles").fetchone() == (
        "Hội nghị sơ kết",
        2,
    )


def test_a_change_from_our_extraction_is_not_an_edit(archive):
    archive.save(make_record(), capture(), run_id=None)
    outcome = archive.save(make_record(authors=["Minh Trí", "Thanh Dung"]), capture(), run_id=None)
    assert outcome.change_kind == "extraction"
    assert outcome.changed_fields == ["authors"]


def test_a_diacritic_is_a_change(archive):
    archive.save(make_record(), capture(), run_id=None)
    outcome = archive.save(
        make_record(body_text="Ngày 07/4, hội nghi.", source_hash="s2"), capture(b"x"), run_id=None
    )
    assert outcome.changed_fields == ["body_text"]


def test_changes_to_and_from_null_are_changes(archive):
    archive.save(make_record(), capture(), run_id=None)
    assert archive.save(
        make_record(source="TTXVN", source_hash="s2"), capture(b"2"), run_id=None
    ).changed_fields == ["source"]
    assert archive.save(
        make_record(source=None, source_hash="s3"), capture(b"3"), run_id=None
    ).changed_fields == ["source"]


def test_asset_id_joins_urls_and_other_urls_become_aliases(archive):
    archive.save(make_record(), capture(), run_id=None)
    en = "http://127.0.0.1:9/en/w/h%E1%BB%99i-ngh%E1%BB%8B-m%E1%BB%9Bi"
    outcome = archive.save(make_record(url=en, canonical=en), capture(url=en), run_id=None, urls=[en])
    assert outcome.article_id == 1
    assert archive.db.execute("SELECT count(*) FROM articles").fetchone()[0] == 1
    assert archive.db.execute("SELECT count(*) FROM article_urls WHERE article_id = 1").fetchone()[0] == 2


def test_two_articles_with_one_title_stay_two(archive):
    archive.save(make_record(), capture(), run_id=None)
    other = URL + "-1"
    outcome = archive.save(
        make_record(asset_id="40002", url=other, canonical=other), capture(url=other), run_id=None
    )
    assert outcome.status == NEW and outcome.article_id == 2


def test_removal_needs_a_later_run_and_return_writes_no_version(archive):
    archive.save(make_record(), capture(), run_id=None)
    assert archive.mark_missing(URL, run_id=1) == "pending"
    assert archive.mark_missing(URL, run_id=1) == "pending"
    assert archive.db.execute("SELECT removed_at FROM articles").fetchone()[0] is None
    assert archive.mark_missing(URL, run_id=2) == "removed"
    assert archive.db.execute("SELECT removed_at FROM articles").fetchone()[0] is not None
    assert archive.save(make_record(), capture(), run_id=3).status == RETURNED
    assert archive.db.execute("SELECT removed_at, version_count FROM articles").fetchone() == (None, 1)


def test_a_transient_miss_is_forgotten_after_a_good_fetch(archive):
    archive.save(make_record(), capture(), run_id=None)
    archive.mark_missing(URL, run_id=1)
    archive.save(make_record(), capture(), run_id=2)
    assert archive.mark_missing(URL, run_id=3) == "pending"


@pytest.mark.parametrize("table", ["article_versions", "captures", "capture_bodies"])
def test_history_tables_are_append_only(archive, table):
    archive.save(make_record(), capture(), run_id=None)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        archive.db.execute(f"DELETE FROM {table}")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        archive.db.execute(f"UPDATE {table} SET rowid = rowid")


def test_captures_round_trip_and_later_ones_are_deltas(archive):
    first = b"<html>" + "Khu chế xuất Tân Thuận ".encode() * 2000 + b"<span>1</span></html>"
    second = first.replace(b"<span>1</span>", b"<span>2</span>")
    archive.save(make_record(), capture(first), run_id=None)
    archive.save(make_record(), capture(second), run_id=None)
    rows = archive.db.execute(
        "SELECT sha256, codec, length(data) FROM capture_bodies ORDER BY rowid"
    ).fetchall()
    assert [r[1] for r in rows] == ["zstd", "zstd-delta"]
    assert rows[1][2] < 100
    assert archive.capture_body(rows[0][0]) == first
    assert archive.capture_body(rows[1][0]) == second


def test_identical_bytes_are_stored_once(archive):
    archive.save(make_record(), capture(), run_id=None)
    archive.save(make_record(), capture(), run_id=None)
    assert archive.db.execute("SELECT count(*) FROM capture_bodies").fetchone()[0] == 1
    assert archive.db.execute("SELECT count(*) FROM captures").fetchone()[0] == 2


def test_a_failed_write_leaves_nothing_half_written(archive, monkeypatch):
    archive.save(make_record(), capture(), run_id=None)

    def explode(*args, **kwargs):
        raise RuntimeError("crash between the version and the article update")

    monkeypatch.setattr(archive.articles, "update_row", explode)
    with pytest.raises(RuntimeError):
        archive.save(make_record(title="Khác", source_hash="s9"), capture(b"other"), run_id=None)
    assert archive.db.execute("SELECT count(*) FROM article_versions").fetchone()[0] == 1
    assert archive.db.execute("SELECT count(*) FROM captures").fetchone()[0] == 1


def test_a_link_pointed_elsewhere_is_an_edit_though_no_word_changed(archive):
    first = [{"url": "https://vanban.chinhphu.vn/?docid=1", "text": "Nghị định"}]
    archive.save(make_record(links=first), capture(), run_id=None)
    moved = [{"url": "https://vanban.chinhphu.vn/?docid=2", "text": "Nghị định"}]
    outcome = archive.save(make_record(links=moved, source_hash="s2"), capture(b"p2"), run_id=None)
    assert (outcome.status, outcome.changed_fields, outcome.change_kind) == (CHANGED, ["links"], "edit")
    assert archive.db.execute("SELECT links FROM articles").fetchone()[0] == (
        '[{"url": "https://vanban.chinhphu.vn/?docid=2", "text": "Nghị định"}]'
    )
    # The link taken out again is an edit too, and the versions keep each state.
    assert archive.save(
        make_record(links=[], source_hash="s3"), capture(b"p3"), run_id=None
    ).changed_fields == ["links"]
    kept = archive.db.execute("SELECT links FROM article_versions ORDER BY version").fetchall()
    assert [json.loads(v) for (v,) in kept] == [first, moved, []]


def test_markup_changed_without_the_content_is_no_version_but_the_row_shows_it(archive):
    archive.save(make_record(), capture(), run_id=None)
    bold = make_record(body_html="<p>Ngày 07/4, <strong>hội nghị</strong>.</p>", source_hash="s2")
    assert archive.save(bold, capture(b"p2"), run_id=None).status == UNCHANGED
    assert archive.db.execute("SELECT body_html, source_hash, version_count FROM articles").fetchone() == (
        "<p>Ngày 07/4, <strong>hội nghị</strong>.</p>",
        "s2",
        1,
    )


def test_categories_gather_from_pages_and_lists_in_any_order_without_a_version(tmp_path):
    import json

    crumbs = [
        {"text": "Trang chủ", "url": "https://h.gov.vn/"},
        {"text": "Đầu tư", "url": "https://h.gov.vn/dau-tu"},
        {"text": "Hội nghị", "url": None},
    ]
    page = make_record(category_raw=crumbs, category="dau-tu", categories=["dau-tu"])
    results = []
    for order in ("page-first", "list-first"):
        archive = Archive(tmp_path / f"{order}.db")
        if order == "page-first":
            archive.save(page, capture(), run_id=None, category=None)
            archive.file_listed_categories({URL: {"thong-bao"}})
        else:
            archive.save(make_record(), capture(), run_id=None, category="thong-bao")  # a page, no breadcrumb
            archive.save(page, capture(b"p2"), run_id=None, category=None)
        row = archive.article(1)
        results.append((row["category"], json.loads(row["categories"]), row["version_count"]))
        archive.close()
    assert results == [("dau-tu", ["dau-tu", "thong-bao"], 1)] * 2


def test_an_article_without_breadcrumb_takes_the_first_category_in_sorted_order(tmp_path):
    import json

    archive = Archive(tmp_path / "x.db")
    archive.save(make_record(), capture(), run_id=None, category="thong-bao")
    archive.file_listed_categories({URL: {"dau-tu"}, "https://h.gov.vn/w/unknown": {"dau-tu"}})
    row = archive.article(1)
    assert (row["category"], json.loads(row["categories"])) == ("dau-tu", ["dau-tu", "thong-bao"])
    archive.close()


OTHER_URL = "http://127.0.0.1:9/w/th%C3%B4ng-b%C3%A1o"


def test_two_articles_with_one_asset_id_stay_two_articles_in_either_order(tmp_path):
    # Issue 19: two different articles carrying the same asset id were merged, with a false version on
    # every fetch. URLs and titles both differ, and both answer in the same run: two articles.
    archive = Archive(tmp_path / "x.db")
    first = make_record()
    second = make_record(url=OTHER_URL, canonical=OTHER_URL, title="Thông báo", body_text="Khác hẳn.")
    for run, order in ((1, (first, second)), (2, (second, first))):
        archive.db.execute(
            "INSERT INTO crawl_runs (id, started_at, status) VALUES (?, 'x', 'running')", [run]
        )
        for record in order:
            archive.save(record, capture(url=record.url), run_id=run, urls=[record.url])
    rows = archive.db.execute("SELECT asset_id, title, version_count FROM articles ORDER BY id").fetchall()
    assert rows == [("40001", "Hội nghị", 1), (None, "Thông báo", 1)]
    assert archive.db.execute("SELECT count(*) FROM article_versions").fetchone()[0] == 2
    warnings = archive.db.execute("SELECT warnings FROM articles WHERE id = 2").fetchone()[0]
    assert "asset id 40001 is another article's" in warnings
    archive.close()


def test_a_renamed_article_keeps_its_asset_id_identity(tmp_path):
    # The asset id survives a rename (new title and slug), whether the new URL comes through a redirect
    # from the old one or straight from the sitemap in a later run.
    archive = Archive(tmp_path / "x.db")
    for run in (1, 2):
        archive.db.execute(
            "INSERT INTO crawl_runs (id, started_at, status) VALUES (?, 'x', 'running')", [run]
        )
    archive.save(make_record(), capture(), run_id=1, urls=[URL])
    renamed = make_record(url=OTHER_URL, canonical=OTHER_URL, title="Hội nghị (đổi tên)")
    outcome = archive.save(renamed, capture(b"p2", OTHER_URL), run_id=2, urls=[OTHER_URL])
    assert (outcome.article_id, outcome.status) == (1, "changed")
    assert archive.db.execute("SELECT count(*) FROM articles").fetchone()[0] == 1
    archive.close()
