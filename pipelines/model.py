"""The records that flow from a fetched page to the archive: raw fields first, clean twins after.

Plain dataclasses, so the extractor, the cleaners and the archive share them without Scrapy.
See docs/record-conventions.md for what each clean field holds.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

# Which extraction layer gave a field: the portal's own markup, page metadata, or the generic extractor.
LAYER_PORTAL = "portal"
LAYER_METADATA = "metadata"
LAYER_GENERIC = "generic"
# A layout learned after a redesign from the archive's own articles (pipelines/learned_layout.py).
LAYER_LEARNED = "learned"
# Read with a selector of the portal's profile (``[hints.selectors]``, pipelines/hints.py): the user's own
# reading of a theme the portal layer cannot read, trusted as the portal layer is (archive/runs.py).
LAYER_PROFILE = "profile"


@dataclass
class RawArticle:
    """What a page says, as it says it: the spider's (and the extractor's) output, never cleaned."""

    url: str
    locale: str = "vi"
    asset_id: str | None = None
    canonical: str | None = None
    alternates: dict[str, str] = field(default_factory=dict)
    title_raw: str | None = None
    published_raw: str | None = None
    body_html_raw: str | None = None
    description: str | None = None
    image_raw: str | None = None
    group_id: str | None = None
    # Where the page says the article is filed, as printed: the breadcrumb's items and the portal's asset
    # category links, each ``{"text": …, "url": …}`` (url None for an item that links nowhere).
    breadcrumb: list[dict] = field(default_factory=list)
    category_links: list[dict] = field(default_factory=list)
    page_kind: str = "article"  # article, login, maintenance, error, not-article, malformed
    layers: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


# The fields that make an article's content; a change to any of them is a new version. Volatile page
# parts (view counter, related list, share links, tokens, cache-busting queries) are not among them.
CONTENT_FIELDS = (
    "title",
    "body_text",
    "authors",
    "source",
    "photo_credits",
    "published_at",
    "event_date",
    "images",
    "attachments",
    "links",
)
# Content fields added after archives existed. Each enters the content hash only when it holds something,
# so every version archived before it keeps its hash (``hepza check`` recomputes them) and an article
# without one is not re-versioned by an upgrade; a field that is filled shows a change, once, as
# ``extraction`` (the page itself did not change).
LATER_CONTENT_FIELDS = frozenset({"links"})


@dataclass
class ArticleRecord:
    """The clean record of one article page: raw fields kept beside their clean twins."""

    url: str
    locale: str
    asset_id: str | None
    canonical: str | None
    lang: str
    title_raw: str | None
    title: str | None
    published_raw: str | None
    published_at: str | None
    byline_raw: str | None
    authors: list[str]
    roles: list[str]
    source: str | None
    photo_credits: list[str]
    body_text: str
    body_html: str
    images: list[dict]
    attachments: list[dict]
    links: list[dict]
    event_date: str | None
    event_precision: str | None
    event_sentence: str | None
    published_is_migration: bool
    document_refs: list[dict]
    alternates: dict[str, str]
    layers: dict[str, str]
    warnings: list[str]
    page_kind: str = "article"
    source_hash: str = ""
    # Where the article is filed (not content: a change is never a version; docs/record-conventions.md).
    # ``category_raw`` is the breadcrumb as printed; ``categories`` the category keys the page names.
    category_raw: list[dict] = field(default_factory=list)
    category: str | None = None
    categories: list[str] = field(default_factory=list)

    def content(self) -> dict:
        """The content fields only: what the content hash and the version history are made of."""
        return {name: getattr(self, name) for name in CONTENT_FIELDS}

    def to_dict(self) -> dict:
        return asdict(self)
