"""The alert queue's triggers (migration m008_alert_queue) on hand-made records: what each write queues, in
its own transaction, and what it must not (a first crawl, our own re-extractions, a pending removal)."""

from __future__ import annotations

import pytest

from archive.alerts.delivery import set_first_crawl
from archive.store import KIND_REPROCESS, Archive
from tests.unit.test_store import capture, make_record

SITE = "http://127.0.0.1:9"


@pytest.fixture
def archive(tmp_path):
    store = Archive(tmp_path / "a.db")
    yield store
    store.close()


def _events(archive: Archive) -> list[tuple]:
    return archive.db.execute(
        "SELECT kind, run_id, version, before, after FROM alert_events ORDER BY id"
    ).fetchall()


def _run(archive: Archive, status: str = "ok") -> int:
    """A run that has ended with ``status``, or is still running."""
    run_id = archive.start_run("incremental", SITE)
    if status != "running":
        archive.finish_run(run_id, status=status, exit_code=0, counts={}, alarms=[])
    return run_id


def _first_crawl(archive: Archive, status: str = "ok") -> int:
    run_id = _run(archive, "running")
    archive.save(make_record(), capture(), run_id=run_id)
    archive.finish_run(run_id, status=status, exit_code=0, counts={}, alarms=[])
    return run_id


@pytest.mark.parametrize("status", ["ok", "failed-pages", "alarm", "interrupted", "internal-error"])
def test_a_first_crawl_queues_nothing_until_a_run_of_the_portal_has_ended_well(archive, status):
    _first_crawl(archive, status)
    assert _events(archive) == []
    run_id = _run(archive, "running")
    archive.save(make_record(asset_id="40002", url=SITE + "/w/khac", canonical=None), None, run_id=run_id)
    # Only a first crawl that ended with exit 0 or 1 makes the next run's articles news.
    expected = [("new", run_id, 1, None, None)] if status in ("ok", "failed-pages") else []
    assert _events(archive) == expected


def test_a_first_crawl_is_queued_when_asked(archive):
    set_first_crawl(archive.db.conn, True)
    run_id = _run(archive, "running")
    archive.save(make_record(), capture(), run_id=run_id)
    assert _events(archive) == [("new", run_id, 1, None, None)]


def test_an_edit_is_queued_and_an_unchanged_page_or_our_own_extraction_is_not(archive):
    _first_crawl(archive)
    run_id = _run(archive, "running")
    archive.save(make_record(), capture(), run_id=run_id)  # unchanged
    archive.save(
        make_record(title="Hội nghị lần 2"), capture(b"2"), run_id=run_id, change_kind=KIND_REPROCESS
    )
    archive.save(make_record(title="Hội nghị lần 3"), capture(b"3"), run_id=run_id)  # same source: ours
    assert _events(archive) == []
    archive.save(make_record(title="Hội nghị lần 4", source_hash="s2"), capture(b"4"), run_id=run_id)
    assert _events(archive) == [("edit", run_id, 4, None, None)]


def test_a_write_that_fails_takes_its_event_back_with_it(archive):
    _first_crawl(archive)
    run_id = _run(archive, "running")
    archive.begin_batch()
    archive.save(make_record(title="Sửa", source_hash="s2"), None, run_id=run_id)
    assert len(_events(archive)) == 1
    archive.rollback_batch()
    assert _events(archive) == [] and archive.article(1)["version_count"] == 1


def test_removal_return_and_new_address_are_queued_once_each(archive):
    _first_crawl(archive)
    pending = _run(archive, "running")
    assert archive.mark_missing(capture().url, pending) == "pending"
    assert _events(archive) == []  # one 404 is no removal
    archive.finish_run(pending, status="ok", exit_code=0, counts={}, alarms=[])
    confirming = _run(archive, "running")
    assert archive.mark_missing(capture().url, confirming) == "removed"
    removed_at = archive.article(1)["removed_at"]
    archive.finish_run(confirming, status="ok", exit_code=0, counts={}, alarms=[])
    back = _run(archive, "running")
    renamed = SITE + "/w/ten-moi"
    archive.save(make_record(url=renamed, canonical=renamed), None, run_id=back)
    assert sorted(_events(archive)) == [  # (one UPDATE writes the return and the address together)
        ("removal", confirming, None, removed_at, None),
        ("rename", back, None, capture().url, renamed),
        ("return", back, None, removed_at, None),
    ]
