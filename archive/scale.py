"""hepza beyond one machine: per-portal crawl jobs on a Redis queue, consumed by workers on any number of
machines (docs/scale-out.md).

The queue is Dramatiq's Redis broker: a worker takes a message into its own acknowledgement set and acks it
when the job is over; a worker that dies stops its heartbeat, and another worker puts its unacked messages
back on the queue (``requeue_seconds`` later). So a job is delivered at least once; at most one crawl of a
portal at a time comes from a Redis lock per portal (expiring, renewed by a heartbeat thread while the
crawl runs) on top of each archive's own lock, and a job of a slot already crawled is dropped.

A job is ``hepza crawl --portal NAME`` in a child process (so its ``crawl_runs`` row is written as by cron),
then a backup of the archive as ``hepza backup`` makes it (in this process) to ``backups_dir`` (storage off the machine: a mount, or a folder that
is synced away). A worker owns the archives it crawls, in its own ``archives_dir``; a portal whose last crawl
was another worker's (that machine lost, or busy) is first restored here from its latest backup, so its
history goes on where it was.

Redis keys (besides Dramatiq's, under ``hepza-dramatiq:``): ``hepza:scale:slot`` the last slot's number;
``hepza:scale:portal:NAME`` a hash of the portal's last slot queued and done, its worker, exit code, times
and latest backup; ``hepza:scale:lock:NAME`` the crawl lock.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import redis
from dramatiq import Actor, Worker
from dramatiq.brokers.redis import MAINTENANCE_SCALE, RedisBroker

from archive.export import backup
from archive.runs import EXIT_LOCKED
from archive.store import Archive, ArchiveError

PREFIX = "hepza:scale"
NAMESPACE = "hepza-dramatiq"
QUEUE = "hepza-crawl"
ACTOR = "hepza_crawl"
# Backups kept per portal in backups_dir: the latest (the one a new owner restores) and the one before it.
BACKUPS_KEPT = 2

log = logging.getLogger("hepza.scale")


class RedisUnreachable(Exception):
    """Redis cannot be reached (exit 69, EX_UNAVAILABLE)."""


@dataclass(frozen=True)
class WorkerConfig:
    """What a worker needs: its name, the queue, and its folders."""

    name: str
    redis_url: str
    portals_dir: str
    archives_dir: str
    backups_dir: str
    lock_seconds: float
    requeue_seconds: float
    config_file: str | None = None


def connect(url: str) -> redis.Redis:
    """A client of the Redis at ``url``, checked with a PING (a one-line RedisUnreachable otherwise)."""
    try:
        client = redis.Redis.from_url(url, decode_responses=True, socket_connect_timeout=5)
        client.ping()
    except (redis.RedisError, ValueError) as exc:
        raise RedisUnreachable(f"cannot reach Redis at {url}: {exc}") from None
    return client


def _broker(url: str, requeue_seconds: float) -> RedisBroker:
    # No middleware: no retries (a failed crawl is recorded and the next slot crawls the portal again) and
    # no time limit (a crawl bounds itself with its own timeouts). Maintenance (putting a dead worker's
    # messages back) on every command: the queue holds a few messages per portal, so it costs nothing.
    return RedisBroker(
        url=url,
        namespace=NAMESPACE,
        middleware=[],
        heartbeat_timeout=int(requeue_seconds * 1000),
        maintenance_chance=MAINTENANCE_SCALE,
    )


def _actor(broker: RedisBroker, fn: Any) -> Actor:
    return Actor(fn, broker=broker, actor_name=ACTOR, queue_name=QUEUE, priority=0, options={})


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _portal_key(portal: str) -> str:
    return f"{PREFIX}:portal:{portal}"


def enqueue(url: str, portals: list[str]) -> int:
    """One schedule slot: a crawl job per portal; returns the slot's number."""
    client = connect(url)
    try:
        slot = int(client.incr(f"{PREFIX}:slot"))
        actor = _actor(_broker(url, 60), _never_here)
        for portal in portals:
            client.hset(_portal_key(portal), mapping={"queued_slot": slot, "queued_at": _now()})
            actor.send(portal, slot)
    except redis.RedisError as exc:
        raise RedisUnreachable(f"Redis at {url} failed: {exc}") from None
    return slot


def _never_here(portal: str, slot: int) -> None:
    raise RuntimeError("jobs run in `hepza scale worker`, not where they are sent")


