"""The library API (``archive.open``): what a researcher reads from an archive, as records, on an archive
built in-process (tests/unit/sample_archive.py)."""

import dataclasses
import sqlite3

import pytest

import archive
from archive.terminal import history_text
from tests.unit.sample_archive import CITED, FACTORY, MEETING, MEETING_RENAMED, TRAINING, build_sample_archive


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return build_sample_archive(tmp_path_factory.mktemp("library") / "hepza.db")


@pytest.fixture
def hepza(sample):
    with archive.open(sample) as reader:
        yield reader


def test_the_package_exports_what_its_all_names():
    assert "open" in archive.__all__ and "ArchiveReader" in archive.__all__
    for name in archive.__all__:
        assert getattr(archive, name) is not None


def test_a_missing_file_is_an_archive_error_and_is_not_created(tmp_path):
    with pytest.raises(archive.ArchiveError, match="no archive at"):
        archive.open(tmp_path / "missing.db")
    assert not (tmp_path / "missing.db").exists()


def test_a_file_that_is_no_archive_is_an_archive_error(tmp_path):
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE notes (x)").connection.close()
    with pytest.raises(archive.ArchiveError, match="not a hepza archive"):
        archive.open(other)
    text = tmp_path / "notes.txt"
    text.write_text("not sqlite at all, just some words that are long enough to be a header" * 3)
    with pytest.raises(archive.ArchiveError) as raised:
        archive.open(text)
    assert "\n" not in str(raised.value)


def test_the_archive_is_read_only_unless_asked(hepza):
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        hepza.query("DELETE FROM crawl_errors")
    assert len(hepza.errors()) == 1


def test_articles_are_listed_newest_first_and_filtered(hepza):
    assert [a.url for a in hepza.articles()] == [TRAINING, FACTORY, MEETING_RENAMED]
    assert [a.id for a in hepza.articles(edited=True)] == [1]
    assert [a.url for a in hepza.articles(removed=True)] == [FACTORY]
    assert [a.url for a in hepza.articles(removed=False)] == [TRAINING, MEETING_RENAMED]
    assert [a.url for a in hepza.articles(category="dao-tao")] == [TRAINING]
    assert [a.url for a in hepza.articles(limit=1, offset=1)] == [FACTORY]


def test_an_article_is_a_frozen_record_with_its_lists_decoded(hepza):
    meeting = hepza.article(1)
    assert meeting.title == "Hội nghị sơ kết quý I"
    assert meeting.authors == ("Minh Trí", "Lan Anh")
    assert meeting.categories == ("tin-tuc",)
    assert meeting.edited and not meeting.removed and meeting.version_count == 2
    with pytest.raises(dataclasses.FrozenInstanceError):
        meeting.title = "x"  # type: ignore[misc]


def test_an_article_is_found_by_id_by_its_url_and_by_an_old_url(hepza):
    assert hepza.article("1") == hepza.article(MEETING) == hepza.article(MEETING_RENAMED)
    assert hepza.article(hepza.article(1)).id == 1


def test_an_article_s_urls_are_every_address_that_reached_it(hepza):
    assert [u["url"] for u in hepza.urls(1)] == [MEETING, MEETING_RENAMED]
    assert hepza.document_refs(1) == []
    (cited,) = hepza.document_refs(TRAINING)
    assert {k: cited[k] for k in CITED} == CITED and cited["article_id"] == 3


def test_an_unknown_article_is_article_not_found_a_lookup_error_too(hepza):
    with pytest.raises(archive.ArticleNotFound, match="no archived article matches '999'"):
        hepza.article(999)
    with pytest.raises(LookupError):
        hepza.versions("http://127.0.0.1:9/w/nothing-here")
    assert issubclass(archive.ArticleNotFound, archive.ArchiveError)


def test_search_folds_diacritics_and_case_like_the_index(hepza):
    assert [a.id for a in hepza.search("hội nghị")] == [1]
    assert [a.id for a in hepza.search("HOI NGHI")] == [1]
    assert [a.id for a in hepza.search("an toàn lao động")] == [3]
    assert hepza.search("không có từ này") == []
    assert hepza.search("") == [] and hepza.search('"') == []


def test_versions_hold_their_content_and_why_they_were_written(hepza):
    first, second = hepza.versions(MEETING)
    assert (first.version, first.change_kind, second.change_kind) == (1, "first", "edit")
    assert second.changed_fields == ("title", "body_text", "authors")
    assert first.title == "Hội nghị sơ kết" and second.content["authors"] == ("Minh Trí", "Lan Anh")
    assert second.diff_summary and second.run_id == 2


