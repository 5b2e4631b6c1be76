"""A crawl stopped by SIGTERM or Ctrl-C (SIGINT): its own exit code, its row `interrupted`, no false alarm."""

from __future__ import annotations

import json
import signal
import time

import pytest

from replica import Site, serve
from replica.faults import ARTICLES, Faults, Rule
from tests.reliability.conftest import crawl_argv, popen_hepza, rows

EXIT_INTERRUPTED = 130


def _runs(db) -> list[dict]:
    try:
        return rows(db, "SELECT status, exit_code, alarms FROM crawl_runs ORDER BY id")
    except Exception:  # the archive is not created yet
        return []


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
@pytest.mark.parametrize("times", [1, 2], ids=["once", "twice"])
def test_an_interrupted_first_run_says_so(tmp_path, signum, times):
    db = tmp_path / "i.db"
    with serve(Site()) as server:
        # Every article answers after a second: the run is still fetching when the signal comes.
        server.faults = Faults(Rule("stall", match=ARTICLES, seconds=1.0))
        process = popen_hepza(*crawl_argv(server.url, db, concurrency=1))
        deadline = time.monotonic() + 30
        while not any(r["status"] == "running" for r in _runs(db)) and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1.5)
        for _ in range(times):
            process.send_signal(signum)
            time.sleep(0.05)
        stdout, stderr = process.communicate(timeout=60)
        server.faults.stop()
    assert process.returncode == EXIT_INTERRUPTED, stderr[-2000:]
    assert "Traceback" not in stderr
    [run] = _runs(db)
    assert run["status"] == "interrupted" and run["exit_code"] == EXIT_INTERRUPTED, run
    assert "login" not in (run["alarms"] or ""), run
    summary = json.loads(stdout.strip().splitlines()[-1])
    assert summary["status"] == "interrupted" and summary["exit_code"] == EXIT_INTERRUPTED
