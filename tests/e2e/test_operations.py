"""Cron-grade operation on the replica: layout-change alarm, lock, exit codes, run ledger, incremental runs."""

from __future__ import annotations

import shlex
import subprocess
import sys
import time

from tests.e2e.conftest import ROOT, crawl, popen_hepza, rows, run_hepza

# A theme that no longer prints the articles' bodies: nothing can be learned from what the archive holds.
BARE_THEME = (
    '<div class="bare"><h1 class="bare-title">{{ title }}</h1><p class="bare-date">{{ date_line }}</p></div>'
)


def test_a_redesign_that_cannot_be_learned_raises_the_alarm_and_writes_nothing(site, server, tmp_path):
    db = tmp_path / "x.db"
    assert crawl(server.url, db)["returncode"] == 0
    before = rows(db, "SELECT asset_id, content_hash, version_count FROM articles ORDER BY asset_id")
    site.redesign("bare", BARE_THEME)
    summary = crawl(server.url, db, "--full")
    assert summary["returncode"] == 3 and summary["status"] == "alarm", summary
    layout = [a for a in summary["alarms"] if a.startswith("layout:")]
    assert len(layout) == 1 and layout[0].startswith(
        f"layout: {len(before)} of {len(before)} article pages were not read from the portal's markup"
    ), summary["alarms"]
    assert [a for a in summary["alarms"] if a.startswith("learning:")] == [
        "learning: could not learn the new layout: the body of a known article is nowhere on its page"
    ], summary["alarms"]
    assert {e["status"] for e in summary["learned_layouts"]} == {"rejected"}
    assert rows(db, "SELECT count(*) AS n FROM learned_layouts WHERE status = 'verified'")[0]["n"] == 0
    assert rows(db, "SELECT asset_id, content_hash, version_count FROM articles ORDER BY asset_id") == before
    run = rows(db, "SELECT * FROM crawl_runs ORDER BY id DESC LIMIT 1")[0]
    assert run["exit_code"] == 3 and "layout" in run["alarms"]
    assert rows(db, "SELECT count(*) AS n FROM crawl_errors WHERE kind = 'layout'")[0]["n"] + rows(
        db, "SELECT count(*) AS n FROM crawl_errors WHERE kind = 'not-article'"
    )[0]["n"] >= len(before)
    site.redesign("liferay")
    assert crawl(server.url, db, "--full")["returncode"] == 0


def test_a_second_run_while_one_is_active_exits_75(site, server, tmp_path):
    db = tmp_path / "x.db"
    slow = popen_hepza("crawl", "--site-url", server.url, "--db", str(db), "--delay", "0.3")
    try:
        deadline = time.monotonic() + 20
        while not (tmp_path / "x.db.lock").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        started = time.monotonic()
        second = run_hepza("crawl", "--site-url", server.url, "--db", str(db), timeout=30)
        assert second.returncode == 75, second.stderr
        assert time.monotonic() - started < 10
        assert second.stderr.strip().count("\n") == 0 and "another run" in second.stderr
    finally:
        slow.kill()
        slow.wait()
    # the killed run left its lock behind: it is stale and the next run takes it over
    assert (tmp_path / "x.db.lock").exists()
    assert crawl(server.url, db)["returncode"] == 0
    assert not (tmp_path / "x.db.lock").exists()


def test_one_404_is_pending_not_a_failure(site, server, tmp_path):
    db = tmp_path / "x.db"
    assert crawl(server.url, db)["returncode"] == 0
    site.remove(site.gold()[0]["asset_id"])
    summary = crawl(server.url, db, "--full")
    assert summary["returncode"] == 0 and summary["missing_pending"] == 1 and summary["removed"] == 0, summary
    assert rows(db, "SELECT count(*) AS n FROM articles WHERE removed_at IS NOT NULL")[0]["n"] == 0


def test_usage_errors_are_one_line_and_exit_2(tmp_path):
    for args in (
        ["crawl", "--site-url", "ftp://x", "--db", str(tmp_path / "a.db")],
        ["crawl", "--concurrency", "0", "--db", str(tmp_path / "a.db")],
        ["history", "42", "--db", str(tmp_path / "missing.db")],
        ["extract", str(tmp_path / "missing.html")],
    ):
        result = run_hepza(*args)
        assert result.returncode == 2, (args, result.stderr)
        assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) <= 3, (
            result.stderr
        )


def test_a_corrupt_archive_is_a_one_line_error(tmp_path):
    db = tmp_path / "broken.db"
    db.write_bytes(b"this is not sqlite" * 100)
    result = run_hepza("stats", "--db", str(db))
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_default_output_is_one_summary_line(site, server, tmp_path):
    result = run_hepza(
        "crawl",
        "--site-url",
        server.url,
        "--db",
        str(tmp_path / "x.db"),
        "--delay",
        "0",
        "--concurrency",
        "16",
    )
    assert result.returncode == 0
    assert len(result.stdout.strip().splitlines()) == 1 and result.stdout.startswith("run 1 ok:")
    assert result.stderr.strip() == ""


