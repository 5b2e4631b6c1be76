"""Re-run extraction and cleaning over the stored captures, without the network.

A version is written only where the output changed, and it is marked ``reprocess``: a reader never takes
a parser fix for an edit by the agency.
"""

from __future__ import annotations

import json
from collections import Counter

from archive.evidence import ledger
from archive.learning import verified_rules
from archive.migration import DEFAULT_RULE, MigrationRule
from archive.store import KIND_REPROCESS, Archive
from pipelines.extract import extract_page
from pipelines.hints import PageHints
from pipelines.record import DEFAULT_TZ, clean_article, kept_listed_minute

_REQUIRED = ("title", "published_at", "body_text")


def _charset(headers_json: str | None) -> str | None:
    headers = json.loads(headers_json or "{}")
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    for part in content_type.split(";"):
        name, _, value = part.strip().partition("=")
        if name.lower() == "charset" and value:
            return value.strip("\"' ")
    return None


def reprocess(
    archive: Archive, *, tz: str = DEFAULT_TZ, migration_rule: MigrationRule = DEFAULT_RULE
) -> dict:
    """Re-clean every article from its newest good capture; returns counts (changed, unchanged, skipped)."""
    counts: Counter[str] = Counter()
    run_id = archive.start_run("reprocess", "archived captures")
    latest = archive.db.execute(
        "SELECT c.article_id, c.url, c.body_sha256, c.headers FROM captures c "
        "JOIN (SELECT article_id, max(id) AS id FROM captures WHERE status = 200 AND article_id IS NOT NULL "
        "      GROUP BY article_id) newest ON newest.id = c.id ORDER BY c.article_id"
    ).fetchall()
    # A capture in a redesigned theme is read with the layouts the crawls learned, as the crawl read it:
    # without them its fields would come from the generic layers, and differ by extraction alone.
    rules = verified_rules(archive)
    # And with the hints of the portal's profile the newest crawl read its pages with (its run's row):
    # without them a page read by a profile's selectors would be read by detection, and differ.
    stored_hints = archive.last_crawl_hints()
    hints = PageHints.from_setting(stored_hints)
    archive.use_hints(stored_hints)
    for article_id, url, sha256, headers in latest:
        row = archive.article(article_id) or {}
        # (A minute an article page did not print, kept from its list when it was crawled.)
        listed = kept_listed_minute(row.get("published_at"), row.get("layers"))
        raw = extract_page(archive.capture_body(sha256), url, _charset(headers), learned=rules, hints=hints)
        record = clean_article(raw, tz=tz, listed_date=listed, date_formats=hints.date_formats)
        if record.page_kind != "article" or any(not getattr(record, name) for name in _REQUIRED):
            counts["skipped"] += 1
            archive.record_error(
                run_id, url, "reprocess", f"capture of article {article_id} no longer extracts"
            )
            continue
        outcome = archive.save(record, None, run_id=run_id, change_kind=KIND_REPROCESS, observed=False)
        counts[outcome.status] += 1
    # Always: this is also how a changed migration rule reaches an existing archive (each change logged).
    counts["migration_flags"] = archive.flag_migration_days(migration_rule, run_id)
    with archive.transaction():  # the re-process itself is an event of the ledger, beside its versions
        ledger.record_reprocess(archive.db.conn, run_id)
    archive.finish_run(
        run_id,
        status="ok" if not counts["skipped"] else "failed-pages",
        exit_code=0 if not counts["skipped"] else 1,
        counts=dict(counts, errors=counts["skipped"]),
        alarms=[],
    )
    return {
        "run_id": run_id,
        "articles": len(latest),
        **{k: counts[k] for k in ("changed", "unchanged", "skipped", "migration_flags")},
    }
