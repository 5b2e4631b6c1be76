"""Limits against a portal that costs too much: a very long article edited by one word."""

from __future__ import annotations

import re
import time
from urllib.parse import quote, unquote, urlsplit

from replica.faults import Faults, Rule
from tests.reliability.conftest import assert_sound, crawl, rows


def test_a_one_word_edit_of_a_15000_word_article_is_archived_in_seconds(server, baseline, primed):
    path = sorted(baseline["paths"].values())[0]
    match = "^" + re.escape(quote(path)) + "$"
    server.faults = Faults(Rule("long_articles", match=match, words=15_000))
    first = crawl(server.url, primed, "--full")
    assert first["returncode"] == 0 and first["changed"] == 1, first
    server.faults = Faults(Rule("long_articles", match=match, words=15_000, edit_word=7_500))
    started = time.monotonic()
    second = crawl(server.url, primed, "--full")
    elapsed = time.monotonic() - started
    assert second["returncode"] == 0 and second["changed"] == 1, second
    # The whole re-check, diff included; the quadratic word diff alone took over a minute.
    assert elapsed < 30, elapsed
    last = rows(primed, "SELECT diff_summary FROM article_versions ORDER BY id DESC LIMIT 1")[0]
    assert last["diff_summary"] == "body_text: -1 +1 words"
    assert_sound(primed)


def test_endless_response_headers_are_a_page_error_and_the_run_goes_on(server, baseline, primed):
    path = sorted(baseline["paths"].values())[1]
    server.faults = Faults(Rule("endless_headers", match="^" + re.escape(quote(path)) + "$", chunk=100))
    started = time.monotonic()
    summary = crawl(server.url, primed, "--full", timeout=90)
    elapsed = time.monotonic() - started
    server.faults.stop()
    # Before the cap the crawler read headers until memory ran out (3 GB in 22 s); the timeout did not end it.
    assert elapsed < 45, elapsed
    assert summary["returncode"] == 1, summary
    errors = rows(primed, "SELECT url, message FROM crawl_errors WHERE run_id = ?", [summary["run_id"]])
    assert [unquote(urlsplit(e["url"]).path) for e in errors] == [path], errors
    assert "header" in errors[0]["message"].lower(), errors
    assert summary["unchanged"] + summary["not_modified"] == len(baseline["articles"]) - 1, summary
    assert_sound(primed)
