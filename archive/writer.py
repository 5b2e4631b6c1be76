"""The archive writer: cleaning and archiving of a crawl's pages, in a process of its own.

Why a process: cleaning and saving an article costs about 1.5 ms of CPU, all of it under the GIL (a thread
would not help). In the crawler's process that work stalls Scrapy's reactor, and so the downloads, for as
long; in a second process it runs on the machine's other core while the crawler keeps fetching.

The crawler (``scraper/archive_writer.py``) starts ``python -m archive.writer_start PARENT_PID``, sends it
messages and reads one reply per message, in order, over the writer's stdin and stdout. The messages, the
replies and their frames are ``archive/protocol.py``: an :class:`~archive.protocol.OpenRun` first (refused
in one line when the crawler speaks another protocol version), then one item message per crawled item, each
answered with a :class:`~archive.protocol.Done` once it is on disk, and a
:class:`~archive.protocol.FinishRun` answered with the run's summary. The writer dispatches on the
message's type (:meth:`ArchiveWriter._write`).

One writer process serves several runs at once: ``hepza crawl --all`` gives its many portals a small fixed
pool of writers (scraper/archive_writer.py), not one each, since a writer process costs some 40 MB and half
a second of CPU to start whatever it writes. Each run travels on its own channel of the protocol
(:class:`~archive.protocol.Routed`) and has its own :class:`ArchiveWriter`: its own archive, connection,
batches and ledger. What the runs share is the process: a writer that crashes ends every run it served.

The crawler keeps the run lock; the writer must never outlive it, or a next run taking over a stale lock
could write beside it. So the writer asks the kernel to kill it when its parent dies (``PR_SET_PDEATHSIG``,
Linux; first thing, before its imports: archive/writer_start.py) and also exits at once when its input
ends with a run still open (no ``FinishRun``). It ignores SIGINT and SIGTERM (a terminal's Ctrl-C or systemd's stop reach
the whole process group): the crawler stops gracefully on those and then sends ``FinishRun``, which the
writer must still be alive to answer.

The writer also reads the article pages (``pipelines.extract``): that too is CPU the reactor would
otherwise spend, and the spider then only routes. The links to a page's attachments and images come back
in the page's :class:`~archive.protocol.Done`, for the spider to download.
"""

from __future__ import annotations

import logging
import os
import select
import signal
import sys
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import BinaryIO

from archive import diffs
from archive.captures import Capture
from archive.migration import MigrationRule
from archive.protocol import (
    ArticlePage,
    Attachment,
    Done,
    Error,
    FetchOutcome,
    FileLinks,
    FinishRun,
    Frame,
    FrameDecoder,
    Item,
    ListingPage,
    Message,
    Opened,
    OpenRun,
    Reply,
    Routed,
    RunSummary,
    SitemapLastmods,
    WriterConfig,
    encode,
    is_item,
    version_mismatch,
)
from archive.runs import HELD, RunLedger
from archive.schedule import parse_duration
from archive.store import Archive
from archive.writer_start import die_with_parent
from pipelines.extract import attachment_links, extract_page, image_links
from pipelines.hints import PageHints
from pipelines.model import ArticleRecord
from pipelines.record import clean_article

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CleanedArticle:
    """An article page read and cleaned, as the ledger archives it."""

    record: ArticleRecord
    capture: Capture
    urls: tuple[str, ...]
    category: str | None
    validators: dict[str, str | None]
    charset: str | None = None  # declared by the server: a page held for learning is read again


