"""The ledger on an archive made by crawling the replica (``hepza demo``: a first crawl, an edit, a removal),
through the commands as a user runs them: ``hepza verify`` exits 0 on it and 1 naming the row after each
tampering, on the archive and on its ``hepza backup``; a proof of a crawled version verifies on its own and
fails after a byte changes; RFC 3161 time-stamps from a real ``openssl ts`` authority on 127.0.0.1 are
stored, checked, retried by ``hepza stamp`` and never fail a run when the authority is away."""

from __future__ import annotations

import json
import shutil
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.tsa_server import make_tsa
from tests.hepza_cli import ROOT, built_once, rows, run_hepza


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    def build(folder: Path) -> None:
        db = folder / "d.db"
        result = run_hepza("demo", "--db", str(db))
        assert result.returncode == 0, result.stderr
        with sqlite3.connect(db) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # The same primed archive as tests/reliability/test_cli_archive_faults.py (built once per run).
    return built_once(tmp_path_factory, "demo", build) / "d.db"


def _copy(source: Path, folder: Path, name: str = "a.db") -> Path:
    copy = folder / name
    shutil.copy(source, copy)
    shutil.copytree(f"{source}.files", f"{copy}.files")
    return copy


def _edited(db: Path) -> dict:
    """The version the demo's edit wrote (version 2 of its article), and the first one."""
    return rows(
        db, "SELECT id, article_id, version FROM article_versions WHERE version = 2 ORDER BY id LIMIT 1"
    )[0]


def _tamper(db: Path, sql: str) -> None:
    conn = sqlite3.connect(db)
    conn.executescript(sql)
    conn.close()


# Each tampering of the issue, and what the one line must say (``{id}``, ``{article}``: the edited version).
TAMPERING = {
    "edited body": (
        "DROP TRIGGER article_versions_no_update; "
        "UPDATE article_versions SET body_text = body_text || ' (sửa)' WHERE id = {id}",
        "article_versions row {id} (article {article} version 2) differs from ledger leaf",
    ),
    "deleted version": (
        "DROP TRIGGER article_versions_no_delete; DELETE FROM article_versions WHERE id = {id}",
        "article_versions row {id} (article {article} version 2) is missing",
    ),
    "inserted version": (
        "INSERT INTO article_versions (article_id, version, captured_at, change_kind, content_hash) "
        "VALUES ({article}, 3, '2026-01-01T00:00:00+00:00', 'edit', 'x')",
        "(article {article} version 3) is not in the ledger: inserted",
    ),
    "capture bytes": (
        "DROP TRIGGER capture_bodies_no_update; UPDATE capture_bodies SET data = "
        "(SELECT data FROM capture_bodies WHERE sha256 != (SELECT body_sha256 FROM captures WHERE id = 1) "
        "AND codec = (SELECT codec FROM capture_bodies b JOIN captures c ON c.body_sha256 = b.sha256 "
        "WHERE c.id = 1) LIMIT 1) WHERE sha256 = (SELECT body_sha256 FROM captures WHERE id = 1)",
        "captures row 1 (",
    ),
    "deleted checkpoint": (
        "DROP TRIGGER ledger_checkpoints_no_delete; DELETE FROM ledger_checkpoints WHERE id = 2",
        "ledger_checkpoints row 2 is missing (deleted)",
    ),
}


