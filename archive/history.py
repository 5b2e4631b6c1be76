"""Read-only views of the archive for the terminal: an article's history, the archive's figures."""

from __future__ import annotations

import json

from archive.diffs import render_terminal, word_diff
from archive.store import Archive
from pipelines.urls import article_key

_TEXT_FIELDS = ("title", "body_text", "source", "published_at", "event_date")


def resolve_article(archive: Archive, ref: str) -> int:
    """An article id from an id or any URL that reached it."""
    if ref.isdigit():
        row = archive.db.execute("SELECT id FROM articles WHERE id = ?", [int(ref)]).fetchone()
        if row:
            return row[0]
    key = article_key(ref)
    if key:
        row = archive.db.execute(
            "SELECT article_id FROM article_urls WHERE url_key = ? LIMIT 1", [key]
        ).fetchone()
        if row:
            return row[0]
    raise LookupError(f"no archived article matches {ref!r}")


def article_history(archive: Archive, ref: str) -> str:
    """Every version of an article, each with a word-level diff against the one before."""
    article_id = resolve_article(archive, ref)
    article = archive.article(article_id)
    cursor = archive.db.execute(
        "SELECT * FROM article_versions WHERE article_id = ? ORDER BY version", [article_id]
    )
    names = [d[0] for d in cursor.description]
    versions = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    lines = [f"article {article_id}: {article['title']}", f"  {article['url']}"]
    previous = None
    for version in versions:
        changed = json.loads(version["changed_fields"] or "[]")
        lines.append(
            f"version {version['version']} captured {version['captured_at']} ({version['change_kind']})"
            + (f": {', '.join(changed)}" if previous else "")
        )
        if previous:
            for field in changed:
                old, new = previous.get(field), version.get(field)
                if field in _TEXT_FIELDS:
                    lines.append(f"  {field}: {render_terminal(word_diff(old, new))}")
                else:
                    lines.append(f"  {field}: {old} → {new}")
        previous = version
    lines.extend(_removal_lines(archive, article))
    return "\n".join(lines)


def _removal_lines(archive: Archive, article: dict) -> list[str]:
    """The removal after the versions: confirmed (an event, with the run that confirmed it) or pending."""
    if article["removed_at"]:
        run = archive.db.execute(
            "SELECT id, started_at FROM crawl_runs WHERE id = ?", [article["missing_run_id"]]
        ).fetchone()
        confirmed = f", confirmed by run {run[0]} of {run[1]}" if run else ""
        return [f"removed from the portal at {article['removed_at']} (first 404{confirmed})"]
    if article["missing_since"]:
        return [
            f"  pending removal: answered 404 at {article['missing_since']}; the next run confirms or clears it"
        ]
    return []


def archive_stats(archive: Archive) -> dict:
    """What the archive holds, in a few figures."""
    q = archive.db.execute

    def one(sql: str):
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
