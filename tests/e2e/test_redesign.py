"""A redesign is survived: the crawl learns the new theme from the articles it holds, writes no version
from the change of markup, and an edit by the agency after it is still a version with the right fields."""

from __future__ import annotations

import json

import pytest

from tests.e2e.conftest import crawl, rows, run_hepza

# A theme the replica does not ship and the learner was not written against: new classes, the date line
# moved below the body and printed in words, the byline apart from the body in a wrapper of its own.
VARIANT = """<main class="trang-chi-tiet"><div class="khung">
<header class="dau-bai"><h2 class="ten-bai">{{ title }}</h2></header>
<div class="bai-noi-dung">
{{ body_blocks }}
</div>
<div class="tac-gia-bai">{{ byline }}</div>
<div class="thoi-gian">Cập nhật lúc {{ date_long }}</div>
<p class="luot-xem">{{ views_label }}: {{ views }}</p>
<ul class="tin-cung-muc">{{ related }}</ul>
</div></main>
"""

# A fresh theme, written from OTHER-PORTALS.md before reading how the learner would take it: the date
# line inside the byline block in hochiminhcity's form (``HH:mm | dd/MM/yyyy``), the title a bare <h1>,
# and the body a plain <div> whose classes a CSS-in-JS build generated.
FRESH = """<div class="sc-gKsewC">
<h1>{{ title }}</h1>
<div class="sc-fzXfNl dMbTpw"><div class="tac-gia">{{ byline }}</div> <span>{{ date_pipe }}</span></div>
<div class="sc-kEjbxe jNvWpQ">
{{ body_blocks }}
</div>
<ul class="sc-bdVaJa">{{ related }}</ul>
</div>
"""
THEMES = {"redesigned": None, "variant": VARIANT, "fresh": FRESH}
# The layer that reads HEPZA's pages in each theme after the redesign: a rule learned from the archive, or
# the portal layer itself, when it reads the theme's bare <h1>, date line and text block (a template, in
# its terms) exactly as archived on enough known articles (docs/redesigns.md, "The layout signature").
# (The portal layer reads a byline block and a date line printed after the body: VARIANT too.)
READ_BY = {"redesigned": "learned", "variant": "portal", "fresh": "portal"}


def theme_params(portals: list[str]) -> list:
    """(portal, theme) pairs: every theme on every portal."""
    return [pytest.param(portal, theme) for portal in portals for theme in THEMES]


def _state(db) -> list[dict]:
    return rows(db, "SELECT asset_id, content_hash, version_count FROM articles ORDER BY asset_id")


@pytest.mark.parametrize(("portal", "theme"), theme_params(["hepza"]))
def test_a_redesign_is_learned_and_an_edit_after_it_is_one_version(site, server, tmp_path, portal, theme):
    db = tmp_path / "x.db"
    assert crawl(server.url, db)["returncode"] == 0
    before = _state(db)
    site.redesign(theme, THEMES[theme])

    summary = crawl(server.url, db, "--full")
    assert summary["returncode"] == 0 and summary["status"] == "ok", summary
    assert summary["new"] == summary["changed"] == 0 and summary["unchanged"] == len(before), summary
    assert _state(db) == before  # zero versions from the markup change
    learned = rows(db, "SELECT run_id, rule, checked_on, status FROM learned_layouts")
    if READ_BY[theme] == "portal":
        assert summary["learned_layouts"] == [] and learned == [], summary
    else:
        assert [entry["status"] for entry in summary["learned_layouts"]] == ["verified"], summary
        assert summary["learned_layouts"][0]["checked_on"] >= 5
        assert [(r["run_id"], r["status"]) for r in learned] == [(summary["run_id"], "verified")]
        rule = json.loads(learned[0]["rule"])
        assert len(json.loads(learned[0]["checked_on"])) >= 5
        # Role classes of the new theme, not the fragment UUIDs or the page's text.
        if theme == "variant":
            assert "ten-bai" in rule["title"] and "thoi-gian" in rule["published"], rule
            assert any("tac-gia-bai" in part for part in rule["body"]), rule

    # Reprocessing the captures in the new theme reads them with the learned layout: no version either.
    reprocessed = run_hepza("reprocess", "--db", str(db))
    assert reprocessed.returncode == 0 and " 0 changed" in reprocessed.stdout, reprocessed.stdout
    assert _state(db) == before

    # A real edit after the redesign: one version, the right fields, read with the learned layout.
    edited = site.gold()[3]["asset_id"]
    site.edit(edited, add_paragraph="Ban Quản lý bổ sung thông tin về tiến độ dự án.")
    byline_edit = site.gold()[5]["asset_id"]
    site.edit(byline_edit, byline="Minh Thư")
    after = crawl(server.url, db, "--full")
    assert after["returncode"] == 0 and after["changed"] == 2 and after["new"] == 0, after
    assert after["learned_layouts"] == []  # the rule is the archive's now: nothing to learn again
    versions = rows(
        db,
        "SELECT a.asset_id, v.change_kind, v.changed_fields FROM article_versions v "
        "JOIN articles a ON a.id = v.article_id WHERE v.version > 1 ORDER BY a.asset_id",
    )
    assert {(v["asset_id"], v["change_kind"], v["changed_fields"]) for v in versions} == {
        (edited, "edit", json.dumps(["body_text"])),
        (byline_edit, "edit", json.dumps(["authors"])),
    }
    layers = rows(db, "SELECT layers FROM articles WHERE asset_id = ?", [edited])[0]["layers"]
    assert json.loads(layers)["body"] == READ_BY[theme]
    untouched = [r for r in _state(db) if r["asset_id"] not in (edited, byline_edit)]
    assert untouched == [r for r in before if r["asset_id"] not in (edited, byline_edit)]
