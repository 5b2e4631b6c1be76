"""The figures behind the charts: what the agency published, edited and removed per month, the most
edited articles, and one article's timeline of versions; with a small text chart for the terminal.

Plain Python over an archive connection: ``hepza serve``'s charts page draws these in the browser
(archive/datasette/charts.py), ``hepza stats`` prints :func:`text_chart` of the same months.

Months are Vietnam's calendar months: an article published at 00:30 on 1 March in Hà Nội (17:30 UTC on
28 February) counts in March, as its reader would count it. Storage keeps ISO times with their offsets.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
# What a month's count counts: an article published that month, a version that edited one, a removal
# the crawl confirmed that month.
KINDS = ("published", "edited", "removed")
NO_CATEGORY = "(none)"


def _in_vietnam(stamp: str | None) -> datetime | None:
    """An ISO time as Vietnam's; None for a missing or unreadable time. A time without an offset cannot be
    placed in a zone: it is read as Vietnam's own, as the portal prints it."""
    if not stamp:
        return None
    try:
        when = datetime.fromisoformat(stamp)
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=VIETNAM)
    return when.astimezone(VIETNAM)


def vietnam_month(stamp: str | None) -> str | None:
    """``YYYY-MM`` of an ISO time in Vietnam; None for a missing or unreadable time."""
    when = _in_vietnam(stamp)
    return None if when is None else when.strftime("%Y-%m")


def vietnam_time(stamp: str | None) -> str | None:
    """An ISO time as Vietnam's ISO time (``…+07:00``), for a chart's axis; None when unreadable."""
    when = _in_vietnam(stamp)
    return None if when is None else when.isoformat()


def monthly_counts(conn: sqlite3.Connection) -> list[dict]:
    """One row per (month, category, kind) with its count, months in order: ``{"month": "2026-03",
    "category": "Tin tức", "kind": "edited", "count": 4}``. Rows whose time is missing are left out."""
    counts: Counter[tuple[str, str, str]] = Counter()

    def add(kind: str, rows: Iterable[tuple[str | None, str | None]]) -> None:
        for stamp, category in rows:
            month = vietnam_month(stamp)
            if month is not None:
                counts[(month, category or NO_CATEGORY, kind)] += 1

    add("published", conn.execute("SELECT published_at, category FROM articles"))
    add(
        "edited",
        conn.execute(
            "SELECT v.captured_at, a.category FROM article_versions v JOIN articles a ON a.id = v.article_id"
            " WHERE v.change_kind = 'edit'"
        ),
    )
    add("removed", conn.execute("SELECT removed_at, category FROM articles WHERE removed_at IS NOT NULL"))
    return [
        {"month": month, "category": category, "kind": kind, "count": n}
        for (month, category, kind), n in sorted(
            counts.items(), key=lambda item: (item[0][0], KINDS.index(item[0][2]), item[0][1])
        )
    ]


def totals_by_month(rows: Iterable[dict], kind: str) -> list[tuple[str, int]]:
    """The counts of one kind summed over categories (and portals), month by month, every month between
    the first and the last present (a month with none shows as 0, not as a gap)."""
    totals: Counter[str] = Counter()
    for row in rows:
        if row["kind"] == kind:
            totals[row["month"]] += row["count"]
    if not totals:
        return []
    months = _months_between(min(totals), max(totals))
    return [(month, totals.get(month, 0)) for month in months]


def _months_between(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def most_edited(conn: sqlite3.Connection, limit: int = 20) -> list[dict]:
    """The articles with the most edits (versions after the first), most first, then by id."""
    return [
        {"id": row[0], "title": row[1], "url": row[2], "edits": row[3]}
        for row in conn.execute(
            "SELECT a.id, a.title, a.url, count(v.id) AS edits FROM articles a"
            " JOIN article_versions v ON v.article_id = a.id AND v.change_kind = 'edit'"
            " GROUP BY a.id ORDER BY edits DESC, a.id LIMIT ?",
            (limit,),
        )
    ]


def article_timeline(conn: sqlite3.Connection, article_id: int) -> list[dict]:
    """Every event of one article in order: its versions (first and edits, with the fields each changed)
    and its removal if confirmed, times in Vietnam."""
    events = [
        {
            "version": row[0],
            "time": vietnam_time(row[1]),
            "kind": "first" if row[2] == "first" else "edit",
            "changed_fields": row[3] or "[]",
        }
        for row in conn.execute(
            "SELECT version, captured_at, change_kind, changed_fields FROM article_versions"
            " WHERE article_id = ? ORDER BY version",
            (article_id,),
        )
    ]
    removed = conn.execute("SELECT removed_at FROM articles WHERE id = ?", (article_id,)).fetchone()
    if removed and removed[0]:
        events.append(
            {"version": None, "time": vietnam_time(removed[0]), "kind": "removed", "changed_fields": "[]"}
        )
    return events


BAR = "█"


def text_chart(series: list[tuple[str, int]], width: int = 40) -> str:
    """A bar per month, scaled so the largest count fills ``width`` characters; a non-zero count always
    shows at least one block, so a month with one edit is not drawn like a month with none."""
    if not series:
        return ""
    largest = max(n for _, n in series) or 1
    digits = len(str(largest))
    lines = []
    for month, n in series:
        blocks = 0 if n == 0 else max(1, round(n * width / largest))
        lines.append(f"{month}  {n:>{digits}}  {BAR * blocks}".rstrip())
    return "\n".join(lines)
