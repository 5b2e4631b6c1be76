"""`hepza crawl --all` over several replica portals at once: one Scrapy process, one archive each, one
portal's failure or lock never stopping the others, each portal's politeness measured on its server, and
a fixed pool of archive writer processes however many portals."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path

from archive.lock import RunLock
from replica import Site, e2e_portal_names, serve
from replica.faults import EVERYTHING, Faults, Rule
from scraper.archive_writer import WRITER_PROCESSES
from tests.e2e.conftest import ROOT, rows, run_hepza
from tests.e2e.logged_portal import logged_portal
from tests.e2e.test_crawl_replica import archived_by_asset, assert_matches_gold
from tests.hepza_cli import popen_hepza
from tests.reliability.test_crash import writer_pids

# Each healthy portal's delay (its profile's): all different, so a portal crawled at another's pace shows in
# its own server's log.
DELAYS = {"hepza": 0.1, "liferay73": 0.15, "liferay62": 0.2}
# The retries and back-off of a portal that answers 503 to everything: a short failure, for a fast test.
FAST_FAILURE = {"HEPZA_RETRIES": "0", "HEPZA_BACKOFF_BASE": "0.01", "HEPZA_BACKOFF_MAX": "0.05"}


def _profile(folder: Path, name: str, origin: str, **keys: object) -> None:
    lines = [f'origin = "{origin}"'] + [f"{k} = {json.dumps(v)}" for k, v in keys.items()]
    (folder / f"{name}.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _most_at_once(spans: list[tuple[float, float | None]]) -> int:
    """Most spans (requests in flight, connections open) at one instant; an unclosed one never ends."""
    events = sorted([(start, 1) for start, _ in spans] + [(end, -1) for _, end in spans if end is not None])
    most = now = 0
    for _, step in events:  # (an end sorts before a start of the same instant: -1 < 1)
        now += step
        most = max(most, now)
    return most


def test_crawl_all_archives_the_healthy_portals_politely_past_a_failing_and_a_locked_one(tmp_path):
    portals, archives = tmp_path / "portals", tmp_path / "archives"
    portals.mkdir()
    archives.mkdir()
    with ExitStack() as stack:
        down = stack.enter_context(serve(Site()))
        down.faults = Faults(Rule("status", match=EVERYTHING, status=503))
        busy = stack.enter_context(serve(Site()))
        off = stack.enter_context(serve(Site()))
        _profile(portals, "down", down.url, delay=0)
        _profile(portals, "busy", busy.url, delay=0)
        _profile(portals, "off", off.url, enabled=False)  # (--all leaves it; --portal off would take it)
        with ExitStack() as healthy:
            servers = {name: healthy.enter_context(logged_portal(name)) for name in DELAYS}
            for name, server in servers.items():
                _profile(portals, name, server.url, delay=DELAYS[name], concurrency=1)
            with RunLock(str(archives / "busy.db")):  # another run holds it
                result = run_hepza(
                    "crawl", "--all", "--portals", str(portals), "--archives", str(archives), env=FAST_FAILURE
                )
        # (the healthy portals' servers have stopped: their request logs are in)

        # The worst of 0, 0, 0 (healthy), 3 (the 503 portal found no article: the coverage alarm) and 75.
        assert result.returncode == 3, result.stderr
        lines = result.stdout.splitlines()
        assert [line.split(":", 1)[0] for line in lines] == ["busy", "down", *sorted(DELAYS)], lines
        assert lines[0].startswith("busy: locked: another run"), lines[0]
        assert lines[1].startswith("down: run 1 alarm: "), lines[1]
        assert "down: ALARM coverage" in result.stderr
        assert busy.request_count == 0 and off.request_count == 0
        assert rows(archives / "down.db", "SELECT status FROM crawl_runs") == [{"status": "alarm"}]
        assert not (archives / "busy.db").exists() and not (archives / "off.db").exists()
        for name, server in servers.items():
            assert f"{name}: run 1 ok: " in result.stdout
            _assert_archived_every_article(archives / f"{name}.db", Site(portal=name))
            _assert_polite(name, server.log, DELAYS[name])
            assert _most_at_once(server.connections) == 1, f"{name}: two connections open at once"

        # The lock released, the locked portal alone by name (one JSON object a line, with its name).
        again = run_hepza(
            "crawl", "--portal", "busy", "--portals", str(portals), "--archives", str(archives), "--json"
        )
        assert again.returncode == 0, again.stderr
        [record] = [json.loads(line) for line in again.stdout.splitlines()]
        assert (record["portal"], record["status"], record["new"]) == ("busy", "ok", len(busy.site.gold()))


def _assert_archived_every_article(db: Path, site: Site) -> None:
    """Every gold article of the portal (a fresh Site of it is the same as its server's), right."""
    gold = {g["asset_id"]: g for g in site.gold()}
    archived = archived_by_asset(db, site)
    assert set(archived) == set(gold), db
    for asset_id, g in gold.items():
        assert_matches_gold(archived[asset_id], g)
    assert rows(db, "SELECT status, exit_code FROM crawl_runs") == [{"status": "ok", "exit_code": 0}]


def _assert_polite(name: str, log: list[tuple[float, float, str]], delay: float) -> None:
    """One request at a time on the portal's server, and its starts ``delay`` apart.

    Scrapy spaces the requests it sends; the server takes a start when the request's headers are read. One
    held up on its way (the crawl's one reactor parsing another portal's page, a loaded machine) lets the
    next arrive early by as much, so the median gap must be at least the delay, nine gaps in ten at least
    0.9 of it and every gap a quarter of it. (Scrapy's default jitter of ±50% puts a tenth below 0.6.)
    """
    most = _most_at_once([(start, end) for start, end, _ in log])
    assert most == 1, f"{name}: {most} requests in flight at once"
    starts = sorted(start for start, _, _ in log)
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    tenth = statistics.quantiles(gaps, n=10)[0]
    assert min(gaps) >= delay / 4 and tenth >= 0.9 * delay, f"{name}: gaps {min(gaps):.3f}s, {tenth:.3f}s"
    assert statistics.median(gaps) >= delay, name


# Two crawls in one process, the first unable to start (a pipeline that cannot be loaded).
_START_FAILURE = """
import json, sys
from archive.config import crawl_overrides, resolve
from scraper.run import run_crawls

many = [crawl_overrides(resolve({"site_url": sys.argv[1], "db": db, "delay": 0}, env={})) for db in sys.argv[2:]]
many[0]["ITEM_PIPELINES"] = {"tests.no_such_module.Pipeline": 800}
print(json.dumps(run_crawls(many)))
"""


def test_a_crawler_that_fails_to_start_is_its_portals_failure_alone(server, tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", _START_FAILURE, server.url, str(tmp_path / "a.db"), str(tmp_path / "b.db")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env={k: v for k, v in os.environ.items() if not k.startswith("HEPZA_")},
    )
    failed, crawled = json.loads(result.stdout)
    assert (failed["status"], failed["exit_code"]) == ("internal-error", 70), failed
    assert failed["alarms"] == ["ModuleNotFoundError: No module named 'tests.no_such_module'"]
    assert (crawled["status"], crawled["new"]) == ("ok", len(server.site.gold())), crawled
    assert result.stderr == ""  # (no unhandled error in a Deferred, no traceback)


def test_many_portals_share_a_fixed_pool_of_writers_and_each_archive_holds_only_its_own(tmp_path):
    portals, archives = tmp_path / "portals", tmp_path / "archives"
    portals.mkdir()
    # Five portals, two of them the same replica twice: only the server (its port) tells their pages apart.
    names = [*e2e_portal_names(), *e2e_portal_names()][:5]
    with ExitStack() as stack:
        servers = {f"p{i}": stack.enter_context(serve(Site(portal=name))) for i, name in enumerate(names)}
        for name, server in servers.items():
            _profile(portals, name, server.url, delay=0)
        crawl = popen_hepza("crawl", "--all", "--portals", str(portals), "--archives", str(archives))
        seen: set[int] = set()
        most = 0
        while crawl.poll() is None:
            writers = writer_pids(crawl.pid)
            seen.update(writers)
            most = max(most, len(writers))
            time.sleep(0.05)
        out, err = crawl.communicate()
    assert crawl.returncode == 0, err
    assert len(seen) == most == WRITER_PROCESSES, (seen, most)
    for name, server in servers.items():
        assert f"{name}: run 1 ok: " in out
        db = archives / f"{name}.db"
        _assert_archived_every_article(db, server.site)
        captured = [r["url"] for r in rows(db, "SELECT url FROM captures")]
        assert captured and all(url.startswith(server.url + "/") for url in captured), name
