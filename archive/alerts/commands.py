"""``hepza notify`` and ``hepza watch add/list/remove``, and the crawl's sending after its run.

Registered on the ``hepza`` group by archive/cli.py (:func:`add_commands`), which hands over its helpers
(``--db``/``--config``, the archive under the run lock, one-line errors): this module does not import
archive/cli.py, which runs as ``python -m archive.cli``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType

import click

from archive.alerts.delivery import Options, deliver, plan, send_trial
from archive.alerts.watches import (
    EVENT_KINDS,
    Watch,
    WatchError,
    check_destination,
    load_watches,
    parse_watch,
    read_watches,
    redact,
    watches_file,
    write_watches,
)
from archive.config import config_path


def config_file_path(config_file: str | None) -> Path | None:
    import os

    return config_path(config_file, os.environ)


def watches_or_fail(cli: ModuleType, config_file: str | None, db: str) -> list[Watch]:
    """Every watch, or a one-line error (exit 2) naming the bad one."""
    try:
        return load_watches(config_file_path(config_file), db)
    except WatchError as exc:
        raise cli.UserError(str(exc)) from None


def check_notify_urls(cli: ModuleType, urls: tuple[str, ...]) -> None:
    """``--notify`` URLs apprise can use, before the crawl starts."""
    for url in urls:
        try:
            check_destination(url)
        except WatchError as exc:
            raise cli.UserError(str(exc)) from None


def summary_lines(alerts: dict) -> tuple[list[str], list[str]]:
    """(stdout lines, stderr lines) of a run's alerts for its summary."""
    out = []
    if alerts.get("messages") or alerts.get("failed") or alerts.get("waiting"):
        out.append(f"alerts: {alerts['messages']} messages sent ({alerts['events']} events)")
    err = [f"ALERT not sent: {line}" for line in alerts.get("failed", [])]
    err += [f"alert waiting: {line}" for line in alerts.get("waiting", [])]
    return out, err


