"""The ledger end to end in-process (archive/evidence/): every event of the sample archive is a leaf written
in its own transaction, checkpoints are signed notes, and ``hepza verify`` exits 0 on the untouched archive
and 1 naming the row after each kind of tampering (triggers dropped first, as an editor with the file
would), on the archive and on a ``hepza backup`` copy. Existing archives are backfilled by the migration."""

from __future__ import annotations

import base64
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from archive.cli import main
from archive.evidence import checkpoint, ledger, merkle
from archive.evidence.keys import PublicKey, create_key, load_key
from archive.evidence.seal import seal_run
from archive.files import store_attachment
from archive.reprocess import reprocess
from archive.schema import migrations
from archive.store import Archive
from tests.unit.sample_archive import FACTORY, SITE, _page, build_sample_archive
from tests.unit.test_store import capture

# golang.org/x/mod/sumdb/note's own example key and signature: the note formats are Go's, byte for byte.
GO_KEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_VERIFIER = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_TEXT = (
    "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
)
GO_SIGNATURE = "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM="


def test_keys_and_signatures_are_the_note_formats(tmp_path):
    path = tmp_path / "go.key"
    path.write_text(GO_KEY + "\n")
    key = load_key(path)
    assert key.public.verifier() == GO_VERIFIER
    assert base64.b64encode(key.public.key_id + key.sign(GO_TEXT.encode())).decode() == GO_SIGNATURE
    assert PublicKey.parse(GO_VERIFIER) == key.public


def test_a_checkpoint_is_a_c2sp_signed_note(tmp_path):
    key = create_key(tmp_path / "k", "hepza-test")
    root = bytes(range(32))
    note = checkpoint.sign("hepza-archive/x", 7, root, key)
    text, signature = note.split("\n\n")
    assert text == f"hepza-archive/x\n7\n{base64.b64encode(root).decode()}"
    assert signature.startswith("\u2014 hepza-test ") and signature.endswith("\n")
    blob = base64.b64decode(signature.split(" ")[2])
    assert blob[:4] == key.public.key_id and len(blob) == 68
    parsed = checkpoint.parse(note)
    assert (parsed.origin, parsed.size, parsed.root) == ("hepza-archive/x", 7, root)
    assert parsed.signed_by(key.public)
    assert not checkpoint.parse(note.replace("\n7\n", "\n8\n")).signed_by(key.public)
    assert not parsed.signed_by(create_key(tmp_path / "other", "hepza-test").public)


def test_a_key_is_never_overwritten_nor_kept_in_the_archive(tmp_path):
    runner = CliRunner()
    path = tmp_path / "k.key"
    first = runner.invoke(main, ["keys", "init", "--path", str(path)])
    assert first.exit_code == 0 and "+" in first.output.splitlines()[-1]
    again = runner.invoke(main, ["keys", "init", "--path", str(path)])
    assert again.exit_code == 2 and "never overwritten" in again.output
    pem = runner.invoke(main, ["keys", "export", "--path", str(path), "--pem"])
    assert pem.output.startswith("-----BEGIN PUBLIC KEY-----")
    db = tmp_path / "a.db"
    Archive(db).close()
    assert seal_run(str(db), None, {"signing_key": f"{db}.files/k.key"}, None) == [
        f"hepza: no checkpoint: the signing key {db}.files/k.key must be kept outside the archive"
    ]


def _sealed_sample(folder: Path) -> tuple[Path, Path]:
    """The sample archive (two runs: new articles, an edit, a removal) with an attachment, a return and a
    re-process after them, each run checkpointed as hepza's commands do."""
    db = build_sample_archive(folder / "a.db")
    key = folder / "signing.key"
    values = {"signing_key": str(key)}
    assert seal_run(str(db), 1, values, None)[0].startswith(f"hepza: created the signing key {key}")
    assert seal_run(str(db), 2, values, None) == []
    archive = Archive(db)
    run = archive.start_run("incremental", SITE)
    store_attachment(
        archive,
        url=f"{SITE}/documents/a.pdf",
        article_url=FACTORY,
        body=b"%PDF-1",
        content_type="application/pdf",
    )
    store_attachment(
        archive,
        url=f"{SITE}/documents/a.pdf",
        article_url=FACTORY,
        body=b"%PDF-2",
        content_type="application/pdf",
    )
    record = archive.article(2)
    assert record is not None and record["removed_at"] is not None
    archive.save(
        _page(
            FACTORY, "40002", "Khánh thành nhà máy", "Nhà máy mới khánh thành.", "2026-04-09T10:00:00+07:00"
        ),
        capture(b"<html>factory back</html>", FACTORY),
        run_id=run,
    )
    archive.finish_run(run, status="ok", exit_code=0, counts={}, alarms=[])
    archive.close()
    assert seal_run(str(db), run, values, None) == []
    archive = Archive(db)
    result = reprocess(archive)
    archive.close()
    assert seal_run(str(db), result["run_id"], values, None) == []
    return db, key


