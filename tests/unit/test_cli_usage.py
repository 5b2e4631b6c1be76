"""Wrong usages of every command: one line on stderr, exit 2 (or 75), nothing created; and one way to find
the archive (--db, HEPZA_DB, --config, ./hepza.toml) for every command."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.cli import main
from archive.store import Archive

# Every command that reads or writes an archive, with what it needs besides the archive.
COMMANDS = {
    "stats": [],
    "history": ["1"],
    "changes": [],
    "export": [],
    "check": [],
    "reprocess": [],
    "serve": ["--port", "8999"],
    "backup": ["copy.db"],
}


def _run(args, env=None):
    return CliRunner(env={**{k: None for k in os.environ if k.startswith("HEPZA_")}, **(env or {})}).invoke(
        main, args
    )


def _one_line_error(result, code: int, text: str) -> None:
    lines = result.stderr.strip().splitlines()
    assert result.exit_code == code, (result.exit_code, result.output, result.exception)
    assert len(lines) == 1 and text in lines[0], lines


SOURCES = {
    "--db": lambda name: ([f"--db={name}"], {}, None),
    "HEPZA_DB": lambda name: ([], {"HEPZA_DB": name}, None),
    "--config": lambda name: (["--config=other.toml"], {}, ("other.toml", f'db = "{name}"\n')),
    "./hepza.toml": lambda name: ([], {}, ("hepza.toml", f'db = "{name}"\n')),
}


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_finds_the_archive_the_same_way_and_a_missing_one_is_exit_2(
    tmp_path, monkeypatch, command, source
):
    monkeypatch.chdir(tmp_path)
    options, env, config = SOURCES[source]("missing.db")
    if config:
        Path(config[0]).write_text(config[1])
    before = sorted(os.listdir(tmp_path))
    result = _run([command, *COMMANDS[command], *options], env)
    _one_line_error(result, 2, "no archive at missing.db")
    assert sorted(os.listdir(tmp_path)) == before  # nothing created


@pytest.mark.parametrize("source", SOURCES)
def test_an_archive_named_by_any_source_is_the_one_read(tmp_path, monkeypatch, source):
    monkeypatch.chdir(tmp_path)
    Archive("named.db").close()
    options, env, config = SOURCES[source]("named.db")
    if config:
        Path(config[0]).write_text(config[1])
    result = _run(["backup", "copy.db", *options], env)
    assert result.exit_code == 0, result.output
    assert Path("copy.db").is_file() and not Path("hepza.db").exists()


@pytest.mark.parametrize("value", ["", "   "])
def test_an_empty_db_is_refused(tmp_path, monkeypatch, value):
    monkeypatch.chdir(tmp_path)
    _one_line_error(
        _run(["crawl", f"--db={value}", "--site-url=http://127.0.0.1:9"]), 2, "db cannot be empty"
    )
    _one_line_error(
        _run(["crawl", "--site-url=http://127.0.0.1:9"], {"HEPZA_DB": value}), 2, "db cannot be empty"
    )


@pytest.mark.parametrize(
    "toml,env,message",
    [
        ("delay = inf\n", {}, "delay must be a finite number"),
        ("timeout = nan\n", {}, "timeout must be a finite number"),
        ("", {"HEPZA_TIMEOUT": "nan"}, "timeout must be a finite number"),
        ("max_list_pages = -5\n", {}, "max_list_pages must be at least 0"),
        ("backoff_max = -1\n", {}, "backoff_max must be at least 0"),
        ('db = ["a"]\n', {}, "db from hepza.toml must be a str"),
        ("download_images = 1\n", {}, "download_images from hepza.toml must be a bool"),
        ("", {"HEPZA_CLOCK": "garbage"}, "clock must be an ISO 8601 time"),
    ],
)
@pytest.mark.parametrize("command", ["crawl", "stats"])
def test_a_bad_setting_is_one_line_and_exit_2(tmp_path, monkeypatch, toml, env, message, command):
    monkeypatch.chdir(tmp_path)
    Path("hepza.toml").write_text(toml)
    # (the site is a closed port on loopback, should a bad value ever slip through into a crawl)
    site = ["--site-url=http://127.0.0.1:9"] if command == "crawl" else []
    _one_line_error(_run([command, *site], env), 2, message)
    assert not Path("hepza.db").exists() and not Path("['a']").exists()


def test_a_text_file_is_not_an_archive(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("notes.txt").write_text("not a database\n" * 100)
    for command in ("serve", "stats", "reprocess"):
        _one_line_error(_run([command, "--db=notes.txt"]), 2, "notes.txt is not a usable archive")


def test_another_applications_sqlite_file_gets_no_hepza_schema(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with sqlite3.connect("app.db") as conn:
        conn.execute("CREATE TABLE notes (x)")
    _one_line_error(_run(["reprocess", "--db=app.db"]), 2, "another application")
    _one_line_error(_run(["crawl", "--db=app.db", "--site-url=http://127.0.0.1:9"]), 2, "another application")
    with sqlite3.connect("app.db") as conn:
        assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["notes"]


def test_a_bad_port_and_a_missing_output_folder_are_exit_2(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Archive("a.db").close()
    assert _run(["serve", "--db=a.db", "--port=99999"]).exit_code == 2
    _one_line_error(_run(["export", "--db=a.db", "-o", "nowhere/x.csv"]), 2, "no folder for nowhere/x.csv")
    _one_line_error(_run(["backup", "nowhere/x.db", "--db=a.db"]), 2, "no folder for nowhere/x.db")


def test_a_writing_command_waits_for_no_one_it_exits_75_while_a_run_holds_the_lock(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Archive("a.db").close()
    hold = "import sys, time; from archive.lock import RunLock; RunLock('a.db').acquire(); print('held', flush=True); time.sleep(30)"
    root = Path(__file__).resolve().parents[2]
    holder = subprocess.Popen(
        [sys.executable, "-c", hold],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        _one_line_error(_run(["reprocess", "--db=a.db"]), 75, "holds")
    finally:
        holder.kill()
        holder.wait()
    assert _run(["reprocess", "--db=a.db"]).exit_code == 0


def test_serving_beyond_loopback_is_warned_about(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Archive("a.db").close()
    taken = socket.socket()
    taken.bind(("0.0.0.0", 0))
    port = taken.getsockname()[1]
    try:  # the port is taken, so the command stops after its warning, before serving
        result = _run(["serve", "--db=a.db", "--host=0.0.0.0", f"--port={port}"])
    finally:
        taken.close()
    assert result.exit_code == 2
    assert "warning: listening on 0.0.0.0 lets anyone" in result.stderr
