"""A document whose download failed is asked for again by later runs (bounded), not only at its article's
next re-check, which for an old article is a month away."""

from __future__ import annotations

import json

from replica.faults import Faults, Rule
from tests.e2e.conftest import crawl, rows

DOCUMENTS = r"^/documents/"
MONTHLY = {"HEPZA_RECHECK_SCHEDULE": "*:30d"}  # no article is due by age in the later runs


def _linked(db) -> set[str]:
    return {
        a["url"] for r in rows(db, "SELECT attachments FROM articles") for a in json.loads(r["attachments"])
    }


def test_a_document_that_failed_once_is_downloaded_by_the_next_run(site, server, tmp_path):
    db = tmp_path / "x.db"
    server.faults = Faults(
        Rule("status", match=DOCUMENTS, times=1, per_path=True, status=404)
    )  # each fails once
    first = crawl(server.url, db)
    linked = _linked(db)
    assert linked and first["returncode"] == 1 and first["attachments"] == 0, first
    second = crawl(server.url, db, env=MONTHLY)
    assert second["returncode"] == 0 and second["attachments"] == len(linked), second
    assert {f["url"] for f in rows(db, "SELECT url FROM attachment_files")} == linked
    third = crawl(server.url, db, env=MONTHLY)  # nothing left to retry: no document asked for
    assert third["attachments"] == third["attachments_unchanged"] == third["errors"] == 0, third


def test_a_document_that_keeps_failing_is_given_up_after_the_retries(site, server, tmp_path):
    db = tmp_path / "x.db"
    server.faults = Faults(Rule("status", match=DOCUMENTS, status=404))
    env = {**MONTHLY, "HEPZA_ATTACHMENT_RETRIES": "2"}
    linked = None
    for run in range(4):
        summary = crawl(server.url, db, env=env)
        linked = linked or _linked(db)
        failed = {u for u in summary["failed_urls"] if "/documents/" in u}
        # The first run and two retries ask for every document; the fourth run no longer does.
        assert len(failed) == (len(linked) if run < 3 else 0), (run, summary)
