"""The Atom feed ``/-/feed.atom``: new articles and every edit, newest first, an edit with its word diffs.
With any filter of the change desk (``?kind=removal``, ``?category=…``, ``?min=40``…) it is the feed of that
list of change events (archive/changefeed.py, archive/datasette/desk.py), one feed per filter.

Serving a folder of portal archives, ``/<portal>/-/feed.atom`` is each portal's feed and ``/-/feed.atom``
the feed of every portal, its entries labelled by portal (title and an Atom category). An entry has the same
id in both; the ids of a portal other than ``hepza`` name the portal (two portals may share asset ids),
those of ``hepza`` (and of the one archive ``hepza serve --db`` serves) are what they always were.
"""

from __future__ import annotations

import asyncio
import html
import re
import uuid
from xml.etree import ElementTree as ET

from datasette.utils.asgi import Response

from archive.changefeed import BadFilter, ChangeEvent, Filters
from archive.datasette import DATABASE, desk
from archive.datasette.cells import http_url
from archive.datasette.pages import check_view, fetch_rows, load_json, version_diffs
from archive.datasette.portals import database_for, portals, prefix, served

ATOM = "http://www.w3.org/2005/Atom"
_RFC3339_RE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")
_FEED_SQL = """
select v.article_id, v.version, v.captured_at, v.change_kind, v.changed_fields, v.content_hash,
       v.title, v.body_text, v.authors, v.source, v.photo_credits, v.published_at, v.event_date, v.images,
       v.attachments, {links}
       p.title as p_title, p.body_text as p_body_text, p.authors as p_authors, p.source as p_source,
       p.photo_credits as p_photo_credits, p.published_at as p_published_at, p.event_date as p_event_date,
       p.images as p_images, p.attachments as p_attachments, {p_links}
       a.asset_id, a.url_key, a.url, a.category
from article_versions v
join articles a on a.id = v.article_id
left join article_versions p on p.article_id = v.article_id and p.version = v.version - 1
where v.change_kind in ('first', 'edit')
order by v.captured_at desc, a.published_at desc, v.id desc
limit ?
"""
# A confirmed removal is an event too: the article's first 404, and the run that confirmed it.
_REMOVALS_SQL = """
select a.id as article_id, a.asset_id, a.url_key, a.url, a.category, a.title, a.published_at, a.authors,
       a.removed_at as captured_at, 'removed' as change_kind, a.missing_run_id as confirmed_by
from articles a
where a.removed_at is not null
order by a.removed_at desc, a.id desc
limit ?
"""
FEED_SIZE = 50
# The scheme of the Atom category naming an entry's portal.
PORTAL_SCHEME = "urn:hepza-archive:portal"
# The scheme of the Atom categories naming a change's kinds (archive/changefeed.py KINDS).
KIND_SCHEME = "urn:hepza-archive:change-kind"


def _rfc3339(value) -> str | None:
    return value if isinstance(value, str) and _RFC3339_RE.fullmatch(value) else None


def entry_id(row: dict, database: str = DATABASE) -> str:
    """A stable, globally unique id for one version of one article (or for its removal) of ``database``."""
    who = f"asset:{row['asset_id']}" if row.get("asset_id") else f"url:{row['url_key']}"
    if database != DATABASE:
        who = f"portal:{database}:{who}"
    if row["change_kind"] == "removed":
        return uuid.uuid5(uuid.NAMESPACE_URL, f"hepza-archive:{who}:removed:{row['captured_at']}").urn
    return uuid.uuid5(uuid.NAMESPACE_URL, f"hepza-archive:{who}:v{row['version']}:{row['content_hash']}").urn


def _sub(parent, tag, text=None, **attrs):
    """An Atom element under ``parent``, its attributes without the None ones, its text if any."""
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: v for k, v in attrs.items() if v is not None})
    if text is not None:
        element.text = text
    return element


async def _rows(datasette, request, database: str) -> list[dict]:
    """The newest events of one archive, each row with its ``database``."""
    await check_view(datasette, request, database)
    await datasette.ensure_permissions(request.actor, [("view-table", (database, "article_versions"))])
    # An archive last written before the links field (served read-only, never migrated) has no such column.
    columns = await datasette.get_database(database).table_columns("article_versions")
    links = "links" in columns
    sql = _FEED_SQL.format(links="v.links," if links else "", p_links="p.links as p_links," if links else "")
    rows = await fetch_rows(datasette, database, sql, [FEED_SIZE])
    rows += await fetch_rows(datasette, database, _REMOVALS_SQL, [FEED_SIZE])
    return [dict(row, database=database) for row in rows]


