"""The datasette plugin of `hepza serve`: folded search, safe bodies and diffs, article pages, Atom feed.

- Search: the archive indexes *folded* text (``pipelines.text.fold_key``: no diacritics, ``đ`` → ``d``,
  tone placement folded), so an ASGI wrapper folds the ``_search`` / ``_search_<column>`` parameters the
  same way before datasette sees them: ``xây dựng Đảng``, ``XAY DUNG DANG`` and ``xay dung dang`` find the
  same articles, in the HTML pages and in the JSON/CSV API alike. The search box still shows what was typed.
  SQL functions ``hepza_fold`` and ``hepza_fts_query`` do the same for canned queries.
- Rendering: ``body_html`` of the articles table is the only column rendered as HTML, and it is sanitised
  again with the archive's allow-list when shown, so a hostile row written by anything else stays inert.
  ``*_diff_html`` columns may only hold ``<ins>`` and ``<del>``.
- Pages: ``/-/article/<id>`` (body, metadata, versions), ``/-/article/<id>/history`` (highlighted word
  diffs between versions) and ``/-/feed.atom`` (new and changed articles).
"""

from __future__ import annotations

import html
import json
import re
import uuid
from urllib.parse import parse_qsl, quote, urlencode, urljoin
from xml.etree import ElementTree as ET

import markupsafe
import nh3
from datasette import hookimpl
from datasette.facets import Facet
from datasette.utils import escape_fts, escape_sqlite, path_with_added_args, path_with_removed_args
from datasette.utils.asgi import NotFound, Response

from archive.datasette import DATABASE, HERE
from archive.diffs import render, word_diff
from archive.diffs import summary as diff_summary
from pipelines.sanitize import sanitize_html
from pipelines.text import fold_key

# --- search folding -----------------------------------------------------------------------------------

_FTS_OPERATOR_RE = re.compile(r"(\bAND\b|\bOR\b|\bNOT\b|\bNEAR\b)")
_SCOPE_KEY = "hepza.search_as_typed"


def fold_query(text: str, *, raw: bool = False) -> str:
    """A search query folded like the index. In raw FTS5 mode the operators (AND, OR, NOT, NEAR) stay."""
    if not raw:
        return fold_key(text)
    pieces = _FTS_OPERATOR_RE.split(text)
    out = []
    for piece in pieces:
        if _FTS_OPERATOR_RE.fullmatch(piece):
            out.append(piece)
        elif piece.strip():
            lead = " " if piece[:1].isspace() else ""
            trail = " " if piece[-1:].isspace() else ""
            out.append(lead + fold_key(piece) + trail)
        else:
            out.append(piece)
    return "".join(out)


def fold_search_params(query_string: bytes) -> tuple[bytes, dict[str, str]]:
    """The query string with every ``_search`` / ``_search_<col>`` value folded, and the values as typed."""
    text = query_string.decode("latin-1")
    if "_search" not in text:
        return query_string, {}
    pairs = parse_qsl(text, keep_blank_values=True)
    raw = any(k == "_searchmode" and v == "raw" for k, v in pairs)
    typed: dict[str, str] = {}
    folded = []
    for key, value in pairs:
        if key.startswith("_search") and key != "_searchmode":
            typed.setdefault(key, value)
            value = fold_query(value, raw=raw)
        folded.append((key, value))
    if not typed:
        return query_string, {}
    return urlencode(folded, quote_via=quote).encode("ascii"), typed


