"""The ``hepza`` command: a thin click layer over the archive, the crawler and the replica.

Every user-facing failure is one line and a documented exit code (README "Exit codes"): 0 all well,
1 some pages failed, 2 usage or configuration error, 3 layout-change alarm, 75 another run holds the lock.
"""

from __future__ import annotations

import json
import shlex
import shutil
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import click

from archive.config import SETTINGS, ConfigError, resolve
from archive.runs import (
    EXIT_ALARM,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_LOCKED,
    EXIT_PAGES_FAILED,
    EXIT_USAGE,
    NOT_LIFERAY_STATUS,
)
from archive.store import Archive, ArchiveBusyError, ArchiveDamagedError, ArchiveError


class UserError(click.ClickException):
    """A configuration or input problem: one line on stderr, exit code 2."""

    exit_code = EXIT_USAGE


class DamagedArchive(UserError):
    """The file is too damaged to open (exit 2; ``hepza check`` reports it as its finding, exit 1)."""


class Locked(click.ClickException):
    """Another run holds the archive's lock (or SQLite's): one line on stderr, exit code 75."""

    exit_code = EXIT_LOCKED

    def show(self, file=None) -> None:
        click.echo(f"hepza: {self.format_message()}", err=True)


def _open(db: str, *, readonly: bool = True) -> Archive:
    try:
        return Archive(db, readonly=readonly)
    except ArchiveBusyError as exc:
        raise Locked(str(exc)) from None
    except ArchiveDamagedError as exc:
        raise DamagedArchive(str(exc)) from None
    except ArchiveError as exc:
        raise UserError(str(exc)) from None


def _settings(config_file: str | None, **options: object) -> dict:
    """Every setting of one command, the same way for all: its options (None when not given), then
    HEPZA_* variables, then the config file (--config, $HEPZA_CONFIG, ./hepza.toml), then the defaults. A
    bad value is one line, exit 2."""
    try:
        return resolve(options, config_file=config_file)
    except ConfigError as exc:
        raise UserError(str(exc)) from None


def _archive_path(db: str | None, config_file: str | None) -> str:
    """The archive every command uses: --db, else HEPZA_DB, else the config file's db, else hepza.db."""
    return _settings(config_file, db=db)["db"]


@contextmanager
def _archive(db: str, *, write: bool = False, must_exist: bool = True) -> Iterator[Archive]:
    """The archive open for one command: a missing file is an error (nothing is created) unless the command
    creates archives; a writing command holds the run lock (exit 75 when another run holds it); a damaged
    file is one line, exit 2."""
    from archive.lock import LockedError, RunLock

    if must_exist and not Path(db).is_file():
        raise UserError(f"no archive at {db}")
    with ExitStack() as stack:
        if write:
            try:
                stack.enter_context(RunLock(db))
            except LockedError as exc:
                raise Locked(str(exc)) from None
            except OSError as exc:
                raise UserError(f"cannot lock {db}: {exc.strerror or exc}") from None
        archive = _open(db, readonly=not write)
        stack.callback(archive.close)
        try:
            yield archive
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise UserError(f"{db} is damaged or unreadable ({exc}); restore it from a backup") from None
            # Another process holds SQLite's own write lock past the busy timeout: try again later.
            raise Locked(f"{db} is locked by another process ({exc})") from None
        except sqlite3.DatabaseError as exc:
            raise UserError(f"{db} is damaged or unreadable ({exc}); restore it from a backup") from None


def _refuse_damage(archive: Archive) -> None:
    damage = archive.damage()
    if damage:
        raise UserError(f"{archive.path} is damaged ({damage}); run hepza check, restore it from a backup")


def archive_options(command):
    """--db and --config, the same for every command that reads settings or the archive."""
    command = click.option(
        "--config",
        "config_file",
        default=None,
        help="TOML config file. [default: $HEPZA_CONFIG, else ./hepza.toml if present]",
    )(command)
    return setting_option("db")(command)


def setting_option(name: str, flag: str | None = None):
    """The option of one setting (``--flag``, else ``--name``), its help text and default from
    ``SETTINGS``: when the option is not given the command reads the setting from HEPZA_<NAME>, the config
    file or the default (see ``_settings``)."""
    setting = SETTINGS[name]
    default = setting.default_text() or "(empty)"
    return click.option(
        f"--{flag or name.replace('_', '-')}",
        name,
        type=setting.type,
        default=None,
        help=f"{setting.help} [default: ${setting.env}, else the config file's {name}, else {default}]",
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="hepza-archive")
def main() -> None:
    """hepza-archive: a trustworthy archive of the HEPZA news portal, with change tracking.

    Example: hepza demo
    """


