"""`hepza serve`'s charts page (/-/charts) and `hepza stats`' text chart, on the replica's archive: the
figures held to the archive's rows, the charts drawn in Chromium from this server alone (no request to
another origin, no eval), SVG/PNG saving, one article's timeline, and a folder of portals."""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from archive.datasette.charts import STATIC
from tests.browse.cdp import Chromium
from tests.browse.conftest import OTHER_PORTALS
from tests.browse.support import ARTIFACTS, copy_artifact, fetch, requests_since
from tests.hepza_cli import rows, run_hepza

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def _month(stamp: str) -> str:
    return datetime.fromisoformat(stamp).astimezone(HANOI).strftime("%Y-%m")


def _expected(db) -> dict[str, Counter]:
    """Each kind's count per Vietnam month, straight from the archive's rows."""
    published = Counter(
        _month(r["published_at"])
        for r in rows(db, "SELECT published_at FROM articles WHERE published_at IS NOT NULL")
    )
    edited = Counter(
        _month(r["captured_at"])
        for r in rows(db, "SELECT captured_at FROM article_versions WHERE change_kind = 'edit'")
    )
    removed = Counter(
        _month(r["removed_at"])
        for r in rows(db, "SELECT removed_at FROM articles WHERE removed_at IS NOT NULL")
    )
    return {"published": published, "edited": edited, "removed": removed}


def _counted(monthly: list[dict]) -> dict[str, Counter]:
    out: dict[str, Counter] = {"published": Counter(), "edited": Counter(), "removed": Counter()}
    for row in monthly:
        out[row["kind"]][row["month"]] += row["count"]
    return out


def test_the_figures_are_the_archives_rows_per_vietnam_month(server, built):
    figures = fetch(f"{server}/-/charts.json").json()
    assert _counted(figures["monthly"]) == _expected(built["db"])
    assert sum(_expected(built["db"])["edited"].values()) >= 1
    [top] = [row for row in figures["most_edited"] if row["id"] == built["edited_id"]]
    assert (top["title"], top["edits"]) == (built["new_title"], 1)
    # one category kept: its rows only, each as in the whole
    category = next(row["category"] for row in figures["monthly"] if row["kind"] == "published")
    kept = fetch(f"{server}/-/charts.json?category={category}").json()["monthly"]
    assert kept and {row["category"] for row in kept} == {category}
    assert all(row in figures["monthly"] for row in kept)


def test_an_articles_timeline_lists_its_versions_in_vietnam_time(server, built):
    figures = fetch(f"{server}/-/charts.json?article={built['edited_id']}").json()
    timeline = figures["article"]["timeline"]
    versions = rows(
        built["db"],
        "SELECT version, captured_at FROM article_versions WHERE article_id = ? ORDER BY version",
        [built["edited_id"]],
    )
    assert [(e["version"], e["kind"]) for e in timeline] == [(1, "first"), (2, "edit")]
    for event, version in zip(timeline, versions, strict=True):
        assert event["time"].endswith("+07:00")
        assert datetime.fromisoformat(event["time"]) == datetime.fromisoformat(version["captured_at"])
    assert fetch(f"{server}/-/charts.json?article=999999").status == 404


def test_only_the_listed_files_are_served_and_the_vendored_ones_are_npms_own(server):
    for line in (STATIC / "vendor" / "VERSIONS").read_text().splitlines():
        spec, name, digest = line.split()
        body = fetch(f"{server}/-/hepza/static/vendor/{name}").body
        assert hashlib.sha256(body).hexdigest() == digest, spec
    for path in ("../../metadata.yaml", "vendor/VERSIONS", "vendor/LICENSE.vega", "nothing.js"):
        assert fetch(f"{server}/-/hepza/static/{path}").status == 404, path


@pytest.fixture(scope="module")
def browser(browser):
    """The shared browser, recording its requests."""
    browser.call("Network.enable")
    return browser


