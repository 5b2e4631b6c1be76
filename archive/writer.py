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

The writer also reads the article pages (``pipelines.extract``): that too is CPU the reactor would
otherwise spend, and the spider then only routes. The links to a page's attachments and images come back
in the page's reply, for the spider to download.

Messages (tuples): ``("open", WriterConfig)`` → ``("opened", run_id)``; ``("article", capture, urls,
category, validators, charset)``, ``("outcome", url, kind, status, message)``, ``("attachment", url,
article_url, status, body, content_type, etag, last_modified)`` (status 304: a re-check, no body),
``("sitemap", lastmods)`` → ``("done", status, errors_so_far, links)`` (``links`` is ``(attachments,
images)`` for an article page, the archived ones for an article answered 304, else None); ``("finish",
requests, offsite, shutdown_reason)`` → ``("summary", summary)``. A failure to open or finish is
``("error", message)``.
"""

from __future__ import annotations

import logging
import os
import pickle
import select
import signal
import struct
import sys
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from types import SimpleNamespace
from typing import BinaryIO

from archive import diffs
from archive.config import SETTINGS
from archive.migration import MigrationRule
from archive.runs import RunLedger
from archive.schedule import parse_duration
from archive.store import Archive
from pipelines.extract import attachment_links, extract_page, image_links
from pipelines.record import clean_article

logger = logging.getLogger(__name__)

_HEADER = struct.Struct(">I")
_PR_SET_PDEATHSIG = 1


# A reply: the item's status, the run's error count so far, an article page's (attachments, images) links.
Reply = tuple[str | None, int, tuple | None]


@dataclass(frozen=True)
class WriterConfig:
    """What the writer needs to open the archive and keep the run's ledger (defaults: the settings')."""

    db_path: str
    site_url: str
    mode: str = "incremental"
    timezone: str = SETTINGS["timezone"].default
    missing_share: float = SETTINGS["alarm_missing_share"].default
    min_pages: int = SETTINGS["alarm_min_pages"].default
    migration_batch_min: int = SETTINGS["migration_batch_min_articles"].default
    migration_batch_gap: int = SETTINGS["migration_batch_gap_minutes"].default
    migration_same_minute_min: int = SETTINGS["migration_same_minute_min"].default
    removal_floor_share: float = SETTINGS["removal_floor_share"].default
    removal_floor_min: int = SETTINGS["removal_floor_min"].default
    removal_min_age: str = SETTINGS["removal_min_age"].default
    diff_max_tokens: int = SETTINGS["diff_max_tokens"].default


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


def write_frame(stream: BinaryIO, message: object) -> None:
    stream.write(encode_frame(message))
    stream.flush()


class ArchiveWriter:
    """Cleans and archives a crawl's items and keeps its ledger: the work behind the crawl's pipeline.

    Plain Python; the same object serves the writer process and the in-process mode (``writer = inline``).
    :meth:`handle` writes one item in its own transaction. :meth:`add` and :meth:`flush` write the items
    that queue up during a crawl in batches, one commit each (see ``Archive.begin_batch``); if anything in a
    batch fails, the batch is rolled back and its items are written again one by one, so a page the
    archive refuses is counted and listed on its own, exactly as with :meth:`handle`.
    """

    def __init__(self, config: WriterConfig) -> None:
        diffs.set_max_tokens(config.diff_max_tokens)  # the version summaries' word diffs
        self.timezone = config.timezone
        self.archive = Archive(config.db_path)
        try:
            self.ledger = RunLedger(
                self.archive,
                mode=config.mode,
                site_url=config.site_url,
                missing_share=config.missing_share,
                min_pages=config.min_pages,
                migration_rule=MigrationRule(
                    config.migration_batch_min, config.migration_batch_gap, config.migration_same_minute_min
                ),
                removal_floor=(config.removal_floor_share, config.removal_floor_min),
                removal_min_age=parse_duration(config.removal_min_age),
            )
        except BaseException:
            self.archive.close()
            raise
        self._batch: list[tuple] | None = None  # the messages of the open batch
        self._results: list[tuple] = []  # (status, links) of the open batch's items
        self._ledger_state: dict = {}
        self._ready: list[Reply] = []  # replies of items written one by one

    @property
    def run_id(self) -> int:
        return self.ledger.run_id

    @property
    def batch_size(self) -> int:
        return len(self._batch or ())

    def handle(self, message: tuple) -> Reply:
        """One item in its own transaction: the article's status (new, changed, unchanged, returned, error)
        or None, the run's error count so far, and an article page's (attachment, image) links. Never
        raises: a page the archive refuses (a full disk) is counted."""
        kind, *fields = message
        links = None
        try:
            status, links = self._write(kind, fields)
        except Exception as exc:  # e.g. a full disk: the page is counted as failed, the run goes on
            url = fields[0].url if kind == "article" else fields[0]
            logger.critical("could not archive %s: %r", url, exc)
            self.ledger.write_failed(str(url), exc)
            status = "error"
        return status, self.ledger.counts["errors"], links

    def add(self, message: tuple) -> None:
        """Write one item into the open batch (opening one); its reply comes from :meth:`flush`."""
        if self._batch is None:
            self._ledger_state = self.ledger.snapshot()
            self.archive.begin_batch()
            self._batch = []
        self._batch.append(message)
        kind, *fields = message
        try:
            self._results.append(self._write(kind, fields))
        except Exception:
            self._redo_one_by_one()

    def flush(self) -> list[Reply]:
        """Commit the open batch; the replies (as :meth:`handle` gives them) of every item added since the
        last flush, in order."""
        if self._batch is not None:
            try:
                self.archive.commit_batch()
            except Exception:
                self._redo_one_by_one()
            else:
                errors = self.ledger.counts["errors"]
                self._ready.extend((status, errors, links) for status, links in self._results)
                self._batch, self._results = None, []
        ready, self._ready = self._ready, []
        return ready

    def _redo_one_by_one(self) -> None:
        """Nothing of the batch is written: roll it back, and the ledger with it, then write each of its
        items in its own transaction."""
        messages, self._batch, self._results = self._batch or [], None, []
        self.archive.rollback_batch()
        self.ledger.restore(self._ledger_state)
        self._ready.extend(self.handle(message) for message in messages)

    def _write(self, kind: str, fields: list) -> tuple[str | None, tuple | None]:
        """(status, links) of one item; raises when the archive refuses a write."""
        if kind == "article":
            return self._article(*fields)
        if kind == "outcome":
            url, outcome_kind, status, message = fields
            unchanged = self.ledger.outcome(
                SimpleNamespace(url=url, kind=outcome_kind, status=status, message=message)
            )
            # An unchanged page's documents can still have changed under their URLs: they are asked about too.
            return None, (self.archive.file_links(unchanged) if unchanged is not None else None)
        if kind == "attachment":
            url, article_url, status, body, content_type, etag, last_modified = fields
            self.ledger.attachment(
                SimpleNamespace(
                    url=url,
                    article_url=article_url,
                    status=status,
                    body=body,
                    content_type=content_type,
                    etag=etag,
                    last_modified=last_modified,
                )
            )
            return None, None
        if kind == "sitemap":
            self.ledger.sitemap(fields[0])
            return None, None
        if kind == "listing":
            self.ledger.listing(fields[0], fields[1])
            return None, None
        raise ValueError(f"unknown message {kind!r}")

    def _article(self, capture, urls, category, validators, charset) -> tuple[str, tuple | None]:
        step = "extract"
        try:
            raw = extract_page(capture.body, capture.url, charset)
            step = "clean"
            record = clean_article(raw, tz=self.timezone)
        except Exception as exc:  # hostile HTML or a cleaner bug on one page must not lose it silently
            message = f"{type(exc).__name__}: {exc}"[:500]
            self.ledger.outcome(
                SimpleNamespace(url=capture.url, kind=f"{step}-error", status=capture.status, message=message)
            )
            return "error", None
        links = None
        if raw.page_kind == "article":
            links = (
                attachment_links(raw.body_html_raw, capture.url),
                image_links(raw.body_html_raw, capture.url),
            )
        item = SimpleNamespace(
            record=record, capture=capture, urls=urls, category=category, validators=validators
        )
        return self.ledger.article(item), links

    def finish(self, requests: int, offsite: int, shutdown_reason: str | None) -> dict:
        """Close the run (sitemap lastmods, migration days, alarms, exit code) and the archive."""
        try:
            if self._batch is not None:
                raise RuntimeError("finish with a batch still open")
            return self.ledger.finish(requests=requests, offsite=offsite, shutdown_reason=shutdown_reason)
        finally:
            self.archive.close()


class FrameReader:
    """Frames from the writer's input, and whether another is already waiting (without blocking)."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        try:
            self.fd: int | None = stream.fileno()
        except (AttributeError, OSError, ValueError):
            self.fd = None  # an in-memory stream (tests): everything is there at once
        self.decoder = FrameDecoder()
        self.frames: deque = deque()
        self.ended = False

    def _fill(self, block: bool) -> None:
        if self.ended:
            return
        if self.fd is None:
            data = self.stream.read()
        elif not block and not select.select([self.fd], [], [], 0)[0]:
            return
        else:
            data = os.read(self.fd, 1 << 20)
        if not data:
            self.ended = True
            return
        self.frames.extend(self.decoder.feed(data))

    def next(self) -> object | None:
        """The next frame, waiting for it; None at the end of the input."""
        while not self.frames and not self.ended:
            self._fill(block=True)
        return self.frames.popleft() if self.frames else None

    def waiting(self) -> bool:
        """Is another frame already here (so a batch should stay open for it)?"""
        if not self.frames:
            self._fill(block=False)
        return bool(self.frames)


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