@pytest.fixture(scope="module")
def sealed(tmp_path_factory) -> tuple[Path, Path]:
    return _sealed_sample(tmp_path_factory.mktemp("sealed"))


def _copy(sealed: tuple[Path, Path], tmp_path: Path) -> Path:
    db = tmp_path / "a.db"
    shutil.copy(sealed[0], db)
    if Path(f"{sealed[0]}.files").exists():
        shutil.copytree(f"{sealed[0]}.files", f"{db}.files")
    return db


def _verify(db: Path, *extra: str):
    return CliRunner().invoke(main, ["verify", "--db", str(db), *extra])


def test_every_kind_of_event_is_a_leaf(sealed):
    conn = sqlite3.connect(sealed[0])
    events = {e for (e,) in conn.execute("SELECT DISTINCT event FROM ledger_leaves")}
    assert events >= {"capture", "version", "attachment", "removal", "return", "reprocess"}
    # Each version chains to the leaf of the article's version before it.
    chain = [
        (json.loads(data), digest)
        for data, digest in conn.execute(
            "SELECT data, leaf_hash FROM ledger_leaves WHERE event = 'version' AND article_id = 1 ORDER BY idx"
        )
    ]
    assert chain[0][0]["previous"] is None
    assert [data["previous"] for data, _ in chain[1:]] == [digest for _, digest in chain[:-1]]
    sizes = [s for (s,) in conn.execute("SELECT tree_size FROM ledger_checkpoints ORDER BY id")]
    assert (
        sizes == sorted(sizes)
        and sizes[-1] == conn.execute("SELECT count(*) FROM ledger_leaves").fetchone()[0]
    )


def test_the_untouched_archive_verifies(sealed, tmp_path):
    result = _verify(_copy(sealed, tmp_path), "--public-key", str(sealed[1]))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok: ") and "4 checkpoints" in result.output
    check = CliRunner().invoke(main, ["check", "--db", str(tmp_path / "a.db")])
    assert check.exit_code == 0, check.output


TAMPERING = {
    "edited body": (
        "DROP TRIGGER article_versions_no_update; UPDATE article_versions SET body_text = 'Sửa.' WHERE id = 4",
        "article_versions row 4 (article 1 version 2) differs from ledger leaf",
    ),
    "deleted version": (
        "DROP TRIGGER article_versions_no_delete; DELETE FROM article_versions WHERE id = 4",
        "article_versions row 4 (article 1 version 2) is missing (ledger leaf",
    ),
    "inserted version": (
        "INSERT INTO article_versions (article_id, version, captured_at, change_kind, content_hash) "
        "VALUES (3, 5, '2026-05-01T00:00:00+00:00', 'edit', 'x')",
        "(article 3 version 5) is not in the ledger: inserted",
    ),
    "capture bytes": (
        "DROP TRIGGER capture_bodies_no_update; "
        "UPDATE capture_bodies SET data = (SELECT data FROM capture_bodies b JOIN captures c "
        "ON c.body_sha256 = b.sha256 WHERE c.id = 2) WHERE sha256 = (SELECT body_sha256 FROM captures WHERE id = 1)",
        "captures row 1 (http://127.0.0.1:9/w/hoi-nghi): its body's bytes do not match their hash",
    ),
    "deleted checkpoint": (
        "DROP TRIGGER ledger_checkpoints_no_delete; DELETE FROM ledger_checkpoints WHERE id = 2",
        "ledger_checkpoints row 2 is missing (deleted)",
    ),
    "deleted last checkpoint": (
        "DROP TRIGGER ledger_checkpoints_no_delete; DELETE FROM ledger_checkpoints WHERE id = 4",
        "crawl_runs row 4 has no checkpoint",
    ),
    "removal undone": (
        "UPDATE articles SET removed_at = '2026-04-01T00:00:00+00:00' WHERE id = 3",
        "articles row 3: removed_at is '2026-04-01T00:00:00+00:00', the ledger says None",
    ),
    "leaf rebuilt with its row": (
        "DROP TRIGGER article_versions_no_update; DROP TRIGGER ledger_leaves_no_update; "
        "UPDATE article_versions SET body_text = 'Sửa.' WHERE id = 4",
        "ledger_checkpoints row 1: the ledger's first 9 leaves do not give its root",
    ),
    "attachment file": (None, "(http://127.0.0.1:9/documents/a.pdf): its file"),
}


