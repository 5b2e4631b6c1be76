"""``/-/charts``: pictures of what the agency published, edited and removed, drawn in the reader's browser.

The page holds the figures as tables (readable without scripts, and what the charts are drawn from) and
loads Vega-Lite, vendored from the npm registry under ``static/vendor/`` (scripts/vendor-charts), plus
``static/charts.js``, which draws one chart per table. Nothing is asked of another origin: the scripts and
the figures (``/-/charts.json``) come from this server, and Vega's expressions run through
vega-interpreter, so the page's Content-Security-Policy allows scripts of this origin only, with no
``'unsafe-eval'``. Each chart's menu saves it as SVG or PNG.

- ``/-/charts``: the one archive; serving a folder of portal archives, every portal (with a portal
  filter); ``/<portal>/-/charts``: one portal.
- ``?category=NAME`` keeps one category; ``?article=ID`` (one portal) adds that article's timeline.
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

from datasette.utils.asgi import NotFound, Response

from archive.charts import KINDS, article_timeline, monthly_counts, most_edited
from archive.datasette import HERE
from archive.datasette.pages import check_view
from archive.datasette.portals import PORTAL, database_for, portals, prefix, served

STATIC = HERE / "static"
# The files /-/hepza/static/ serves, by name (nothing else: no path is read from the URL).
_STATIC_FILES = {
    "charts.js": "text/javascript",
    "vega-util-shim.js": "text/javascript",
    "vendor/vega.min.js": "text/javascript",
    "vendor/vega-lite.min.js": "text/javascript",
    "vendor/vega-embed.min.js": "text/javascript",
    "vendor/vega-interpreter.js": "text/javascript",
}
MOST_EDITED = 20


def _csp(import_map: str) -> str:
    """The charts page's policy: scripts of this origin and the one inline import map (by its hash)."""
    digest = base64.b64encode(hashlib.sha256(import_map.encode("utf-8")).digest()).decode("ascii")
    return (
        f"default-src 'self'; script-src 'self' 'sha256-{digest}'; object-src 'none'; base-uri 'none'; "
        "frame-src 'none'; form-action 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'"
    )


def _databases(datasette, request) -> list[str]:
    """The archives a charts page covers: its portal's, or (``/-/charts`` over a folder) every portal or
    the one ``?portal=`` names."""
    if request.url_vars.get("portal") is not None or portals(datasette) is None:
        return [database_for(datasette, request)]
    names = served(datasette)
    wanted = request.args.get("portal")
    if wanted:
        if wanted not in names:
            raise NotFound(f"No portal named {wanted} is served here")
        return [wanted]
    return names


def _figures(conn, category: str | None, article_id: int | None) -> dict:
    monthly = [row for row in monthly_counts(conn) if category is None or row["category"] == category]
    figures: dict = {"monthly": monthly, "most_edited": most_edited(conn, MOST_EDITED)}
    if article_id is not None:
        row = conn.execute("SELECT title FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            raise NotFound(f"No article {article_id}")
        figures["article"] = {
            "id": article_id,
            "title": row[0],
            "timeline": article_timeline(conn, article_id),
        }
    return figures


async def chart_figures(datasette, request) -> dict:
    """The figures of the page asked for: every covered archive's, each row labelled with its portal."""
    databases = _databases(datasette, request)
    for database in databases:
        await check_view(datasette, request, database)
    category = request.args.get("category") or None
    article_id = _article_id(request, databases)
    out: dict = {"monthly": [], "most_edited": [], "kinds": list(KINDS)}
    for database in databases:
        figures = await datasette.get_database(database).execute_fn(
            lambda conn: _figures(conn, category, article_id)
        )
        for key in ("monthly", "most_edited"):
            out[key].extend({"portal": database, **row} for row in figures[key])
        if "article" in figures:
            out["article"] = {"portal": database, **figures["article"]}
    out["most_edited"] = sorted(out["most_edited"], key=lambda row: (-row["edits"], row["portal"], row["id"]))
    out["most_edited"] = out["most_edited"][:MOST_EDITED]
    return out


def _article_id(request, databases: list[str]) -> int | None:
    value = request.args.get("article")
    if not value:
        return None
    if len(databases) != 1:
        raise NotFound("An article's timeline is on its portal's charts page, /<portal>/-/charts")
    try:
        return int(value)
    except ValueError:
        raise NotFound(f"No article {value}") from None


async def charts_json(datasette, request):
    return Response.json(await chart_figures(datasette, request))


async def charts_page(datasette, request):
    figures = await chart_figures(datasette, request)
    databases = _databases(datasette, request)
    one = databases[0] if len(databases) == 1 else None
    page_prefix = prefix(datasette, one) if one is not None else ""
    import_map = json.dumps(
        {"imports": {"vega-util": datasette.urls.path("/-/hepza/static/vega-util-shim.js")}}, sort_keys=True
    )
    query = request.query_string
    context = {
        "figures": figures,
        "kinds": KINDS,
        "categories": sorted({row["category"] for row in figures["monthly"]}),
        "category": request.args.get("category") or "",
        "portals": portals(datasette) if not request.url_vars.get("portal") else None,
        "portal": request.args.get("portal") or "",
        "database": one,
        "prefix": page_prefix,
        "import_map": import_map,
        "data_url": datasette.urls.path(f"{page_prefix}/-/charts.json") + (f"?{query}" if query else ""),
        "static": datasette.urls.path("/-/hepza/static/"),
        "by_portal": len(databases) > 1,
    }
    response = Response.html(await datasette.render_template("hepza_charts.html", context, request=request))
    response.headers["content-security-policy"] = _csp(import_map)
    response.headers["x-content-type-options"] = "nosniff"
    return response


async def static_file(datasette, request):
    name = request.url_vars["path"]
    content_type = _STATIC_FILES.get(name)
    if content_type is None:
        raise NotFound("No such file")
    path: Path = STATIC / name
    return Response(
        path.read_bytes(),
        content_type=f"{content_type}; charset=utf-8",
        headers={"cache-control": "max-age=3600", "x-content-type-options": "nosniff"},
    )


ROUTES = [
    (r"^/-/charts$", charts_page),
    (r"^/-/charts\.json$", charts_json),
    (rf"^/{PORTAL}/-/charts$", charts_page),
    (rf"^/{PORTAL}/-/charts\.json$", charts_json),
    (r"^/-/hepza/static/(?P<path>.+)$", static_file),
]