def _about(datasette, cross: bool, database: str) -> dict:
    """The feed's own title, subtitle, author and page: HEPZA's for the one archive (as ever)."""
    if cross:
        return {
            "title": "Portal archives: new and changed articles of every portal",
            "subtitle": "Articles of every archived portal as first archived, and every edit each made.",
            "author": "The archived portals",
            "page": datasette.urls.instance(),
        }
    page = datasette.urls.path(f"{prefix(datasette, database)}/-/changes")
    if database == DATABASE:
        return {
            "title": "HEPZA news archive: new and changed articles",
            "subtitle": "Articles of the HEPZA news portal as first archived, and every edit the agency made.",
            "author": "HEPZA (Ban Quản lý các Khu chế xuất và công nghiệp TP.HCM)",
            "page": page,
        }
    return {
        "title": f"{database} news archive: new and changed articles",
        "subtitle": f"Articles of the {database} portal as first archived, and every edit it made.",
        "author": database,
        "page": page,
    }


async def feed(datasette, request):
    if desk.is_filtered(request):
        return await changes_feed(datasette, request)
    # /<portal>/-/feed.atom (or the one archive's) is one archive's; /-/feed.atom over a folder, every portal's.
    cross = portals(datasette) is not None and "portal" not in request.url_vars
    databases = served(datasette) if cross else [database_for(datasette, request)]
    rows = []
    for database in databases:
        rows += await _rows(datasette, request, database)
    # Newest first. Times are to the second, so a fast run's removal can share its second with dozens of
    # captures; a removal is the later event of its article and the rarer one: it goes first in its second.
    rows = sorted(
        rows, key=lambda r: (str(r["captured_at"] or ""), r["change_kind"] == "removed"), reverse=True
    )[:FEED_SIZE]
    about = _about(datasette, cross, databases[0])
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed")

    self_path = ("" if cross else prefix(datasette, databases[0])) + "/-/feed.atom"
    self_url = datasette.absolute_url(request, datasette.urls.path(self_path))
    _sub(root, "id", self_url)
    _sub(root, "title", about["title"])
    _sub(root, "subtitle", about["subtitle"])
    _sub(root, "link", rel="self", type="application/atom+xml", href=self_url)
    _sub(root, "link", rel="alternate", type="text/html", href=datasette.absolute_url(request, about["page"]))
    updated = max((r["captured_at"] for r in rows if _rfc3339(r["captured_at"])), default=None)
    _sub(root, "updated", updated or "1970-01-01T00:00:00+00:00")
    author = _sub(root, "author")
    _sub(author, "name", about["author"])
    _sub(root, "generator", "hepza-archive")
    # The word diffs are plain Python: computed in a thread so the server answers other requests meanwhile.
    contents = await asyncio.to_thread(lambda: [_entry_html(row) for row in rows])
    for row, content in zip(rows, contents, strict=True):
        entry = _sub(root, "entry")
        database = row["database"]
        _sub(entry, "id", entry_id(row, database))
        edited, removed = row["change_kind"] == "edit", row["change_kind"] == "removed"
        title = row["title"] or "(untitled)"
        title = f"Sửa đổi: {title}" if edited else f"Gỡ bỏ: {title}" if removed else title
        _sub(entry, "title", f"[{database}] {title}" if cross else title)
        _sub(entry, "updated", _rfc3339(row["captured_at"]) or "1970-01-01T00:00:00+00:00")
        if _rfc3339(row["published_at"]):
            _sub(entry, "published", row["published_at"])
        page = f"{prefix(datasette, database)}/-/article/{row['article_id']}" + (
            f"/history#v{row['version']}" if edited else "/history" if removed else ""
        )
        _sub(
            entry,
            "link",
            rel="alternate",
            type="text/html",
            href=datasette.absolute_url(request, datasette.urls.path(page)),
        )
        if http_url(row["url"]):
            _sub(entry, "link", rel="related", type="text/html", href=http_url(row["url"]))
        for name in load_json(row["authors"], []):
            _sub(_sub(entry, "author"), "name", str(name))
        if row["category"]:
            _sub(entry, "category", term=row["category"])
        if portals(datasette) is not None:
            _sub(entry, "category", term=database, scheme=PORTAL_SCHEME, label=f"portal {database}")
        _sub(entry, "content", content, type="html")
    body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(
        root, encoding="utf-8", xml_declaration=False
    )
    return Response(body, content_type="application/atom+xml; charset=utf-8")


