"""Crashes and concurrency: kill -9 at random points, readers during a crawl, two cron runs at once."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from replica import Site, serve
from replica.faults import Faults, Rule
from tests.hepza_cli import ROOT, _environment, summary_of
from tests.reliability.conftest import assert_sound, crawl, crawl_argv, popen_hepza, rows, snapshot

TRIALS = 20
SMALL_SITE_ARTICLES = 24  # live articles in the kill -9 site: short runs, many trials


@pytest.fixture(scope="module")
def small_site():
    """The hand-written corpus cut to a couple dozen live articles (the rest answer 404 and are unlisted)."""
    site = Site()
    for article in site.live()[SMALL_SITE_ARTICLES:]:
        site.remove(article.asset_id)
    with serve(site) as server:
        yield site, server


# Killed runs are paced (one request at a time, 50 ms apart) so the article writes span seconds, not the
# few hundred milliseconds a full-speed crawl of this small site takes: the kills land among them.
PACED = ("--delay", "0.05", "--concurrency", "1")


def _articles_now(db: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:  # (not created yet, or its tables not yet)
        return 0


def _kill_trial(url: str, db: Path, delay: float, after_articles: int = 0) -> dict:
    """Crawl and kill -9: ``delay`` seconds after the process's start or, with ``after_articles``, that
    long after that many articles are on disk. Counting from the writes puts the kill among them however
    slow a loaded machine makes the start-up; counting from the start covers start-up and schema creation."""
    process = popen_hepza(*crawl_argv(url, db, *PACED))
    if after_articles:
        deadline = time.monotonic() + 60
        while process.poll() is None and _articles_now(db) < after_articles and time.monotonic() < deadline:
            time.sleep(0.01)
    time.sleep(delay)
    if process.poll() is None:
        process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)
    killed = process.returncode == -signal.SIGKILL
    state = {"killed": killed, "delay": delay, "after_articles": after_articles}
    if db.exists():
        conn = sqlite3.connect(db)
        try:
            state["integrity"] = conn.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            conn.close()
        assert_sound(db)  # no half-written version, hepza check passes
        state["articles_after_kill"] = len(snapshot(db)["articles"])
    resumed = crawl(url, db)
    state["resumed_exit"] = resumed["returncode"]
    assert_sound(db)
    state["snapshot"] = snapshot(db)
    state["aliases"] = aliases(db)
    return state


def aliases(db: Path) -> dict[str, str]:
    return {
        r["url"]: r["asset_id"]
        for r in rows(
            db, "SELECT u.url, a.asset_id FROM article_urls u JOIN articles a ON a.id = u.article_id"
        )
    }


def test_kill_9_at_random_points_leaves_a_valid_archive_that_the_next_run_completes(small_site, tmp_path):
    _, server = small_site
    reference_db = tmp_path / "reference.db"
    started = time.monotonic()
    # A plain process like the killed ones (not the test zygote's fork): the kill delays below are read
    # off its duration, interpreter start-up included.
    process = popen_hepza(*crawl_argv(server.url, reference_db, *PACED))
    out, err = process.communicate(timeout=120)
    duration = time.monotonic() - started
    reference = summary_of(subprocess.CompletedProcess(process.args, process.returncode, out, err))
    assert reference["returncode"] == 0, reference
    expected = snapshot(reference_db)
    expected_aliases = aliases(reference_db)
    assert len(expected["articles"]) == SMALL_SITE_ARTICLES

    rng = random.Random(20260210)
    # Every fourth trial is killed at a time from interpreter start-up to past the crawl's end (two trials
    # run at once, so each runs slower than the reference): start-up, schema creation, the first writes.
    # The others are killed once a random number of articles is on disk, then a random fraction of a
    # page's pace later: among the writes, however slow a loaded machine makes the start-up.
    from_start = [i % 4 == 0 for i in range(TRIALS)]
    after_articles = [0 if from_start[i] else rng.randint(1, SMALL_SITE_ARTICLES - 4) for i in range(TRIALS)]
    delays = [
        rng.uniform(0, 1.2 * duration) if from_start[i] else rng.uniform(0, 0.05) for i in range(TRIALS)
    ]
    with ThreadPoolExecutor(max_workers=2) as pool:
        states = list(
            pool.map(
                lambda i: _kill_trial(server.url, tmp_path / f"trial{i}.db", delays[i], after_articles[i]),
                range(TRIALS),
            )
        )
    for i, state in enumerate(states):
        where = f"trial {i} (kill {state['delay']:.2f}s after {state['after_articles']} articles)"
        assert state.get("integrity", "ok") == "ok", where
        assert state["resumed_exit"] == 0, where
        assert state["snapshot"] == expected, where
        # Aliases met in both runs name the same article (which aliases a run meets depends on order).
        common = state["aliases"].keys() & expected_aliases.keys()
        assert {u: state["aliases"][u] for u in common} == {u: expected_aliases[u] for u in common}, where
    # Kills counted from the writes land among them: those archives hold some articles, not all.
    among_writes = [s for s in states if s["after_articles"]]
    killed_mid_crawl = [
        s for s in among_writes if s["killed"] and 0 < s.get("articles_after_kill", 0) < SMALL_SITE_ARTICLES
    ]
    assert len(killed_mid_crawl) >= len(among_writes) - 2, [
        (s["killed"], s["after_articles"], s.get("articles_after_kill")) for s in among_writes
    ]


_CONSISTENCY = """
SELECT count(*) FROM articles a
WHERE a.version_count != (SELECT count(*) FROM article_versions v WHERE v.article_id = a.id)
   OR a.content_hash != (SELECT v.content_hash FROM article_versions v WHERE v.article_id = a.id
                         ORDER BY v.version DESC LIMIT 1)
