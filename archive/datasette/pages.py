"""Pages: ``/-/article/<id>`` (body, metadata, versions), ``/-/article/<id>/history`` (every change,
highlighted) and ``/-/article/<id>/compare?from=N&to=M`` (any two versions, inline or side by side, with
prev/next), with the helpers they share with the Atom feed, and the stylesheet. Serving a folder of portal
archives, each portal's pages are under its name (``/<portal>/-/article/<id>``).

Images and attachments are shown from the archive (archive/datasette/archived_files.py) or as a labelled
placeholder: no page makes the reader's browser ask the portal for anything (the CSP allows images from
this server alone, and every answer says ``Referrer-Policy: no-referrer``).
"""

from __future__ import annotations

import asyncio
import json
from urllib.parse import urlencode

import markupsafe
from datasette.utils.asgi import NotFound, Response

from archive.datasette import DATABASE, HERE, archived_files
from archive.datasette.cells import http_url, render_body
from archive.datasette.diff_views import VIEWS, field_views
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
    "form-action 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'"
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
        version["diffs"] = field_views(previous, version, context_words=12)
        previous = version


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
    files = await db.execute_fn(lambda conn: archived_files.latest_files(conn, article_id))
    base = prefix(datasette, database)

    def file_href(url: str | None) -> str | None:
        """Our path to the archived copy of a URL, None when the archive does not hold it."""
        found = archived_files.find(files, url)
        return datasette.urls.path(f"{base}/-/article/{article_id}/file/{found['id']}") if found else None

    images = [
        {
            "url": i.get("src"),
            "archived": file_href(i.get("src")),
            "caption": i.get("caption"),
            "credit": i.get("credit"),
        }
        for i in load_json(article.get("images"), [])
        if isinstance(i, dict)
    ]
    attachments = [
        {"url": a.get("url"), "archived": file_href(a.get("url")), "title": a.get("title") or a.get("url")}
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
        "body": render_body(article.get("body_html"), article.get("url"), file_href),
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


def _view(request) -> str:
    view = request.args.get("view")
    return view if view in VIEWS else "inline"


def _shown(view: str) -> str | None:
    """The ``view`` parameter of a link: none for the default (inline)."""
    return None if view == "inline" else view


def _query(**params) -> str:
    """A query string of the set parameters (for the toggle and step links of the same page)."""
    return "?" + urlencode({k: v for k, v in params.items() if v is not None})


def _history_views(versions: list[dict], context_words: int | None) -> list[dict]:
    steps = []
    for previous, version in zip(versions, versions[1:], strict=False):
        version["changed"] = load_json(version.get("changed_fields"), [])
        steps.append(
            {
                "from": previous,
                "to": version,
                "diffs": field_views(previous, version, context_words=context_words),
            }
        )
    return steps


async def history_page(datasette, request):
    database = database_for(datasette, request)
    await check_view(datasette, request, database)
    article_id = int(request.url_vars["id"])
    article = await _article(datasette, database, article_id)
    versions = await _versions(datasette, database, article_id)
    context = "all" if request.args.get("context") == "all" else None
    view = _view(request)
    base = prefix(datasette, database)
    if request.args.get("from") and request.args.get("to"):  # the history's older compare form
        target = {
            "from": request.args["from"],
            "to": request.args["to"],
            "view": request.args.get("view"),
            "context": context,
        }
        return Response.redirect(
            datasette.urls.path(f"{base}/-/article/{article_id}/compare") + _query(**target)
        )
    steps = await asyncio.to_thread(_history_views, versions, None if context else 12)
    context_vars = {
        "article": article,
        "removal_run": await _removal_run(datasette, database, article),
        "versions": versions,
        "steps": list(reversed(steps)),
        "full_context": context is not None,
        "view": view,
        "toggle": {v: _query(view=_shown(v), context=context) for v in VIEWS},
        "context_href": {
            "all": _query(view=_shown(view), context="all"),
            "changes": _query(view=_shown(view)),
        },
        "compare_href": datasette.urls.path(f"{base}/-/article/{article_id}/compare"),
        "database": database,
        "prefix": base,
    }
    return html_response(await datasette.render_template("hepza_history.html", context_vars, request=request))


def _numbers(request, numbers: list[int]) -> tuple[int, int]:
    """The two versions asked for (``from`` and ``to``), by default the last change: the one before the
    latest and the latest. A number the article does not have is a 404, said in a sentence."""
    latest = numbers[-1]
    defaults = {"from": max(latest - 1, numbers[0]), "to": latest}
    chosen = []
    for name in ("from", "to"):
        raw = request.args.get(name) or str(defaults[name])
        if not raw.isdigit() or int(raw) not in numbers:
            raise NotFound(f"This article has no version {raw!r}: it has versions {numbers[0]} to {latest}")
        chosen.append(int(raw))
    return chosen[0], chosen[1]


async def compare_page(datasette, request):
    """Any two versions of an article compared, inline or side by side, with links to step through them."""
    database = database_for(datasette, request)
    await check_view(datasette, request, database)
    article_id = int(request.url_vars["id"])
    article = await _article(datasette, database, article_id)
    versions = await _versions(datasette, database, article_id)
    if not versions:
        raise NotFound(f"Article {article_id} has no versions")
    numbers = [v["version"] for v in versions]
    old_n, new_n = _numbers(request, numbers)
    by_number = {v["version"]: v for v in versions}
    context = "all" if request.args.get("context") == "all" else None
    view = _view(request)
    diffs = await asyncio.to_thread(
        field_views, by_number[old_n], by_number[new_n], context_words=None if context else 12
    )
    base = prefix(datasette, database)
    here = datasette.urls.path(f"{base}/-/article/{article_id}/compare")
    shown_view = _shown(view)

    def href(old: int, new: int) -> str:
        return here + _query(**{"from": old, "to": new, "view": shown_view, "context": context})

    # Stepping is by one change: the change before the older version, the change after the newer one.
    steps = {
        "previous": href(old_n - 1, old_n) if old_n - 1 in by_number else None,
        "next": href(new_n, new_n + 1) if new_n + 1 in by_number else None,
        "earliest_latest": href(numbers[0], numbers[-1]) if len(numbers) > 1 else None,
    }
    ref = article.get("asset_id") or f"id-{article_id}"
    context_vars = {
        "article": article,
        "versions": versions,
        "old": by_number[old_n],
        "new": by_number[new_n],
        "diffs": diffs,
        "view": view,
        "full_context": context is not None,
        "toggle": {
            v: here + _query(**{"from": old_n, "to": new_n, "view": _shown(v), "context": context})
            for v in VIEWS
        },
        "context_href": {
            "all": here + _query(**{"from": old_n, "to": new_n, "view": shown_view, "context": "all"}),
            "changes": here + _query(**{"from": old_n, "to": new_n, "view": shown_view}),
        },
        "steps": steps,
        "compare_href": here,
        "permalink": lambda n: datasette.urls.path(f"{base}/-/version/{ref}/{n}"),
        "database": database,
        "prefix": base,
    }
    return html_response(await datasette.render_template("hepza_compare.html", context_vars, request=request))


async def stylesheet(datasette, request):
    return Response(
        (HERE / "hepza.css").read_text(encoding="utf-8"),
        content_type="text/css; charset=utf-8",
        headers={"cache-control": "max-age=3600"},
    )