@main.command()
@setting_option("site_url")
@archive_options
@click.option(
    "--portal",
    "portal_names",
    multiple=True,
    metavar="NAME",
    help="Crawl this portal of the profiles folder, enabled or not (repeatable; docs/portals.md).",
)
@click.option("--all", "all_portals", is_flag=True, help="Crawl every enabled portal of the profiles folder.")
@setting_option("portals_dir", flag="portals")
@setting_option("archives_dir", flag="archives")
@click.option("--full", is_flag=True, help="Re-check every known article, not only new and due ones.")
@setting_option("delay")
@setting_option("concurrency")
@click.option("--verbose", is_flag=True, help="Log Scrapy's progress to stderr.")
@click.option("--log-file", type=click.Path(dir_okay=False), default=None, help="Write the crawl log here.")
@click.option("--json", "as_json", is_flag=True, help="Print the run summary as JSON.")
@click.option(
    "--notify",
    "notify_urls",
    multiple=True,
    metavar="URL",
    help="Send every event of this run to this apprise URL, without a watch (repeatable; docs/alerts.md).",
)
def crawl(
    site_url,
    db,
    config_file,
    portal_names,
    all_portals,
    portals_dir,
    archives_dir,
    full,
    delay,
    concurrency,
    verbose,
    log_file,
    as_json,
    notify_urls,
) -> None:
    """Crawl the portal and archive new and changed articles.

    Settings come from the options, then HEPZA_* environment variables, then the config file
    (docs/configuration.md lists them all). Exit codes: 0 all well, 1 some pages failed (listed),
    2 usage error, 3 layout-change alarm, 75 another run holds the lock. After the run its alerts are
    sent (docs/alerts.md); one that cannot be sent is listed, and never changes the exit code.

    With --portal NAME or --all, every portal named (or every enabled profile of --portals) is crawled in
    one run into --archives/NAME.db: its profile's site, timezone, delay, concurrency and re-check
    schedule win over HEPZA_* and the config file, --delay and --concurrency over the profile. One line
    per portal, prefixed by its name (--json: one JSON object a line); the exit code is the worst of the
    portals', in the order 130, 70, 2, 3, 75, 1, 0 (docs/portals.md, "Crawling many portals").

    Example: hepza crawl --db hepza.db --notify json://127.0.0.1:8080/hook
    """
    if not portal_names and not all_portals:
        values = _settings(config_file, site_url=site_url, db=db, delay=delay, concurrency=concurrency)
        progress = sys.stderr.isatty() and not verbose and not as_json
        job = _PortalCrawl(None, values, crawl_overrides_of(values, full, verbose, log_file, progress))
        _check_notify(notify_urls)
        with ExitStack() as stack:
            _prepare_crawl(stack, job, config_file)
            from scraper.run import run_crawl

            job.summary = run_crawl(job.overrides)
            _finish_crawl(job, config_file, notify_urls)
        _print_summary(job.summary, as_json)
        sys.exit(job.summary["exit_code"])
    if site_url is not None or db is not None:
        raise UserError(
            "--portal and --all crawl each profile's site into its own archive: drop --site-url/--db"
        )
    jobs = _portal_crawls(
        config_file,
        portal_names,
        all_portals,
        portals_dir,
        archives_dir,
        delay,
        concurrency,
        lambda values, hints: crawl_overrides_of(values, full, verbose, log_file, False, hints),
    )
    _check_notify(notify_urls)
    _crawl_portals(jobs, config_file, notify_urls)
    for job in jobs:
        _print_portal(job, as_json)
    sys.exit(worst_exit_code([job.exit_code for job in jobs]))


# The overall exit code of a run over many portals is the worst of its portals' codes, in this order: an
# interrupted run first (nothing else it says is complete), then a bug (70), then what a person must fix
# before the portal can be crawled (2: a bad archive, a site that is not Liferay), then a layout-change
# alarm (3: the portal must be looked at), then a portal not crawled because another run holds it (75: it
# is being crawled; try later), then pages that failed (1: the next run retries them), then all well.
EXIT_SEVERITY = (EXIT_INTERRUPTED, EXIT_INTERNAL, EXIT_USAGE, EXIT_ALARM, EXIT_LOCKED, EXIT_PAGES_FAILED, 0)


def worst_exit_code(codes: list[int]) -> int:
    """The worst of the portals' exit codes (``EXIT_SEVERITY``; a code not listed there counts as worst)."""
    rank = {code: place for place, code in enumerate(EXIT_SEVERITY)}
    return min(codes, key=lambda code: rank.get(code, -1))


@dataclass
class _PortalCrawl:
    """One portal's crawl in a run: its settings, then what became of it (a summary, or why it did not
    run: an exit code and one line)."""

    name: str | None  # the profile's name; None in the --site-url/--db form
    values: dict
    overrides: dict
    summary: dict | None = None
    failure: tuple[int, str] | None = None

    @property
    def exit_code(self) -> int:
        codes = [self.summary["exit_code"]] if self.summary else []
        return worst_exit_code(codes + ([self.failure[0]] if self.failure else []))


def crawl_overrides_of(
    values: dict, full: bool, verbose: bool, log_file: str | None, progress: bool, hints: dict | None = None
) -> dict:
    from archive.config import crawl_overrides

    return crawl_overrides(
        values, full=full, verbose=verbose, log_file=log_file, progress=progress, hints=hints
    )


def _check_notify(notify_urls: tuple[str, ...]) -> None:
    from archive.alerts import commands as alert_commands

    alert_commands.check_notify_urls(sys.modules[__name__], notify_urls)


