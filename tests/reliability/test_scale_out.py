"""`hepza scale`: a dozen replica portals crawled from a job queue on a real redis-server (on 127.0.0.1, a
free port, a temporary folder) by two `hepza scale worker` processes, over two schedule slots, one worker
killed -9 mid-crawl: every portal archived once per slot, never two crawls of one portal at once (its
server saw one request at a time; the archives' crawl_runs never overlap), and nothing lost."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
import redis

from archive.browse import free_port
from replica import Site, serve
from replica.portals import e2e_portal_names
from tests.e2e.test_crawl_many import _most_at_once
from tests.e2e.test_crawl_replica import archived_by_asset
from tests.reliability.conftest import FAST, assert_sound, hepza, popen_hepza, rows

PORTALS = 12
# Seconds for one slot's crawls: far more than they take (about 20 s on 2 idle cores; 12 first crawls cost
# 4 s of CPU each, re-crawls 2.5 s), for a machine shared with the rest of the suite.
SLOT_TIMEOUT = 240


@contextmanager
def redis_server() -> Iterator[str]:
    """Debian's redis-server as a real process on 127.0.0.1, nothing saved; its URL."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is missing: `make redis` installs it (Debian's redis-server package)")
    folder = Path(tempfile.mkdtemp(prefix="hepza-redis-"))
    port = free_port()
    process = subprocess.Popen(
        [binary, "--bind", "127.0.0.1", "--port", str(port), "--dir", str(folder), "--save", ""]
        + ["--appendonly", "no", "--protected-mode", "yes"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        client = redis.Redis.from_url(url)
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        else:
            pytest.fail(f"redis-server did not answer on {url}")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


def _names() -> list[str]:
    themes = e2e_portal_names()
    return [f"{themes[i % len(themes)]}-{i:02d}" for i in range(PORTALS)]


def _wait_for_slot(client: redis.Redis, names: list[str], slot: int, workers: dict) -> None:
    deadline = time.monotonic() + SLOT_TIMEOUT
    while time.monotonic() < deadline:
        done = [int(client.hget(f"hepza:scale:portal:{n}", "done_slot") or 0) for n in names]
        if all(d >= slot for d in done):
            return
        for name, process in workers.items():
            assert process.poll() is None, f"worker {name} died: {process.stderr.read()}"
        time.sleep(0.2)
    missing = [n for n, d in zip(names, done, strict=True) if d < slot]
    pytest.fail(f"slot {slot} not crawled in {SLOT_TIMEOUT} s: {missing}")


def _runs_of(folder: Path, portal: str) -> list[dict]:
    """Every crawl_runs row of the portal in any archive file under ``folder`` (local archives, copies
    set aside), each run once (a restored archive holds the runs of the one it was restored from)."""
    seen: dict[tuple, dict] = {}
    for db in folder.rglob(f"{portal}.db"):
        for run in rows(db, "SELECT started_at, finished_at, status, pid FROM crawl_runs"):
            seen[(run["started_at"], run["pid"])] = run
    return sorted(seen.values(), key=lambda run: run["started_at"])


@pytest.mark.timeout(600)
def test_two_workers_crawl_every_portal_once_a_slot_and_a_killed_ones_portal_is_not_lost(tmp_path):
    names = _names()
    portals, offsite = tmp_path / "portals", tmp_path / "offsite"
    portals.mkdir()
    with ExitStack() as stack:
        url = stack.enter_context(redis_server())
        client = redis.Redis.from_url(url, decode_responses=True)
        servers = {}
        for name in names:
            server = stack.enter_context(serve(Site(portal=name.rsplit("-", 1)[0])))
            server.request_log = []
            servers[name] = server
            # One request at a time (two crawls of the portal at once would show on its server; a delay of
            # 0 lets Scrapy's slot send several at once).
            (portals / f"{name}.toml").write_text(f'origin = "{server.url}"\ndelay = 0.01\nconcurrency = 1\n')
        env = {
            **FAST,
            "HEPZA_REDIS_URL": url,
            "HEPZA_PORTALS_DIR": str(portals),
            "HEPZA_BACKUPS_DIR": str(offsite),
            "HEPZA_SCALE_LOCK_SECONDS": "2",
            "HEPZA_SCALE_REQUEUE_SECONDS": "2",
        }

        def worker(name: str) -> subprocess.Popen:
            process = popen_hepza(
                "scale", "worker", "--name", name, "--archives", str(tmp_path / name), env=env
            )
            stack.callback(_stop, process)
            started.append(process)
            return process

        started: list[subprocess.Popen] = []

        workers = {"w1": worker("w1"), "w2": worker("w2")}

        # Slot 1; w1 killed -9 while it crawls a portal (its server answering it).
        enqueued = hepza("scale", "enqueue", env=env)
        assert (enqueued.returncode, enqueued.stdout) == (0, f"slot 1: {PORTALS} crawl jobs queued\n")
        victim = _first_crawl_of(client, names, "w1", servers)
        killed_at = time.time()
        workers["w1"].kill()
        workers["w1"].wait()
        # w1's machine back at once (a new worker to the queue, the same archives folder): the killed job
        # comes back to the queue once its heartbeat is missed, within the slot.
        workers["w1"] = worker("w1")
        _wait_for_slot(client, names, 1, workers)

        assert hepza("scale", "enqueue", env=env).returncode == 0
        _wait_for_slot(client, names, 2, workers)
        status = hepza("scale", "status", "--json", env=env)
        for process in workers.values():
            _stop(process)
    # (the servers have stopped; their logs are whole)
    said = "".join(process.stdout.read() for process in started if process.stdout is not None)
    # A live worker's heartbeat kept its job its own: no job came back while its crawl ran (only the
    # killed worker's, which may find the portal's lock not yet expired, and is then sent again).
    assert [line for line in said.splitlines() if "another worker" in line and victim not in line] == [], said

    assert status.returncode == 0, status.stderr
    records = {r["portal"]: r for r in map(json.loads, status.stdout.splitlines())}
    assert sorted(records) == sorted(names)
    for name in names:
        record = records[name]
        assert (record["done_slot"], record["exit"], record["last_run"]["status"]) == ("2", "0", "ok"), record
        # Never two requests in flight on its server: never two crawls of the portal at once.
        assert _most_at_once([(start, end) for start, end, _ in servers[name].request_log]) == 1, name
        runs = _runs_of(tmp_path, name)
        # Once per slot (the killed crawl's row left `running`, or closed by a later run of that archive).
        assert [r["status"] for r in runs if r["status"] == "ok"] == ["ok", "ok"], (name, runs)
        for before, after in zip(runs, runs[1:], strict=False):
            ended = before["finished_at"] or _iso(killed_at)
            assert after["started_at"] >= ended, f"{name}: two crawls at once: {before} {after}"
        # Nothing lost: the owner's archive and its latest backup hold every article, soundly.
        owned = tmp_path / record["owner"] / f"{name}.db"
        site = Site(portal=name.rsplit("-", 1)[0])  # (the same as its server's)
        for db in (owned, Path(record["backup"])):
            assert_sound(db)
            assert set(archived_by_asset(db, site)) == {g["asset_id"] for g in site.gold()}, db
    victim_runs = [r["status"] for r in _runs_of(tmp_path, victim)]
    assert len(victim_runs) == 3 and victim_runs.count("ok") == 2, victim_runs


def _first_crawl_of(client: redis.Redis, names: list[str], worker: str, servers: dict) -> str:
    """The portal ``worker`` is crawling, once its server has answered a few of the crawl's requests."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for name in names:
            state = client.hgetall(f"hepza:scale:portal:{name}")
            if state.get("worker") == worker and state.get("state") == "crawling":
                if len(servers[name].request_log) >= 5:
                    return name
        time.sleep(0.02)
    pytest.fail(f"{worker} was never seen crawling")


def _iso(epoch: float) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
