"""Proof bundles: what a third party needs to check one version of an article with nothing but the file.

A bundle (JSON) holds the version's content and content hash, the leaves of the version and of its
capture with their inclusion proofs (RFC 9162 §2.1.3), the signed checkpoint they lead to and the public
key. :func:`verify_bundle` checks every one of those links; the file must also be exactly the canonical
spelling of what it holds (:func:`dumps`), so changing any byte of it makes it fail. docs/evidence.md shows
the same checks by hand.
"""

from __future__ import annotations

import base64
import json
import sqlite3
from typing import Any

from archive.evidence import checkpoint as checkpoints
from archive.evidence import ledger, merkle
from archive.evidence.keys import KeyError_, PublicKey
from pipelines.hashing import content_hash
from pipelines.model import CONTENT_FIELDS, LATER_CONTENT_FIELDS

FORMAT = "hepza-proof/1"
_JSON_FIELDS = ("authors", "photo_credits", "images", "attachments", "links")
_KEYS = {
    "format",
    "article_id",
    "version",
    "content",
    "content_hash",
    "capture_sha256",
    "version_leaf",
    "capture_leaf",
    "checkpoint",
    "public_key",
    "public_key_pem",
}


class ProofError(ValueError):
    """A bundle that cannot be made, or that does not verify."""


def dumps(bundle: dict) -> str:
    """The one spelling of a bundle (what ``hepza proof`` writes and ``verify-proof`` insists on)."""
    return json.dumps(bundle, sort_keys=True, ensure_ascii=False, indent=2) + "\n"


def _leaf(db: sqlite3.Connection, table: str, row_id: int, size: int, hashes: list[bytes]) -> dict:
    row = db.execute(
        "SELECT idx, data FROM ledger_leaves WHERE ref_table = ? AND ref_id = ? ORDER BY idx LIMIT 1",
        [table, row_id],
    ).fetchone()
    if row is None:
        raise ProofError(f"{table} row {row_id} is not in the ledger")
    idx, data = row
    if idx >= size:
        raise ProofError(f"{table} row {row_id} is not signed by a checkpoint yet (run hepza crawl first)")
    return {"index": idx, "data": data, "proof": [h.hex() for h in merkle.inclusion_proof(hashes, idx, size)]}


def build_proof(db: sqlite3.Connection, article: int, version: int | None = None) -> dict:
    """The proof bundle of one version (the newest when ``version`` is None) of article ``article`` (its
    archive id), against the archive's last checkpoint."""
    present = {r[1] for r in db.execute("PRAGMA table_info(article_versions)")}
    fields = [name for name in CONTENT_FIELDS if name in present]
    sql = f"SELECT id, version, content_hash, capture_id, {', '.join(fields)} FROM article_versions WHERE article_id = ?"
    params: list[Any] = [article]
    if version is not None:
        sql += " AND version = ?"
        params.append(version)
    row = db.execute(sql + " ORDER BY version DESC LIMIT 1", params).fetchone()
    if row is None:
        raise ProofError(
            f"article {article} has no version {version}" if version else f"no article {article}"
        )
    version_id, number, digest, capture_id = row[:4]
    decoded = {
        name: (json.loads(value) if value else []) if name in _JSON_FIELDS else value
        for name, value in zip(fields, row[4:], strict=True)
    }
    # As hashed: a field added later counts only when it holds something (pipelines.hashing), so the
    # bundle's content is exactly what the hash covers and a reader hashes it as it stands.
    content = {name: value for name, value in decoded.items() if value or name not in LATER_CONTENT_FIELDS}
    last = checkpoints.latest(db)
    if last is None:
        raise ProofError("the archive has no checkpoint yet (run hepza crawl first)")
    cp_id, cp = last
    public = db.execute("SELECT public_key FROM ledger_checkpoints WHERE id = ?", [cp_id]).fetchone()[0]
    hashes = ledger.leaf_hashes(db, cp.size)
    capture_sha = None
    capture_leaf = None
    if capture_id is not None:
        capture_sha = db.execute("SELECT body_sha256 FROM captures WHERE id = ?", [capture_id]).fetchone()[0]
        capture_leaf = _leaf(db, "captures", capture_id, cp.size, hashes)
    return {
        "format": FORMAT,
        "article_id": article,
        "version": number,
        "content": content,
        "content_hash": digest,
        "capture_sha256": capture_sha,
        "version_leaf": _leaf(db, "article_versions", version_id, cp.size, hashes),
        "capture_leaf": capture_leaf,
        "checkpoint": _note(db, cp_id),
        "public_key": public,
        "public_key_pem": PublicKey.parse(public).pem(),
    }


