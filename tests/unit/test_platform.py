"""pipelines/platform.py: which answers make a site Liferay, another platform, or undecided."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.platform import (
    HOME,
    LIFERAY,
    MARKERS,
    OTHER,
    ROBOTS,
    SITEMAP,
    UNKNOWN,
    Evidence,
    close_reason,
    markers_in,
    message_of,
    probe_kind,
)
from replica import Site, app, faults, foreign_names, portal_names
from replica.foreign import ForeignSite

FILES = Path(__file__).parent.parent / "files"
HOST = "127.0.0.1:8031"
SITE = f"http://{HOST}"


def answer(site, path: str) -> tuple[int, dict[str, str], str]:
    status, headers, body = app.handle(site, "GET", path, {"host": HOST})
    return status, dict(headers), body.decode("utf-8", "replace")


def evidence_of(site) -> Evidence:
    """The probes a crawl starts with, as the crawl sees them (the WordPress sitemap redirect followed)."""
    ev = Evidence(SITE)
    for kind, path in ((ROBOTS, "/robots.txt"), (HOME, "/"), (SITEMAP, "/sitemap.xml")):
        status, headers, body = answer(site, path)
        if status == 301:
            status, headers, body = answer(site, headers["Location"][len(SITE) :])
        ev.add(kind, status, headers, body)
    return ev


@pytest.mark.parametrize("name", portal_names())
@pytest.mark.parametrize("layout", ["liferay", "redesigned"])
def test_every_liferay_replica_portal_is_liferay_from_its_home_page_alone(name, layout):
    for chrome in ("full", "light") if name == "hepza" else ("full",):
        site = Site(portal=name, chrome=chrome)
        site.redesign(layout)
        status, headers, body = answer(site, "/")
        found = markers_in(body, headers)
        assert len(found) >= 2, (name, chrome, found)  # more than one, so no single theme decides
        ev = Evidence(SITE)
        ev.add(HOME, status, headers, body)
        assert ev.verdict(done=False) == LIFERAY


@pytest.mark.parametrize(
    "sample", ["moh_article_liferay73.html", "moh_list_en_liferay73.html", "moh_list_vi_liferay73.html"]
)
def test_the_real_liferay_pages_show_the_seen_markers(sample):
    found = markers_in((FILES / sample).read_text(encoding="utf-8"), {"Content-Type": "text/html"})
    seen = {m.name for m in MARKERS if m.seen and m.where == "body"}
    assert seen <= set(found), seen - set(found)


@pytest.mark.parametrize("name", foreign_names())
def test_sites_of_other_platforms_are_other_once_every_probe_answered(name):
    ev = evidence_of(ForeignSite(name))
    assert ev.markers == []
    assert ev.verdict(done=False) == UNKNOWN  # a probe may still be on its way
    assert ev.verdict(done=True) == OTHER
    line = ev.message()
    assert "\n" not in line and line.startswith(f"not a Liferay portal: {SITE} ")
    assert all(m.name in line for m in MARKERS)
    assert ("ASP.NET WebForms" if name == "aspnet" else "WordPress") in line


def test_a_site_answering_every_url_with_one_page_decides_nothing():
    """The maintenance fault (tests/reliability): robots.txt and the sitemap come back as the HTML page."""
    ev = Evidence(SITE)
    for kind in (ROBOTS, HOME, SITEMAP):
        ev.add(kind, 200, {"Content-Type": "text/html;charset=UTF-8"}, faults.MAINTENANCE_PAGE)
    assert ev.verdict(done=True) == UNKNOWN


def test_an_erroring_home_page_decides_nothing_and_its_markers_still_count():
    ev = Evidence(SITE)
    ev.add(HOME, 503, {"Content-Type": "text/html"}, "<p>Service Unavailable</p>")
    ev.add(ROBOTS, 404, {"Content-Type": "text/html"}, "")
    assert ev.verdict(done=True) == UNKNOWN
    ev = Evidence(SITE)
    ev.add(HOME, 200, {"Content-Type": "text/html", "Liferay-Portal": "Liferay DXP 7.4"}, "<p>x</p>")
    assert ev.markers == ["Liferay-Portal header"] and ev.verdict(done=False) == LIFERAY


def test_a_7x_sitemap_alone_shows_liferay():
    status, headers, body = answer(Site(portal="liferay73"), "/sitemap.xml")
    assert markers_in(body, headers) == ["p_p_id= portlet parameters"]  # its children: ?p_l_id=…


def test_probe_kinds_and_the_close_reason():
    assert probe_kind(f"{SITE}/", SITE) == HOME and probe_kind(SITE, SITE + "/") == HOME
    assert probe_kind(f"{SITE}/robots.txt", SITE) == ROBOTS
    assert probe_kind(f"{SITE}/sitemap.xml?p_l_id=1", SITE) == SITEMAP
    assert probe_kind(f"{SITE}/wp-sitemap-posts-post-1.xml", SITE) == SITEMAP
    assert probe_kind(f"{SITE}/w/sitemap-of-the-zones", SITE) is None
    assert probe_kind(f"{SITE}/TinTuc/ChiTiet.aspx?id=1", SITE) is None
    assert message_of(close_reason("not a Liferay portal: x")) == "not a Liferay portal: x"
    assert message_of("finished") is None and message_of(None) is None
