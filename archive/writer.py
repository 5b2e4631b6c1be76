"""The archive writer: cleaning and archiving of a crawl's pages, in a process of its own.

Why a process: cleaning and saving an article costs about 1.5 ms of CPU, all of it under the GIL (a thread
would not help). In the crawler's process that work stalls Scrapy's reactor, and so the downloads, for as
long; in a second process it runs on the machine's other core while the crawler keeps fetching.

The crawler (``scraper/archive_writer.py``) starts ``python -m archive.writer PARENT_PID``, sends it
messages and reads one reply per message, in order, over the writer's stdin and stdout. Each frame is a
4-byte big-endian length and a pickle; both ends are this package, and nothing else ever writes to those
pipes. The crawler keeps the run lock; the writer must never outlive it, or a next run taking over a stale
lock could write beside it. So the writer asks the kernel to kill it when its parent dies
(``PR_SET_PDEATHSIG``, Linux) and also exits at once when its input ends without a ``finish``. It ignores
SIGINT and SIGTERM (a terminal's Ctrl-C or systemd's stop reach the whole process group): the crawler
stops gracefully on those and then sends ``finish``, which the writer must still be alive to answer.

Messages (tuples): ``("open", WriterConfig)`` → ``("opened", run_id)``; ``("article", raw, capture, urls,
category, validators)``, ``("outcome", url, kind, status, message)``, ``("attachment", url, article_url,
body, content_type)``, ``("sitemap", lastmods)`` → ``("done", status, errors_so_far)``; ``("finish",
requests, offsite, shutdown_reason)`` → ``("summary", summary)``. A failure to open or finish is
``("error", one_line_message)``.
"""

from __future__ import annotations

import logging
import os
import pickle
import signal
import struct
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from types import SimpleNamespace
from typing import BinaryIO

from archive.runs import RunLedger
from archive.store import Archive
from pipelines.record import clean_article

logger = logging.getLogger(__name__)

_HEADER = struct.Struct(">I")
_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class WriterConfig:
    """What the writer needs to open the archive and keep the run's ledger."""

    db_path: str
    site_url: str
    mode: str
    timezone: str
    missing_share: float
    min_pages: int
    migration_day_min: int


def encode_frame(message: object) -> bytes:
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return _HEADER.pack(len(payload)) + payload


