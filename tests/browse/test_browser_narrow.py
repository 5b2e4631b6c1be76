"""The archive on a phone (#24 point 5): at 420 px wide each row of the articles table is a card, and each
value sits under its own column's name (the cards read "title: 1", "category: vi" before: datasette labels
cells by their position among all the table's columns, the compact listing shows a few of them)."""

from __future__ import annotations

import pytest

from archive.datasette import DATABASE
from tests.browse.cdp import BrowserMissing, Chromium
from tests.browse.support import ARTIFACTS, copy_artifact

WIDTH = 420

# For every card: each cell's label (its ::before text) and the name of the column it is in.
# (The listing's own rows and cells: a body shown in a cell may hold tables of its own.)
CARDS = """(() => {
  const table = document.querySelector('table.rows-and-columns');
  const names = [...table.tHead.rows[0].cells]
      .map(th => th.getAttribute('data-column') || th.textContent.trim());
  return [...table.tBodies[0].rows].map(tr =>
    [...tr.cells].map((td, i) => ({
      label: getComputedStyle(td, '::before').content.replace(/^"|"$/g, ''),
      column: names[i],
      shown: td.getBoundingClientRect().width > 0,
    })));
})()"""


@pytest.fixture(scope="module")
def phone():
    try:
        chromium = Chromium(width=WIDTH, height=900)
    except BrowserMissing as exc:
        pytest.fail(str(exc))
    try:
        yield chromium
    finally:
        chromium.close()


@pytest.mark.parametrize(
    "path,shot",
    [
        (f"/{DATABASE}/articles", "articles-420px.png"),  # the compact listing
        (f"/{DATABASE}/articles?_all_columns=1", None),  # every column (datasette's own listing)
        (f"/{DATABASE}/articles?_search=xay+dung+dang", None),
        (f"/{DATABASE}/latest_articles", None),  # a canned query
    ],
)
def test_each_card_labels_each_value_with_its_own_column(phone, server, path, shot):
    phone.goto(server + path)
    assert phone.evaluate("window.innerWidth") == WIDTH
    cards = phone.evaluate(CARDS)
    assert cards and all(cards), path
    for card in cards:
        assert [c["label"] for c in card] == [c["column"] for c in card], card
        assert all(c["shown"] for c in card)
    # a card is as wide as the screen: nothing of it is off to the right
    overflow = phone.evaluate(
        "Math.max(...[...document.querySelector('table.rows-and-columns').tBodies[0].rows]"
        ".map(tr => tr.getBoundingClientRect().right))"
    )
    assert overflow <= WIDTH, overflow
    if shot:
        # the facets are one row to swipe, not screens of lists above the first card
        top = phone.evaluate("document.querySelector('table.rows-and-columns').getBoundingClientRect().top")
        assert top < 1200, top
        shot_path = phone.screenshot(ARTIFACTS / shot, full_page=True, max_height=1500)
        assert shot_path.stat().st_size > 1000
        copy_artifact(shot_path, shot)


def test_an_article_page_fits_a_phone_in_vietnamese(phone, server, built):
    phone.goto(f"{server}/-/article/{built['edited_id']}?lang=vi")
    assert "Lịch sử và thay đổi" in phone.evaluate("document.body.innerText")
    assert "giờ Việt Nam, UTC+7" in phone.evaluate("document.querySelector('.hepza-meta').innerText")
    width = phone.evaluate("document.querySelector('.hepza-body').getBoundingClientRect().right")
    assert width <= WIDTH, width
    phone.screenshot(ARTIFACTS / "article-420px-vi.png", full_page=False)