def _drawn(browser: Chromium, url: str) -> dict:
    mark = len(browser.events)
    browser.goto(url)
    deadline = time.monotonic() + 20
    while browser.evaluate("document.getElementById('hepza-charts').dataset.ready") != "true":
        assert time.monotonic() < deadline, "the charts were not drawn in 20 s"
        time.sleep(0.1)
    page = browser.evaluate(
        """(() => ({
          error: document.getElementById('hepza-charts').dataset.error || null,
          charts: Array.from(document.querySelectorAll('.hepza-chart')).map(c => ({
            id: c.id, drawn: c.dataset.drawn === 'true', error: c.dataset.error || null,
            marks: c.querySelectorAll('svg.marks path, svg.marks rect, svg.marks circle').length,
            saves: Array.from(c.querySelectorAll('.vega-actions a')).map(a => a.textContent.trim()),
          })),
        }))()"""
    )
    page["requests"] = requests_since(browser, mark)
    return page


def test_the_charts_page_draws_every_chart_from_this_server_alone(server, built, browser):
    page = _drawn(browser, f"{server}/-/charts")
    assert page["error"] is None, page
    assert {c["id"] for c in page["charts"]} == {"chart-per-month", "chart-per-category", "chart-most-edited"}
    for chart in page["charts"]:
        assert chart["drawn"] and chart["error"] is None and chart["marks"] > 0, chart
        assert set(chart["saves"]) == {"Save as SVG", "Save as PNG"}, chart
    assert page["requests"] and all(url.startswith(server) for url in page["requests"]), page["requests"]
    # the charts' scripts ran without eval: the page's policy forbids it
    assert "'unsafe-eval'" not in fetch(f"{server}/-/charts").headers["content-security-policy"]
    shot = browser.screenshot(ARTIFACTS / "charts.png", full_page=False)
    copy_artifact(shot, "charts.png")


def test_an_articles_timeline_chart_is_drawn(server, built, browser):
    page = _drawn(browser, f"{server}/-/charts?article={built['edited_id']}")
    [timeline] = [c for c in page["charts"] if c["id"] == "chart-timeline"]
    assert timeline["drawn"] and timeline["marks"] >= 2, timeline


def test_the_charts_are_drawn_in_the_readers_language(server, browser):
    try:
        page = _drawn(browser, f"{server}/-/charts?lang=vi")
        assert page["error"] is None and all(c["drawn"] for c in page["charts"]), page
        legends = browser.evaluate(
            "Array.from(document.querySelectorAll('#chart-per-month svg text')).map(t => t.textContent)"
        )
        assert "đã đăng" in legends and "đã sửa" in legends and "published" not in legends, legends
        assert "Số bài đăng, sửa và gỡ theo tháng" in legends, legends
    finally:
        browser.goto(f"{server}/-/charts?lang=en")  # (the cookie back to English for the other tests)


def test_over_a_folder_of_portals_each_row_names_its_portal(portals_server, portals_folder):
    every = fetch(f"{portals_server}/-/charts.json").json()
    assert {row["portal"] for row in every["monthly"]} == {"hepza", *OTHER_PORTALS}
    for portal in ("hepza", *OTHER_PORTALS):
        own = fetch(f"{portals_server}/{portal}/-/charts.json").json()["monthly"]
        assert _counted(own) == _expected(portals_folder / f"{portal}.db")
        assert [row for row in every["monthly"] if row["portal"] == portal] == own
        assert fetch(f"{portals_server}/-/charts.json?portal={portal}").json()["monthly"] == own
    page = fetch(f"{portals_server}/-/charts").text
    assert 'name="portal"' in page and 'data-by-portal="true"' in page


def test_stats_prints_a_chart_per_month_of_the_same_figures(built):
    result = run_hepza("stats", "--db", str(built["db"]), "--json", "--months", "0")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["per_month"] == {"published": [], "edited": [], "removed": []}
    figures = json.loads(run_hepza("stats", "--db", str(built["db"]), "--json", "--months", "600").stdout)
    expected = _expected(built["db"])
    for kind, series in figures["per_month"].items():
        assert {p["month"]: p["count"] for p in series if p["count"]} == dict(expected[kind]), kind
    text = run_hepza("stats", "--db", str(built["db"]), "--months", "3").stdout
    published = text.split("published per month (Vietnam time):\n")[1].split("\n\n")[0].splitlines()
    last_three = [p for p in figures["per_month"]["published"]][-3:]
    assert [line.split()[:2] for line in published] == [[p["month"], str(p["count"])] for p in last_three]
