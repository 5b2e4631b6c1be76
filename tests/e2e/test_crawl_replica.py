"""The whole path on the replica over HTTP: crawl, compare with gold, re-crawl, mutate, re-crawl."""

from __future__ import annotations

import json
from datetime import date

import pytest

from pipelines.urls import article_key
from replica import Site, serve
from replica.faults import Faults, Rule
from replica.model import MIGRATION_GAP_DAYS, period_end
from tests.e2e.conftest import crawl, rows, run_hepza

BOILERPLATE = ("Bài viết liên quan", "Lượt xem", "Chia sẻ", "Tiếp theo", "Liferay", "Related")


def archived_by_asset(db, site=None) -> dict[str, dict]:
    """Archived rows by asset id; with ``site``, by the replica's own asset id of the article each row
    holds (a 6.2 page prints its asset entry's id, which the archive keeps; ``Site.shown_asset_id``)."""
    archived = rows(db, "SELECT * FROM articles")
    by_id = {r["asset_id"]: r for r in archived}
    if site is None:
        return by_id
    gold_id = {site.shown_asset_id(a.asset_id): a.asset_id for a in site.articles}
    found = {gold_id.get(k, k): r for k, r in by_id.items() if k is not None}
    # A theme that prints no asset id (a 7.4 display page without a web-content wrapper): the archive
    # knows such an article by its route, so it is matched to the replica's by the key of its URL.
    by_key = {
        article_key("http://replica" + site.gold_for(a.asset_id)["url"]): a.asset_id for a in site.articles
    }
    for row in archived:
        if row["asset_id"] is None:
            found[by_key.get(row["url_key"], f"unmatched {row['url_key']}")] = row
    return found


def assert_matches_gold(article: dict, gold: dict) -> None:
    where = f"asset {gold['asset_id']} {gold['url']}"
    assert article["title"] == gold["title"], where
    assert article["published_at"] == gold["published_at"], where
    assert json.loads(article["authors"]) == gold["authors"], where
    assert article["source"] == gold["source"], where
    assert json.loads(article["photo_credits"]) == gold["photo_credits"], where
    assert article["lang"] == gold["lang"], where
    assert article["body_text"].startswith(gold["body_first"]), where
    assert article["body_text"].endswith(gold["body_last"]), where
    for phrase in BOILERPLATE:
        assert phrase not in article["body_text"], f"{where}: {phrase!r} in body"
    assert article["url"].endswith(gold["url"]), where
    assert (article["event_date"], article["event_precision"]) == (
        gold["event_date"],
        gold["event_precision"],
    ), where
    assert bool(article["published_is_migration"]) == gold["migrated"], where


def test_crawl_archives_every_article_once_with_its_gold_fields(portal_run):
    # On every replica portal (HEPZA's 7.4 display pages, a 7.3 portal whose canonical route is
    # /web/<group>/-/<slug>, a 6.2 one reached through portlet 101): every gold article once, under its
    # canonical route, keyed as every other route of it is.
    site, server, db = portal_run.site, portal_run.server, portal_run.db
    summary = portal_run.first_crawl
    assert summary["returncode"] == 0, summary
    gold = {g["asset_id"]: g for g in site.gold()}
    archived = archived_by_asset(db, site)
    assert set(archived) == set(gold)
    assert len(rows(db, "SELECT id FROM articles")) == len(gold)
    for asset_id, g in gold.items():
        assert_matches_gold(archived[asset_id], g)
        assert archived[asset_id]["url_key"] == article_key(server.url + g["url"])
    assert summary["new"] == len(gold)

    again = crawl(server.url, db, "--full")
    assert again["returncode"] == 0, again
    assert again["new"] == 0 and again["changed"] == 0
    assert rows(db, "SELECT count(*) AS n FROM article_versions")[0]["n"] == len(gold)


