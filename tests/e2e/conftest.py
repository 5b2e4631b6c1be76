"""End-to-end fixtures: the replica served on loopback and `hepza crawl` run as a user runs it."""

from __future__ import annotations

from pathlib import Path

import pytest

from replica import Site, serve
from tests.hepza_cli import ROOT, crawl_argv, popen_hepza, rows, run_hepza, summary_of

__all__ = ["ROOT", "crawl", "popen_hepza", "rows", "run_hepza"]


def crawl(server_url: str, db: Path, *extra: str, env: dict | None = None) -> dict:
    """A fast crawl of the replica (politeness off on loopback); returns the JSON summary."""
    return summary_of(run_hepza(*crawl_argv(server_url, db, *extra, concurrency=16), env=env))


@pytest.fixture
def site() -> Site:
    return Site()


@pytest.fixture
def server(site):
    with serve(site) as running:
        yield running
