"""Finding an article from any URL: ``/-/lookup?url=<any URL of it>`` (or its id) sends the reader to its
page, as ``hepza history <URL>`` finds it: the same function (archive.reading.resolve_article_id), so the
same forms (Unicode or percent-encoded slug, trailing slash, tracking parameters, http or https, the real
portal's host for an archive of a replica and the reverse, a locale prefix). Serving a folder of portal
archives, ``/-/lookup`` looks in each portal's archive, ``/<portal>/-/lookup`` in that one.
"""

from __future__ import annotations

import re

from datasette.utils.asgi import Response

from archive.datasette.pages import check_view, html_response
from archive.datasette.portals import database_for, portals, prefix, served
from archive.reading import resolve_article_id


async def find_article(datasette, databases: list[str], ref: str) -> tuple[str, int] | None:
    """The first served database holding an article that ``ref`` (an id or any URL of it) names."""
    ref = (ref or "").strip()
    if not ref:
        return None
    for name in databases:

        def resolve(conn) -> int | None:
            try:
                return resolve_article_id(conn, ref)
            except LookupError:
                return None

        found = await datasette.get_database(name).execute_fn(resolve)
        if found is not None:
            return name, found
    return None


async def lookup_page(datasette, request):
    """An article found: sent to its page. Else the form, and a sentence when the URL matched nothing."""
    cross = portals(datasette) is not None and request.url_vars.get("portal") is None
    databases = served(datasette) if cross else [database_for(datasette, request)]
    for name in databases:
        await check_view(datasette, request, name)
    ref = (request.args.get("url") or request.args.get("article") or "").strip()
    found = await find_article(datasette, databases, ref)
    if found is not None:
        name, article_id = found
        return Response.redirect(datasette.urls.path(f"{prefix(datasette, name)}/-/article/{article_id}"))
    response = html_response(
        await datasette.render_template("hepza_lookup.html", {"ref": ref}, request=request)
    )
    response.status = 404 if ref else 200
    return response


async def url_hit(datasette, databases: list[str], typed: str | None) -> dict | None:
    """The search page's answer to a URL typed in its box: the article it names ({href, title}), if any."""
    text = (typed or "").strip()
    if not re.match(r"(?i)(https?://|/)\S+$", text):
        return None
    found = await find_article(datasette, databases, text)
    if found is None:
        return None
    name, article_id = found
    rows = await datasette.get_database(name).execute("SELECT title FROM articles WHERE id = ?", [article_id])
    title = rows.first()["title"] if rows.first() else None
    return {
        "href": datasette.urls.path(f"{prefix(datasette, name)}/-/article/{article_id}"),
        "title": title or f"#{article_id}",
        "portal": name,
        "id": article_id,
    }