def _prepare_crawl(stack: ExitStack, job: _PortalCrawl, config_file: str | None) -> None:
    """Everything before one portal's crawl, its lock held in ``stack`` until the crawl is over: the lock
    first, then the archive, created or upgraded now so errors are one line; a damaged file is refused
    before anything more is written into it; a run left 'running' by a dead process is closed."""
    from archive import alerts
    from archive.alerts import commands as alert_commands
    from archive.runs import close_abandoned_runs

    alert_commands.watches_or_fail(sys.modules[__name__], config_file, job.values["db"])
    archive = stack.enter_context(_archive(job.values["db"], write=True, must_exist=False))
    _refuse_damage(archive)
    close_abandoned_runs(archive)
    alerts.set_first_crawl(archive.db.conn, job.values["alerts_first_crawl"])
    archive.close()


def _finish_crawl(job: _PortalCrawl, config_file: str | None, notify_urls: tuple[str, ...]) -> None:
    """After one portal's run: its seal, then its alerts (an interrupted run's go with the next run)."""
    from archive import alerts
    from archive.alerts import commands as alert_commands

    assert job.summary is not None
    # A site that is not a Liferay portal archived nothing: no checkpoint to sign (the next real run's
    # covers the run's row), no signing key created for it, and the run stays the one line it promised.
    if job.summary["status"] != NOT_LIFERAY_STATUS:
        _seal(job.values, job.summary["run_id"], config_file, prefix=_prefix(job))
    if job.summary["status"] != "interrupted":
        job.summary["alerts"] = alerts.send_after_run(
            job.values["db"],
            job.summary["run_id"],
            job.values,
            alert_commands.config_file_path(config_file),
            notify_urls,
        )


def _portal_crawls(
    config_file, names, all_portals, portals_dir, archives_dir, delay, concurrency, overrides_of
) -> list[_PortalCrawl]:
    """The portals of a --portal/--all run with their settings: the command line's --delay/--concurrency,
    then the profile's keys, then HEPZA_* and the config file, then the defaults."""
    from archive.profiles import ProfileError, load_profiles

    given = {k: v for k, v in {"delay": delay, "concurrency": concurrency}.items() if v is not None}
    folders = _settings(config_file, portals_dir=portals_dir, archives_dir=archives_dir, **given)
    try:
        profiles = {p.name: p for p in load_profiles(folders["portals_dir"])}
    except ProfileError as exc:
        raise UserError(str(exc)) from None
    for name in names:
        if name not in profiles:
            known = ", ".join(profiles) or "none"
            raise UserError(f"no portal {name!r} in {folders['portals_dir']} (its profiles: {known})")
    chosen = {name: profiles[name] for name in names}
    chosen.update({p.name: p for p in profiles.values() if all_portals and p.enabled})
    if not chosen:
        raise UserError(f"no enabled portal profile in {folders['portals_dir']}")
    try:
        Path(folders["archives_dir"]).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"cannot make {folders['archives_dir']}: {exc.strerror or exc}") from None
    jobs = []
    for name in sorted(chosen):
        profile = chosen[name]
        layer = {**profile.setting_values(folders["archives_dir"]), **given}
        layer.update(portals_dir=folders["portals_dir"], archives_dir=folders["archives_dir"])
        values = _settings(config_file, **layer)
        jobs.append(_PortalCrawl(name, values, overrides_of(values, profile.hints.as_setting())))
    return jobs


def _crawl_portals(jobs: list[_PortalCrawl], config_file: str | None, notify_urls: tuple[str, ...]) -> None:
    """Every portal's crawl in one Scrapy process, each prepared and finished on its own: one that cannot
    be locked or opened, or fails after its run, is that portal's failure and never stops the others."""
    with ExitStack() as stack:
        for job in jobs:
            try:
                # (an error inside goes through the archive's own handling, to a one-line ClickException)
                with ExitStack() as own:
                    _prepare_crawl(own, job, config_file)
                    stack.enter_context(own.pop_all())  # its lock held until every crawl is over
            except click.ClickException as exc:
                job.failure = (exc.exit_code, exc.format_message())
            except Exception as exc:  # (a bug in one portal's preparation stops only that portal)
                job.failure = (EXIT_INTERNAL, f"internal error: {type(exc).__name__}: {exc}")
        ready = [job for job in jobs if job.failure is None]
        if not ready:
            return
        from scraper.run import run_crawls

        for job, summary in zip(ready, run_crawls([job.overrides for job in ready]), strict=True):
            if summary["run_id"] is None:  # (its crawler failed to start: no run, so nothing to seal)
                job.failure = (summary["exit_code"], "; ".join(summary["alarms"]) or summary["status"])
                continue
            job.summary = summary
            try:
                _finish_crawl(job, config_file, notify_urls)
            except Exception as exc:  # (its run is archived; the others still get their seal and alerts)
                job.failure = (EXIT_INTERNAL, f"internal error after its run: {type(exc).__name__}: {exc}")


def _prefix(job: _PortalCrawl) -> str:
    return f"{job.name}: " if job.name else ""


# What a portal that did not run is reported as, by its exit code.
_FAILURE_STATUS = {
    EXIT_LOCKED: "locked",
    EXIT_USAGE: "error",
    EXIT_INTERNAL: "internal-error",
    EXIT_INTERRUPTED: "interrupted",
}


