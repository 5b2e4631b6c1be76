"""What an unchanged incremental re-crawl asks each replica portal for, and that it still finds what is new.

bench/recrawl_portals.py measures the budget (≤ 2% of a first crawl's requests); here, its mechanism on
every portal the replica serves: robots.txt asked for once (the robots.txt middleware's download answers the
spider's request too), each list read at its first page only (a list whose known articles are linked by an
alias route reads as "nothing new" too), and a new or edited article still found by an incremental run.
"""

from __future__ import annotations

import pytest

from replica import Site, serve
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
        edited = site.gold()[10]["asset_id"]
        site.edit(edited, add_paragraph="Ban Quản lý đã cập nhật thông tin này.")
        again = crawl(server.url, db, env=NOTHING_DUE)
        assert again["new"] == len(fresh), again
        assert again["changed"] == (1 if edits_found else 0), again