def add_commands(group: click.Group, cli: ModuleType) -> None:
    """Add ``notify`` and ``watch`` to the ``hepza`` group."""

    @group.command()
    @cli.archive_options
    @click.option(
        "--dry-run", is_flag=True, help="Print the messages that would be sent; send and mark nothing."
    )
    @click.option(
        "--test", "test_url", metavar="URL", default=None, help="Send one test message to this apprise URL."
    )
    def notify(db, config_file, dry_run, test_url) -> None:
        """Send the alerts that wait: each watch's unsent events, one message per watch and destination.

        `hepza crawl` sends them after each run; this sends what a failed destination or the daily digest
        kept waiting, or shows it (--dry-run). Exit codes: 0 all sent (or nothing to send), 1 a destination
        did not accept, 2 usage error, 75 another run holds the lock.

        Example: hepza notify --dry-run --db hepza.db
        """
        values = cli._settings(config_file, db=db)
        options = Options.from_settings(values)
        if test_url:
            check_notify_urls(cli, (test_url,))
            error = send_trial(test_url, options.language)
            if error:
                click.echo(
                    f"hepza notify: {redact(test_url)} did not accept the test message: {error}", err=True
                )
                sys.exit(1)
            click.echo(f"test message sent to {redact(test_url)}")
            return
        watches = watches_or_fail(cli, config_file, values["db"])
        with cli._archive(values["db"], write=not dry_run) as archive:
            if dry_run:
                for item in plan(archive.db.conn, watches, options):
                    if item.message is None:
                        continue
                    click.echo(f"== {item.watch} → {redact(item.url)}: {len(item.events)} events")
                    click.echo(f"Subject: {item.message.subject}\n\n{item.message.text}")
                return
            report = deliver(archive.db.conn, watches, options)
        click.echo(f"{report.messages} messages sent ({report.events} events)")
        for line in report.waiting:
            click.echo(f"waiting: {line}", err=True)
        for line in report.failed:
            click.echo(f"not sent: {line}", err=True)
        sys.exit(1 if report.failed else 0)

    @group.group()
    def watch() -> None:
        """Add, list and remove watches: which changes to tell whom, through apprise URLs.

        The ones `hepza watch add` makes live in <db>.watches.toml beside the archive (readable by its
        owner only: the URLs hold passwords and tokens); the config file's [[watch]] tables are listed too.
        docs/alerts.md says every field.

        Example: hepza watch add port-news --word "Tân Thuận" --notify mailto://me:pw@example.org
        """

    @watch.command("add")
    @click.argument("name")
    @click.option(
        "--notify", "urls", multiple=True, required=True, metavar="URL", help="An apprise URL (repeatable)."
    )
    @click.option(
        "--event",
        "events",
        multiple=True,
        type=click.Choice(EVENT_KINDS),
        help="A kind of event (repeatable; default all).",
    )
    @click.option("--portal", default=None, help="Only this portal (host or origin).")
    @click.option("--category", default=None, help="Only articles filed under this category key.")
    @click.option(
        "--word", "words", multiple=True, help="A word or phrase in the title or body (repeatable: any)."
    )
    @click.option("--exact", is_flag=True, help="Match the words as written (else folded: hoà = hòa = HOA).")
    @click.option("--document", default=None, help="A document number the article cites, e.g. 05-CT/TW.")
    @click.option("--author", default=None, help="An author of the article.")
    @click.option("--url", default=None, help="One article, by any of its URLs.")
    @cli.archive_options
    def watch_add(name, urls, events, portal, category, words, exact, document, author, url, db, config_file):
        """Add a watch (it starts with the events of the latest run).

        Example: hepza watch add removals --event removal --notify json://127.0.0.1:8080/hook --db hepza.db
        """
        db = cli._archive_path(db, config_file)
        data: dict = {"name": name, "notify": list(urls), "exact": exact}
        data.update(
            {
                k: v
                for k, v in (
                    ("portal", portal),
                    ("category", category),
                    ("document", document),
                    ("author", author),
                    ("url", url),
                )
                if v
            }
        )
        if events:
            data["events"] = list(events)
        if words:
            data["words"] = list(words)
        path = watches_file(db)
        try:
            new = parse_watch(data, str(path))
            existing = read_watches(path, section=False)
            if any(w.name == name for w in load_watches(config_file_path(config_file), db)):
                raise WatchError(f"a watch named {name!r} exists")
            write_watches(path, [*existing, new])
        except (WatchError, OSError) as exc:
            raise cli.UserError(str(exc)) from None
        click.echo(f"watch {name} added to {path}: {new.describe()}")

    @watch.command("list")
    @cli.archive_options
    def watch_list(db, config_file) -> None:
        """List every watch: its conditions, destinations (redacted) and where it is defined.

        Example: hepza watch list --db hepza.db
        """
        db = cli._archive_path(db, config_file)
        watches = watches_or_fail(cli, config_file, db)
        if not watches:
            click.echo("no watch (hepza watch add, or [[watch]] in the config file)")
        for item in watches:
            click.echo(f"{item.name}: {item.describe()}")
            click.echo(f"  to: {', '.join(redact(u) for u in item.notify)}  ({item.origin})")

    @watch.command("remove")
    @click.argument("name")
    @cli.archive_options
    def watch_remove(name, db, config_file) -> None:
        """Remove a watch that `hepza watch add` made (a config file's are edited there).

        Example: hepza watch remove port-news --db hepza.db
        """
        db = cli._archive_path(db, config_file)
        path = watches_file(db)
        try:
            existing = read_watches(path, section=False)
            if not any(w.name == name for w in existing):
                raise WatchError(f"no watch named {name!r} in {path}")
            write_watches(path, [w for w in existing if w.name != name])
        except (WatchError, OSError) as exc:
            raise cli.UserError(str(exc)) from None
        click.echo(f"watch {name} removed")