"""
# What a datasette page of the archive runs: articles joined to their versions, one statement.
_JOINED = """
SELECT a.id, a.version_count, count(v.id) AS versions FROM articles a
JOIN article_versions v ON v.article_id = a.id GROUP BY a.id HAVING versions != a.version_count
"""


def _reader(db: Path, stop: threading.Event, out: dict) -> None:
    while not db.exists() and not stop.is_set():
        time.sleep(0.01)
    deadline = time.monotonic() + 120
    while not stop.is_set() and time.monotonic() < deadline:
        try:
            conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
            try:
                out["bad"] += conn.execute(_CONSISTENCY).fetchone()[0]
                out["bad"] += len(conn.execute(_JOINED).fetchall())
                out["seen"].add(conn.execute("SELECT count(*) FROM article_versions").fetchone()[0])
                out["queries"] += 1
            finally:
                conn.close()
        except sqlite3.OperationalError as exc:  # the schema not created yet
            out["errors"].append(str(exc))
            time.sleep(0.01)


def test_readers_during_a_crawl_see_consistent_data(tmp_path):
    site = Site()
    db = tmp_path / "x.db"
    with serve(site) as server:
        for step in ("first", "edits"):
            if step == "edits":
                for article in site.live()[:30]:
                    site.edit(article.asset_id, add_paragraph="Ban Quản lý cập nhật thông tin.")
            stop, out = threading.Event(), {"bad": 0, "queries": 0, "seen": set(), "errors": []}
            readers = [threading.Thread(target=_reader, args=(db, stop, out)) for _ in range(2)]
            for reader in readers:
                reader.start()
            try:
                summary = crawl(server.url, db, *(["--full"] if step == "edits" else []))
            finally:
                stop.set()
                for reader in readers:
                    reader.join(timeout=10)
            assert summary["returncode"] == 0, summary
            assert out["bad"] == 0, out
            assert out["queries"] >= 20 and len(out["seen"]) >= 3, (step, out["queries"], sorted(out["seen"]))
    assert rows(db, "SELECT count(*) AS n FROM article_versions")[0]["n"] == 63 + 30
    assert_sound(db)


def test_a_second_run_on_the_same_archive_exits_75_at_once(tmp_path):
    db = tmp_path / "x.db"
    with serve(Site()) as server:
        server.faults = Faults(Rule("stall", match=r"^/robots\.txt", seconds=2.5, times=2))
        first = popen_hepza(*crawl_argv(server.url, db))
        try:
            deadline = time.monotonic() + 30
            while not Path(f"{db}.lock").exists() and time.monotonic() < deadline:
                time.sleep(0.05)
            assert Path(f"{db}.lock").read_text().strip() == str(first.pid)
            started = time.monotonic()
            second = popen_hepza(*crawl_argv(server.url, db))
            out, err = second.communicate(timeout=30)
            assert second.returncode == 75, (out, err)
            assert time.monotonic() - started < 10
            assert first.poll() is None, "the first run should still be running"
        finally:
            out, err = first.communicate(timeout=90)
    assert first.returncode == 0, err
    assert not Path(f"{db}.lock").exists()
    runs = rows(db, "SELECT status, exit_code FROM crawl_runs")
    assert runs == [{"status": "ok", "exit_code": 0}]


def test_a_stale_lock_of_a_killed_run_is_taken_over(tmp_path):
    db = tmp_path / "x.db"
    with serve(Site()) as server:
        server.faults = Faults(Rule("stall", match=r"^/robots\.txt", seconds=10))
        first = popen_hepza(*crawl_argv(server.url, db))
        deadline = time.monotonic() + 30
        while not Path(f"{db}.lock").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        os.kill(first.pid, signal.SIGKILL)
        first.communicate(timeout=30)
        assert Path(f"{db}.lock").exists()
        server.faults = None
        summary = crawl(server.url, db)
    assert summary["returncode"] == 0 and summary["new"] == 63, summary
    assert_sound(db)


def writer_pids(crawler_pid: int) -> list[int]:
    """The archive writer processes a crawl started (their command line names the crawl's pid)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"archive.writer_start" in argv and str(crawler_pid).encode() in argv:
            pids.append(int(entry.name))
    return pids


def _articles(db: Path) -> int:
    """Articles archived so far (0 while the archive file is still being created)."""
    try:
        return rows(db, "SELECT count(*) AS n FROM articles")[0]["n"] if db.exists() else 0
    except sqlite3.OperationalError:
        return 0


def _wait_for(condition, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_kill_9_of_the_crawl_takes_its_archive_writer_with_it(tmp_path):
    db = tmp_path / "x.db"
    with serve(Site()) as server:
        server.faults = Faults(Rule("stall", match=r"^/robots\.txt", seconds=10))
        crawl_process = popen_hepza(*crawl_argv(server.url, db))
        try:
            assert _wait_for(lambda: writer_pids(crawl_process.pid)), "the crawl started no writer"
            (writer,) = writer_pids(crawl_process.pid)
            os.kill(crawl_process.pid, signal.SIGKILL)
            crawl_process.communicate(timeout=30)
            # Gone (or a zombie nobody reaps) at once: a next run taking over the stale lock is alone.
            assert _wait_for(lambda: not writer_pids(crawl_process.pid), seconds=5), "the writer outlived it"
        finally:
            crawl_process.kill()
        server.faults = None
        summary = crawl(server.url, db)
    assert summary["returncode"] == 0 and summary["new"] == 63, summary
    assert_sound(db)


def test_a_writer_killed_mid_crawl_stops_the_run_with_exit_70_and_loses_nothing(tmp_path):
    db = tmp_path / "x.db"
    with serve(Site()) as server:
        crawl_process = popen_hepza(*crawl_argv(server.url, db, *PACED))
        try:
            assert _wait_for(lambda: writer_pids(crawl_process.pid))
            (writer,) = writer_pids(crawl_process.pid)
            assert _wait_for(lambda: _articles(db) >= 5)
            os.kill(writer, signal.SIGKILL)
            out, err = crawl_process.communicate(timeout=60)
        finally:
            crawl_process.kill()
        assert crawl_process.returncode == 70, (out, err)
        summary = json.loads(out.strip().splitlines()[-1])
        assert summary["status"] == "internal-error"
        assert (
            summary["alarms"] and "archive writer process ended (killed by signal 9)" in summary["alarms"][0]
        )
        assert "Traceback" not in err and "Traceback" not in out
        run = rows(db, "SELECT status, exit_code, alarms FROM crawl_runs")
        assert [(r["status"], r["exit_code"]) for r in run] == [("internal-error", 70)]
        assert_sound(db)
        archived = rows(db, "SELECT count(*) AS n FROM articles")[0]["n"]
        assert 5 <= archived < 63
        resumed = crawl(server.url, db)
    assert resumed["returncode"] == 0 and resumed["new"] == 63 - archived, resumed
    assert_sound(db)


def test_sigterm_to_the_whole_process_group_ends_the_run_gracefully_as_interrupted(tmp_path):
    # systemd's stop and a terminal's Ctrl-C signal every process of the group, the writer included: the
    # crawler stops gracefully, the writer (which ignores them) finishes the run as interrupted (exit 130,
    # not the layout alarm's 3).
    db = tmp_path / "x.db"
    with serve(Site()) as server:
        crawl_process = subprocess.Popen(
            [sys.executable, "-m", "archive.cli", *crawl_argv(server.url, db, *PACED)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env=_environment({"HEPZA_TIMEOUT": "3"}),
            start_new_session=True,
        )
        try:
            assert _wait_for(lambda: _articles(db) >= 3)
            os.killpg(crawl_process.pid, signal.SIGTERM)
            out, err = crawl_process.communicate(timeout=60)
        finally:
            crawl_process.kill()
        assert crawl_process.returncode == 130, (out, err)
        summary = json.loads(out.strip().splitlines()[-1])
        assert summary["status"] == "interrupted" and summary["alarms"] == [] and summary["new"] >= 3
        assert "Traceback" not in err
        assert rows(db, "SELECT status, exit_code FROM crawl_runs") == [
            {"status": "interrupted", "exit_code": 130}
        ]
        assert_sound(db)
        archived = summary["new"]
        resumed = crawl(server.url, db)
    assert resumed["returncode"] == 0 and resumed["new"] == 63 - archived, resumed
