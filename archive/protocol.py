"""The protocol between the crawler and the archive writer: its messages, its replies and their frames.

Both ends use this module: the crawler (``scraper/archive_writer.py``, ``scraper/pipelines.py``) builds
messages and reads replies; the writer (``archive/writer.py``) dispatches on the message's type and answers
with a reply. A run is one conversation:

- :class:`OpenRun` → :class:`Opened` (or :class:`Error`, also when the two ends speak different versions);
- each item (:class:`ArticlePage`, :class:`FetchOutcome`, :class:`Attachment`, :class:`SitemapLastmods`,
  :class:`ListingPage`) → :class:`Done`;
- :class:`FinishRun` → :class:`RunSummary` (or :class:`Error`).

One writer process serves several runs at once (``hepza crawl --all``: a few writers for many portals, each
run with its own archive): every message and reply of such a run travels in a :class:`Routed` envelope
naming the run's channel, a number the crawler chose when it opened the run. Each run's conversation is the
one above, its replies in order; the replies of different runs interleave as the writer commits them. A
writer spoken to without envelopes serves one run and ends with it.

A frame is a 4-byte big-endian length and a pickle of one message or reply. Pickle is safe here: both ends
are this package, and nothing else ever writes to the writer's pipes. Bump :data:`PROTOCOL_VERSION` when a
message or a reply changes shape, so that a writer started from other code refuses the run in one line
instead of misreading it.
"""

from __future__ import annotations

import pickle
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO, TypeGuard, cast

from archive.captures import Capture
from archive.config import SETTINGS

PROTOCOL_VERSION = 4  # 3: WriterConfig.hints; 4: Routed (several runs a writer)

_HEADER = struct.Struct(">I")


def _default(name: str) -> Any:
    return SETTINGS[name].default


class ProtocolError(ValueError):
    """A frame that holds no message or reply of this protocol."""


@dataclass(frozen=True)
class WriterConfig:
    """What the writer needs to open the archive and keep the run's ledger (defaults: the settings')."""

    db_path: str
    site_url: str
    mode: str = "incremental"
    timezone: str = _default("timezone")
    missing_share: float = _default("alarm_missing_share")
    min_pages: int = _default("alarm_min_pages")
    migration_batch_min: int = _default("migration_batch_min_articles")
    migration_batch_gap: int = _default("migration_batch_gap_minutes")
    migration_same_minute_min: int = _default("migration_same_minute_min")
    removal_floor_share: float = _default("removal_floor_share")
    removal_floor_min: int = _default("removal_floor_min")
    removal_min_age: str = _default("removal_min_age")
    diff_max_tokens: int = _default("diff_max_tokens")
    # A profile's hints as plain data (the Scrapy setting HEPZA_HINTS, archive/profiles.py Hints.as_setting):
    # the writer reads article pages with their selectors, date formats and article routes.
    hints: dict[str, Any] = field(default_factory=dict)


# --- messages: crawler → writer ----------------------------------------------------------------------


@dataclass(frozen=True)
class OpenRun:
    """Open the archive and start a run; ``version`` is the crawler's :data:`PROTOCOL_VERSION`."""

    config: WriterConfig
    version: int = PROTOCOL_VERSION


@dataclass(frozen=True)
class ArticlePage:
    """A fetched article page: the writer reads, cleans and archives it."""

    capture: Capture
    urls: tuple[str, ...] = ()  # every URL that led here (request, redirects)
    category: str | None = None
    validators: dict[str, str | None] = field(default_factory=dict)  # etag, last_modified, sitemap_lastmod
    charset: str | None = None  # declared in the Content-Type header


@dataclass(frozen=True)
class FetchOutcome:
    """A fetch that gave no article content: not modified (304), gone (404/410) or an error."""

    url: str
    kind: str  # not-modified, gone, http-error, not-article, login, maintenance, offsite, ...
    status: int | None = None
    message: str = ""
    capture: Capture | None = None  # a 304's answer as received (its head; no body), for the WARC export


@dataclass(frozen=True)
class Attachment:
    """A fetched attachment of an article: its bytes (status 200), or a re-check's 304 (no body)."""

    url: str
    article_url: str
    body: bytes
    content_type: str | None = None
    status: int = 200
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class SitemapLastmods:
    """The article URLs of one sitemap url set with their ``<lastmod>``."""

    lastmods: dict[str, str]


