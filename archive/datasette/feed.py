"""The Atom feed ``/-/feed.atom``: new articles and every edit, newest first, an edit with its word diffs."""

from __future__ import annotations

import asyncio
import html
import re
import uuid
from xml.etree import ElementTree as ET

from datasette.utils.asgi import Response

from archive.datasette import DATABASE
from archive.datasette.cells import http_url
from archive.datasette.pages import check_view, fetch_rows, load_json, version_diffs

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


def _rfc3339(value) -> str | None:
    return value if isinstance(value, str) and _RFC3339_RE.fullmatch(value) else None


def entry_id(row: dict) -> str:
    """A stable, globally unique id for one version of one article (or for its removal)."""
    who = f"asset:{row['asset_id']}" if row.get("asset_id") else f"url:{row['url_key']}"
    if row["change_kind"] == "removed":
        return uuid.uuid5(uuid.NAMESPACE_URL, f"hepza-archive:{who}:removed:{row['captured_at']}").urn
    return uuid.uuid5(uuid.NAMESPACE_URL, f"hepza-archive:{who}:v{row['version']}:{row['content_hash']}").urn


async def feed(datasette, request):
    await check_view(datasette, request)
    await datasette.ensure_permissions(request.actor, [("view-table", (DATABASE, "article_versions"))])
    # An archive last written before the links field (served read-only, never migrated) has no such column.
    columns = await datasette.get_database(DATABASE).table_columns("article_versions")
    links = "links" in columns
    sql = _FEED_SQL.format(links="v.links," if links else "", p_links="p.links as p_links," if links else "")
    rows = await fetch_rows(datasette, sql, [FEED_SIZE])
    rows += await fetch_rows(datasette, _REMOVALS_SQL, [FEED_SIZE])
    rows = sorted(rows, key=lambda r: str(r["captured_at"] or ""), reverse=True)[:FEED_SIZE]
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed")

    def sub(parent, tag, text=None, **attrs):
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: v for k, v in attrs.items() if v is not None})
        if text is not None:
            element.text = text
        return element

    self_url = datasette.absolute_url(request, datasette.urls.path("/-/feed.atom"))
    sub(root, "id", self_url)
    sub(root, "title", "HEPZA news archive: new and changed articles")
    sub(
        root,
        "subtitle",
        "Articles of the HEPZA news portal as first archived, and every edit the agency made.",
    )
    sub(root, "link", rel="self", type="application/atom+xml", href=self_url)
    sub(
        root,
        "link",
        rel="alternate",
        type="text/html",
        href=datasette.absolute_url(request, datasette.urls.path(f"/{DATABASE}/recent_changes")),
    )
    updated = max((r["captured_at"] for r in rows if _rfc3339(r["captured_at"])), default=None)
    sub(root, "updated", updated or "1970-01-01T00:00:00+00:00")
    author = sub(root, "author")
    sub(author, "name", "HEPZA (Ban Quản lý các Khu chế xuất và công nghiệp TP.HCM)")
    sub(root, "generator", "hepza-archive")
    # The word diffs are plain Python: computed in a thread so the server answers other requests meanwhile.
    contents = await asyncio.to_thread(lambda: [_entry_html(row) for row in rows])
    for row, content in zip(rows, contents, strict=True):
        entry = sub(root, "entry")
        sub(entry, "id", entry_id(row))
        edited, removed = row["change_kind"] == "edit", row["change_kind"] == "removed"
        title = row["title"] or "(untitled)"
        sub(entry, "title", f"Sửa đổi: {title}" if edited else f"Gỡ bỏ: {title}" if removed else title)
        sub(entry, "updated", _rfc3339(row["captured_at"]) or "1970-01-01T00:00:00+00:00")
        if _rfc3339(row["published_at"]):
            sub(entry, "published", row["published_at"])
        page = f"/-/article/{row['article_id']}" + (
            f"/history#v{row['version']}" if edited else "/history" if removed else ""
        )
        sub(
            entry,
            "link",
            rel="alternate",
            type="text/html",
            href=datasette.absolute_url(request, datasette.urls.path(page)),
        )
        if http_url(row["url"]):
            sub(entry, "link", rel="related", type="text/html", href=http_url(row["url"]))
        for name in load_json(row["authors"], []):
            sub(sub(entry, "author"), "name", str(name))
        if row["category"]:
            sub(entry, "category", term=row["category"])
        sub(entry, "content", content, type="html")
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
