"""The change desk ``/-/changes``: every change event (archive/changefeed.py) as a page a journalist reads,
with a filter form (GET parameters, no script), a sort toggle (time or significance), and each event linked
to its article and its diff; ``/-/changes.json`` and ``/-/changes.csv`` answer the same list with the same
filters, and ``/-/feed.atom`` with any of those filters is the Atom feed of that list (:func:`atom`).

Serving a folder of portal archives, ``/-/changes`` lists the events of every portal (``?portal=NAME``
one of them) and ``/<portal>/-/changes`` one portal's.
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from urllib.parse import urlencode

from datasette.utils.asgi import Response

from archive.changefeed import KIND_LABELS, KINDS, BadFilter, ChangeEvent, Filters, change_events, select
from archive.datasette import HERE, i18n
from archive.datasette.pages import check_view, html_response
from archive.datasette.portals import database_for, portals, prefix, served

PAGE_SIZE = 100
# The JSON and CSV answer this many events unless asked for fewer (``?limit=``).
API_LIMIT = 5000
# The query parameters that filter (a feed asked for with any of them is the feed of that list).
FILTER_PARAMS = ("portal", "category", "kind", "since", "until", "min", "q", "sort")
CSV_COLUMNS = (
    "at",
    "portal",
    "kind",
    "kinds",
    "significance",
    "article_id",
    "title",
    "url",
    "category",
    "summary",
    "factors",
    "version",
    "articles",
    "page",
)


def is_filtered(request) -> bool:
    """Whether a request names any filter of the change list (the Atom feed then is that list's)."""
    return any(request.args.get(name) for name in FILTER_PARAMS)


def _params(request) -> dict[str, list[str]]:
    return {name: request.args.getlist(name) for name in FILTER_PARAMS}


async def events_for(datasette, request, filters: Filters) -> tuple[list[str], bool, list[ChangeEvent]]:
    """The databases the request covers, whether it covers every portal, and their events."""
    cross = portals(datasette) is not None and "portal" not in request.url_vars
    databases = served(datasette) if cross else [database_for(datasette, request)]
    events: list[ChangeEvent] = []
    for name in databases:
        await check_view(datasette, request, name)
        if filters.portal and filters.portal != name and cross:
            continue
        # (each archive read on datasette's own connection, in its thread: the server answers meanwhile)
        found = await datasette.get_database(name).execute_fn(
            lambda conn, name=name: change_events(
                conn, replace(filters, limit=None, portal=None), portal=name
            )
        )
        events += found
    return databases, cross, select(events, filters)


def article_page(datasette, event: ChangeEvent) -> str:
    """Where an event leads: an edit to its diff, a removal to the history, anything else to the article."""
    base = f"{prefix(datasette, event.portal)}/-/article/{event.article_id}"
    if event.version is not None and "edit" in event.kinds:
        return datasette.urls.path(f"{base}/history#v{event.version}")
    if event.kind in ("removal", "removal_pending", "return"):
        return datasette.urls.path(f"{base}/history")
    return datasette.urls.path(base)


async def _categories(datasette, databases: list[str]) -> list[str]:
    names: set[str] = set()
    for database in databases:
        result = await datasette.get_database(database).execute(
            "SELECT DISTINCT category FROM articles WHERE category IS NOT NULL"
        )
        names.update(str(row[0]) for row in result.rows)
    return sorted(names)


def _csv(datasette, events: list[ChangeEvent]) -> Response:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for event in events:
        data = event.as_dict()
        data["kinds"] = " ".join(event.kinds)
        data["factors"] = "; ".join(
            f"{f.name} {f.weight}" + (f" ({f.detail})" if f.detail else "") for f in event.factors
        )
        data["articles"] = " ".join(str(i) for i in event.articles)
        data["page"] = article_page(datasette, event)
        writer.writerow(["" if data.get(c) is None else data[c] for c in CSV_COLUMNS])
    return Response(
        out.getvalue(),
        content_type="text/csv; charset=utf-8",
        headers={"content-disposition": 'inline; filename="changes.csv"'},
    )


def _number(value: str | None, default: int, most: int) -> int:
    try:
        return max(1, min(most, int(value or default)))
    except ValueError:
        return default


async def changes_page(datasette, request):
    fmt = request.url_vars.get("format")
    error: str | None = None
    try:
        filters = Filters.from_params(_params(request))
    except BadFilter as exc:
        if fmt in (".json", ".csv"):
            return Response.json({"ok": False, "error": str(exc)}, status=400)
        filters, error = Filters(), str(exc)  # (the page says so, and lists every change)
    databases, cross, events = await events_for(datasette, request, filters)
    if fmt == ".json":
        limit = _number(request.args.get("limit"), API_LIMIT, API_LIMIT)
        return Response.json(
            {
                "ok": True,
                "filters": filters.params(),
                "total": len(events),
                "events": [
                    {**e.as_dict(), "page": article_page(datasette, e), "label": e.label}
                    for e in events[:limit]
                ],
            },
            default=str,
        )
    if fmt == ".csv":
        return _csv(datasette, events[: _number(request.args.get("limit"), API_LIMIT, API_LIMIT)])
    page = _number(request.args.get("page"), 1, 10**6)
    shown = events[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    own = "" if cross else prefix(datasette, databases[0])
    # (the labels of kinds and factors in the page's language; the JSON and CSV above stay English)
    lang = i18n.request_language(request)
    t = i18n.translator(lang)
    query = filters.params()

    def url(path: str, **changes: str | None) -> str:
        params = {k: v for k, v in {**query, **changes}.items() if v}
        return datasette.urls.path(own + path) + ("?" + urlencode(params) if params else "")

    context = {
        "filters": filters,
        "chosen_kinds": set(filters.kinds),
        "error": error,
        "events": [
            {
                "event": e,
                "label": t(e.label),
                "factors": [(i18n.factor_name(f.name, lang), f.weight) for f in e.factors],
                "page": article_page(datasette, e),
                "article": datasette.urls.path(f"{prefix(datasette, e.portal)}/-/article/{e.article_id}"),
                "prefix": prefix(datasette, e.portal),
            }
            for e in shown
        ],
        "total": len(events),
        "first": (page - 1) * PAGE_SIZE + 1,
        "kinds": [(k, t(KIND_LABELS[k])) for k in KINDS],
        "categories": await _categories(datasette, databases),
        "cross": cross,
        "portals": databases if cross else [],
        "labelled": portals(datasette) is not None,
        "database": databases[0],
        "action": datasette.urls.path(own + "/-/changes"),
        "by_time": url("/-/changes", sort=None, page=None),
        "by_significance": url("/-/changes", sort="significance", page=None),
        "json_url": url("/-/changes.json"),
        "csv_url": url("/-/changes.csv"),
        "feed_url": url("/-/feed.atom", sort=None),
        "previous_url": url("/-/changes", page=str(page - 1)) if page > 1 else None,
        "next_url": url("/-/changes", page=str(page + 1)) if page * PAGE_SIZE < len(events) else None,
    }
    return html_response(await datasette.render_template("hepza_desk.html", context, request=request))


async def stylesheet(datasette, request):
    """The desk's own stylesheet (a file of its own: the pages' CSP lets styles come from the server)."""
    return Response(
        (HERE / "hepza-desk.css").read_text(encoding="utf-8"),
        content_type="text/css; charset=utf-8",
        headers={"cache-control": "max-age=3600"},
    )
