"""Reading changes in `hepza serve`: any two versions compared, inline or side by side, prev/next, a byline
edit shown old → new; and no page of an article makes the reader's browser ask the portal for anything:
images come from the archive or are a labelled placeholder, every answer says ``Referrer-Policy:
no-referrer``.

The archive is a replica crawled three times: once without images, then twice with ``download_images``
after edits of one illustrated article (its byline ``Nguyễn Văn Hòa`` → ``Nguyễn Văn Hoà``, a figure in its
body, then its title), so version 1 has no archived image and the later ones have.
"""

from __future__ import annotations

import html
import json
import re
import time
import urllib.parse
from pathlib import Path

import pytest

from archive.browse import serving
from replica import Site, serve
from tests.browse.support import ARTIFACTS, copy_artifact, fetch, requests_since
from tests.hepza_cli import built_once, crawl_argv, rows, run_hepza

OLD_BYLINE, NEW_BYLINE = "Nguyễn Văn Hòa", "Nguyễn Văn Hoà"
ADDED = "Kim ngạch xuất khẩu đạt 1.284,5 triệu USD, tăng 12,4% so với cùng kỳ."
CHANGED = "Kim ngạch xuất khẩu đạt 1.248,5 triệu USD, tăng 12,4% so với cùng kỳ."
TITLE_SUFFIX = " (cập nhật)"


def _crawl(url: str, db: Path, *extra: str, images: bool) -> None:
    env = {"HEPZA_DOWNLOAD_IMAGES": "1"} if images else None
    result = run_hepza(*crawl_argv(url, db, *extra, concurrency=16), env=env)
    assert result.returncode == 0, result.stderr[-2000:]


def _build(folder: Path) -> None:
    db = folder / "diffs.db"
    site = Site()
    target = next(a for a in site.live() if any("<img" in b.html for b in a.blocks))
    site.edit(target.asset_id, byline=OLD_BYLINE, add_paragraph=ADDED)
    with serve(site) as replica:
        _crawl(replica.url, db, images=False)
        site.edit(target.asset_id, byline=NEW_BYLINE, replace=("1.284,5", "1.248,5"))
        _crawl(replica.url, db, "--full", images=True)
        site.edit(target.asset_id, title=target.title + TITLE_SUFFIX)
        _crawl(replica.url, db, "--full", images=True)
    [row] = rows(db, "SELECT id, asset_id, url FROM articles WHERE asset_id = ?", [target.asset_id])
    (folder / "facts.json").write_text(json.dumps(dict(row)), encoding="utf-8")


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> dict:
    folder = built_once(tmp_path_factory, "diff-pages", _build)
    facts = json.loads((folder / "facts.json").read_text(encoding="utf-8"))
    return {"db": folder / "diffs.db", **facts}


@pytest.fixture(scope="module")
def site(archive) -> str:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with serving(archive["db"], log=ARTIFACTS / "serve-diffs.log") as url:
        yield url


def _pages(archive: dict) -> list[str]:
    aid, ref = archive["id"], archive["asset_id"]
    return [
        f"/-/article/{aid}",
        f"/-/article/{aid}/history",
        f"/-/article/{aid}/history?view=side",
        f"/-/article/{aid}/compare?from=1&to=2",
        f"/-/article/{aid}/compare?from=1&to=3&view=side",
        f"/-/version/{ref}/1",
        f"/-/version/{ref}/2",
        f"/-/version/{ref}/3",
    ]


def _loaded(page: str) -> list[str]:
    """The URLs a page makes the browser load by itself: sources, stylesheets, and those of its frames."""
    found = re.findall(r'\bsrc="([^"]*)"', page) + re.findall(r'<link\b[^>]*\bhref="([^"]*)"', page)
    for document in re.findall(r'\bsrcdoc="([^"]*)"', page):
        found += _loaded(html.unescape(document))
    return found


# --- over HTTP -----------------------------------------------------------------------------------------


def test_the_archive_holds_three_versions_and_the_article_s_images(archive):
    versions = rows(
        archive["db"], "SELECT version FROM article_versions WHERE article_id = ?", [archive["id"]]
    )
    assert [v["version"] for v in versions] == [1, 2, 3]
    images = rows(
        archive["db"],
        "SELECT id FROM attachment_files WHERE article_id = ? AND content_type LIKE 'image/%'",
        [archive["id"]],
    )
    assert images


