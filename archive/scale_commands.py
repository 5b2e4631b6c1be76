"""``hepza scale enqueue | worker | status``: crawls on a Redis job queue, for more portals than one machine
holds (archive/scale.py; docs/scale-out.md). Redis unreachable: one line, exit 69."""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import sqlite3
import threading
from pathlib import Path
from types import ModuleType

import click

EXIT_UNAVAILABLE = 69  # (sysexits' EX_UNAVAILABLE: a service the command needs is not there)


class RedisUnavailable(click.ClickException):
    """Redis cannot be reached: one line on stderr, exit 69."""

    exit_code = EXIT_UNAVAILABLE

    def show(self, file=None) -> None:
        click.echo(f"hepza: {self.format_message()}", err=True)


def _redis_errors(call, *args):
    from archive.scale import RedisUnreachable

    try:
        return call(*args)
    except RedisUnreachable as exc:
        raise RedisUnavailable(str(exc)) from None


def add_commands(group: click.Group, cli: ModuleType) -> None:
    """Add the ``scale`` group to the ``hepza`` group."""

    @group.group()
    def scale() -> None:
        """Crawl many portals from a job queue on Redis, with workers on several machines (docs/scale-out.md).

        `enqueue` queues one schedule slot (a crawl job per enabled portal), `worker` crawls jobs into
        its own archives and backs each one up, `status` shows each portal's last slot. Exit codes: 0 done,
        2 usage or configuration error, 69 Redis cannot be reached.

        Example: hepza scale status
        """

    @scale.command()
    @cli.setting_option("redis_url")
    @cli.setting_option("portals_dir", flag="portals")
    @click.option("--config", "config_file", default=None, help="TOML config file.")
    def enqueue(redis_url, portals_dir, config_file) -> None:
        """Queue one schedule slot: a crawl job for every enabled portal of the profiles folder.

        Run it from cron on one machine (a job of a slot that finds its portal crawled since is dropped).

        Example: hepza scale enqueue --redis-url redis://queue.example:6379/0
        """
        from archive.profiles import ProfileError, load_profiles
        from archive.scale import enqueue as enqueue_slot

        values = cli._settings(config_file, redis_url=redis_url, portals_dir=portals_dir)
        try:
            portals = [p.name for p in load_profiles(values["portals_dir"]) if p.enabled]
        except ProfileError as exc:
            raise cli.UserError(str(exc)) from None
        if not portals:
            raise cli.UserError(f"no enabled portal profile in {values['portals_dir']}")
        slot = _redis_errors(enqueue_slot, values["redis_url"], portals)
        click.echo(f"slot {slot}: {len(portals)} crawl jobs queued")

    @scale.command()
    @click.option("--name", default=None, help="This worker's name in the status. [default: host-pid]")
    @cli.setting_option("redis_url")
    @cli.setting_option("portals_dir", flag="portals")
    @cli.setting_option("archives_dir", flag="archives")
    @cli.setting_option("backups_dir", flag="backups")
    @click.option("--config", "config_file", default=None, help="TOML config file.")
    def worker(name, redis_url, portals_dir, archives_dir, backups_dir, config_file) -> None:
        """Crawl the queue's jobs one at a time until SIGTERM or Ctrl-C (the crawl running then ends first).

        Each job is `hepza crawl --portal NAME` into --archives, then `hepza backup` into --backups/NAME/;
        at most one crawl of a portal runs at a time across all workers. Run one per machine (or more).

        Example: hepza scale worker --archives /srv/hepza --backups /mnt/offsite/hepza
        """
        from archive.scale import WorkerConfig, connect, run_worker

        values = cli._settings(
            config_file,
            redis_url=redis_url,
            portals_dir=portals_dir,
            archives_dir=archives_dir,
            backups_dir=backups_dir,
        )
        config = WorkerConfig(
            name=name or f"{socket.gethostname()}-{os.getpid()}",
            redis_url=values["redis_url"],
            portals_dir=str(Path(values["portals_dir"]).resolve()),
            archives_dir=str(Path(values["archives_dir"]).resolve()),
            backups_dir=str(Path(values["backups_dir"]).resolve()),
            lock_seconds=values["scale_lock_seconds"],
            requeue_seconds=values["scale_requeue_seconds"],
            config_file=config_file,
        )
        # Dramatiq's own warnings (a lost connection to Redis, retried) as one line each, with the time.
        logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s: %(message)s")
        _redis_errors(connect, config.redis_url)  # (before the signal handlers: a failure leaves none)
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        _redis_errors(run_worker, config, stop)

    @scale.command()
    @cli.setting_option("redis_url")
    @cli.setting_option("archives_dir", flag="archives")
    @click.option("--json", "as_json", is_flag=True, help="One JSON object a line.")
    @click.option("--config", "config_file", default=None, help="TOML config file.")
    def status(redis_url, archives_dir, as_json, config_file) -> None:
        """Each portal's last slot queued and crawled, by which worker, with what exit code, and the last
        `crawl_runs` row of its archive (here in --archives, else its latest backup).

        Example: hepza scale status --json
        """
        from archive.scale import status as portal_status

        values = cli._settings(config_file, redis_url=redis_url, archives_dir=archives_dir)
        for record in _redis_errors(portal_status, values["redis_url"]):
            local = Path(values["archives_dir"]) / f"{record['portal']}.db"
            source = local if local.exists() else Path(record.get("backup") or "/nonexistent")
            record["last_run"] = _last_run(source)
            if as_json:
                click.echo(json.dumps(record, ensure_ascii=False))
            else:
                click.echo(_status_line(record))


def _last_run(db: Path) -> dict | None:
    """The archive's last crawl_runs row and how many runs it holds; None without a readable archive."""
    if not db.is_file():
        return None
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            conn.row_factory = sqlite3.Row
            row = conn.execute(
                "SELECT id, status, exit_code, started_at, finished_at, new, changed FROM crawl_runs "
                "ORDER BY id DESC LIMIT 1"
            ).fetchone()
            runs = conn.execute("SELECT count(*) FROM crawl_runs").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return {**dict(row), "runs": runs, "archive": str(db)} if row else None


def _status_line(record: dict) -> str:
    done = record.get("done_slot", "-")
    line = f"{record['portal']}: slot {record.get('queued_slot', '-')} queued, slot {done} done"
    if record.get("worker"):
        line += f" by {record['worker']} (exit {record.get('exit', '-')})"
    if record["crawling_now"]:
        line += ", crawling now"
    run = record["last_run"]
    if run:
        line += f"; last run {run['id']} {run['status']} at {run['finished_at'] or run['started_at']}"
    return line