def test_the_crawled_archive_verifies(demo_db, tmp_path):
    db = _copy(demo_db, tmp_path)
    result = run_hepza("verify", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: ") and "3 checkpoints" in result.stdout
    assert run_hepza("check", "--db", str(db)).returncode == 0


@pytest.mark.parametrize("source", ["archive", "backup"])
@pytest.mark.parametrize("case", sorted(TAMPERING))
def test_each_tampering_exits_1_naming_the_row(demo_db, tmp_path, case, source):
    db = _copy(demo_db, tmp_path)
    if source == "backup":
        copy = tmp_path / "backup.db"
        assert run_hepza("backup", str(copy), "--db", str(db)).returncode == 0
        db = copy
    edited = _edited(db)
    sql, message = (text.format(id=edited["id"], article=edited["article_id"]) for text in TAMPERING[case])
    _tamper(db, sql)
    result = run_hepza("verify", "--db", str(db))
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 1, result.stderr
    assert len(lines) == 1 and lines[0].startswith("hepza verify: ") and message in lines[0], lines


def test_a_proof_of_a_crawled_version_stands_alone(demo_db, tmp_path):
    db = _copy(demo_db, tmp_path)
    edited = _edited(db)
    bundle = tmp_path / "proof.json"
    made = run_hepza(
        "proof", str(edited["article_id"]), "--db", str(db), "--version", "1", "--output", str(bundle)
    )
    assert made.returncode == 0, made.stderr
    content = json.loads(bundle.read_text())
    assert (
        content["version"] == 1
        and content["capture_sha256"]
        == rows(
            db,
            "SELECT c.body_sha256 FROM article_versions v JOIN captures c ON c.id = v.capture_id "
            "WHERE v.article_id = ? AND v.version = 1",
            [edited["article_id"]],
        )[0]["body_sha256"]
    )
    alone = tmp_path / "elsewhere"
    alone.mkdir()
    moved = alone / "proof.json"
    shutil.move(bundle, moved)
    db.unlink()  # nothing but the file
    checked = run_hepza("verify-proof", str(moved))
    assert checked.returncode == 0, checked.stderr
    data = bytearray(moved.read_bytes())
    data[len(data) // 2] ^= 0x01
    moved.write_bytes(bytes(data))
    forged = run_hepza("verify-proof", str(moved))
    assert forged.returncode == 1 and forged.stderr.startswith("hepza verify-proof: ")


@pytest.fixture(scope="module")
def tsa(tmp_path_factory) -> dict:
    """A real time-stamping authority on 127.0.0.1: openssl ts with a test CA made here."""
    folder = tmp_path_factory.mktemp("tsa")
    root = make_tsa(folder)
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "e2e" / "tsa_server.py"), str(folder)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline())
        yield {"url": f"http://127.0.0.1:{port}/tsr", "root": str(root)}
    finally:
        server.kill()
        server.wait()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_run_is_time_stamped_and_verify_checks_the_token(demo_db, tmp_path, tsa):
    db = _copy(demo_db, tmp_path)
    env = {"HEPZA_TSA_URL": tsa["url"], "HEPZA_TSA_CERTIFICATE": tsa["root"]}
    result = run_hepza("reprocess", "--db", str(db), env=env)  # a run: it ends with a checkpoint
    assert result.returncode == 0 and result.stderr == "", result.stderr
    stamps = rows(db, "SELECT checkpoint_id FROM ledger_timestamps")
    assert stamps == [{"checkpoint_id": 4}]
    verified = run_hepza("verify", "--db", str(db), env=env)
    assert verified.returncode == 0 and ", 1 time-stamps," in verified.stdout, verified.stderr
    # A token for another message (the checkpoint before's) does not pass for this checkpoint's.
    _tamper(
        db,
        "DROP TRIGGER ledger_timestamps_no_update; UPDATE ledger_timestamps SET checkpoint_id = 3",
    )
    forged = run_hepza("verify", "--db", str(db), env=env)
    assert forged.returncode == 1
    assert "ledger_timestamps row 1: the token is not for its checkpoint" in forged.stderr


def test_an_absent_authority_never_fails_a_run_and_hepza_stamp_retries(demo_db, tmp_path, tsa):
    db = _copy(demo_db, tmp_path)
    away = {"HEPZA_TSA_URL": f"http://127.0.0.1:{_closed_port()}/tsr", "HEPZA_TSA_TIMEOUT": "2"}
    result = run_hepza("reprocess", "--db", str(db), env=away)
    assert result.returncode == 0, result.stderr
    assert (
        result.stderr.startswith("hepza: no time-stamp this time: ") and len(result.stderr.splitlines()) == 1
    )
    assert rows(db, "SELECT count(*) AS n FROM ledger_timestamps") == [{"n": 0}]
    assert run_hepza("verify", "--db", str(db)).returncode == 0  # unstamped is not unsound
    failed = run_hepza("stamp", "--db", str(db), env=away)
    assert failed.returncode == 1 and failed.stderr.startswith("hepza stamp: ")
    stamped = run_hepza("stamp", "--db", str(db), "--tsa-url", tsa["url"])
    assert stamped.returncode == 0 and stamped.stdout.startswith("checkpoint 4 time-stamped at "), (
        stamped.stderr
    )
    verified = run_hepza("verify", "--db", str(db), env={"HEPZA_TSA_CERTIFICATE": tsa["root"]})
    assert verified.returncode == 0 and ", 1 time-stamps," in verified.stdout, verified.stderr
