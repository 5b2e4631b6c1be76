"""The change desk serving a folder of portal archives (`hepza serve --archives`): /-/changes lists every
portal's changes, each labelled and linked under its portal; ?portal= and /<portal>/-/changes one portal's;
the filtered feed covers the same list."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from tests.browse.support import fetch

ATOM = "{http://www.w3.org/2005/Atom}"


def test_every_portal_then_one(portals_server, built):
    every = fetch(f"{portals_server}/-/changes.json").json()
    edits = [e for e in every["events"] if e["kind"] == "edit"]
    # hepza's archive was edited between its crawls; the other portals had one crawl each: no change.
    assert [(e["portal"], e["article_id"]) for e in edits] == [("hepza", built["edited_id"])]
    assert edits[0]["page"].startswith(f"/hepza/-/article/{built['edited_id']}/history")
    assert {e["portal"] for e in every["events"]} == {"hepza"}
    one = fetch(f"{portals_server}/hepza/-/changes.json").json()
    assert one["events"] == every["events"]
    assert fetch(f"{portals_server}/-/changes.json?portal=liferay73").json()["events"] == []
    other = fetch(f"{portals_server}/liferay73/-/changes")
    assert other.status == 200 and 'data-total="0"' in other.text
    page = fetch(f"{portals_server}/-/changes").text
    assert 'name="portal"' in page and '<span class="hepza-portal">hepza</span>' in page


def test_the_feed_of_a_filter_over_every_portal(portals_server, built):
    feed = ET.fromstring(fetch(f"{portals_server}/-/feed.atom?kind=edit").body)
    titles = [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")]
    assert titles and all(t.startswith("[hepza] edit") for t in titles)
    assert built["new_title"] in titles[0]
