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
        (("crawl", "--site-url", "http://127.0.0.1:9", "--db", "/proc/none/x.db"), None),  # a failed run
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


@pytest.mark.parametrize("code", [None, 0, 3, -1, 256, "one line"])
def test_a_forked_run_ends_with_the_status_the_interpreter_gives_its_exit(code, capsys):
    # A forked run leaves by os._exit, skipping the interpreter's teardown (tests/zygote.py says why), so
    # it works out the status itself: the same as a real interpreter's for the same SystemExit.
    from tests.zygote import _exit_status

    real = subprocess.run(
        [sys.executable, "-c", f"import sys; sys.exit({code!r})"], capture_output=True, text=True
    )
    assert _exit_status(code) == real.returncode
    assert capsys.readouterr().err == real.stderr


def _children(pid: int) -> set[int]:
    from pathlib import Path

    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found.update(int(child) for child in (task / "children").read_text().split())
    return found


def _stand_in(zygote):
    """A forked crawl's writer, started as the crawl starts it (scraper.archive_writer.writer_command in a
    forked run), with this process as its crawl; returns the stand-in and the writer the zygote forked."""
    import os
    import time
    from pathlib import Path

    before = _children(zygote.process.pid)
    stand_in = subprocess.Popen(
        [
            sys.executable,
            "-S",
            str(Path(ROOT, "tests", "zygote_writer.py")),
            zygote.socket_path,
            str(os.getpid()),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while not (_children(zygote.process.pid) - before) and time.monotonic() < deadline:
        time.sleep(0.05)
    forked = _children(zygote.process.pid) - before
    assert len(forked) == 1, "the zygote forked no writer"
    return stand_in, forked.pop()


def _gone(pid: int, within: float = 10.0) -> bool:
    import os
    import time

    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            state = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            return True
        if state == "Z":
            return True  # (dead, its parent not yet told)
        time.sleep(0.05)
    return not os.path.exists(f"/proc/{pid}")


def test_a_forked_crawls_writer_is_forked_on_its_pipes_and_ends_its_stand_in_with_its_status():
    from archive.protocol import PROTOCOL_VERSION, Error, FrameDecoder, OpenRun, WriterConfig, encode

    zygote = _the_zygote()
    assert zygote is not None
    stand_in, writer = _stand_in(zygote)
    # A crawler of another protocol version: the real writer answers with an Error and ends with status 1.
    opening = OpenRun(
        WriterConfig(db_path="/proc/none/x.db", site_url="http://127.0.0.1:9"), PROTOCOL_VERSION + 1
    )
    out, err = stand_in.communicate(encode(opening), timeout=30)
    (reply,) = list(FrameDecoder().feed(out))
    assert isinstance(reply, Error) and "protocol version" in reply.message
    assert stand_in.returncode == 1, err
    assert _gone(writer)


def test_a_forked_crawls_writer_dies_when_its_stand_in_is_killed():
    # As a writer dies with its crawl: the kernel kills the stand-in with the crawl, the zygote the writer.
    zygote = _the_zygote()
    assert zygote is not None
    stand_in, writer = _stand_in(zygote)
    stand_in.kill()
    stand_in.wait(timeout=10)
    assert _gone(writer)
    assert (
        zygote.run(
            [sys.executable, "-m", "archive.cli", "--help"], env=_environment(None), cwd=ROOT, timeout=60
        ).returncode
        == 0
    )