def status(url: str) -> list[dict]:
    """Every portal Redis knows, with its last slot queued and done, worker, exit code and backup."""
    client = connect(url)
    try:
        keys = sorted(client.scan_iter(f"{PREFIX}:portal:*"))
        records = []
        for key in keys:
            fields = client.hgetall(key)
            locked = client.exists(f"{PREFIX}:lock:{key.rsplit(':', 1)[1]}")
            records.append({"portal": key.rsplit(":", 1)[1], **fields, "crawling_now": bool(locked)})
    except redis.RedisError as exc:
        raise RedisUnreachable(f"Redis at {url} failed: {exc}") from None
    return records


class _Heartbeat(threading.Thread):
    """Renews the portal's lock every third of its life while the crawl runs; if the lock was lost (Redis
    away longer than its life, so another worker may crawl the portal now), stops the crawl."""

    def __init__(self, lock: Any, seconds: float) -> None:
        super().__init__(daemon=True)
        self.lock, self.seconds = lock, seconds
        self.done = threading.Event()
        self.lost = threading.Event()
        self.crawl: subprocess.Popen | None = None

    def run(self) -> None:
        while not self.done.wait(self.seconds / 3):
            try:
                self.lock.reacquire()
            except (redis.RedisError, redis.exceptions.LockError):
                self.lost.set()
                if self.crawl is not None and self.crawl.poll() is None:
                    self.crawl.terminate()  # (SIGTERM: the run ends as `interrupted`, all written kept)
                return