def test_a_diff_names_each_changed_field_with_a_word_diff_for_text(hepza):
    diff = hepza.diff(1, 1, 2)
    assert (diff.article_id, diff.old, diff.new, diff.fields) == (1, 1, 2, ("title", "body_text", "authors"))
    title, body, authors = diff.changes
    assert title.runs == (("=", "Hội nghị sơ kết"), ("+", " quý I"))
    assert title.summary == "-0 +2 words" and title.text() == "Hội nghị sơ kết{+ quý I+}"
    assert body.text().endswith("quý I{+ năm 2026+}.")  # the words added, the full stop kept
    assert authors.runs is None and authors.old == ("Minh Trí",) and authors.summary == "1 → 2 items"
    assert authors.text() == '["Minh Trí"] → ["Minh Trí", "Lan Anh"]'
    assert hepza.diff(1, 2, 1).changes[0].runs == (("=", "Hội nghị sơ kết"), ("-", " quý I"))
    assert hepza.diff(1, 2, 2).changes == ()


def test_a_diff_with_a_version_the_article_lacks_is_a_lookup_error(hepza):
    with pytest.raises(LookupError, match="has no version 3"):
        hepza.diff(1, 1, 3)


def test_a_history_has_every_version_its_changes_and_its_removal(hepza):
    meeting = hepza.history(1)
    assert [v.version for v in meeting.versions] == [1, 2]
    assert [c.fields for c in meeting.changes] == [("title", "body_text", "authors")]
    assert meeting.removal is None
    factory = hepza.history(FACTORY).removal
    assert factory is not None and factory.confirmed and factory.confirmed_by_run == 2
    training = hepza.history(TRAINING).removal
    assert training is not None and not training.confirmed and training.pending_since


def test_the_terminal_history_is_formatted_from_the_record(hepza):
    lines = history_text(hepza.history(1)).splitlines()
    assert lines[:3] == ["article 1: Hội nghị sơ kết quý I", f"  {MEETING_RENAMED}", lines[2]]
    assert lines[3].startswith("version 2 captured ") and lines[3].endswith(
        "(edit): title, body_text, authors"
    )
    assert lines[4] == "  title: Hội nghị sơ kết{+ quý I+}"
    assert (
        history_text(hepza.history(FACTORY))
        .splitlines()[-1]
        .endswith("(first 404, confirmed by run 2 of " + hepza.run(2).started_at + ")")
    )
    assert (
        history_text(hepza.history(TRAINING))
        .splitlines()[-1]
        .startswith("  pending removal: answered 404 at ")
    )


def test_captures_list_each_response_and_give_its_bytes_back(hepza):
    first, second = hepza.captures(1)
    assert (first.url, second.url, first.status, first.run_id) == (MEETING, MEETING_RENAMED, 200, 1)
    assert hepza.capture_body(first) == b"<html>meeting 1</html>"
    assert hepza.capture_body(second.sha256) == b"<html>meeting 2</html>"
    assert first.size == len(b"<html>meeting 1</html>")


def test_runs_are_newest_first_with_their_counts_and_errors(hepza):
    second, first = hepza.runs()
    assert (second.id, second.status, second.exit_code) == (2, "failed-pages", 1)
    assert second.counts["changed"] == 1 and second.counts["removed"] == 1 and first.counts["new"] == 3
    assert second.alarms == () and hepza.runs(limit=1) == [second] and hepza.run(1) == first
    (error,) = hepza.errors(second)
    assert (error.run_id, error.kind, error.status, error.message) == (2, "HttpError", 500, "HTTP 500")
    assert hepza.errors(1) == []
    with pytest.raises(LookupError, match="no run 9"):
        hepza.run(9)


def test_stats_and_check_are_what_the_cli_prints(hepza):
    figures = hepza.stats()
    assert (figures["articles"], figures["versions"], figures["removed"], figures["pending_removals"]) == (
        3,
        4,
        1,
        1,
    )
    assert hepza.check() is None


def test_an_older_archive_opened_for_writing_is_upgraded_first(tmp_path):
    from sqlite_utils import Database

    from archive.schema import migrations

    path = tmp_path / "old.db"
    old = Database(sqlite3.connect(path))
    migrations.apply(old, stop_before="m006_categories")
    old.conn.close()
    with archive.open(path, readonly=False) as reader:
        assert reader.articles() == [] and "categories" in reader.db["articles"].columns_dict


def test_each_change_carries_its_significance_and_the_factors_behind_it(hepza):
    first, second = hepza.versions(1)
    assert first.significance is None  # a first version: nothing to compare
    assert second.significance is not None
    # "năm 2026" came into the body and the writer's name changed: a figure and a name, not a typo.
    assert {"numbers", "names", "title"} <= set(second.significance.names)
    assert second.significance.score == min(100, sum(f.weight for f in second.significance.factors))
    line = next(x for x in history_text(hepza.history(1)).splitlines() if x.startswith("  significance "))
    assert "numbers" in line and "2026" in line
    ranked = hepza.significant_versions(min_score=1)
    assert ranked and ranked[0].significance is not None
    scores = [v.significance.score for v in ranked if v.significance]
    assert scores == sorted(scores, reverse=True)
