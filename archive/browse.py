"""Browse the archive with datasette: read-only, on loopback, with the project's metadata and plugin.

``run_datasette`` is what ``hepza serve`` runs. The archive is opened read-only (``mode=ro``, never
``immutable``), so it keeps working while a cron crawl writes to the same file: each request sees the last
committed state of the WAL. The database is always served as ``hepza`` (``/hepza/articles``) whatever the
file is called. ``serving()`` starts ``hepza serve`` as a subprocess and waits until it answers, for tests
and scripts.

``make_portals_datasette`` is ``hepza serve --archives DIR``: every portal archive of the folder at once,
each a database named by its portal, opened the same way (read-only, never immutable), with the metadata
of the one archive given to each, and the plugin told the portals' names (archive/datasette/portals.py).

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
from collections.abc import Iterator, Mapping, Sequence
from copy import deepcopy
from html import escape
from pathlib import Path

from archive import config
from archive.datasette import DATABASE, METADATA, TEMPLATES
from archive.datasette.portals import PLUGIN

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
    return _datasette({DATABASE: Path(db)}, load_metadata())


def portals_metadata(names: Sequence[str]) -> dict:
    """The metadata for a folder of portal archives: the one archive's, given to each portal (tables,
    facets, full-text search, canned queries), a home page naming them, and the plugin told their names."""
    base = load_metadata()
    one = base.pop("databases")[DATABASE]
    for key in ("source", "source_url"):  # HEPZA's own portal: not the folder's
        base.pop(key, None)
    links = ", ".join(f'<a href="/{escape(n)}">{escape(n)}</a>' for n in names)
    base["title"] = "Portal news archives"
    base["description_html"] = (
        f"The archives of {len(names)} portal{'s' if len(names) != 1 else ''}: {links}. "
        'Search every portal at once on the <a href="/-/search">search page</a> (with or without diacritics, '
        'past versions too), or subscribe to the <a href="/-/feed.atom">Atom feed of every portal</a>; each '
        "portal's own pages, search and feed are under its name (<code>/&lt;portal&gt;/-/feed.atom</code>)."
    )
    base["databases"] = {name: dict(deepcopy(one), title=f"{name} news archive") for name in names}
    base["plugins"] = {PLUGIN: {"portals": list(names)}}
    return base


def make_portals_datasette(archives: Mapping[str, str | Path]):
    """A Datasette app over portal archives (name → file), each read-only, named by its portal."""
    return _datasette({name: Path(path) for name, path in archives.items()}, portals_metadata(list(archives)))


def _datasette(databases: Mapping[str, Path], metadata: dict):
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
    ds = ArchiveDatasette(metadata=metadata, template_dir=str(TEMPLATES), settings=SETTINGS)
    for name, path in databases.items():
        ds.add_database(Database(ds, path=str(path.resolve()), is_mutable=True), name=name)
    if "_memory" in ds.databases:
        ds.remove_database("_memory")
    _share_table_templates(ds, [name for name in databases if name != DATABASE])
    return ds


def _share_table_templates(ds, names: Sequence[str]) -> None:
    """Give every portal's articles table the one archive's listing, and its canned queries their page
    (datasette picks a template by database name: ``_table-<database>-articles.html``,
    ``query-<database>.html``)."""
    from datasette.utils import to_css_class
    from jinja2 import ChoiceLoader, DictLoader

    if not names:
        return
    shared = (TEMPLATES / f"_table-{DATABASE}-articles.html").read_text(encoding="utf-8")
    query = (TEMPLATES / f"query-{DATABASE}.html").read_text(encoding="utf-8")
    aliases = {f"_table-{to_css_class(name)}-articles.html": shared for name in names}
    aliases.update({f"query-{to_css_class(name)}.html": query for name in names})
    ds.jinja_env.loader = ChoiceLoader([DictLoader(aliases), ds.jinja_env.loader])


def run_datasette(db: str, *, host: str = "127.0.0.1", port: int = 8001) -> int:
    """Serve the archive with datasette until stopped; returns the exit code (2: cannot bind the port)."""
    return _run(lambda: make_datasette(db), f"/{DATABASE}/articles", host=host, port=port)


def run_portals(archives: Mapping[str, str | Path], *, host: str = "127.0.0.1", port: int = 8001) -> int:
    """Serve portal archives (name → file) with datasette until stopped; the exit code as run_datasette."""
    return _run(lambda: make_portals_datasette(archives), "/", host=host, port=port)


def _run(make, start: str, *, host: str, port: int) -> int:
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
    ds = make()
    asyncio.run(_startup(ds))
    print(
        f"hepza serve: browse the archive{'s' if start == '/' else ''} at http://{host}:{port}{start}",
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
    # Fail now, in one line, if a file is not a readable SQLite database.
    for database in ds.databases.values():
        await database.execute("select count(*) from sqlite_master")


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
    db: str | Path | None = None,
    *,
    archives: str | Path | None = None,
    port: int | None = None,
    timeout: float = 30.0,
    log: Path | None = None,
) -> Iterator[str]:
    """Run ``hepza serve --db DB`` (or ``--archives DIR``) in a subprocess on 127.0.0.1; yield its base URL
    once it answers.

    The process is stopped (terminate, then kill) on exit. Its stderr goes to ``log`` when given.
    """
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    what = ["--archives", str(archives)] if archives is not None else ["--db", str(db)]
    command = [sys.executable, "-m", "archive.cli", "serve", *what, "--port", str(port)]
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
