"""`hepza serve --archives DIR` over HTTP: a folder of three replica portals' archives (hepza, liferay73,
liferay62; conftest.py), each served under its name with every page of the one-archive serve, one search
and one Atom feed across them; a file that is no archive named on stderr and not served."""

from __future__ import annotations

import re
from urllib.parse import quote
from xml.etree import ElementTree as ET

import pytest

from archive.datasette.feed import ATOM, PORTAL_SCHEME
from tests.browse.conftest import OTHER_PORTALS
from tests.browse.support import ARTIFACTS, count_in_the_text, fetch
from tests.hepza_cli import rows

PORTALS = ("hepza", *OTHER_PORTALS)
NS = {"a": ATOM}


def _search(server: str, query: str, **params: str) -> dict:
    extra = "".join(f"&{k}={quote(v)}" for k, v in params.items())
    response = fetch(f"{server}/-/search.json?q={quote(query)}{extra}")
    assert response.status == 200, response.text
    return response.json()


def _feed(url: str) -> ET.Element:
    response = fetch(url)
    assert response.status == 200 and response.headers["content-type"].startswith("application/atom+xml")
    return ET.fromstring(response.body)


def test_every_portal_is_served_under_its_name_and_a_file_that_is_no_archive_is_named(
    portals_server, portals_folder
):
    databases = fetch(f"{portals_server}/-/databases.json").json()
    assert sorted(d["name"] for d in databases) == sorted(PORTALS)
    assert all(d["is_mutable"] for d in databases)  # read-only, never immutable, as `serve --db`
    home = fetch(f"{portals_server}/").text
    assert all(f'href="/{name}"' in home for name in PORTALS)
    log = (ARTIFACTS / "serve-portals.log").read_text(encoding="utf-8")
    assert f"{portals_folder / 'notes.db'}: skipped, " in log


@pytest.mark.parametrize("portal", PORTALS)
def test_each_portals_pages_are_under_its_name(portals_server, portals_folder, portal):
    db = portals_folder / f"{portal}.db"
    [article] = rows(db, "SELECT id, title, asset_id FROM articles ORDER BY id LIMIT 1")
    base = f"{portals_server}/{portal}"
    page = fetch(f"{base}/-/article/{article['id']}")
    assert page.status == 200 and article["title"] in page.text
    # Its links stay in the portal: history, permalink, feed.
    assert f'href="/{portal}/-/article/{article["id"]}/history"' in page.text
    assert f'href="/{portal}/-/version/{article["asset_id"]}/1"' in page.text
    assert f'href="/{portal}/-/feed.atom"' in page.text
    assert fetch(f"{base}/-/article/{article['id']}/history").status == 200
    version = fetch(f"{base}/-/version/{article['asset_id']}/1")
    assert (
        version.status == 200
        and f"{portals_server}/{portal}/-/version/{article['asset_id']}/1" in version.text
    )
    assert ("(HEPZA), version 1" in version.text) == (portal == "hepza")  # cited as its own portal
    # The articles table and the canned queries link to the portal's own article pages.
    table = fetch(f"{base}/articles").text
    assert f'href="/{portal}/-/article/' in table and 'href="/-/article/' not in table
    assert 'class="hepza-hidden-columns"' in table  # the one archive's compact listing
    latest = fetch(f"{base}/latest_articles").text
    assert f'href="/{portal}/-/article/' in latest and 'href="/-/article/' not in latest
    # Its own search page: that portal only.
    own = fetch(f"{base}/-/search.json?q=dang").json()
    assert own["total"] == count_in_the_text(db, "dang", exact=False)
    assert {h["portal"] for h in own["hits"]} <= {portal}
    # A search box query with no word goes to that portal's search page, which says so.
    wordless = fetch(f"{base}/articles?_search={quote(chr(34))}")
    assert wordless.status == 200 and "holds no word to search for" in wordless.text


def test_an_article_page_without_a_portal_says_where_pages_are(portals_server):
    page = fetch(f"{portals_server}/-/article/1")
    assert page.status == 404 and "under a portal" in page.text
    assert fetch(f"{portals_server}/nowhere/-/article/1").status == 404


@pytest.mark.parametrize(("query", "exact"), [("dang", False), ("đăng", True)])
def test_one_search_across_portals_counts_each_portal_from_its_text(
    portals_server, portals_folder, query, exact
):
    result = _search(portals_server, query)
    counts = {name: count_in_the_text(portals_folder / f"{name}.db", query, exact=exact) for name in PORTALS}
    assert result["portals"] == counts
    assert result["total"] == sum(counts.values())
    assert sum(1 for c in counts.values() if c) >= 2  # a word of more than one portal
    on_page = {h["portal"] for h in result["hits"]}
    assert on_page == {name for name, c in counts.items() if c}  # taken in turn: every portal on page 1
    # Filtered to one portal: its hits only, the counts of the others still shown.
    for name in PORTALS:
        one = _search(portals_server, query, portal=name)
        assert {h["portal"] for h in one["hits"]} <= {name}
        assert len(one["hits"]) == min(counts[name], 20) and one["portals"] == counts


