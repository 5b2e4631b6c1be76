"""Attachments: safe names that cannot escape the archive's folder, deduplicated by content."""

import pytest

from archive.files import files_dir, safe_name, store_attachment
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


def test_attachments_are_stored_once_per_content(tmp_path):
    archive = Archive(tmp_path / "a.db")
    first = store_attachment(
        archive,
        url="https://h/documents/1/2/a.pdf/u",
        article_url="https://h/w/x",
        body=b"%PDF-1.4 same",
        content_type="application/pdf",
    )
    second = store_attachment(
        archive,
        url="https://h/documents/1/2/b.pdf/v",
        article_url="https://h/w/x",
        body=b"%PDF-1.4 same",
        content_type="application/pdf",
    )
    assert first == second
    assert (files_dir(archive.path) / first).read_bytes() == b"%PDF-1.4 same"
    assert archive.db.execute("SELECT count(*) FROM attachment_files").fetchone()[0] == 2
    archive.close()
