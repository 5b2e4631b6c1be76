"""The crawler's end of the archive writer (``archive/writer.py``): a child process driven from the reactor.

Twisted's process support writes and reads the writer's pipes without blocking, so the reactor only
pickles an item (microseconds) and goes back to downloading while the writer cleans and saves it on the
other core. The messages and replies are ``archive/protocol.py``'s; replies come back in order, and each
fires the Deferred of its message.
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
    RunSummary,
    WriterConfig,
    encode,
)
from archive.writer import ArchiveWriter


class WriterDied(Exception):
    """The writer process ended (was killed, crashed) before the run was finished."""


class WriterError(Exception):
    """The writer could not open or finish the run (a one-line reason)."""


class _WriterProtocol(protocol.ProcessProtocol):
    def __init__(self, stderr_file: IO[bytes]) -> None:
        self.decoder = FrameDecoder()
        self.pending: deque[defer.Deferred] = deque()
        self.stderr_file = stderr_file
        self.death: str | None = None
        self.ended: defer.Deferred = defer.Deferred()

    def outReceived(self, data: bytes) -> None:
        for reply in self.decoder.feed(data):
            if self.pending:
                self.pending.popleft().callback(reply)

    def processEnded(self, reason: Any) -> None:
        code = getattr(reason.value, "exitCode", None)
        signal_number = getattr(reason.value, "signal", None)
        how = f"killed by signal {signal_number}" if signal_number else f"exit code {code}"
        self.death = f"the archive writer process ended ({how}){self._last_stderr_line()}"
        while self.pending:
            self.pending.popleft().errback(WriterDied(self.death))
        self.ended.callback(None)

    def _last_stderr_line(self) -> str:
        try:
            self.stderr_file.seek(0)
            lines = [line for line in self.stderr_file.read().decode("utf-8", "replace").splitlines() if line]
        except (OSError, ValueError):
            return ""
        return f": {lines[-1][:300]}" if lines else ""

    def request(self, message: Message) -> defer.Deferred:
        """Fires with the writer's reply to the message."""
        if self.death is not None:
            return defer.fail(WriterDied(self.death))
        d: defer.Deferred = defer.Deferred()
        self.pending.append(d)
        # (Twisted's interface stubs type ITransport.write wrongly; the process transport takes bytes.)
        transport: Any = self.transport
        transport.write(encode(message))
        return d


def _expect(reply: Reply, kind: type) -> Any:
    """The reply when it is of the expected kind; an Error reply is the writer's one-line reason."""
    if isinstance(reply, Error):
        raise WriterError(reply.message)
    if not isinstance(reply, kind):
        raise WriterError(f"the archive writer answered {type(reply).__name__}, not {kind.__name__}")
    return reply


class ProcessWriter:
    """The writer in a child process (the default, ``writer = process``)."""

    def __init__(self) -> None:
        self.protocol: _WriterProtocol | None = None
        self.run_id: int | None = None

    @defer.inlineCallbacks
    def open(self, config: WriterConfig):
        from twisted.internet import (
            reactor,
        )  # the one Scrapy installed; importing it early would pick another

        stderr_file = tempfile.TemporaryFile()
        self.protocol = _WriterProtocol(stderr_file)
        env = dict(os.environ)
        # The package's own directory first, so the child imports this very code (also when the crawl
        # runs as `scrapy crawl` from a checkout that is not installed).
        root = str(Path(archive.__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        cast(Any, reactor).spawnProcess(  # (Twisted's interface stubs lack `self`)
            self.protocol,
            sys.executable,
            [sys.executable, "-m", "archive.writer_start", str(os.getpid())],
            env=env,
            childFDs={0: "w", 1: "r", 2: stderr_file.fileno()},
        )
        reply = yield self._call(OpenRun(config), Opened)
        self.run_id = reply.run_id
        return self.run_id

    def _call(self, message: Message, kind: type) -> defer.Deferred:
        assert self.protocol is not None  # (opened first)
        return self.protocol.request(message).addCallback(_expect, kind)

    def submit(self, item: Item) -> defer.Deferred:
        """Fires with the writer's Done once it has archived the item."""
        return self._call(item, Done)

    @defer.inlineCallbacks
    def finish(self, requests: int, offsite: int, shutdown_reason: str | None):
        reply = yield self._call(FinishRun(requests, offsite, shutdown_reason), RunSummary)
        assert self.protocol is not None
        yield self.protocol.ended  # the writer has closed the archive and exited
        return reply.summary

    @property
    def death(self) -> str | None:
        return self.protocol.death if self.protocol else None


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
