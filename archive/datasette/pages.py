"""Pages: ``/-/article/<id>`` (body, metadata, versions) and ``/-/article/<id>/history`` (highlighted word
diffs between versions), with the helpers they share with the Atom feed, and the stylesheet. Serving a
folder of portal archives, each portal's pages are under its name (``/<portal>/-/article/<id>``).
"""

from __future__ import annotations

import asyncio
import json

import markupsafe
from datasette.utils.asgi import NotFound, Response

from archive.datasette import DATABASE, HERE
from archive.datasette.cells import http_url, render_body
from archive.datasette.portals import database_for, prefix
from archive.datasette.sqlfunctions import citing_url, diff_html
from archive.diffs import summarize, word_diff
from archive.history import TEXT_FIELDS
from archive.reading import article_row, document_ref_rows, run_row, url_rows, version_rows
from pipelines.model import CONTENT_FIELDS

_LIST_FIELDS = ("authors", "photo_credits")
# Every page of ours is static HTML: no script of any origin may run on it.
_CSP = (
    "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; frame-src 'none'; "
    "form-action 'self'; img-src * data:; style-src 'self' 'unsafe-inline'"
)


async def check_view(datasette, request, database: str = DATABASE) -> None:
    await datasette.ensure_permissions(
        request.actor,
        [
            ("view-table", (database, "articles")),
            ("view-database", database),
            "view-instance",
        ],
    )


async def fetch_rows(datasette, database: str, sql: str, params=None) -> list[dict]:
    result = await datasette.get_database(database).execute(sql, params or [])
    return [dict(r) for r in result.rows]


def load_json(value, default):
    try:
        return json.loads(value) if value else default
    except (TypeError, ValueError):
        return default


def field_text(name: str, value) -> str | None:
    """A content field of a version as text, for diffs: JSON lists become lines."""
    if value is None:
        return None
    if name in TEXT_FIELDS:
        return str(value)
    items = load_json(value, value)
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
    for name in CONTENT_FIELDS:
        before, after = field_text(name, old.get(name)), field_text(name, new.get(name))
        if (before or "") == (after or ""):
            continue
        runs = word_diff(before, after)
        out.append(
            {
                "field": name,
                "html": markupsafe.Markup(
                    diff_html(before or "", after or "", context_words=context_words, runs=runs) or ""
                ),
                "summary": summarize(runs),
            }
        )
    return out


# The pages read the rows the library reads (archive/reading.py), on datasette's own connection.


async def _article(datasette, database: str, article_id: int) -> dict:
    row = await datasette.get_database(database).execute_fn(lambda conn: article_row(conn, article_id))
    if row is None:
        raise NotFound(f"No article {article_id}")
    return row


async def _removal_run(datasette, database: str, article: dict) -> dict | None:
    """The run that confirmed the article's removal (the history shows the removal as its last event)."""
    if not article.get("removed_at") or article.get("missing_run_id") is None:
        return None
    return await datasette.get_database(database).execute_fn(
        lambda conn: run_row(conn, article["missing_run_id"])
    )


async def _versions(datasette, database: str, article_id: int) -> list[dict]:
    return await datasette.get_database(database).execute_fn(lambda conn: version_rows(conn, article_id))


def _diff_each_version(versions: list[dict]) -> None:
    previous = None
    for version in versions:
        version["changed"] = load_json(version.get("changed_fields"), [])
        version["diffs"] = version_diffs(previous, version, context_words=12)
        previous = version


def _history_steps(versions: list[dict], context_words: int | None) -> list[dict]:
    steps = []
    previous = None
    for version in versions:
        version["changed"] = load_json(version.get("changed_fields"), [])
        if previous is not None:
            steps.append(
                {
                    "from": previous,
                    "to": version,
                    "diffs": version_diffs(previous, version, context_words=context_words),
                }
            )
        previous = version
    return steps


def html_response(body: str) -> Response:
    response = Response.html(body)
    response.headers["content-security-policy"] = _CSP
    response.headers["x-content-type-options"] = "nosniff"
    return response


async def article_page(datasette, request):
    database = database_for(datasette, request)
    await check_view(datasette, request, database)
    article_id = int(request.url_vars["id"])
    article = await _article(datasette, database, article_id)
    versions = await _versions(datasette, database, article_id)
    # A diff is plain Python (no SQL time limit stops it): it runs in a thread, so the server goes on
    # answering other requests while a long article's versions are compared.
    await asyncio.to_thread(_diff_each_version, versions)
    db = datasette.get_database(database)
    refs = await db.execute_fn(lambda conn: document_ref_rows(conn, article_id))
    for ref in refs:
        ref["href"] = datasette.urls.path(citing_url(ref["number"], database))
    aliases = await db.execute_fn(lambda conn: url_rows(conn, article_id))
    images = [
        {"src": http_url(i.get("src")), "caption": i.get("caption"), "credit": i.get("credit")}
        for i in load_json(article.get("images"), [])
        if isinstance(i, dict)
    ]
    attachments = [
        {"url": http_url(a.get("url")), "title": a.get("title") or a.get("url")}
        for a in load_json(article.get("attachments"), [])
        if isinstance(a, dict)
    ]
    links = [
        {"href": http_url(link.get("url")), "url": link.get("url"), "text": link.get("text")}
        for link in load_json(article.get("links"), [])
        if isinstance(link, dict)
    ]
    context = {
        "article": article,
        "portal_url": http_url(article.get("url")),
        "body": render_body(article.get("body_html"), article.get("url")),
        "authors": load_json(article.get("authors"), []),
        "photo_credits": load_json(article.get("photo_credits"), []),
        "images": images,
        "attachments": attachments,
        "links": links,
        "versions": list(reversed(versions)),
        "refs": refs,
        "aliases": aliases,
        "database": database,
        "prefix": prefix(datasette, database),
    }
    return html_response(await datasette.render_template("hepza_article.html", context, request=request))


async def history_page(datasette, request):
    database = database_for(datasette, request)
    await check_view(datasette, request, database)
    article_id = int(request.url_vars["id"])
    article = await _article(datasette, database, article_id)
    versions = await _versions(datasette, database, article_id)
    by_number = {v["version"]: v for v in versions}
    context_words = None if request.args.get("context") == "all" else 12
    compared = None
    old_n: int | None
    new_n: int | None
    try:
        old_n, new_n = int(request.args.get("from", "")), int(request.args.get("to", ""))
    except ValueError:
        old_n = new_n = None
    if old_n in by_number and new_n in by_number:
        compared = {
            "from": by_number[old_n],
            "to": by_number[new_n],
            "diffs": await asyncio.to_thread(
                version_diffs, by_number[old_n], by_number[new_n], context_words=context_words
            ),
        }
    steps = await asyncio.to_thread(_history_steps, versions, context_words)
    context = {
        "article": article,
        "removal_run": await _removal_run(datasette, database, article),
        "versions": versions,
        "steps": list(reversed(steps)),
        "compared": compared,
        "full_context": context_words is None,
        "database": database,
        "prefix": prefix(datasette, database),
    }
    return html_response(await datasette.render_template("hepza_history.html", context, request=request))


async def stylesheet(datasette, request):
    return Response(
        (HERE / "hepza.css").read_text(encoding="utf-8"),
        content_type="text/css; charset=utf-8",
        headers={"cache-control": "max-age=3600"},
    )
