"""Checkpoints: the ledger's tree size and root, signed, in the C2SP tlog-checkpoint signed-note format.

    <origin>\\n<tree size>\\n<base64 root hash>\\n\\n— <key name> <base64(key id || Ed25519 signature)>\\n

The signature covers the note's text (the three lines with their newlines). Every run ends with one
(``write_checkpoint``); they are append-only, and each must be consistent with the one before (RFC 9162
§2.1.4): the tree only grows.
"""

from __future__ import annotations

import base64
import sqlite3
from dataclasses import dataclass

from archive.clock import utc_now
from archive.evidence import ledger, merkle
from archive.evidence.keys import PublicKey, SigningKey

_DASH = "\u2014"  # the signature line's em dash


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    text: str  # the signed text
    signatures: tuple[tuple[str, bytes, bytes], ...]  # (key name, key id, signature)

    def signed_by(self, key: PublicKey) -> bool:
        """Whether one of the note's signatures is ``key``'s over its text."""
        return any(
            name == key.name and key_id == key.key_id and key.verify(sig, self.text.encode())
            for name, key_id, sig in self.signatures
        )


def body(origin: str, size: int, root: bytes) -> str:
    return f"{origin}\n{size}\n{base64.b64encode(root).decode()}\n"


def sign(origin: str, size: int, root: bytes, key: SigningKey) -> str:
    """The signed note of a tree of ``size`` with ``root``."""
    text = body(origin, size, root)
    signature = key.public.key_id + key.sign(text.encode())
    return f"{text}\n{_DASH} {key.name} {base64.b64encode(signature).decode()}\n"


def parse(note: str) -> Checkpoint:
    """A signed checkpoint note; raises ValueError when it is not one."""
    text, sep, signatures = note.partition("\n\n")
    if not sep or not text:
        raise ValueError("a signed note has its text, a blank line, then its signatures")
    text += "\n"
    lines = text.split("\n")[:-1]
    if len(lines) < 3:
        raise ValueError("a checkpoint has an origin, a tree size and a root hash")
    origin, size_text, root_text = lines[:3]
    if not size_text.isdigit() or (size_text != "0" and size_text.startswith("0")):
        raise ValueError(f"bad tree size {size_text!r}")
    root = base64.b64decode(root_text, validate=True)
    if len(root) != 32:
        raise ValueError("the root hash is not 32 bytes")
    found = []
    if not signatures.endswith("\n"):
        raise ValueError("the signature lines end with a newline")
    for line in signatures[:-1].split("\n"):
        dash, _, rest = line.partition(" ")
        name, _, encoded = rest.rpartition(" ")
        if dash != _DASH or not name:
            raise ValueError(f"bad signature line {line[:60]!r}")
        blob = base64.b64decode(encoded, validate=True)
        if len(blob) < 5:
            raise ValueError("a signature is a key id and the signature")
        found.append((name, blob[:4], blob[4:]))
    return Checkpoint(origin, int(size_text), root, text, tuple(found))


def origin(db: sqlite3.Connection) -> str:
    return db.execute("SELECT origin FROM ledger_meta WHERE id = 1").fetchone()[0]


def latest(db: sqlite3.Connection) -> tuple[int, Checkpoint] | None:
    row = db.execute("SELECT id, note FROM ledger_checkpoints ORDER BY id DESC LIMIT 1").fetchone()
    return (row[0], parse(row[1])) if row else None


def write_checkpoint(db: sqlite3.Connection, key: SigningKey, run_id: int | None) -> int:
    """Sign the ledger as it stands, in one transaction (the caller holds the run lock); returns the
    checkpoint's id. A key other than the one that signed the last checkpoint is refused: a reader holds
    one public key for the archive."""
    db.execute("BEGIN IMMEDIATE")
    try:
        last = db.execute("SELECT public_key FROM ledger_checkpoints ORDER BY id DESC LIMIT 1").fetchone()
        if last and last[0] != key.public.verifier():
            raise ValueError(
                f"the archive's checkpoints are signed by {last[0]}, not by this key ({key.public.verifier()})"
            )
        hashes = ledger.leaf_hashes(db)
        root = merkle.root(hashes)
        note = sign(origin(db), len(hashes), root, key)
        cursor = db.execute(
            "INSERT INTO ledger_checkpoints (run_id, created_at, tree_size, root_hash, note, public_key) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [run_id, utc_now(), len(hashes), root.hex(), note, key.public.verifier()],
        )
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    assert cursor.lastrowid is not None  # (an INSERT always gives its rowid)
    return cursor.lastrowid
