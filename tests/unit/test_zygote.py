"""The test zygote (tests/zygote.py) gives what a plain `python -m archive.cli` subprocess gives: exit code,
stdout, stderr, environment and working directory; a timeout kills the run."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.hepza_cli import ROOT, _environment, _the_zygote


def _both(*args: str, env: dict | None = None):
    argv = [sys.executable, "-m", "archive.cli", *args]
    environment = _environment(env)
    zygote = _the_zygote()
    assert zygote is not None and zygote.can_run(environment)
    forked = zygote.run(argv, env=environment, cwd=ROOT, timeout=60)
    plain = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, env=environment, timeout=60)
    return forked, plain


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (("--help",), None),  # stdout, exit 0, the program name -m gives
        (("crawl", "--no-such-option"), None),  # a usage error: one line, exit 2
        (("stats",), {"HEPZA_DB": "missing-by-env.db"}),  # the environment asked for, and the cwd
    ],
)
def test_a_forked_run_gives_what_a_plain_subprocess_gives(args, env):
    forked, plain = _both(*args, env=env)
    assert (forked.returncode, forked.stdout, forked.stderr) == (plain.returncode, plain.stdout, plain.stderr)
    assert forked.stdout or forked.stderr


def test_the_run_names_the_asked_for_archive_relative_to_the_working_directory():
    forked, _ = _both("stats", env={"HEPZA_DB": "missing-by-env.db"})
    assert forked.returncode == 2 and "missing-by-env.db" in forked.stderr


def test_a_run_past_its_timeout_is_killed_and_raises_as_subprocess_does():
    zygote = _the_zygote()
    assert zygote is not None
    argv = [sys.executable, "-m", "archive.cli", "sample-site", "--port", "0"]
    with pytest.raises(subprocess.TimeoutExpired):
        zygote.run(argv, env=_environment(None), cwd=ROOT, timeout=3)
    # The zygote still serves the next run.
    assert zygote.run(argv[:3] + ["--help"], env=_environment(None), cwd=ROOT, timeout=60).returncode == 0
