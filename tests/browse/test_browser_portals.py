"""`hepza serve --archives` in a real browser (Debian's Chromium, headless): one search across the archives
of three replica portals (hepza, liferay73, liferay62; conftest.py), results from more than one, then the
portal facet narrowing them to one portal with the query kept. Chromium missing is a failure, not a skip."""

from __future__ import annotations

import json

from tests.browse.cdp import Chromium
from tests.browse.conftest import OTHER_PORTALS
from tests.browse.support import ARTIFACTS, copy_artifact, count_in_the_text

PORTALS = ("hepza", *OTHER_PORTALS)
# A word typed with its marks that the three portals' articles hold (its letters only: not "đang").
WORD = "đăng"


def _all(browser: Chromium, selector: str, attribute: str) -> list[str]:
    return browser.evaluate(
        f"[...document.querySelectorAll({json.dumps(selector)})].map(e => e.getAttribute({json.dumps(attribute)}))"
    )


def test_search_every_portal_then_filter_to_one(browser, portals_server, portals_folder):
    counts = {name: count_in_the_text(portals_folder / f"{name}.db", WORD, exact=True) for name in PORTALS}
    assert sum(1 for c in counts.values() if c) >= 2, counts
    total = "Number(document.querySelector('#search-count').dataset.total)"

    browser.goto(f"{portals_server}/")
    assert browser.evaluate("document.querySelector('a[href=\"/-/search\"]') !== null")
    browser.goto(f"{portals_server}/-/search")
    browser.type_and_submit("input#q", WORD)
    assert browser.evaluate(total) == sum(counts.values())
    shown = _all(browser, ".hepza-hit", "data-portal")
    assert set(shown) == {name for name, c in counts.items() if c}  # hits of every portal holding it
    labels = browser.evaluate(
        "[...document.querySelectorAll('.hepza-hit .hepza-portal')].map(e => e.textContent)"
    )
    assert labels == shown
    marks = browser.evaluate("[...document.querySelectorAll('.hepza-hit mark')].map(e => e.textContent)")
    assert marks and {m.casefold() for m in marks} == {WORD}
    path = browser.screenshot(ARTIFACTS / "search-portals.png", full_page=True, max_height=1100)
    copy_artifact(path, "search-portals.png")

    chosen = next(name for name in OTHER_PORTALS if counts[name])
    browser.click(f'#portal-facet a[data-portal="{chosen}"]')
    assert f"portal={chosen}" in browser.url()
    assert browser.evaluate("document.querySelector('input#q').value") == WORD
    assert browser.evaluate(total) == counts[chosen]
    assert set(_all(browser, ".hepza-hit", "data-portal")) == {chosen}
    hrefs = _all(browser, ".hepza-hit > a", "href")
    assert hrefs and all(h.startswith(f"/{chosen}/-/article/") for h in hrefs)
    assert browser.evaluate("document.querySelector('select#portal').value") == chosen

    # A hit opens that portal's article page.
    browser.click(".hepza-hit > a")
    assert browser.url().startswith(f"{portals_server}/{chosen}/-/article/")
    assert WORD in browser.evaluate("document.body.innerText.toLowerCase()")

    # Back to every portal from the facet.
    browser.goto(f"{portals_server}/-/search?q={WORD}&portal={chosen}")
    browser.click('#portal-facet a[data-portal=""]')
    assert browser.evaluate(total) == sum(counts.values())
    assert "portal=" not in browser.url()
