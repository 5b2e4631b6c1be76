"""What a migration batch looks like, read off the portal times of the archive (rule 2 of
``published_is_migration``, docs/record-conventions.md "Event date").

Old content moved into the portal carries the time it was moved: on the real portal a dozen articles
stand a few minutes apart on 10/05/2023 (06:10 to 06:42) and on 08/03/2023 (10:48 to 11:04). An ordinary
busy day looks different: six or twelve articles spread over the working day, hours apart. So a batch is
not a count per day but a run of articles at short regular steps, or several sharing one minute.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import groupby

from archive.config import SETTINGS

__all__ = ["DEFAULT_RULE", "MigrationRule", "batch_members", "rule_from_settings"]


@dataclass(frozen=True)
class MigrationRule:
    """A batch: at least ``batch_min`` articles of one portal day whose consecutive portal times are each at
    most ``gap_minutes`` apart, or at least ``same_minute_min`` articles sharing one portal minute."""

    batch_min: int
    gap_minutes: int
    same_minute_min: int


def rule_from_settings(values: dict) -> MigrationRule:
    """The rule the resolved settings (archive.config.resolve) give."""
    return MigrationRule(
        int(values["migration_batch_min_articles"]),
        int(values["migration_batch_gap_minutes"]),
        int(values["migration_same_minute_min"]),
    )


DEFAULT_RULE = rule_from_settings({name: setting.default for name, setting in SETTINGS.items()})


def _minute(published_at: str) -> datetime | None:
    """The portal time to the minute, in the offset it was written with (the site's time zone), or None
    for a date without a time (a bare date says nothing about steps between articles)."""
    if len(published_at) < 16 or published_at[10] != "T":
        return None
    try:
        return datetime.fromisoformat(published_at).replace(second=0, microsecond=0)
    except ValueError:
        return None


def batch_members(published: dict[int, str | None], rule: MigrationRule) -> set[int]:
    """The keys of ``published`` (key -> ISO portal time) whose time belongs to a migration batch."""
    timed = sorted(
        (minute, key) for key, value in published.items() if value and (minute := _minute(value)) is not None
    )
    members: set[int] = set()
    for _, same_minute in groupby(timed, key=lambda item: item[0]):
        keys = [key for _, key in same_minute]
        if len(keys) >= rule.same_minute_min:
            members.update(keys)
    for _, day in groupby(timed, key=lambda item: item[0].date()):
        run: list[tuple[datetime, int]] = []
        for item in day:
            if run and (item[0] - run[-1][0]).total_seconds() > rule.gap_minutes * 60:
                members.update(_batch(run, rule))
                run = []
            run.append(item)
        members.update(_batch(run, rule))
    return members


def _batch(run: list[tuple[datetime, int]], rule: MigrationRule) -> list[int]:
    return [key for _, key in run] if len(run) >= rule.batch_min else []
