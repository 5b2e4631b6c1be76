"""Constants and helpers shared by the browsing tests (the fixtures are in conftest.py)."""

from __future__ import annotations

import json
import os
import shutil
import urllib.error
import urllib.request
from pathlib import Path

from pipelines.model import ArticleRecord
from pipelines.sanitize import sanitize_html

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browse"

# The article the browser searches for, edits and diffs: its title has "xây dựng Đảng".
SEARCH_TITLE_WORDS = "xây dựng Đảng"
EDIT_FROM, EDIT_TO = "tổng kết", "sơ kết"
ADDED_PARAGRAPH = "Đảng ủy Ban Quản lý sẽ tiếp tục theo dõi và báo cáo kết quả thực hiện."

HOSTILE_ASSET = "9990001"
HOSTILE_TITLE = "Bài thử an toàn <img src=x onerror=\"window.__hepzaPwned='title'\"> hoà bình"
# Every way a body could try to run a script; a run would set window.__hepzaPwned or document.title.
HOSTILE_HTML = """<p>Đoạn mở đầu của bài thử an toàn, hòa bình.</p>
<script>window.__hepzaPwned = 'script'; document.title = 'PWNED';</script>
<p><img src="x" onerror="window.__hepzaPwned='onerror'; document.title='PWNED'"></p>
<p><a href="javascript:window.__hepzaPwned='href'">liên kết javascript</a>
<a href=" JaVaScRiPt:window.__hepzaPwned='href2'">liên kết 2</a>
<a href="data:text/html,<script>alert(1)</script>">liên kết data</a></p>
<svg onload="window.__hepzaPwned='svg'"><circle r="1"/></svg>
<iframe src="javascript:parent.__hepzaPwned='iframe'"></iframe>
<object data="javascript:window.__hepzaPwned='object'"></object>
<form action="javascript:window.__hepzaPwned='form'"><button>gửi</button></form>
<p style="background:url(javascript:window.__hepzaPwned='style')" onclick="window.__hepzaPwned='click'">Đoạn cuối.</p>
<details open ontoggle="window.__hepzaPwned='toggle'"><summary>x</summary></details>"""


def hostile_record() -> ArticleRecord:
    return ArticleRecord(
        url=f"https://hepza.hochiminhcity.gov.vn/w/bai-thu-an-toan-{HOSTILE_ASSET}",
        locale="vi",
        asset_id=HOSTILE_ASSET,
        canonical=None,
        lang="vi",
        title_raw=HOSTILE_TITLE,
        title=HOSTILE_TITLE,
        published_raw="08:00 02/01/2020",
        published_at="2020-01-02T08:00:00+07:00",
        byline_raw=None,
        authors=["<b>Người thử</b>"],
        roles=[],
        source=None,
        photo_credits=[],
        body_text="Đoạn mở đầu của bài thử an toàn, hòa bình.\n\n<script>window.__hepzaPwned='text'</script> Đoạn cuối.",
        body_html=sanitize_html(HOSTILE_HTML),
        images=[],
        attachments=[{"url": "javascript:window.__hepzaPwned='attachment'", "title": "tệp"}],
        links=[
            {
                "url": "javascript:window.__hepzaPwned='link'",
                "text": "<img src=x onerror=\"window.__hepzaPwned='linktext'\">",
            },
            {"url": "https://example.org/van-ban", "text": "văn bản"},
        ],
        event_date=None,
        event_precision=None,
        event_sentence=None,
        published_is_migration=False,
        document_refs=[],
        alternates={},
        layers={},
        warnings=[],
    )


class Fetched:
    def __init__(self, status: int, headers, body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self):
        return json.loads(self.body)


def fetch(url: str, *, data: bytes | None = None, method: str | None = None) -> Fetched:
    request = urllib.request.Request(url, data=data, method=method)
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return Fetched(response.status, response.headers, response.read())
    except urllib.error.HTTPError as exc:
        return Fetched(exc.code, exc.headers, exc.read())


def copy_artifact(src: Path, name: str) -> None:
    """Keep a screenshot under docs/img when HEPZA_UPDATE_DOC_IMAGES=1 (the docs' pictures)."""
    if os.environ.get("HEPZA_UPDATE_DOC_IMAGES") == "1":
        shutil.copyfile(src, ROOT / "docs" / "img" / name)


def count_in_the_text(db: Path, word: str, *, exact: bool) -> int:
    """Articles whose title or body holds the word, counted straight from the text (not the index): as
    written (case aside) for a word with marks, folded for one without: what search counts are held to."""
    import re
    import sqlite3

    from pipelines.text import fold_key

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        texts = [f"{t or ''} {b or ''}" for t, b in conn.execute("SELECT title, body_text FROM articles")]
    finally:
        conn.close()
    if exact:
        return sum(word.casefold() in re.findall(r"\w+", t.casefold()) for t in texts)
    return sum(fold_key(word) in re.findall(r"\w+", fold_key(t)) for t in texts)


def requests_since(browser, since: int) -> list[str]:
    """The URLs the browser asked for since its event number ``since`` (its Network domain enabled)."""
    return [
        e["params"]["request"]["url"]
        for e in browser.events[since:]
        if e["method"] == "Network.requestWillBeSent"
    ]