def _print_portal(job: _PortalCrawl, as_json: bool) -> None:
    """One portal's summary: its first line on stdout (so every portal has one there), prefixed by its
    name, as every line after it is."""
    if as_json:
        record = {"portal": job.name, **(job.summary or {})}
        if job.failure:
            code, message = job.failure
            record.update(message=message)
            if job.summary is None:
                record.update(status=_FAILURE_STATUS.get(code, "error"), exit_code=code)
        click.echo(json.dumps(record, ensure_ascii=False))
        return
    lines = _summary_lines(job.summary) if job.summary else []
    if job.failure:
        code, message = job.failure
        lines.append((f"{_FAILURE_STATUS.get(code, 'error')}: {message}", bool(lines)))
    for place, (text, to_stderr) in enumerate(lines):
        click.echo(f"{job.name}: {text}", err=to_stderr and place > 0)


def _seal(values: dict, run_id: int | None, config_file: str | None, prefix: str = "") -> None:
    """End the run in the ledger: a signed checkpoint, a time-stamp when configured (docs/evidence.md).
    Never changes the run's exit code; what went wrong, or a new key's place, is one line on stderr."""
    from archive.evidence.seal import seal_run

    for line in seal_run(values["db"], run_id, values, config_file):
        click.echo(f"{prefix}{line}", err=True)


def _print_summary(summary: dict, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False))
        return
    for text, to_stderr in _summary_lines(summary):
        click.echo(text, err=to_stderr)


def _summary_lines(summary: dict) -> list[tuple[str, bool]]:
    """A run's summary as lines, each with whether it goes to stderr."""
    if summary["status"] == NOT_LIFERAY_STATUS:  # one line: what the site is not, and what was looked for
        return [(summary["alarms"][0], True)]
    line = (
        f"run {summary['run_id']} {summary['status']}: {summary['requests']} requests, "
        f"{summary['new']} new, {summary['changed']} changed, {summary['unchanged']} unchanged, "
        f"{summary['not_modified']} not modified, {summary['removed']} removed "
        f"({summary.get('pending_removals', 0)} pending), {summary['errors']} errors; "
        f"files: {summary['attachments']} new, {summary['attachments_changed']} replaced"
    )
    lines = [(line, False)]
    for entry in summary.get("learned_layouts", []):
        if entry["status"] == "verified":
            lines.append((entry["message"], False))
    lines += [(f"ALARM {alarm}", True) for alarm in summary["alarms"]]
    lines += [(f"failed: {url}", True) for url in (summary["failed_urls"] if summary["errors"] else [])]
    if "alerts" in summary:
        from archive.alerts.commands import summary_lines

        out, err = summary_lines(summary["alerts"])
        lines += [(text, False) for text in out] + [(text, True) for text in err]
    return lines


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
        with urllib.request.urlopen(request, timeout=SETTINGS["timeout"].default) as response:
            return response.read(), response.headers.get_content_charset(), response.geturl()
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise UserError(f"could not fetch {url}: {exc}") from None


