"""Alerts: tell people when the agency edits, removes or publishes what they watch, with the diff.

The archive queues an event with every change it writes (triggers of migration ``m008_alert_queue``);
after a run, :func:`send_after_run` sends each watch's unsent events, one message per watch and destination,
through apprise (e-mail, Telegram, Slack, Matrix, ntfy, webhooks…). docs/alerts.md tells the whole story.

Example::

    from archive.alerts import Options, deliver, load_watches
    from archive.store import Archive

    archive = Archive("hepza.db")
    report = deliver(archive.db.conn, load_watches(None, "hepza.db"), Options(language="en"))
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from archive.alerts.compose import Message, compose
from archive.alerts.delivery import Options, Report, apprise_send, deliver, plan, send_trial, set_first_crawl
from archive.alerts.events import Event, load_events
from archive.alerts.watches import EVENT_KINDS, Watch, WatchError, load_watches, matches, parse_watch

__all__ = [
    "EVENT_KINDS",
    "Event",
    "Message",
    "Options",
    "Report",
    "Watch",
    "WatchError",
    "apprise_send",
    "compose",
    "deliver",
    "load_events",
    "load_watches",
    "matches",
    "parse_watch",
    "plan",
    "send_after_run",
    "send_trial",
    "set_first_crawl",
]


def send_after_run(
    db_path: str, run_id: int | None, values: dict, config: Path | None, adhoc: tuple[str, ...] = ()
) -> dict:
    """Send what the run (and earlier ones) left to send; the report as a dict. Never raises: a failure of
    the alerts is reported, it never fails the crawl nor changes its exit code."""
    from archive.store import Archive

    try:
        watches = load_watches(config, db_path)
        if not watches and not adhoc:
            return Report().to_dict()
        archive = Archive(db_path)
        try:
            report = deliver(
                archive.db.conn, watches, Options.from_settings(values), run_id=run_id, adhoc=adhoc
            )
        finally:
            archive.close()
        return report.to_dict()
    except Exception as exc:  # whatever it is, the crawl's outcome and exit code stay the crawl's
        failed = Report(failed=[f"alerts: {type(exc).__name__}: {exc}"[:300]])
        _record(db_path, run_id, failed)
        return failed.to_dict()


def _record(db_path: str, run_id: int | None, report: Report) -> None:
    """The failure in ``crawl_runs.alerts`` when the archive still takes it."""
    import json

    if run_id is None:
        return
    try:
        conn = sqlite3.connect(db_path, timeout=30)
        with conn:
            conn.execute(
                "UPDATE crawl_runs SET alerts = ? WHERE id = ?", [json.dumps(report.to_dict()), run_id]
            )
        conn.close()
    except sqlite3.Error:
        pass  # the summary still says it
