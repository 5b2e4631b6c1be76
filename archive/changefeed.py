"""One list of everything the agency did, as change events: the change desk of ``hepza serve``, its JSON,
CSV and Atom, ``hepza changes`` and the events of ``hepza history`` read it.

Plain Python over an archive's connection. Each kind comes from the table that records it:

- ``new``, ``return``, ``rename``, ``attachment``, and the confirmed ``removal``: the queue the archive's
  triggers fill as a run writes (``alert_events``, archive/alerts/ reads the same rows), so a new article
  is one published after the portal's first crawl, not the thousands that crawl archived; a removal
  confirmed before the queue existed comes from ``articles.removed_at``;
- ``edit`` (and its ``date`` and ``byline`` forms): the versions of kind ``edit`` with their
  significance (``version_significance``, archive/significance.py);
- ``removal_pending``: an article one run found missing (``articles.missing_since``), not yet confirmed.

An edit also carries the kinds of the fields it touched: one that changed the byline is a ``byline``
event, one that changed the dates a ``date`` event (``kinds`` holds them all, so ``kind=byline`` finds
it and ``kind=edit`` too). Identical edits of three articles or more in one run (a template or footer
edit that reached the bodies) are one event (:func:`archive.significance.group_changes`).

Events other than edits score by :data:`EVENT_SCORES` (an edit by its factors), so the desk can rank
everything together: docs/browsing.md lists them.

    >>> from archive.changefeed import Filters, change_events
    >>> events = change_events(conn, Filters(kinds=("removal",), min_significance=50))  # doctest: +SKIP
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from urllib.parse import unquote

from archive.datasette.display import vn_time
from archive.significance import WEIGHTS, Factor, Significance, group_changes
from pipelines.text import fold_key

# Every kind of event, in the order the desk's form lists them.
KINDS: tuple[str, ...] = (
    "new",
    "edit",
    "date",
    "byline",
    "removal_pending",
    "removal",
    "return",
    "rename",
    "attachment",
)
# What a reader calls each kind.
KIND_LABELS: dict[str, str] = {
    "new": "new article",
    "edit": "edit",
    "date": "date changed",
    "byline": "byline changed",
    "removal_pending": "removal pending",
    "removal": "removal confirmed",
    "return": "back on the portal",
    "rename": "new address",
    "attachment": "document replaced",
}
# The score of each kind that is no edit (an edit scores by its factors, archive/significance.py). A
# confirmed removal weighs what significance gives a removal; a pending one half (the next run may find
# the page back); a document replaced under its address what a removed attachment weighs; an article back
# online, a new address and a new article less than most edits.
EVENT_SCORES: dict[str, int] = {
    "removal": WEIGHTS["removed"],
    "removal_pending": WEIGHTS["removed"] // 2,
    "attachment": WEIGHTS["attachments_removed"],
    "return": 20,
    "rename": 10,
    "new": 10,
}
SORTS = ("time", "significance")
# A template edit: the same edit in this many articles of one run (as archive.library.change_groups).
TEMPLATE_ARTICLES = 3
# Dates typed without a time are days in the portals' own time zone (Vietnam, UTC+7).
PORTAL_TZ = timezone(timedelta(hours=7))
_DATE_FIELDS = ("published_at", "event_date")
_CONTENT = (
    "title, body_text, authors, source, photo_credits, published_at, event_date, images, attachments, links"
)


@dataclass(frozen=True)
class ChangeEvent:
    """One thing the agency did to one article (or, a template edit, to several).

    ``at`` is ISO 8601 with its offset (as stored: the archive's UTC); ``kind`` the event's main kind,
    ``kinds`` every kind it answers to (an edit of the byline: ``("edit", "byline")``); ``significance``
    the score (0 to 100) and ``factors`` why; ``summary`` one line for a reader. ``version`` is the
    version an edit or a new article made (the diff's target); ``articles`` the ids a template edit
    reached (one id otherwise); ``before`` and ``after`` the old and new address, file hash or removal
    time the event is about."""

    at: str
    kind: str
    kinds: tuple[str, ...]
    portal: str
    article_id: int | None
    title: str
    url: str | None
    category: str | None
    significance: int
    summary: str
    factors: tuple[Factor, ...] = ()
    version: int | None = None
    articles: tuple[int, ...] = ()
    categories: tuple[str, ...] = ()
    before: str | None = None
    after: str | None = None
    run_id: int | None = None

    @property
    def label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def template(self) -> bool:
        """Whether this is one edit that reached several articles (the portal's template or footer)."""
        return len(self.articles) > 1

    def as_dict(self) -> dict[str, Any]:
        """The event as plain data (the JSON API and ``hepza changes --json``)."""
        return {
            "at": self.at,
            "portal": self.portal,
            "kind": self.kind,
            "kinds": list(self.kinds),
            "article_id": self.article_id,
            "title": self.title,
            "url": self.url,
            "category": self.category,
            "significance": self.significance,
            "factors": [f.as_dict() for f in self.factors],
            "summary": self.summary,
            "version": self.version,
            "articles": list(self.articles),
            "before": self.before,
            "after": self.after,
            "run_id": self.run_id,
        }


class BadFilter(ValueError):
    """A filter value that means nothing (an unknown kind, a date that is no date): its message is a
    sentence for the reader."""


@dataclass(frozen=True)
class Filters:
    """Which events, in which order. Every field left empty lets every event through.

    ``since`` and ``until`` are ISO dates or times (a date alone is a whole day of Vietnam time, both
    ends included); ``words`` must all appear (with or without diacritics, as the search does) in the
    title, the summary, the factors or the address; ``kinds`` any of :data:`KINDS`; ``sort`` ``time``
    (newest first) or ``significance`` (highest first, then newest)."""

    portal: str | None = None
    category: str | None = None
    kinds: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None
    min_significance: int | None = None
    words: str | None = None
    sort: str = "time"
    article_id: int | None = None
    limit: int | None = None

    def __post_init__(self) -> None:
        unknown = [k for k in self.kinds if k not in KINDS]
        if unknown:
            raise BadFilter(f"No kind of change is called {unknown[0]!r}: the kinds are {', '.join(KINDS)}.")
        if self.sort not in SORTS:
            raise BadFilter(f"Changes sort by {' or '.join(SORTS)}, not {self.sort!r}.")
        for name in ("since", "until"):
            moment(getattr(self, name), end=name == "until")  # raises BadFilter

    @classmethod
    def from_params(cls, params: Mapping[str, Any], **more: Any) -> Filters:
        """Filters from a query string's parameters (``kind`` repeated or comma-separated, ``min``, ``q``…),
        blanks ignored; raises :class:`BadFilter`."""

        def one(name: str) -> str | None:
            value = params.get(name)
            if isinstance(value, list | tuple):
                value = value[0] if value else None
            return str(value).strip() or None if value is not None else None

        kinds: list[str] = []
        raw = params.get("kind")
        for value in raw if isinstance(raw, list | tuple) else [raw] if raw else []:
            kinds += [k.strip() for k in str(value).split(",") if k.strip()]
        minimum = one("min")
        try:
            min_significance = int(minimum) if minimum is not None else None
        except ValueError:
            raise BadFilter(f"The minimum significance is a number from 0 to 100, not {minimum!r}.") from None
        return cls(
            portal=one("portal"),
            category=one("category"),
            kinds=tuple(kinds),
            since=one("since"),
            until=one("until"),
            min_significance=min_significance,
            words=one("q"),
            sort=one("sort") or "time",
            **more,
        )

    def params(self) -> dict[str, str]:
        """The filters as query parameters (the inverse of :meth:`from_params`), empty ones left out."""
        out = {
            "portal": self.portal,
            "category": self.category,
            "kind": ",".join(self.kinds) or None,
            "since": self.since,
            "until": self.until,
            "min": None if self.min_significance is None else str(self.min_significance),
            "q": self.words,
            "sort": None if self.sort == "time" else self.sort,
        }
        return {k: v for k, v in out.items() if v}


def moment(value: str | None, *, end: bool = False) -> datetime | None:
    """An ISO date or time as an aware datetime: a time without an offset, or a date alone, is Vietnam
    time; a date alone is its first instant, or with ``end`` its last. Raises :class:`BadFilter`."""
    if not value:
        return None
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            start = datetime(day.year, day.month, day.day, tzinfo=PORTAL_TZ)
            return start + timedelta(days=1, microseconds=-1) if end else start
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise BadFilter(f"{value!r} is no date: write it 2026-05-18 or 2026-05-18T09:30+07:00.") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=PORTAL_TZ)


def _when(value: str | None) -> datetime:
    """A stored time for sorting and comparing (naive ones are the archive's UTC; none sorts first)."""
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


# --- reading the archive -----------------------------------------------------------------------------


def _rows(conn: sqlite3.Connection, sql: str, params: Iterable[Any] = ()) -> list[dict]:
    cursor = conn.execute(sql, list(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _has(conn: sqlite3.Connection, name: str) -> bool:
    # (an older archive served read-only lacks the later tables: their events are simply none)
    return bool(conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", [name]).fetchone())


def _columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}


def _shown(stamp: str | None) -> str:
    """A time in a summary as a reader reads it: Vietnam time with the zone named (the event's ``at``,
    ``before`` and ``after`` keep the stored ISO time)."""
    return vn_time(stamp, "en") if stamp else ""


def _readable(url: str | None) -> str:
    """An address as a reader reads it in a summary (``/w/tiếp-nhận``, not ``/w/ti%E1%BA%BFp``); the
    event's ``before`` and ``after`` keep it as stored."""
    return unquote(url) if url else ""


def _json_list(value: Any) -> list:
    try:
        items = json.loads(value) if value else []
    except (TypeError, ValueError):
        return []
    return items if isinstance(items, list) else []


@dataclass
class _Articles:
    """The articles the events name, read once: title, address, category and categories."""

    conn: sqlite3.Connection
    cache: dict[int, dict] = field(default_factory=dict)

    def load_all(self) -> None:
        """Every article at once (the whole feed names most of them: one query, not one each)."""
        self.cache.update(
            (row["id"], row) for row in _rows(self.conn, f"SELECT {self._COLUMNS} FROM articles")
        )

    _COLUMNS = "id, title, url, category, categories, published_at"

    def get(self, article_id: int | None) -> dict:
        if article_id is None:
            return {}
        if article_id not in self.cache:
            found = _rows(self.conn, f"SELECT {self._COLUMNS} FROM articles WHERE id = ?", [article_id])
            self.cache[article_id] = found[0] if found else {}
        return self.cache[article_id]


def _event(
    articles: _Articles, portal: str, article_id: int | None, kind: str, at: str, summary: str, **more: Any
) -> ChangeEvent:
    article = articles.get(article_id)
    categories = {str(c) for c in _json_list(article.get("categories"))}
    if article.get("category"):
        categories.add(str(article["category"]))
    score = more.pop("significance", EVENT_SCORES.get(kind, 0))
    return ChangeEvent(
        at=str(at or ""),
        kind=kind,
        kinds=more.pop("kinds", (kind,)),
        portal=portal,
        article_id=article_id,
        title=more.pop("title", None) or article.get("title") or "",
        url=more.pop("url", None) or article.get("url"),
        category=article.get("category"),
        categories=tuple(sorted(categories)),
        significance=score,
        summary=summary,
        articles=(article_id,) if article_id is not None else (),
        **more,
    )


def _queued(conn: sqlite3.Connection, articles: _Articles, portal: str, article_id: int | None) -> list:
    """New articles, confirmed removals, returns, new addresses and replaced documents, from the queue."""
    if not _has(conn, "alert_events"):
        return []
    where, params = ("WHERE e.article_id = ?", [article_id]) if article_id is not None else ("", [])
    files = _has(conn, "attachment_files")
    sql = (
        "SELECT e.*, "
        + ("f.url AS file_url, f.size AS file_size, " if files else "NULL AS file_url, NULL AS file_size, ")
        + (
            "(SELECT p.size FROM attachment_files p WHERE p.url = f.url AND p.id < f.id "
            "ORDER BY p.id DESC LIMIT 1) AS previous_size "
            if files
            else "NULL AS previous_size "
        )
        + "FROM alert_events e "
        + ("LEFT JOIN attachment_files f ON f.id = e.file_id " if files else "")
        + f"{where} ORDER BY e.id"
    )
    events = []
    for row in _rows(conn, sql, params):
        kind, at, aid = row["kind"], row["at"], row["article_id"]
        extra = {"run_id": row["run_id"], "before": row["before"], "after": row["after"]}
        if kind == "new":
            published = articles.get(aid).get("published_at")
            summary = "New article" + (f", dated {_shown(published)}" if published else "")
            events.append(_event(articles, portal, aid, "new", at, summary, version=row["version"], **extra))
        elif kind == "removal":
            summary = f"Removed from the portal: first answered 404 at {_shown(row['before'])}" + (
                f", confirmed by run {row['run_id']}" if row["run_id"] else ""
            )
            events.append(_event(articles, portal, aid, "removal", at, summary, **extra))
        elif kind == "return":
            summary = f"Back on the portal after its removal at {_shown(row['before'])}"
            events.append(_event(articles, portal, aid, "return", at, summary, **extra))
        elif kind == "rename":
            summary = f"New address: {_readable(row['before'])} → {_readable(row['after'])}"
            events.append(_event(articles, portal, aid, "rename", at, summary, **extra))
        elif kind == "attachment":
            name = _readable(row["file_url"]) or "a document"
            sizes = (
                f" ({row['previous_size']} → {row['file_size']} bytes)"
                if row["previous_size"] is not None and row["file_size"] is not None
                else ""
            )
            summary = f"Document replaced under its address: {name}{sizes}"
            events.append(
                _event(articles, portal, aid, "attachment", at, summary, **extra | {"after": row["file_url"]})
            )
    return events


def _removals(
    conn: sqlite3.Connection, articles: _Articles, portal: str, article_id: int | None, queued: set
) -> list:
    """Pending removals, and the confirmed ones the queue does not hold (confirmed before it existed)."""
    where, params = ("AND id = ?", [article_id]) if article_id is not None else ("", [])
    events = []
    for row in _rows(
        conn,
        "SELECT id, removed_at, missing_since, missing_run_id, last_checked_at FROM articles "
        f"WHERE (removed_at IS NOT NULL OR missing_since IS NOT NULL) {where} ORDER BY id",
        params,
    ):
        if row["removed_at"] is None:
            summary = (
                f"Answered 404 at {_shown(row['missing_since'])}; the next run confirms or clears the removal"
            )
            events.append(
                _event(
                    articles,
                    portal,
                    row["id"],
                    "removal_pending",
                    row["missing_since"],
                    summary,
                    run_id=row["missing_run_id"],
                    before=row["missing_since"],
                )
            )
        elif row["id"] not in queued:
            summary = f"Removed from the portal: first answered 404 at {_shown(row['removed_at'])}"
            at = row["last_checked_at"] or row["removed_at"]
            events.append(
                _event(
                    articles,
                    portal,
                    row["id"],
                    "removal",
                    at,
                    summary,
                    run_id=row["missing_run_id"],
                    before=row["removed_at"],
                )
            )
    return events


def edit_kinds(changed_fields: Iterable[str]) -> tuple[str, ...]:
    """The kinds an edit answers to: ``edit``, with ``date`` when it changed a date field and ``byline``
    when it changed the authors; its main kind first (``byline`` or ``date`` when that is all it changed).

    >>> edit_kinds(["authors"]), edit_kinds(["body_text", "authors"])
    (('byline', 'edit'), ('edit', 'byline'))
    """
    fields = set(changed_fields)
    extra = tuple(k for k, names in (("date", _DATE_FIELDS), ("byline", ("authors",))) if fields & set(names))
    if fields and len(extra) == 1 and fields <= set(_DATE_FIELDS) | {"authors"}:
        return (extra[0], "edit")
    return ("edit", *extra)


def _edit_summary(fields: list[str], found: Significance | None, old: dict, new: dict) -> str:
    """One line: the heaviest factors with what they found, else the fields changed."""
    if "authors" in fields and set(fields) <= {"authors"}:
        before = ", ".join(str(a) for a in _json_list(old.get("authors"))) or "—"
        after = ", ".join(str(a) for a in _json_list(new.get("authors"))) or "—"
        return f"Byline: {before} → {after}"
    if found is not None and found.factors:
        return "; ".join(f"{f.name}: {f.detail}" if f.detail else f.name for f in found.factors[:3])
    return "Changed: " + (", ".join(fields) or "nothing recorded")


def _edits(conn: sqlite3.Connection, articles: _Articles, portal: str, article_id: int | None) -> list:
    """Every edit the agency made, with its significance; a run's identical edits of several articles as
    one event."""
    scored = _has(conn, "version_significance")
    links = "links" in _columns(conn, "article_versions")
    where, params = ("AND v.article_id = ?", [article_id]) if article_id is not None else ("", [])
    rows = _rows(
        conn,
        "SELECT v.id, v.article_id, v.version, v.captured_at, v.run_id, v.changed_fields, v.diff_summary, "
        "v.authors, p.authors AS p_authors"
        + (", s.score, s.factors" if scored else ", NULL AS score, NULL AS factors")
        + " FROM article_versions v"
        " LEFT JOIN article_versions p ON p.article_id = v.article_id AND p.version = v.version - 1"
        + (" LEFT JOIN version_significance s ON s.version_id = v.id" if scored else "")
        + f" WHERE v.change_kind = 'edit' {where} ORDER BY v.id",
        params,
    )
    events: dict[int, ChangeEvent] = {}
    for row in rows:
        fields = [str(f) for f in _json_list(row["changed_fields"])]
        found = Significance.from_stored(row["score"], row["factors"])
        kinds = edit_kinds(fields)
        summary = _edit_summary(fields, found, {"authors": row["p_authors"]}, row)
        events[row["id"]] = _event(
            articles,
            portal,
            row["article_id"],
            kinds[0],
            row["captured_at"],
            summary,
            kinds=kinds,
            significance=found.score if found else 0,
            factors=found.factors if found else (),
            version=row["version"],
            run_id=row["run_id"],
        )
    if article_id is None:
        _group_templates(conn, rows, events, links)
    return list(events.values())


def _group_templates(conn: sqlite3.Connection, rows: list[dict], events: dict[int, ChangeEvent], links: bool):
    """Fold each template edit (the same edit in :data:`TEMPLATE_ARTICLES` articles or more of one run)
    into its first member's event. Only edits whose run, fields and diff summary match that many others
    can be one, so only those are compared word by word."""
    buckets: dict[tuple, list[dict]] = defaultdict(list)
    for row in rows:
        buckets[(row["run_id"], row["changed_fields"], row["diff_summary"])].append(row)
    columns = _CONTENT if links else _CONTENT.replace(", links", "")
    where = conn.execute("PRAGMA database_list").fetchone()[2] or f"memory:{id(conn)}"
    for bucket in buckets.values():
        if len(bucket) < TEMPLATE_ARTICLES:
            continue
        for keys in _template_groups(conn, where, tuple(row["id"] for row in bucket), bucket, columns):
            members = [events.pop(key) for key in keys]
            first = members[0]
            reached = tuple(e.article_id for e in members if e.article_id is not None)
            events[keys[0]] = replace(
                first,
                title=f"The same edit in {len(members)} articles (template or footer): {first.title}",
                summary=f"Template edit of {len(members)} articles; {first.summary}",
                significance=max(e.significance for e in members),
                articles=reached,
                categories=tuple(sorted({c for e in members for c in e.categories})),
            )


# Versions are never changed, so which of a bucket's edits are one template edit never changes either: kept
# per archive file and bucket, the desk compares bodies word by word once, not on every request.
_TEMPLATES: dict[tuple[str, tuple[int, ...]], list[tuple[int, ...]]] = {}


def _template_groups(
    conn: sqlite3.Connection, where: str, ids: tuple[int, ...], bucket: list[dict], columns: str
) -> list[tuple[int, ...]]:
    """The template edits among a bucket's edits, each as its version ids (first first)."""
    key = (where, ids)
    if key not in _TEMPLATES:
        changes = []
        for row in bucket:
            pair = _rows(
                conn,
                f"SELECT version, {columns} FROM article_versions WHERE article_id = ? AND version IN (?, ?) "
                "ORDER BY version",
                [row["article_id"], row["version"] - 1, row["version"]],
            )
            if len(pair) == 2:
                changes.append((row["id"], pair[0], pair[1]))
        _TEMPLATES[key] = [
            tuple(k for k in group.members if isinstance(k, int))  # (the version ids given)
            for group in group_changes(changes, min_articles=TEMPLATE_ARTICLES)
            if group.template
        ]
    return _TEMPLATES[key]


def change_events(conn: sqlite3.Connection, filters: Filters | None = None, *, portal: str = "hepza") -> list:
    """Every change event of the archive on ``conn`` (named ``portal``) that passes ``filters``, in their
    order (newest first, or most significant first); a list of :class:`ChangeEvent`."""
    filters = filters or Filters()
    if filters.portal and filters.portal != portal:
        return []
    articles = _Articles(conn)
    if filters.article_id is None:
        articles.load_all()
    queued = _queued(conn, articles, portal, filters.article_id)
    confirmed = {e.article_id for e in queued if e.kind == "removal"}
    events = queued + _removals(conn, articles, portal, filters.article_id, confirmed)
    events += _edits(conn, articles, portal, filters.article_id)
    return select(events, filters)


def select(events: Iterable[ChangeEvent], filters: Filters) -> list[ChangeEvent]:
    """The events that pass ``filters``, sorted and cut as they ask (events of several archives merge
    with this)."""
    since, until = moment(filters.since), moment(filters.until, end=True)
    words = fold_key(filters.words or "").split()
    kept = []
    for event in events:
        if filters.portal and event.portal != filters.portal:
            continue
        if filters.kinds and not set(filters.kinds) & set(event.kinds):
            continue
        if filters.category and filters.category not in event.categories:
            continue
        if filters.min_significance is not None and event.significance < filters.min_significance:
            continue
        when = _when(event.at)
        if (since and when < since) or (until and when > until):
            continue
        if words:
            text = fold_key(
                " ".join([event.title, event.summary, event.url or "", *(f.detail for f in event.factors)])
            )
            if not all(word in text for word in words):
                continue
        kept.append(event)
    if filters.sort == "significance":
        kept.sort(key=lambda e: (e.significance, _when(e.at), e.article_id or 0), reverse=True)
    else:
        kept.sort(key=lambda e: (_when(e.at), e.significance, e.article_id or 0), reverse=True)
    return kept[: filters.limit] if filters.limit is not None else kept
