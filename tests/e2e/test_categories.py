"""Categories over HTTP: every article gets every category it is filed under, whatever reached it first.

Two crawl orders of the same site: sitemap first (the list pages answer only after a pause, so every
article is fetched from the sitemap before any list is read) and lists first (the sitemap answers late).
Both on the replica as it is (7.4 breadcrumb naming the main category only) and on a variant built
differently (6.2 ``ul.breadcrumbs`` and an asset-categories summary naming every category).
"""

from __future__ import annotations

import json

import pytest

from replica.faults import LISTS, Faults, Rule
from tests.e2e.conftest import crawl, rows

# Requests held back so that one discovery path runs well before the other (the timeout is 30 s).
_LATE = 3.0
ORDERS = {
    "sitemap-first": Rule("stall", match=LISTS, seconds=_LATE),
    "lists-first": Rule("stall", match=r"^/sitemap\.xml", seconds=_LATE),
}


def categories_by_asset(db) -> dict[str, tuple[str, list[str]]]:
    return {
        r["asset_id"]: (r["category"], json.loads(r["categories"]))
        for r in rows(db, "SELECT asset_id, category, categories FROM articles")
    }


def gold_categories(site) -> dict[str, tuple[str, list[str]]]:
    return {g["asset_id"]: (g["category"], g["categories"]) for g in site.gold()}


@pytest.mark.parametrize("breadcrumbs", ["7.4", "6.2"])
def test_every_article_gets_its_categories_in_either_crawl_order(site, server, tmp_path, breadcrumbs):
    site.print_breadcrumbs(breadcrumbs)
    gold = gold_categories(site)
    assert sum(len(cats) > 1 for _, cats in gold.values()) >= 5  # articles in two lists are tested
    archives = {}
    for order, rule in ORDERS.items():
        server.faults = Faults(rule)
        db = tmp_path / f"{order}.db"
        summary = crawl(server.url, db)
        assert summary["returncode"] == 0, (order, summary)
        assert server.faults.applied["stall"] > 0, order
        archives[order] = categories_by_asset(db)
        assert archives[order] == gold, order
        # Where an article is filed is not its content: one version each, no edit.
        assert rows(db, "SELECT count(*) AS n FROM article_versions")[0]["n"] == len(gold)
    assert archives["sitemap-first"] == archives["lists-first"]


def test_a_category_learned_later_makes_no_version(site, server, tmp_path):
    db = tmp_path / "x.db"
    assert crawl(server.url, db)["returncode"] == 0
    asset_id = next(a for a, (_, cats) in gold_categories(site).items() if len(cats) == 1)
    main = site.gold_for(asset_id)["category"]
    other = next(k for k in ("thong-bao", "dau-tu") if k != main)
    site.file_in(asset_id, other)

    summary = crawl(server.url, db, "--full")
    assert summary["returncode"] == 0, summary
    assert summary["changed"] == 0, summary
    assert categories_by_asset(db)[asset_id] == (main, sorted({main, other}))
    assert rows(db, "SELECT count(*) AS n FROM article_versions")[0]["n"] == len(site.gold())
    raw = rows(db, "SELECT category_raw FROM articles WHERE asset_id = ?", [asset_id])[0]["category_raw"]
    assert [item["text"] for item in json.loads(raw)][0] == "Trang chủ"  # the breadcrumb as printed
