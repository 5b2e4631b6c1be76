"""The crawler's end of the archive writer (``archive/writer.py``): child processes driven from the reactor.

Twisted's process support writes and reads the writer's pipes without blocking, so the reactor only
pickles an item (microseconds) and goes back to downloading while the writer cleans and saves it on the
other core. The messages and replies are ``archive/protocol.py``'s. The crawlers of one process (one per
portal with ``hepza crawl --all``) share a small fixed pool of writers (:class:`WriterPool`): each run
is a channel on one of them, its replies come back in order on that channel, and each fires the Deferred
of its message.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections import deque
from pathlib import Path
from typing import IO, Any, cast

from twisted.internet import defer, protocol

import archive
from archive.protocol import (
    Done,
    Error,
    FinishRun,
    FrameDecoder,
    Item,
    Message,
    Opened,
    OpenRun,
    Reply,
    Routed,
    RunSummary,
    WriterConfig,
    encode,
)
from archive.writer import ArchiveWriter


class WriterDied(Exception):
    """The writer process ended (was killed, crashed) before the run was finished."""


class WriterError(Exception):
    """The writer could not open or finish the run (a one-line reason)."""


# Writer processes one crawl process runs at most, however many portals it crawls (`hepza crawl --all`):
# a writer costs some 40 MB and half a second of CPU to start, so one per portal made memory and start-up
# grow with the portals. Writing an article takes a few milliseconds, far less than the crawler spends
# fetching it, so one writer keeps up with dozens of portals; a second one uses a core the reactor leaves
# free on larger machines and keeps one portal's slow page (a huge body, a long diff) from holding up the
# replies of every other portal.
WRITER_PROCESSES = 2


class _WriterProcess(protocol.ProcessProtocol):
    """One writer child process and the runs it serves, each on its channel (``archive.protocol.Routed``);
    each run's replies come back in order and fire its messages' Deferreds."""

    def __init__(self, stderr_file: IO[bytes]) -> None:
        self.decoder = FrameDecoder()
        self.pending: dict[int, deque[defer.Deferred]] = {}  # by channel: the open runs
        self.last_channel = 0
        self.stderr_file = stderr_file
        self.death: str | None = None
        self.closing = False  # its input is closed: it takes no more runs
        self._end_waiters: list[defer.Deferred] = []

    @property
    def runs(self) -> int:
        return len(self.pending)

    def open_channel(self) -> int:
        self.last_channel += 1
        self.pending[self.last_channel] = deque()
        return self.last_channel

    def close_channel(self, channel: int) -> None:
        self.pending.pop(channel, None)

    def outReceived(self, data: bytes) -> None:
        for frame in self.decoder.feed(data):
            if not isinstance(frame, Routed):
                continue  # (this end always opens its runs on a channel: none comes back bare)
            waiting = self.pending.get(frame.channel)
            if waiting:
                waiting.popleft().callback(frame.message)

    def processEnded(self, reason: Any) -> None:
        code = getattr(reason.value, "exitCode", None)
        signal_number = getattr(reason.value, "signal", None)
        how = f"killed by signal {signal_number}" if signal_number else f"exit code {code}"
        self.death = f"the archive writer process ended ({how}){self._last_stderr_line()}"
        for waiting in self.pending.values():
            while waiting:
                waiting.popleft().errback(WriterDied(self.death))
        waiters, self._end_waiters = self._end_waiters, []
        for d in waiters:
            d.callback(None)

    def ended(self) -> defer.Deferred:
        """Fires once the process has exited."""
        if self.death is not None:
            return defer.succeed(None)
        d: defer.Deferred = defer.Deferred()
        self._end_waiters.append(d)
        return d

    def _last_stderr_line(self) -> str:
        try:
            self.stderr_file.seek(0)
            lines = [line for line in self.stderr_file.read().decode("utf-8", "replace").splitlines() if line]
        except (OSError, ValueError):
            return ""
        return f": {lines[-1][:300]}" if lines else ""

    def request(self, channel: int, message: Message) -> defer.Deferred:
        """Fires with the writer's reply to the message of the run on ``channel``."""
        if self.death is not None:
            return defer.fail(WriterDied(self.death))
        d: defer.Deferred = defer.Deferred()
        self.pending[channel].append(d)
        # (Twisted's interface stubs type ITransport.write wrongly; the process transport takes bytes.)
        transport: Any = self.transport
        transport.write(encode(Routed(channel, message)))
        return d


def writer_command() -> list[str]:
    """The writer's command line: this interpreter, ``-m archive.writer_start`` and this process's pid
    (the parent it must die with). The test suite's process zygote puts its own in (tests/zygote.py)."""
    return [sys.executable, "-m", "archive.writer_start", str(os.getpid())]