def test_a_byline_edit_is_shown_whole_old_to_new_and_the_figure_word_by_word(site, archive):
    page = fetch(f"{site}/-/article/{archive['id']}/compare?from=1&to=2").text
    byline = page.split("authors", 1)[1].split("</div>", 1)[0]
    assert f"<del>{OLD_BYLINE}</del>" in byline and f"<ins>{NEW_BYLINE}</ins>" in byline
    assert "→" in byline and '["' not in byline  # the names, not their JSON
    assert 'class="hepza-note" title="The same letters and marks' in page  # hòa / hoà: said, explained
    assert "<del>1.284,5</del><ins>1.248,5</ins>" in page  # the figure whole, its marks kept


def test_the_history_query_shows_the_byline_old_to_new_not_its_json(site, archive):
    [v2] = [
        row
        for row in fetch(f"{site}/hepza/article_history.json?article={archive['id']}&_shape=array").json()
        if row["version"] == 2
    ]
    assert v2["authors_diff_html"] == f"<del>{OLD_BYLINE}</del> → <ins>{NEW_BYLINE}</ins>"
    page = fetch(f"{site}/hepza/article_history?article={archive['id']}").text
    assert f"<del>{OLD_BYLINE}</del> → <ins>{NEW_BYLINE}</ins>" in page


def test_side_by_side_puts_the_old_paragraph_beside_the_new_and_folds_the_rest(site, archive):
    page = fetch(f"{site}/-/article/{archive['id']}/compare?from=1&to=2&view=side").text
    table = page.split('class="hepza-side"', 1)[1].split("</table>", 1)[0]
    [changed] = re.findall(r'<tr class="hepza-changed">(.*?)</tr>', table, re.S)
    old, new = re.findall(r"<td[^>]*>(.*?)</td>", changed, re.S)
    assert "<del>1.284,5</del>" in old and "<ins>" not in old
    assert "<ins>1.248,5</ins>" in new and "<del>" not in new
    assert "unchanged paragraph" in table  # the article's other paragraphs, folded
    history = fetch(f"{site}/-/article/{archive['id']}/history?view=side").text
    assert history.count('class="hepza-side"') == 2  # the title's change and the body's, side by side
    assert 'href="?"' in history  # and the toggle back to inline
    whole = fetch(f"{site}/-/article/{archive['id']}/compare?from=1&to=2&view=side&context=all").text
    assert "unchanged paragraph" not in whole.split('class="hepza-side"', 1)[1].split("</table>", 1)[0]


def test_compare_steps_through_versions_and_offers_earliest_against_latest(site, archive):
    aid = archive["id"]
    base = f"/-/article/{aid}/compare"
    middle = fetch(f"{site}{base}?from=2&to=3&view=side").text
    assert f'href="{base}?from=1&amp;to=2&amp;view=side" rel="prev"' in middle
    assert 'rel="next"' not in middle  # 3 is the latest
    assert f'href="{base}?from=1&amp;to=3&amp;view=side">earliest against latest' in middle
    assert f'href="{base}?from=2&amp;to=3"' in middle  # the toggle back to inline
    first = fetch(f"{site}{base}?from=1&to=2").text
    assert f'href="{base}?from=2&amp;to=3" rel="next"' in first and 'rel="prev"' not in first
    assert '<select name="from">' in first and '<option value="3"' in first
    # the default is the latest change; a version the article does not have is a 404, said plainly
    assert "Version 2 → 3" in fetch(f"{site}{base}").text
    missing = fetch(f"{site}{base}?from=1&to=9")
    assert missing.status == 404 and "has no version" in missing.text
    # the history's own compare form now leads here
    assert "Version 1 → 3" in fetch(f"{site}/-/article/{aid}/history?from=1&to=3").text


def test_version_pages_link_to_the_versions_around_them(site, archive):
    ref, aid = archive["asset_id"], archive["id"]
    page = fetch(f"{site}/-/version/{ref}/2").text
    assert f'href="/-/version/{ref}/1" rel="prev"' in page and f'href="/-/version/{ref}/3" rel="next"' in page
    assert f'href="/-/article/{aid}/compare?from=1&amp;to=2"' in page
    assert 'rel="prev"' not in fetch(f"{site}/-/version/{ref}/1").text


def test_pages_name_no_portal_url_as_a_source_and_say_no_referrer(site, archive):
    origin = "{0.scheme}://{0.netloc}".format(urllib.parse.urlsplit(archive["url"]))
    for path in _pages(archive):
        response = fetch(site + path)
        assert response.status == 200, path
        assert response.headers["referrer-policy"] == "no-referrer", path
        csp = response.headers["content-security-policy"]
        assert "img-src 'self' data:" in csp, (path, csp)
        # what the browser loads on its own: no source names the portal (a link a reader clicks may, and
        # it sends no referrer)
        assert [u for u in _loaded(response.text) if u.startswith(origin)] == [], path
        for anchor in re.findall(r"<a\b[^>]*>", response.text):
            if origin in anchor:
                assert "noreferrer" in anchor, (path, anchor)
    for other in ("/-/hepza.css", "/hepza/articles", "/hepza/articles.json", "/-/feed.atom", "/nowhere"):
        assert fetch(site + other).headers["referrer-policy"] == "no-referrer", other  # datasette's own too