def _rebuild_leaf(conn: sqlite3.Connection, table: str, row_id: int) -> None:
    idx, data = conn.execute(
        "SELECT idx, data FROM ledger_leaves WHERE ref_table = ? AND ref_id = ?", [table, row_id]
    ).fetchone()
    row = ledger.fetch_row(conn, table, row_id)
    assert row is not None
    rebuilt = ledger.canonical(ledger.row_data(table, row, ledger.version_extra(conn, row, before_index=idx)))
    assert rebuilt != data.encode()
    conn.execute(
        "UPDATE ledger_leaves SET data = ?, leaf_hash = ? WHERE idx = ?",
        [rebuilt.decode(), merkle.leaf_hash(rebuilt).hex(), idx],
    )


@pytest.mark.parametrize("case", sorted(TAMPERING))
def test_each_tampering_is_found_naming_the_row(sealed, tmp_path, case):
    sql, message = TAMPERING[case]
    db = _copy(sealed, tmp_path)
    if sql is None:
        path = next(Path(f"{db}.files").rglob("*.pdf"))
        path.write_bytes(b"%PDF-forged")
    else:
        conn = sqlite3.connect(db)
        conn.executescript(sql)
        if (
            case == "leaf rebuilt with its row"
        ):  # the editor rebuilds the row's leaf too: the tree then differs
            _rebuild_leaf(conn, "article_versions", 4)
        conn.commit()
        conn.close()
    result = _verify(db)
    assert result.exit_code == 1, result.output
    assert message in result.output, result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1


def test_a_backup_copy_verifies_and_is_checked_the_same(sealed, tmp_path):
    db = _copy(sealed, tmp_path)
    copy = tmp_path / "backup.db"
    assert CliRunner().invoke(main, ["backup", str(copy), "--db", str(db)]).exit_code == 0
    assert _verify(copy).exit_code == 0
    conn = sqlite3.connect(copy)
    conn.executescript(TAMPERING["edited body"][0])
    conn.close()
    result = _verify(copy)
    assert result.exit_code == 1 and TAMPERING["edited body"][1] in result.output
    other = tmp_path / "other.db"
    assert CliRunner().invoke(main, ["backup", str(other), "--db", str(db)]).exit_code == 0
    conn = sqlite3.connect(other)
    conn.executescript(TAMPERING["deleted checkpoint"][0])
    conn.close()
    check = CliRunner().invoke(main, ["check", "--db", str(other)])
    assert check.exit_code == 1
    assert check.output == "hepza check: ledger: ledger_checkpoints row 2 is missing (deleted)\n"


def test_another_key_is_refused(sealed, tmp_path):
    result = _verify(_copy(sealed, tmp_path), "--public-key", GO_VERIFIER)
    assert result.exit_code == 1 and "not the trusted key" in result.output


def test_a_leaf_is_written_with_its_event_or_not_at_all(tmp_path):
    archive = Archive(tmp_path / "a.db")
    before = archive.db.execute("SELECT count(*) FROM ledger_leaves").fetchone()[0]
    archive.begin_batch()
    archive.captures.store(capture(), None, None)
    assert archive.db.execute("SELECT count(*) FROM ledger_leaves").fetchone()[0] == before + 1
    archive.rollback_batch()
    assert archive.db.execute("SELECT count(*) FROM ledger_leaves").fetchone()[0] == before
    with archive.transaction():
        archive.captures.store(capture(), None, None)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        archive.db.execute("DELETE FROM ledger_leaves")
    archive.close()