@main.command()
@click.option(
    "--db", default=SETTINGS["db"].default, show_default=True, help="Archive file to create or update."
)
@click.option(
    "--articles", type=int, default=None, help="Size of the replica (default: the hand-written corpus)."
)
def demo(db, articles) -> None:
    """Serve the bundled replica on loopback, crawl it, edit and remove an article there, crawl again.

    The archive it leaves holds a first crawl, an edit and a confirmed removal to browse. The user's
    HEPZA_* settings and config file are not read: its site, archive, delay and concurrency are its own,
    the rest the defaults.

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

    from archive.config import crawl_overrides, own_settings
    from scraper.run import run_crawl

    values = own_settings({"site_url": site_url, "db": db, "delay": 0, "concurrency": 16})
    overrides = crawl_overrides(values, full=full, progress=sys.stderr.isatty())
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        summary = pool.submit(run_crawl, overrides).result()
    _seal(values, summary["run_id"], None)
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
@click.option(
    "--portal",
    # replica.portal_names(), kept here so that --help does not load the replica (a test compares them).
    type=click.Choice(
        [
            "hepza",
            "liferay73",
            "liferay62",
            "liferay70",
            "liferay74b",
            "liferay72",
            "liferay71",
            "liferay62b",
            "liferay73b",
            "aspnet",
            "wordpress",
        ]
    ),
    default="hepza",
    show_default=True,
    help="Which portal: hepza (Liferay 7.4, /w/ display pages), liferay73 (7.3, /web/<group>/-/<slug>, "
    "custom list and detail templates), liferay62 (6.2, portlet 101, pages-only sitemap), liferay70 (7.0–7.2 ministry portal, "
    "/-/details/<id>/<slug>), liferay74b (a second 7.4 portal, /w/ and /vi/w/, other fragments), liferay72 (7.2 department "
    "portal, Asset Publisher friendly URLs), liferay71 (7.1 province portal, /vi/web/<group>/-/<slug>), liferay62b (a second 6.2 "
    "portal, the query form canonical, custom list and content templates), liferay73b (bilingual 7.3 portal, "
    "/-/<slug>, /vi/ and /en/, Asset Publisher full content); "
    "aspnet and wordpress are sites of other platforms (a crawl of them exits 2).",
)
def sample_site(port, articles, chrome, portal) -> None:
    """Serve the replica of the portal on 127.0.0.1 until stopped.

    Example: hepza sample-site --port 8000 --articles 1000 --chrome light
    """
    from replica import serve_forever

    try:
        serve_forever(port=port, articles=articles, chrome=chrome, portal=portal)
    except OSError as exc:
        raise UserError(f"cannot serve on 127.0.0.1:{port}: {exc.strerror or exc}") from None


@main.command()
@click.argument("article")
@archive_options
def history(article, db, config_file) -> None:
    """Show every version of an article (by URL or id) with a word-level diff of what changed.

    Each change ends with its significance: a score and the factors that make it (figures, documents,
    dates, names… docs/significance.md).

    Example: hepza history 12 --db hepza.db
    """
    from archive.history import article_history
    from archive.terminal import history_text

    with _archive(_archive_path(db, config_file)) as archive:
        try:
            text = history_text(article_history(archive, article))
        except LookupError as exc:
            raise UserError(str(exc)) from None
    click.echo(text)


@main.command()
@archive_options
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    help="Only changes of this kind (repeat for several): new, edit, date, byline, removal_pending, removal, "
    "return, rename, attachment.",
)
@click.option("--category", default=None, help="Only changes of articles filed under this category key.")
@click.option("--since", default=None, help="From this date or time (ISO; a date is a day of Vietnam time).")
@click.option("--until", default=None, help="Up to this date or time, included.")
@click.option(
    "--min", "min_significance", type=int, default=None, help="Only changes scoring this much or more."
)
@click.option("--words", default=None, help="Words that must all appear (title, summary, factors, address).")
@click.option(
    "--sort", type=click.Choice(["time", "significance"]), default="time", show_default=True, help="Order."
)
@click.option("--limit", type=int, default=50, show_default=True, help="At most this many changes (0: all).")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON (a list of events).")
def changes(db, config_file, kinds, category, since, until, min_significance, words, sort, limit, as_json):
    """List what the agency did, newest (or most significant) first: the change desk of `hepza serve`.

    New articles, edits (with their significance), dates and bylines changed, pending and confirmed
    removals, returns, new addresses and documents replaced (docs/browsing.md, "The change desk").

    Example: hepza changes --kind removal --since 2026-05-01 --db hepza.db
    """
    from archive.changefeed import BadFilter, Filters, change_events
    from archive.terminal import changes_text

    try:
        filters = Filters(
            kinds=tuple(k.strip() for value in kinds for k in value.split(",") if k.strip()),
            category=category,
            since=since,
            until=until,
            min_significance=min_significance,
            words=words,
            sort=sort,
            limit=limit or None,
        )
    except BadFilter as exc:
        raise UserError(str(exc)) from None
    with _archive(_archive_path(db, config_file)) as archive:
        events = change_events(archive.db.conn, filters)
    if as_json:
        click.echo(json.dumps([e.as_dict() for e in events], ensure_ascii=False, indent=2))
    elif events:
        click.echo(changes_text(events))


def archives_option(command):
    """--archives [DIR]: the folder of portal archives; given without a folder, the archives_dir setting."""
    setting = SETTINGS["archives_dir"]
    return click.option(
        "--archives",
        "archives",
        is_flag=False,
        flag_value="",
        default=None,
        metavar="[DIR]",
        help=f"{setting.help} Without DIR: ${setting.env}, else the config file's archives_dir, else "
        f"{setting.default_text()}.",
    )(command)


def _archives_folder(archives: str | None, db: str | None, config_file: str | None) -> str:
    """The folder --archives names (or the archives_dir setting); --db with it is a usage error."""
    if db is not None:
        raise UserError("give --db (one archive) or --archives (a folder of them), not both")
    return _settings(config_file, archives_dir=archives or None)["archives_dir"]


@main.command()
@archive_options
@click.option(
    "--all", "all_portals", is_flag=True, help="One line per portal archive of the archives folder."
)
@archives_option
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.option(
    "--months",
    type=click.IntRange(min=0),
    default=12,
    show_default=True,
    help="Months drawn in the per-month charts (the latest ones; 0: no charts).",
)
def stats(db, config_file, all_portals, archives, as_json, months) -> None:
    """Counts of what the archive holds, and its last runs, then a small chart per month (Vietnam time)
    of the articles published, edited and removed; with --all, a line per portal archive.

    With --all an archive that cannot be read is one line naming it, and the exit code is 1.

    Example: hepza stats --db hepza.db --months 24
    """
    from archive.charts import KINDS, monthly_counts, text_chart, totals_by_month
    from archive.history import archive_stats
    from archive.terminal import stats_text

    if all_portals or archives is not None:
        _stats_all(_archives_folder(archives, db, config_file), as_json)
        return
    with _archive(_archive_path(db, config_file)) as archive:
        figures = archive_stats(archive)
        counts = monthly_counts(archive.db.conn)
    per_month = {kind: totals_by_month(counts, kind)[-months:] if months else [] for kind in KINDS}
    if as_json:
        figures["per_month"] = {
            kind: [{"month": month, "count": n} for month, n in series] for kind, series in per_month.items()
        }
        click.echo(json.dumps(figures, ensure_ascii=False, indent=2))
        return
    click.echo(stats_text(figures))
    for kind, series in per_month.items():
        if series:
            click.echo(f"\n{kind} per month (Vietnam time):\n{text_chart(series)}")


def _stats_all(folder: str, as_json: bool) -> None:
    from archive.portal_archives import NoArchives, folder_stats, stats_line

    try:
        entries, readable = folder_stats(folder)
    except NoArchives as exc:
        raise UserError(str(exc)) from None
    if as_json:
        click.echo(json.dumps(entries, ensure_ascii=False, indent=2))
    else:
        for entry in entries:
            click.echo(stats_line(entry))
    if not readable:
        sys.exit(1)


@main.command()
@archive_options
@archives_option
@click.option("--port", type=click.IntRange(1, 65535), default=8001, show_default=True)
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Bind address (loopback unless you say so)."
)
def serve(db, config_file, archives, port, host) -> None:
    """Browse the archive with datasette (read-only); with --archives, every portal archive of the folder.

    A file of the folder that is not a hepza archive, or is damaged, is named on stderr and not served.

    Example: hepza serve --db hepza.db --port 8001
    """
    from archive.browse import run_datasette, run_portals

    if archives is not None:
        from archive.portal_archives import NoArchives, discover

        folder = _archives_folder(archives, db, config_file)
        try:
            found = discover(folder)
        except NoArchives as exc:
            raise UserError(str(exc)) from None
        for skipped in found.skipped:
            click.echo(f"hepza serve: {skipped.line()}", err=True)
        if not found.portals:
            raise UserError(f"no portal archive (<name>.db) to serve in {folder}")
        sys.exit(run_portals({p.name: p.path for p in found.portals}, host=host, port=port))
    db = _archive_path(db, config_file)
    with _archive(db) as archive:  # a file that is not an archive is refused here, in one line
        _refuse_damage(archive)
    sys.exit(run_datasette(db, host=host, port=port))


@main.command()
@archive_options
@setting_option("timezone")
def reprocess(db, config_file, timezone) -> None:
    """Re-run extraction and cleaning over the stored captures (no network).

    A version is written only where the output changed, marked `reprocess`. It holds the run lock (exit 75
    while a crawl runs) and reads the time zone where crawls read it (the `timezone` setting), so a
    reprocess does not rewrite dates merely because it was started with other settings.

    Example: hepza reprocess --db hepza.db
    """
    from archive.migration import rule_from_settings
    from archive.reprocess import reprocess as run_reprocess

    values = _settings(config_file, db=db, timezone=timezone)
    with _archive(values["db"], write=True) as archive:
        _refuse_damage(archive)
        result = run_reprocess(archive, tz=values["timezone"], migration_rule=rule_from_settings(values))
        _seal(values, result["run_id"], config_file)
    click.echo(
        f"reprocessed {result['articles']} articles: {result['changed']} changed, "
        f"{result['unchanged']} unchanged, {result['skipped']} skipped; "
        f"{result['migration_flags']} migration flags changed (migration_flag_changes)"
    )
    sys.exit(1 if result["skipped"] else 0)


@main.command()
@archive_options
def check(db, config_file) -> None:
    """Verify the archive: SQLite integrity, version hashes, each article against its newest version,
    capture hashes, attachment files, then the ledger (hepza verify). Exit 1 on the first problem.

    Example: hepza check --db hepza.db
    """
    from archive.check import first_problem
    from archive.evidence.commands import verify_archive
    from archive.evidence.verify import Problem

    values = _settings(config_file, db=db)
    path = values["db"]
    try:
        with _archive(path) as archive:
            try:
                problem = first_problem(archive)
                # Then the ledger: is it what its last checkpoint signed? (An archive from before the ledger,
                # not yet opened for writing by this version, has none to check.)
                if problem is None and archive.db["ledger_leaves"].exists():
                    verify_archive(archive, values)
            except Problem as exc:
                problem = f"ledger: {exc}"
            except sqlite3.DatabaseError as exc:  # damage the integrity check could not even walk
                problem = f"the file is damaged: {exc}"
    except DamagedArchive as exc:
        # Damage that stops the file from opening at all (its schema pages) is check's finding, not a
        # usage error: exit 1 like any other problem it finds.
        problem = f"the file is damaged: {exc.message}"
    if problem:
        click.echo(f"hepza check: {problem}", err=True)
        sys.exit(1)
    click.echo("ok")


@main.command()
@archive_options
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
@click.option(
    "--bom",
    is_flag=True,
    help="CSV only: start the file with the UTF-8 byte order mark, so Excel shows Vietnamese letters right.",
)
def export(db, config_file, table, fmt, output, bom) -> None:
    """Write articles, versions or another table as JSON Lines (list fields as lists) or CSV.

    Example: hepza export --table versions --format csv --bom -o versions.csv
    """
    from archive.export import export as run_export

    if bom and fmt != "csv":
        raise UserError("--bom is for --format csv (JSON Lines is read by programs, not by Excel)")
    if output != "-" and not Path(output).resolve().parent.is_dir():
        raise UserError(f"no folder for {output}")
    with _archive(_archive_path(db, config_file)) as archive:
        if output == "-":
            count = run_export(archive, table, fmt, sys.stdout, bom=bom)
        else:
            try:
                with open(output, "w", encoding="utf-8", newline="") as out:
                    count = run_export(archive, table, fmt, out, bom=bom)
            except OSError as exc:
                raise UserError(f"cannot write {output}: {exc.strerror or exc}") from None
    if output != "-":
        click.echo(f"{count} rows written to {output}", err=True)


def _capture_filters(command):
    """--article, --since and --portal: which captures export-warc and export-wacz write."""
    command = click.option(
        "--portal", default=None, metavar="HOST", help="Only captures of this portal (its host name)."
    )(command)
    command = click.option(
        "--since",
        default=None,
        metavar="DATE",
        help="Only captures fetched on or after this UTC date or time.",
    )(command)
    command = click.option(
        "--article", default=None, metavar="A", help="Only this article (archive id, asset id or URL)."
    )(command)
    return click.option(
        "--output", "-o", required=True, type=click.Path(dir_okay=False), help="The file to write."
    )(command)


def _selection(article, since, portal):
    from datetime import datetime

    from archive.warc import Selection

    if since:
        try:
            datetime.fromisoformat(since)
        except ValueError:
            raise UserError(f"--since {since!r} is not an ISO date or time (YYYY-MM-DD)") from None
    return Selection(article=article, since=since, portal=portal)


def _export_archive(db, config_file, output, write):
    """Open the archive, check the output's folder, run ``write(archive, selection)``; one line on failure."""
    from archive.reading import ArticleNotFound

    if Path(output).is_dir() or not Path(output).resolve().parent.is_dir():
        raise UserError(f"no folder for {output}")
    with _archive(_archive_path(db, config_file)) as archive:
        _refuse_damage(archive)
        try:
            return write(archive)
        except ArticleNotFound as exc:
            raise UserError(str(exc)) from None
        except OSError as exc:
            raise UserError(f"cannot write {output}: {exc.strerror or exc}") from None


