"""``hepza export-warc``: the archive's captures as a WARC 1.1 file (ISO 28500:2017), written with warcio.

Readers of web archives (pywb, ReplayWeb.page, the Wayback Machine's tools) open WARCs, not our SQLite file,
so each capture becomes the records a crawler such as Heritrix would have written:

- a ``response`` record: the HTTP head as received and the payload as the server sent it;
- a ``request`` record (``WARC-Concurrent-To`` the response): the request line and headers sent;
- a ``revisit`` record (profile ``identical-payload-digest``) instead of a response when an earlier record
  of this file holds the same payload: the archive stores a body once per sha256, the WARC says so too;
- a ``revisit`` record (profile ``server-not-modified``) for each 304 answer to a conditional request, which
  refers to the capture the 304 confirmed;
- a ``metadata`` record tying the capture to its article (archive id, asset id) and the versions read from it;

and one ``warcinfo`` record first. Every record is its own gzip member (readers seek to a record's offset;
zstd stays inside the archive: few WARC readers open it). Digests are sha256 (``sha256:`` + base32).

What older captures lack: captures made before migration m011 kept no head as received, only the status
code and the headers folded into a dict (repeated headers joined, original case and order lost, no reason
phrase). Their records are rebuilt from what is known (``HTTP/1.1``, the status's standard reason phrase)
and say so in ``WARC-Hepza-HTTP-Head: reconstructed`` (``as-received`` otherwise). A payload that is not
byte for byte what was on the wire — de-chunked by the HTTP client, or decoded because the encoded bytes were
not kept — has the headers that no longer describe it (``Transfer-Encoding``, ``Content-Encoding``,
``Content-Length``) fixed, each change named in ``WARC-Hepza-Changed-Headers``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from io import BytesIO
from typing import BinaryIO
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParser
from warcio.utils import Digester
from warcio.warcwriter import WARCWriter

from archive.reading import ArticleNotFound, resolve_article_id
from archive.store import Archive

SOFTWARE = "hepza-archive"
NOT_MODIFIED_PROFILE = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
# Headers that describe the bytes on the wire, not a payload that was de-chunked or decoded.
_WIRE_HEADERS = ("transfer-encoding", "content-encoding", "content-length")


class _Writer(WARCWriter):
    """warcio's writer, WARC 1.1, with sha256 digests (warcio's default is sha1)."""

    def __init__(self, out: BinaryIO) -> None:
        super().__init__(out, gzip=True, warc_version="1.1")

    @staticmethod
    def _create_digester() -> Digester:
        return Digester("sha256")


def payload_digest(payload: bytes) -> str:
    """The WARC digest of a payload, as warcio writes it: ``sha256:`` and the base32 of the hash."""
    return "sha256:" + base64.b32encode(hashlib.sha256(payload).digest()).decode("ascii")


@dataclass(frozen=True)
class Selection:
    """Which captures to export: one article (archive id, asset id or URL), fetched on or after ``since``
    (an ISO date or time, UTC), from one portal (its host name, or a URL on it). None: no filter."""

    article: str | None = None
    since: str | None = None
    portal: str | None = None

    def portal_host(self) -> str | None:
        if not self.portal:
            return None
        host = urlsplit(self.portal).hostname if "//" in self.portal else self.portal
        return (host or self.portal).lower().strip()


@dataclass
class Counts:
    """The records written, by kind (the tests count them against the archive's rows)."""

    response: int = 0
    request: int = 0
    revisit_identical: int = 0
    revisit_not_modified: int = 0
    metadata: int = 0
    reconstructed: int = 0
    payload_bytes: int = 0
    pages: list[dict] = field(default_factory=list)  # one per article: url, title, ts (WACZ pages.jsonl)

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "pages"}


def resolve_article(conn: sqlite3.Connection, ref: str) -> int:
    """An article's archive id from its archive id, its portal asset id or any URL it had."""
    if ref.isdigit():
        row = conn.execute("SELECT id FROM articles WHERE asset_id = ?", [ref]).fetchone()
        by_id = conn.execute("SELECT id FROM articles WHERE id = ?", [int(ref)]).fetchone()
        if by_id:
            return by_id[0]
        if row:
            return row[0]
    return resolve_article_id(conn, ref)


def _params(conn: sqlite3.Connection, selection: Selection) -> list[object]:
    """The parameters of the selection's conditions, None when not asked for (one SQL text for all)."""
    article = resolve_article(conn, selection.article) if selection.article is not None else None
    return [article, article, selection.since, selection.since]


def _warc_date(iso: str) -> str:
    """WARC-Date from a stored ISO time (UTC, offset written ``+00:00``)."""
    return iso.replace("+00:00", "Z") if iso.endswith("+00:00") else iso


