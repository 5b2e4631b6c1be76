"""The change desk end to end: the replica crawled three times over loopback with an edit of a figure, a
one-word fix, a byline change, a rename, a replaced document and a removal between the crawls
(tests/e2e/desk_archive.py); `hepza changes`, `hepza history` and `hepza serve`'s /-/changes (HTML, JSON,
CSV) and filtered Atom feed list each of them."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import unquote
from xml.etree import ElementTree as ET

import pytest

from archive.browse import serving
from tests.browse.support import fetch
from tests.e2e.desk_archive import FIGURE_FROM, FIGURE_TO, NEW_BYLINE, NEW_TITLE, desk_archive
from tests.hepza_cli import run_hepza

pytestmark = pytest.mark.timeout(240)
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def desk(tmp_path_factory) -> dict:
    return desk_archive(tmp_path_factory)


@pytest.fixture(scope="module")
def served(desk, tmp_path_factory):
    with serving(desk["db"], log=tmp_path_factory.mktemp("desk-serve") / "serve.log") as url:
        yield url


def _changes(desk, *args: str) -> list[dict]:
    result = run_hepza("changes", "--db", str(desk["db"]), "--json", "--limit", "0", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_every_change_between_the_crawls_is_one_event_of_its_kind(desk):
    events = _changes(desk)
    kinds = {(e["kind"], e["article_id"]) for e in events}
    assert {
        ("edit", desk["figure"]),
        ("edit", desk["typo"]),
        ("byline", desk["byline"]),
        ("rename", desk["renamed"]),
        ("attachment", desk["document"]),
        ("removal", desk["removed"]),
    } <= kinds
    # Each is there once; nothing else changed on the portal (the rename's new title is an edit too).
    assert len(events) == 7, [(e["kind"], e["article_id"], e["summary"]) for e in events]
    by = {(e["kind"], e["article_id"]): e for e in events}
    assert f"{FIGURE_FROM} triệu USD → {FIGURE_TO} triệu USD" in by[("edit", desk["figure"])]["summary"]
    assert f"{desk['misspelt']} → {desk['word']}" in by[("edit", desk["typo"])]["summary"]
    assert NEW_BYLINE in by[("byline", desk["byline"])]["summary"]
    # (summaries show addresses decoded; before and after keep them as stored)
    rename = by[("rename", desk["renamed"])]
    assert unquote(desk["old_url"]) in rename["summary"] and rename["before"] == desk["old_url"]
    assert unquote(desk["document_url"]) in by[("attachment", desk["document"])]["summary"]
    assert all(e["at"][-6] in "+-" for e in events)  # times with their offset


def test_the_figure_edit_ranks_above_the_one_word_fix(desk):
    ranked = [
        (e["kind"], e["article_id"]) for e in _changes(desk, "--sort", "significance", "--kind", "edit")
    ]
    assert ranked.index(("edit", desk["figure"])) < ranked.index(("edit", desk["typo"]))
    assert ranked[-1] == ("edit", desk["typo"])


def test_history_shows_the_rename_and_the_replaced_document(desk):
    renamed = run_hepza("history", str(desk["renamed"]), "--db", str(desk["db"])).stdout
    assert "other changes:" in renamed and "new address" in renamed and unquote(desk["old_url"]) in renamed
    replaced = run_hepza("history", str(desk["document"]), "--db", str(desk["db"])).stdout
    assert "document replaced" in replaced and unquote(desk["document_url"]) in replaced


def test_the_desk_json_csv_and_feed_answer_the_same_filtered_list(desk, served):
    answer = fetch(f"{served}/-/changes.json?sort=significance").json()
    assert answer["ok"] and answer["total"] == 7
    assert [e["article_id"] for e in answer["events"]] == [
        e["article_id"] for e in _changes(desk, "--sort", "significance")
    ]
    removal = fetch(f"{served}/-/changes.json?kind=removal").json()["events"]
    assert [(e["kind"], e["article_id"], e["page"]) for e in removal] == [
        ("removal", desk["removed"], f"/-/article/{desk['removed']}/history")
    ]
    table = list(csv.DictReader(io.StringIO(fetch(f"{served}/-/changes.csv?kind=byline").text)))
    assert [(r["kind"], int(r["article_id"])) for r in table] == [("byline", desk["byline"])]
    feed = ET.fromstring(fetch(f"{served}/-/feed.atom?kind=rename&kind=attachment").body)
    entries = feed.findall(f"{ATOM}entry")
    terms = sorted(c.get("term") for e in entries for c in e.findall(f"{ATOM}category") if c.get("scheme"))
    assert terms == ["attachment", "rename"]
    assert any(NEW_TITLE in (e.findtext(f"{ATOM}title") or "") for e in entries)
    bad = fetch(f"{served}/-/changes.json?kind=deleted")
    assert bad.status == 400 and "No kind of change" in bad.json()["error"]


def test_the_desk_page_links_each_event_to_its_diff(desk, served):
    response = fetch(f"{served}/-/changes?kind=edit&sort=significance")
    page = response.text
    assert f'href="/-/article/{desk["figure"]}/history#v2"' in page and 'id="desk-form"' in page
    assert "script-src 'none'" in response.headers["content-security-policy"]  # static HTML, as every page
    home = fetch(f"{served}/hepza").text
    assert 'href="/-/changes"' in home