def test_a_terminal_gets_a_live_progress_line(server, tmp_path):
    import shlex
    import shutil

    script = shutil.which("script")
    assert script, "util-linux `script` is needed to give the crawl a terminal"
    command = " ".join(
        shlex.quote(a)
        for a in [
            sys.executable,
            "-m",
            "archive.cli",
            "crawl",
            "--site-url",
            server.url,
            "--db",
            str(tmp_path / "x.db"),
            "--delay",
            "0",
            "--concurrency",
            "8",
        ]
    )
    result = subprocess.run(
        [script, "-qefc", command, "/dev/null"], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert result.returncode == 0, result.stdout[-1000:]
    assert "fetched," in result.stdout and "queued," in result.stdout and "new," in result.stdout
    assert "run 1 ok:" in result.stdout


def test_log_file_and_verbose(server, tmp_path):
    log = tmp_path / "crawl.log"
    result = run_hepza(
        "crawl",
        "--site-url",
        server.url,
        "--db",
        str(tmp_path / "x.db"),
        "--delay",
        "0",
        "--concurrency",
        "8",
        "--log-file",
        str(log),
    )
    assert result.returncode == 0
    assert "Spider opened" in log.read_text() and result.stderr.strip() == ""


def test_an_unchanged_incremental_run_is_cheap_and_writes_only_its_run(site, server, tmp_path):
    """The request budget is measured by bench/incremental.py at 1,000 articles; here, its mechanism: every
    article's sitemap lastmod is known after one full run, however the article was reached."""
    db = tmp_path / "x.db"
    full = crawl(server.url, db)
    assert full["returncode"] == 0
    assert rows(db, "SELECT count(*) AS n FROM articles WHERE sitemap_lastmod IS NULL")[0]["n"] == 0
    # Nothing is due by age (checked minutes ago, re-checked monthly): only the sitemap and lists are read.
    env_clock = {"HEPZA_RECHECK_SCHEDULE": "*:30d"}

    before = {
        t: rows(db, f"SELECT count(*) AS n FROM {t}")[0]["n"]
        for t in ("articles", "article_versions", "captures", "article_urls")
    }
    summary = crawl(server.url, db, env=env_clock)
    assert summary["returncode"] == 0 and summary["new"] == summary["changed"] == 0, summary
    assert summary["requests"] <= 0.25 * full["requests"], (summary["requests"], full["requests"])
    after = {t: rows(db, f"SELECT count(*) AS n FROM {t}")[0]["n"] for t in before}
    assert after == before
    # An edit moves the article's lastmod in the sitemap: the next incremental run fetches just that one.
    edited = site.gold()[20]["asset_id"]
    site.edit(edited, add_paragraph="Ban Quản lý đã cập nhật thông tin này.")
    summary = crawl(server.url, db, env=env_clock)
    assert summary["changed"] == 1, summary


def test_a_site_that_is_down_gives_failed_lines_not_tracebacks(tmp_path):
    import socket

    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run_hepza(
        "crawl",
        "--site-url",
        f"http://127.0.0.1:{port}",
        "--db",
        str(tmp_path / "x.db"),
        "--delay",
        "0",
        env={"HEPZA_RETRIES": "0"},
    )
    assert result.returncode in (1, 3), result.stderr
    assert "Traceback" not in result.stderr and "ERROR" not in result.stderr, result.stderr
    assert f"failed: http://127.0.0.1:{port}/" in result.stderr
    assert result.stdout.startswith("run 1 ")


def test_the_demo_archives_the_replica_and_its_hints_run(tmp_path):
    # The README's first command: the replica served on loopback, crawled, edited, crawled again; the
    # archive checked and browsable, with an edit and a removal to look at.
    db = tmp_path / "my demo.db"
    demo = run_hepza("demo", "--db", str(db))
    assert demo.returncode == 0, demo.stderr
    lines = demo.stdout.splitlines()
    assert lines[0].startswith("replica of the portal serving at http://127.0.0.1:")
    assert lines[1].startswith("run 1 ok: ") and " 63 new, 0 changed," in lines[1] and " 0 errors" in lines[1]
    assert lines[2].startswith("the agency edits «")
    assert lines[3].startswith("run 2 ok: ") and " 0 new, 1 changed," in lines[3]
    assert " 0 removed (1 pending)," in lines[3]
    assert (
        lines[4].startswith("run 3 ok: ")
        and " 0 new, 0 changed," in lines[4]
        and " 1 removed (0 pending)," in lines[4]
    )
    assert lines[5] == f"63 articles archived in {db}."
    assert rows(db, "SELECT count(*) AS n FROM articles")[0]["n"] == 63
    edits = rows(db, "SELECT article_id FROM article_versions WHERE change_kind = 'edit'")
    assert len(edits) == 1
    removed = rows(db, "SELECT id FROM articles WHERE removed_at IS NOT NULL")
    assert len(removed) == 1
    # The hints name a command that works from here (run as `python -m archive.cli`, not from .venv/bin),
    # and no hint names the replica's port, which is gone when the demo ends.
    hepza = f"{shlex.quote(sys.executable)} -m archive.cli"
    browse = next(line for line in lines if line.startswith("Browse:"))
    assert browse == f"Browse:  {hepza} serve --db '{db}'"
    edited = next(line for line in lines if line.startswith("Edited:"))
    assert edited == f"Edited:  {hepza} history {edits[0]['article_id']} --db '{db}'"
    gone = next(line for line in lines if line.startswith("Removed:"))
    assert gone == f"Removed: {hepza} history {removed[0]['id']} --db '{db}'"
    assert not any("127.0.0.1" in line for line in lines[1:])
    query = next(line for line in lines if line.startswith("Query:"))
    assert query.startswith(f"Query:   sqlite3 '{db}' 'SELECT ")
    check = run_hepza("check", "--db", str(db))
    assert (check.returncode, check.stdout.strip()) == (0, "ok")