# Most items in one batch: bounds what a crash can take back and how long an item waits for its commit.
MAX_BATCH = 50


def serve(inp: BinaryIO, out: BinaryIO) -> int:
    """The writer's loop: open, then one reply per message until ``finish`` or the end of the input.

    Items that arrive while others wait are written in one batch, committed when no more is waiting (or
    at MAX_BATCH items); the replies go out after the commit, so a reply means the item is on disk.
    """
    reader = FrameReader(inp)
    opening = reader.next()
    if not (isinstance(opening, tuple) and opening[0] == "open"):
        return 2
    try:
        writer = ArchiveWriter(opening[1])
    except Exception as exc:
        write_frame(out, ("error", f"cannot open the archive: {type(exc).__name__}: {exc}"))
        return 1
    write_frame(out, ("opened", writer.run_id))
    while True:
        message = reader.next()
        if message is None:
            # The crawler is gone without finishing: stop now, as if killed with it (its lock is stale).
            os._exit(0)
        if message[0] == "finish":
            _send_replies(out, writer.flush())  # (none are left: the crawler finishes after every reply)
            try:
                summary = writer.finish(*message[1:])
            except Exception as exc:
                write_frame(out, ("error", f"cannot finish the run: {type(exc).__name__}: {exc}"))
                return 1
            write_frame(out, ("summary", summary))
            return 0
        writer.add(message)
        if writer.batch_size >= MAX_BATCH or not reader.waiting():
            _send_replies(out, writer.flush())


def _send_replies(out: BinaryIO, replies: list[tuple]) -> None:
    if replies:
        out.write(b"".join(encode_frame(("done", *reply)) for reply in replies))
        out.flush()


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