def test_mutations_make_exactly_the_expected_versions(portal_run):
    site, server, db = portal_run.site, portal_run.server, portal_run.db
    ids = [g["asset_id"] for g in site.gold()]
    edited_title, added_paragraph, new_byline, removed, renamed = ids[1], ids[2], ids[3], ids[4], ids[5]
    old_title = site.gold_for(edited_title)["title"]
    site.edit(edited_title, title=old_title + " (cập nhật)")
    site.edit(added_paragraph, add_paragraph="Ban Quản lý sẽ tiếp tục theo dõi và báo cáo kết quả.")
    before = site.gold_for(new_byline)
    site.edit(new_byline, byline="Hoàng Yến")
    # A byline that replaces a source line ("Theo …", a 6.2 portal's) changes the source as well.
    byline_fields = [
        f for f in ("authors", "source", "photo_credits") if site.gold_for(new_byline)[f] != before[f]
    ]
    site.remove(removed)
    site.rename(renamed, "Tên bài viết đã được đổi cho rõ nghĩa hơn")
    fresh = site.add_new(2)

    summary = crawl(server.url, db, "--full")
    assert summary["new"] == 2, summary
    archived = archived_by_asset(db, site)
    for asset_id in fresh:
        assert_matches_gold(archived[asset_id], site.gold_for(asset_id))

    def changes(asset_id):
        return [
            (v["version"], v["change_kind"], json.loads(v["changed_fields"]))
            for v in rows(
                db,
                "SELECT * FROM article_versions WHERE article_id = ? AND version > 1 ORDER BY version",
                [archived[asset_id]["id"]],
            )
        ]

    assert changes(edited_title) == [(2, "edit", ["title"])]
    assert changes(added_paragraph) == [(2, "edit", ["body_text"])]
    assert changes(new_byline) == [(2, "edit", byline_fields)]
    assert changes(renamed) == [(2, "edit", ["title"])]
    assert archived[renamed]["url"].endswith(site.gold_for(renamed)["url"])
    # The key follows the new slug, whatever the portal's route.
    assert archived[renamed]["url_key"] == article_key(server.url + site.gold_for(renamed)["url"])
    assert len(rows(db, "SELECT url FROM article_urls WHERE article_id = ?", [archived[renamed]["id"]])) >= 2
    assert archived[removed]["removed_at"] is None  # one 404 is not yet a removal
    total_versions = rows(db, "SELECT count(*) AS n FROM article_versions")[0]["n"]
    assert total_versions == len(ids) + 2 + 4

    confirm = crawl(server.url, db, "--full")
    assert confirm["removed"] == 1 and confirm["changed"] == 0, confirm
    archived = archived_by_asset(db, site)
    assert archived[removed]["removed_at"] is not None
    assert rows(db, "SELECT count(*) AS n FROM article_versions")[0]["n"] == total_versions

    site.restore(removed)
    back = crawl(server.url, db, "--full")
    assert back["returned"] == 1 and back["changed"] == 0, back
    assert archived_by_asset(db, site)[removed]["removed_at"] is None

    # Nothing changed since: a re-crawl that re-reads every page (no 304) writes no version.
    site.conditional_requests = False
    unchanged = crawl(server.url, db, "--full")
    assert unchanged["changed"] == 0 and unchanged["new"] == 0, unchanged
    assert rows(db, "SELECT count(*) AS n FROM article_versions")[0]["n"] == total_versions


