"""A page reads the same whatever its volatile parts hold: the related list the replica rotates with every
request (as Liferay's Related Assets and most-read portlets do), the view counter and the auth token.

A reading that changes with them is a false version waiting for the day the list holds the wrong title:
the archive's guard refuses such a page (another layout, nothing verified), so a crawl fails on it now
and then instead of recording a change, and the test that met it was "intermittent".

Pages are rendered by the replica's own code (``replica.app.handle``), every article of every shipped
portal, and of HEPZA in the themes of tests/e2e/test_redesign.py that the portal layer reads; each article
is asked for as many times as its related list has distinct rotations, so every list it can print is read.
"""

import pytest

from pipelines.extract import extract_page
from pipelines.hashing import content_hash
from pipelines.learned_layout import LAYOUT
from pipelines.record import clean_article
from replica import Site, app, portal_names
from tests.e2e.test_redesign import READ_BY, THEMES

HOST = "127.0.0.1:8012"
CASES = [pytest.param(name, None, id=name) for name in portal_names()] + [
    pytest.param("hepza", theme, id=f"hepza-{theme}") for theme, layer in READ_BY.items() if layer == "portal"
]


def _rotations(site: Site, asset_id: str) -> int:
    """How many distinct related lists the article's page prints, one after the other (Site.related)."""
    article = site.article(asset_id)
    pool = [x for x in site.in_category(article.category)[:24] if x is not article]
    return max(1, len(pool[3:] or pool))


def _target(url: str) -> str:
    return url.split(HOST, 1)[1] if HOST in url else url


@pytest.mark.parametrize(("portal", "theme"), CASES)
def test_an_article_reads_the_same_whatever_its_related_list_holds(portal, theme):
    site = Site(portal=portal)
    if theme is not None:
        site.redesign(theme, THEMES[theme])
    unstable = {}
    for gold in site.gold():
        url = gold["url"] if gold["url"].startswith("http") else f"http://{HOST}{gold['url']}"
        readings = set()
        for _ in range(_rotations(site, gold["asset_id"])):
            status, _, body = app.handle(site, "GET", _target(url), {"host": HOST})
            assert status == 200, url
            raw = extract_page(body, url, "utf-8")
            readings.add((raw.layers.get(LAYOUT), content_hash(clean_article(raw, now=None).content())))
        if len(readings) > 1:
            unstable[gold["title"]] = len(readings)
    assert unstable == {}
