"""Attachments: safe names that cannot escape the archive's folder, deduplicated by content."""

import pytest

from archive.files import (
    CHANGED,
    NEW,
    UNCHANGED,
    attachment_not_modified,
    attachment_validators,
    files_dir,
    safe_name,
    store_attachment,
)
from archive.store import Archive


@pytest.mark.parametrize(
    "url,name",
    [
        (
            "https://h/documents/20143/0/Quy%E1%BA%BFt+%C4%91%E1%BB%8Bnh+12.pdf/5f51bbae-a578?t=1",
            "Quyết_định_12.pdf",
        ),
        ("https://h/documents/1/2/../../../etc/passwd.pdf/uuid", "passwd.pdf"),
        ("https://h/documents/1/2/..%2F..%2Fevil.doc/uuid", "evil.doc"),
        ("https://h/documents/1/2/%2E%2E.xls/uuid", "xls"),
        ("https://h/documents/1/2/a%5C..%5Cb.docx/uuid", "b.docx"),
        ("https://h/x/.hidden.pdf", "hidden.pdf"),
        ("https://h/", "file"),
        ("https://h/documents/1/2/" + "a" * 300 + ".pdf/u", "a" * 96 + ".pdf"),
    ],
)
def test_safe_names(url, name):
    assert safe_name(url) == name
    assert "/" not in name and not name.startswith(".")


def _store(archive, url: str, body: bytes, **validators):
    return store_attachment(
        archive,
        url=url,
        article_url="https://h/w/x",
        body=body,
        content_type="application/pdf",
        **validators,
    )


def test_attachments_are_stored_once_per_content(tmp_path):
    archive = Archive(tmp_path / "a.db")
    first = _store(archive, "https://h/documents/1/2/a.pdf/u", b"%PDF-1.4 same")
    second = _store(archive, "https://h/documents/1/2/b.pdf/v", b"%PDF-1.4 same")
    assert first[0] == second[0] == NEW and first[1] == second[1]
    assert (files_dir(archive.path) / first[1]).read_bytes() == b"%PDF-1.4 same"
    assert archive.db.execute("SELECT count(*) FROM attachment_files").fetchone()[0] == 2
    archive.close()


def _rows(archive, url):
    return [
        dict(r)
        for r in archive.db.query(
            "SELECT sha256, path, etag, fetched_at, checked_at FROM attachment_files WHERE url = ? ORDER BY id",
            [url],
        )
    ]


def test_a_document_replaced_under_its_url_keeps_every_version(tmp_path):
    archive = Archive(tmp_path / "a.db")
    url = "https://h/documents/1/2/quyet-dinh.pdf/u"
    assert _store(archive, url, b"%PDF v1", etag='"1"')[0] == NEW
    assert _store(archive, url, b"%PDF v1", etag='"1b"')[0] == UNCHANGED  # the same bytes: no new row
    assert [r["etag"] for r in _rows(archive, url)] == ['"1b"']  # ... the validators are the latest
    assert _store(archive, url, b"%PDF v2", etag='"2"')[0] == CHANGED
    assert _store(archive, url, b"%PDF v1", etag='"1"')[0] == CHANGED  # back to the first: a change too
    rows = _rows(archive, url)
    assert len(rows) == 3 and rows[0]["sha256"] == rows[2]["sha256"] != rows[1]["sha256"]
    assert [(files_dir(archive.path) / r["path"]).read_bytes() for r in rows] == [
        b"%PDF v1",
        b"%PDF v2",
        b"%PDF v1",
    ]
    changes = [dict(r) for r in archive.db.query("SELECT * FROM attachment_changes ORDER BY id")]
    assert [(c["previous_sha256"], c["sha256"]) for c in changes] == [
        (rows[0]["sha256"], rows[1]["sha256"]),
        (rows[1]["sha256"], rows[2]["sha256"]),
    ]
    assert attachment_validators(archive) == {url: ('"1"', None)}
    archive.close()


def test_a_304_marks_the_latest_version_checked(tmp_path, monkeypatch):
    import archive.files as files

    archive = Archive(tmp_path / "a.db")
    url = "https://h/documents/1/2/a.pdf/u"
    monkeypatch.setattr(files, "utc_now", lambda: "2026-01-01T00:00:00+00:00")
    _store(archive, url, b"%PDF", etag='"1"', last_modified="Wed, 08 Mar 2023 04:00:00 GMT")
    monkeypatch.setattr(files, "utc_now", lambda: "2026-02-01T00:00:00+00:00")
    assert attachment_not_modified(archive, url)
    assert [(r["fetched_at"], r["checked_at"]) for r in _rows(archive, url)] == [
        ("2026-01-01T00:00:00+00:00", "2026-02-01T00:00:00+00:00")
    ]
    assert attachment_validators(archive) == {url: ('"1"', "Wed, 08 Mar 2023 04:00:00 GMT")}
    assert not attachment_not_modified(archive, "https://h/documents/never-fetched.pdf/u")
    archive.close()


def test_what_a_url_served_cannot_be_rewritten_or_deleted(tmp_path):
    import sqlite3

    archive = Archive(tmp_path / "a.db")
    _store(archive, "https://h/documents/1/2/a.pdf/u", b"%PDF")
    for statement in (
        "UPDATE attachment_files SET sha256 = 'x'",
        "UPDATE attachment_files SET path = 'elsewhere.pdf'",
        "UPDATE attachment_files SET url = 'https://h/other.pdf'",
        "DELETE FROM attachment_files",
    ):
        with pytest.raises(sqlite3.IntegrityError):
            archive.db.execute(statement)
    archive.close()
