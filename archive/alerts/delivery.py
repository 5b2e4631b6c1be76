"""Delivery: after a run (or ``hepza notify``), one message per watch and destination, sent with apprise,
marked sent per destination; a destination that fails waits with backoff and gets everything later.

Never loses, never repeats:

- the events are in the archive (queued with the change); a watch's cursor per destination
  (``alert_starts.first_event``) moves past them only in the transaction that marks them sent
  (``alert_sent``, ``alert_messages``), right after the destination accepted the message;
- a destination that refuses, times out or is down keeps its cursor: the next pass sends it all;
- a process killed before a destination answered sends that message again next time (the destination
  never acknowledged it); only a kill in the instant between the acceptance and the commit can repeat one.
  Each message ends with its reference (``hepza alert W/N``) so a receiver can tell.

Callers hold the run lock (``hepza crawl`` and ``hepza notify`` do): two passes never send at once.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta

from archive.alerts.compose import Message, compose, trial_message
from archive.alerts.events import Event, load_events
from archive.alerts.watches import ADHOC, Watch, matches, redact
from archive.schedule import parse_duration

# What sends one message to one apprise URL: None when the destination accepted it, else why not.
Send = Callable[[str, Message], str | None]
# The longest wait before a failing destination is tried again, however many times it failed.
_DAILY = timedelta(hours=24)


@dataclass(frozen=True)
class Options:
    """The alert settings of one pass (``alerts_*`` in docs/configuration.md)."""

    language: str = "vi"
    archive_url: str = ""
    digest: str = "run"  # or "daily"
    limit: int = 10
    backoff: timedelta = timedelta(minutes=10)
    backoff_max: timedelta = timedelta(days=1)

    @classmethod
    def from_settings(cls, values: dict) -> Options:
        return cls(
            language=values["alerts_language"],
            archive_url=values["alerts_archive_url"],
            digest=values["alerts_digest"],
            limit=values["alerts_digest_limit"],
            backoff=parse_duration(values["alerts_retry_backoff"]),
            backoff_max=parse_duration(values["alerts_retry_max"]),
        )


@dataclass
class Planned:
    """A message due to one destination of one watch, and the events it settles."""

    watch: str
    url: str
    message: Message | None  # None: nothing due, only the cursor moves past events of no concern
    events: list[Event]
    cursor: int  # the destination's new cursor once the message is accepted


@dataclass
class Report:
    """What a pass did: messages and events sent, destinations that failed (redacted), what waits."""

    messages: int = 0
    events: int = 0
    failed: list[str] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)  # destinations in backoff, or daily digests not due

    def to_dict(self) -> dict:
        return asdict(self)


def destination_key(url: str) -> str:
    """The archive's name for a destination: a hash of its URL (the URL may hold a secret)."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def set_first_crawl(db: sqlite3.Connection, queue: bool) -> None:
    """Whether the triggers queue the events of a portal's first crawl (the ``alerts_first_crawl`` setting,
    written before each crawl: the triggers cannot read the settings)."""
    db.execute("UPDATE alert_options SET queue_first_crawl = ? WHERE id = 1", [int(queue)])


def apprise_send(url: str, message: Message) -> str | None:
    """Send with apprise: the HTML form where the destination renders HTML (e-mail, Telegram…), the text
    form elsewhere (webhooks, ntfy, SMS). None when accepted, else apprise's last complaint."""
    import apprise

    plugin = apprise.Apprise.instantiate(url)
    if plugin is None:
        return "not an apprise URL apprise can use"
    resolve = getattr(plugin, "resolve_format", None)
    # The destination's own format (its first, or the URL's ?format=): e-mail and Telegram render HTML,
    # a webhook's receiver gets the text.
    fmt = resolve(None) if resolve else plugin.notify_format
    rich = fmt == apprise.NotifyFormat.HTML
    sender = apprise.Apprise()
    sender.add(plugin)
    with apprise.LogCapture(level=logging.WARNING, fmt="%(message)s") as log:
        accepted = sender.notify(
            body=message.html if rich else message.text,
            title=message.subject,
            body_format=apprise.NotifyFormat.HTML if rich else apprise.NotifyFormat.TEXT,
        )
    if accepted:
        return None
    lines = [line.strip() for line in log.getvalue().splitlines() if line.strip()]
    return (lines[-1] if lines else "the destination did not accept the message")[:300]