def test_the_portal_facet_keeps_the_query_and_past_versions(portals_server):
    page = fetch(f"{portals_server}/-/search?q={quote('xây dựng')}&past=1").text
    facet = re.search(r'<ul class="hepza-portal-facet".*?</ul>', page, re.S)
    assert facet
    links = dict(re.findall(r'<a href="([^"]+)" data-portal="([a-z0-9-]+)"', facet.group(0)))
    assert sorted(links.values()) == sorted(PORTALS)
    for href in links:
        assert "q=x%C3%A2y+d%E1%BB%B1ng" in href and "past=1" in href and "portal=" in href
    filtered = fetch(f"{portals_server}/-/search?q=dang&portal=liferay73").text
    assert '<option value="liferay73" selected>' in filtered
    assert set(re.findall(r'class="hepza-hit"[^>]* data-portal="([^"]+)"', filtered)) == {"liferay73"}


def test_past_versions_across_portals_find_the_title_hepza_changed(portals_server, built):
    result = _search(portals_server, f'"{built["old_title"]}"', past="1")
    [hit] = [h for h in result["hits"] if h["portal"] == "hepza" and h["id"] == built["edited_id"]]
    assert (hit["version"], hit["in_current"]) == (1, False)


def test_one_feed_across_portals_and_one_per_portal_with_stable_ids(portals_server, server):
    every = _feed(f"{portals_server}/-/feed.atom")
    assert every.find("a:id", NS).text == f"{portals_server}/-/feed.atom"
    entries = every.findall("a:entry", NS)
    assert entries and len({e.find("a:id", NS).text for e in entries}) == len(entries)
    own_ids = {}
    for name in PORTALS:
        feed = _feed(f"{portals_server}/{name}/-/feed.atom")
        assert feed.find("a:link[@rel='self']", NS).get("href") == f"{portals_server}/{name}/-/feed.atom"
        own_ids[name] = {e.find("a:id", NS).text for e in feed.findall("a:entry", NS)}
    seen = set()
    for entry in entries:
        [label] = [c for c in entry.findall("a:category", NS) if c.get("scheme") == PORTAL_SCHEME]
        name = label.get("term")
        seen.add(name)
        assert entry.find("a:title", NS).text.startswith(f"[{name}] ")
        assert (
            entry.find("a:link[@rel='alternate']", NS).get("href").startswith(f"{portals_server}/{name}/-/")
        )
        assert entry.find("a:id", NS).text in own_ids[name]  # the same entry, the same id, in both feeds
        assert re.fullmatch(
            r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", entry.find("a:updated", NS).text
        )
    assert len(seen) >= 2
    # Two portals sharing no id; hepza's ids are those `hepza serve --db` gives the same archive.
    assert not own_ids["liferay73"] & own_ids["liferay62"]
    single = _feed(f"{server}/-/feed.atom")
    assert own_ids["hepza"] == {e.find("a:id", NS).text for e in single.findall("a:entry", NS)}


def test_a_version_page_leaves_datasettes_connection_as_it_found_it(server, built):
    """The permalink page reads on datasette's own connection: its next queries on that thread (a table,
    the feed) still get rows, not tuples (they answered 500 after a version page)."""
    for _ in range(4):  # datasette's threads each hold a connection: reach them all
        assert fetch(f"{server}/-/version/{built['asset_id']}/1").status == 200
    for _ in range(4):
        assert fetch(f"{server}/-/feed.atom").status == 200
        assert fetch(f"{server}/hepza/articles").status == 200


def test_the_pages_of_a_search_across_portals_hold_every_hit_once(portals_server):
    first = _search(portals_server, "dang")
    assert first["total"] > 20  # more than one page
    seen = []
    for page in range(1, -(-first["total"] // 20) + 1):
        hits = _search(portals_server, "dang", page=str(page))["hits"]
        assert len(hits) == min(20, first["total"] - 20 * (page - 1))
        seen += [(h["portal"], h["id"]) for h in hits]
    assert len(set(seen)) == len(seen) == first["total"]
    # Taken in turn: the first hits are each portal's best, in the portals' order.
    assert [p for p, _ in seen[:3]] == sorted(first["portals"])
