"""`hepza crawl --portal NAME` / `--all` before any crawl: which portals, with which settings, and the
usage errors (one line, exit 2, nothing created). The crawl itself: tests/e2e/test_crawl_many.py."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.cli import _portal_crawls, main, worst_exit_code
from tests.hepza_cli import ROOT


def _run(args, env=None):
    return CliRunner(env={**{k: None for k in os.environ if k.startswith("HEPZA_")}, **(env or {})}).invoke(
        main, args
    )


def _profiles(folder: Path, **profiles: str) -> Path:
    folder.mkdir()
    for name, text in profiles.items():
        (folder / f"{name}.toml").write_text(text, encoding="utf-8")
    return folder


def _jobs(folder: Path, names=(), all_portals=True, **cli):
    options = {"portals_dir": str(folder), "archives_dir": str(folder.parent / "archives")}
    options.update({"delay": None, "concurrency": None}, **cli)
    return _portal_crawls(
        None,
        names,
        all_portals,
        options["portals_dir"],
        options["archives_dir"],
        options["delay"],
        options["concurrency"],
        lambda values, hints: {"HEPZA_HINTS": hints},
    )


@pytest.mark.parametrize(
    ("codes", "worst"),
    [
        ([0, 1, 75], 75),  # a portal not crawled at all outweighs another's failed pages
        ([75, 3, 0], 3),  # an alarm outweighs a lock
        ([3, 2], 2),  # a portal that cannot be crawled until someone fixes it outweighs an alarm
        ([2, 70, 1], 70),  # a bug outweighs everything but an interruption
        ([130, 70], 130),
        ([0, 0], 0),
        ([0, 42], 42),  # a code without a place counts as the worst
    ],
)
def test_the_overall_exit_code_is_the_worst_portals_in_the_documented_order(codes, worst):
    assert worst_exit_code(codes) == worst


def test_a_profile_wins_over_the_environment_and_the_command_line_over_the_profile(tmp_path, monkeypatch):
    folder = _profiles(
        tmp_path / "portals",
        a='origin = "http://127.0.0.1:1"\ndelay = 0.5\ntimezone = "Asia/Bangkok"\n'
        '[hints]\ndate_formats = ["%d.%m.%Y"]\n',
        b='origin = "http://127.0.0.1:2"\nconcurrency = 2\n',
        c='origin = "http://127.0.0.1:3"\nenabled = false\n',
    )
    for name, value in {
        "DELAY": "9",
        "CONCURRENCY": "7",
        "SITE_URL": "http://127.0.0.9",
        "DB": "x.db",
    }.items():
        monkeypatch.setenv(f"HEPZA_{name}", value)
    monkeypatch.setenv("HEPZA_RETRIES", "5")  # (not a profile's key: the environment still gives it)
    jobs = {job.name: job for job in _jobs(folder)}
    assert sorted(jobs) == ["a", "b"]  # c is not enabled
    a, b = jobs["a"].values, jobs["b"].values
    assert (a["site_url"], a["delay"], a["timezone"], a["retries"]) == (
        "http://127.0.0.1:1",
        0.5,
        "Asia/Bangkok",
        5,
    )
    assert a["db"] == str(tmp_path / "archives" / "a.db") and b["db"] == str(tmp_path / "archives" / "b.db")
    assert (b["delay"], b["concurrency"]) == (1.0, 2)  # the profile's defaults, not HEPZA_DELAY's 9
    assert jobs["a"].overrides["HEPZA_HINTS"]["date_formats"] == ["%d.%m.%Y"]

    given = {job.name: job.values for job in _jobs(folder, names=("c",), all_portals=False, delay=0.0)}
    assert list(given) == ["c"] and given["c"]["delay"] == 0.0  # --portal takes a disabled one; --delay wins


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--all", "--db", "x.db"], "drop --site-url/--db"),
        (["--portal", "a", "--site-url", "http://127.0.0.1:9"], "drop --site-url/--db"),
        (["--portal", "nope"], "no portal 'nope' in portals (its profiles: a, off)"),
        (["--portal", "a", "--portals", "missing"], "missing: no such folder of portal profiles"),
    ],
)
def test_a_wrong_portal_run_is_one_line_exit_2_and_creates_nothing(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    _profiles(
        tmp_path / "portals",
        a='origin = "http://127.0.0.1:1"\n',
        off='origin = "http://127.0.0.1:2"\nenabled = false\n',
    )
    result = _run(["crawl", *args])
    lines = result.stderr.strip().splitlines()
    assert result.exit_code == 2, (result.output, result.exception)
    assert len(lines) == 1 and message in lines[0], lines
    assert sorted(os.listdir(tmp_path)) == ["portals"]


def test_all_without_an_enabled_profile_or_with_a_bad_one_is_exit_2(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = _profiles(tmp_path / "portals", off='origin = "http://127.0.0.1:2"\nenabled = false\n')
    result = _run(["crawl", "--all"])
    assert result.exit_code == 2 and "no enabled portal profile in portals" in result.stderr
    (folder / "bad.toml").write_text('origin = "http://127.0.0.1:3"\ndelay = -1\n', encoding="utf-8")
    result = _run(["crawl", "--all"])
    assert result.exit_code == 2 and "bad.toml: delay: must be a number of at least 0" in result.stderr
    assert sorted(os.listdir(tmp_path)) == ["portals"]


# Another run, holding a portal's lock (a process of its own: the lock is re-entrant within one).
_HOLD_LOCK = "import sys; from archive.lock import RunLock; RunLock(sys.argv[1]).acquire(); print(1, flush=True); input()"


def test_portals_that_cannot_be_crawled_are_each_one_line_and_the_worst_code(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _profiles(
        tmp_path / "portals",
        damaged='origin = "http://127.0.0.1:1"\n',
        locked='origin = "http://127.0.0.1:2"\n',
    )
    (tmp_path / "archives").mkdir()
    (tmp_path / "archives" / "damaged.db").write_text("not an archive\n", encoding="utf-8")
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD_LOCK, str(tmp_path / "archives" / "locked.db")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "1"
        result = _run(["crawl", "--all"])
    finally:
        holder.kill()
        holder.wait()
    assert result.exit_code == 2, result.output  # an archive to repair outweighs a portal being crawled
    damaged, locked = result.stdout.splitlines()
    assert damaged.startswith("damaged: error: ") and "damaged.db" in damaged, damaged
    assert locked.startswith(f"locked: locked: another run (pid {holder.pid})"), locked
    assert result.stderr == ""
