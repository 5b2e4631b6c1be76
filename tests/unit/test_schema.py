"""Schema migrations: an archive made by an older release opens and upgrades, keeping its rows."""

import sqlite3

from sqlite_utils import Database, Migrations

from archive.errors import ArchiveError
from archive.schema import migrations
from archive.store import Archive
from tests.unit.test_store import capture, make_record


def test_an_archive_of_the_first_release_upgrades_in_place(tmp_path):
    path = tmp_path / "old.db"
    old = Database(sqlite3.connect(path))
    migrations.apply(old, stop_before="m002_changes_and_files")  # what release 0.1's first schema was
    assert "diff_summary" not in old["article_versions"].columns_dict
    old.conn.execute(
        "INSERT INTO articles (id, url, url_key, first_seen_at, last_seen_at, version_count, content_hash, title) "
        "VALUES (1, 'http://h/w/a', '/w/a', '2024-01-01', '2024-01-01', 1, 'x', 'Bài cũ')"
    )
    old.conn.commit()
    old.conn.close()

    archive = Archive(path)
    assert "diff_summary" in archive.db["article_versions"].columns_dict
    assert archive.db["attachment_files"].exists() and "article_changes" in archive.db.view_names()
    assert archive.db.execute("SELECT title FROM articles WHERE id = 1").fetchone() == ("Bài cũ",)
    assert [m.name for m in migrations.pending(archive.db)] == []
    archive.save(make_record(), capture(), run_id=None)  # and it works as a current archive
    archive.close()


def test_opening_twice_applies_nothing_twice(tmp_path):
    Archive(tmp_path / "a.db").close()
    archive = Archive(tmp_path / "a.db")
    applied = archive.db.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0]
    assert applied == len(migrations._migrations)
    archive.close()


def test_attachments_downloaded_by_an_older_release_are_kept_as_their_urls_first_versions(tmp_path):
    path = tmp_path / "old.db"
    old = Database(sqlite3.connect(path))
    migrations.apply(old, stop_before="m004_attachment_history")  # one row per URL, replaced in place
    old.conn.execute(
        "INSERT INTO attachment_files (url, article_id, sha256, path, size, content_type, fetched_at) "
        "VALUES ('http://h/documents/1/2/a.pdf/u', NULL, 'ab12', 'ab/ab12-a.pdf', 4, 'application/pdf', "
        "'2024-01-01T00:00:00+00:00')"
    )
    old.conn.commit()
    old.conn.close()

    archive = Archive(path)
    rows = [dict(r) for r in archive.db.query("SELECT * FROM attachment_files")]
    assert rows == [
        {
            "id": 1,
            "url": "http://h/documents/1/2/a.pdf/u",
            "article_id": None,
            "sha256": "ab12",
            "path": "ab/ab12-a.pdf",
            "size": 4,
            "content_type": "application/pdf",
            "fetched_at": "2024-01-01T00:00:00+00:00",
            "checked_at": "2024-01-01T00:00:00+00:00",
            "etag": None,
            "last_modified": None,
        }
    ]
    assert "attachment_changes" in archive.db.view_names()
    assert archive.db.execute("SELECT count(*) FROM attachment_changes").fetchone()[0] == 0
    archive.close()


def test_versions_archived_before_the_links_field_keep_their_hashes(tmp_path):
    """The links field came after archives existed: their versions still verify, an article without links is
    not re-versioned, and one whose body has links shows them once, as our extraction's change."""
    import hashlib
    import json

    from archive.check import first_problem
    from pipelines.hashing import canonical_json

    path = tmp_path / "old.db"
    old = Database(sqlite3.connect(path))
    migrations.apply(old, stop_before="m005_body_links")
    assert "links" not in old["article_versions"].columns_dict
    record = make_record()
    content = {k: v for k, v in record.content().items() if k != "links"}  # what the older release hashed
    digest = hashlib.sha256(canonical_json(content).encode()).hexdigest()
    stored = {k: json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v for k, v in content.items()}
    old["articles"].insert(
        dict(stored, id=1, url=record.url, url_key="/w/h%E1%BB%99i-ngh%E1%BB%8B", asset_id=record.asset_id)
        | {"first_seen_at": "2024-01-01", "last_seen_at": "2024-01-01", "version_count": 1}
        | {"content_hash": digest, "source_hash": record.source_hash}
    )
    old["article_versions"].insert(
        dict(stored, article_id=1, version=1, captured_at="2024-01-01", change_kind="first")
        | {"content_hash": digest, "source_hash": record.source_hash}
    )
    old.conn.commit()
    old.conn.close()

    archive = Archive(path)
    assert "links" in archive.db["article_versions"].columns_dict
    assert first_problem(archive) is None
    assert archive.save(make_record(), capture(), run_id=None).status == "unchanged"
    linked = make_record(links=[{"url": "https://vanban.chinhphu.vn/?docid=1", "text": "Nghị định"}])
    outcome = archive.save(linked, capture(b"p2"), run_id=None)
    assert (outcome.status, outcome.changed_fields, outcome.change_kind) == (
        "changed",
        ["links"],
        "extraction",
    )
    assert first_problem(archive) is None
    archive.close()


