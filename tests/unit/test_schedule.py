"""The re-check schedule: fresh articles every run, old ones rarely."""

from datetime import UTC, datetime, timedelta

import pytest

from archive.schedule import is_due, parse_schedule

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def ago(**kw) -> str:
    return (NOW - timedelta(**kw)).isoformat()


@pytest.mark.parametrize(
    "first_seen,last_checked,due",
    [
        (ago(hours=5), ago(minutes=1), True),  # fresh: every run
        (ago(days=10), ago(hours=5), False),  # a week old: daily
        (ago(days=10), ago(hours=25), True),
        (ago(days=100), ago(days=3), False),  # months old: weekly
        (ago(days=100), ago(days=8), True),
        (ago(days=900), ago(days=20), False),  # years old: monthly
        (ago(days=900), ago(days=31), True),
        (None, None, True),  # never checked
        ("garbage", ago(days=1), True),
    ],
)
def test_is_due(first_seen, last_checked, due):
    assert is_due(first_seen, last_checked, NOW) is due


def test_parse_schedule():
    steps = parse_schedule("1d:0, 7d:12h, *:30d")
    assert steps == [
        (timedelta(days=1), timedelta(0)),
        (timedelta(days=7), timedelta(hours=12)),
        (None, timedelta(days=30)),
    ]


@pytest.mark.parametrize("text", ["", "1d", "1d:0", "x:1d,*:1d", "*:1w"])
def test_bad_schedules_are_refused(text):
    with pytest.raises(ValueError):
        parse_schedule(text)
