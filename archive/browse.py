"""Start datasette over the archive, bound to loopback unless the user says otherwise."""

from __future__ import annotations

import subprocess
import sys


def run_datasette(db: str, *, host: str = "127.0.0.1", port: int = 8001) -> int:
    """Serve the archive with datasette until stopped; returns datasette's exit code."""
    command = [sys.executable, "-m", "datasette", "serve", db, "--host", host, "--port", str(port),
               "--setting", "sql_time_limit_ms", "3000"]
    try:
        return subprocess.call(command)
    except KeyboardInterrupt:
        return 0
