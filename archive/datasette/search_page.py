"""``/-/search``: the search page people can trust (archive/searching.py does the searching).

A word typed without diacritics finds every accented form, one typed with them those letters; each hit
shows its title and a snippet of the text as written with the matched words marked; a query with no word
gets a plain sentence (never "Invalid SQL"); the "search past versions" box finds text later removed.
``/-/search.json`` answers the same as JSON.

Serving a folder of portal archives, ``/-/search`` searches every portal at once (``?portal=NAME`` one of
them) with the same rules: each hit is labelled by its portal, a facet counts the hits of each portal, and
the hits of several portals are taken in turn from each portal's best-first list (bm25 scores of two
indexes do not compare). ``/<portal>/-/search`` is that portal's own search page.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import urlencode

import markupsafe
from datasette.utils.asgi import Response

from archive.datasette.lookup import url_hit
from archive.datasette.pages import check_view, html_response
from archive.datasette.portals import database_for, portals, prefix, served
from archive.searching import BadQuery, SearchHit, SearchResults, search

PAGE_SIZE = 20


def _marked(pieces) -> markupsafe.Markup:
    """Pieces of text as HTML, the matched ones in ``<mark>`` (everything escaped)."""
    return markupsafe.Markup("").join(
        markupsafe.Markup("<mark>{}</mark>").format(text) if matched else markupsafe.escape(text)
        for text, matched in pieces
    )


@dataclass(frozen=True)
class Found:
    """A search over one or several archives: each searched one's results, and the hits of the page asked
    for, each with the name of the archive it is from."""

    by_database: dict[str, SearchResults]
    hits: list[tuple[str, SearchHit]]

    @property
    def total(self) -> int:
        return sum(r.total for r in self.by_database.values())

    @property
    def past_versions(self) -> bool:
        return any(r.past_versions for r in self.by_database.values())


def interleave(lists: list[list[tuple[str, SearchHit]]]) -> list[tuple[str, SearchHit]]:
    """Best-first lists merged by taking each list's next hit in turn (a portal's first, another's first…)."""
    merged: list[tuple[str, SearchHit]] = []
    for rank in range(max((len(hits) for hits in lists), default=0)):
        merged.extend(hits[rank] for hits in lists if rank < len(hits))
    return merged


async def _search(
    datasette, databases: list[str], shown: list[str], typed: str, past: bool, page: int
) -> Found:
    """Search every database of ``databases`` (for its count), the hits of page ``page`` taken from those of
    ``shown``. One database is searched for its page alone, as the one archive always was."""
    first = (page - 1) * PAGE_SIZE
    by_database: dict[str, SearchResults] = {}
    lists = []
    for name in databases:
        if name not in shown:
            limit, offset = 0, 0
        elif len(shown) == 1:
            limit, offset = PAGE_SIZE, first
        else:
            limit, offset = first + PAGE_SIZE, 0
        results = await datasette.get_database(name).execute_fn(
            lambda conn, limit=limit, offset=offset: search(
                conn, typed, past_versions=past, limit=limit, offset=offset
            )
        )
        by_database[name] = results
        lists.append([(name, hit) for hit in results.hits])
    hits = interleave(lists)
    return Found(by_database, hits if len(shown) == 1 else hits[first : first + PAGE_SIZE])


def _page_number(value: str | None) -> int:
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1


def _json(found: Found | None, error: str | None, *, cross: bool, labelled: bool) -> Response:
    """The answer as JSON: ``cross`` (every portal searched) adds each portal's count, ``labelled`` (a
    folder is served) each hit's portal."""
    if found is None:
        return Response.json({"ok": False, "error": error}, status=400)
    answer = {
        "ok": True,
        "query": next(iter(found.by_database.values())).query.text,
        "past_versions": found.past_versions,
        "total": found.total,
        **({"portals": {name: r.total for name, r in found.by_database.items()}} if cross else {}),
        "hits": [
            {
                **({"portal": name} if labelled else {}),
                "id": hit.article.id,
                "url": hit.article.url,
                "title": hit.article.title,
                "published_at": hit.article.published_at,
                "removed_at": hit.article.removed_at,
                "version": hit.version,
                "in_current": hit.in_current,
                "snippet": [{"text": t, "match": m} for t, m in hit.snippet],
            }
            for name, hit in found.hits
        ],
    }
    return Response.json(answer)


async def search_page(datasette, request):
    own = request.url_vars.get("portal")
    # /<portal>/-/search (or the one archive) searches one archive; /-/search over a folder, every portal.
    cross = portals(datasette) is not None and own is None
    databases = served(datasette) if cross else [database_for(datasette, request)]
    for name in databases:
        await check_view(datasette, request, name)
    chosen = request.args.get("portal") if cross else None
    chosen = chosen if chosen in databases else None
    typed = request.args.get("q")
    past = request.args.get("past") == "1"
    page = _page_number(request.args.get("page"))
    found: Found | None = None
    error = None
    if typed is not None:
        try:
            found = await _search(datasette, databases, [chosen] if chosen else databases, typed, past, page)
        except BadQuery as exc:
            error = str(exc)
    # A URL typed in the box: the article it names, found as `hepza history` finds it (lookup.py).
    by_url = await url_hit(datasette, [chosen] if chosen else databases, typed)
    if request.url_vars.get("format") == ".json":
        error = error or ("no query: add ?q=" if typed is None else None)
        response = _json(found, error, cross=cross, labelled=portals(datasette) is not None)
        if by_url is not None:  # (the article a URL names, beside the hits of its words)
            answer = json.loads(response.body)
            answer["article_by_url"] = by_url
            response = Response.json(answer, status=response.status)
        return response

    def page_url(number: int, portal: str | None = chosen) -> str:
        return "?" + urlencode(
            {
                "q": typed or "",
                **({"past": "1"} if past else {}),
                **({"portal": portal} if portal else {}),
                "page": number,
            }
        )

    hits = [
        {
            "hit": hit,
            "portal": name,
            "prefix": prefix(datasette, name),
            "title": _marked(hit.title) if hit.title else hit.article.title or f"Article {hit.article.id}",
            "snippet": _marked(hit.snippet),
        }
        for name, hit in (found.hits if found else ())
    ]
    shown = (found.by_database[chosen].total if chosen else found.total) if found else 0
    pages = -(-shown // PAGE_SIZE)
    facet = [
        {"name": name, "total": r.total, "url": page_url(1, name), "chosen": name == chosen}
        for name, r in (found.by_database.items() if found and cross else ())
    ]
    database = databases[0]
    context = {
        "typed": typed or "",
        "past": past,
        "results": found,
        "shown": shown,
        "hits": hits,
        "error": error,
        "page": page,
        "previous_url": page_url(page - 1) if page > 1 else None,
        "next_url": page_url(page + 1) if page < pages else None,
        "database": database,
        "prefix": "" if cross else prefix(datasette, database),
        "cross": cross,
        "portals": databases if cross else [],
        "chosen": chosen,
        "facet": facet,
        "all_url": page_url(1, None) if chosen else None,
        "by_url": by_url,
    }
    return html_response(await datasette.render_template("hepza_search.html", context, request=request))