def _typed_redirects(send, typed: dict[str, str]):
    """Datasette redirects some form submissions (filters, sort order) to a URL rebuilt from the folded
    parameters: put the search back as typed in such a Location, so the search box keeps it."""

    async def sending(message):
        if message.get("type") == "http.response.start" and 300 <= message.get("status", 200) < 400:
            headers = []
            for name, value in message.get("headers", []):
                if name.lower() == b"location" and b"?" in value:
                    path, _, query = value.decode("latin-1").partition("?")
                    pairs = [(k, typed.get(k, v)) for k, v in parse_qsl(query, keep_blank_values=True)]
                    value = (path + "?" + urlencode(pairs, quote_via=quote)).encode("latin-1")
                headers.append((name, value))
            message = dict(message, headers=headers)
        await send(message)

    return sending


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def folding_app(scope, receive, send):
            if scope.get("type") == "http" and scope.get("query_string"):
                folded, typed = fold_search_params(scope["query_string"])
                if typed:
                    scope = dict(scope, query_string=folded)
                    scope[_SCOPE_KEY] = typed
                    send = _typed_redirects(send, typed)
            await app(scope, receive, send)

        return folding_app

    return wrap


@hookimpl
def extra_template_vars(request, view_name):
    """Show the search box with the query as typed, not as folded."""
    typed = request.scope.get(_SCOPE_KEY) if request is not None else None
    if view_name == "table" and typed:
        return {"search": typed.get("_search") or next(iter(typed.values()))}
    return {}


# --- SQL functions ---------------------------------------------------------------------------------------


def fts_query(text: str | None) -> str:
    """A safe FTS5 MATCH expression for the words of ``text``, folded like the index (all words must match)."""
    folded = fold_key(text or "")
    # A query with no word matches nothing (instead of an FTS5 syntax error).
    return escape_fts(folded) if folded.strip('" ') else '""'


def diff_html(old: str | None, new: str | None, *, context_words: int | None = 12) -> str | None:
    """HTML of a word-level diff: removed words in ``<del>``, added in ``<ins>``, the rest escaped.

    None when there is nothing to compare (no previous version) or nothing changed. With
    ``context_words``, long unchanged stretches are cut to that many words each side of a change.
    """
    if old is None or old == new:
        return None
    return render(word_diff(old, new), removed=lambda t: f"<del>{html.escape(t)}</del>",
                  added=lambda t: f"<ins>{html.escape(t)}</ins>", same=html.escape, context_words=context_words)


def citing_url(number: str | None) -> str | None:
    if not number:
        return None
    return f"/{DATABASE}/articles_citing_document?number={quote(number, safe='')}"


@hookimpl
def prepare_connection(conn):
    conn.create_function("hepza_fold", 1, lambda s: None if s is None else fold_key(str(s)), deterministic=True)
    conn.create_function("hepza_fts_query", 1, lambda s: fts_query(None if s is None else str(s)),
                         deterministic=True)
    conn.create_function("hepza_diff_html", 2, lambda a, b: diff_html(_text(a), _text(b)), deterministic=True)
    conn.create_function("hepza_citing_url", 1, lambda s: citing_url(_text(s)), deterministic=True)


def _text(value) -> str | None:
    return None if value is None else str(value)


# --- rendering cells -------------------------------------------------------------------------------------

# Values that render_cell turns into links: only these exact shapes, so no query can inject a link.
_LINK_RE = re.compile(r"/-/article/\d+(?:/history)?|/" + DATABASE + r"/articles_citing_document\?number=[A-Za-z0-9%._~-]*")


_URL_ATTR_RE = re.compile(r'\b(src|href)="([^"]*)"')


def render_body(body_html: str | None, base_url: str | None = None) -> markupsafe.Markup:
    """A body as safe HTML: sanitised again with the archive's allow-list (whatever the row holds), and
    its relative links and images made absolute against the article's portal URL (so they do not point
    into the archive's own site). Only http(s) and mailto URLs survive the allow-list."""
    clean = sanitize_html(body_html)
    base = _http_url(base_url)
    if base:
        def absolute(match: re.Match) -> str:
            url = urljoin(base, html.unescape(match.group(2)))
            if not re.match(r"(https?|mailto):", url, re.I):
                return ""
            return f'{match.group(1)}="{html.escape(url, quote=True)}"'

        clean = _URL_ATTR_RE.sub(absolute, clean)
    return markupsafe.Markup(clean)


