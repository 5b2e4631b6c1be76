"""Browsing the archive in a real browser: Debian's Chromium, headless, driven over the DevTools protocol.

The archive comes from the replica (one crawl, one edit, a second --full crawl; see conftest.py); `hepza
serve` runs as a subprocess on a random loopback port. Screenshots land in test-artifacts/browse/
(HEPZA_UPDATE_DOC_IMAGES=1 also copies the best ones to docs/img/). Chromium missing is a failure, not a skip.
"""

from __future__ import annotations

import json

import pytest

from archive.datasette import DATABASE
from tests.browse.cdp import Chromium
from tests.browse.support import ADDED_PARAGRAPH, ARTIFACTS, copy_artifact, count_in_the_text

# Everything a hostile row could have run sets one of these; nothing must.
PWNED_CHECK = """(async () => {
  await new Promise(r => setTimeout(r, 300));   // give onerror / onload handlers time to fire
  const bad = [];
  for (const e of document.querySelectorAll('*')) {
    for (const a of e.attributes) {
      const v = (a.value || '').trim().toLowerCase();
      if (a.name.startsWith('on')) bad.push(e.tagName + ' ' + a.name);
      if (['href', 'src', 'action', 'data', 'formaction'].includes(a.name) &&
          (v.startsWith('javascript:') || v.startsWith('data:'))) bad.push(e.tagName + ' ' + a.name + '=' + v);
    }
  }
  for (const e of document.querySelectorAll('iframe, object, embed')) bad.push(e.tagName);
  return {pwned: window.__hepzaPwned === undefined ? null : String(window.__hepzaPwned),
          title: document.title, bad: bad};
})()"""


def shot(browser: Chromium, name: str, *, doc: bool = False, full_page: bool = True) -> None:
    path = browser.screenshot(ARTIFACTS / name, full_page=full_page, max_height=2200)
    assert path.stat().st_size > 1000
    if doc:
        copy_artifact(path, name)


def texts(browser: Chromium, selector: str) -> list[str]:
    return browser.evaluate(f"[...document.querySelectorAll({json.dumps(selector)})].map(e => e.textContent)")


def test_search_without_diacritics_finds_the_article_as_written(browser, server, built):
    browser.goto(f"{server}/{DATABASE}/articles")
    assert "articles" in browser.evaluate("document.title")
    browser.type_and_submit("input#_search", "xay dung dang")
    assert "_search=xay" in browser.url()
    titles = texts(browser, "td.col-title")
    assert built["new_title"] in titles, titles
    assert all(t.strip() for t in titles)
    assert any("Đảng" in t for t in titles)
    assert browser.evaluate("document.querySelector('input#_search').value") == "xay dung dang"
    shot(browser, "search.png", doc=True)

    browser.goto(f"{server}/{DATABASE}/articles")
    browser.type_and_submit("input#_search", "xây dựng Đảng")
    assert sorted(texts(browser, "td.col-title")) == sorted(titles)
    assert browser.evaluate("document.querySelector('input#_search').value") == "xây dựng Đảng"


def test_search_page_tells_dang_from_dang_marks_the_words_and_finds_past_versions(browser, server, built):
    count = "Number(document.querySelector('#search-count').dataset.total)"
    browser.goto(f"{server}/-/search")
    browser.type_and_submit("input#q", "Đảng")
    exact = browser.evaluate(count)
    assert exact == count_in_the_text(built["db"], "Đảng", exact=True) > 0
    marks = texts(browser, ".hepza-hit mark")
    assert marks and {m.casefold() for m in marks} == {"đảng"}
    background = browser.evaluate(
        "getComputedStyle(document.querySelector('.hepza-snippet mark')).backgroundColor"
    )
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    shot(browser, "search-page.png", doc=True)

    browser.goto(f"{server}/-/search")
    browser.type_and_submit("input#q", "dang")
    assert browser.evaluate(count) == count_in_the_text(built["db"], "dang", exact=False) > exact

    browser.goto(f"{server}/-/search")
    browser.type_and_submit("input#q", '"')
    assert "holds no word to search for" in browser.evaluate(
        "document.querySelector('#search-error').textContent"
    )

    browser.goto(f"{server}/-/search")
    browser.evaluate("document.querySelector('input#past').checked = true")
    browser.type_and_submit("input#q", f'"{built["old_title"]}"')
    assert "past=1" in browser.url()
    past = browser.evaluate(
        f"document.querySelector('.hepza-hit[data-id=\"{built['edited_id']}\"] .hepza-past').textContent"
    )
    assert "no longer in the current text" in past


def test_open_an_article_and_read_its_body(browser, server, built):
    browser.goto(f"{server}/{DATABASE}/articles?_search=xay+dung+dang")
    browser.click(f'td.col-title a[href="/-/article/{built["edited_id"]}"]')
    assert browser.url() == f"{server}/-/article/{built['edited_id']}"
    assert browser.evaluate("document.querySelector('h1').textContent") == built["new_title"]
    body = browser.evaluate("document.querySelector('.hepza-body').innerText")
    assert ADDED_PARAGRAPH in body and len(body) > 300
    paragraphs = browser.evaluate("document.querySelectorAll('.hepza-body p').length")
    assert paragraphs >= 3
    versions = texts(browser, "table.hepza-versions tbody tr td:nth-child(3)")
    assert versions == ["edit", "first"]
    shot(browser, "article.png", doc=True)