def _records_line(counts, output: str) -> str:
    return (
        f"{counts.response} responses, {counts.revisit_identical} identical-payload and "
        f"{counts.revisit_not_modified} not-modified revisits, {counts.request} requests, "
        f"{counts.metadata} metadata records ({counts.reconstructed} rebuilt from older captures) "
        f"written to {output}"
    )


@main.command("export-warc")
@archive_options
@_capture_filters
def export_warc(db, config_file, output, article, since, portal) -> None:
    """Write the captures as a WARC 1.1 file (gzip per record): responses as received, requests, revisits,
    metadata tying each capture to its article and versions (docs/web-archives.md).

    Example: hepza export-warc --db hepza.db --output hepza.warc.gz --since 2026-11-01
    """
    import os

    from archive.warc import write_warc

    selection = _selection(article, since, portal)

    def write(archive):
        partial = f"{output}.partial"
        try:
            with open(partial, "wb") as out:
                counts = write_warc(archive, out, selection, Path(output).name)
            os.replace(partial, output)
        finally:
            if os.path.exists(partial):
                os.remove(partial)
        return counts

    counts = _export_archive(db, config_file, output, write)
    click.echo(_records_line(counts, output))


@main.command("export-wacz")
@archive_options
@_capture_filters
def export_wacz(db, config_file, output, article, since, portal) -> None:
    """Write the captures as a WACZ 1.1.1 package: the WARC, its CDXJ index, pages/pages.jsonl, the
    versions' proofs (evidence/) and datapackage.json with every file's hash (docs/web-archives.md).

    Example: hepza export-wacz --db hepza.db --output article.wacz --article 1203214
    """
    from archive.wacz import write_wacz

    selection = _selection(article, since, portal)
    counts = _export_archive(db, config_file, output, lambda archive: write_wacz(archive, output, selection))
    click.echo(_records_line(counts, output) + f" ({len(counts.pages)} pages)")