def _http_head(text: str | None, status: int, headers_json: str | None) -> tuple[StatusAndHeaders, bool]:
    """(the response head, as received?): the stored head, else one rebuilt from status and headers."""
    if text:
        return StatusAndHeadersParser(["HTTP/1.0", "HTTP/1.1"]).parse(
            BytesIO(text.encode("latin-1") + b"\r\n\r\n")
        ), True
    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = ""
    try:
        stored = json.loads(headers_json) if headers_json else {}
    except ValueError:
        stored = {}
    pairs = [(str(k), str(v)) for k, v in stored.items()] if isinstance(stored, dict) else []
    return StatusAndHeaders(f"{status} {reason}".strip(), pairs, protocol="HTTP/1.1"), False


def _request_head(text: str | None, url: str) -> StatusAndHeaders:
    if text:
        return StatusAndHeadersParser(["GET", "HEAD", "POST"], verify=False).parse(
            BytesIO(text.encode("latin-1") + b"\r\n\r\n")
        )
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return StatusAndHeaders(f"GET {target} HTTP/1.1", [("Host", parts.netloc)], is_http_request=True)


def _fit_headers(head: StatusAndHeaders, payload: bytes, on_wire: bool) -> list[str]:
    """Fix the headers that do not describe ``payload``; returns what was changed (for the record)."""
    changes = []
    if head.get_header("Transfer-Encoding"):
        head.remove_header("Transfer-Encoding")
        changes.append("Transfer-Encoding removed (payload de-chunked by the HTTP client)")
    if not on_wire and head.get_header("Content-Encoding"):
        head.remove_header("Content-Encoding")
        changes.append("Content-Encoding removed (payload stored decoded)")
    length = head.get_header("Content-Length")
    if (length is not None or changes) and length != str(len(payload)):
        head.replace_header("Content-Length", str(len(payload)))
        changes.append("Content-Length set to the payload's length")
    return changes


def _events(conn: sqlite3.Connection, selection: Selection) -> Iterator[tuple[str, sqlite3.Row]]:
    """("capture" | "not-modified", row), in the order they were fetched."""
    params = _params(conn, selection)
    captures = conn.execute(
        "SELECT c.*, a.asset_id, a.title AS article_title FROM captures c "
        "LEFT JOIN articles a ON a.id = c.article_id "
        "WHERE (? IS NULL OR c.article_id = ?) AND (? IS NULL OR c.fetched_at >= ?)",
        params,
    ).fetchall()
    has_304 = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'capture_not_modified'").fetchone()
    answers = (
        conn.execute(
            "SELECT c.* FROM capture_not_modified c "
            "WHERE (? IS NULL OR c.article_id = ?) AND (? IS NULL OR c.fetched_at >= ?)",
            params,
        ).fetchall()
        if has_304
        else []
    )
    host = selection.portal_host()
    merged = [("capture", r) for r in captures] + [("not-modified", r) for r in answers]
    merged.sort(key=lambda e: (e[1]["fetched_at"], e[0] != "capture", e[1]["id"]))
    for kind, row in merged:
        if host is None or (urlsplit(row["url"]).hostname or "").lower() == host:
            yield kind, row


def _versions_by_capture(conn: sqlite3.Connection) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for capture_id, version in conn.execute(
        "SELECT capture_id, version FROM article_versions WHERE capture_id IS NOT NULL ORDER BY version"
    ):
        found.setdefault(capture_id, []).append(version)
    return found


def write_warc(
    archive: Archive, out: BinaryIO, selection: Selection | None = None, filename: str = ""
) -> Counts:
    """Write the selected captures of ``archive`` to ``out`` as a gzipped WARC 1.1; returns the counts.
    Raises ArticleNotFound when ``selection.article`` names no article."""
    selection = selection or Selection()
    conn = archive.db.conn
    conn.row_factory = sqlite3.Row
    try:
        return _write(archive, conn, out, selection, filename)
    finally:
        conn.row_factory = None


def _write(
    archive: Archive, conn: sqlite3.Connection, out: BinaryIO, selection: Selection, filename: str
) -> Counts:
    writer = _Writer(out)
    counts = Counts()
    info = {
        "software": SOFTWARE,
        "format": "WARC File Format 1.1",
        "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
        "description": "Captures of a hepza archive (hepza export-warc)",
        "hepza-selection": json.dumps({k: v for k, v in selection.__dict__.items() if v}, ensure_ascii=False),
    }
    writer.write_record(writer.create_warcinfo_record(filename, info))
    versions = _versions_by_capture(conn)
    # payload sha256 → (record id, target URI, WARC-Date) of the first response that holds it
    written: dict[str, tuple[str, str, str]] = {}
    by_capture: dict[int, tuple[str, str, str]] = {}
    pages: dict[int, dict] = {}
    for kind, row in _events(conn, selection):
        if kind == "capture":
            by_capture[row["id"]] = _capture_records(archive, writer, row, versions, written, counts)
            if row["article_id"] is not None and row["status"] == 200:
                pages[row["article_id"]] = {
                    "article_id": row["article_id"],
                    "url": row["url"],
                    "title": row["article_title"] or row["url"],
                    "ts": _warc_date(row["fetched_at"]),
                }
        else:
            _not_modified_records(writer, row, by_capture, counts)
    counts.pages = list(pages.values())
    return counts


