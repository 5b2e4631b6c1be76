"""Removals over HTTP: confirmed by the very next run whatever its mode, never from a portal answering 404 to
everything, and an event in the history, the stats and the feed."""

from __future__ import annotations

import json
from datetime import datetime
from xml.etree import ElementTree as ET
from zoneinfo import ZoneInfo

import pytest

from archive.browse import serving
from replica import Site, serve
from replica.chrome import LIGHT
from replica.faults import Faults, mass_404
from tests.browse.support import fetch
from tests.e2e.conftest import crawl, rows, run_hepza
from tests.e2e.test_crawl_replica import archived_by_asset

# Nothing is due by age in these runs (checked minutes ago, re-checked monthly): only what the lists, the
# sitemap and the pending removals bring is fetched.
ATOM = "{http://www.w3.org/2005/Atom}"
MONTHLY = {"HEPZA_RECHECK_SCHEDULE": "*:30d"}


@pytest.fixture(params=["default", "seed-7-light"])
def variant_server(request):
    site = Site() if request.param == "default" else Site(seed=7, chrome=LIGHT)
    with serve(site) as running:
        yield site, running


def _article(db, asset_id: str) -> dict:
    return rows(db, "SELECT * FROM articles WHERE asset_id = ?", [asset_id])[0]


def _stats(db) -> dict:
    return json.loads(run_hepza("stats", "--db", str(db), "--json").stdout)


def test_a_removal_is_confirmed_by_the_very_next_incremental_run(variant_server, tmp_path):
    site, server = variant_server
    db = tmp_path / "x.db"
    assert crawl(server.url, db)["returncode"] == 0
    removed = site.gold()[3]["asset_id"]
    site.remove(removed)
    first = crawl(server.url, db, "--full")
    assert first["missing_pending"] == 1 and first["pending_removals"] == 1 and first["removed"] == 0, first
    assert _stats(db)["pending_removals"] == 1
    pending_id = _article(db, removed)["id"]
    with serving(db, log=tmp_path / "serve-pending.log") as url:
        page = fetch(f"{url}/-/article/{pending_id}/history").text
    assert 'id="pending-removal"' in page and 'id="removed"' not in page
    # The next run is incremental and the article is not due for a month: it is re-checked all the same.
    confirm = crawl(server.url, db, env=MONTHLY)
    assert confirm["returncode"] == 0 and confirm["removed"] == 1 and confirm["pending_removals"] == 0, (
        confirm
    )
    row = _article(db, removed)
    assert row["removed_at"] == row["missing_since"] and row["missing_run_id"] == confirm["run_id"]
    assert _stats(db)["pending_removals"] == 0 and _stats(db)["removed"] == 1
    history = run_hepza("history", str(row["id"]), "--db", str(db)).stdout
    assert (
        f"removed from the portal at {row['removed_at']} (first 404, confirmed by run {confirm['run_id']}"
        in history
    )
    with serving(db, log=tmp_path / "serve.log") as url:  # the feed and the history page: an event
        entries = ET.fromstring(fetch(f"{url}/-/feed.atom").body).findall(f"{ATOM}entry")
        page = fetch(f"{url}/-/article/{row['id']}/history").text
    # (the page reads in Vietnam time, in English by default: 18:11 UTC is 01:11 the next day there)
    shown = datetime.fromisoformat(row["removed_at"]).astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    assert 'id="removed"' in page
    assert f"first answered 404 at {shown:%d/%m/%Y %H:%M} (Vietnam time, UTC+7)" in page
    assert f"confirmed by run {confirm['run_id']} of " in page
    removal = next(e for e in entries if e.findtext(f"{ATOM}title").startswith("Gỡ bỏ: "))
    assert removal.findtext(f"{ATOM}title") == f"Gỡ bỏ: {row['title']}"
    assert removal.findtext(f"{ATOM}updated") == row["removed_at"]
    assert f"confirmed by run {confirm['run_id']}" in removal.findtext(f"{ATOM}content")
    # A removed article is not asked for again by incremental runs while nothing names it.
    again = crawl(server.url, db, env=MONTHLY)
    assert again["removed"] == again["missing_pending"] == 0 and again["returncode"] == 0, again