class FrameDecoder:
    """Frames out of a byte stream that arrives in arbitrary pieces (the crawler's non-blocking reads)."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def feed(self, data: bytes) -> Iterator[object]:
        self._buffer += data
        while len(self._buffer) >= _HEADER.size:
            (size,) = _HEADER.unpack_from(self._buffer)
            end = _HEADER.size + size
            if len(self._buffer) < end:
                return
            payload = bytes(self._buffer[_HEADER.size : end])
            del self._buffer[:end]
            yield pickle.loads(payload)  # noqa: S301 - frames come only from our own writer process


def read_frame(stream: BinaryIO) -> object | None:
    """The next frame of a blocking stream; None at its end (a torn frame counts as the end)."""
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        return None
    (size,) = _HEADER.unpack(header)
    payload = stream.read(size)
    if len(payload) < size:
        return None
    return pickle.loads(payload)  # noqa: S301 - frames come only from the crawler that started us


def write_frame(stream: BinaryIO, message: object) -> None:
    stream.write(encode_frame(message))
    stream.flush()


class ArchiveWriter:
    """Cleans and archives a crawl's items and keeps its ledger: the work behind the crawl's pipeline.

    Plain Python; the same object serves the writer process and the in-process mode (``writer = inline``).
    """

    def __init__(self, config: WriterConfig) -> None:
        self.timezone = config.timezone
        self.archive = Archive(config.db_path)
        try:
            self.ledger = RunLedger(
                self.archive,
                mode=config.mode,
                site_url=config.site_url,
                missing_share=config.missing_share,
                min_pages=config.min_pages,
                migration_day_min=config.migration_day_min,
            )
        except BaseException:
            self.archive.close()
            raise

    @property
    def run_id(self) -> int:
        return self.ledger.run_id

    def handle(self, message: tuple) -> tuple[str | None, int]:
        """One item: the article's status (new, changed, unchanged, returned, error) or None, and the
        run's error count so far. Never raises: a page the archive refuses (a full disk) is counted."""
        kind, *fields = message
        try:
            status = self._write(kind, fields)
        except Exception as exc:  # e.g. a full disk: the page is counted as failed, the run goes on
            url = fields[0] if kind != "article" else fields[1].url
            logger.critical("could not archive %s: %r", url, exc)
            self.ledger.write_failed(str(url), exc)
            status = "error"
        return status, self.ledger.counts["errors"]

    def _write(self, kind: str, fields: list) -> str | None:
        if kind == "article":
            raw, capture, urls, category, validators = fields
            try:
                record = clean_article(raw, tz=self.timezone)
            except Exception as exc:  # a cleaner bug on one hostile page must not lose the page silently
                message = f"{type(exc).__name__}: {exc}"[:500]
                self.ledger.outcome(
                    SimpleNamespace(
                        url=capture.url, kind="clean-error", status=capture.status, message=message
                    )
                )
                return "error"
            item = SimpleNamespace(
                record=record, capture=capture, urls=urls, category=category, validators=validators
            )
            return self.ledger.article(item)
        if kind == "outcome":
            url, outcome_kind, status, message = fields
            self.ledger.outcome(SimpleNamespace(url=url, kind=outcome_kind, status=status, message=message))
            return None
        if kind == "attachment":
            url, article_url, body, content_type = fields
            self.ledger.attachment(
                SimpleNamespace(url=url, article_url=article_url, body=body, content_type=content_type)
            )
            return None
        if kind == "sitemap":
            self.ledger.sitemap(fields[0])
            return None
        raise ValueError(f"unknown message {kind!r}")

    def finish(self, requests: int, offsite: int, shutdown_reason: str | None) -> dict:
        """Close the run (sitemap lastmods, migration days, alarms, exit code) and the archive."""
        try:
            return self.ledger.finish(requests=requests, offsite=offsite, shutdown_reason=shutdown_reason)
        finally:
            self.archive.close()


def _die_with_parent(parent_pid: int) -> None:
    """Be killed by the kernel when the crawler dies, however it dies (kill -9 included)."""
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass  # the end of our input still stops us, a moment later
    if os.getppid() != parent_pid:  # the parent died before the request took effect
        os._exit(0)


def serve(inp: BinaryIO, out: BinaryIO) -> int:
    """The writer's loop: open, then one reply per message until ``finish`` or the end of the input."""
    opening = read_frame(inp)
    if not (isinstance(opening, tuple) and opening[0] == "open"):
        return 2
    try:
        writer = ArchiveWriter(opening[1])
    except Exception as exc:
        write_frame(out, ("error", f"cannot open the archive: {type(exc).__name__}: {exc}"))
        return 1
    write_frame(out, ("opened", writer.run_id))
    while True:
        message = read_frame(inp)
        if message is None:
            # The crawler is gone without finishing: stop now, as if killed with it (its lock is stale).
            os._exit(0)
        if message[0] == "finish":
            try:
                summary = writer.finish(*message[1:])
            except Exception as exc:
                write_frame(out, ("error", f"cannot finish the run: {type(exc).__name__}: {exc}"))
                return 1
            write_frame(out, ("summary", summary))
            return 0
        write_frame(out, ("done", *writer.handle(message)))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    _die_with_parent(int(argv[0]))
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    inp, out = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must never land in the reply frames
    logging.basicConfig(level=logging.CRITICAL, format="%(message)s")
    return serve(inp, out)


if __name__ == "__main__":
    sys.exit(main())