# What writing one item gave: the article's status (or None) and the links to fetch (or None).
_Written = tuple[str | None, FileLinks | None]


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
        # A profile's hints: its selectors and date formats read the pages, its article routes key them.
        self.hints = PageHints.from_setting(config.hints)
        self.archive = Archive(config.db_path)
        self.archive.use_hints(config.hints)
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
                timezone=config.timezone,
                hints=self.hints,
            )
            self.archive.record_run_hints(self.ledger.run_id, config.hints)
        except BaseException:
            self.archive.close()
            raise
        self._batch: list[Item] | None = None  # the items of the open batch
        self._results: list[_Written] = []  # what writing each item of the open batch gave
        self._ledger_state: dict = {}
        self._ready: list[Done] = []  # replies of items written one by one

    @property
    def run_id(self) -> int:
        return self.ledger.run_id

    @property
    def batch_size(self) -> int:
        return len(self._batch or ())

    def handle(self, item: Item) -> Done:
        """One item in its own transaction. Never raises: a page the archive refuses (a full disk) is
        counted, and its reply says ``error``."""
        links = None
        try:
            status, links = self._write(item)
        except Exception as exc:  # e.g. a full disk: the page is counted as failed, the run goes on
            url = item.capture.url if isinstance(item, ArticlePage) else _item_url(item)
            logger.critical("could not archive %s: %r", url, exc)
            self.ledger.write_failed(str(url), exc)
            status = "error"
        return Done(status, self.ledger.counts["errors"], links)

    def add(self, item: Item) -> None:
        """Write one item into the open batch (opening one); its reply comes from :meth:`flush`."""
        if self._batch is None:
            self._ledger_state = self.ledger.snapshot()
            self.archive.begin_batch()
            self._batch = []
        self._batch.append(item)
        try:
            self._results.append(self._write(item))
        except Exception:
            self._redo_one_by_one()

    def flush(self) -> list[Done]:
        """Commit the open batch; the replies (as :meth:`handle` gives them) of every item added since the
        last flush, in order."""
        if self._batch is not None:
            try:
                self.archive.commit_batch()
            except Exception:
                self._redo_one_by_one()
            else:
                errors = self.ledger.counts["errors"]
                self._ready.extend(Done(status, errors, links) for status, links in self._results)
                self._batch, self._results = None, []
        ready, self._ready = self._ready, []
        return ready

    def _redo_one_by_one(self) -> None:
        """Nothing of the batch is written: roll it back, and the ledger with it, then write each of its
        items in its own transaction."""
        items, self._batch, self._results = self._batch or [], None, []
        self.archive.rollback_batch()
        self.ledger.restore(self._ledger_state)
        self._ready.extend(self.handle(item) for item in items)

    def _write(self, item: Item) -> _Written:
        """(status, links) of one item; raises when the archive refuses a write."""
        if isinstance(item, ArticlePage):
            return self._article(item)
        if isinstance(item, FetchOutcome):
            unchanged = self.ledger.outcome(item)
            # An unchanged page's documents can still have changed under their URLs: they are asked about too.
            if unchanged is None:
                return None, None
            attachments, images = self.archive.file_links(unchanged)
            return None, FileLinks(tuple(attachments), tuple(images))
        if isinstance(item, Attachment):
            self.ledger.attachment(item)
        elif isinstance(item, SitemapLastmods):
            self.ledger.sitemap(item.lastmods)
        elif isinstance(item, ListingPage):
            self.ledger.listing(item.category, list(item.urls), dict(item.dates))
        else:
            raise TypeError(f"not an item message: {type(item).__name__}")
        return None, None

    def _article(self, page: ArticlePage) -> _Written:
        capture = page.capture
        step = "extract"
        try:
            raw = extract_page(
                capture.body, capture.url, page.charset, learned=self.ledger.rules, hints=self.hints
            )
            step = "clean"
            listed = self.ledger.listed_date(raw, [capture.url, *page.urls])
            record = clean_article(
                raw, tz=self.timezone, listed_date=listed, date_formats=self.hints.date_formats
            )
        except Exception as exc:  # hostile HTML or a cleaner bug on one page must not lose it silently
            message = f"{type(exc).__name__}: {exc}"[:500]
            self.ledger.outcome(FetchOutcome(capture.url, f"{step}-error", capture.status, message))
            return "error", None
        links = None
        if raw.page_kind == "article":
            links = FileLinks(
                tuple(attachment_links(raw.body_html_raw, capture.url)),
                tuple(image_links(raw.body_html_raw, capture.url)),
            )
        cleaned = CleanedArticle(record, capture, page.urls, page.category, page.validators, page.charset)
        status = self.ledger.article(cleaned)
        # A page held back while the run learns a new layout is not archived yet: its files wait for the
        # next run, which finds them in the page read with the learned layout.
        return status, None if status == HELD else links

    def finish(self, requests: int, offsite: int, shutdown_reason: str | None) -> dict:
        """Close the run (sitemap lastmods, migration days, alarms, exit code) and the archive."""
        try:
            if self._batch is not None:
                raise RuntimeError("finish with a batch still open")
            return self.ledger.finish(requests=requests, offsite=offsite, shutdown_reason=shutdown_reason)
        finally:
            self.archive.close()


def _item_url(item: Item) -> str:
    """The URL an item is about, for the log and the run's failed URLs."""
    if isinstance(item, ArticlePage):
        return item.capture.url
    if isinstance(item, FetchOutcome | Attachment):
        return item.url
    return "?"  # (sitemap lastmods and listings are bookkeeping of many URLs, not one page)


