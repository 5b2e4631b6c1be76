"""A WACZ of `hepza export-wacz` replayed by pywb (a real `wayback` process on 127.0.0.1) in Chromium: the
archived article renders from the archive while the replica it was crawled from keeps running and sees no
request at all."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.parse
import zipfile
from pathlib import Path

import pytest

from archive.browse import free_port, wait_until_answers
from replica import Site, serve
from tests.browse.cdp import BrowserMissing, Chromium
from tests.browse.support import ARTIFACTS
from tests.hepza_cli import crawl_argv, rows, run_hepza

# pywb lives in a venv of its own beside the project's (the Makefile's .venv/pywb): it pins redis-py 2.10.
BIN = Path(sys.executable).parents[1] / "pywb" / "bin"


def _pywb(folder: Path, package: Path, log: Path) -> tuple[subprocess.Popen, str]:
    """pywb's `wayback` over a collection holding the package's WARC, on 127.0.0.1 (never 0.0.0.0)."""
    for argv in (["init", "hepza"], ["add", "--unpack-wacz", "hepza", str(package)]):
        subprocess.run(
            [str(BIN / "wb-manager"), *argv], cwd=folder, check=True, capture_output=True, timeout=120
        )
    port = free_port()
    out = open(log, "ab")
    process = subprocess.Popen(
        [str(BIN / "wayback"), "--port", str(port), "--bind", "127.0.0.1"],
        cwd=folder,
        stdout=out,
        stderr=out,
        stdin=subprocess.DEVNULL,
    )
    out.close()
    url = f"http://127.0.0.1:{port}"
    wait_until_answers(f"{url}/hepza/", process, 60)
    return process, url


def test_pywb_replays_an_archived_article_with_no_request_to_the_replica(tmp_path):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    db, package = tmp_path / "hepza.db", tmp_path / "article.wacz"
    site = Site(articles=6)
    with serve(site) as replica:
        crawl = run_hepza(*crawl_argv(replica.url, db, concurrency=16))
        assert crawl.returncode == 0, crawl.stderr[-2000:]
        article = rows(db, "SELECT id, url, title FROM articles ORDER BY id LIMIT 1")[0]
        export = run_hepza(
            "export-wacz", "--db", str(db), "--output", str(package), "--article", str(article["id"])
        )
        assert export.returncode == 0, export.stderr
        with zipfile.ZipFile(package) as z:
            page = [line for line in z.read("pages/pages.jsonl").decode().splitlines()][1]
        ts = "".join(ch for ch in json.loads(page)["ts"] if ch.isdigit())[:14]
        pywb, base = _pywb(tmp_path, package, ARTIFACTS / "pywb.log")
        try:
            try:
                browser = Chromium()
            except BrowserMissing as exc:
                pytest.fail(str(exc))
            try:
                before = replica.request_count
                browser.goto(f"{base}/hepza/{ts}mp_/{article['url']}")
                deadline = time.monotonic() + 20
                text = ""
                while time.monotonic() < deadline and article["title"] not in text:
                    text = browser.evaluate("document.body ? document.body.innerText : ''") or ""
                    time.sleep(0.2)
                browser.screenshot(ARTIFACTS / "pywb-replay.png", full_page=False)
                title = browser.evaluate("document.title")
                time.sleep(1.0)  # late requests (scripts, images) would reach the replica by now
                after = replica.request_count
                # the count does see a browser's requests: the live page, loaded straight from the replica
                browser.goto(article["url"])
                live = replica.request_count
            finally:
                browser.close()
        finally:
            pywb.terminate()
            pywb.wait(timeout=10)
    assert article["title"] in text, text[:500]
    assert article["title"] in title
    assert after == before, f"{after - before} requests reached the replica during the replay"
    assert live > after
    assert urllib.parse.urlsplit(article["url"]).port == urllib.parse.urlsplit(replica.url).port
