"""Version permalinks of `hepza serve` (/-/version/<asset id>/<n>) in Chromium: the version's text as it
was, the capture replayed from the archive in a sandboxed frame, hashes, Vietnam time, a citation; every
request the page makes goes to `hepza serve` itself, none to the replica the archive was crawled from."""

from __future__ import annotations

import html
import re
import time
import urllib.parse

import pytest

from tests.browse.support import ARTIFACTS, fetch, requests_since
from tests.hepza_cli import rows


@pytest.fixture(scope="module")
def browser(browser):
    """The shared browser (tests/browse/conftest.py), recording its requests: none may reach the portal."""
    browser.call("Network.enable")
    return browser


def test_each_version_has_a_permalink_that_shows_it_as_it_was_from_the_archive_alone(built, server, browser):
    asset = built["asset_id"]
    (capture_url,) = {
        r["url"]
        for r in rows(
            built["db"], "SELECT url FROM captures WHERE article_id = ? LIMIT 1", [built["edited_id"]]
        )
    }
    replica_port = urllib.parse.urlsplit(capture_url).port
    versions = rows(
        built["db"],
        "SELECT * FROM article_versions WHERE article_id = ? ORDER BY version",
        [built["edited_id"]],
    )
    assert len(versions) == 2
    for version, title in zip(versions, (built["old_title"], built["new_title"]), strict=True):
        mark = len(browser.events)
        browser.goto(f"{server}/-/version/{asset}/{version['version']}")
        time.sleep(0.5)  # the frame's images (placeholders or archived files) are asked for by now
        page = browser.evaluate(
            """(() => {
              const frame = document.querySelector('iframe.hepza-replay');
              const inner = frame && frame.contentDocument ? frame.contentDocument.body.innerText : null;
              return {h1: document.querySelector('h1').innerText, text: document.body.innerText,
                      sandbox: frame ? frame.getAttribute('sandbox') : null, inner: inner};
            })()"""
        )
        assert page["h1"] == title
        assert version["content_hash"] in page["text"]
        assert (
            "+07:00" in page["text"]
            and "Cite this" in page["text"]
            and f"/-/version/{asset}/{version['version']}" in page["text"]
        )
        # the replay: sandboxed (no scripts, an opaque origin: the page cannot reach into it)
        assert page["sandbox"] == "" and page["inner"] is None
        requested = requests_since(browser, mark)
        assert requested and all(
            url.startswith(server) or url.startswith(("data:", "about:")) for url in requested
        ), requested
        assert not [url for url in requested if urllib.parse.urlsplit(url).port == replica_port]
    browser.screenshot(ARTIFACTS / "version-permalink.png", full_page=False)
    # the frame's document is the capture itself (sanitised): each version's own title, no script
    for version, title in zip(versions, (built["old_title"], built["new_title"]), strict=True):
        page = fetch(f"{server}/-/version/{asset}/{version['version']}").text
        (srcdoc,) = re.findall(r'srcdoc="([^"]*)"', page)
        replay = html.unescape(srcdoc)
        assert title in replay and "<script" not in replay.lower() and " href=" not in replay
        assert "image not archived" in replay or "/file/" in replay
    csp = fetch(f"{server}/-/version/{asset}/1").headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'none'" in csp
    assert fetch(f"{server}/-/version/{asset}/9").status == 404
    assert fetch(f"{server}/-/version/id-{built['edited_id']}/1").status == 200