def test_an_archive_from_before_the_ledger_is_backfilled(sealed, tmp_path):
    """The sample's rows copied into a file at the schema before m015: opening it adds their leaves."""
    old = tmp_path / "old.db"
    db = Database(old)
    migrations.apply(db, stop_before="m015_evidence_ledger")
    conn = db.conn
    conn.execute("ATTACH ? AS src", [str(sealed[0])])
    for table in (
        "crawl_runs",
        "articles",
        "article_urls",
        "capture_bodies",
        "captures",
        "article_versions",
        "attachment_files",
        "migration_flag_changes",
    ):
        # (The old schema's columns only: later migrations add columns, crawl_runs.hints among them.)
        columns = ", ".join(row[1] for row in conn.execute(f"PRAGMA main.table_info({table})"))
        conn.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM src.{table}")
    # Its runs happened before the ledger existed. (Copied as they are, they could share the second of
    # the ledger's creation, which `verify` would take for a run after it: a flake under a fast run.)
    conn.execute("UPDATE crawl_runs SET started_at = '2025-01-01T00:00:00+00:00'")
    conn.commit()
    conn.execute("DETACH src")
    conn.close()
    shutil.copytree(f"{sealed[0]}.files", f"{old}.files")
    archive = Archive(old)
    backfilled = archive.db.execute("SELECT backfilled FROM ledger_meta").fetchone()[0]
    leaves = archive.db.execute("SELECT count(*) FROM ledger_leaves").fetchone()[0]
    archive.close()
    assert backfilled == leaves > 0
    assert seal_run(str(old), None, {"signing_key": str(sealed[1])}, None) == []
    result = _verify(old)
    assert result.exit_code == 0, result.output


def _proof(sealed, tmp_path, *args: str) -> Path:
    output = tmp_path / "proof.json"
    result = CliRunner().invoke(main, ["proof", *args, "--db", str(sealed[0]), "--output", str(output)])
    assert result.exit_code == 0, result.output
    return output


def test_a_proof_verifies_on_its_own_and_fails_after_any_byte_changes(sealed, tmp_path):
    output = _proof(sealed, tmp_path, "1", "--version", "1")
    bundle = json.loads(output.read_text())
    assert (bundle["article_id"], bundle["version"]) == (1, 1)
    assert bundle["content"]["body_text"] == "Ngày 07/4, hội nghị sơ kết quý I."
    result = CliRunner().invoke(main, ["verify-proof", str(output), "--public-key", str(sealed[1])])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok: article 1 version 1 ")
    data = output.read_bytes()
    # Every byte position (a stride through the file keeps the test fast): any change makes it fail.
    for position in range(0, len(data), max(1, len(data) // 300)):
        changed = bytearray(data)
        changed[position] ^= 0x01
        forged = tmp_path / "forged.json"
        forged.write_bytes(bytes(changed))
        outcome = CliRunner().invoke(main, ["verify-proof", str(forged)])
        assert outcome.exit_code in (1, 2), (position, outcome.output)
        assert outcome.output.startswith(("hepza verify-proof: ", "Error: cannot read")), outcome.output


def test_the_library_function_gives_the_newest_version(sealed):
    from archive.evidence.proof import build_proof, dumps, verify_bundle

    conn = sqlite3.connect(sealed[0])
    bundle = build_proof(conn, 1)
    conn.close()
    assert bundle["version"] == 2 and bundle["capture_sha256"] and bundle["capture_leaf"]
    assert verify_bundle(dumps(bundle))["tree_size"] > bundle["version_leaf"]["index"]


def test_a_proof_of_nothing_is_a_usage_error(sealed, tmp_path):
    result = CliRunner().invoke(
        main, ["proof", "1", "--version", "9", "--db", str(sealed[0]), "--output", str(tmp_path / "p.json")]
    )
    assert result.exit_code == 2 and "article 1 has no version 9" in result.output


def test_a_run_killed_before_its_checkpoint_is_covered_by_the_next(sealed, tmp_path):
    db = _copy(sealed, tmp_path)
    archive = Archive(db)
    killed = archive.start_run("incremental", SITE)
    archive.save(
        _page(FACTORY, "40002", "Khánh thành nhà máy mới", "Nhà máy mới.", "2026-04-09T10:00:00+07:00"),
        capture(b"<html>factory 3</html>", FACTORY),
        run_id=killed,
    )
    archive.finish_run(killed, status="internal-error", exit_code=70, counts={}, alarms=[])
    archive.close()
    unsigned = _verify(db)
    assert unsigned.exit_code == 1 and f"crawl_runs row {killed} has no checkpoint" in unsigned.output
    archive = Archive(db)
    later = archive.start_run("incremental", SITE)
    archive.finish_run(later, status="ok", exit_code=0, counts={}, alarms=[])
    archive.close()
    assert seal_run(str(db), later, {"signing_key": str(sealed[1])}, None) == []
    assert _verify(db).exit_code == 0
