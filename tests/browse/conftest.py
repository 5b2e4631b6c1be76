"""Fixtures for browsing: an archive built from the replica, `hepza serve` over it, headless Chromium.

The archive is made once per session the way a user makes one: `hepza crawl` of the replica, an edit on
the replica, a second `hepza crawl --full`. Two rows are then added that carry hostile markup: one written
through ``Archive.save`` with a body that went through the archive's sanitiser (what the crawler does), and
in a copy of the file, the same row's ``body_html`` overwritten with the raw hostile HTML (what a bug or a
hand edit could leave), to show the *rendering* is safe on its own.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from archive.browse import serving
from archive.store import Archive
from replica import Site, serve
from tests.browse.cdp import BrowserMissing, Chromium
from tests.browse.support import (
    ADDED_PARAGRAPH,
    ARTIFACTS,
    EDIT_FROM,
    EDIT_TO,
    HOSTILE_ASSET,
    HOSTILE_HTML,
    SEARCH_TITLE_WORDS,
    hostile_record,
)
from tests.hepza_cli import built_once, crawl_argv, run_hepza


def crawl(site_url: str, db: Path, *extra: str) -> None:
    result = run_hepza(*crawl_argv(site_url, db, *extra, concurrency=16))
    assert result.returncode == 0, f"crawl failed ({result.returncode}): {result.stderr[-2000:]}"


def _build(folder: Path) -> None:
    """One crawl, an edit, a second --full crawl, one hostile row, and the copy with raw hostile HTML; the
    facts the tests need go to facts.json beside the files."""
    db = folder / "hepza.db"
    site = Site()
    target = next(g for g in site.gold() if SEARCH_TITLE_WORDS in g["title"] and EDIT_FROM in g["title"])
    with serve(site) as server:
        crawl(server.url, db)
        site.edit(
            target["asset_id"],
            title=target["title"].replace(EDIT_FROM, EDIT_TO),
            add_paragraph=ADDED_PARAGRAPH,
        )
        crawl(server.url, db, "--full")
    archive = Archive(db)
    try:
        archive.save(hostile_record(), None, run_id=None)
    finally:
        archive.close()
    conn = sqlite3.connect(db)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        edited_id = conn.execute(
            "SELECT id FROM articles WHERE asset_id = ?", [target["asset_id"]]
        ).fetchone()[0]
        hostile_id = conn.execute("SELECT id FROM articles WHERE asset_id = ?", [HOSTILE_ASSET]).fetchone()[0]
        # The copy: the same archive with the raw hostile HTML written straight into the row.
        copy = sqlite3.connect(folder / "hostile.db")
        conn.backup(copy)
        copy.execute("UPDATE articles SET body_html = ? WHERE id = ?", [HOSTILE_HTML, hostile_id])
        copy.commit()
        copy.close()
    finally:
        conn.close()
    facts = {
        "edited_id": edited_id,
        "hostile_id": hostile_id,
        "old_title": target["title"],
        "new_title": target["title"].replace(EDIT_FROM, EDIT_TO),
        "asset_id": target["asset_id"],
    }
    (folder / "facts.json").write_text(json.dumps(facts), encoding="utf-8")


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> dict:
    """The archive (and facts about it), built once for the whole run and shared by the xdist workers:
    each worker serves the same files read-only (no test writes to them)."""
    folder = built_once(tmp_path_factory, "browse", _build)
    facts = json.loads((folder / "facts.json").read_text(encoding="utf-8"))
    return {"db": folder / "hepza.db", "hostile_db": folder / "hostile.db", **facts}


@pytest.fixture(scope="session")
def server(built) -> str:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with serving(built["db"], log=ARTIFACTS / "serve.log") as url:
        yield url


@pytest.fixture(scope="session")
def hostile_server(built) -> str:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with serving(built["hostile_db"], log=ARTIFACTS / "serve-hostile.log") as url:
        yield url


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def crawled_hostile(tmp_path_factory) -> dict:
    """The whole chain for hostile bodies: the replica serves every article with the hostile markup injected
    into its rich-text body, `hepza crawl` archives it, `hepza serve` shows it."""
    from replica.faults import ARTICLES, Faults, Rule

    folder = tmp_path_factory.mktemp("xss")
    db = folder / "xss.db"
    site = Site()
    with serve(site) as replica:
        replica.faults = Faults(
            Rule("inject", match=ARTICLES, after=r'data-lfr-editable-type="rich-text">', html=HOSTILE_HTML)
        )
        crawl(replica.url, db)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(db)
    try:
        article_id = conn.execute("SELECT id FROM articles ORDER BY id LIMIT 1").fetchone()[0]
    finally:
        conn.close()
    with serving(db, log=ARTIFACTS / "serve-xss.log") as url:
        yield {"url": url, "db": db, "article_id": article_id}


# The portals of the folder `hepza serve --archives` is tested on, besides hepza (the archive above).
OTHER_PORTALS = ("liferay73", "liferay62")


def _portals_folder(tmp_path_factory, built: dict, folder: Path) -> None:
    """A folder of portal archives as `hepza crawl --all` leaves one: hepza (the archive above, edited),
    liferay73 and liferay62 (the first crawls the e2e tier primes, shared with it), and a file that is no
    archive (named on stderr, not served)."""
    from tests.e2e.conftest import _prime

    archives = folder / "archives"
    archives.mkdir()
    shutil.copyfile(built["db"], archives / "hepza.db")
    for portal in OTHER_PORTALS:
        primed = built_once(tmp_path_factory, f"primed-{portal}", lambda f, p=portal: _prime(p, f))
        conn = sqlite3.connect(primed / "archive" / "x.db")
        try:  # a consistent copy whatever its WAL holds
            copy = sqlite3.connect(archives / f"{portal}.db")
            conn.backup(copy)
            copy.close()
        finally:
            conn.close()
    (archives / "notes.db").write_text("not an archive", encoding="utf-8")


@pytest.fixture(scope="session")
def portals_folder(tmp_path_factory, built) -> Path:
    folder = built_once(tmp_path_factory, "portals", lambda f: _portals_folder(tmp_path_factory, built, f))
    return folder / "archives"


@pytest.fixture(scope="session")
def portals_server(portals_folder) -> str:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = ARTIFACTS / "serve-portals.log"
    log.unlink(missing_ok=True)
    with serving(archives=portals_folder, log=log) as url:
        yield url


# One headless Chromium per test module (Chromium missing is a failure, not a skip).
@pytest.fixture(scope="module")
def browser():
    try:
        chromium = Chromium()
    except BrowserMissing as exc:
        pytest.fail(str(exc))
    try:
        yield chromium
    finally:
        chromium.close()
