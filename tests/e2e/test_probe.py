"""`hepza probe URL` on every replica portal served on 127.0.0.1, as a user runs it: the platform and
generation named, the article routes of the portal's gold, a draft profile that loads, robots.txt obeyed
and the requests bounded (counted on the server); on another platform, one line and exit 2; and the
draft, used unchanged by `hepza crawl --portal`, archives the portal as its gold says."""

from __future__ import annotations

import json
import socket

import pytest

from archive.probe_fetch import MAX_REQUESTS
from archive.probe_read import GEN_62, GEN_70_73, GEN_74, route_form
from archive.profiles import load_profile
from replica import Site, e2e_portal_names, portal_names, serve
from replica.faults import Faults, Rule
from replica.foreign import NAMES as FOREIGN
from replica.foreign import ForeignSite
from tests.e2e.conftest import rows, run_hepza
from tests.e2e.test_crawl_replica import archived_by_asset, assert_matches_gold
from tests.hepza_cli import summary_of

# What each replica portal is modelled on (replica/data/<name>.json "about"; HEPZA's is 7.4).
GENERATION = {
    "hepza": GEN_74,
    "liferay73": GEN_70_73,
    "liferay62": GEN_62,
    "liferay70": GEN_70_73,
    "liferay74b": GEN_74,
    "liferay72": GEN_70_73,
    "liferay71": GEN_70_73,
    "liferay62b": GEN_62,
    "liferay73b": GEN_70_73,
}


def probe(url: str, *extra: str) -> tuple[int, dict | None, str]:
    """`hepza probe URL --delay 0 --json …`: (exit code, the report, stderr)."""
    result = run_hepza("probe", url, "--delay", "0", "--json", *extra)
    out = result.stdout.strip().splitlines()
    report = json.loads(out[0]) if out and out[0].startswith("{") else None
    return result.returncode, report, result.stderr


@pytest.mark.parametrize("portal", portal_names())
def test_probe_names_the_platform_routes_and_writes_a_draft_that_loads(portal, tmp_path):
    site = Site(portal=portal)
    with serve(site) as server:
        code, report, stderr = probe(server.url, "--write", "--portals", str(tmp_path), "--name", portal)
        asked = server.request_count
    assert code == 0, stderr
    assert report["platform"] == "liferay"
    assert report["generation"] == GENERATION[portal], report["generation_evidence"]
    assert report["generation_evidence"]
    # Every route form the portal's gold articles live under was seen (the crawl's own route reading).
    gold_forms = {route_form(server.url + g["url"]) for g in site.gold()}
    assert gold_forms <= set(report["routes"]), (gold_forms, report["routes"])
    # At least two articles read by the portal layer, with their date line and its pattern.
    read = [a for a in report["articles"] if a.get("page_kind") == "article"]
    assert len(read) >= 2
    for article in read:
        assert article["title"]["layer"] == "portal" and article["title"]["where"]
        assert article["date"]["layer"] == "portal" and article["date"]["pattern"], article["date"]
        assert article["body"]["layer"] == "portal" and article["body"]["where"]
    assert any(entry["instances"] for entry in report["lists"])  # an Asset Publisher list was found
    sitemap = report["sitemap"]  # an index or a url set; "of pages only" when it names no article
    assert sitemap["kind"].partition(" ")[0] in ("index", "urlset"), sitemap
    assert sitemap["kind"].endswith(" of pages only") == (sitemap["article_urls"] == 0), sitemap
    assert (portal == "liferay62") <= (sitemap["article_urls"] == 0)  # 6.2's sitemap lists pages only
    # Polite: robots.txt first, at most MAX_REQUESTS requests, as the server counted them.
    assert report["fetched"][0]["url"].endswith("/robots.txt")
    assert asked == report["requests"] <= MAX_REQUESTS
    profile = load_profile(tmp_path / f"{portal}.toml")
    assert profile.origin == server.url and profile.name == portal
    assert profile.locales[0] == "vi" and profile.enabled
    assert any(note.startswith("probed ") for note in profile.seen) and profile.inferred
    # The generation is "seen" when the portal printed its build number, else "inferred" from its markup.
    told = [
        note
        for note in (*profile.seen, *profile.inferred)
        if note.startswith(f"Liferay {GENERATION[portal]}")
    ]
    assert len(told) == 1, (profile.seen, profile.inferred)
    assert (told[0] in profile.seen) == report["generation_evidence"][0].startswith("build number")
    assert profile.hints.as_setting()["list_pages"] == []  # menus and sitemaps lead to every list