def _capture_records(
    archive: Archive,
    writer: _Writer,
    row: sqlite3.Row,
    versions: dict[int, list[int]],
    written: dict[str, tuple[str, str, str]],
    counts: Counts,
) -> tuple[str, str, str]:
    url, date = row["url"], _warc_date(row["fetched_at"])
    head, as_received = _http_head(row["http_head"], row["status"], row["headers"])
    wire_sha = row["wire_sha256"]
    payload = (
        archive.capture_body(wire_sha or row["body_sha256"]) if (wire_sha or row["body_sha256"]) else b""
    )
    changes = _fit_headers(head, payload, on_wire=bool(wire_sha) or not head.get_header("Content-Encoding"))
    payload_sha = hashlib.sha256(payload).hexdigest()
    earlier = written.get(payload_sha)
    extra = {
        "WARC-Type": "response" if earlier is None else "revisit",
        "WARC-Date": date,
        "WARC-Hepza-HTTP-Head": "as-received" if as_received else "reconstructed",
        "WARC-Hepza-Capture-ID": str(row["id"]),
    }
    if changes:
        extra["WARC-Hepza-Changed-Headers"] = "; ".join(changes)
    if earlier is None:
        record = writer.create_warc_record(
            url,
            "response",
            payload=BytesIO(payload),
            length=len(payload),
            http_headers=head,
            warc_headers_dict=extra,
        )
        writer.write_record(record)
        counts.response += 1
        counts.payload_bytes += len(payload)
    else:
        record = writer.create_revisit_record(
            url, payload_digest(payload), earlier[1], earlier[2], http_headers=head, warc_headers_dict=extra
        )
        record.rec_headers.add_header("WARC-Refers-To", earlier[0])
        writer.write_record(record)
        counts.revisit_identical += 1
    counts.reconstructed += not as_received
    record_id = record.rec_headers.get_header("WARC-Record-ID")
    if earlier is None:
        written[payload_sha] = (record_id, url, date)
    _request_record(writer, url, date, row["http_request"], record_id, counts)
    fields = {
        "hepza-capture-id": row["id"],
        "hepza-article-id": row["article_id"],
        "hepza-asset-id": row["asset_id"],
        "hepza-versions": ",".join(str(v) for v in versions.get(row["id"], [])),
        "hepza-run-id": row["run_id"],
        "hepza-body-sha256": row["body_sha256"],
        "hepza-http-head": "as-received" if as_received else "reconstructed",
    }
    _metadata_record(writer, url, date, record_id, fields, counts)
    return record_id, url, date


def _not_modified_records(
    writer: _Writer, row: sqlite3.Row, by_capture: dict[int, tuple[str, str, str]], counts: Counts
) -> None:
    url, date = row["url"], _warc_date(row["fetched_at"])
    head, _ = _http_head(row["http_head"], row["status"], None)
    extra = {"WARC-Type": "revisit", "WARC-Date": date, "WARC-Profile": NOT_MODIFIED_PROFILE}
    confirmed = by_capture.get(row["capture_id"])
    if confirmed is not None:
        extra.update(
            {
                "WARC-Refers-To": confirmed[0],
                "WARC-Refers-To-Target-URI": confirmed[1],
                "WARC-Refers-To-Date": confirmed[2],
            }
        )
    record = writer.create_warc_record(url, "revisit", http_headers=head, warc_headers_dict=extra)
    writer.write_record(record)
    counts.revisit_not_modified += 1
    record_id = record.rec_headers.get_header("WARC-Record-ID")
    _request_record(writer, url, date, row["http_request"], record_id, counts)
    fields = {
        "hepza-not-modified-id": row["id"],
        "hepza-article-id": row["article_id"],
        "hepza-confirms-capture-id": row["capture_id"],
        "hepza-run-id": row["run_id"],
    }
    _metadata_record(writer, url, date, record_id, fields, counts)


def _request_record(
    writer: _Writer, url: str, date: str, text: str | None, concurrent: str, counts: Counts
) -> None:
    head = _request_head(text, url)
    extra = {"WARC-Type": "request", "WARC-Date": date, "WARC-Concurrent-To": concurrent}
    if not text:
        extra["WARC-Hepza-HTTP-Head"] = "reconstructed"
    writer.write_record(writer.create_warc_record(url, "request", http_headers=head, warc_headers_dict=extra))
    counts.request += 1


def _metadata_record(
    writer: _Writer, url: str, date: str, concurrent: str, fields: dict, counts: Counts
) -> None:
    body = "".join(f"{k}: {v}\r\n" for k, v in fields.items() if v is not None and v != "").encode("utf-8")
    record = writer.create_warc_record(
        url,
        "metadata",
        payload=BytesIO(body),
        length=len(body),
        warc_content_type="application/warc-fields",
        warc_headers_dict={"WARC-Type": "metadata", "WARC-Date": date, "WARC-Concurrent-To": concurrent},
    )
    writer.write_record(record)
    counts.metadata += 1


__all__ = ["ArticleNotFound", "Counts", "Selection", "payload_digest", "write_warc"]