@main.command()
@click.argument("destination", type=click.Path(dir_okay=False))
@archive_options
def backup(destination, db, config_file) -> None:
    """Make a consistent copy of the archive, safe while a crawl is running, with its attachment files.

    The source is checked first (a damaged archive is not copied as if it were good); the copy is written
    under a temporary name and renamed when whole, so a killed backup leaves no plausible partial file.

    Example: hepza backup /backups/hepza-$(date +%F).db --db hepza.db
    """
    from archive.export import backup as run_backup

    if Path(destination).exists():
        raise UserError(f"{destination} exists; choose a new file")
    if not Path(destination).resolve().parent.is_dir():
        raise UserError(f"no folder for {destination}")
    with _archive(_archive_path(db, config_file)) as archive:
        _refuse_damage(archive)
        try:
            copied = run_backup(archive, destination)
        except (sqlite3.Error, OSError) as exc:
            raise UserError(f"backup failed: {exc}") from None
    click.echo(
        f"backup written to {destination}" + (f" and {copied} attachment files beside it" if copied else "")
    )


@main.command()
@click.argument("url")
@click.option(
    "--write", is_flag=True, help="Write a draft profile <portals>/<name>.toml from what was found."
)
@setting_option("portals_dir", flag="portals")
@click.option("--name", default=None, help="The draft's name (and file name). [default: from the host]")
@click.option("--force", is_flag=True, help="Overwrite an existing profile of that name.")
@setting_option("delay")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@click.option(
    "--config",
    "config_file",
    default=None,
    help="TOML config file. [default: $HEPZA_CONFIG, else ./hepza.toml if present]",
)
def probe(url, write, portals_dir, name, force, delay, as_json, config_file) -> None:
    """Look at a portal with a handful of polite requests and say how a crawl would read it.

    Reads robots.txt first (and obeys it), the home page, the sitemap, one or two list pages and two or
    three articles (at most 12 requests, DELAY seconds apart), and prints the platform and Liferay
    generation with the evidence, the sitemap's kind, the Asset Publisher lists and their pagers, the
    article routes, where the title, date line and body are read from, and the date formats. --write
    leaves a draft profile that `hepza crawl --portal NAME` can use as it is (docs/portals.md, "Probing a
    portal"). Exit codes: 0 a Liferay portal probed, 1 the answers did not tell the platform, 2 not a
    Liferay portal, unreachable or closed by its robots.txt, a usage error, or a draft that exists already.

    Example: hepza probe https://hepza.hochiminhcity.gov.vn --write
    """
    from datetime import UTC, datetime

    from archive.config import user_agent
    from archive.probe import origin_of
    from archive.probe import probe as probe_portal
    from archive.probe_fetch import PoliteFetcher
    from archive.probe_profile import default_name, write_draft
    from archive.probe_text import report_lines
    from archive.profiles import NAME_PATTERN, ProfileError, load_profile

    if not url.startswith(("http://", "https://")) or not origin_of(url).partition("://")[2]:
        raise UserError(f"not a portal's address: {url!r} (give https://host)")
    if name is not None and not NAME_PATTERN.match(name):
        raise UserError(f"--name {name!r}: lowercase letters, digits and hyphens (it names the archive file)")
    values = _settings(config_file, portals_dir=portals_dir, delay=delay)
    origin = origin_of(url)
    name = name or default_name(origin)
    target = Path(values["portals_dir"]) / f"{name}.toml"
    if write and target.exists() and not force:
        raise UserError(f"{target} exists; give --force to overwrite it, or --name for another name")
    fetcher = PoliteFetcher(
        origin, user_agent(values["contact_url"]), delay=values["delay"], timeout=values["timeout"]
    )
    report = probe_portal(url, fetcher)
    home = next((f for f in report.fetched if f["url"] == report.url), None)
    if home is not None and home["outcome"].startswith("error"):
        raise UserError(f"could not reach {report.url}: {home['outcome'].removeprefix('error: ')}")
    if home is not None and home["outcome"] == "refused by robots.txt":
        raise UserError(f"{origin}/robots.txt disallows {report.url} to hepza-archive: nothing probed")
    if report.platform == "other":
        message = (report.platform_message or "not a Liferay portal").removesuffix("; nothing archived")
        if as_json:
            click.echo(json.dumps(report.to_dict(), ensure_ascii=False))
        click.echo(f"hepza: {message}", err=True)
        sys.exit(EXIT_USAGE)
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False))
    else:
        for line in report_lines(report):
            click.echo(line)
    if report.platform != "liferay":
        click.echo(
            "hepza: the answers did not tell whether this is a Liferay portal; no draft written", err=True
        )
        sys.exit(1)
    if write:
        try:
            path = write_draft(report, target.parent, name, datetime.now(UTC).date(), force=force)
        except OSError as exc:
            raise UserError(f"cannot write {target}: {exc.strerror or exc}") from None
        try:
            load_profile(path)  # the draft must load as any profile does
        except ProfileError as exc:
            raise UserError(f"the draft does not load: {exc}") from None
        click.echo(f"draft profile written to {path}", err=as_json)


