"""Browse the archive with datasette: read-only, on loopback, with the project's metadata and plugin.

``run_datasette`` is what ``hepza serve`` runs. The archive is opened read-only (``mode=ro``, never
``immutable``), so it keeps working while a cron crawl writes to the same file: each request sees the last
committed state of the WAL. The database is always served as ``hepza`` (``/hepza/articles``) whatever the
file is called. ``serving()`` starts ``hepza serve`` as a subprocess and waits until it answers, for tests
and scripts.

    python -m archive.browse --db hepza.db --port 8001     # same as: hepza serve --db hepza.db
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from archive import config
from archive.datasette import DATABASE, METADATA, TEMPLATES

SETTINGS = {
    "sql_time_limit_ms": 3000,
    "facet_time_limit_ms": 1000,
    "default_page_size": 50,
    "max_returned_rows": 1000,
    "allow_download": False,
    "suggest_facets": False,
    "truncate_cells_html": 400,
}


def load_metadata() -> dict:
    from datasette.utils import parse_metadata

    return parse_metadata(METADATA.read_text(encoding="utf-8"))


def register_plugin() -> None:
    """Register the project's datasette plugin (once per process)."""
    from datasette.plugins import pm

    from archive.datasette import plugin

    if not pm.is_registered(plugin):
        pm.register(plugin, name="hepza-archive")


def make_datasette(db: str | Path):
    """A Datasette app over the archive file, read-only, named ``hepza``, with metadata and plugin."""
    from datasette.app import Datasette
    from datasette.database import Database

    class ArchiveDatasette(Datasette):
        def _connected_databases(self):
            # /-/databases.json names the file, not where it lives on the server (its absolute path).
            listing = super()._connected_databases()
            for entry in listing:
                entry["path"] = Path(entry["path"]).name if entry["path"] else entry["path"]
            return listing

    register_plugin()
    ds = ArchiveDatasette(metadata=load_metadata(), template_dir=str(TEMPLATES), settings=SETTINGS)
    ds.add_database(Database(ds, path=str(Path(db).resolve()), is_mutable=True), name=DATABASE)
    if "_memory" in ds.databases:
        ds.remove_database("_memory")
    return ds


def run_datasette(db: str, *, host: str = "127.0.0.1", port: int = 8001) -> int:
    """Serve the archive with datasette until stopped; returns the exit code (2: cannot bind the port)."""
    import uvicorn

    if not is_loopback(host):
        print(
            f"hepza serve: warning: listening on {host} lets anyone who can reach it run any SQL query "
            "on the archive (read-only); use 127.0.0.1 unless that is what you want",
            file=sys.stderr,
        )
    if not _port_free(host, port):
        print(f"hepza serve: cannot listen on {host}:{port} (in use?)", file=sys.stderr)
        return 2
    ds = make_datasette(db)
    asyncio.run(_startup(ds))
    print(
        f"hepza serve: browse the archive at http://{host}:{port}/{DATABASE}/articles",
        file=sys.stderr,
        flush=True,
    )
    try:
        uvicorn.run(ds.app(), host=host, port=port, log_level="warning", lifespan="on")
    except KeyboardInterrupt:
        pass
    return 0


async def _startup(ds) -> None:
    await ds.invoke_startup()
    # Fail now, in one line, if the file is not a readable SQLite database.
    await ds.get_database(DATABASE).execute("select count(*) from sqlite_master")


def is_loopback(host: str) -> bool:
    """Is the bind address reachable from this machine only?"""
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # As uvicorn binds: a port whose last connections linger in TIME_WAIT (a restart) is free.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


class ServerFailed(RuntimeError):
    """``hepza serve`` exited or did not answer in time."""


@contextlib.contextmanager
def serving(
    db: str | Path, *, port: int | None = None, timeout: float = 30.0, log: Path | None = None
) -> Iterator[str]:
    """Run ``hepza serve --db DB`` in a subprocess on 127.0.0.1; yield its base URL once it answers.

    The process is stopped (terminate, then kill) on exit. Its stderr goes to ``log`` when given.
    """
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "archive.cli", "serve", "--db", str(db), "--port", str(port)]
    root = Path(__file__).resolve().parents[1]
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    with contextlib.ExitStack() as stack:
        err = stack.enter_context(open(log, "ab")) if log else subprocess.DEVNULL
        process = subprocess.Popen(
            command, cwd=root, env=env, stdout=err, stderr=err, stdin=subprocess.DEVNULL
        )
        try:
            wait_until_answers(f"{url}/-/versions.json", process, timeout)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def wait_until_answers(url: str, process: subprocess.Popen | None = None, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise ServerFailed(f"hepza serve exited with code {process.returncode} before answering")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError) as exc:
            last = exc
        time.sleep(0.1)
    raise ServerFailed(f"hepza serve did not answer at {url} within {timeout:.0f}s ({last})")


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m archive.browse", description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=config.default("db"))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    args = parser.parse_args(argv)
    if not Path(args.db).is_file():
        print(f"no archive at {args.db}", file=sys.stderr)
        return 2
    return run_datasette(args.db, host=args.host, port=args.port)


if __name__ == "__main__":
    sys.exit(main())