class CrawlJobs:
    """The jobs of one worker process."""

    def __init__(self, config: WorkerConfig) -> None:
        self.config = config
        self.client = connect(config.redis_url)
        self.broker = _broker(config.redis_url, config.requeue_seconds)
        self.actor = _actor(self.broker, self.run)

    def run(self, portal: str, slot: int) -> None:
        """The job: any failure is one line and the job is over (acked): the next slot crawls the portal
        again. (Dramatiq would log a traceback and dead-letter the message.)"""
        try:
            self._run(portal, slot)
        except Exception as exc:
            self._say(portal, slot, f"failed: {type(exc).__name__}: {' '.join(str(exc).split())}")
            try:
                self.client.hset(_portal_key(portal), mapping={"state": "failed", "error": str(exc)[:500]})
            except redis.RedisError:
                pass  # (Redis is what failed: the line above is all there is to say)

    def _run(self, portal: str, slot: int) -> None:
        if self._done(portal, slot):
            return
        lock = self.client.lock(
            f"{PREFIX}:lock:{portal}", timeout=self.config.lock_seconds, blocking=False, thread_local=False
        )
        if not lock.acquire():
            self._later(portal, slot, "crawled by another worker now")
            return
        heartbeat = _Heartbeat(lock, self.config.lock_seconds)
        heartbeat.start()
        try:
            # (again under the lock: the worker that held it may have just finished this very slot)
            if not self._done(portal, slot):
                self._crawl_and_back_up(portal, slot, self.client.hgetall(_portal_key(portal)), heartbeat)
        finally:
            heartbeat.done.set()
            heartbeat.join()
            try:
                lock.release()
            except redis.exceptions.LockError:
                pass  # (expired: the heartbeat said so)

    def _done(self, portal: str, slot: int) -> bool:
        """Whether the job has nothing to do: delivered again (after a worker's death) once the portal was
        crawled for this slot, or a later slot is queued, which crawls it."""
        state = self.client.hgetall(_portal_key(portal))
        if int(state.get("done_slot", 0)) >= slot or int(state.get("queued_slot", 0)) > slot:
            self._say(portal, slot, "already crawled or superseded: dropped")
            return True
        return False

    def _crawl_and_back_up(self, portal: str, slot: int, state: dict, heartbeat: _Heartbeat) -> None:
        config = self.config
        db = Path(config.archives_dir) / f"{portal}.db"
        restored = self._take_archive(portal, db, state)
        self.client.hset(
            _portal_key(portal),
            mapping={"state": "crawling", "slot": slot, "worker": config.name, "started_at": _now()},
        )
        argv = [
            "crawl",
            "--portal",
            portal,
            "--portals",
            config.portals_dir,
            "--archives",
            config.archives_dir,
        ]
        crawl = subprocess.Popen(
            _child_argv(argv + ["--json"], config.config_file),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        heartbeat.crawl = crawl
        out, err = crawl.communicate()
        code = crawl.returncode
        if code == EXIT_LOCKED or heartbeat.lost.is_set():
            self._later(portal, slot, "its archive is locked here" if code == EXIT_LOCKED else "lock lost")
            return
        summary = _last_json(out)
        backup = self._back_up(portal, slot, db) if db.exists() else ""
        self.client.hset(
            _portal_key(portal),
            mapping={
                "state": "done",
                "done_slot": slot,
                "exit": code,
                "run_status": summary.get("status", ""),
                "run_id": summary.get("run_id") or "",
                "finished_at": _now(),
                "owner": config.name,
                "backup": backup or state.get("backup", ""),
                "error": "" if summary else (err.strip().splitlines() or [""])[-1],
            },
        )
        self._say(portal, slot, f"exit {code}{' (restored from its backup)' if restored else ''}")

    def _take_archive(self, portal: str, db: Path, state: dict) -> bool:
        """Make this worker the portal's owner: when another worker crawled it last (or the file is not
        here), restore its latest backup here first; a local copy that was not the latest is set aside,
        never deleted."""
        backup = state.get("backup", "")
        if not backup or not Path(backup).exists():
            return False
        if state.get("owner") == self.config.name and db.exists():
            return False
        aside = (
            Path(self.config.archives_dir) / "superseded" / f"{portal}-{datetime.now(UTC):%Y%m%dT%H%M%S%f}"
        )
        for path in _archive_files(db):
            aside.mkdir(parents=True, exist_ok=True)
            path.rename(aside / path.name)
        _copy_archive(Path(backup), db)
        return True

    def _back_up(self, portal: str, slot: int, db: Path) -> str:
        """``hepza backup`` of the archive to backups_dir/NAME/; the older backups beyond BACKUPS_KEPT go."""
        folder = Path(self.config.backups_dir) / portal
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{slot:06d}-{self.config.name}-{datetime.now(UTC):%Y%m%dT%H%M%S}.db"
        try:
            _copy_archive(db, target)
        except (ArchiveError, sqlite3.Error, OSError) as exc:
            self._say(portal, slot, f"backup failed: {exc}")
            return ""
        for old in sorted(folder.glob("*.db"))[:-BACKUPS_KEPT]:
            for path in _archive_files(old):
                shutil.rmtree(path) if path.is_dir() else path.unlink()
        return str(target.resolve())

    def _later(self, portal: str, slot: int, why: str) -> None:
        """Send the job again, to run once the lock can have expired."""
        self.actor.send_with_options(args=(portal, slot), delay=int(self.config.lock_seconds * 1000))
        self._say(portal, slot, f"{why}: tried again in {self.config.lock_seconds:g} s")

    def _say(self, portal: str, slot: int, what: str) -> None:
        print(f"{self.config.name}: {portal} slot {slot}: {what}", flush=True)


def _archive_files(db: Path) -> list[Path]:
    names = [db.name, f"{db.name}-wal", f"{db.name}-shm", f"{db.name}.files"]
    return [db.parent / name for name in names if (db.parent / name).exists()]


def _child_argv(args: list[str], config_file: str | None) -> list[str]:
    """``hepza ARGS`` in a child that dies with this worker (archive/scale_child.py)."""
    extra = ["--config", config_file] if config_file else []
    return [sys.executable, "-m", "archive.scale_child", str(os.getpid()), *args, *extra]


def _copy_archive(source: Path, target: Path) -> None:
    """What ``hepza backup`` does (archive/export.py), in this process: a damaged archive is refused, the
    copy is consistent and complete with its files, or it is not there."""
    archive = Archive(str(source), readonly=True)
    try:
        damage = archive.damage()
        if damage:
            raise ArchiveError(f"{source} is damaged ({damage})")
        backup(archive, str(target))
    finally:
        archive.close()


def _last_json(out: str) -> dict:
    for line in reversed(out.strip().splitlines()):
        try:
            return json.loads(line)
        except json.JSONDecodeError:
            continue
    return {}


def run_worker(config: WorkerConfig, stop: threading.Event) -> None:
    """Consume crawl jobs, one at a time, until ``stop`` is set; the job running then is finished first."""
    jobs = CrawlJobs(config)
    Path(config.archives_dir).mkdir(parents=True, exist_ok=True)
    worker = Worker(jobs.broker, worker_threads=1, worker_timeout=500)
    # One message held at a time: a second one prefetched would wait behind this worker's crawl while
    # another worker is idle (and, were this worker killed, come back only with the first).
    worker.queue_prefetch = 1
    worker.start()
    print(f"{config.name}: waiting for crawl jobs on {config.redis_url}", flush=True)
    try:
        stop.wait()
    finally:
        worker.stop(timeout=24 * 3600 * 1000)