def _safe_diff(value: str) -> markupsafe.Markup:
    return markupsafe.Markup(nh3.clean(value, tags={"ins", "del"}, attributes={}, strip_comments=True))


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    if database != DATABASE or not isinstance(value, str):
        return None
    if table == "articles" and column == "body_html":
        base = row["url"] if "url" in row.keys() else None
        return markupsafe.Markup('<div class="hepza-body">') + render_body(value, base) + markupsafe.Markup("</div>")
    if table == "articles" and column == "title" and "id" in row.keys():
        href = datasette.urls.path(f"/-/article/{int(row['id'])}")
        return markupsafe.Markup(f'<a href="{markupsafe.escape(href)}">{markupsafe.escape(value)}</a>')
    if table == "document_refs" and column == "number":
        href = datasette.urls.path(citing_url(value))
        return markupsafe.Markup(f'<a href="{markupsafe.escape(href)}">{markupsafe.escape(value)}</a>')
    if column.endswith("diff_html"):
        return markupsafe.Markup('<div class="hepza-diff">') + _safe_diff(value) + markupsafe.Markup("</div>")
    if _LINK_RE.fullmatch(value):
        href = datasette.urls.path(value)
        return markupsafe.Markup(f'<a href="{markupsafe.escape(href)}">{markupsafe.escape(value)}</a>')
    return None


@hookimpl
def extra_css_urls(datasette):
    return [datasette.urls.path("/-/hepza.css")]


@hookimpl
def menu_links(datasette):
    return [
        {"href": datasette.urls.path(f"/{DATABASE}/articles"), "label": "Articles"},
        {"href": datasette.urls.path(f"/{DATABASE}/recent_changes"), "label": "Recent changes"},
        {"href": datasette.urls.path("/-/feed.atom"), "label": "Atom feed"},
    ]


# --- facets ---------------------------------------------------------------------------------------------


class _ValuesFacet(Facet):
    """A facet with a fixed SQL value expression and one filter per value (subclasses say which)."""

    order = "count desc, value"

    def value_sql(self, column: str) -> str:
        raise NotImplementedError

    def filter_for(self, column: str, value: str) -> tuple[str, str]:
        raise NotImplementedError

    async def suggest(self):
        return []

    async def facet_results(self):
        from datasette.database import QueryInterrupted

        results, timed_out = [], []
        size = self.get_facet_size()
        pairs = self.get_querystring_pairs()
        for source_and_config in self.get_configs():
            config, source = source_and_config["config"], source_and_config["source"]
            column = config.get("column") or config["simple"]
            expression = self.value_sql(escape_sqlite(column))
            sql = (f"select {expression} as value, count(*) as count from ({self.sql}) "
                   f"where {expression} is not null group by value order by {self.order} limit {size + 1}")
            try:
                rows = await self.ds.execute(self.database, sql, self.params, truncate=False,
                                             custom_time_limit=self.ds.setting("facet_time_limit_ms"))
            except QueryInterrupted:
                timed_out.append(column)
                continue
            values = []
            for row in rows.rows[:size]:
                value = str(row["value"])
                key, arg = self.filter_for(column, value)
                selected = (key, arg) in pairs
                path = (path_with_removed_args(self.request, {key: arg}) if selected
                        else path_with_added_args(self.request, {key: arg}))
                values.append({"value": value, "label": self.label(value), "count": row["count"],
                               "toggle_url": self.ds.absolute_url(self.request, path), "selected": selected})
            results.append({
                "name": column,
                "type": self.type,
                "results": values,
                "hideable": source != "metadata",
                "toggle_url": self.ds.urls.path(path_with_removed_args(self.request, {f"_facet_{self.type}": column})),
                "truncated": len(rows.rows) > size,
            })
        return results, timed_out

    def label(self, value: str) -> str:
        return value


