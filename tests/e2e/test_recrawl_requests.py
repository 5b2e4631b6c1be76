"""What an unchanged incremental re-crawl asks each replica portal for, and that it still finds what is new.

bench/recrawl_portals.py measures the budget (≤ 2% of a first crawl's requests); here, its mechanism on
every portal the replica serves: robots.txt asked for once (the robots.txt middleware's download answers the
spider's request too), each list read at its first page only (a list whose known articles are linked by an
alias route reads as "nothing new" too), and a new or edited article still found by an incremental run.

The first list pages stay in every incremental run even where the sitemap names every article: they are the
only place that shows an article the sitemap leaves out (Liferay 7.x writes an article into its sitemap only
when it has a display page) and every list a new article is filed under (a 7.4 breadcrumb names only the main
one). The first test checks the lists a new article is filed under, the second finds new articles with the
sitemaps and the home page frozen (docs/portals.md, "What an unchanged incremental run asks for").
"""

from __future__ import annotations

import json
import re
import urllib.request

import pytest

from replica import Site, serve
from replica.faults import Faults, Rule
from replica.portals import portal_names
from tests.e2e.conftest import crawl, rows

# Nothing is due by age (checked minutes ago, re-checked monthly): only discovery is read.
NOTHING_DUE = {"HEPZA_RECHECK_SCHEDULE": "*:30d"}


@pytest.mark.parametrize("portal", portal_names())
def test_an_unchanged_recrawl_reads_each_page_once_and_new_and_edited_articles_are_still_found(
    portal, tmp_path
):
    site = Site(articles=60, seed=0, portal=portal)
    db = tmp_path / "x.db"
    with serve(site) as server:
        first = crawl(server.url, db, env=NOTHING_DUE)
        assert first["returncode"] == 0 and first["new"] == len(site.live()), first
        # A portal whose sitemap lists no articles (6.2's) has its edits found by the schedule's re-checks,
        # which these runs have none of; elsewhere an edit moves the article's sitemap lastmod.
        sitemap_lastmods = rows(db, "SELECT count(*) AS n FROM articles WHERE sitemap_lastmod IS NOT NULL")
        edits_found = sitemap_lastmods[0]["n"] > 0

        server.requests_by_path.clear()
        unchanged = crawl(server.url, db, env=NOTHING_DUE)
        assert unchanged["new"] == unchanged["changed"] == 0, unchanged
        asked = dict(server.requests_by_path)
        assert asked["/robots.txt"] == 1, asked
        # Pager pages share their list's path: one request a path means no list was paged. (The sitemap
        # index and its children share /sitemap.xml.)
        assert {path: n for path, n in asked.items() if n > 1 and path != "/sitemap.xml"} == {}

        # New articles, more than a list page holds (the smallest pager shows 4), at the top of their lists.
        fresh = site.add_new(6)
        # One of them filed under a second list too: only that list's first page says so.
        main = site.gold_for(fresh[0])["category"]
        site.file_in(fresh[0], next(key for key in site.categories if key != main))
        edited = site.gold()[10]["asset_id"]
        site.edit(edited, add_paragraph="Ban Quản lý đã cập nhật thông tin này.")
        again = crawl(server.url, db, env=NOTHING_DUE)
        assert again["new"] == len(fresh), again
        assert again["changed"] == (1 if edits_found else 0), again
        # Each new article is filed under as many lists as the portal files it under. (By count: the archive
        # names a category by its list's path, not by the gold's key, and not every theme prints an asset id.)
        newest = rows(db, "SELECT categories FROM articles ORDER BY id DESC LIMIT ?", [len(fresh)])
        assert sorted(len(json.loads(r["categories"])) for r in newest) == sorted(
            len(site.gold_for(asset_id)["categories"]) for asset_id in fresh
        )


def _frozen_discovery(server) -> Faults:
    """The sitemaps and the home page as the first crawl read them, served so from here on: an article
    published later is in no sitemap (as a 7.x article without a display page never is) and not on the
    home page (as one of a section the home page does not show)."""
    targets = {t for _, _, t in server.request_log if t == "/" or t.startswith("/sitemap.xml")}
    rules = []
    for target in sorted(targets):
        with urllib.request.urlopen(server.url + target) as answer:  # (127.0.0.1 only)
            body, content_type = answer.read(), answer.headers["Content-Type"]
        # The fault sends its body back as Latin-1, which gives back the bytes read here unchanged.
        match = f"^{re.escape(target)}$"
        rules.append(
            Rule("content_type", match=match, body=body.decode("latin-1"), content_type=content_type)
        )
    assert "/" in targets and len(targets) > 1, targets
    return Faults(*rules)


@pytest.mark.parametrize("portal", portal_names())
def test_new_articles_only_the_lists_show_are_found_by_their_first_pages(portal, tmp_path):
    site = Site(articles=60, seed=0, portal=portal)
    db = tmp_path / "x.db"
    with serve(site) as server:
        server.request_log = []
        first = crawl(server.url, db, env=NOTHING_DUE)
        assert first["returncode"] == 0 and first["new"] == len(site.live()), first
        server.faults = _frozen_discovery(server)

        # More than the smallest list page holds, at the top of their lists; neither a sitemap nor the
        # home page names them.
        fresh = site.add_new(6)
        again = crawl(server.url, db, env=NOTHING_DUE)
        assert server.faults.applied["content_type"] > 0
        assert again["new"] == len(fresh), again
