"""The read commands' text for the terminal: ``hepza history`` and ``hepza stats`` print what the library
(archive/history.py) returns as data."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from archive.changefeed import ChangeEvent
from archive.history import ArticleHistory, Removal


def history_text(history: ArticleHistory) -> str:
    """Every version of an article, each with a word-level diff against the one before, then its removal."""
    article = history.article
    lines = [f"article {article.id}: {article.title}", f"  {article.url}"]
    for index, version in enumerate(history.versions):
        lines.append(
            f"version {version.version} captured {version.captured_at} ({version.change_kind})"
            + (f": {', '.join(version.changed_fields)}" if index else "")
        )
        if index:
            lines.extend(
                f"  {change.field}: {change.text()}" for change in history.changes[index - 1].changes
            )
        if index and version.significance is not None:
            # (after the fields' lines: what changed first, then how much it matters and why)
            lines.append(f"  significance {version.significance.text()}")
    # The changes that are no version (a new address, a replaced document, a removal it came back from),
    # as the change desk lists them; the current removal stays the last line.
    current = history.removal.removed_at if history.removal else None
    others = [
        e
        for e in history.events
        if "edit" not in e.kinds
        and e.kind != "removal_pending"
        and not (e.kind == "removal" and e.before == current)
    ]
    if others:
        lines.append("other changes:")
        lines.extend(f"  {line}" for line in changes_text(others, titles=False).splitlines())
    lines.extend(_removal_lines(history.removal))
    return "\n".join(lines)


def changes_text(events: Iterable[ChangeEvent], *, titles: bool = True) -> str:
    """Change events, two lines each: time, score, kind (and the article), then the summary."""
    lines = []
    for event in events:
        about = f"  article {event.article_id}: {event.title}" if titles else ""
        portal = f"[{event.portal}] " if titles and event.portal != "hepza" else ""
        lines.append(f"{event.at}  {event.significance:>3}  {portal}{event.label}{about}")
        lines.append(f"    {event.summary}")
    return "\n".join(lines)


def _removal_lines(removal: Removal | None) -> list[str]:
    if removal is None:
        return []
    if removal.confirmed:
        confirmed = (
            f", confirmed by run {removal.confirmed_by_run} of {removal.confirmed_run_started_at}"
            if removal.confirmed_by_run is not None
            else ""
        )
        return [f"removed from the portal at {removal.removed_at} (first 404{confirmed})"]
    return [f"  pending removal: answered 404 at {removal.pending_since}; the next run confirms or clears it"]


def stats_text(figures: Mapping[str, Any]) -> str:
    """``name: value``, one figure a line."""
    return "\n".join(f"{name}: {value}" for name, value in figures.items())