class YearFacet(_ValuesFacet):
    """``{"year": "published_at"}``: the year of an ISO date, newest first; a value filters with startswith."""

    type = "year"
    order = "value desc"

    def value_sql(self, column):
        return f"(case when {column} glob '[0-9][0-9][0-9][0-9]*' then substr({column}, 1, 4) end)"

    def filter_for(self, column, value):
        return f"{column}__startswith", value


class RemovedFacet(_ValuesFacet):
    """``{"removed": "removed_at"}``: whether the column is set: removed, or still online."""

    type = "removed"

    def value_sql(self, column):
        return f"(case when {column} is null or {column} = '' then 'online' else 'removed' end)"

    def filter_for(self, column, value):
        return (f"{column}__notblank", "1") if value == "removed" else (f"{column}__isblank", "1")


@hookimpl
def register_facet_classes():
    return [YearFacet, RemovedFacet]


# --- pages ----------------------------------------------------------------------------------------------

_TEXT_FIELDS = ("title", "body_text", "source", "published_at", "event_date")
_LIST_FIELDS = ("authors", "photo_credits")
# Every page of ours is static HTML: no script of any origin may run on it.
_CSP = ("default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; frame-src 'none'; "
        "form-action 'self'; img-src * data:; style-src 'self' 'unsafe-inline'")


async def _check_view(datasette, request) -> None:
    await datasette.ensure_permissions(request.actor, [
        ("view-table", (DATABASE, "articles")),
        ("view-database", DATABASE),
        "view-instance",
    ])


async def _rows(datasette, sql: str, params=None) -> list[dict]:
    result = await datasette.get_database(DATABASE).execute(sql, params or [])
    return [dict(r) for r in result.rows]


def _loads(value, default):
    try:
        return json.loads(value) if value else default
    except (TypeError, ValueError):
        return default


def _http_url(value) -> str | None:
    """The URL if it is http(s), else None: no other scheme ever becomes a link."""
    if isinstance(value, str) and re.match(r"https?://", value.strip(), re.I):
        return value.strip()
    return None


def field_text(name: str, value) -> str | None:
    """A content field of a version as text, for diffs: JSON lists become lines."""
    if value is None:
        return None
    if name in _TEXT_FIELDS:
        return str(value)
    items = _loads(value, value)
    if isinstance(items, list):
        lines = []
        for item in items:
            if isinstance(item, dict):
                lines.append(" — ".join(str(v) for v in item.values() if v))
            else:
                lines.append(str(item))
        return "\n".join(lines)
    return str(items)


def version_diffs(old: dict | None, new: dict, *, context_words: int | None) -> list[dict]:
    """The changed content fields between two versions, each with its highlighted diff."""
    if old is None:
        return []
    out = []
    for name in ("title", "body_text", "authors", "source", "photo_credits", "published_at", "event_date",
                 "images", "attachments"):
        before, after = field_text(name, old.get(name)), field_text(name, new.get(name))
        if (before or "") == (after or ""):
            continue
        out.append({
            "field": name,
            "html": markupsafe.Markup(diff_html(before or "", after or "", context_words=context_words) or ""),
            "summary": diff_summary(before, after),
        })
    return out


async def _article(datasette, article_id: int) -> dict:
    rows = await _rows(datasette, "select * from articles where id = ?", [article_id])
    if not rows:
        raise NotFound(f"No article {article_id}")
    return rows[0]


async def _versions(datasette, article_id: int) -> list[dict]:
    return await _rows(datasette, "select * from article_versions where article_id = ? order by version",
                       [article_id])


def _html_response(body: str) -> Response:
    response = Response.html(body)
    response.headers["content-security-policy"] = _CSP
    response.headers["x-content-type-options"] = "nosniff"
    return response


