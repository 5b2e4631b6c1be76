"""The crawler's end of the archive writer (``archive/writer.py``): a child process driven from the reactor.

Twisted's process support writes and reads the writer's pipes without blocking, so the reactor only
pickles an item (microseconds) and goes back to downloading while the writer cleans and saves it on the
other core. Replies come back in order; each fires the Deferred of its message.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections import deque
from pathlib import Path

from twisted.internet import defer, protocol

import archive
from archive.writer import ArchiveWriter, FrameDecoder, WriterConfig, encode_frame


class WriterDied(Exception):
    """The writer process ended (was killed, crashed) before the run was finished."""


class WriterError(Exception):
    """The writer could not open or finish the run (a one-line reason)."""


class _WriterProtocol(protocol.ProcessProtocol):
    def __init__(self, stderr_file) -> None:
        self.decoder = FrameDecoder()
        self.pending: deque[defer.Deferred] = deque()
        self.stderr_file = stderr_file
        self.death: str | None = None
        self.ended = defer.Deferred()

    def outReceived(self, data: bytes) -> None:
        for reply in self.decoder.feed(data):
            if self.pending:
                self.pending.popleft().callback(reply)

    def processEnded(self, reason) -> None:
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

    def request(self, message: tuple) -> defer.Deferred:
        if self.death is not None:
            return defer.fail(WriterDied(self.death))
        d = defer.Deferred()
        self.pending.append(d)
        self.transport.write(encode_frame(message))
        return d


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
        reactor.spawnProcess(
            self.protocol,
            sys.executable,
            [sys.executable, "-m", "archive.writer", str(os.getpid())],
            env=env,
            childFDs={0: "w", 1: "r", 2: stderr_file.fileno()},
        )
        reply = yield self._call(("open", config))
        self.run_id = reply[1]
        return self.run_id

    def _call(self, message: tuple) -> defer.Deferred:
        def check(reply):
            if reply[0] == "error":
                raise WriterError(reply[1])
            return reply

        return self.protocol.request(message).addCallback(check)

    def submit(self, message: tuple) -> defer.Deferred:
        """Fires with (status, errors so far) once the writer has archived the item."""
        return self.protocol.request(message).addCallback(lambda reply: tuple(reply[1:]))

    @defer.inlineCallbacks
    def finish(self, requests: int, offsite: int, shutdown_reason: str | None):
        reply = yield self._call(("finish", requests, offsite, shutdown_reason))
        yield self.protocol.ended  # the writer has closed the archive and exited
        return reply[1]

    @property
    def death(self) -> str | None:
        return self.protocol.death if self.protocol else None


class InlineWriter:
    """The same work in the crawler's own process (``writer = inline``): simpler to debug, slower."""

    def __init__(self) -> None:
        self.writer: ArchiveWriter | None = None
        self.run_id: int | None = None
        self.death = None

    def open(self, config: WriterConfig) -> defer.Deferred:
        try:
            self.writer = ArchiveWriter(config)
        except Exception as exc:
            return defer.fail(WriterError(f"cannot open the archive: {type(exc).__name__}: {exc}"))
        self.run_id = self.writer.run_id
        return defer.succeed(self.run_id)

    def submit(self, message: tuple) -> defer.Deferred:
        return defer.succeed(self.writer.handle(message))

    def finish(self, requests: int, offsite: int, shutdown_reason: str | None) -> defer.Deferred:
        return defer.maybeDeferred(self.writer.finish, requests, offsite, shutdown_reason)
