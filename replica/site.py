"""The replica's state: articles, indexes, a deterministic clock, and the mutations tests play on it."""

from __future__ import annotations

import random
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from html import escape
from typing import Any, TypeVar
from urllib.parse import unquote, urlsplit

from . import corpus, generator
from .chrome import FULL, check_mode
from .model import BATCH_GAP_MINUTES, BATCH_MIN, MIGRATION_DAYS, SAME_MINUTE_MIN, SITE_TZ, Article, Block
from .portal import CATEGORIES
from .slugs import slug_key, slugify, unique_slug

# The site clock starts here, after every corpus date and independent of today's date.
CLOCK_START = datetime(2026, 2, 10, 2, 0, tzinfo=UTC)
DOCUMENTS_UPLOADED = datetime(2023, 3, 8, 4, 0, tzinfo=UTC)  # the documents' Last-Modified until replaced
CLOCK_STEP = timedelta(minutes=7)
_CACHE_SIZE = 4096
_Cached = TypeVar("_Cached")


class Site:
    """A deterministic HEPZA portal.

    `articles=None` gives the hand-written corpus; a larger number adds generated articles up to that total.
    `chrome="full"` serves pages as heavy as real Liferay 7.4 ones (~75 KB an article, replica/chrome.py);
    `chrome="light"` the replica's original light markup (~16 KB), for comparison. Content, ETags and the
    links a crawler follows are the same in both. `portal` names another portal of the replica
    (replica/portals.py: its own corpus, routes and templates, the same mutations).
    """

    categories: dict[str, Any] = CATEGORIES  # the portal's news categories, by key

    def __new__(cls, *args: Any, portal: str = "hepza", **kwargs: Any) -> Site:
        # Another portal of the replica is the same state under its own data files (replica/portals.py).
        if cls is Site and portal != "hepza":
            from .portals import PortalSite

            return super().__new__(PortalSite)
        return super().__new__(cls)

    def __init__(
        self, articles: int | None = None, seed: int = 0, chrome: str = FULL, portal: str = "hepza"
    ) -> None:
        self.portal = portal
        self.seed = seed
        self.chrome = check_mode(chrome)
        self.clock = CLOCK_START
        self.conditional_requests = True
        # "liferay" is the portal's display-page markup; "redesigned" is a new theme without it, for the
        # layout-change alarm (a redesign is the commonest way scrapers silently die).
        self.layout = "liferay"
        # Themes given as template text (``redesign(layout, template=…)``), by layout name; and the
        # current theme's templates of their own for some categories' articles (``by_category``).
        self.layout_templates: dict[str, str] = {}
        self.category_templates: dict[str, str] = {}
        # A route of no Liferay form (``/tin-bai/{slug}.html``) the lists link articles under, which the
        # portal answers with the article's page (canonical /w/<slug>): what only a profile's article
        # routes make a crawl follow. None: the lists link Liferay's routes.
        self.list_route: str | None = None
        self.request_count = 0
        self._lock = threading.RLock()
        self._rng = random.Random(f"site:{seed}")
        items = self._initial_articles(articles, seed)
        self._articles: list[Article] = []
        self._by_id: dict[str, Article] = {}
        self._by_key: dict[str, Article] = {}
        self._old_keys: dict[str, Article] = {}
        self._suffix_hint: dict[str, int] = {}
        # Liferay gives slugs in creation order, so the older of two same-titled articles keeps the bare slug.
        for a in sorted(items, key=lambda x: (x.date, int(x.asset_id))):
            self._add(a)
        self._views: dict[str, int] = {}
        self._page_cache: OrderedDict[tuple, Any] = OrderedDict()
        self._live_cache: list[Article] | None = None
        self._cat_cache: dict[str, list[Article]] = {}
        self.generation = 0  # bumps on every mutation; keys list and sitemap caches
        # Documents replaced since the start: path (unquoted) -> (revision, when it was uploaded).
        self._documents: dict[str, tuple[int, datetime]] = {}
        # How article pages print where the article is filed: "7.4" (a breadcrumb nav, main category
        # only) or "6.2" (a `ul.breadcrumbs` trail and an asset-categories summary naming every category).
        self.breadcrumbs = "7.4"
        self._file_some_in_two_categories()
        self._flag_batches()

    def _initial_articles(self, articles: int | None, seed: int) -> list[Article]:
        items = corpus.build()
        if articles is not None and articles > len(items):
            items += generator.generate(articles - len(items), seed=seed, first_id=generator.FIRST_ID)
        return items

    def _new_article(self, asset_id: str, when: datetime, modified: datetime) -> Article:
        return generator.make_article(self._rng, asset_id=asset_id, when=when, modified=modified)

    def _slugify(self, title: str) -> str:
        return slugify(title)

    def _unique_slug(self, title: str, start: int = 1) -> str:
        return unique_slug(title, _EncodedKeys(self._by_key, self._old_keys), start=start)

    def _file_some_in_two_categories(self) -> None:
        """Every ninth article (by asset id) also sits in the next category's list, as an editor files an
        article under two categories: its breadcrumb still names only the main one."""
        keys = list(self.categories)
        for i, a in enumerate(sorted(self._articles, key=lambda x: int(x.asset_id))):
            if i % 9 == 4:
                a.also_in = (keys[(keys.index(a.category) + 1) % len(keys)],)

    # --- reading ---------------------------------------------------------------------------------------

    @property
    def articles(self) -> list[Article]:
        """Every article object, removed ones included (their `.removed` is True)."""
        return list(self._articles)

    def live(self) -> list[Article]:
        """Live articles, newest first (date line, then asset id)."""
        with self._lock:
            if self._live_cache is None:
                self._live_cache = sorted(
                    (a for a in self._articles if not a.removed),
                    key=lambda a: (a.date, int(a.asset_id)),
                    reverse=True,
                )
            return self._live_cache

    def in_category(self, key: str) -> list[Article]:
        with self._lock:
            if key not in self._cat_cache:
                self._cat_cache[key] = [a for a in self.live() if a.category == key or key in a.also_in]
            return self._cat_cache[key]

    def article(self, asset_id: str) -> Article:
        return self._by_id[str(asset_id)]

    def find(self, raw_slug: str) -> tuple[Article | None, bool]:
        """(article, is_current) for a slug as it came in a request (percent-encoded or not)."""
        key = slug_key(raw_slug)
        a = self._by_key.get(key)
        if a is not None:
            return a, True
        return self._old_keys.get(key), False

    def gold(self) -> list[dict]:
        return [a.gold() for a in self.live()]

    def gold_for(self, asset_id: str) -> dict:
        return self.article(asset_id).gold()

    def shown_asset_id(self, asset_id: str) -> str:
        """The asset id the article's page prints (what an archive can know it by): the article's own."""
        return asset_id

    def expected_body(self, asset_id: str) -> str:
        """The full body_text a perfect extractor returns (not part of the gold record; for tests)."""
        return self.article(asset_id).body_text()

    # --- mutations -------------------------------------------------------------------------------------

    def edit(
        self,
        asset_id: str,
        *,
        title: str | None = None,
        add_paragraph: str | None = None,
        byline: str | None = None,
        date_line: datetime | None = None,
        replace: tuple[str, str] | None = None,
    ) -> Article:
        """Change an article in place (slug kept). `byline=""` removes the byline."""
        with self._lock:
            a = self.article(asset_id)
            if replace is not None:
                old, new = replace
                hits = [b for b in a.blocks if b.kind == "p" and old in b.html]
                if not hits:
                    raise ValueError(f"{old!r} not found in the body of {asset_id}")
                for b in hits:
                    b.html, b.text = b.html.replace(old, new), None
            if title is not None:
                a.title = title
            if add_paragraph is not None:
                a.blocks.append(Block("p", f"<p>{escape(add_paragraph, quote=False)}</p>"))
            if byline is not None:
                a.byline_html = (
                    f'<p style="text-align:right"><strong>{escape(byline, quote=False)}</strong></p>'
                    if byline
                    else None
                )
            if date_line is not None:
                if date_line.tzinfo is None:
                    raise ValueError("date_line must be timezone-aware")
                a.date = date_line
                a.migrated = date_line.astimezone(SITE_TZ).date() in MIGRATION_DAYS
            self._changed(a)
            return a

    def replace_document(self, url: str) -> int:
        """Upload a new version of a document (an attachment or an image) under the same URL; returns its
        revision. As in Liferay, the articles that link it do not change: their links, ``?t=`` included,
        stay as written, and only fetching the document again shows the new content."""
        path = unquote(urlsplit(url).path)
        with self._lock:
            revision = self._documents.get(path, (0, DOCUMENTS_UPLOADED))[0] + 1
            self._documents[path] = (revision, self._tick())
            return revision

    def document_version(self, path: str) -> tuple[int, datetime]:
        """(revision, upload time) of the document at ``path`` (unquoted); revision 0 is the original."""
        with self._lock:
            return self._documents.get(path, (0, DOCUMENTS_UPLOADED))

    def redesign(
        self,
        layout: str = "redesigned",
        template: str | None = None,
        by_category: dict[str, str] | None = None,
    ) -> None:
        """Switch every article page to another theme (``liferay`` switches back). Content is unchanged.

        ``template``: the article's markup in the new theme, as template text (placeholders as in
        replica/templates/article-redesigned.html, and ``body_blocks``, ``byline`` and ``date_long`` to
        print the byline apart and the date in words, ``lead`` and ``blocks_after_lead`` to print the lead
        paragraph apart): a theme the replica does not ship. ``by_category``: template text for the
        articles of some categories, which the theme prints with a display page template of their own (as
        Liferay lets a category or structure have); the same article content, another markup."""
        unknown = sorted(set(by_category or {}) - set(self.categories))
        if unknown:
            raise ValueError(f"no category {unknown}")
        with self._lock:
            if template is not None:
                self.layout_templates[layout] = template
            self.layout = layout
            self.category_templates = dict(by_category or {}) if layout != "liferay" else {}
            self._page_cache.clear()

    def article_template(self, a: Article) -> str | None:
        """The template text the current theme prints article ``a`` with; None for a shipped template."""
        if self.layout == "liferay":
            return None
        return self.category_templates.get(a.category) or self.layout_templates.get(self.layout)

    def file_in(self, asset_id: str, category: str) -> Article:
        """File an article under one more category (its list shows it; its content does not change)."""
        if category not in self.categories:
            raise ValueError(f"no category {category!r}")
        with self._lock:
            a = self.article(asset_id)
            if category != a.category and category not in a.also_in:
                a.also_in = (*a.also_in, category)
            self._changed(a)
            return a

    def print_breadcrumbs(self, style: str) -> None:
        """Switch how article pages print their categories: "7.4" or "6.2" (see ``breadcrumbs``)."""
        if style not in ("7.4", "6.2"):
            raise ValueError(f"unknown breadcrumb style {style!r}")
        with self._lock:
            self.breadcrumbs = style
            self._page_cache.clear()

    def remove(self, asset_id: str) -> None:
        with self._lock:
            a = self.article(asset_id)
            a.removed = True
            self._changed(a)

    def restore(self, asset_id: str) -> None:
        with self._lock:
            a = self.article(asset_id)
            a.removed = False
            self._changed(a)

    def rename(self, asset_id: str, new_title: str) -> str:
        """New title and a new slug; the old slug keeps answering with a 301."""
        with self._lock:
            a = self.article(asset_id)
            new_slug = self._unique_slug(new_title)
            old_key = slug_key(a.slug)
            del self._by_key[old_key]
            self._old_keys[old_key] = a
            a.old_slugs.append(a.slug)
            a.slug, a.title = new_slug, new_title
            self._by_key[slug_key(new_slug)] = a
            self._changed(a)
            return new_slug

    def add_new(self, n: int = 1) -> list[str]:
        """Publish n new articles, dated after everything else, at the top of their lists."""
        ids = []
        with self._lock:
            newest = max((a.date for a in self._articles), default=self.clock)
            next_id = max(int(a.asset_id) for a in self._articles) + 100
            for _ in range(n):
                self._tick()
                when = max(self.clock, newest + timedelta(minutes=1))
                newest = when
                a = self._new_article(str(next_id), when, self.clock)
                next_id += 100
                self._add(a)
                ids.append(a.asset_id)
            self._invalidate()
        return ids

    # --- volatile parts ---------------------------------------------------------------------------------

    def next_view_count(self, a: Article) -> int:
        with self._lock:
            n = self._views.get(a.asset_id, 37 + int(a.asset_id) % 900) + 1
            self._views[a.asset_id] = n
            return n

    def related(self, a: Article, request_no: int) -> list[Article]:
        """Three newest of the category plus two that rotate with every request: never a fixed block."""
        pool = [x for x in self.in_category(a.category)[:24] if x is not a]
        if not pool:
            return []
        head = pool[:3]
        rest = pool[3:] or pool
        k = request_no % len(rest)
        return head + [rest[k], rest[(k + 1) % len(rest)]][: max(0, min(2, len(rest)))]

    def cached_page(self, key: tuple, build: Callable[[], _Cached]) -> _Cached:
        """What ``build`` makes, kept under ``key`` (a page's segments, a sitemap) while recently used."""
        with self._lock:
            seg = self._page_cache.get(key)
            if seg is not None:
                self._page_cache.move_to_end(key)
                return seg
        seg = build()
        with self._lock:
            self._page_cache[key] = seg
            if len(self._page_cache) > _CACHE_SIZE:
                self._page_cache.popitem(last=False)
        return seg

    # --- internals -------------------------------------------------------------------------------------

    def _add(self, a: Article) -> None:
        if not a.slug:
            # Remember the last suffix per title so thousands of generated look-alikes stay linear.
            start = self._suffix_hint.get(a.title, 1)
            a.slug = self._unique_slug(a.title, start=start)
            tail = a.slug.rsplit("-", 1)[-1]
            bare = a.slug == self._slugify(a.title)
            self._suffix_hint[a.title] = int(tail) + 1 if tail.isdigit() and not bare else 1
        self._articles.append(a)
        self._by_id[a.asset_id] = a
        self._by_key[slug_key(a.slug)] = a

    def _tick(self) -> datetime:
        self.clock += CLOCK_STEP
        return self.clock

    def _changed(self, a: Article) -> None:
        a.touch(self._tick())
        self._invalidate()

    def _invalidate(self) -> None:
        self._live_cache = None
        self._cat_cache = {}
        self.generation += 1
        self._flag_batches()

    def _flag_batches(self) -> None:
        """Gold `migrated` includes the archive's pass: a date line in a migration batch (BATCH_MIN articles
        at most BATCH_GAP_MINUTES apart on one day, or SAME_MINUTE_MIN on one minute) is a migration time.
        Every article counts, removed ones too (docs/record-conventions.md, "Event date")."""
        minute = {a.asset_id: a.date_local.replace(second=0, microsecond=0) for a in self._articles}
        per_minute = Counter(minute.values())
        batch: set[str] = set()
        ordered = sorted(self._articles, key=lambda a: minute[a.asset_id])
        start = 0
        for i in range(1, len(ordered) + 1):
            prev = minute[ordered[i - 1].asset_id]
            cur = minute[ordered[i].asset_id] if i < len(ordered) else None
            if cur is None or cur.date() != prev.date() or cur - prev > timedelta(minutes=BATCH_GAP_MINUTES):
                if i - start >= BATCH_MIN:
                    batch.update(a.asset_id for a in ordered[start:i])
                start = i
        for a in self._articles:
            in_batch = a.asset_id in batch or per_minute[minute[a.asset_id]] >= SAME_MINUTE_MIN
            if in_batch != a.in_batch:
                a.in_batch = in_batch
                a._gold = None


class _EncodedKeys:
    """`in` test of an encoded slug against the decoded keys of current and old slugs."""

    def __init__(self, *maps: dict[str, Article]) -> None:
        self.maps = maps

    def __contains__(self, slug: object) -> bool:
        key = slug_key(slug) if isinstance(slug, str) else None
        return any(key in m for m in self.maps)


assert set(CATEGORIES)