def test_history_shows_the_change_highlighted(browser, server, built):
    browser.goto(f"{server}/-/article/{built['edited_id']}")
    browser.click("p.hepza-links a[href$='/history']")
    assert browser.url().endswith(f"/-/article/{built['edited_id']}/history")
    deleted, inserted = texts(browser, ".hepza-diff del"), texts(browser, ".hepza-diff ins")
    assert "tổng" in deleted and "sơ" in inserted
    assert any(ADDED_PARAGRAPH in t for t in inserted)
    # Highlighted, not just marked up: added words have a background, removed ones are struck out.
    style = browser.evaluate(
        "(() => { const i = getComputedStyle(document.querySelector('.hepza-diff ins'));"
        " const d = getComputedStyle(document.querySelector('.hepza-diff del'));"
        " return [i.backgroundColor, d.textDecorationLine]; })()"
    )
    assert style[0] not in ("rgba(0, 0, 0, 0)", "transparent") and "line-through" in style[1]
    shot(browser, "history.png", doc=True)


def test_follow_the_feed(browser, server, built):
    browser.goto(f"{server}/-/article/{built['edited_id']}")
    feed_url = browser.evaluate(
        "document.querySelector('link[rel=alternate][type=\"application/atom+xml\"]').href"
    )
    assert feed_url == f"{server}/-/feed.atom"
    entries = browser.evaluate(
        "const FEED = "
        + json.dumps(feed_url)
        + ";"
        + """(async () => {
      const text = await (await fetch(FEED)).text();
      const xml = new DOMParser().parseFromString(text, 'application/xml');
      if (xml.querySelector('parsererror')) return 'parse error';
      return [...xml.getElementsByTagName('entry')].map(e => ({
        id: e.getElementsByTagName('id')[0].textContent,
        title: e.getElementsByTagName('title')[0].textContent,
        updated: e.getElementsByTagName('updated')[0].textContent,
        link: [...e.getElementsByTagName('link')].find(l => l.getAttribute('rel') === 'alternate').getAttribute('href'),
      }));
    })()"""
    )
    assert isinstance(entries, list) and len(entries) > 1, entries
    edit = next(e for e in entries if e["title"].endswith(built["new_title"]))
    browser.goto(feed_url)
    shot(browser, "feed.png", full_page=False)
    browser.goto(edit["link"])
    assert browser.url().startswith(f"{server}/-/article/{built['edited_id']}/history")
    assert "sơ" in texts(browser, ".hepza-diff ins")


@pytest.mark.parametrize("which", ["server", "hostile_server"])
def test_hostile_body_runs_nothing(browser, request, built, which):
    base = request.getfixturevalue(which)
    pages = [
        f"{base}/-/article/{built['hostile_id']}",
        f"{base}/{DATABASE}/articles/{built['hostile_id']}",
        f"{base}/{DATABASE}/articles?_all_columns=1&_search=hoa+binh",
        f"{base}/-/article/{built['hostile_id']}/history",
    ]
    for url in pages:
        browser.goto(url)
        result = browser.evaluate(PWNED_CHECK)
        assert result["pwned"] is None, (url, result)
        assert "PWNED" not in result["title"], (url, result)
        assert result["bad"] == [], (url, result)
        assert browser.dialogs == []
        if "/-/article/" in url and not url.endswith("/history"):
            heading = browser.evaluate("document.querySelector('h1').textContent")
            assert '<img src=x onerror="window.__hepzaPwned' in heading  # shown as text, as written
            assert "Đoạn mở đầu của bài thử an toàn" in browser.evaluate(
                "document.querySelector('.hepza-body').innerText"
            )
            if which == "hostile_server":
                shot(browser, "hostile-body.png", full_page=False, doc=True)


def test_hostile_markup_crawled_from_the_site_runs_nothing(browser, crawled_hostile):
    """crawl → archive → serve: what the portal's bodies carried is inert on every page that shows it."""
    base, article_id = crawled_hostile["url"], crawled_hostile["article_id"]
    for url in (
        f"{base}/-/article/{article_id}",
        f"{base}/{DATABASE}/articles/{article_id}",
        f"{base}/-/article/{article_id}/history",
        f"{base}/-/feed.atom",
    ):
        browser.goto(url)
        result = browser.evaluate(PWNED_CHECK)
        assert result["pwned"] is None, (url, result)
        assert "PWNED" not in result["title"], (url, result)
        assert result["bad"] == [], (url, result)
        assert browser.dialogs == []
    browser.goto(f"{base}/-/article/{article_id}")
    assert "Đoạn mở đầu của bài thử an toàn" in browser.evaluate(
        "document.querySelector('.hepza-body').innerText"
    )