async def article_page(datasette, request):
    await _check_view(datasette, request)
    article_id = int(request.url_vars["id"])
    article = await _article(datasette, article_id)
    versions = await _versions(datasette, article_id)
    previous = None
    for version in versions:
        version["changed"] = _loads(version.get("changed_fields"), [])
        version["diffs"] = version_diffs(previous, version, context_words=12)
        previous = version
    refs = await _rows(datasette, "select * from document_refs where article_id = ? order by id", [article_id])
    for ref in refs:
        ref["href"] = datasette.urls.path(citing_url(ref["number"]))
    aliases = await _rows(datasette, "select url, first_seen_at from article_urls where article_id = ? order by "
                                  "first_seen_at, url", [article_id])
    images = [
        {"src": _http_url(i.get("src")), "caption": i.get("caption"), "credit": i.get("credit")}
        for i in _loads(article.get("images"), []) if isinstance(i, dict)
    ]
    attachments = [
        {"url": _http_url(a.get("url")), "title": a.get("title") or a.get("url")}
        for a in _loads(article.get("attachments"), []) if isinstance(a, dict)
    ]
    context = {
        "article": article,
        "portal_url": _http_url(article.get("url")),
        "body": render_body(article.get("body_html"), article.get("url")),
        "authors": _loads(article.get("authors"), []),
        "photo_credits": _loads(article.get("photo_credits"), []),
        "images": images,
        "attachments": attachments,
        "versions": list(reversed(versions)),
        "refs": refs,
        "aliases": aliases,
        "database": DATABASE,
    }
    return _html_response(await datasette.render_template("hepza_article.html", context, request=request))


async def history_page(datasette, request):
    await _check_view(datasette, request)
    article_id = int(request.url_vars["id"])
    article = await _article(datasette, article_id)
    versions = await _versions(datasette, article_id)
    by_number = {v["version"]: v for v in versions}
    context_words = None if request.args.get("context") == "all" else 12
    compared = None
    try:
        old_n, new_n = int(request.args.get("from", "")), int(request.args.get("to", ""))
    except ValueError:
        old_n = new_n = None
    if old_n in by_number and new_n in by_number:
        compared = {"from": by_number[old_n], "to": by_number[new_n],
                    "diffs": version_diffs(by_number[old_n], by_number[new_n], context_words=context_words)}
    steps = []
    previous = None
    for version in versions:
        version["changed"] = _loads(version.get("changed_fields"), [])
        if previous is not None:
            steps.append({"from": previous, "to": version,
                          "diffs": version_diffs(previous, version, context_words=context_words)})
        previous = version
    context = {
        "article": article,
        "versions": versions,
        "steps": list(reversed(steps)),
        "compared": compared,
        "full_context": context_words is None,
        "database": DATABASE,
    }
    return _html_response(await datasette.render_template("hepza_history.html", context, request=request))


# --- Atom feed ------------------------------------------------------------------------------------------

ATOM = "http://www.w3.org/2005/Atom"
_RFC3339_RE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")
_FEED_SQL = """
select v.article_id, v.version, v.captured_at, v.change_kind, v.changed_fields, v.content_hash,
       v.title, v.body_text, v.authors, v.source, v.photo_credits, v.published_at, v.event_date, v.images,
       v.attachments,
       p.title as p_title, p.body_text as p_body_text, p.authors as p_authors, p.source as p_source,
       p.photo_credits as p_photo_credits, p.published_at as p_published_at, p.event_date as p_event_date,
       p.images as p_images, p.attachments as p_attachments,
       a.asset_id, a.url_key, a.url, a.category
from article_versions v
join articles a on a.id = v.article_id
left join article_versions p on p.article_id = v.article_id and p.version = v.version - 1
where v.change_kind in ('first', 'edit')
order by v.captured_at desc, a.published_at desc, v.id desc
limit ?
"""
FEED_SIZE = 50


def _rfc3339(value) -> str | None:
    return value if isinstance(value, str) and _RFC3339_RE.fullmatch(value) else None


