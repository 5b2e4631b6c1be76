"""One list of attachment extensions: what an article records as its attachments is what is downloaded.

Regression: three lists disagreed, and a ``.zip`` linked from an article was recorded among its
attachments but never handed to the spider to download.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from archive.captures import Capture
from archive.files import safe_name
from archive.protocol import ArticlePage, WriterConfig
from archive.writer import ArchiveWriter
from pipelines.attachments import DOCUMENT_EXTENSIONS, IMAGE_EXTENSIONS
from pipelines.extract import attachment_links
from pipelines.html_text import body_parts

ORIGIN = "http://127.0.0.1:8000"
SEED = Path(__file__).resolve().parents[1] / "files" / "hepza_article_seed.html"


def _document_url(ext: str) -> str:
    """A Liferay document URL: the file's name, then its uuid."""
    return f"{ORIGIN}/documents/20126/0/ho-so.{ext}/0f1e2d3c-0000-0000-0000-000000000000"


@pytest.mark.parametrize("ext", DOCUMENT_EXTENSIONS)
def test_a_document_is_recorded_downloaded_and_named_alike(ext):
    url = _document_url(ext)
    body = f'<p>Tải về: <a href="{url}?t=1">Hồ sơ</a></p>'
    assert [a["url"] for a in body_parts(body, ORIGIN).attachments] == [url]  # recorded
    assert attachment_links(body, ORIGIN) == [url + "?t=1"]  # handed to the spider
    assert safe_name(url) == f"ho-so.{ext}"  # named after its own segment, not the uuid


@pytest.mark.parametrize("ext", IMAGE_EXTENSIONS)
def test_an_image_file_is_named_after_its_own_segment(ext):
    assert safe_name(_document_url(ext)) == f"ho-so.{ext}"


def test_a_zip_an_article_records_is_handed_to_the_spider_to_download(tmp_path):
    zip_url = _document_url("zip")
    html = SEED.read_text(encoding="utf-8")
    marker = "<p>"
    assert marker in html
    page = html.replace(marker, f'<p><a href="{zip_url}">Hồ sơ mời thầu</a></p>{marker}', 1).encode()
    url = ORIGIN + "/w/hoi-nghi"
    capture = Capture(url=url, status=200, body=page, fetched_at="2026-11-25T00:00:00+00:00")
    writer = ArchiveWriter(WriterConfig(db_path=str(tmp_path / "a.db"), site_url=ORIGIN))
    done = writer.handle(ArticlePage(capture, (url,), None, {}, "utf-8"))
    writer.finish(1, 0, "finished")
    with sqlite3.connect(tmp_path / "a.db") as conn:
        (recorded,) = conn.execute("SELECT attachments FROM articles").fetchone()
    assert [a["url"] for a in json.loads(recorded)] == [zip_url]
    assert done.links is not None and done.links.attachments == (zip_url,)