@dataclass(frozen=True)
class ListingPage:
    """The article URLs one category list page links to, and that category's key; ``dates`` holds the
    date line the list prints beside each URL that has one (as printed), for an article page that gives
    the day only (``pipelines.record.clean_article``'s ``listed_date``)."""

    category: str
    urls: tuple[str, ...]
    dates: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class FinishRun:
    """Close the run (alarms, exit code) and the archive; the writer then exits."""

    requests: int
    offsite: int
    shutdown_reason: str | None


# What the crawler sends for one item; each is answered with a Done.
Item = ArticlePage | FetchOutcome | Attachment | SitemapLastmods | ListingPage
ITEMS: tuple[type, ...] = (ArticlePage, FetchOutcome, Attachment, SitemapLastmods, ListingPage)
Message = OpenRun | Item | FinishRun
MESSAGES: tuple[type, ...] = (
    OpenRun,
    ArticlePage,
    FetchOutcome,
    Attachment,
    SitemapLastmods,
    ListingPage,
    FinishRun,
)


# --- replies: writer → crawler -----------------------------------------------------------------------


@dataclass(frozen=True)
class Opened:
    """The run is open under this id."""

    run_id: int


@dataclass(frozen=True)
class FileLinks:
    """The documents and images an article links to, for the crawler to download."""

    attachments: tuple[str, ...] = ()
    images: tuple[str, ...] = ()


@dataclass(frozen=True)
class Done:
    """An item is on disk: the article's status (new, changed, unchanged, returned, error; None for other
    items), the run's error count so far, and the links to fetch: an article page's, or the archived ones of
    an article answered 304 (None otherwise)."""

    status: str | None
    errors: int
    links: FileLinks | None = None


@dataclass(frozen=True)
class RunSummary:
    """The finished run's summary (``archive.runs.run_summary``)."""

    summary: dict


@dataclass(frozen=True)
class Error:
    """The run could not be opened or finished: a one-line reason."""

    message: str


Reply = Opened | Done | RunSummary | Error
REPLIES: tuple[type, ...] = (Opened, Done, RunSummary, Error)
# The dataclasses that travel only inside a message or a reply.
PARTS: tuple[type, ...] = (WriterConfig, FileLinks)


# --- envelope: several runs on one writer -------------------------------------------------------------


@dataclass(frozen=True)
class Routed:
    """A message or a reply of one of the runs a writer serves: ``channel`` names the run (the crawler
    numbers its runs on a writer; the writer answers on the channel it was asked on)."""

    channel: int
    message: Message | Reply


ENVELOPES: tuple[type, ...] = (Routed,)


# --- frames ------------------------------------------------------------------------------------------


Frame = Message | Reply | Routed


def _is_framed(message: object) -> bool:
    """A message or reply of the protocol, bare or in its envelope (an envelope holds no envelope)."""
    if isinstance(message, Routed):
        return isinstance(message.message, MESSAGES + REPLIES)
    return isinstance(message, MESSAGES + REPLIES)


def encode(message: Frame) -> bytes:
    """One frame: the payload's length, then the pickled message or reply (or its envelope)."""
    if not _is_framed(message):
        raise ProtocolError(f"not a message of the protocol: {type(message).__name__}")
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return _HEADER.pack(len(payload)) + payload


def _decode(payload: bytes) -> Frame:
    message = pickle.loads(payload)  # noqa: S301 - frames come only from this package's other end
    if not _is_framed(message):
        raise ProtocolError(f"not a message of the protocol: {type(message).__name__}")
    return cast(Frame, message)


def is_item(message: object) -> TypeGuard[Item]:
    """Is this one of the messages a crawler sends for a crawled item?"""
    return isinstance(message, ITEMS)


class FrameDecoder:
    """Messages out of a byte stream that arrives in arbitrary pieces (the crawler's non-blocking reads)."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def feed(self, data: bytes) -> Iterator[Frame]:
        self._buffer += data
        while len(self._buffer) >= _HEADER.size:
            (size,) = _HEADER.unpack_from(self._buffer)
            end = _HEADER.size + size
            if len(self._buffer) < end:
                return
            payload = bytes(self._buffer[_HEADER.size : end])
            del self._buffer[:end]
            yield _decode(payload)


def write_frame(stream: BinaryIO, message: Frame) -> None:
    stream.write(encode(message))
    stream.flush()


def version_mismatch(opening: OpenRun) -> str | None:
    """The one-line reason to refuse a run opened by a crawler of another protocol version, else None."""
    if opening.version == PROTOCOL_VERSION:
        return None
    return (
        f"the archive writer speaks protocol version {PROTOCOL_VERSION}, the crawler {opening.version}: "
        "both must run the same hepza-archive code"
    )
