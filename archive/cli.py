"""The ``hepza`` command: a thin click layer over the archive, the crawler and the replica.

Every user-facing failure is one line and a documented exit code (README "Exit codes"): 0 all well,
1 some pages failed, 2 usage or configuration error, 3 layout-change alarm, 75 another run holds the lock.
"""

from __future__ import annotations

import json
import shlex
import shutil
import sys
from pathlib import Path

import click

from archive.runs import EXIT_INTERNAL, EXIT_LOCKED, EXIT_USAGE
from archive.store import Archive, ArchiveError

DEFAULT_DB = "hepza.db"


class UserError(click.ClickException):
    """A configuration or input problem: one line on stderr, exit code 2."""

    exit_code = EXIT_USAGE


def _open(db: str, *, readonly: bool = True) -> Archive:
    try:
        return Archive(db, readonly=readonly)
    except ArchiveError as exc:
        raise UserError(str(exc)) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="hepza-archive")
def main() -> None:
    """hepza-archive: a trustworthy archive of the HEPZA news portal, with change tracking.

    Example: hepza demo
    """


@main.command()
@click.option(
    "--site-url", default=None, help="Origin to crawl (default: the portal); the crawl never leaves it."
)
@click.option("--db", default=None, help="Archive file (SQLite). [default: hepza.db]")
@click.option("--full", is_flag=True, help="Re-check every known article, not only new and due ones.")
@click.option(
    "--delay", type=float, default=None, help="Seconds between requests (default 1, AutoThrottled)."
)
@click.option("--concurrency", type=int, default=None, help="Parallel requests to the site (default 1).")
@click.option(
    "--config", "config_file", default=None, help="TOML config file (default: ./hepza.toml if present)."
)
@click.option("--verbose", is_flag=True, help="Log Scrapy's progress to stderr.")
@click.option("--log-file", type=click.Path(dir_okay=False), default=None, help="Write the crawl log here.")
@click.option("--json", "as_json", is_flag=True, help="Print the run summary as JSON.")
def crawl(site_url, db, full, delay, concurrency, config_file, verbose, log_file, as_json) -> None:
    """Crawl the portal and archive new and changed articles.

    Settings come from the options, then HEPZA_* environment variables, then the config file
    (docs/configuration.md lists them all). Exit codes: 0 all well, 1 some pages failed (listed),
    2 usage error, 3 layout-change alarm, 75 another run holds the lock.

    Example: hepza crawl --db hepza.db
    """
    from archive.config import ConfigError, crawl_overrides, resolve
    from archive.lock import LockedError, RunLock

    try:
        values = resolve(
            {"site_url": site_url, "db": db, "delay": delay, "concurrency": concurrency},
            config_file=config_file,
        )
    except ConfigError as exc:
        raise UserError(str(exc)) from None
    progress = sys.stderr.isatty() and not verbose and not as_json
    overrides = crawl_overrides(values, full=full, verbose=verbose, log_file=log_file, progress=progress)
    db = values["db"]
    _open(db, readonly=False).close()  # create or upgrade the archive now, so errors are one line
    try:
        with RunLock(db):
            from scraper.run import run_crawl

            summary = run_crawl(overrides)
    except LockedError as exc:
        click.echo(f"hepza: {exc}", err=True)
        sys.exit(EXIT_LOCKED)
    _print_summary(summary, as_json)
    sys.exit(summary["exit_code"])


def _print_summary(summary: dict, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False))
        return
    line = (
        f"run {summary['run_id']} {summary['status']}: {summary['requests']} requests, "
        f"{summary['new']} new, {summary['changed']} changed, {summary['unchanged']} unchanged, "
        f"{summary['not_modified']} not modified, {summary['removed']} removed, {summary['errors']} errors; "
        f"files: {summary['attachments']} new, {summary['attachments_changed']} replaced"
    )
    click.echo(line)
    for alarm in summary["alarms"]:
        click.echo(f"ALARM {alarm}", err=True)
    for url in summary["failed_urls"] if summary["errors"] else []:
        click.echo(f"failed: {url}", err=True)


@main.command()
@click.argument("source")
@click.option("--url", default=None, help="The page's address, when SOURCE is a saved file.")
@click.option("--charset", default=None, help="The charset the page was served with, if known.")
def extract(source, url, charset) -> None:
    """Print the clean record of one page (a saved file or a URL) as JSON.

    Example: hepza extract saved-page.html --url https://hepza.hochiminhcity.gov.vn/w/some-slug
    """
    from pipelines.extract import extract_page
    from pipelines.record import clean_article

    if source.startswith(("http://", "https://")):
        body, charset, page_url = _fetch(source)
    else:
        path = Path(source)
        if not path.is_file():
            raise UserError(f"no such file: {source}")
        body, page_url = path.read_bytes(), url or path.resolve().as_uri()
    record = clean_article(extract_page(body, page_url, charset))
    click.echo(json.dumps(record.to_dict(), ensure_ascii=False, indent=2))