@pytest.mark.parametrize("variant", [{}, {"articles": 300, "seed": 5}], ids=["corpus", "300 articles seed 5"])
def test_migration_batches_are_flagged_busy_days_are_not_and_every_change_is_logged(variant, tmp_path):
    # docs/record-conventions.md, rule 2: the corpus's two migration days are batches; a busy ordinary
    # day is not; removals change no flag; a flag that changes is in the run's log and count.
    site = Site(**variant)
    db = tmp_path / "x.db"

    def flags_match_gold():
        archived = archived_by_asset(db)
        wrong = {a: archived[a]["published_is_migration"] for a in archived if not site.article(a).removed}
        return {a: f for a, f in wrong.items() if bool(f) != site.gold_for(a)["migrated"]}

    def logged(run_id):
        return rows(
            db,
            "SELECT a.asset_id, c.published_is_migration AS flag, c.reasons FROM migration_flag_changes c "
            f"JOIN articles a ON a.id = c.article_id WHERE c.run_id = {int(run_id)} ORDER BY a.asset_id",
        )

    (fire,) = [a for a in site.articles if a.event_date == "2022-12-05" and a.in_batch]
    with serve(site) as server:
        first = crawl(server.url, db)
        assert first["returncode"] == 0 and not flags_match_gold(), first
        # every batch article whose own dates do not say migration was flagged by this run, and said so
        batch_only = sorted(a.asset_id for a in site.articles if a.in_batch and not _own_dates(a))
        assert fire.asset_id in batch_only
        assert [(r["asset_id"], r["flag"], r["reasons"]) for r in logged(first["run_id"])] == [
            (a, 1, "batch") for a in batch_only
        ]
        assert first["migration_flags"] == len(batch_only)

        # a busy ordinary day: six articles from 07:45 to 16:40
        busy = site.add_new(6)
        day = site.article(busy[0]).date_local
        for asset_id, (h, m) in zip(
            busy, [(7, 45), (9, 10), (10, 30), (13, 5), (15, 20), (16, 40)], strict=True
        ):
            site.edit(asset_id, date_line=day.replace(hour=h, minute=m))
        second = crawl(server.url, db)
        assert second["new"] == 6 and second["migration_flags"] == 0, second
        assert not any(archived_by_asset(db)[a]["published_is_migration"] for a in busy)

        # removing an unrelated article and two of the batch changes no flag
        others = [a for a in site.articles if a.in_batch and a is not fire][:2]
        for asset_id in [busy[0], *(a.asset_id for a in others)]:
            site.remove(asset_id)
        crawl(server.url, db, "--full")
        third = crawl(server.url, db, "--full")
        assert third["removed"] == 3 and third["migration_flags"] == 0, third
        assert archived_by_asset(db)[fire.asset_id]["published_is_migration"] == 1 and not flags_match_gold()

        # moved out of its batch, the article's flag goes, and the run says so
        site.edit(fire.asset_id, date_line=fire.date_local.replace(hour=15, minute=30))
        fourth = crawl(server.url, db)
        assert fourth["changed"] == 1 and fourth["migration_flags"] == 1, fourth
        assert [(r["asset_id"], r["flag"], r["reasons"]) for r in logged(fourth["run_id"])] == [
            (fire.asset_id, 0, "neither")
        ]
        assert not flags_match_gold()
        runs = rows(db, "SELECT id, migration_flags FROM crawl_runs ORDER BY id")
        assert [r["migration_flags"] for r in runs] == [len(batch_only), 0, 0, 0, 1]


def test_a_changed_batch_setting_reaches_the_archive_at_the_next_run_and_is_logged(site, server, tmp_path):
    # Nothing changed on the site, but a batch must now hold 9 articles: the 8 of 08/03/2023 are no
    # longer a batch, and the run clears (and logs) the flags that rested on that alone.
    db = tmp_path / "x.db"
    assert crawl(server.url, db)["returncode"] == 0
    march = [a for a in site.articles if a.date_local.date() == date(2023, 3, 8)]
    batch_only = sorted(a.asset_id for a in march if not _own_dates(a))
    assert len(march) == 8 and batch_only
    again = crawl(server.url, db, env={"HEPZA_MIGRATION_BATCH_MIN_ARTICLES": "9"})
    assert again["new"] == again["changed"] == 0 and again["migration_flags"] == len(batch_only), again
    cleared = rows(
        db,
        "SELECT a.asset_id, c.published_is_migration AS flag FROM migration_flag_changes c "
        f"JOIN articles a ON a.id = c.article_id WHERE c.run_id = {int(again['run_id'])} ORDER BY a.asset_id",
    )
    assert [(r["asset_id"], r["flag"]) for r in cleared] == [(a, 0) for a in batch_only]