def test_check_reads_an_archive_older_than_the_links_field_read_only(tmp_path):
    from archive.check import first_problem

    path = tmp_path / "old.db"
    old = Database(sqlite3.connect(path))
    migrations.apply(old, stop_before="m005_body_links")
    old.conn.commit()
    old.conn.close()
    archive = Archive(path, readonly=True)
    assert "links" not in archive.db["article_versions"].columns_dict
    assert first_problem(archive) is None
    archive.close()


def test_an_archive_older_than_categories_keeps_its_category_as_the_first_of_them(tmp_path):
    import json

    path = tmp_path / "old.db"
    old = Database(sqlite3.connect(path))
    migrations.apply(old, stop_before="m006_categories")
    record = make_record()
    old["articles"].insert(
        {"id": 1, "url": record.url, "url_key": "/w/x", "asset_id": record.asset_id, "category": "dau-tu"}
        | {"first_seen_at": "2024-01-01", "last_seen_at": "2024-01-01", "version_count": 1}
        | {"content_hash": "h", "source_hash": record.source_hash}
    )
    old.conn.commit()
    old.conn.close()

    archive = Archive(path)
    row = archive.article(1)
    assert (row["category"], json.loads(row["categories"]), row["category_raw"]) == (
        "dau-tu",
        ["dau-tu"],
        None,
    )
    archive.close()


def test_an_archive_whose_creation_was_killed_before_its_first_migration_is_finished(tmp_path):
    # Regression: sqlite-utils commits its _sqlite_migrations table before the first migration's
    # transaction; a run killed in between left a file that every later run refused as "an SQLite file
    # of another application" (seen as a kill -9 right after the run lock was taken).
    path = tmp_path / "x.db"
    migrations.ensure_migrations_table(Database(path))
    archive = Archive(path)
    try:
        assert archive.db["articles"].exists()
        assert {m.name for m in migrations.pending(archive.db)} == set()
    finally:
        archive.close()


def test_a_file_of_another_applications_migrations_is_still_refused(tmp_path):
    path = tmp_path / "app.db"
    other = Migrations("another-app")

    @other()
    def m001(db):
        pass

    other.apply(Database(path))  # the file holds only the bookkeeping table, with another set's rows
    try:
        Archive(path)
    except ArchiveError as exc:
        assert "another application" in str(exc)
    else:
        raise AssertionError("a file of another application's migrations was taken over")


def test_versions_archived_before_the_scores_get_them_and_a_search_index(tmp_path):
    """m013 scores the versions an older archive holds, m014 indexes them for the past-versions search."""
    path = tmp_path / "old.db"
    old = Database(sqlite3.connect(path))
    migrations.apply(old, stop_before="m013_significance")
    old["articles"].insert(
        {"id": 1, "url": "u", "url_key": "k", "first_seen_at": "t", "last_seen_at": "t"}
        | {"version_count": 2, "content_hash": "h2"}
    )
    for version, body in ((1, "Vốn đạt 1.284,5 triệu USD."), (2, "Vốn đạt 1.248,5 triệu USD.")):
        old["article_versions"].insert(
            {"article_id": 1, "version": version, "captured_at": f"t{version}", "change_kind": "edit"}
            | {"content_hash": f"h{version}", "title": "Hội nghị", "body_text": body}
        )
    old.conn.commit()
    old.conn.close()

    Archive(path).close()
    conn = sqlite3.connect(path)
    try:
        scores = conn.execute(
            "SELECT version, score, factors FROM version_significance ORDER BY version"
        ).fetchall()
        assert scores[0][:2] == (1, None)
        assert scores[1][1] and "1.284,5 triệu USD → 1.248,5 triệu USD" in scores[1][2]
        found = conn.execute(
            "SELECT rowid FROM versions_fts WHERE versions_fts MATCH ?", ['"1.284,5"']
        ).fetchall()
        assert len(found) == 1  # the version archived before the index, found by its folded text
        assert (
            len(conn.execute("SELECT rowid FROM versions_fts WHERE versions_fts MATCH 'hoi'").fetchall()) == 2
        )
    finally:
        conn.close()