def _note(db: sqlite3.Connection, checkpoint_id: int) -> str:
    return db.execute("SELECT note FROM ledger_checkpoints WHERE id = ?", [checkpoint_id]).fetchone()[0]


def verify_bundle(text: str, trusted: PublicKey | None = None) -> dict:
    """Check a bundle as read from its file; returns what it proves, raises :class:`ProofError`."""
    try:
        return _verify_bundle(text, trusted)
    except ProofError:
        raise
    except (TypeError, KeyError, AttributeError, ValueError) as exc:  # a field of the wrong shape
        raise ProofError(f"the bundle is malformed ({type(exc).__name__})") from None


def _verify_bundle(text: str, trusted: PublicKey | None) -> dict:
    try:
        bundle = json.loads(text)
    except ValueError as exc:
        raise ProofError(f"not JSON: {exc}") from None
    if not isinstance(bundle, dict) or set(bundle) != _KEYS or bundle["format"] != FORMAT:
        raise ProofError(f"not a {FORMAT} bundle")
    if dumps(bundle) != text:
        raise ProofError("the file is not exactly the bundle it holds (edited?)")
    try:
        key = PublicKey.parse(bundle["public_key"])
        cp = checkpoints.parse(bundle["checkpoint"])
    except (ValueError, KeyError_) as exc:
        raise ProofError(str(exc)) from None
    if trusted is not None and key != trusted:
        raise ProofError("the bundle's public key is not the trusted key")
    if key.pem() != bundle["public_key_pem"]:
        raise ProofError("the PEM public key is not the note key")
    if not cp.signed_by(key):
        raise ProofError("the checkpoint's signature does not verify with the public key")
    if content_hash(bundle["content"]) != bundle["content_hash"]:
        raise ProofError("the content does not hash to content_hash")
    version = _included(bundle["version_leaf"], cp, "version")
    expected = {
        "event": "version",
        "article_id": bundle["article_id"],
        "version": bundle["version"],
        "content_hash": bundle["content_hash"],
        "capture_sha256": bundle["capture_sha256"],
    }
    if any(version.get(k) != v for k, v in expected.items()):
        raise ProofError("the version leaf is not this version's")
    if bundle["capture_leaf"] is not None:
        capture = _included(bundle["capture_leaf"], cp, "capture")
        if (capture.get("event"), capture.get("id"), capture.get("body_sha256")) != (
            "capture",
            version.get("capture_id"),
            bundle["capture_sha256"],
        ):
            raise ProofError("the capture leaf is not this version's capture")
    elif bundle["capture_sha256"] is not None or version.get("capture_id") is not None:
        raise ProofError("the capture leaf is missing")
    return {
        "article_id": bundle["article_id"],
        "version": bundle["version"],
        "content_hash": bundle["content_hash"],
        "tree_size": cp.size,
        "root": base64.b64encode(cp.root).decode(),
        "signer": key.verifier(),
    }


def _included(leaf: Any, cp: checkpoints.Checkpoint, what: str) -> dict:
    try:
        index, data, proof = leaf["index"], leaf["data"], [bytes.fromhex(h) for h in leaf["proof"]]
        parsed = json.loads(data)
    except (KeyError, TypeError, ValueError):
        raise ProofError(f"the {what} leaf is malformed") from None
    if not isinstance(index, int) or not merkle.verify_inclusion(
        index, cp.size, merkle.leaf_hash(data.encode("utf-8")), proof, cp.root
    ):
        raise ProofError(f"the {what} leaf is not included in the signed tree")
    if not isinstance(parsed, dict):
        raise ProofError(f"the {what} leaf is malformed")
    return parsed
