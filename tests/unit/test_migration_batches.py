"""Rule 2 of `published_is_migration`: a migration batch, not a busy day (docs/record-conventions.md).

The real migration days of the portal (/work/shared/SITE-FACTS.md, the replica's corpus) are runs of
articles a few minutes apart; an ordinary busy day spreads its articles over hours.
"""

import pytest

from archive.migration import DEFAULT_RULE, MigrationRule, batch_members
from archive.store import Archive
from tests.unit.test_store import URL, capture, make_record


def at(day: str, *times: str) -> list[str]:
    return [f"{day}T{t}:00+07:00" for t in times]


def every(day: str, start: str, step: int, n: int) -> list[str]:
    hour, minute = map(int, start.split(":"))
    first = hour * 60 + minute
    return at(day, *(f"{(first + i * step) // 60:02d}:{(first + i * step) % 60:02d}" for i in range(n)))


# The corpus's two migration days, as the portal prints them (replica/corpus.py).
MAY_10 = at("2023-05-10", *(f"06:{m}" for m in (10, 12, 15, 18, 21, 24, 27, 30, 33, 36, 39, 42)))
MARCH_8 = at("2023-03-08", "10:48", "10:50", "10:52", "10:54", "10:56", "10:58", "11:01", "11:04")

CASES = {
    # ordinary days: no batch
    "six articles 07:45 to 16:40": (
        at("2026-02-10", "07:45", "09:10", "10:30", "13:05", "15:20", "16:40"),
        set(),
    ),
    "twelve articles over a working day": (every("2026-02-11", "07:30", 45, 12), set()),
    "two articles at the same minute": (at("2026-02-12", "08:30", "08:30", "14:00"), set()),
    "seven articles two minutes apart": (every("2026-02-13", "09:00", 2, 7), set()),
    "eight articles a quarter of an hour apart": (every("2026-02-14", "08:00", 15, 8), set()),
    "dates without a time": (["2026-02-15"] * 9, set()),
    # batches
    "a dozen articles three minutes apart": (every("2024-01-05", "21:00", 3, 12), set(range(12))),
    "the corpus's 10/05/2023": (MAY_10, set(range(len(MAY_10)))),
    "the corpus's 08/03/2023": (MARCH_8, set(range(len(MARCH_8)))),
    "three articles sharing one minute": (at("2026-02-16", "08:00", "10:15", "10:15", "10:15"), {1, 2, 3}),
    # a busy day around a batch: only the batch
    "a batch inside a busy day": (
        at("2023-05-10", "05:30", "16:00") + MAY_10,
        set(range(2, 2 + len(MAY_10))),
    ),
    # the step is measured between neighbours on one day, not across midnight
    "a run split by midnight": (
        every("2024-01-05", "23:40", 3, 6) + every("2024-01-06", "00:01", 3, 6),
        set(),
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_batches_are_runs_of_short_steps_not_busy_days(name):
    times, expected = CASES[name]
    assert batch_members(dict(enumerate(times)), DEFAULT_RULE) == expected


def test_the_rule_follows_its_settings():
    times = dict(enumerate(every("2026-02-11", "08:00", 15, 8)))
    assert batch_members(times, MigrationRule(batch_min=8, gap_minutes=15, same_minute_min=3)) == set(times)
    assert batch_members(times, MigrationRule(batch_min=9, gap_minutes=15, same_minute_min=3)) == set()


def save(archive: Archive, n: int, published_at: str, *, old: bool = False) -> None:
    """Article n; ``old``: its event is years before its portal date (rule 1 holds on its own)."""
    url = f"{URL}-{n}"
    archive.save(
        make_record(
            asset_id=str(50000 + n),
            url=url,
            canonical=url,
            published_at=published_at,
            event_date="2014-02-19" if old else None,
            event_precision="day" if old else None,
            event_sentence="ngày 19 tháng 02 năm 2014" if old else None,
            published_is_migration=old,
        ),
        capture(url=url),
        run_id=None,
    )


def flags(archive: Archive) -> list[int]:
    return [f for (f,) in archive.db.execute("SELECT published_is_migration FROM articles ORDER BY id")]


def log(archive: Archive) -> list[tuple]:
    return archive.db.execute(
        "SELECT run_id, article_id, published_is_migration, reasons FROM migration_flag_changes ORDER BY id"
    ).fetchall()


@pytest.fixture
def archive(tmp_path):
    store = Archive(tmp_path / "a.db")
    yield store
    store.close()


def test_a_busy_day_is_not_flagged_and_a_batch_is_with_every_change_logged(archive):
    busy = at("2026-02-10", "07:45", "09:10", "10:30", "13:05", "15:20", "16:40")
    for n, when in enumerate(busy + MAY_10):
        save(archive, n, when, old=n == 6)  # the first of the batch is dated by its own text too
    run_id = archive.start_run("full", "http://127.0.0.1:9")
    # article 7 (id 7) carries rule 1 already: only the other eleven of the batch change
    assert archive.flag_migration_days(DEFAULT_RULE, run_id) == 11
    assert flags(archive) == [0] * 6 + [1] * 12
    assert log(archive) == [(run_id, article_id, 1, "batch") for article_id in range(8, 19)]
    assert archive.flag_migration_days(DEFAULT_RULE, run_id) == 0  # nothing left to write or log


def test_removals_never_clear_another_articles_flag(archive):
    # A migration happened whether or not one of its articles was taken down later: removed articles
    # still count as evidence of the batch, and an unrelated removal touches nothing.
    for n, when in enumerate(MARCH_8 + at("2023-03-08", "15:30")):
        save(archive, n, when)
    assert archive.flag_migration_days(DEFAULT_RULE) == 8
    for n in (8, 0, 1):  # the unrelated afternoon article, then two of the batch
        url = f"{URL}-{n}"
        archive.mark_missing(url, run_id=1)
        assert archive.mark_missing(url, run_id=2) == "removed"
    assert archive.flag_migration_days(DEFAULT_RULE) == 0
    assert flags(archive) == [1] * 8 + [0]


def test_an_edit_changes_no_flag_silently(archive):
    # An edit that moves an article out of its batch clears its flag in the pass, which logs it (the
    # write itself keeps the stored flag); the same article dated by its own text keeps it.
    for n, when in enumerate(MARCH_8):
        save(archive, n, when, old=n == 7)
    archive.flag_migration_days(DEFAULT_RULE)
    save(archive, 0, "2023-03-08T15:30:00+07:00")
    assert flags(archive)[0] == 1  # the write alone changed nothing
    save(archive, 7, "2023-03-08T16:00:00+07:00", old=True)
    # the six left on the morning are no longer a batch: seven flags cleared, each logged
    assert archive.flag_migration_days(DEFAULT_RULE) == 7
    assert flags(archive) == [0] * 7 + [1]
    assert log(archive)[-7:] == [(None, article_id, 0, "neither") for article_id in range(1, 8)]