def _fetch(url: str) -> tuple[bytes, str | None, str]:
    import urllib.error
    import urllib.request

    from scraper.settings import USER_AGENT

    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.read(), response.headers.get_content_charset(), response.geturl()
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise UserError(f"could not fetch {url}: {exc}") from None


@main.command()
@click.option("--db", default=DEFAULT_DB, show_default=True, help="Archive file to create or update.")
@click.option(
    "--articles", type=int, default=None, help="Size of the replica (default: the hand-written corpus)."
)
def demo(db, articles) -> None:
    """Serve the bundled replica on loopback, crawl it, edit and remove an article there, crawl again.

    The archive it leaves holds a first crawl, an edit and a confirmed removal to browse. The user's
    HEPZA_* settings are not read, and its site, archive, delay and concurrency are its own.

    Example: hepza demo --db hepza.db
    """
    from archive.demo import run_demo

    result = run_demo(
        lambda site_url, full: _demo_crawl(db, site_url, full), articles=articles, say=click.echo
    )
    archive = _open(db)
    count = archive.db.execute("SELECT count(*) FROM articles").fetchone()[0]
    ids = {
        asset_id: article_id
        for asset_id, article_id in archive.db.execute(
            "SELECT asset_id, id FROM articles WHERE asset_id IN (?, ?)",
            (result.edited_asset_id, result.removed_asset_id),
        )
    }
    archive.close()
    click.echo(f"{count} articles archived in {db}.")
    quoted, hepza = shlex.quote(db), how_to_run_hepza()
    click.echo(f"Browse:  {hepza} serve --db {quoted}")
    click.echo(f"Edited:  {hepza} history {ids.get(result.edited_asset_id, '?')} --db {quoted}")
    click.echo(f"Removed: {hepza} history {ids.get(result.removed_asset_id, '?')} --db {quoted}")
    click.echo(f"Query:   sqlite3 {quoted} {shlex.quote(_DEMO_QUERY)}")
    sys.exit(result.exit_code)


def _demo_crawl(db: str, site_url: str, full: bool) -> dict:
    """One crawl of the demo, in a fresh process: Twisted's reactor cannot be started twice in one."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from archive.config import crawl_overrides, resolve
    from scraper.run import run_crawl

    values = resolve({"site_url": site_url, "db": db, "delay": 0, "concurrency": 16}, env={})
    overrides = crawl_overrides(values, full=full, progress=sys.stderr.isatty())
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        summary = pool.submit(run_crawl, overrides).result()
    _print_summary(summary, False)
    return summary


_DEMO_QUERY = "SELECT published_at, title FROM articles ORDER BY published_at DESC LIMIT 10"


def how_to_run_hepza() -> str:
    """The command that runs hepza as this process was run, for the hints it prints: ``hepza`` when that
    name on the PATH is this script, else the script's path as typed (``.venv/bin/hepza`` from ``make
    demo``), else this Python with ``-m archive.cli``. A fixed ``.venv/bin/hepza`` was wrong anywhere but
    the project's root."""
    script = Path(sys.argv[0])
    if script.name != "hepza":
        return f"{shlex.quote(sys.executable)} -m archive.cli"
    on_path = shutil.which("hepza")
    if on_path and Path(on_path).resolve() == script.resolve():
        return "hepza"
    return shlex.quote(str(script))


@main.command("sample-site")
@click.option("--port", type=int, default=8000, show_default=True, help="Port on 127.0.0.1.")
@click.option(
    "--articles", type=int, default=None, help="Number of articles (default: the hand-written corpus)."
)
@click.option(
    "--chrome",
    type=click.Choice(["full", "light"]),
    default="full",
    show_default=True,
    help="full: pages as heavy as real Liferay 7.4 pages (~75 KB of scripts, styles, menus); "
    "light: the same content in ~16 KB pages.",
)
def sample_site(port, articles, chrome) -> None:
    """Serve the replica of the portal on 127.0.0.1 until stopped.

    Example: hepza sample-site --port 8000 --articles 1000 --chrome light
    """
    from replica import serve_forever

    try:
        serve_forever(port=port, articles=articles, chrome=chrome)
    except OSError as exc:
        raise UserError(f"cannot serve on 127.0.0.1:{port}: {exc.strerror or exc}") from None


@main.command()
@click.argument("article")
@click.option("--db", default=DEFAULT_DB, show_default=True)
def history(article, db) -> None:
    """Show every version of an article (by URL or id) with a word-level diff of what changed.

    Example: hepza history 12 --db hepza.db
    """
    from archive.history import article_history

    archive = _open(db)
    try:
        text = article_history(archive, article)
    except LookupError as exc:
        raise UserError(str(exc)) from None
    finally:
        archive.close()
    click.echo(text)