def send_trial(url: str, language: str, send: Send = apprise_send) -> str | None:
    """``hepza notify --test URL``: one test message; None when accepted."""
    return send(url, trial_message(language))


def plan(
    db: sqlite3.Connection,
    watches: list[Watch],
    options: Options,
    *,
    run_id: int | None = None,
    adhoc: tuple[str, ...] = (),
    now: datetime | None = None,
    report: Report | None = None,
) -> list[Planned]:
    """The messages due now: per watch and destination, its unsent matching events in one digest (the
    ad-hoc ``--notify`` destinations: every event of ``run_id``). Writes nothing."""
    now = now or _now()
    report = report if report is not None else Report()
    planned = []
    targets = [(w, url) for w in watches for url in w.notify]
    if adhoc and run_id is not None:
        targets += [(Watch(name=ADHOC, notify=adhoc), url) for url in adhoc]
    for watch, url in targets:
        key = destination_key(url)
        if _waiting(db, key, now):
            report.waiting.append(f"{watch.name} → {redact(url)}: retried later (backoff)")
            continue
        if watch.name == ADHOC:
            start, where = 0, ("e.run_id = ?", [run_id])
        else:
            start = _cursor(db, watch.name, key)
            where = ("e.id >= ?", [start])
        events = load_events(db, where[0], where[1])
        due = [e for e in events if matches(watch, e.subject) and not _sent(db, e.id, watch.name, key)]
        cursor = max((e.id + 1 for e in events), default=start)
        if not due:
            if watch.name != ADHOC and cursor > start:
                planned.append(Planned(watch.name, url, None, [], cursor))
            continue
        if (
            options.digest == "daily"
            and watch.name != ADHOC
            and _sent_within(db, watch.name, key, now, _DAILY)
        ):
            report.waiting.append(f"{watch.name} → {redact(url)}: daily digest not due")
            continue
        message = compose(
            due, language=options.language, archive_url=options.archive_url, limit=options.limit
        )
        planned.append(Planned(watch.name, url, message, due, cursor))
    return planned


def deliver(
    db: sqlite3.Connection,
    watches: list[Watch],
    options: Options,
    *,
    run_id: int | None = None,
    adhoc: tuple[str, ...] = (),
    send: Send = apprise_send,
    now: datetime | None = None,
) -> Report:
    """Send what is due, each message marked sent (or its destination's failure recorded) in its own
    transaction right after it is sent. ``run_id`` (a crawl's) gets the report in ``crawl_runs.alerts``."""
    now = now or _now()
    report = Report()
    _start_new_watches(db, watches)
    refused: dict[str, str] = {}  # destinations that failed in this pass are not asked again in it
    for item in plan(db, watches, options, run_id=run_id, adhoc=adhoc, now=now, report=report):
        key = destination_key(item.url)
        if item.message is None:
            _move_cursor(db, item)
            continue
        shown = f"{item.watch} → {redact(item.url)}"
        error = refused.get(key)
        if error is None:
            error = _send(send, item)
        if error is None:
            _mark_sent(db, item, run_id, now)
            report.messages += 1
            report.events += len(item.events)
            continue
        if key not in refused:
            refused[key] = error
            _mark_failed(db, key, redact(item.url), error, options, now)
        report.failed.append(f"{shown}: {error}")
    if run_id is not None:
        with _transaction(db):
            db.execute(
                "UPDATE crawl_runs SET alerts = ? WHERE id = ?", [json.dumps(report.to_dict()), run_id]
            )
    return report


def _send(send: Send, item: Planned) -> str | None:
    try:
        return send(item.url, _referenced(item))
    except Exception as exc:  # a sender's bug or a library's must not end the pass (nor the crawl)
        return f"{type(exc).__name__}: {exc}"[:300]


def _referenced(item: Planned) -> Message:
    """The message with its reference: the watch and the events it settles."""
    assert item.message is not None  # (only messages are sent)
    reference = f"hepza alert {item.watch}/{item.events[0].id}-{item.events[-1].id}"
    return Message(
        subject=item.message.subject,
        text=item.message.text + f"\n-- \n{reference}\n",
        html=item.message.html + f"<p><small>{reference}</small></p>\n",
    )


