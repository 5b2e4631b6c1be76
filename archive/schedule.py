"""When a known article is due for a re-check: fresh ones often, old ones rarely.

The schedule is a list of (age, interval) steps: an article younger than ``age`` is re-checked once
``interval`` has passed since its last check. Ages count from the portal date (``published_at``), else
from the archive's first sighting; migrated content carries a later portal date than its events, which
only makes it checked a little more often than it needs.
"""

from __future__ import annotations

from datetime import datetime, timedelta

# (age below which this step applies, interval between checks); the last step has no age bound.
DEFAULT_SCHEDULE: list[tuple[timedelta | None, timedelta]] = [
    (timedelta(days=3), timedelta(0)),  # every run in the first days
    (timedelta(days=30), timedelta(days=1)),  # then daily
    (timedelta(days=365), timedelta(days=7)),  # then weekly
    (None, timedelta(days=30)),  # then monthly
]


def parse_schedule(text: str) -> list[tuple[timedelta | None, timedelta]]:
    """``"3d:0,30d:1d,365d:7d,*:30d"`` → schedule steps (units: m, h, d)."""
    steps = []
    for part in text.split(","):
        age, _, interval = part.strip().partition(":")
        if not interval:
            raise ValueError(f"schedule step {part!r} is not AGE:INTERVAL")
        steps.append((None if age.strip() == "*" else parse_duration(age), parse_duration(interval)))
    if not steps or steps[-1][0] is not None:
        raise ValueError("the last schedule step must be '*:INTERVAL'")
    return steps


def parse_duration(text: str) -> timedelta:
    """``"0"``, ``"30m"``, ``"12h"``, ``"7d"`` → a duration."""
    text = text.strip()
    if text == "0":
        return timedelta(0)
    units = {"m": "minutes", "h": "hours", "d": "days"}
    if len(text) < 2 or text[-1] not in units or not text[:-1].isdigit():
        raise ValueError(f"bad duration {text!r} (use e.g. 30m, 12h, 7d)")
    return timedelta(**{units[text[-1]]: int(text[:-1])})


def _parse(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def is_due(
    born_at: str | None,
    last_checked_at: str | None,
    now: datetime,
    schedule: list[tuple[timedelta | None, timedelta]] = DEFAULT_SCHEDULE,
) -> bool:
    """True when the article should be fetched again in this run."""
    born, last_checked = _parse(born_at), _parse(last_checked_at)
    if born is None or last_checked is None:
        return True
    age = now - born
    for bound, interval in schedule:
        if bound is None or age < bound:
            return now - last_checked >= interval
    return True
