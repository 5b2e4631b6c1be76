"""archive/warc.py on hand-made captures: a body stored once is one response and then identical-payload
revisits; a capture made before m011 (no head as received) is rebuilt from what is known, and says so."""

from __future__ import annotations

import io
import json

from warcio.archiveiterator import ArchiveIterator

from archive.captures import Capture
from archive.store import Archive
from archive.warc import payload_digest, write_warc

URL = "http://127.0.0.1:8000/w/bai-viet"


def _store(archive: Archive, capture: Capture) -> int:
    with archive.transaction():
        return archive.captures.store(capture, None, None)


def _records(archive: Archive) -> list:
    out = io.BytesIO()
    write_warc(archive, out)
    out.seek(0)
    return [
        (r.rec_type, r.rec_headers, r.http_headers, r.content_stream().read()) for r in ArchiveIterator(out)
    ]


def test_a_body_stored_once_is_one_response_then_identical_payload_revisits(tmp_path):
    archive = Archive(tmp_path / "a.db")
    head = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 11"
    for when in ("2026-11-01T00:00:00+00:00", "2026-11-02T00:00:00+00:00", "2026-11-03T00:00:00+00:00"):
        _store(archive, Capture(url=URL, status=200, body=b"<p>same</p>", fetched_at=when, http_head=head))
    assert archive.db.execute("SELECT count(*) FROM capture_bodies").fetchone()[0] == 1
    records = [r for r in _records(archive) if r[0] in ("response", "revisit")]
    assert [r[0] for r in records] == ["response", "revisit", "revisit"]
    (_, first, _, body), *revisits = records
    assert body == b"<p>same</p>" and first.get_header("WARC-Payload-Digest") == payload_digest(body)
    for _, headers, _, payload in revisits:
        assert headers.get_header("WARC-Profile").endswith("/revisit/identical-payload-digest")
        assert headers.get_header("WARC-Refers-To") == first.get_header("WARC-Record-ID")
        assert headers.get_header("WARC-Refers-To-Date") == "2026-11-01T00:00:00Z"
        assert headers.get_header("WARC-Payload-Digest") == first.get_header("WARC-Payload-Digest")
        assert payload == b""  # a revisit holds the head only
    archive.close()


def test_a_capture_without_its_head_is_rebuilt_and_marked(tmp_path):
    archive = Archive(tmp_path / "a.db")
    body = b"<html><title>x</title></html>"
    # what a crawl before m011 stored: the headers folded into a dict, the body decoded and de-chunked
    headers = {"Content-Type": "text/html", "Content-Encoding": "gzip", "Transfer-Encoding": "chunked"}
    _store(
        archive,
        Capture(url=URL, status=404, body=body, fetched_at="2026-11-01T00:00:00+00:00", headers=headers),
    )
    (response,) = [r for r in _records(archive) if r[0] == "response"]
    _, warc_headers, http, payload = response
    assert warc_headers.get_header("WARC-Hepza-HTTP-Head") == "reconstructed"
    assert (http.protocol, http.statusline) == ("HTTP/1.1", "404 Not Found")
    assert http.get_header("Content-Encoding") is None and http.get_header("Transfer-Encoding") is None
    assert http.get_header("Content-Length") == str(len(body)) and payload == body
    changed = warc_headers.get_header("WARC-Hepza-Changed-Headers")
    assert "Content-Encoding removed" in changed and "Transfer-Encoding removed" in changed
    (request,) = [r for r in _records(archive) if r[0] == "request"]
    assert request[2].protocol == "GET" and request[2].get_header("Host") == "127.0.0.1:8000"
    (metadata,) = [r for r in _records(archive) if r[0] == "metadata"]
    assert b"hepza-http-head: reconstructed" in metadata[3]
    assert json.loads(archive.db.execute("SELECT headers FROM captures").fetchone()[0]) == headers
    archive.close()
