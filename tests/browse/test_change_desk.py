"""The change desk (``/-/changes``) in Debian's Chromium, on the replica archive with every kind of change
(tests/e2e/desk_archive.py): it lists an edit, a removal, a replaced document, a rename and a byline change,
ranks the figure-changing edit above a one-word fix, and its form and sort toggle filter and order the
list without a script. Screenshot: docs/img/change-desk.png (HEPZA_UPDATE_DOC_IMAGES=1)."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest

from archive.browse import serving
from tests.browse.support import ARTIFACTS, copy_artifact
from tests.e2e.desk_archive import FIGURE_TO, desk_archive

pytestmark = pytest.mark.timeout(240)
EVENTS = "[...document.querySelectorAll('#desk-events .hepza-event')].map(e => [e.dataset.kind, Number(e.dataset.id)])"


@pytest.fixture(scope="module")
def desk(tmp_path_factory) -> dict:
    return desk_archive(tmp_path_factory)


@pytest.fixture(scope="module")
def desk_server(desk):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with serving(desk["db"], log=ARTIFACTS / "serve-desk.log") as url:
        yield url


def test_the_desk_lists_every_kind_and_ranks_the_figure_edit_above_the_fix(browser, desk, desk_server):
    browser.goto(f"{desk_server}/")
    menu = browser.evaluate(
        "[...document.querySelectorAll('.nav-menu a')].map(a => [a.textContent.trim(), a.getAttribute('href')])"
    )
    assert ["Change desk", "/-/changes"] in menu and not any("recent_changes" in href for _, href in menu)
    browser.goto(f"{desk_server}/-/changes")
    shown = [tuple(e) for e in browser.evaluate(EVENTS)]
    for expected in [
        ("edit", desk["figure"]),
        ("edit", desk["typo"]),
        ("removal", desk["removed"]),
        ("attachment", desk["document"]),
        ("rename", desk["renamed"]),
        ("byline", desk["byline"]),
    ]:
        assert expected in shown, (expected, shown)
    assert browser.evaluate("document.querySelector('#desk-count').dataset.total") == str(len(shown))

    browser.click("#sort-significance")
    assert "sort=significance" in browser.url()
    ranked = [tuple(e) for e in browser.evaluate(EVENTS)]
    assert ranked.index(("edit", desk["figure"])) < ranked.index(("edit", desk["typo"]))
    scores = browser.evaluate(
        "[...document.querySelectorAll('.hepza-event')].map(e => Number(e.dataset.score))"
    )
    assert scores == sorted(scores, reverse=True)
    text = browser.evaluate("document.querySelector('#desk-events').innerText")
    assert f"{FIGURE_TO} triệu USD" in text and "document replaced" in text and "new address" in text
    # Each time reads in Vietnam time, the zone named; the stored ISO time stays in the element.
    times = browser.evaluate(
        "[...document.querySelectorAll('#desk-events time')].map(t => [t.getAttribute('datetime'), t.innerText])"
    )
    assert len(times) == len(ranked)
    for stored, shown_as in times:
        local = datetime.fromisoformat(stored).astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
        assert shown_as == f"{local:%d/%m/%Y %H:%M} (Vietnam time, UTC+7)", (stored, shown_as)
    # Styled by its own stylesheet (the pages' CSP allows styles from the server only).
    assert browser.evaluate("getComputedStyle(document.querySelector('.hepza-event')).display") == "grid"
    path = browser.screenshot(ARTIFACTS / "change-desk.png", full_page=True, max_height=1400)
    assert path.stat().st_size > 1000
    copy_artifact(path, "change-desk.png")

    # The figure edit's line opens its diff.
    browser.click(f'.hepza-event[data-id="{desk["figure"]}"] a.hepza-event-title')
    assert browser.url() == f"{desk_server}/-/article/{desk['figure']}/history#v2"


def test_the_form_filters_by_kind_and_keeps_the_sort(browser, desk, desk_server):
    browser.goto(f"{desk_server}/-/changes?sort=significance")
    browser.evaluate("document.querySelector('input[name=kind][value=removal]').click()")
    browser.evaluate("document.querySelector('input[name=kind][value=byline]').click()")
    browser.click('#desk-form input[type="submit"]')
    assert (
        "kind=removal" in browser.url()
        and "kind=byline" in browser.url()
        and "sort=significance" in browser.url()
    )
    assert [tuple(e) for e in browser.evaluate(EVENTS)] == [
        ("removal", desk["removed"]),
        ("byline", desk["byline"]),
    ]
    # The form shows what was chosen, and the feed link is the feed of this list.
    assert browser.evaluate("document.querySelector('input[name=kind][value=removal]').checked") is True
    feed = browser.evaluate(
        "document.querySelector('link[rel=alternate][type=\"application/atom+xml\"]').href"
    )
    assert urlsplit(feed).path == "/-/feed.atom"
    assert sorted(parse_qs(urlsplit(feed).query)["kind"][0].split(",")) == ["byline", "removal"]


def test_a_template_edit_is_one_line_naming_every_article_it_reached(tmp_path):
    from tests.browse.support import fetch
    from tests.unit.test_changefeed import _build

    _build(tmp_path / "a.db")  # (written in-process: a footer edit of three articles among other changes)
    with serving(tmp_path / "a.db", log=tmp_path / "serve.log") as url:
        answer = fetch(f"{url}/-/changes.json?category=thong-bao").json()
        page = fetch(f"{url}/-/changes?category=thong-bao").text
    (event,) = answer["events"]
    assert len(event["articles"]) == 3 and event["title"].startswith("The same edit in 3 articles")
    assert page.count('class="hepza-event"') == 1 and "template · 3 articles" in page
    for article_id in event["articles"]:
        assert f'href="/-/article/{article_id}/history">article {article_id}</a>' in page


def test_the_desk_reads_at_420_pixels_wide(desk, desk_server):
    from tests.browse.cdp import Chromium

    narrow = Chromium(width=420, height=900)
    try:
        narrow.goto(f"{desk_server}/-/changes?sort=significance")
        assert narrow.evaluate("document.documentElement.scrollWidth") <= 420  # nothing wider than the phone
        assert narrow.evaluate("document.querySelectorAll('.hepza-event').length") == 7
    finally:
        narrow.close()
