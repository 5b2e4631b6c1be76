"""`hepza export-warc` and `hepza export-wacz` on an archive crawled from the replica through edits, a
removal, a rename and faults (gzip answers with a repeated header, transient 503s): one response or revisit
record per stored capture, one not-modified revisit per 304, the heads as received, and packages that
`wacz validate` (py-wacz) accepts."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from replica import Site, serve
from replica.faults import ARTICLES, Faults, Rule
from tests.hepza_cli import built_once, crawl_argv, rows, run_hepza

WACZ = Path(sys.executable).with_name("wacz")
REPEATED = (("X-Hepza-Test", "first"), ("X-Hepza-Test", "second"))


def _crawl(url: str, db: Path, *extra: str) -> None:
    result = run_hepza(*crawl_argv(url, db, *extra, concurrency=16))
    assert result.returncode in (0, 1), f"crawl failed ({result.returncode}): {result.stderr[-2000:]}"


def _build(folder: Path) -> None:
    db = folder / "hepza.db"
    site = Site()
    ids = [g["asset_id"] for g in site.gold()]
    edited, removed, renamed = ids[1], ids[2], ids[3]
    with serve(site) as server:
        server.faults = Faults(
            Rule("gzip", match=ARTICLES, rate=0.3, headers=REPEATED),
            Rule("status", match=ARTICLES, rate=0.2, times=1, status=503),
        )
        _crawl(server.url, db)
        site.edit(edited, add_paragraph="Ban Quản lý sẽ tiếp tục theo dõi và báo cáo kết quả.")
        site.remove(removed)
        site.rename(renamed, "Tên bài viết đã được đổi cho rõ nghĩa hơn")
        _crawl(server.url, db, "--full")
        _crawl(server.url, db, "--full")  # confirms the removal; unchanged pages answer 304
    (folder / "facts.json").write_text(json.dumps({"edited": edited, "renamed": renamed}), encoding="utf-8")


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> dict:
    folder = built_once(tmp_path_factory, "web-archives", _build)
    return {"db": folder / "hepza.db", **json.loads((folder / "facts.json").read_text(encoding="utf-8"))}


def _export(command: str, db: Path, output: Path, *extra: str) -> subprocess.CompletedProcess:
    result = run_hepza(command, "--db", str(db), "--output", str(output), *extra)
    assert result.returncode == 0, result.stderr
    return result


def _records(path: Path) -> list:
    with open(path, "rb") as stream:
        return [
            (r.rec_type, r.rec_headers, r.http_headers, r.content_stream().read())
            for r in ArchiveIterator(stream)
        ]


def test_the_warc_holds_one_response_or_revisit_per_capture_and_one_revisit_per_304(archive, tmp_path):
    db = archive["db"]
    out = tmp_path / "all.warc.gz"
    _export("export-warc", db, out)
    records = _records(out)
    kinds = Counter(kind for kind, *_ in records)
    profiles = Counter(
        h.get_header("WARC-Profile", "").rsplit("/", 1)[-1] for k, h, *_ in records if k == "revisit"
    )
    captures = rows(db, "SELECT count(*) AS n FROM captures")[0]["n"]
    answers = rows(db, "SELECT count(*) AS n FROM capture_not_modified")[0]["n"]
    # the archive crawled through all of it: edits, a removal, gzip answers, 304s
    assert rows(db, "SELECT count(*) AS n FROM articles WHERE removed_at IS NOT NULL")[0]["n"] == 1
    assert (
        answers > 0
        and rows(db, "SELECT count(*) AS n FROM captures WHERE wire_sha256 IS NOT NULL")[0]["n"] > 0
    )
    assert kinds["warcinfo"] == 1 and records[0][0] == "warcinfo"
    assert kinds["response"] + profiles["identical-payload-digest"] == captures
    assert profiles["server-not-modified"] == answers
    assert kinds["request"] == kinds["metadata"] == captures + answers
    # every capture once, by its id, with its article's versions in the metadata record
    ids = sorted(
        int(h.get_header("WARC-Hepza-Capture-ID"))
        for k, h, *_ in records
        if h.get_header("WARC-Hepza-Capture-ID")
    )
    assert ids == [r["id"] for r in rows(db, "SELECT id FROM captures ORDER BY id")]
    fields = [
        dict(line.split(": ", 1) for line in body.decode().splitlines())
        for k, _, _, body in records
        if k == "metadata"
    ]
    versions = {
        (r["article_id"], r["version"]) for r in rows(db, "SELECT article_id, version FROM article_versions")
    }
    cited = {
        (int(f["hepza-article-id"]), int(v))
        for f in fields
        if f.get("hepza-versions")
        for v in f["hepza-versions"].split(",")
    }
    assert cited == versions
    # an identical-payload revisit refers to a response of this file with the same digest
    responses = {h.get_header("WARC-Record-ID"): h for k, h, *_ in records if k == "response"}
    for kind, headers, *_ in records:
        if kind == "revisit" and "identical" in headers.get_header("WARC-Profile"):
            target = responses[headers.get_header("WARC-Refers-To")]
            assert target.get_header("WARC-Payload-Digest") == headers.get_header("WARC-Payload-Digest")


def test_a_gzip_answer_is_exported_as_sent_with_its_head_as_received(archive, tmp_path):
    db = archive["db"]
    (capture,) = rows(db, "SELECT * FROM captures WHERE wire_sha256 IS NOT NULL ORDER BY id LIMIT 1")
    out = tmp_path / "one.warc.gz"
    _export("export-warc", db, out, "--article", str(capture["article_id"]))
    (record,) = [r for r in _records(out) if r[1].get_header("WARC-Hepza-Capture-ID") == str(capture["id"])]
    kind, warc_headers, http, payload = record
    assert kind == "response" and warc_headers.get_header("WARC-Hepza-HTTP-Head") == "as-received"
    assert http.statusline == "200 OK" and http.protocol == "HTTP/1.1"
    assert [v for k, v in http.headers if k == "X-Hepza-Test"] == ["first", "second"]
    # warcio's content_stream decodes the payload it holds: the raw block is the gzip the server sent
    with open(out, "rb") as stream:
        (raw,) = [
            r.raw_stream.read()
            for r in ArchiveIterator(stream)
            if r.rec_headers.get_header("WARC-Hepza-Capture-ID") == str(capture["id"])
        ]
    assert raw[:2] == b"\x1f\x8b" and http.get_header("Content-Length") == str(len(raw))
    from archive.store import Archive

    stored = Archive(db, readonly=True)
    try:
        assert gzip.decompress(raw) == stored.capture_body(capture["body_sha256"]) == payload
    finally:
        stored.close()


def test_filters_pick_an_article_by_asset_id_a_time_and_a_portal(archive, tmp_path):
    db = archive["db"]
    (article,) = rows(db, "SELECT id FROM articles WHERE asset_id = ?", [archive["edited"]])
    out = tmp_path / "a.warc.gz"
    _export("export-warc", db, out, "--article", archive["edited"])
    ids = {
        int(h.get_header("WARC-Hepza-Capture-ID"))
        for _, h, *_ in _records(out)
        if h.get_header("WARC-Hepza-Capture-ID")
    }
    assert ids == {r["id"] for r in rows(db, "SELECT id FROM captures WHERE article_id = ?", [article["id"]])}
    assert len(ids) >= 2  # the first capture and the edit's
    last = rows(db, "SELECT max(fetched_at) AS t FROM captures")[0]["t"]
    _export("export-warc", db, out, "--since", last)
    later = rows(db, "SELECT count(*) AS n FROM captures WHERE fetched_at >= ?", [last])[0]["n"]
    assert sum(1 for k, h, *_ in _records(out) if h.get_header("WARC-Hepza-Capture-ID")) == later
    _export("export-warc", db, out, "--portal", "hepza.hochiminhcity.gov.vn")
    assert [k for k, *_ in _records(out)] == ["warcinfo"]  # the replica is 127.0.0.1
    missing = run_hepza("export-warc", "--db", str(db), "--output", str(out), "--article", "no-such-article")
    assert missing.returncode == 2 and len(missing.stderr.strip().splitlines()) == 1


def _validate(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(WACZ), "validate", "-f", str(path)], capture_output=True, text=True, timeout=120
    )


def test_wacz_packages_validate_and_a_changed_byte_does_not(archive, tmp_path):
    db = archive["db"]
    whole, one = tmp_path / "all.wacz", tmp_path / "one.wacz"
    _export("export-wacz", db, whole)
    _export("export-wacz", db, one, "--article", archive["renamed"])
    for package in (whole, one):
        result = _validate(package)
        assert result.returncode == 0 and "is valid" in result.stdout, result.stdout + result.stderr
    with zipfile.ZipFile(one) as z:
        names = set(z.namelist())
        pages = [json.loads(line) for line in z.read("pages/pages.jsonl").splitlines()]
        package = json.loads(z.read("datapackage.json"))
    assert {
        "archive/data.warc.gz",
        "indexes/index.cdx",
        "datapackage.json",
        "datapackage-digest.json",
    } <= names
    assert package["wacz_version"] == "1.1.1" and "evidence" in package["hepza"]
    (renamed,) = rows(db, "SELECT url, title FROM articles WHERE asset_id = ?", [archive["renamed"]])
    assert [(p["url"], p["title"]) for p in pages[1:]] == [(renamed["url"], renamed["title"])]
    # one byte changed in the pages list: its hash no longer matches datapackage.json
    tampered = tmp_path / "tampered.wacz"
    with zipfile.ZipFile(one) as source, zipfile.ZipFile(tampered, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "pages/pages.jsonl":
                data = data.replace(b"T", b"t", 1)
            target.writestr(item, data)
    assert _validate(tampered).returncode == 1


def test_a_backup_copy_exports_the_same_records(archive, tmp_path):
    copy = tmp_path / "copy.db"
    backup = run_hepza("backup", str(copy), "--db", str(archive["db"]))
    assert backup.returncode == 0, backup.stderr
    first, second = tmp_path / "a.warc.gz", tmp_path / "b.warc.gz"
    _export("export-warc", archive["db"], first)
    _export("export-warc", copy, second)

    def stable(path):  # the record ids and the warcinfo date are new on every export
        return [
            (k, h.get_header("WARC-Target-URI"), h.get_header("WARC-Payload-Digest"), body)
            for k, h, _, body in _records(path)
        ][1:]

    assert [r[:3] for r in stable(first)] == [r[:3] for r in stable(second)]
