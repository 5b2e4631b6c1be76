"""The folder of portal archives (archive/portal_archives.py): which files are portals, which are skipped and
why, and `hepza stats --all` over it (a line per portal; an unreadable archive named, exit 1)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.cli import main
from archive.portal_archives import NoArchives, discover, folder_stats
from archive.store import Archive
from tests.unit.test_store import capture, make_record


def _archive(path: Path, articles: int, *, status: str = "ok") -> None:
    """An archive with ``articles`` articles (the first edited once: one more version) and one run."""
    archive = Archive(path)
    try:
        run = archive.runs.start("incremental", "http://127.0.0.1:9")
        for n in range(articles):
            url = f"http://127.0.0.1:9/w/bai-{n}"
            record = make_record(url=url, canonical=url, asset_id=str(50000 + n), title=f"Bài {n}")
            archive.save(record, capture(url=url), run_id=run)
        if articles:
            url = "http://127.0.0.1:9/w/bai-0"
            edited = make_record(
                url=url, canonical=url, asset_id="50000", title="Bài 0 (sửa)", source_hash="s2"
            )
            archive.save(edited, capture(b"<html>v2</html>", url=url), run_id=run)
        archive.runs.finish(run, status=status, exit_code=0 if status == "ok" else 1, counts={}, alarms=[])
    finally:
        archive.close()


@pytest.fixture
def folder(tmp_path) -> Path:
    """Two portal archives, and the files a folder may also hold that are no portal archive."""
    root = tmp_path / "archives"
    root.mkdir()
    _archive(root / "city.db", 3)
    _archive(root / "board-2025.db", 1, status="alarm")
    (root / "notes.db").write_bytes(b"these are notes, not SQLite")
    conn = sqlite3.connect(root / "other.db")  # another application's SQLite file
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    shutil.copyfile(root / "city.db", root / "City Copy.db")  # an archive, but not a portal's name
    shutil.copyfile(root / "city.db", root / "city.db.bak")  # not a .db file: not looked at
    (root / "nested.db").mkdir()  # a folder, not a file
    return root


def test_the_portals_are_the_archives_named_by_a_portal_name_the_others_skipped_with_why(folder):
    found = discover(folder)
    assert [(p.name, p.path.name) for p in found.portals] == [
        ("board-2025", "board-2025.db"),
        ("city", "city.db"),
    ]
    reasons = {s.path.name: s.reason for s in found.skipped}
    assert set(reasons) == {"City Copy.db", "notes.db", "other.db"}
    assert "not a portal name" in reasons["City Copy.db"]
    assert "not a hepza archive" in reasons["other.db"]
    assert "not a usable archive" in reasons["notes.db"]
    line = next(s for s in found.skipped if s.path.name == "other.db").line()
    assert line.startswith(f"{folder / 'other.db'}: skipped, ") and "\n" not in line
    # A file looked at is only read: the foreign file is not given the archive's tables.
    assert [r[0] for r in sqlite3.connect(folder / "other.db").execute("SELECT name FROM sqlite_master")] == [
        "t"
    ]


def test_a_damaged_archive_is_skipped(folder):
    path = folder / "city.db"
    size = path.stat().st_size
    with open(path, "r+b") as handle:  # overwrite every page after the first (the schema stays readable)
        handle.seek(4096)
        handle.write(b"\xff" * (size - 4096))
    found = discover(folder)
    assert [p.name for p in found.portals] == ["board-2025"]
    [damaged] = [s for s in found.skipped if s.path.name == "city.db"]
    assert "damaged" in damaged.reason or "malformed" in damaged.reason


def test_a_missing_folder_is_no_archives(tmp_path):
    with pytest.raises(NoArchives, match="no archives folder"):
        discover(tmp_path / "nowhere")


def test_folder_stats_counts_each_portal_and_names_what_cannot_be_read(folder):
    entries, readable = folder_stats(folder)
    by_name = {e["name"]: e for e in entries}
    assert not readable
    assert set(by_name) == {"board-2025", "city", "City Copy", "notes", "other"}
    assert (by_name["city"]["figures"]["articles"], by_name["city"]["figures"]["versions"]) == (3, 4)
    assert by_name["board-2025"]["last_run_status"] == "alarm"
    assert by_name["city"]["last_run_finished_at"] >= by_name["city"]["last_run_started_at"]
    assert "error" in by_name["notes"] and "error" in by_name["other"]


def _stats(*args: str, env: dict | None = None):
    clean = {k: None for k in os.environ if k.startswith("HEPZA_")}
    return CliRunner(env={**clean, **(env or {})}).invoke(main, ["stats", *args])


def test_stats_all_prints_a_line_per_portal_and_exits_0_when_every_one_reads(folder):
    for name in ("notes.db", "other.db", "City Copy.db"):
        (folder / name).unlink()
    result = _stats("--all", "--archives", str(folder))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("board-2025: 1 articles, 2 versions, last run 20") and lines[0].endswith(
        " alarm"
    )
    assert lines[1].startswith("city: 3 articles, 4 versions, last run 20") and lines[1].endswith(" ok")


def test_stats_all_names_an_unreadable_archive_in_one_line_and_exits_1(folder):
    result = _stats("--all", "--archives", str(folder))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert [line.split(":")[0] for line in lines] == ["City Copy", "board-2025", "city", "notes", "other"]
    assert (
        lines[3]
        == f"notes: cannot read {folder / 'notes.db'} (is not a usable archive: file is not a database)"
    )
    assert "Traceback" not in result.output


def test_stats_all_reads_the_archives_dir_setting_and_answers_json(folder, tmp_path):
    (folder / "notes.db").unlink()
    result = _stats("--all", "--json", env={"HEPZA_ARCHIVES_DIR": str(folder)})
    assert result.exit_code == 1
    entries = json.loads(result.stdout)
    assert [e["name"] for e in entries] == ["City Copy", "board-2025", "city", "other"]
    assert entries[2]["figures"]["articles"] == 3 and entries[2]["last_run_exit_code"] == 0
    config = tmp_path / "hepza.toml"
    config.write_text(f'archives_dir = "{folder}"\n', encoding="utf-8")
    assert (
        _stats("--all", "--config", str(config)).stdout.splitlines()[1].startswith("board-2025: 1 articles")
    )


@pytest.mark.parametrize("command", ["stats", "serve"])
def test_a_missing_or_empty_folder_and_db_with_archives_are_one_line_exit_2(tmp_path, command):
    clean = {k: None for k in os.environ if k.startswith("HEPZA_")}

    def run(*args: str):
        extra = ["--all"] if command == "stats" else ["--port", "8999"]
        return CliRunner(env=clean).invoke(main, [command, *extra, *args])

    for args, text in (
        (["--archives", str(tmp_path / "nowhere")], "no archives folder"),
        (["--archives", str(tmp_path)], "no portal archive"),
        (["--archives", str(tmp_path), "--db", "x.db"], "not both"),
    ):
        result = run(*args)
        lines = result.stderr.strip().splitlines()
        assert result.exit_code == 2 and len(lines) == 1 and text in lines[0], (args, result.output)


def test_hits_of_several_portals_are_taken_in_turn_best_first():
    from archive.datasette.search_page import interleave

    a, b, c = [("a", 1), ("a", 2), ("a", 3)], [("b", 1)], []
    assert interleave([a, b, c]) == [("a", 1), ("b", 1), ("a", 2), ("a", 3)]
    assert interleave([]) == []
