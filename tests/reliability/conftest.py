"""Reliability fixtures: one healthy replica per session, a primed archive to copy, and `hepza crawl`
run as a subprocess with short timeouts (everything on 127.0.0.1, every run bounded in time)."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from archive.check import first_problem
from archive.store import Archive
from replica import Site, serve
from tests.hepza_cli import ROOT, crawl_argv, rows, run_hepza, summary_of
from tests.hepza_cli import popen_hepza as _popen_hepza

__all__ = ["ROOT", "crawl_argv", "rows"]

# Short timeouts so a stalled page costs seconds, not minutes; retries as in production. Given the way a
# user gives them: HEPZA_<SETTING> environment variables (archive/config.py).
# The backoff after a failure is shortened too (its own behaviour is tested in tests/scraper); Retry-After
# is still honoured as the site sends it.
FAST = {"HEPZA_TIMEOUT": "3", "HEPZA_RETRIES": "3", "HEPZA_BACKOFF_BASE": "0.02"}


def hepza(*args: str, env: dict | None = None, timeout: float = 120, **popen) -> subprocess.CompletedProcess:
    """The `hepza` command in a fresh process, as cron runs it, with the short timeouts."""
    return run_hepza(*args, env={**FAST, **(env or {})}, timeout=timeout, **popen)


def popen_hepza(*args: str, env: dict | None = None) -> subprocess.Popen:
    return _popen_hepza(*args, env={**FAST, **(env or {})})


def crawl(url: str, db: Path, *extra: str, env: dict | None = None, timeout: float = 120) -> dict:
    """One `hepza crawl`; the JSON summary with `returncode` and `stderr` added."""
    return summary_of(hepza(*crawl_argv(url, db, *extra), env=env, timeout=timeout))


def path_of(url: str) -> str:
    return unquote(urlsplit(url).path)


def snapshot(db: Path) -> dict:
    """What must equal between two archives of the same site: content per asset, versions, URLs."""
    articles = {
        r["asset_id"]: (r["content_hash"], r["version_count"])
        for r in rows(db, "SELECT asset_id, content_hash, version_count FROM articles")
    }
    # The articles' own (canonical) URLs. The aliases in article_urls are not compared: which spellings of
    # an article's URL a run meets first (locale, old route, NFD) depends on request order, by design.
    urls = {path_of(r["url"]) for r in rows(db, "SELECT url FROM articles")}
    versions = rows(db, "SELECT count(*) AS n FROM article_versions")[0]["n"]
    return {"articles": articles, "urls": urls, "versions": versions}


def assert_sound(db: Path) -> None:
    """hepza check passes, and no article's counter disagrees with its versions (no half-written one)."""
    archive = Archive(db, readonly=True)
    try:
        assert first_problem(archive) is None, first_problem(archive)
    finally:
        archive.close()
    bad = rows(
        db,
        "SELECT a.id, a.version_count, count(v.id) AS n, max(v.version) AS top FROM articles a "
        "LEFT JOIN article_versions v ON v.article_id = a.id GROUP BY a.id "
        "HAVING n != a.version_count OR top != a.version_count",
    )
    assert bad == [], bad


def run_errors(db: Path, run_id: int) -> list[dict]:
    return rows(db, "SELECT url, kind, status, message FROM crawl_errors WHERE run_id = ?", [run_id])


def copy_db(src: Path, dst: Path) -> Path:
    """A consistent copy through SQLite's backup API (WAL included), with its attachment files: an archive
    without them has lost them (``hepza check`` says so)."""
    source, target = sqlite3.connect(src), sqlite3.connect(dst)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
    files = src.parent / (src.name + ".files")
    if files.is_dir():
        shutil.copytree(files, dst.parent / (dst.name + ".files"))
    return dst


@pytest.fixture(scope="session")
def site() -> Site:
    return Site()


@pytest.fixture(scope="session")
def server(site):
    with serve(site) as running:
        yield running


@pytest.fixture(autouse=True)
def _healthy_after(request):
    """Whatever a test switched on, the session server is healthy again for the next test."""
    yield
    if "server" in request.fixturenames:
        running = request.getfixturevalue("server")
        if running.faults is not None:
            running.faults.stop()
        running.faults = None


@pytest.fixture(scope="session")
def baseline(server, tmp_path_factory) -> dict:
    """An uninterrupted healthy crawl of the session replica: the archive every faulted run must keep."""
    db = tmp_path_factory.mktemp("baseline") / "baseline.db"
    summary = crawl(server.url, db)
    assert summary["returncode"] == 0, summary
    assert_sound(db)
    return {
        "db": db,
        "summary": summary,
        **snapshot(db),
        "paths": {r["asset_id"]: path_of(r["url"]) for r in rows(db, "SELECT asset_id, url FROM articles")},
    }


@pytest.fixture
def primed(baseline, tmp_path) -> Path:
    """A private copy of the healthy archive."""
    return copy_db(baseline["db"], tmp_path / "primed.db")
