"""The end of a run for the ledger: sign a checkpoint, then (when configured) ask for a time-stamp.

Called by ``hepza crawl``, ``hepza reprocess`` and ``hepza demo`` with the run lock still held. Neither step
changes a run's exit code: a checkpoint that cannot be written leaves the run's events unsigned, which
``hepza verify`` reports until a later run signs them; a time-stamp that cannot be had is tried by the next
run or ``hepza stamp``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from archive.config import config_path
from archive.evidence import tsa
from archive.evidence.checkpoint import write_checkpoint
from archive.evidence.keys import KeyError_, default_key_path, key_for_archive
from archive.store import Archive


def key_path(values: Mapping[str, Any], config_file: str | None) -> Path:
    """The signing key's path: the ``signing_key`` setting, else beside the config file, else the user's
    configuration folder."""
    import os

    if values.get("signing_key"):
        return Path(values["signing_key"]).expanduser()
    return default_key_path(config_path(config_file, os.environ))


def seal_run(
    db_path: str, run_id: int | None, values: Mapping[str, Any], config_file: str | None
) -> list[str]:
    """Checkpoint the archive after run ``run_id``; returns the lines to print on stderr (a new key's
    place, a failure), empty when all went quietly."""
    lines: list[str] = []
    path = key_path(values, config_file)
    try:
        key, created = key_for_archive(path, db_path)
    except KeyError_ as exc:
        return [f"hepza: no checkpoint: {exc}"]
    if created:
        lines.append(f"hepza: created the signing key {path}; public key {key.public.verifier()}")
    archive = Archive(db_path)
    try:
        try:
            write_checkpoint(archive.db.conn, key, run_id)
        except (ValueError, sqlite3.Error) as exc:
            return [*lines, f"hepza: no checkpoint: {exc}"]
        if values.get("tsa_url"):
            lines += stamp(archive.db.conn, values["tsa_url"], float(values["tsa_timeout"]))
    finally:
        archive.close()
    return lines


def stamp(db: sqlite3.Connection, url: str, timeout: float) -> list[str]:
    """Time-stamp the last checkpoint; a failure is one line, never an exception."""
    try:
        tsa.stamp_latest(db, url, timeout)
    except tsa.StampError as exc:
        return [f"hepza: no time-stamp this time: {exc} (hepza stamp retries)"]
    return []