class FrameReader:
    """Messages from the writer's input, and whether another is already waiting (without blocking)."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        try:
            self.fd: int | None = stream.fileno()
        except (AttributeError, OSError, ValueError):
            self.fd = None  # an in-memory stream (tests): everything is there at once
        self.decoder = FrameDecoder()
        self.frames: deque[Frame] = deque()
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

    def next(self) -> Frame | None:
        """The next message, waiting for it; None at the end of the input."""
        while not self.frames and not self.ended:
            self._fill(block=True)
        return self.frames.popleft() if self.frames else None

    def waiting(self) -> bool:
        """Is another message already here (so a batch should stay open for it)?"""
        if not self.frames:
            self._fill(block=False)
        return bool(self.frames)


# Most items in one batch (of all the runs a writer serves together): bounds what a crash can take back and
# how long an item waits for its commit.
MAX_BATCH = 50

# What a run's message means to a writer that serves that run alone (a bare conversation): its exit code,
# or None to go on. 2 is a message no crawler of this protocol sends there.
_Outcome = int | None


class _Runs:
    """The runs a writer process serves, by channel; ``None`` is the one run of a bare conversation.

    Each run has its own :class:`ArchiveWriter` (its own archive, its own SQLite connection): the runs of
    different portals share the process, never a transaction or a ledger.
    """

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.writers: dict[int | None, ArchiveWriter] = {}
        self.unflushed = 0  # items added since the last flush, all runs together

    def send(self, channel: int | None, replies: Sequence[Reply]) -> None:
        frames = [reply if channel is None else Routed(channel, reply) for reply in replies]
        if frames:
            self.out.write(b"".join(encode(frame) for frame in frames))
            self.out.flush()

    def take(self, channel: int | None, message: Message | Reply) -> _Outcome:
        if isinstance(message, OpenRun):
            return self._open(channel, message)
        writer = self.writers.get(channel)
        if writer is None:
            return 2  # an item or a finish of no open run
        if isinstance(message, FinishRun):
            return self._finish(channel, writer, message)
        if not is_item(message):
            return 2
        writer.add(message)
        self.unflushed += 1
        if self.unflushed >= MAX_BATCH:
            self.flush()
        return None

    def flush(self) -> None:
        """Commit every run's open batch and send its replies (a reply means the item is on disk)."""
        for channel, writer in self.writers.items():
            self.send(channel, writer.flush())
        self.unflushed = 0

    def _open(self, channel: int | None, opening: OpenRun) -> _Outcome:
        if channel in self.writers:
            return 2  # a second open of a run already open
        mismatch = version_mismatch(opening)
        if mismatch:
            self.send(channel, [Error(mismatch)])
            return 1
        try:
            writer = ArchiveWriter(opening.config)
        except Exception as exc:
            self.send(channel, [Error(f"cannot open the archive: {type(exc).__name__}: {exc}")])
            return 1
        self.writers[channel] = writer
        self.send(channel, [Opened(writer.run_id)])
        return None

    def _finish(self, channel: int | None, writer: ArchiveWriter, message: FinishRun) -> _Outcome:
        self.send(channel, writer.flush())  # (none are left: the crawler finishes after every reply)
        del self.writers[channel]
        try:
            summary = writer.finish(message.requests, message.offsite, message.shutdown_reason)
        except Exception as exc:
            self.send(channel, [Error(f"cannot finish the run: {type(exc).__name__}: {exc}")])
            return 1
        self.send(channel, [RunSummary(summary)])
        return 0


def serve(inp: BinaryIO, out: BinaryIO) -> int:
    """The writer's loop: one reply per message, each run from its open to its summary.

    Spoken to without envelopes, the writer serves one run and returns with it (0, or 1 when the run could
    not be opened or finished). With :class:`~archive.protocol.Routed` envelopes it serves any number of
    runs, each on its channel, and returns 0 when its input ends with none of them open. Input that ends
    mid-run means the crawler is gone: the writer stops at once, as if killed with it (its locks are stale).

    Items that arrive while others wait are written in batches, one commit per run's archive, committed
    when no more is waiting (or at MAX_BATCH items); the replies go out after the commit.
    """
    reader = FrameReader(inp)
    runs = _Runs(out)
    while True:
        frame = reader.next()
        if frame is None:
            if runs.writers:
                os._exit(0)
            return 0
        channel, message = (frame.channel, frame.message) if isinstance(frame, Routed) else (None, frame)
        outcome = runs.take(channel, message)
        # A bare run's end is the writer's; a routed run's is its own, but a message out of place in any
        # run ends the writer (the crawler then sees every run of this writer end).
        if outcome is not None and (channel is None or outcome == 2):
            return outcome
        if not reader.waiting():
            runs.flush()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    die_with_parent(int(argv[0]))  # (again: done already when started by archive.writer_start)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    inp, out = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must never land in the reply frames
    logging.basicConfig(level=logging.CRITICAL, format="%(message)s")
    return serve(inp, out)


if __name__ == "__main__":
    sys.exit(main())
