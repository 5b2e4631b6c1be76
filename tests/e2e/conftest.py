"""End-to-end fixtures: the replica served on loopback and `hepza crawl` run as a user runs it."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from replica import Site, serve

ROOT = Path(__file__).resolve().parents[2]


def run_hepza(*args: str, timeout: int = 240) -> subprocess.CompletedProcess:
    """The `hepza` command in a fresh process, as cron would run it."""
    return subprocess.run([sys.executable, "-m", "archive.cli", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT)


def crawl(server_url: str, db: Path, *extra: str) -> dict:
    """A fast crawl of the replica (politeness off on loopback); returns the JSON summary."""
    result = run_hepza("crawl", "--site-url", server_url, "--db", str(db), "--delay", "0", "--concurrency", "16",
                       "--json", *extra)
    assert result.stdout.strip(), f"no summary; stderr: {result.stderr[-2000:]}"
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    summary["returncode"] = result.returncode
    summary["stderr"] = result.stderr
    return summary


def rows(db: Path, sql: str, params=()) -> list[dict]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, params).fetchall()]
    finally:
        conn.close()


@pytest.fixture
def site() -> Site:
    return Site()


@pytest.fixture
def server(site):
    with serve(site) as running:
        yield running
