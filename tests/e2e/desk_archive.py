"""The change desk's archive: the replica crawled over loopback as a user would, with every kind of change
a journalist must see between the crawls, built once per test run (``built_once``) for the e2e and the
browser tests of the desk.

Run 1 archives the portal (one article carries a typo, put there before it). Between run 1 and run 2 the
portal changes a figure (``1.284,5`` → ``1.248,5 triệu USD``), fixes the typo (one word), changes a byline,
renames an article (new title, new address), replaces a document under its address and removes an
article; run 2 (``--full``) finds them, the removal pending; run 3 (``--full``) confirms the removal.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from replica import Site, serve
from tests.hepza_cli import built_once, crawl_argv, run_hepza

FIGURE_ASSET = "1202159"  # "Kết quả thu hút đầu tư…": 1.284,5 triệu USD
FIGURE_FROM, FIGURE_TO = "1.284,5", "1.248,5"
TYPO_ASSET = "1206168"
BYLINE_ASSET, NEW_BYLINE = "1205957", "Ngọc Hân"
DOCUMENT_ASSET = "1204480"
NEW_TITLE = "Tiếp nhận hồ sơ doanh nghiệp (đã đổi tên)"


def _crawl(url: str, db: Path, *extra: str) -> None:
    result = run_hepza(*crawl_argv(url, db, *extra, concurrency=16))
    assert result.returncode in (0, 1), f"crawl failed ({result.returncode}): {result.stderr[-2000:]}"


def _typo(site: Site) -> tuple[str, str]:
    """A word of the typo article written once in its body, and that word with its last letter lost."""
    article = site.article(TYPO_ASSET)
    html = " ".join(b.html for b in article.blocks)
    for block in article.blocks:
        if block.kind != "p":
            continue
        for word in re.findall(r"\w+", block.body_text()):
            if len(word) >= 6 and word.isalpha() and len(re.findall(rf"(?<!\w){word}(?!\w)", html)) == 1:
                return word, word[:-1]
    raise AssertionError("no word to misspell")


def build(folder: Path) -> None:
    db = folder / "desk.db"
    site = Site()
    word, typo = _typo(site)
    site.edit(TYPO_ASSET, replace=(word, typo))
    live = [a for a in site.live() if not any(b.kind == "attach" for b in a.blocks)]
    taken = {FIGURE_ASSET, TYPO_ASSET, BYLINE_ASSET, DOCUMENT_ASSET}
    renamed, removed = (a.asset_id for a in [a for a in live if a.asset_id not in taken][-2:])
    with serve(site) as server:
        _crawl(server.url, db)
        conn = sqlite3.connect(db)
        try:
            (document,) = conn.execute(
                "SELECT f.url FROM attachment_files f JOIN articles a ON a.id = f.article_id "
                "WHERE a.asset_id = ? ORDER BY f.id LIMIT 1",
                [DOCUMENT_ASSET],
            ).fetchone()
            old_url = conn.execute("SELECT url FROM articles WHERE asset_id = ?", [renamed]).fetchone()[0]
        finally:
            conn.close()
        site.edit(FIGURE_ASSET, replace=(FIGURE_FROM, FIGURE_TO))
        site.edit(TYPO_ASSET, replace=(typo, word))
        site.edit(BYLINE_ASSET, byline=NEW_BYLINE)
        site.rename(renamed, NEW_TITLE)
        site.replace_document(document)
        site.remove(removed)
        _crawl(server.url, db, "--full")
        _crawl(server.url, db, "--full")
    conn = sqlite3.connect(db)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        ids = dict(conn.execute("SELECT asset_id, id FROM articles"))
    finally:
        conn.close()
    facts = {
        "figure": ids[FIGURE_ASSET],
        "typo": ids[TYPO_ASSET],
        "byline": ids[BYLINE_ASSET],
        "document": ids[DOCUMENT_ASSET],
        "renamed": ids[renamed],
        "removed": ids[removed],
        "document_url": document,
        "old_url": old_url,
        "word": word,
        "misspelt": typo,
    }
    (folder / "facts.json").write_text(json.dumps(facts), encoding="utf-8")


def desk_archive(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The archive (``db``) and the ids and words of what changed (shared by the xdist workers: read it,
    never write to it)."""
    folder = built_once(tmp_path_factory, "desk", build)
    return {"db": folder / "desk.db", **json.loads((folder / "facts.json").read_text(encoding="utf-8"))}
