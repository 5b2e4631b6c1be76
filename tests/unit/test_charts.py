"""The figures behind the charts (archive/charts.py): Vietnam's months, months without events, text bars."""

from __future__ import annotations

import pytest

from archive.charts import text_chart, totals_by_month, vietnam_month

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("stamp", "month"),
    [
        ("2026-03-01T00:30:00+07:00", "2026-03"),  # as the portal prints it
        ("2026-02-28T17:30:00+00:00", "2026-03"),  # the same instant in UTC: March in Hà Nội
        ("2026-01-31T16:59:59Z", "2026-01"),  # one second before Vietnam's midnight
        ("2026-01-31T17:00:00Z", "2026-02"),  # Vietnam's midnight
        ("2025-12-31T20:00:00-05:00", "2026-01"),  # another offset, another year
        ("2026-05-01T00:10:00", "2026-05"),  # no offset: Vietnam's own time, as printed
        ("2026-05-01", "2026-05"),
        ("", None),
        (None, None),
        ("không rõ ngày", None),  # an unreadable value is left out, not counted somewhere
    ],
)
def test_a_time_falls_in_its_vietnam_month(stamp, month):
    assert vietnam_month(stamp) == month


def test_months_without_events_are_zero_not_gaps_and_categories_add_up():
    rows = [
        {"month": "2025-11", "category": "Tin tức", "kind": "edited", "count": 2},
        {"month": "2025-11", "category": "Đầu tư", "kind": "edited", "count": 1},
        {"month": "2026-02", "category": "Tin tức", "kind": "edited", "count": 1},
        {"month": "2024-01", "category": "Tin tức", "kind": "published", "count": 9},
    ]
    assert totals_by_month(rows, "edited") == [("2025-11", 3), ("2025-12", 0), ("2026-01", 0), ("2026-02", 1)]
    assert totals_by_month(rows, "removed") == []


@pytest.mark.parametrize(
    ("series", "expected"),
    [
        (
            [("2026-01", 10), ("2026-02", 5), ("2026-03", 0)],
            ["2026-01  10  ████", "2026-02   5  ██", "2026-03   0"],
        ),
        # a single event among many still shows: one block, never none
        ([("2026-01", 100), ("2026-02", 1)], ["2026-01  100  ████", "2026-02    1  █"]),
        ([("2026-01", 0)], ["2026-01  0"]),
        ([], []),
    ],
)
def test_text_bars_scale_to_the_largest_month(series, expected):
    assert text_chart(series, width=4).splitlines() == expected