def test_a_pending_removal_that_answers_again_is_cleared_by_the_next_run(site, server, tmp_path):
    db = tmp_path / "x.db"
    crawl(server.url, db)
    gone = site.gold()[5]["asset_id"]
    site.remove(gone)
    assert crawl(server.url, db, "--full")["missing_pending"] == 1
    site.restore(gone)
    back = crawl(server.url, db, env=MONTHLY)
    assert back["returncode"] == 0 and back["removed"] == 0 and back["pending_removals"] == 0, back
    assert _article(db, gone)["missing_since"] is None


def test_a_portal_answering_404_to_every_article_removes_nothing(site, server, tmp_path):
    db = tmp_path / "x.db"
    crawl(server.url, db)
    known = len(site.gold())
    every_run = {"HEPZA_RECHECK_SCHEDULE": "*:0"}  # incremental runs that re-check every article
    server.faults = Faults(mass_404())
    for _ in range(2):  # two incremental runs during the outage
        summary = crawl(server.url, db, env=every_run)
        assert summary["returncode"] == 3 and summary["removed"] == 0, summary
        assert any(a.startswith("removals: ") for a in summary["alarms"]), summary["alarms"]
    full = crawl(server.url, db, "--full")
    assert full["returncode"] == 3 and full["removed"] == 0 and full["pending_removals"] == known, full
    server.faults = None
    healed = crawl(server.url, db, env=MONTHLY)  # the pending ones are re-checked, and cleared
    assert healed["returncode"] == 0 and healed["removed"] == 0 and healed["pending_removals"] == 0, healed
    assert rows(db, "SELECT count(*) AS n FROM articles WHERE removed_at IS NOT NULL")[0]["n"] == 0


def test_removed_articles_met_again_in_lists_or_sitemaps_are_rechecked(site, server, tmp_path):
    # Removals confirmed from a failing portal (the floor set out of reach, as before it existed): once the
    # portal answers again, the lists and the sitemap still name them, and an incremental run takes them back.
    db = tmp_path / "x.db"
    crawl(server.url, db)
    no_floor = {"HEPZA_RECHECK_SCHEDULE": "*:0", "HEPZA_REMOVAL_FLOOR_MIN": "100000"}
    server.faults = Faults(mass_404())
    crawl(server.url, db, env=no_floor)
    assert crawl(server.url, db, env=no_floor)["removed"] == len(site.gold())
    server.faults = None
    back = crawl(server.url, db, env=MONTHLY)
    assert back["returned"] == len(site.gold()) and back["returncode"] == 0, back


def test_removal_min_age_defers_the_confirmation(site, server, tmp_path):
    db = tmp_path / "x.db"
    crawl(server.url, db)
    gone = site.gold()[2]["asset_id"]
    site.remove(gone)
    crawl(server.url, db, "--full")
    wait = crawl(server.url, db, env={**MONTHLY, "HEPZA_REMOVAL_MIN_AGE": "1d"})
    assert wait["removed"] == 0 and wait["pending_removals"] == 1 and wait["returncode"] == 0, wait
    assert crawl(server.url, db, env=MONTHLY)["removed"] == 1


def test_incremental_runs_confirm_removals_and_find_new_articles_on_every_portal(portal_run):
    # The incremental path on every route form: a pending removal re-checked at its stored URL (a 6.2
    # article's friendly route, a 7.3 one's /web/<group>/-/), new articles found on the lists' first
    # pages, and the paging stopped where the pages bring only known articles.
    site, server, db = portal_run.site, portal_run.server, portal_run.db
    removed = site.gold()[3]["asset_id"]
    site.remove(removed)
    first = crawl(server.url, db, "--full")
    assert first["missing_pending"] == 1 and first["removed"] == 0, first
    fresh = site.add_new(1)
    confirm = crawl(server.url, db, env=MONTHLY)
    assert confirm["returncode"] == 0, confirm
    assert (confirm["removed"], confirm["new"], confirm["changed"]) == (1, 1, 0), confirm
    archived = archived_by_asset(db, site)  # (by asset id, or by route where a page prints none)
    row = archived[removed]
    assert row["removed_at"] == row["missing_since"] and row["missing_run_id"] == confirm["run_id"]
    assert archived[fresh[0]]["removed_at"] is None
    # Far fewer requests than the first crawl's: the lists' first pages, the sitemap, the one removal.
    assert confirm["requests"] < portal_run.first_crawl["requests"] / 2, confirm
