"""Crawl runs in SQLite: the ``crawl_runs`` row each run opens and closes, and its ``crawl_errors``.

The ledger of a run (archive/runs.py) decides what a run was; this module only writes and reads its rows,
inside the transaction the :class:`~archive.store.Archive` owning it has open.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from typing import Any

from sqlite_utils import Database

from archive.clock import utc_now

# The counts a run's row keeps (the summary's other figures are not stored).
RUN_COUNTS = (
    "requests",
    "not_modified",
    "new",
    "changed",
    "unchanged",
    "removed",
    "returned",
    "errors",
    "attachments",
    "attachments_changed",
    "migration_flags",
)
# The longest error message stored: a traceback or an HTML error page says all it has to in its start.
_MAX_MESSAGE = 2000


class RunStore:
    """The ``crawl_runs`` and ``crawl_errors`` rows of one archive."""

    def __init__(self, db: Database, transaction: Callable[[], AbstractContextManager[None]]) -> None:
        self.db = db
        self.transaction = transaction

    def start(self, mode: str, site_url: str) -> int:
        """Open a run's row (status ``running``, this process's pid); returns its id."""
        with self.transaction():
            cursor = self.db.execute(
                "INSERT INTO crawl_runs (started_at, status, mode, site_url, pid) VALUES (?, 'running', ?, ?, ?)",
                [utc_now(), mode, site_url, os.getpid()],
            )
        assert cursor.lastrowid is not None  # (an INSERT always gives its rowid)
        return cursor.lastrowid

    def record_hints(self, run_id: int, hints: Mapping[str, Any] | None) -> None:
        """The profile hints the run reads pages with, as JSON (NULL for none)."""
        text = json.dumps(dict(hints), ensure_ascii=False, sort_keys=True) if hints else None
        with self.transaction():
            self.db.execute("UPDATE crawl_runs SET hints = ? WHERE id = ?", [text, run_id])

    def last_crawl_hints(self) -> dict[str, Any]:
        """The hints of the newest crawl run (``full`` or ``incremental``), {} when it had none."""
        row = self.db.execute(
            "SELECT hints FROM crawl_runs WHERE mode IN ('full', 'incremental') ORDER BY id DESC LIMIT 1"
        ).fetchone()
        try:
            value = json.loads(row[0]) if row and row[0] else {}
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    def finish(
        self, run_id: int, *, status: str, exit_code: int, counts: Mapping[str, int], alarms: list[str]
    ) -> None:
        """Close a run's row with its status, exit code, counts and alarms."""
        values = [int(counts.get(c, 0)) for c in RUN_COUNTS]
        with self.transaction():
            self.db.execute(
                "UPDATE crawl_runs SET finished_at = ?, status = ?, exit_code = ?, alarms = ?, "
                + ", ".join(f"{c} = ?" for c in RUN_COUNTS)
                + " WHERE id = ?",
                [utc_now(), status, exit_code, json.dumps(alarms, ensure_ascii=False), *values, run_id],
            )

    def record_error(
        self, run_id: int | None, url: str, kind: str, message: str, status: int | None = None
    ) -> None:
        with self.transaction():
            self.db.execute(
                "INSERT INTO crawl_errors (run_id, at, url, kind, status, message) VALUES (?, ?, ?, ?, ?, ?)",
                [run_id, utc_now(), url, kind, status, message[:_MAX_MESSAGE]],
            )

    def status(self, run_id: int) -> str | None:
        """The status of a run's row (None when there is no such run)."""
        row = self.db.execute("SELECT status FROM crawl_runs WHERE id = ?", [run_id]).fetchone()
        return row[0] if row else None

    def close_running(self, *, exit_code: int, alarm: str) -> int:
        """Close every row still ``running`` as ``internal-error`` with this alarm; returns how many."""
        with self.transaction():
            cursor = self.db.execute(
                "UPDATE crawl_runs SET status = 'internal-error', exit_code = ?, finished_at = ?, alarms = ? "
                "WHERE status = 'running'",
                [exit_code, utc_now(), json.dumps([alarm])],
            )
        return cursor.rowcount