def entry_id(row: dict) -> str:
    """A stable, globally unique id for one version of one article."""
    who = f"asset:{row['asset_id']}" if row.get("asset_id") else f"url:{row['url_key']}"
    return uuid.uuid5(uuid.NAMESPACE_URL, f"hepza-archive:{who}:v{row['version']}:{row['content_hash']}").urn


async def feed(datasette, request):
    await _check_view(datasette, request)
    await datasette.ensure_permissions(request.actor, [("view-table", (DATABASE, "article_versions"))])
    rows = await _rows(datasette, _FEED_SQL, [FEED_SIZE])
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
    sub(root, "subtitle", "Articles of the HEPZA news portal as first archived, and every edit the agency made.")
    sub(root, "link", rel="self", type="application/atom+xml", href=self_url)
    sub(root, "link", rel="alternate", type="text/html",
        href=datasette.absolute_url(request, datasette.urls.path(f"/{DATABASE}/recent_changes")))
    updated = max((r["captured_at"] for r in rows if _rfc3339(r["captured_at"])), default=None)
    sub(root, "updated", updated or "1970-01-01T00:00:00+00:00")
    author = sub(root, "author")
    sub(author, "name", "HEPZA (Ban Quản lý các Khu chế xuất và công nghiệp TP.HCM)")
    sub(root, "generator", "hepza-archive")
    for row in rows:
        entry = sub(root, "entry")
        sub(entry, "id", entry_id(row))
        edited = row["change_kind"] == "edit"
        title = row["title"] or "(untitled)"
        sub(entry, "title", f"Sửa đổi: {title}" if edited else title)
        sub(entry, "updated", _rfc3339(row["captured_at"]) or "1970-01-01T00:00:00+00:00")
        if _rfc3339(row["published_at"]):
            sub(entry, "published", row["published_at"])
        page = f"/-/article/{row['article_id']}" + (f"/history#v{row['version']}" if edited else "")
        sub(entry, "link", rel="alternate", type="text/html",
            href=datasette.absolute_url(request, datasette.urls.path(page)))
        if _http_url(row["url"]):
            sub(entry, "link", rel="related", type="text/html", href=_http_url(row["url"]))
        for name in _loads(row["authors"], []):
            sub(sub(entry, "author"), "name", str(name))
        if row["category"]:
            sub(entry, "category", term=row["category"])
        sub(entry, "content", _entry_html(row), type="html")
    body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8", xml_declaration=False)
    return Response(body, content_type="application/atom+xml; charset=utf-8")


def _entry_html(row: dict) -> str:
    if row["change_kind"] != "edit":
        text = row["body_text"] or ""
        lead = text[:600] + ("…" if len(text) > 600 else "")
        return "".join(f"<p>{html.escape(p)}</p>" for p in lead.split("\n\n") if p.strip())
    previous = {k[2:]: v for k, v in row.items() if k.startswith("p_")}
    parts = [f"<p>Version {int(row['version'])}: {html.escape(', '.join(_loads(row['changed_fields'], [])))}</p>"]
    for diff in version_diffs(previous, row, context_words=12):
        parts.append(f"<h4>{html.escape(diff['field'])} ({html.escape(diff['summary'])})</h4>"
                     f"<p style=\"white-space: pre-wrap\">{diff['html']}</p>")
    return "".join(parts)


async def stylesheet(datasette, request):
    return Response((HERE / "hepza.css").read_text(encoding="utf-8"), content_type="text/css; charset=utf-8",
                    headers={"cache-control": "max-age=3600"})


@hookimpl
def register_routes():
    return [
        (r"^/-/article/(?P<id>\d+)$", article_page),
        (r"^/-/article/(?P<id>\d+)/history$", history_page),
        (r"^/-/feed\.atom$", feed),
        (r"^/-/hepza\.css$", stylesheet),
    ]
