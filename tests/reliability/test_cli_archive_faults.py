"""A hand-edited, damaged or busy archive, seen through the commands: one line, a documented exit code,
and no damage made worse (issue 18 point 6, issue 19)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.hepza_cli import ROOT, built_once, rows, run_hepza


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    def build(folder: Path) -> None:
        db = folder / "d.db"
        result = run_hepza("demo", "--db", str(db))
        assert result.returncode == 0, result.stderr
        with sqlite3.connect(db) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # One `hepza demo` for all xdist workers: each test works on its own copy (the `db` fixture).
    return built_once(tmp_path_factory, "demo", build) / "d.db"


@pytest.fixture
def db(demo_db, tmp_path) -> Path:
    copy = tmp_path / "a.db"
    shutil.copy(demo_db, copy)
    shutil.copytree(f"{demo_db}.files", f"{copy}.files")
    return copy


def _one_line(result: subprocess.CompletedProcess, code: int, *texts: str) -> None:
    """One line on stderr holding one of ``texts``, and exit ``code``."""
    lines = result.stderr.strip().splitlines()
    assert result.returncode == code, (result.returncode, result.stderr[-2000:])
    assert len(lines) == 1 and any(text in lines[0] for text in texts), lines


# How SQLite names damage: found by the quick check, or already when the archive is opened.
DAMAGED = ("is damaged", "malformed")


def test_check_names_a_hand_edited_article_row(db):
    assert run_hepza("check", "--db", str(db)).returncode == 0
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE articles SET body_text = body_text || ' (edited)' WHERE id = 5")
    _one_line(run_hepza("check", "--db", str(db)), 1, "article 5: body_text differs from its newest version")


def _damage(db: Path) -> None:
    """40 bad bytes scattered over the file's pages (not its header), as the attack did: each in a page's
    header (a b-tree page's cell count, an overflow page's link), where SQLite's quick check sees it; a bad
    byte inside a stored text no check of SQLite's can see."""
    data = bytearray(db.read_bytes())
    page = 4096
    for i in range(40):
        data[page * (1 + i * (len(data) // page - 2) // 40) + 3] ^= 0xFF
    db.write_bytes(bytes(data))


def test_a_damaged_archive_is_refused_by_crawl_and_backup_and_reported_by_the_others(db, tmp_path):
    _damage(db)
    before = db.read_bytes()
    crawl = run_hepza("crawl", "--db", str(db), "--site-url", "http://127.0.0.1:9", "--delay", "0")
    _one_line(crawl, 2, *DAMAGED)
    assert db.read_bytes() == before  # nothing written into it
    _one_line(run_hepza("backup", str(tmp_path / "copy.db"), "--db", str(db)), 2, *DAMAGED)
    assert not list(tmp_path.glob("copy.db*"))
    _one_line(run_hepza("reprocess", "--db", str(db)), 2, *DAMAGED)
    assert run_hepza("check", "--db", str(db)).returncode == 1
    for command in ("stats", "export"):
        result = run_hepza(command, "--db", str(db))
        assert result.returncode in (0, 2) and len(result.stderr.strip().splitlines()) <= 1, result.stderr


def test_check_reports_a_damaged_schema_page_as_its_finding(db):
    # Regression: damage on the schema's own page stopped the file from opening, and `check` answered
    # exit 2 (a usage error) instead of reporting the damage it exists to find.
    data = bytearray(db.read_bytes())
    data[100 + 3] ^= 0xFF  # page 1's b-tree header (its cell count): sqlite_master itself
    db.write_bytes(bytes(data))
    _one_line(run_hepza("check", "--db", str(db)), 1, "the file is damaged")
    _one_line(run_hepza("stats", "--db", str(db)), 2, *DAMAGED)


def test_a_backup_is_written_under_a_temporary_name_and_an_old_partial_is_not_kept(db, tmp_path):
    destination = tmp_path / "b.db"
    Path(f"{destination}.partial").write_bytes(b"half a backup")
    result = run_hepza("backup", str(destination), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert not Path(f"{destination}.partial").exists()
    assert rows(destination, "SELECT count(*) AS n FROM articles")[0]["n"] == 63


def test_a_run_row_left_running_by_a_dead_run_is_closed_by_the_next_run(db):
    with sqlite3.connect(db) as conn:
        conn.execute(
            "INSERT INTO crawl_runs (started_at, status, mode, site_url) VALUES ('x', 'running', 'full', 'y')"
        )
    # Nothing listens on port 9: no retries, so the refused connections cost no backoff (the run's end,
    # not its fetches, is what closes the row).
    run_hepza(
        "crawl",
        "--db",
        str(db),
        "--site-url",
        "http://127.0.0.1:9",
        "--delay",
        "0",
        "--json",
        env={"HEPZA_RETRIES": "0"},
    )
    assert rows(db, "SELECT count(*) AS n FROM crawl_runs WHERE status = 'running'")[0]["n"] == 0


def test_a_database_write_locked_by_another_process_is_one_line_and_exit_75(db):
    # Another process (not hepza) holds SQLite's write lock on the file past hepza's busy timeout.
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys, time; c = sqlite3.connect(sys.argv[1], isolation_level=None); "
            "c.execute('BEGIN EXCLUSIVE'); print('held', flush=True); time.sleep(60)",
            str(db),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        result = run_hepza("reprocess", "--db", str(db))  # after SQLite's busy timeout (30 s)
        _one_line(result, 75, "locked by another process")
    finally:
        holder.kill()
        holder.wait()
    assert time.monotonic() - started < 45
    assert rows(db, "SELECT count(*) AS n FROM crawl_runs WHERE status = 'running'")[0]["n"] == 0


def test_a_symlinked_db_shares_the_archives_files_folder(db, tmp_path):
    from archive.files import files_dir

    link = tmp_path / "link.db"
    link.symlink_to(db)
    assert files_dir(str(link)) == files_dir(str(db))
    assert ROOT  # (run_hepza's working folder)


def test_a_site_that_cannot_be_reached_is_said_so_not_called_maintenance(tmp_path):
    from archive.browse import free_port

    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    result = run_hepza(
        "crawl", "--db", str(tmp_path / "x.db"), "--site-url", url, "--delay", "0", env={"HEPZA_RETRIES": "0"}
    )
    assert result.returncode == 3, result.stderr
    alarms = [line for line in result.stderr.splitlines() if line.startswith("ALARM")]
    assert len(alarms) == 1 and f"cannot connect to {url}" in alarms[0], result.stderr
    assert "maintenance" not in result.stderr


def test_a_bad_option_value_is_one_line_and_exit_2(db):
    _one_line(run_hepza("serve", "--db", str(db), "--port", "99999"), 2, "99999 is not in the range")
    _one_line(run_hepza("export", "--db", str(db), "--table", "nope"), 2, "Invalid value for '--table'")


def test_backup_refuses_a_truncated_archive(db, tmp_path):
    data = db.read_bytes()
    db.write_bytes(data[: len(data) * 2 // 3])
    _one_line(run_hepza("backup", str(tmp_path / "copy.db"), "--db", str(db)), 2, *DAMAGED)
    assert not list(tmp_path.glob("copy.db*"))


def test_reprocess_reads_the_time_zone_where_crawls_do(db, tmp_path):
    """The same configuration as the crawls rewrites nothing; a time zone from HEPZA_TIMEZONE is honoured
    (every date moves, as reprocess versions)."""
    same = run_hepza("reprocess", "--db", str(db))
    assert same.returncode == 0 and " 0 changed" in same.stdout, same.stdout + same.stderr
    other = run_hepza("reprocess", "--db", str(db), env={"HEPZA_TIMEZONE": "UTC"})
    assert other.returncode == 0 and " 0 changed" not in other.stdout, other.stdout + other.stderr
    assert rows(db, "SELECT count(*) AS n FROM crawl_runs WHERE status = 'running'")[0]["n"] == 0


def _make_read_only(path: Path) -> None:
    """A file this process cannot write, root or not: root ignores permission bits, so it gets the
    immutable attribute (chattr +i; ext4 and the like), everyone else a mode of 0444."""
    if os.getuid() == 0:
        subprocess.run(["chattr", "+i", str(path)], check=True)
    else:
        path.chmod(0o444)


def _make_writable(path: Path) -> None:
    if os.getuid() == 0:
        subprocess.run(["chattr", "-i", str(path)], check=True)
    path.chmod(0o644)


def test_a_read_only_archive_is_one_line_and_exit_2(db):
    before = db.read_bytes()
    _make_read_only(db)
    try:
        assert not os.access(db, os.W_OK)
        for command in (["crawl", "--site-url", "http://127.0.0.1:9"], ["reprocess"]):
            _one_line(run_hepza(*command, "--db", str(db)), 2, f"{db} is read-only")
        assert db.read_bytes() == before
    finally:
        _make_writable(db)
