"""The redesign flow on every replica portal, through the archive writer: each article page fetched over
HTTP from the replica (as the spider fetches it) and handed to the writer as the crawler hands it.

(The crawl itself reaches the 7.3 and 6.2 portals' articles once their routes are article routes: the
spider's work, tested by the crawl suites. Here what is tested is what the writer makes of the pages.)
"""

from __future__ import annotations

import json
import urllib.request

import pytest

from archive.captures import Capture
from archive.protocol import ArticlePage, WriterConfig
from archive.writer import ArchiveWriter
from replica import Site, e2e_portal_names, serve
from tests.e2e.conftest import rows
from tests.e2e.test_redesign import THEMES, theme_params


def _run(server_url: str, db, urls: list[str]) -> dict:
    """One run of the writer over the pages at ``urls``: its summary."""
    writer = ArchiveWriter(WriterConfig(db_path=str(db), site_url=server_url, mode="full"))
    for url in urls:
        with urllib.request.urlopen(url, timeout=30) as response:
            body, final = response.read(), response.geturl()
        capture = Capture(url=final, status=200, body=body, fetched_at="2026-11-25T00:00:00+00:00")
        writer.handle(ArticlePage(capture, (url, final), None, {}, "utf-8"))
    return writer.finish(len(urls), 0, None)


def _state(db) -> list[dict]:
    return rows(db, "SELECT asset_id, content_hash, version_count FROM articles ORDER BY id")


@pytest.mark.parametrize(("portal", "theme"), theme_params(e2e_portal_names()))
def test_every_portal_survives_a_redesign_and_sees_the_edit_after_it(tmp_path, portal, theme):
    site = Site(portal=portal)
    db = tmp_path / "x.db"
    with serve(site) as server:
        urls = [server.url + g["url"] for g in site.gold()]
        first = _run(server.url, db, urls)
        assert first["new"] == len(urls) and first["exit_code"] == 0, first
        before = _state(db)
        site.redesign(theme, THEMES[theme])

        learned = _run(server.url, db, urls)
        assert learned["exit_code"] == 0 and learned["unchanged"] == len(urls), learned
        assert learned["changed"] == learned["new"] == 0
        assert _state(db) == before  # zero versions from the change of theme
        # Learned and verified, or (a redesign the portal layer still reads exactly: a theme that keeps
        # Liferay's own structures) nothing to learn; either way not one version from the markup.
        statuses = [e["status"] for e in learned["learned_layouts"]]
        assert statuses in ([], ["verified"]), learned["learned_layouts"]
        assert [r["status"] for r in rows(db, "SELECT status FROM learned_layouts")] == statuses

        gold = site.gold()[2]
        edited = rows(db, "SELECT id FROM articles WHERE url = ?", [server.url + gold["url"]])[0]["id"]
        site.edit(gold["asset_id"], add_paragraph="Đơn vị cập nhật thêm kết quả thực hiện trong quý.")
        after = _run(server.url, db, urls)
    assert after["exit_code"] == 0 and after["changed"] == 1 and after["unchanged"] == len(urls) - 1, after
    assert after["learned_layouts"] == []
    versions = rows(
        db,
        "SELECT article_id, change_kind, changed_fields FROM article_versions WHERE version > 1",
    )
    assert [(v["article_id"], v["change_kind"], json.loads(v["changed_fields"])) for v in versions] == [
        (edited, "edit", ["body_text"])
    ]


# A theme that no longer prints the date line: nothing can teach where it sits, so nothing is learned.
UNDATED = """<main class="bai"><h2 class="ten">{{ title }}</h2>
<div class="noi-dung">{{ body_blocks }}</div><div class="tac-gia">{{ byline }}</div></main>
"""


@pytest.mark.parametrize("portal", e2e_portal_names())
def test_a_theme_that_cannot_be_learned_writes_nothing_and_alarms(tmp_path, portal):
    site = Site(portal=portal)
    db = tmp_path / "x.db"
    with serve(site) as server:
        urls = [server.url + g["url"] for g in site.gold()]
        assert _run(server.url, db, urls)["exit_code"] == 0
        before = _state(db)
        site.redesign("undated", UNDATED)
        learned = _run(server.url, db, urls)
        again = _run(server.url, db, urls)
    assert _state(db) == before  # not one version from the theme
    assert learned["exit_code"] == 3 and learned["changed"] == 0, learned
    assert any("could not learn" in alarm for alarm in learned["alarms"]), learned["alarms"]
    statuses = {r["status"] for r in rows(db, "SELECT status FROM learned_layouts")}
    assert statuses == {"rejected"}
    assert again["changed"] == 0 and again["exit_code"] == 3, again