def test_reprocess_applies_the_configured_batch_rule_and_logs_it(site, server, tmp_path):
    db = tmp_path / "x.db"
    assert crawl(server.url, db)["returncode"] == 0
    march = sorted(
        a.asset_id for a in site.articles if a.date_local.date() == date(2023, 3, 8) and not _own_dates(a)
    )
    config = tmp_path / "hepza.toml"
    config.write_text("migration_batch_min_articles = 9\n")
    done = run_hepza("reprocess", "--db", str(db), "--config", str(config))
    assert done.returncode == 0 and f"{len(march)} migration flags changed" in done.stdout, done.stderr
    (run,) = rows(db, "SELECT id, migration_flags FROM crawl_runs WHERE mode = 'reprocess'")
    assert run["migration_flags"] == len(march)
    logged = rows(
        db,
        "SELECT a.asset_id FROM migration_flag_changes c JOIN articles a ON a.id = c.article_id "
        f"WHERE c.run_id = {int(run['id'])} AND c.published_is_migration = 0 ORDER BY a.asset_id",
    )
    assert [r["asset_id"] for r in logged] == march


def _own_dates(a) -> bool:
    """Rule 1 on the replica's gold: the event's period ends more than 180 days before the portal day."""
    if a.event_date is None:
        return False
    end = period_end(date.fromisoformat(a.event_date), a.event_precision or "day")
    return (a.date_local.date() - end).days > MIGRATION_GAP_DAYS


def test_scrapy_crawl_from_the_project_root_is_the_same_crawl(site, server, tmp_path):
    import subprocess
    import sys

    from tests.e2e.conftest import ROOT

    db = tmp_path / "s.db"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "scrapy",
            "crawl",
            "hepza",
            "-s",
            f"HEPZA_SITE_URL={server.url}",
            "-s",
            f"HEPZA_DB={db}",
            "-s",
            "DOWNLOAD_DELAY=0",
            "-s",
            "AUTOTHROTTLE_ENABLED=0",
            "-s",
            "CONCURRENT_REQUESTS_PER_DOMAIN=16",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    archived = archived_by_asset(db)
    gold = {g["asset_id"]: g for g in site.gold()}
    assert set(archived) == set(gold)
    for asset_id, g in gold.items():
        assert_matches_gold(archived[asset_id], g)
    assert rows(db, "SELECT mode, status FROM crawl_runs") == [{"mode": "incremental", "status": "ok"}]


# A 6.2 portal's list pages (and their pager pages), not its query-form article links.
LIST_PAGES_62 = r"^/[a-z-]+(?:$|\?(?!.*_urlTitle=))"


def test_a_day_only_article_reached_before_its_list_keeps_the_lists_minute(tmp_path):
    # A 6.2 article page prints the day only; its list card prints the minute. A new article can be
    # reached first through another page's links (the related block of a known article re-checked while
    # the list answers slowly): its page must wait for the list, or the archive holds a midnight time
    # that the next run's list "edits" into the real one.
    site = Site(portal="liferay62", articles=24)
    db = tmp_path / "x.db"
    with serve(site) as server:
        assert crawl(server.url, db)["returncode"] == 0
        fresh = site.add_new(2)
        server.faults = Faults(Rule("stall", match=LIST_PAGES_62, seconds=2.0))
        second = crawl(server.url, db, "--full")
        assert second["returncode"] == 0 and second["new"] == 2, second
        assert server.faults.applied["stall"] > 0
        archived = archived_by_asset(db, site)
        for asset_id in fresh:
            gold = site.gold_for(asset_id)
            assert archived[asset_id]["published_at"] == gold["published_at"], gold["url"]
        server.faults = None
        third = crawl(server.url, db, "--full")
    assert third["returncode"] == 0 and third["changed"] == 0, third
