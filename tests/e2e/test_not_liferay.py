"""A crawl pointed at a site of another platform (replica/foreign.py) says so in one line and exits 2,
archiving nothing (#21 point 6; the markers: pipelines/platform.py)."""

from __future__ import annotations

import json

import pytest

from replica import Site, foreign_names, serve
from replica.foreign import ForeignSite
from tests.hepza_cli import crawl_argv, rows, run_hepza

PLATFORM = {"aspnet": "ASP.NET WebForms", "wordpress": "WordPress"}


@pytest.mark.parametrize("name", foreign_names())
def test_a_site_of_another_platform_exits_2_in_one_line(name, tmp_path):
    db = tmp_path / "x.db"
    site = ForeignSite(name)
    with serve(site) as server:
        argv = [a for a in crawl_argv(server.url, db) if a != "--json"]
        result = run_hepza(*argv)
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"not a Liferay portal: {server.url} shows no Liferay marker")
    assert "Liferay.ThemeDisplay" in line and "p_p_id=" in line and PLATFORM[name] in line
    # Nothing but the home page, robots.txt and the sitemap were asked for: no article page was fetched.
    asked = set(server.requests_by_path)
    assert asked <= {"/", "/robots.txt", "/sitemap.xml", "/wp-sitemap.xml", "/wp-sitemap-posts-post-1.xml"}
    assert rows(db, "SELECT count(*) AS n FROM articles")[0]["n"] == 0
    assert rows(db, "SELECT count(*) AS n FROM article_versions")[0]["n"] == 0
    (run,) = rows(db, "SELECT status, exit_code, alarms FROM crawl_runs")
    assert run["status"] == "not-liferay" and run["exit_code"] == 2
    assert json.loads(run["alarms"]) == [line]


def test_a_first_crawl_on_a_new_machine_pointed_at_another_platform_is_still_one_line(tmp_path):
    # Regression: the first hepza run of a machine creates the ledger's signing key when it seals its run,
    # and said so on a second line, even for a site that archived nothing (seen when this file's tests ran
    # first in their pytest process). A not-Liferay run seals nothing and creates no key.
    config_home = tmp_path / "config"
    with serve(ForeignSite("wordpress")) as server:
        argv = [a for a in crawl_argv(server.url, tmp_path / "x.db") if a != "--json"]
        result = run_hepza(*argv, env={"XDG_CONFIG_HOME": str(config_home)})
    assert result.returncode == 2, result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith("not a Liferay portal: ")
    assert not (config_home / "hepza" / "signing.key").exists()


def test_a_not_liferay_run_after_sealed_runs_leaves_the_archive_verifiable(tmp_path):
    # The portal answered as another platform for one run (a hosting company's parking page, say): that
    # run is not sealed, and `hepza verify` does not take its missing checkpoint for a deleted one.
    db = tmp_path / "x.db"
    with serve(Site(articles=12, seed=3)) as server:
        first = run_hepza(*crawl_argv(server.url, db))
        assert first.returncode == 0, first.stderr
        port = server.server_address[1]
    # The same address now answers as another platform: the same archive, the same --site-url.
    with serve(ForeignSite("aspnet"), port=port) as server:
        result = run_hepza(*[a for a in crawl_argv(server.url, db) if a != "--json"])
    assert result.returncode == 2, result.stderr
    verified = run_hepza("verify", "--db", str(db))
    assert verified.returncode == 0, verified.stdout + verified.stderr


def test_a_liferay_62_portal_is_crawled_as_before(tmp_path):
    """6.2 prints other markers than 7.x (themeDisplay, /html/js/, portlet 101) and a pages-only sitemap."""
    db = tmp_path / "x.db"
    with serve(Site(portal="liferay62")) as server:
        result = run_hepza(*crawl_argv(server.url, db))
        asked = set(server.requests_by_path)
    assert "not a Liferay portal" not in result.stderr and result.returncode != 2, result.stderr
    cats = {c.path for c in Site(portal="liferay62").categories.values()}
    assert cats <= asked  # the lists were fetched: nothing was held back
    (run,) = rows(db, "SELECT status FROM crawl_runs")
    assert run["status"] != "not-liferay"
