"""What the spider yields: an article page as fetched (its capture), or a failed fetch."""

from __future__ import annotations

from dataclasses import dataclass, field

from archive.captures import Capture


@dataclass
class ArticleItem:
    """A fetched article page. Its raw fields are read from the capture by ``pipelines.extract`` in the
    archive writer (off the crawler's reactor), which returns the page's attachment links to the spider."""

    capture: Capture
    urls: list[str] = field(default_factory=list)  # every URL that led here (request, redirects)
    category: str | None = None
    validators: dict = field(default_factory=dict)  # ETag / Last-Modified for the next conditional request
    charset: str | None = None  # declared in the Content-Type header


@dataclass
class FetchOutcomeItem:
    """A fetch that gave no article content: not modified (304), gone (404/410) or an error."""

    url: str
    kind: str  # not-modified, gone, http-error, network, not-article, login, maintenance, offsite, ...
    status: int | None = None
    message: str = ""
    article_id: int | None = None
    capture: Capture | None = None  # a 304's answer as received (its head), for the WARC export


@dataclass
class AttachmentItem:
    """A fetched attachment of an article: its bytes (status 200), or a re-check's 304 (no body)."""

    url: str
    article_url: str
    body: bytes
    content_type: str | None = None
    status: int = 200
    etag: str | None = None
    last_modified: str | None = None


@dataclass
class ListingItem:
    """The article URLs one category list page links to, and that category's key: an article keeps
    every category it is listed in, however it was reached first."""

    category: str
    urls: list[str] = field(default_factory=list)
    dates: dict[str, str] = field(default_factory=dict)  # URL -> the date line its card prints


@dataclass
class SitemapItem:
    """The article URLs of one sitemap url set with their ``<lastmod>`` (the portal's modification time)."""

    lastmods: dict[str, str] = field(default_factory=dict)
