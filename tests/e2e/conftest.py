"""End-to-end fixtures: the replica served on loopback and `hepza crawl` run as a user runs it."""

from __future__ import annotations

import fcntl
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from replica import ReplicaServer, Site, e2e_portal_names, serve
from tests.hepza_cli import ROOT, built_once, crawl_argv, popen_hepza, rows, run_hepza, summary_of

__all__ = ["ROOT", "PortalRun", "crawl", "popen_hepza", "rows", "run_hepza"]


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


@dataclass
class PortalRun:
    """One replica portal, fresh, served where its primed archive was crawled, and a copy of that archive
    (``db``) with the summary of the crawl that filled it."""

    portal: str
    site: Site
    server: ReplicaServer
    db: Path
    first_crawl: dict


def _prime(portal: str, folder: Path) -> None:
    """A first crawl of a fresh replica portal into ``folder/archive``; its port and summary beside it."""
    (folder / "archive").mkdir()
    with serve(Site(portal=portal)) as running:
        summary = crawl(running.url, folder / "archive" / "x.db")
        port = running.server_address[1]
    summary.pop("stderr")
    (folder / "primed.json").write_text(json.dumps({"port": port, "summary": summary}), encoding="utf-8")


@pytest.fixture(params=e2e_portal_names())
def portal_run(request, tmp_path_factory, tmp_path) -> Iterator[PortalRun]:
    """Every replica portal in turn, after a first crawl: the crawl runs once per portal and test run
    (``built_once``, shared by the xdist workers), each test gets its own copy of the archive and a fresh
    portal. The portal is served on the port the archive was crawled from (an archived body's links name
    the host and port), so tests of one portal take turns on it."""
    portal = request.param
    folder = built_once(tmp_path_factory, f"primed-{portal}", lambda f: _prime(portal, f))
    primed = json.loads((folder / "primed.json").read_text(encoding="utf-8"))
    shutil.copytree(folder / "archive", tmp_path / "archive")
    with open(folder / "serve.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        site = Site(portal=portal)
        with serve(site, port=primed["port"]) as running:
            yield PortalRun(portal, site, running, tmp_path / "archive" / "x.db", primed["summary"])