def test_archived_images_are_served_by_the_archive_and_missing_ones_labelled(site, archive):
    article = fetch(f"{site}/-/article/{archive['id']}").text
    srcs = re.findall(r'<img[^>]*src="([^"]*)"', article)
    assert srcs and all(s.startswith(f"/-/article/{archive['id']}/file/") for s in srcs)
    image = fetch(site + srcs[0])
    assert image.status == 200 and image.headers["content-type"].startswith("image/")
    assert image.headers["content-security-policy"].startswith("sandbox")
    first = fetch(f"{site}/-/version/{archive['asset_id']}/1").text
    assert "Ảnh không được lưu trữ / image not archived" in first


def test_the_pages_work_under_a_portal_s_name_serving_a_folder(archive, tmp_path):
    import shutil
    import sqlite3

    folder = tmp_path / "archives"
    folder.mkdir()
    for name in ("hepza", "second"):
        source, copy = sqlite3.connect(archive["db"]), sqlite3.connect(folder / f"{name}.db")
        source.backup(copy)
        source.close()
        copy.close()
        shutil.copytree(f"{archive['db']}.files", folder / f"{name}.db.files")
    aid = archive["id"]
    with serving(archives=folder, log=ARTIFACTS / "serve-diffs-portals.log") as url:
        base = f"/second/-/article/{aid}"
        page = fetch(f"{url}{base}/compare?from=2&to=3&view=side")
        assert page.status == 200 and page.headers["referrer-policy"] == "no-referrer"
        assert f'href="{base}/compare?from=1&amp;to=2&amp;view=side" rel="prev"' in page.text
        assert f'action="{base}/compare"' in page.text
        history = fetch(f"{url}{base}/history").text
        assert f'action="{base}/compare"' in history
        article = fetch(f"{url}{base}").text
        srcs = re.findall(r'<img[^>]*src="([^"]*)"', article)
        assert srcs and all(s.startswith(f"{base}/file/") for s in srcs)
        assert fetch(url + srcs[0]).headers["content-type"].startswith("image/")
        version = fetch(f"{url}/second/-/version/{archive['asset_id']}/2").text
        assert f'href="/second/-/version/{archive["asset_id"]}/3" rel="next"' in version
        assert f'href="{base}/compare?from=1&amp;to=2"' in version


# --- in Chromium: every request the pages make -----------------------------------------------------------


@pytest.fixture(scope="module")
def browser(browser):
    browser.call("Network.enable")
    return browser


def test_no_article_page_asks_the_portal_for_anything(browser, site, archive):
    portal = urllib.parse.urlsplit(archive["url"])
    served = urllib.parse.urlsplit(site)
    # and datasette's own page of the row, its body rendered (images as placeholders there)
    for path in [*_pages(archive), f"/hepza/articles/{archive['id']}"]:
        mark = len(browser.events)
        browser.goto(site + path)
        time.sleep(0.3)  # images (archived or not) are asked for by now
        requested = requests_since(browser, mark)
        assert requested, path
        outside = [
            u
            for u in requested
            if not u.startswith(("data:", "about:")) and urllib.parse.urlsplit(u).hostname != "127.0.0.1"
        ]
        assert outside == [], (path, outside)
        to_portal = [u for u in requested if urllib.parse.urlsplit(u).netloc == portal.netloc]
        assert to_portal == [] and portal.netloc != served.netloc, (path, to_portal)
    # the archived images are drawn, the missing ones are a placeholder
    browser.goto(f"{site}/-/article/{archive['id']}")
    drawn = browser.evaluate(
        "[...document.querySelectorAll('.hepza-body img, .hepza-images img')].map(i => i.naturalWidth)"
    )
    assert drawn and all(w > 0 for w in drawn), drawn


def test_screenshots_of_the_two_views(browser, site, archive):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for view, name in (("side", "diff-side-by-side.png"), ("inline", "diff-inline.png")):
        browser.goto(f"{site}/-/article/{archive['id']}/compare?from=1&to=2&view={view}")
        changes = browser.evaluate("document.querySelectorAll('.hepza-change').length")
        assert changes >= 2
        path = browser.screenshot(ARTIFACTS / name, full_page=True, max_height=1600)
        assert path.stat().st_size > 1000
        copy_artifact(path, name)
