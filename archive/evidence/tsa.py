"""RFC 3161 time-stamps of checkpoints: trusted time, optional and offline-safe.

After a run's checkpoint the archive asks the time-stamping authority of the ``tsa_url`` setting for a
token over the checkpoint's signed note (SHA-256), with a short timeout, and stores the authority's whole
response in ``ledger_timestamps``. A failure is reported and forgotten: the crawl neither waits nor fails,
and a later stamp covers every earlier event (each checkpoint extends the ones before). ``hepza stamp``
retries for the last checkpoint. ``hepza verify`` checks each stored token's imprint, and its signature and
chain against the ``tsa_certificate`` roots when the setting names them.
"""

from __future__ import annotations

import hashlib
import sqlite3
import urllib.error
import urllib.request
from datetime import datetime

import rfc3161_client
from cryptography import x509

from archive.clock import utc_now

SHA256_OID = "2.16.840.1.101.3.4.2.1"


class StampError(Exception):
    """The authority could not be reached or refused: one line, never fatal to a crawl."""


def request_token(note: bytes, url: str, timeout: float) -> bytes:
    """The authority's DER response granting a time-stamp of ``note``."""
    request = rfc3161_client.TimestampRequestBuilder(
        data=note, hash_algorithm=rfc3161_client.HashAlgorithm.SHA256, nonce=True, cert_req=True
    ).build()
    http = urllib.request.Request(
        url, data=request.as_bytes(), headers={"Content-Type": "application/timestamp-query"}, method="POST"
    )
    try:
        with urllib.request.urlopen(http, timeout=timeout) as answer:  # noqa: S310 (the user's TSA URL)
            raw = answer.read()
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise StampError(f"time-stamp authority {url}: {getattr(exc, 'reason', exc)}") from None
    try:
        response = rfc3161_client.decode_timestamp_response(raw)
    except Exception as exc:  # the library's parse errors have no common base
        raise StampError(f"time-stamp authority {url}: not a time-stamp response ({exc})") from None
    if response.status not in (0, 1):  # granted, granted with modifications
        raise StampError(f"time-stamp authority {url} refused: {response.status_string or response.status}")
    if response.tst_info.nonce != request.nonce or _imprint(response) != hashlib.sha256(note).digest():
        raise StampError(f"time-stamp authority {url}: the token is not for this request")
    return raw


def _imprint(response: rfc3161_client.TimeStampResponse) -> bytes:
    imprint = response.tst_info.message_imprint
    if imprint.hash_algorithm.dotted_string != SHA256_OID:
        return b""
    return imprint.message


def stamp_latest(db: sqlite3.Connection, url: str, timeout: float) -> tuple[int, datetime] | None:
    """Time-stamp the last checkpoint unless it has a token already; (checkpoint id, the token's time), or
    None when there is nothing to stamp. Raises :class:`StampError`."""
    row = db.execute("SELECT c.id, c.note FROM ledger_checkpoints c ORDER BY c.id DESC LIMIT 1").fetchone()
    if row is None:
        return None
    checkpoint_id, note = row
    if db.execute("SELECT 1 FROM ledger_timestamps WHERE checkpoint_id = ?", [checkpoint_id]).fetchone():
        return None
    raw = request_token(note.encode("utf-8"), url, timeout)
    db.execute(
        "INSERT INTO ledger_timestamps (checkpoint_id, tsa_url, stamped_at, token) VALUES (?, ?, ?, ?)",
        [checkpoint_id, url, utc_now(), raw],
    )
    return checkpoint_id, rfc3161_client.decode_timestamp_response(raw).tst_info.gen_time


def load_roots(paths: list[str]) -> list[bytes]:
    """PEM bytes of the authorities' root certificates (files may hold several)."""
    found = []
    for path in paths:
        with open(path, "rb") as handle:
            found.append(handle.read())
    return found


def verify_all(db: sqlite3.Connection, roots_pem: list[bytes]) -> int:
    """Check every stored token: for its checkpoint's note, and (given roots) signed by a chain to one of
    them. Returns how many; raises ``archive.evidence.verify.Problem`` on the first bad one."""
    from archive.evidence.verify import Problem

    roots = [cert for pem in roots_pem for cert in x509.load_pem_x509_certificates(pem)]
    count = 0
    for stamp_id, note, raw in db.execute(
        "SELECT t.id, c.note, t.token FROM ledger_timestamps t "
        "LEFT JOIN ledger_checkpoints c ON c.id = t.checkpoint_id ORDER BY t.id"
    ):
        if note is None:
            raise Problem(f"ledger_timestamps row {stamp_id}: its checkpoint is missing")
        try:
            response = rfc3161_client.decode_timestamp_response(bytes(raw))
        except Exception:
            raise Problem(f"ledger_timestamps row {stamp_id}: not a time-stamp response") from None
        message = note.encode("utf-8")
        if _imprint(response) != hashlib.sha256(message).digest():
            raise Problem(f"ledger_timestamps row {stamp_id}: the token is not for its checkpoint")
        if roots:
            builder = rfc3161_client.VerifierBuilder()
            for root in roots:
                builder = builder.add_root_certificate(root)
            try:
                builder.build().verify_message(response, message)
            except rfc3161_client.VerificationError as exc:
                raise Problem(
                    f"ledger_timestamps row {stamp_id}: the token does not verify ({exc})"
                ) from None
        count += 1
    return count