def _add_alert_commands() -> None:
    """hepza notify and hepza watch (archive/alerts/commands.py), given this module's helpers."""
    from archive.alerts.commands import add_commands

    add_commands(main, sys.modules[__name__])


def _add_evidence_commands() -> None:
    """hepza keys, verify, proof, verify-proof and stamp (archive/evidence/commands.py)."""
    from archive.evidence.commands import add_commands

    add_commands(main, sys.modules[__name__])


def _add_scale_commands() -> None:
    """hepza scale enqueue, worker and status (archive/scale_commands.py)."""
    from archive.scale_commands import add_commands

    add_commands(main, sys.modules[__name__])


_add_alert_commands()
_add_evidence_commands()
_add_scale_commands()


def run() -> None:
    """The console entry point: an unexpected error is one line and exit code 70, never a traceback."""
    import os

    try:
        # Not standalone: click would print a usage error in four lines (usage, hint, blank, error).
        code = main(standalone_mode=False)
    except SystemExit:
        raise
    except click.UsageError as exc:  # a bad option or value: one line, exit 2
        click.echo(
            f"hepza: {exc.format_message()} (see {exc.ctx.command_path if exc.ctx else 'hepza'} --help)",
            err=True,
        )
        sys.exit(EXIT_USAGE)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("hepza: interrupted", err=True)
        sys.exit(130)
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
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    run()