@main.command()
@click.option("--db", default=DEFAULT_DB, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def stats(db, as_json) -> None:
    """Counts of what the archive holds, and its last runs.

    Example: hepza stats --db hepza.db
    """
    from archive.history import archive_stats

    archive = _open(db)
    try:
        figures = archive_stats(archive)
    finally:
        archive.close()
    if as_json:
        click.echo(json.dumps(figures, ensure_ascii=False, indent=2))
        return
    for name, value in figures.items():
        click.echo(f"{name}: {value}")


@main.command()
@click.option("--db", default=DEFAULT_DB, show_default=True)
@click.option("--port", type=int, default=8001, show_default=True)
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Bind address (loopback unless you say so)."
)
def serve(db, port, host) -> None:
    """Browse the archive with datasette (read-only).

    Example: hepza serve --db hepza.db --port 8001
    """
    from archive.browse import run_datasette

    if not Path(db).is_file():
        raise UserError(f"no archive at {db}")
    sys.exit(run_datasette(db, host=host, port=port))


@main.command()
@click.option("--db", default=DEFAULT_DB, show_default=True)
@click.option("--timezone", default="Asia/Ho_Chi_Minh", show_default=True, help="The site's time zone.")
@click.option(
    "--config", "config_file", default=None, help="TOML config file (the migration batch settings)."
)
def reprocess(db, timezone, config_file) -> None:
    """Re-run extraction and cleaning over the stored captures (no network).

    A version is written only where the output changed, marked `reprocess`.

    Example: hepza reprocess --db hepza.db
    """
    from archive.config import ConfigError, resolve
    from archive.migration import rule_from_settings
    from archive.reprocess import reprocess as run_reprocess

    try:
        rule = rule_from_settings(resolve({}, config_file=config_file))
    except ConfigError as exc:
        raise UserError(str(exc)) from None
    archive = _open(db, readonly=False)
    try:
        result = run_reprocess(archive, tz=timezone, migration_rule=rule)
    finally:
        archive.close()
    click.echo(
        f"reprocessed {result['articles']} articles: {result['changed']} changed, "
        f"{result['unchanged']} unchanged, {result['skipped']} skipped; "
        f"{result['migration_flags']} migration flags changed (migration_flag_changes)"
    )
    sys.exit(1 if result["skipped"] else 0)


@main.command()
@click.option("--db", default=DEFAULT_DB, show_default=True)
def check(db) -> None:
    """Verify the archive: SQLite integrity, version hashes, capture hashes, attachment files. Exit 1 on the
    first problem.

    Example: hepza check --db hepza.db
    """
    from archive.check import first_problem

    archive = _open(db)
    try:
        problem = first_problem(archive)
    finally:
        archive.close()
    if problem:
        click.echo(f"hepza check: {problem}", err=True)
        sys.exit(1)
    click.echo("ok")


@main.command()
@click.option("--db", default=DEFAULT_DB, show_default=True)
@click.option(
    "--table",
    type=click.Choice(["articles", "versions", "urls", "document_refs", "runs", "errors"]),
    default="articles",
    show_default=True,
)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True),
    default="-",
    help="File, or - for stdout.",
)
def export(db, table, fmt, output) -> None:
    """Write articles, versions or another table as JSON Lines or CSV.

    Example: hepza export --table versions --format csv -o versions.csv
    """
    from archive.export import export as run_export

    archive = _open(db)
    try:
        if output == "-":
            count = run_export(archive, table, fmt, click.get_text_stream("stdout"))
        else:
            with open(output, "w", encoding="utf-8", newline="") as out:
                count = run_export(archive, table, fmt, out)
    finally:
        archive.close()
    if output != "-":
        click.echo(f"{count} rows written to {output}", err=True)


@main.command()
@click.argument("destination", type=click.Path(dir_okay=False))
@click.option("--db", default=DEFAULT_DB, show_default=True)
def backup(destination, db) -> None:
    """Make a consistent copy of the archive, safe while a crawl is running, with its attachment files.

    Example: hepza backup /backups/hepza-$(date +%F).db --db hepza.db
    """
    import sqlite3

    from archive.export import backup as run_backup

    if Path(destination).exists():
        raise UserError(f"{destination} exists; choose a new file")
    archive = _open(db)
    try:
        copied = run_backup(archive, destination)
    except (sqlite3.Error, OSError) as exc:
        raise UserError(f"backup failed: {exc}") from None
    finally:
        archive.close()
    click.echo(
        f"backup written to {destination}" + (f" and {copied} attachment files beside it" if copied else "")
    )


def run() -> None:
    """The console entry point: an unexpected error is one line and exit code 70, never a traceback."""
    import os

    try:
        main(standalone_mode=True)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        click.echo("hepza: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # the last line of defence; HEPZA_DEBUG=1 shows the traceback
        if os.environ.get("HEPZA_DEBUG"):
            raise
        click.echo(
            f"hepza: internal error: {type(exc).__name__}: {exc} (HEPZA_DEBUG=1 shows details)", err=True
        )
        sys.exit(EXIT_INTERNAL)


if __name__ == "__main__":
    run()