def _spawn_writer() -> _WriterProcess:
    from twisted.internet import reactor  # the one Scrapy installed; importing it early would pick another

    stderr_file = tempfile.TemporaryFile()
    process = _WriterProcess(stderr_file)
    env = dict(os.environ)
    # The package's own directory first, so the child imports this very code (also when the crawl
    # runs as `scrapy crawl` from a checkout that is not installed).
    root = str(Path(archive.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    command = writer_command()
    cast(Any, reactor).spawnProcess(  # (Twisted's interface stubs lack `self`)
        process,
        command[0],
        command,
        env=env,
        childFDs={0: "w", 1: "r", 2: stderr_file.fileno()},
    )
    return process


class WriterPool:
    """The writer processes of this crawl process: at most ``size``, shared by all its crawlers' runs.

    A run goes to the writer serving the fewest runs; a new writer starts only while every live one serves
    a run already (so one portal has one writer, and N portals ``min(N, size)``). A writer whose last run
    has finished is told so (its input closed) and exits: the next run starts a fresh one.
    """

    def __init__(self, size: int = WRITER_PROCESSES) -> None:
        self.size = size
        self.processes: list[_WriterProcess] = []

    def lease(self) -> _WriterProcess:
        self.processes = [p for p in self.processes if p.death is None and not p.closing]
        least = min(self.processes, key=lambda p: p.runs, default=None)
        if least is None or (least.runs > 0 and len(self.processes) < self.size):
            least = _spawn_writer()
            self.processes.append(least)
        return least

    def give_back(self, process: _WriterProcess, channel: int) -> defer.Deferred:
        """The run on ``channel`` is over; fires once its writer has exited if it was that writer's last."""
        process.close_channel(channel)
        if process.runs or process.death is not None:
            return defer.succeed(None)
        process.closing = True
        cast(Any, process.transport).closeStdin()
        return process.ended()


_POOL = WriterPool()


def _expect(reply: Reply, kind: type) -> Any:
    """The reply when it is of the expected kind; an Error reply is the writer's one-line reason."""
    if isinstance(reply, Error):
        raise WriterError(reply.message)
    if not isinstance(reply, kind):
        raise WriterError(f"the archive writer answered {type(reply).__name__}, not {kind.__name__}")
    return reply


class ProcessWriter:
    """The writer in a child process (the default, ``writer = process``): one run on a writer of the pool."""

    def __init__(self, pool: WriterPool | None = None) -> None:
        self.pool = pool or _POOL
        self.process: _WriterProcess | None = None
        self.channel = 0
        self.run_id: int | None = None

    @defer.inlineCallbacks
    def open(self, config: WriterConfig):
        self.process = self.pool.lease()
        self.channel = self.process.open_channel()
        try:
            reply = yield self._call(OpenRun(config), Opened)
        except Exception:
            self.pool.give_back(self.process, self.channel)  # (no run to wait for)
            raise
        self.run_id = reply.run_id
        return self.run_id

    def _call(self, message: Message, kind: type) -> defer.Deferred:
        assert self.process is not None  # (opened first)
        return self.process.request(self.channel, message).addCallback(_expect, kind)

    def submit(self, item: Item) -> defer.Deferred:
        """Fires with the writer's Done once it has archived the item."""
        return self._call(item, Done)

    @defer.inlineCallbacks
    def finish(self, requests: int, offsite: int, shutdown_reason: str | None):
        assert self.process is not None  # (opened first)
        try:
            reply = yield self._call(FinishRun(requests, offsite, shutdown_reason), RunSummary)
        finally:
            # The archive is closed once the summary is here; a writer left with no run exits.
            yield self.pool.give_back(self.process, self.channel)
        return reply.summary

    @property
    def death(self) -> str | None:
        return self.process.death if self.process else None


class InlineWriter:
    """The same work in the crawler's own process (``writer = inline``): simpler to debug, slower."""

    def __init__(self) -> None:
        self.writer: ArchiveWriter | None = None
        self.run_id: int | None = None
        self.death: str | None = None

    def open(self, config: WriterConfig) -> defer.Deferred:
        try:
            self.writer = ArchiveWriter(config)
        except Exception as exc:
            return defer.fail(WriterError(f"cannot open the archive: {type(exc).__name__}: {exc}"))
        self.run_id = self.writer.run_id
        return defer.succeed(self.run_id)

    def submit(self, item: Item) -> defer.Deferred:
        assert self.writer is not None  # (opened first)
        return defer.succeed(self.writer.handle(item))

    def finish(self, requests: int, offsite: int, shutdown_reason: str | None) -> defer.Deferred:
        assert self.writer is not None  # (opened first)
        return defer.maybeDeferred(self.writer.finish, requests, offsite, shutdown_reason)