class _transaction:
    """BEGIN IMMEDIATE … COMMIT on an autocommit connection (the archive's)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind, value, traceback) -> None:
        self.db.execute("COMMIT" if kind is None else "ROLLBACK")


def _start_new_watches(db: sqlite3.Connection, watches: list[Watch]) -> None:
    """A destination of a watch met for the first time starts with the events of the latest run (the run
    just made, for a watch added before it): never with the whole history."""
    (latest_run,) = db.execute("SELECT max(id) FROM crawl_runs").fetchone()
    (first_of_latest,) = db.execute(
        "SELECT min(id) FROM alert_events WHERE run_id = ?", [latest_run]
    ).fetchone()
    (last,) = db.execute("SELECT coalesce(max(id), 0) FROM alert_events").fetchone()
    start = first_of_latest if first_of_latest is not None else last + 1
    with _transaction(db):
        for watch in watches:
            for url in watch.notify:
                db.execute(
                    "INSERT OR IGNORE INTO alert_starts (watch, destination, first_event) VALUES (?, ?, ?)",
                    [watch.name, destination_key(url), start],
                )


def _cursor(db: sqlite3.Connection, watch: str, key: str) -> int:
    row = db.execute(
        "SELECT first_event FROM alert_starts WHERE watch = ? AND destination = ?", [watch, key]
    ).fetchone()
    if row:
        return row[0]
    (last,) = db.execute("SELECT coalesce(max(id), 0) FROM alert_events").fetchone()
    return last + 1  # (a dry run of a watch never used: only what comes next)


def _sent(db: sqlite3.Connection, event_id: int, watch: str, key: str) -> bool:
    return bool(
        db.execute(
            "SELECT 1 FROM alert_sent WHERE event_id = ? AND watch = ? AND destination = ?",
            [event_id, watch, key],
        ).fetchone()
    )


def _waiting(db: sqlite3.Connection, key: str, now: datetime) -> bool:
    row = db.execute("SELECT retry_after FROM alert_destinations WHERE destination = ?", [key]).fetchone()
    return bool(row and row[0] and datetime.fromisoformat(row[0]) > now)


def _sent_within(db: sqlite3.Connection, watch: str, key: str, now: datetime, span: timedelta) -> bool:
    (last,) = db.execute(
        "SELECT max(sent_at) FROM alert_messages WHERE watch = ? AND destination = ?", [watch, key]
    ).fetchone()
    return bool(last) and now - datetime.fromisoformat(last) < span


def retry_delay(failures: int, options: Options) -> timedelta:
    """The wait after the n-th failure in a row: the backoff, doubled each time, at most backoff_max."""
    return min(options.backoff * (2 ** max(failures - 1, 0)), options.backoff_max)


def _mark_failed(
    db: sqlite3.Connection, key: str, shown: str, error: str, options: Options, now: datetime
) -> None:
    with _transaction(db):
        row = db.execute("SELECT failures FROM alert_destinations WHERE destination = ?", [key]).fetchone()
        failures = (row[0] if row else 0) + 1
        retry = (now + retry_delay(failures, options)).isoformat()
        db.execute(
            "INSERT INTO alert_destinations (destination, shown, failures, last_error, last_attempt_at, "
            "retry_after) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (destination) DO UPDATE SET "
            "shown = excluded.shown, failures = excluded.failures, last_error = excluded.last_error, "
            "last_attempt_at = excluded.last_attempt_at, retry_after = excluded.retry_after",
            [key, shown, failures, error, now.isoformat(), retry],
        )


def _mark_sent(db: sqlite3.Connection, item: Planned, run_id: int | None, now: datetime) -> None:
    assert item.message is not None
    key = destination_key(item.url)
    with _transaction(db):
        cursor = db.execute(
            "INSERT INTO alert_messages (run_id, watch, destination, shown, sent_at, events, subject) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                run_id,
                item.watch,
                key,
                redact(item.url),
                now.isoformat(),
                len(item.events),
                item.message.subject,
            ],
        )
        db.executemany(
            "INSERT OR IGNORE INTO alert_sent (event_id, watch, destination, message_id) VALUES (?, ?, ?, ?)",
            [(e.id, item.watch, key, cursor.lastrowid) for e in item.events],
        )
        _move_cursor(db, item)
        db.execute("DELETE FROM alert_destinations WHERE destination = ?", [key])


def _move_cursor(db: sqlite3.Connection, item: Planned) -> None:
    if item.watch != ADHOC:
        db.execute(
            "UPDATE alert_starts SET first_event = max(first_event, ?) WHERE watch = ? AND destination = ?",
            [item.cursor, item.watch, destination_key(item.url)],
        )