def change_entry_id(event: ChangeEvent) -> str:
    """A stable id for one change event of the change desk's list (archive/changefeed.py)."""
    key = ":".join(
        str(part or "")
        for part in (event.portal, event.kind, event.article_id, event.version, event.at, event.after)
    )
    return uuid.uuid5(uuid.NAMESPACE_URL, f"hepza-archive:change:{key}").urn


async def changes_feed(datasette, request):
    """``/-/feed.atom?kind=…&category=…`` (any filter of the change desk): the feed of that list of
    changes, newest first, each entry with its kind, score, factors and links to its article and diff."""
    try:
        filters = Filters.from_params({name: request.args.getlist(name) for name in desk.FILTER_PARAMS})
    except BadFilter as exc:
        return Response.text(str(exc), status=400)
    _databases, cross, events = await desk.events_for(datasette, request, filters)
    events = (
        sorted(events, key=lambda e: e.at, reverse=True)[:FEED_SIZE] if filters.sort == "time" else events
    )
    events = events[:FEED_SIZE]
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed")

    self_url = datasette.absolute_url(
        request, request.path + ("?" + request.query_string if request.query_string else "")
    )
    page = request.path.replace("/-/feed.atom", "/-/changes") + (
        "?" + request.query_string if request.query_string else ""
    )
    shown = ", ".join(f"{k}={v}" for k, v in filters.params().items())
    _sub(root, "id", self_url)
    _sub(root, "title", f"Changes: {shown}")
    _sub(root, "subtitle", "The change desk's list of changes with these filters, newest first.")
    _sub(root, "link", rel="self", type="application/atom+xml", href=self_url)
    _sub(root, "link", rel="alternate", type="text/html", href=datasette.absolute_url(request, page))
    updated = max((e.at for e in events if _rfc3339(e.at)), default=None)
    _sub(root, "updated", updated or "1970-01-01T00:00:00+00:00")
    _sub(
        _sub(root, "author"),
        "name",
        "The archived portals" if cross else _about(datasette, False, _databases[0])["author"],
    )
    _sub(root, "generator", "hepza-archive")
    for event in events:
        entry = _sub(root, "entry")
        _sub(entry, "id", change_entry_id(event))
        title = f"{event.label} ({event.significance}): {event.title or '(untitled)'}"
        _sub(entry, "title", f"[{event.portal}] {title}" if cross else title)
        _sub(entry, "updated", _rfc3339(event.at) or "1970-01-01T00:00:00+00:00")
        href = datasette.absolute_url(request, desk.article_page(datasette, event))
        _sub(entry, "link", rel="alternate", type="text/html", href=href)
        if http_url(event.url):
            _sub(entry, "link", rel="related", type="text/html", href=http_url(event.url))
        for kind in event.kinds:
            _sub(entry, "category", term=kind, scheme=KIND_SCHEME)
        if event.category:
            _sub(entry, "category", term=event.category)
        if portals(datasette) is not None:
            _sub(entry, "category", term=event.portal, scheme=PORTAL_SCHEME, label=f"portal {event.portal}")
        factors = "".join(
            f"<li>{html.escape(f.name)} +{f.weight}"
            + (f": {html.escape(f.detail)}" if f.detail else "")
            + "</li>"
            for f in event.factors
        )
        _sub(
            entry,
            "content",
            f"<p>{html.escape(event.summary)}</p>" + (f"<ul>{factors}</ul>" if factors else ""),
            type="html",
        )
    body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(
        root, encoding="utf-8", xml_declaration=False
    )
    return Response(body, content_type="application/atom+xml; charset=utf-8")


def _entry_html(row: dict) -> str:
    if row["change_kind"] == "removed":
        confirmed = f", confirmed by run {int(row['confirmed_by'])}" if row["confirmed_by"] else ""
        return (
            f"<p>Removed from the portal: the article first answered 404 at "
            f"{html.escape(str(row['captured_at']))}{confirmed}. Its archived versions stay.</p>"
        )
    if row["change_kind"] != "edit":
        text = row["body_text"] or ""
        lead = text[:600] + ("…" if len(text) > 600 else "")
        return "".join(f"<p>{html.escape(p)}</p>" for p in lead.split("\n\n") if p.strip())
    previous = {k[2:]: v for k, v in row.items() if k.startswith("p_")}
    parts = [
        f"<p>Version {int(row['version'])}: {html.escape(', '.join(load_json(row['changed_fields'], [])))}</p>"
    ]
    for diff in version_diffs(previous, row, context_words=12):
        parts.append(
            f"<h4>{html.escape(diff['field'])} ({html.escape(diff['summary'])})</h4>"
            f'<p style="white-space: pre-wrap">{diff["html"]}</p>'
        )
    return "".join(parts)
