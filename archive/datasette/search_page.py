"""``/-/search``: the search page people can trust (archive/searching.py does the searching).

A word typed without diacritics finds every accented form, one typed with them those letters; each hit
shows its title and a snippet of the text as written with the matched words marked; a query with no word
gets a plain sentence (never "Invalid SQL"); the "search past versions" box finds text later removed.
``/-/search.json`` answers the same as JSON.
"""

from __future__ import annotations

from urllib.parse import urlencode

import markupsafe
from datasette.utils.asgi import Response

from archive.datasette import DATABASE
from archive.datasette.pages import check_view, html_response
from archive.searching import BadQuery, SearchResults, search

PAGE_SIZE = 20


def _marked(pieces) -> markupsafe.Markup:
    """Pieces of text as HTML, the matched ones in ``<mark>`` (everything escaped)."""
    return markupsafe.Markup("").join(
        markupsafe.Markup("<mark>{}</mark>").format(text) if matched else markupsafe.escape(text)
        for text, matched in pieces
    )


def _page_number(value: str | None) -> int:
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1


def _json(results: SearchResults | None, error: str | None) -> Response:
    if results is None:
        return Response.json({"ok": False, "error": error}, status=400)
    return Response.json(
        {
            "ok": True,
            "query": results.query.text,
            "past_versions": results.past_versions,
            "total": results.total,
            "hits": [
                {
                    "id": hit.article.id,
                    "url": hit.article.url,
                    "title": hit.article.title,
                    "published_at": hit.article.published_at,
                    "removed_at": hit.article.removed_at,
                    "version": hit.version,
                    "in_current": hit.in_current,
                    "snippet": [{"text": t, "match": m} for t, m in hit.snippet],
                }
                for hit in results.hits
            ],
        }
    )


async def search_page(datasette, request):
    await check_view(datasette, request)
    typed = request.args.get("q")
    past = request.args.get("past") == "1"
    page = _page_number(request.args.get("page"))
    results: SearchResults | None = None
    error = None
    if typed is not None:
        try:
            results = await datasette.get_database(DATABASE).execute_fn(
                lambda conn: search(
                    conn, typed, past_versions=past, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
                )
            )
        except BadQuery as exc:
            error = str(exc)
    if request.url_vars.get("format") == ".json":
        return _json(results, error or ("no query: add ?q=" if typed is None else None))

    def page_url(number: int) -> str:
        return "?" + urlencode({"q": typed or "", **({"past": "1"} if past else {}), "page": number})

    hits = [
        {
            "hit": hit,
            "title": _marked(hit.title) if hit.title else hit.article.title or f"Article {hit.article.id}",
            "snippet": _marked(hit.snippet),
        }
        for hit in (results.hits if results else ())
    ]
    pages = -(-results.total // PAGE_SIZE) if results else 0
    context = {
        "typed": typed or "",
        "past": past,
        "results": results,
        "hits": hits,
        "error": error,
        "page": page,
        "previous_url": page_url(page - 1) if page > 1 else None,
        "next_url": page_url(page + 1) if page < pages else None,
        "database": DATABASE,
    }
    return html_response(await datasette.render_template("hepza_search.html", context, request=request))
