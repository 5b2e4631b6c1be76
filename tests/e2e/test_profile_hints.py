"""A theme the portal layer cannot read, crawled without a profile (the layout alarm, as ever) and with a
profile file's hints, crawled with `hepza crawl --portal` (selectors, a date format, list pages, an
article route): every article archived right, reached through the profile's list pages alone (the home
page shows no menu, the sitemap no article) and their links of a route only the profile names, and
reprocess and a re-crawl without a version."""

from __future__ import annotations

import json

from replica import Site, serve
from replica.faults import Faults, Rule
from tests.e2e.conftest import crawl, rows, run_hepza
from tests.e2e.test_crawl_replica import archived_by_asset, assert_matches_gold
from tests.hepza_cli import summary_of

# Classes no reader knows; the date line year first with slashes (no built-in form), inside a sentence;
# the byline printed apart after the related list, where detection never looks for one.
BLIND_THEME = """<div class="q-wrap"><div class="q-head"><div class="q-t">{{ title }}</div></div>
<div class="q-when">Đăng {{ date_ymd }}</div>
<div class="q-txt">
{{ body_blocks }}
</div>
<ul class="q-rel">{{ related }}</ul>
<div class="q-sig">{{ byline }}</div>
</div>
"""
HINTS = {
    "list_pages": [],  # every category's list (below)
    "article_routes": [r"^/tin-bai/.+\.html$"],
    "selectors": {"title": ".q-t", "date": ".q-when", "byline": ".q-sig", "body": ".q-txt"},
    "date_formats": ["%Y/%m/%d %H:%M"],
}
# Discovery finds nothing: a home page without menus or links, a sitemap without entries.
NO_DISCOVERY = (
    Rule(
        "page",
        match=r"^/$",
        body="<html><body><p>Cổng thông tin</p><script>Liferay.ThemeDisplay = {};</script></body></html>",
    ),
    Rule("page", match=r"^/sitemap", body='<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>'),
)


def _profile(folder, url: str, hints: dict) -> None:
    """The portal's profile file, as a user writes it: its origin and its hints (TOML written by hand)."""
    folder.mkdir(exist_ok=True)
    lines = [f"origin = {json.dumps(url)}", "[hints]"]
    lines += [
        f"{key} = {json.dumps(hints[key], ensure_ascii=False)}" for key in ("list_pages", "article_routes")
    ]
    lines += [f"date_formats = {json.dumps(hints['date_formats'])}", "[hints.selectors]"]
    lines += [f"{role} = {json.dumps(css)}" for role, css in hints["selectors"].items()]
    (folder / "blind.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _hinted_crawl(tmp_path, *, full: bool = False) -> dict:
    """`hepza crawl --portal blind`: the profile read from its file, its hints passed to the crawl."""
    result = run_hepza(
        "crawl", "--portal", "blind", "--portals", str(tmp_path / "portals"), "--archives", str(tmp_path / "a"),
        "--delay", "0", "--concurrency", "16", "--json", *(["--full"] if full else []),
    )  # fmt: skip
    return summary_of(result)


def test_a_theme_detection_cannot_read_is_archived_right_with_the_profile_hints(tmp_path):
    site = Site()
    site.redesign("blind", BLIND_THEME)
    site.list_route = "/tin-bai/{slug}.html"  # (the lists' links are of no Liferay route)
    gold = {g["asset_id"]: g for g in site.gold()}
    hints = dict(HINTS, list_pages=[f"/{key}" for key in site.categories])
    with serve(site) as server:
        plain = crawl(server.url, tmp_path / "plain.db")
        assert plain["returncode"] == 3 and plain["status"] == "alarm", plain
        assert any(a.startswith("layout:") for a in plain["alarms"]), plain["alarms"]

        server.faults = Faults(*NO_DISCOVERY)
        db = tmp_path / "a" / "blind.db"
        _profile(tmp_path / "portals", server.url, hints)
        summary = _hinted_crawl(tmp_path)
        assert summary["exit_code"] == 0 and summary["status"] == "ok", summary
        assert summary["new"] == len(gold), summary
        archived = archived_by_asset(db, site)
        assert set(archived) == set(gold)
        assert server.faults.applied["page"] >= 2  # (the lists were the only way to the articles)
        for asset_id, g in gold.items():
            assert_matches_gold(archived[asset_id], g)
            layers = json.loads(archived[asset_id]["layers"])
            assert {layers[f] for f in ("title", "published", "body")} == {"profile"}, layers
            assert layers["layout"].startswith("profile:"), layers
            # An article signed by nobody prints an empty byline element: that selector found nothing.
            signed = bool(site.article(asset_id).byline_html)
            assert layers.get("profile_missed") == (None if signed else "byline"), layers
        stored = rows(db, "SELECT hints FROM crawl_runs WHERE id = ?", [summary["run_id"]])[0]["hints"]
        assert json.loads(stored) == hints

        # Reprocess reads the captures with the hints the crawl kept: the same records.
        before = rows(db, "SELECT asset_id, content_hash, version_count FROM articles ORDER BY asset_id")
        reprocessed = run_hepza("reprocess", "--db", str(db))
        assert reprocessed.returncode == 0 and " 0 changed" in reprocessed.stdout, reprocessed.stdout
        # A full re-crawl with the same hints, every page served anew (no 304): read again exactly, no version.
        site.conditional_requests = False
        again = _hinted_crawl(tmp_path, full=True)
        assert again["exit_code"] == 0 and again["new"] == again["changed"] == 0, again
        assert again["unchanged"] == len(gold), again
        assert (
            rows(db, "SELECT asset_id, content_hash, version_count FROM articles ORDER BY asset_id") == before
        )
