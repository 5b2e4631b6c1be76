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


SITEMAP = r"^/sitemap\.xml"


def test_an_endless_chain_of_sitemap_indexes_ends_at_the_depth_cap(server, tmp_path):
    db = tmp_path / "chain.db"
    server.faults = Faults(Rule("sitemap_chain", match=SITEMAP))
    summary = crawl(server.url, db, env={"HEPZA_SITEMAP_MAX_DEPTH": "4"}, timeout=90)
    assert summary["returncode"] == 0, summary
    assert summary["new"] == 63, summary  # the lists still bring every article
    assert server.faults.applied["sitemap_chain"] == 5  # robots.txt's sitemap and 4 levels below it
    assert_sound(db)


def test_a_sitemap_of_dead_links_costs_its_requests_once(server, tmp_path):
    db = tmp_path / "dead.db"
    server.faults = Faults(Rule("sitemap_dead_links", match=SITEMAP, limit=3000))
    env = {"HEPZA_SITEMAP_MAX_NEW_URLS": "400"}

    def dead_urls(run_id: int) -> set[str]:
        found = rows(db, "SELECT url FROM crawl_errors WHERE run_id = ? AND kind = 'not-found'", [run_id])
        return {urlsplit(r["url"]).path for r in found}

    first = crawl(server.url, db, env=env, timeout=120)
    assert first["returncode"] == 1 and first["new"] == 63, first
    taken = dead_urls(first["run_id"])
    # The cap, the most recently modified first (the fault's lastmod grows with N).
    assert taken == {f"/w/lien-ket-chet-{i}" for i in range(2600, 3000)}
    second = crawl(server.url, db, env=env, timeout=120)
    again = dead_urls(second["run_id"])
    assert len(again) == 400 and not again & taken  # the learned dead links are not asked again
    assert second["requests"] < first["requests"] + 50, (first["requests"], second["requests"])
    assert_sound(db)
