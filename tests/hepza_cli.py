"""Running `hepza` as a user (or cron) runs it: a fresh process, the user's HEPZA_* settings left out so
tests are hermetic, and the JSON summary of a crawl read back. Shared by the e2e and reliability suites."""

from __future__ import annotations

import atexit
import fcntl
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.zygote import Zygote

ROOT = Path(__file__).resolve().parents[1]


def _environment(env: dict | None) -> dict:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("HEPZA_")}
    environment.update(env or {})
    return environment


_zygote: Zygote | None = None
_zygote_lock = threading.Lock()


def _the_zygote() -> Zygote | None:
    """This pytest process's zygote (tests/zygote.py), started on first use; None when TEST_ZYGOTE=off."""
    global _zygote
    if os.environ.get("TEST_ZYGOTE") == "off":
        return None
    with _zygote_lock:  # (tests run hepza from threads too)
        if _zygote is None:
            folder = Path(tempfile.mkdtemp(prefix="hepza-zygote-"))
            atexit.register(shutil.rmtree, folder, ignore_errors=True)
            _zygote = Zygote(ROOT, _environment(None), folder)
    return _zygote


def run_hepza(
    *args: str, env: dict | None = None, timeout: float = 240, **popen
) -> subprocess.CompletedProcess:
    """`hepza ARGS…` to completion: a real process, forked by the zygote when it can (tests/zygote.py)."""
    argv = [sys.executable, "-m", "archive.cli", *args]
    environment = _environment(env)
    zygote = None if popen else _the_zygote()
    if zygote is not None and zygote.can_run(environment):
        return zygote.run(argv, env=environment, cwd=ROOT, timeout=timeout)
    return subprocess.run(
        argv,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env=environment,
        **popen,
    )


def popen_hepza(*args: str, env: dict | None = None) -> subprocess.Popen:
    """`hepza ARGS…` started in the background."""
    return subprocess.Popen(
        [sys.executable, "-m", "archive.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=_environment(env),
    )


def crawl_argv(url: str, db: Path, *extra: str, concurrency: int = 8) -> list[str]:
    """A fast crawl of the replica: politeness off on loopback, JSON summary."""
    return [
        "crawl",
        "--site-url",
        url,
        "--db",
        str(db),
        "--delay",
        "0",
        "--concurrency",
        str(concurrency),
        "--json",
        *extra,
    ]


def summary_of(result: subprocess.CompletedProcess) -> dict:
    """The JSON summary a crawl printed last, with its exit code and stderr."""
    assert result.stdout.strip(), f"no summary (exit {result.returncode}); stderr: {result.stderr[-3000:]}"
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    summary["returncode"] = result.returncode
    summary["stderr"] = result.stderr
    return summary


def rows(db: Path, sql: str, params=()) -> list[dict]:
    """Rows of a query on an archive, read-only."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, params).fetchall()]
    finally:
        conn.close()


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]) -> Path:
    """A folder that ``build`` fills once per test run, shared by every xdist worker (a primed archive
    that does not depend on a worker's own replica server): the first worker to ask builds it under a lock,
    the others wait and reuse it. Tests copy what is in it, never write to it."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the run's folder, above each worker's own
    folder = base / name
    with open(base / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        if not (folder / ".built").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            build(folder)
            (folder / ".built").touch()
    return folder
