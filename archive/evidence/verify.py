"""``hepza verify``: is the archive exactly what its last checkpoint signed?

Every leaf is rebuilt from the rows and bytes it describes (a capture's body is decompressed and hashed,
an attachment's file hashed), every row of a ledgered table must have its leaf, the tree is recomputed,
every checkpoint's signature checked, each checkpoint must be consistent with the one before (RFC 9162
§2.1.4 proofs), none may be missing, and the last must cover every leaf. The first problem is returned as
one line naming the row.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from archive.evidence import checkpoint as checkpoints
from archive.evidence import ledger, merkle
from archive.evidence.keys import KeyError_, PublicKey

# (The status alone, from the light module: archive.runs would add a quarter second to verify's start.)
from pipelines.platform import RUN_STATUS as NOT_LIFERAY_STATUS


class Problem(Exception):
    """The first thing found that the ledger does not attest."""


@dataclass
class Report:
    leaves: int = 0
    checkpoints: int = 0
    signer: str | None = None
    timestamps: int = 0
    notes: list[str] = field(default_factory=list)


def _describe(table: str, row: dict | None, row_id: int | None) -> str:
    if table == "article_versions" and row:
        return f"article_versions row {row_id} (article {row['article_id']} version {row['version']})"
    if table == "captures" and row:
        return f"captures row {row_id} ({row['url']})"
    if table == "attachment_files" and row:
        return f"attachment_files row {row_id} ({row['url']})"
    return f"{table} row {row_id}"


def _leaf_description(data: dict) -> str:
    if data.get("table") == "article_versions":
        return f"article_versions row {data['id']} (article {data['article_id']} version {data['version']})"
    if data.get("table"):
        return f"{data['table']} row {data['id']}"
    return f"the {data['event']} of article {data.get('article_id', '?')}"


def verify(
    db: sqlite3.Connection,
    *,
    body: Callable[[str], bytes],
    files_folder: Path,
    trusted: PublicKey | None = None,
    tsa_certificates: list[bytes] | None = None,
) -> Report:
    """Check the whole archive; raises :class:`Problem` with the first finding, else returns a report.
    ``body`` gives a capture body's bytes by its sha256; ``trusted`` pins the checkpoints' key."""
    import json

    names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "ledger_leaves" not in names:
        raise Problem("the archive has no ledger (open it once for writing with this hepza to add one)")
    report = Report()
    bodies: dict[str, str] = {}
    files: dict[str, str | None] = {}
    seen: dict[str, set[int]] = {table: set() for table in ledger.ROW_COLUMNS}
    removal_state: dict[int, str | None] = {}
    hashes: list[bytes] = []
    for idx, event, table, ref_id, stored, digest in ledger.leaves(db):
        if idx != len(hashes):
            raise Problem(f"ledger leaf {len(hashes)} is missing (the next is {idx})")
        encoded = stored.encode("utf-8")
        if merkle.leaf_hash(encoded) != digest:
            raise Problem(f"ledger leaf {idx}: its hash does not match its data")
        data = json.loads(stored)
        hashes.append(digest)
        if table in ledger.ROW_COLUMNS:
            assert ref_id is not None
            row = ledger.fetch_row(db, table, ref_id)
            if row is None:
                raise Problem(f"{_leaf_description(data)} is missing (ledger leaf {idx}): deleted")
            extra = ledger.version_extra(db, row, before_index=idx) if table == "article_versions" else None
            if ledger.canonical(ledger.row_data(table, row, extra)) != encoded:
                raise Problem(f"{_describe(table, row, ref_id)} differs from ledger leaf {idx}")
            seen[table].add(ref_id)
            if table == "captures":
                sha = row["body_sha256"]
                if sha not in bodies:
                    try:
                        bodies[sha] = hashlib.sha256(body(sha)).hexdigest()
                    except Exception as exc:  # a damaged blob is a finding, not a crash
                        raise Problem(
                            f"{_describe(table, row, ref_id)}: its body cannot be read ({exc})"
                        ) from None
                if bodies[sha] != sha:
                    raise Problem(
                        f"{_describe(table, row, ref_id)}: its body's bytes do not match their hash"
                    )
            elif table == "attachment_files":
                path = row["path"]
                if path not in files:
                    try:
                        files[path] = hashlib.sha256((files_folder / path).read_bytes()).hexdigest()
                    except OSError:
                        files[path] = None
                if files[path] != row["sha256"]:
                    raise Problem(f"{_describe(table, row, ref_id)}: its file {path} is missing or changed")
        elif event == ledger.REMOVAL:
            removal_state[data["article_id"]] = data["removed_at"]
        elif event == ledger.RETURN:
            removal_state[data["article_id"]] = None
        elif event == ledger.REPROCESS:
            run = db.execute("SELECT started_at FROM crawl_runs WHERE id = ?", [data["run_id"]]).fetchone()
            if run is None or run[0] != data["started_at"]:
                raise Problem(
                    f"crawl_runs row {data['run_id']} (a re-process) differs from ledger leaf {idx}"
                )
        else:
            raise Problem(f"ledger leaf {idx}: unknown event {event!r}")
    report.leaves = len(hashes)
    _unledgered_rows(db, seen)
    _removals(db, removal_state)
    _checkpoints(db, hashes, trusted, report)
    if tsa_certificates is not None or "ledger_timestamps" in names:
        from archive.evidence import tsa

        report.timestamps = tsa.verify_all(db, tsa_certificates or [])
    return report


def _unledgered_rows(db: sqlite3.Connection, seen: dict[str, set[int]]) -> None:
    """A row of a ledgered table without its leaf: written around hepza (an insertion)."""
    for table in ledger.ROW_COLUMNS:
        for (row_id,) in db.execute(f"SELECT id FROM {table} ORDER BY id"):
            if row_id not in seen[table]:
                row = ledger.fetch_row(db, table, row_id)
                raise Problem(f"{_describe(table, row, row_id)} is not in the ledger: inserted")


def _removals(db: sqlite3.Connection, state: dict[int, str | None]) -> None:
    """Each article's removal as the ledger's last removal or return of it says."""
    for article_id, removed_at in db.execute("SELECT id, removed_at FROM articles ORDER BY id"):
        if state.get(article_id) != removed_at:
            said = state.get(article_id)
            raise Problem(
                f"articles row {article_id}: removed_at is {removed_at!r}, the ledger says {said!r}"
            )


def _checkpoints(
    db: sqlite3.Connection, hashes: list[bytes], trusted: PublicKey | None, report: Report
) -> None:
    rows = db.execute(
        "SELECT id, run_id, tree_size, root_hash, note, public_key FROM ledger_checkpoints ORDER BY id"
    ).fetchall()
    origin = checkpoints.origin(db)
    roots = merkle.roots_at(hashes, [r[2] for r in rows if r[2] <= len(hashes)])
    previous: tuple[int, bytes] | None = None
    signer: str | None = None
    for expected_id, (cp_id, _run_id, size, root_hex, note, public) in enumerate(rows, start=1):
        if cp_id != expected_id:
            raise Problem(f"ledger_checkpoints row {expected_id} is missing (deleted)")
        try:
            cp = checkpoints.parse(note)
            key = PublicKey.parse(public)
        except (ValueError, KeyError_) as exc:
            raise Problem(f"ledger_checkpoints row {cp_id}: not a signed checkpoint ({exc})") from None
        if trusted is not None and key != trusted:
            raise Problem(f"ledger_checkpoints row {cp_id}: signed by {public}, not the trusted key")
        if signer is not None and public != signer:
            raise Problem(f"ledger_checkpoints row {cp_id}: signed by another key ({public})")
        signer = public
        if not cp.signed_by(key):
            raise Problem(f"ledger_checkpoints row {cp_id}: its signature does not verify")
        if cp.origin != origin or cp.size != size or cp.root.hex() != root_hex:
            raise Problem(f"ledger_checkpoints row {cp_id}: its columns differ from its signed note")
        if size > len(hashes):
            raise Problem(f"ledger_checkpoints row {cp_id} signs {size} leaves; the ledger has {len(hashes)}")
        if roots[size] != cp.root:
            raise Problem(
                f"ledger_checkpoints row {cp_id}: the ledger's first {size} leaves do not give its root"
            )
        if previous is not None:
            proof = merkle.consistency_proof(hashes, previous[0], size)
            if not merkle.verify_consistency(previous[0], size, previous[1], cp.root, proof):
                raise Problem(f"ledger_checkpoints row {cp_id} is not consistent with the one before")
        previous = (size, cp.root)
    _runs_without_checkpoint(db, {r[1] for r in rows})
    signed = previous[0] if previous else 0
    if signed != len(hashes):
        first = json_of(db, signed)
        raise Problem(
            f"{_leaf_description(first)} (ledger leaf {signed}) and {len(hashes) - signed - 1} after it are "
            "signed by no checkpoint"
        )
    report.checkpoints = len(rows)
    report.signer = signer


def _runs_without_checkpoint(db: sqlite3.Connection, signed_runs: set[int | None]) -> None:
    """Every run that ended after the last checkpoint's run must have its own: the last checkpoint of a run
    that added no leaf can only be missed this way. A run before it that has none (killed before it could
    sign) is covered by the later checkpoints. A run that met no Liferay portal archived nothing and is
    not sealed (archive/cli.py): none is expected of it."""
    created = db.execute("SELECT created_at FROM ledger_meta WHERE id = 1").fetchone()[0]
    last = max((run for run in signed_runs if run is not None), default=0)
    for (run_id,) in db.execute(
        "SELECT id FROM crawl_runs WHERE status NOT IN ('running', ?) AND started_at >= ? AND id > ?"
        " ORDER BY id",
        [NOT_LIFERAY_STATUS, created, last],
    ):
        if run_id not in signed_runs:
            raise Problem(f"crawl_runs row {run_id} has no checkpoint (deleted?)")


def json_of(db: sqlite3.Connection, idx: int) -> dict:
    import json

    row = db.execute("SELECT data FROM ledger_leaves WHERE idx = ?", [idx]).fetchone()
    return json.loads(row[0])
