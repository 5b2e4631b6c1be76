"""Articles as structured data, and their gold records (docs/record-conventions.md)."""

from __future__ import annotations

import calendar
import hashlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone

from .text import block_text, caption_credit, clean_line, parse_byline, sentences

# The portal prints dates in its default time zone; Vietnam has no daylight saving, so a fixed offset is exact.
SITE_TZ = timezone(timedelta(hours=7))
GROUP_ID = "20126"

# Days on which old content was migrated into the current portal: date lines on these days are not
# publication dates.
MIGRATION_DAYS = frozenset({date(2023, 3, 8), date(2023, 5, 10)})

# What a record says about its date line (docs/record-conventions.md, "Event date"): the date line is
# probably a migration time when it is more than MIGRATION_GAP_DAYS after the end of the event's period,
# or when it stands in a migration batch (the archive's pass): at least BATCH_MIN articles of one day, each
# at most BATCH_GAP_MINUTES after the previous one, or at least SAME_MINUTE_MIN sharing one minute. Removed
# articles count: a batch stays a batch when some of its articles are taken down.
MIGRATION_GAP_DAYS = 180
BATCH_MIN = 8
BATCH_GAP_MINUTES = 10
SAME_MINUTE_MIN = 3
EVENT_PRECISIONS = ("day", "month", "quarter", "year")


def period_end(start: date, precision: str) -> date:
    """Last day of the period that starts on `start` with this precision (day, month, quarter, year)."""
    if precision == "day":
        return start
    last_month = {"month": start.month, "quarter": start.month + 2, "year": 12}[precision]
    return date(start.year, last_month, calendar.monthrange(start.year, last_month)[1])


@dataclass
class Block:
    """One element of the rich-text body.

    kind: "p" (body text: paragraph, list or table), "img" (figure or picture + caption paragraph; not body
    text), "attach" (a paragraph of document links; not body text). `text` may be given by the generator to
    skip parsing; otherwise it is derived from `html`.
    """

    kind: str
    html: str
    text: str | None = None

    def body_text(self) -> str:
        if self.text is None:
            self.text = block_text(self.html)
        return self.text


@dataclass
class Article:
    asset_id: str
    slug: str
    category: str
    title: str  # as typed (may be NFD); gold title is NFC
    date: datetime  # the instant the date line shows (aware)
    modified: datetime  # UTC
    blocks: list[Block]
    byline_html: str | None = None  # the last paragraph, as printed
    # The date the article reports (the first day of its period) and the period's size, written by hand in
    # the corpus and by the generator from its template.
    event_date: str | None = None
    event_precision: str | None = None
    # Ground truth: the date line is a migration day (not what the record says: see `record_migrated`).
    migrated: bool = False
    # Set by the Site: the article's date line stands in a migration batch (BATCH_MIN, SAME_MINUTE_MIN).
    in_batch: bool = False
    removed: bool = False
    old_slugs: list[str] = field(default_factory=list)
    # Other category lists the article also sits in (its breadcrumb names only `category`, its main one).
    also_in: tuple[str, ...] = ()
    version: int = 1
    image: str | None = None  # og:image path
    _gold: dict | None = field(default=None, repr=False, compare=False)

    # Every mutation goes through touch() so caches keyed on `version` are invalidated.
    def touch(self, when: datetime) -> None:
        self.modified = when.astimezone(UTC)
        self.version += 1
        self._gold = None

    def record_migrated(self) -> bool:
        """What the record says (gold `migrated`): the portal date is far later than the end of the event's
        period, or the date line stands in a migration batch. Independent of `migrated` (the truth),
        so tests can check that the rules find every migrated article."""
        if self.in_batch:
            return True
        if self.event_date is None:
            return False
        end = period_end(date.fromisoformat(self.event_date), self.event_precision or "day")
        return (self.date_local.date() - end).days > MIGRATION_GAP_DAYS

    @property
    def url(self) -> str:
        return f"/w/{self.slug}"

    @property
    def date_local(self) -> datetime:
        return self.date.astimezone(SITE_TZ)

    def body_text(self) -> str:
        return "\n\n".join(t for t in (b.body_text() for b in self.blocks if b.kind == "p") if t)

    def byline_raw(self) -> str | None:
        if self.byline_html is None:
            return None
        return block_text(self.byline_html) or None

    def content_hash(self) -> str:
        h = hashlib.sha1(usedforsecurity=False)
        for part in (self.asset_id, self.slug, self.title, self.date.isoformat(), self.byline_html or ""):
            h.update(part.encode("utf-8", "surrogatepass") + b"\0")
        for b in self.blocks:
            h.update(b.html.encode("utf-8", "surrogatepass") + b"\0")
        return h.hexdigest()[:16]

    def summary(self, limit: int = 220) -> str:
        first = next((b.body_text() for b in self.blocks if b.kind == "p"), "")
        first = first.replace("\n", " ")
        return first if len(first) <= limit else first[: first.rfind(" ", 0, limit)] + "…"

    def gold(self) -> dict:
        if self._gold is None:
            self._gold = self._make_gold()
        return dict(self._gold)

    def _make_gold(self) -> dict:
        authors: list[str] = []
        source = None
        credits: list[str] = []
        for b in self.blocks:
            if b.kind == "img":
                c = caption_credit(b.html)
                if c and c not in credits:
                    credits.append(c)
        raw = self.byline_raw()
        if raw:
            authors, source, by_credits = parse_byline(raw)
            credits += [c for c in by_credits if c not in credits]
        sents = sentences(self.body_text())
        return {
            "asset_id": self.asset_id,
            "url": self.url,
            "lang": "vi",
            "title": clean_line(self.title),
            "published_at": self.date_local.replace(second=0, microsecond=0).isoformat(),
            "authors": authors,
            "source": source,
            "photo_credits": credits,
            "body_first": sents[0] if sents else "",
            "body_last": sents[-1] if sents else "",
            "event_date": self.event_date,
            "event_precision": (self.event_precision or "day") if self.event_date else None,
            "migrated": self.record_migrated(),
            "category": self.category,
            "categories": sorted({self.category, *self.also_in}),
        }