@pytest.mark.parametrize("portal", FOREIGN)
def test_another_platform_is_one_line_and_exit_2_without_a_draft(portal, tmp_path):
    with serve(ForeignSite(portal)) as server:  # type: ignore[arg-type]
        result = run_hepza("probe", server.url, "--delay", "0", "--write", "--portals", str(tmp_path))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("hepza: not a Liferay portal: ") and result.stderr.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_robots_disallow_is_obeyed_and_a_draft_is_never_overwritten(tmp_path):
    robots = "User-agent: *\nDisallow: /w/\nDisallow: /tin-tuc-su-kien\n"
    with serve(Site()) as server:
        server.faults = Faults(
            Rule("content_type", match=r"^/robots\.txt$", body=robots, content_type="text/plain")
        )
        code, report, stderr = probe(server.url, "--write", "--portals", str(tmp_path), "--name", "x")
        asked = dict(server.requests_by_path)
        assert code == 0, stderr
        assert not [path for path in asked if path.startswith(("/w/", "/tin-tuc-su-kien"))], asked
        outcomes = {f["outcome"] for f in report["fetched"]}
        assert "refused by robots.txt" in outcomes
        # A second --write of the same name: one line, exit 2, before any request.
        before = server.request_count
        again = run_hepza(
            "probe", server.url, "--delay", "0", "--write", "--portals", str(tmp_path), "--name", "x"
        )
        assert again.returncode == 2 and again.stderr.count("\n") == 1 and "--force" in again.stderr
        assert server.request_count == before
        forced = run_hepza(
            "probe",
            server.url,
            "--delay",
            "0",
            "--write",
            "--force",
            "--portals",
            str(tmp_path),
            "--name",
            "x",
        )
        assert forced.returncode == 0, forced.stderr
    # The report for a person: what was found, one finding a line, and what robots.txt kept out.
    lines = forced.stdout.splitlines()
    assert lines[0].startswith(f"probe of {server.url}/: ") and "robots.txt obeyed (" in lines[0]
    assert lines[1].startswith("platform: Liferay 7.4 (build number b=7413")
    assert any(line.startswith("list: ") and "Asset Publisher" in line for line in lines)
    assert any(line.startswith("article routes: /w/<slug>") for line in lines)
    assert any(line.startswith(f"refused by robots.txt: {server.url}/w/") for line in lines)
    assert lines[-1] == f"draft profile written to {tmp_path / 'x.toml'}"
    profile = load_profile(tmp_path / "x.toml")
    assert profile.origin == server.url and any("robots.txt disallows" in note for note in profile.seen)


@pytest.mark.parametrize("portal", e2e_portal_names())
def test_the_draft_profile_crawls_every_article_right(portal, tmp_path):
    # The draft as written, crawled by `hepza crawl --portal NAME`. Its politeness (delay 1 s, one
    # connection) is for the real portal: on loopback, as in every end-to-end crawl, the options turn it off.
    site = Site(portal=portal)
    with serve(site) as server:
        code, _report, stderr = probe(server.url, "--write", "--portals", str(tmp_path / "portals"))
        assert code == 0, stderr
        (path,) = (tmp_path / "portals").iterdir()
        profile = load_profile(path)
        assert profile.hints.as_setting() == {
            "list_pages": [],
            "article_routes": [],
            "selectors": {},
            "date_formats": [],
        }
        values = profile.setting_values(tmp_path / "archives")
        summary = summary_of(
            run_hepza(
                "crawl",
                "--portal",
                profile.name,
                "--portals",
                str(tmp_path / "portals"),
                "--archives",
                str(tmp_path / "archives"),
                "--delay",
                "0",
                "--concurrency",
                "16",
                "--json",
            )  # fmt: skip
        )
        assert summary["portal"] == profile.name
    assert summary["returncode"] == 0, summary["stderr"][-2000:]
    gold = {g["asset_id"]: g for g in site.gold()}
    archived = archived_by_asset(values["db"], site)
    assert set(archived) == set(gold)
    assert len(rows(values["db"], "SELECT id FROM articles")) == len(gold)
    for asset_id, g in gold.items():
        assert_matches_gold(archived[asset_id], g)


def test_an_unreachable_a_failing_and_a_mistyped_site_are_one_line_each(tmp_path):
    with socket.socket() as closed:  # a port on 127.0.0.1 nothing listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    unreachable = run_hepza("probe", f"http://127.0.0.1:{port}", "--delay", "0")
    assert unreachable.returncode == 2 and unreachable.stdout == ""
    assert unreachable.stderr.startswith(f"Error: could not reach http://127.0.0.1:{port}/: ")
    assert unreachable.stderr.count("\n") == 1
    mistyped = run_hepza("probe", "hepza.hochiminhcity.gov.vn")
    assert mistyped.returncode == 2 and mistyped.stderr.count("\n") == 1 and "https://host" in mistyped.stderr
    with serve(Site()) as server:  # 503 to everything: the answers tell nothing, and no draft is written
        server.faults = Faults(Rule("status", status=503))
        failing = run_hepza("probe", server.url, "--delay", "0", "--write", "--portals", str(tmp_path))
    assert failing.returncode == 1
    assert failing.stdout.splitlines()[1].startswith("platform: unknown")
    assert failing.stderr.count("\n") == 1 and "no draft written" in failing.stderr
    assert list(tmp_path.iterdir()) == []
    with serve(Site()) as server:  # robots.txt keeps everything out: the home page is never asked for
        server.faults = Faults(
            Rule(
                "content_type",
                match=r"^/robots\.txt$",
                body="User-agent: *\nDisallow: /\n",
                content_type="text/plain",
            )
        )
        shut = run_hepza("probe", server.url, "--delay", "0")
        assert dict(server.requests_by_path) == {"/robots.txt": 1}
    assert shut.returncode == 2 and shut.stderr.count("\n") == 1 and "robots.txt disallows" in shut.stderr


def test_a_theme_the_portal_layer_cannot_read_is_a_warning_and_a_note(tmp_path):
    site = Site()
    site.redesign()  # a new theme without Liferay's article markup: the layout alarm's case
    with serve(site) as server:
        result = run_hepza(
            "probe", server.url, "--delay", "0", "--write", "--portals", str(tmp_path), "--name", "x"
        )
    assert result.returncode == 0, result.stderr
    assert any(
        line.startswith("warning: the portal layer did not read ") for line in result.stdout.splitlines()
    )
    assert any("[hints.selectors] are needed" in note for note in load_profile(tmp_path / "x.toml").inferred)
