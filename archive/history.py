"""An article's history and the archive's figures, as data: what ``hepza history`` and ``hepza stats`` print
(archive/terminal.py formats them) and what :class:`archive.ArchiveReader` returns.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from archive.changefeed import ChangeEvent, Filters, change_events
from archive.diffs import Diff, render_terminal, summarize, word_diff
from archive.reading import (
    Article,
    Version,
    article_row,
    resolve_article_id,
    run_row,
    version_rows,
)
from archive.store import Archive
from pipelines.model import CONTENT_FIELDS

# Fields compared word by word; the others (lists of authors, images, attachments, links) as values.
TEXT_FIELDS = ("title", "body_text", "source", "published_at", "event_date")


@dataclass(frozen=True)
class FieldChange:
    """How one content field differs between two versions.

    ``old`` and ``new`` are the field's values (None where the older archive did not record it). A text
    field (:data:`TEXT_FIELDS`) also has its word diff: ``runs`` of ``(op, text)``, op ``=`` same, ``-``
    removed, ``+`` added; ``coarse`` when a changed passage was too long to compare word by word.
    """

    field: str
    old: Any
    new: Any
    runs: tuple[tuple[str, str], ...] | None = None
    coarse: bool = False

    @property
    def summary(self) -> str:
        """``-3 +5 words`` for a text field, ``1 → 2 items`` for a list."""
        if self.runs is not None:
            return summarize(self._diff())
        return f"{len(self.old or ())} → {len(self.new or ())} items"

    def text(self, context_words: int = 8) -> str:
        """The change on one line: ``[-removed-]{+added+}`` with a few words of context for a text field,
        ``old → new`` (as stored, JSON) for the others."""
        if self.runs is not None:
            return render_terminal(self._diff(), context_words)
        return f"{_stored(self.old)} → {_stored(self.new)}"

    def _diff(self) -> Diff:
        diff = Diff(self.runs or ())
        diff.coarse = self.coarse
        return diff


@dataclass(frozen=True)
class VersionDiff:
    """What changed between two versions of an article, field by field."""

    article_id: int
    old: int
    new: int
    changes: tuple[FieldChange, ...]

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(change.field for change in self.changes)


@dataclass(frozen=True)
class Removal:
    """An article's removal from the portal: confirmed (``removed_at``, the first 404, and the run that
    confirmed it) or pending (``pending_since``: one run saw a 404, the next confirms or clears it)."""

    removed_at: str | None = None
    pending_since: str | None = None
    confirmed_by_run: int | None = None
    confirmed_run_started_at: str | None = None

    @property
    def confirmed(self) -> bool:
        return self.removed_at is not None


@dataclass(frozen=True)
class ArticleHistory:
    """An article, every version oldest first, the changes each version made (``changes[i]`` leads from
    ``versions[i]`` to ``versions[i + 1]``), its removal if any, and its change events oldest first (every
    kind: edits, new addresses, replaced documents, removals, returns; archive/changefeed.py)."""

    article: Article
    versions: tuple[Version, ...]
    changes: tuple[VersionDiff, ...]
    removal: Removal | None
    events: tuple[ChangeEvent, ...] = ()


def resolve_article(archive: Archive, ref: str) -> int:
    """An article id from an id or any URL that reached it (LookupError when none matches)."""
    return resolve_article_id(archive.db.conn, ref)


def article_history(archive: Archive, ref: int | str) -> ArticleHistory:
    """Every version of an article (by id or URL), each with what changed from the one before."""
    conn = archive.db.conn
    article_id = resolve_article_id(conn, ref)
    row = article_row(conn, article_id)
    assert row is not None  # (just resolved)
    versions = tuple(Version.from_row(r) for r in version_rows(conn, article_id))
    changes = tuple(
        compare(article_id, old, new, new.changed_fields)
        for old, new in zip(versions, versions[1:], strict=False)
    )
    events = tuple(reversed(change_events(conn, Filters(article_id=article_id))))
    return ArticleHistory(Article.from_row(row), versions, changes, _removal(archive, row), events)


def version_diff(archive: Archive, ref: int | str, old: int, new: int) -> VersionDiff:
    """What differs between versions ``old`` and ``new`` of an article (any two, in either order)."""
    conn = archive.db.conn
    article_id = resolve_article_id(conn, ref)
    by_number = {v["version"]: Version.from_row(v) for v in version_rows(conn, article_id)}
    for number in (old, new):
        if number not in by_number:
            raise LookupError(f"article {article_id} has no version {number} (it has 1 to {len(by_number)})")
    before, after = by_number[old], by_number[new]
    differing = [name for name in CONTENT_FIELDS if before.content.get(name) != after.content.get(name)]
    return compare(article_id, before, after, differing)


def compare(article_id: int, old: Version, new: Version, fields: Iterable[str]) -> VersionDiff:
    """The changes of ``fields`` from one version to another, text fields word by word."""
    changes = []
    for name in fields:
        before, after = old.content.get(name), new.content.get(name)
        if name in TEXT_FIELDS:
            runs = word_diff(before, after)
            changes.append(FieldChange(name, before, after, tuple(runs), runs.coarse))
        else:
            changes.append(FieldChange(name, before, after))
    return VersionDiff(article_id, old.version, new.version, tuple(changes))


def _removal(archive: Archive, article: dict) -> Removal | None:
    """The removal after the versions: confirmed (with the run that confirmed it) or pending."""
    if article["removed_at"]:
        run = run_row(archive.db.conn, article["missing_run_id"])
        return Removal(
            removed_at=article["removed_at"],
            confirmed_by_run=run["id"] if run else None,
            confirmed_run_started_at=run["started_at"] if run else None,
        )
    if article["missing_since"]:
        return Removal(pending_since=article["missing_since"])
    return None


def _stored(value: Any) -> str:
    """A list field's value as the archive stores it (JSON); None as None."""
    return str(value) if value is None else json.dumps(value, ensure_ascii=False)


def archive_stats(archive: Archive) -> dict:
    """What the archive holds, in a few figures."""
    q = archive.db.execute

    def one(sql: str) -> Any:
        return q(sql).fetchone()[0]

    last = q("SELECT id, started_at, status, exit_code FROM crawl_runs ORDER BY id DESC LIMIT 1").fetchone()
    return {
        "articles": one("SELECT count(*) FROM articles"),
        "removed": one("SELECT count(*) FROM articles WHERE removed_at IS NOT NULL"),
        "pending_removals": one(
            "SELECT count(*) FROM articles WHERE removed_at IS NULL AND missing_since IS NOT NULL"
        ),
        "versions": one("SELECT count(*) FROM article_versions"),
        "changed_articles": one("SELECT count(*) FROM articles WHERE version_count > 1"),
        "urls": one("SELECT count(*) FROM article_urls"),
        "captures": one("SELECT count(*) FROM captures"),
        "capture_bytes": one("SELECT coalesce(sum(length(data)), 0) FROM capture_bodies"),
        "document_refs": one("SELECT count(*) FROM document_refs"),
        # (an archive older than the attachments' history, opened read-only, has no such view)
        **(
            {
                "attachments": one("SELECT count(DISTINCT url) FROM attachment_files"),
                "attachments_replaced": one("SELECT count(*) FROM attachment_changes"),
            }
            if "attachment_changes" in archive.db.view_names()
            else {}
        ),
        "runs": one("SELECT count(*) FROM crawl_runs"),
        "last_run": f"{last[0]} {last[1]} {last[2]} (exit {last[3]})" if last else None,
        "oldest": one("SELECT min(published_at) FROM articles"),
        "newest": one("SELECT max(published_at) FROM articles"),
    }
