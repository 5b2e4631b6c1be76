"""The datasette plugin of `hepza serve`: folded search, safe bodies and diffs, article pages, Atom feed.

This module holds only the hook implementations (it is the module ``archive.browse.register_plugin``
registers); each delegates to the module that does the job:

- ``search``: the archive indexes *folded* text, so an ASGI wrapper folds the ``_search`` /
  ``_search_<column>`` parameters the same way before datasette sees them; the search box still shows what
  was typed.
- ``sqlfunctions``: ``hepza_fold`` and ``hepza_fts_query`` do the same for canned queries, with
  ``hepza_diff_html`` and ``hepza_citing_url``.
- ``cells``: ``body_html`` of the articles table is the only column rendered as HTML, sanitised again with
  the archive's allow-list when shown; ``*_diff_html`` columns may only hold ``<ins>`` and ``<del>``.
- ``facets``: the ``year`` and ``removed`` facets.
- ``search_page``: ``/-/search`` (and ``.json``): marked words match their letters, snippets, bad queries
  as sentences, past versions (archive/searching.py).
- ``desk``: ``/-/changes`` (and ``.json``, ``.csv``), the change desk: every change event of
  archive/changefeed.py, filtered and ranked; ``/-/feed.atom?kind=…`` is the feed of such a list.
- ``pages``: ``/-/article/<id>`` (body, metadata, versions), ``/-/article/<id>/history`` (highlighted word
  diffs between versions) and the stylesheet; ``feed``: ``/-/feed.atom`` (new and changed articles);
  ``permalinks``: ``/-/version/<asset id>/<n>`` (a version to cite, its capture replayed from the archive).
- ``archived_files``: ``/-/article/<id>/file/<n>``, an article's image or attachment from the archive;
  ``privacy``: ``Referrer-Policy: no-referrer`` on every answer.
- ``display``, ``i18n``: times in Vietnam time with the zone named, URLs decoded, names not JSON; our
  pages in Vietnamese or English (``?lang=``, a cookie, the browser's language). ``exports``: ``?_bom=1``
  CSV for Excel and ``.jsonl``. ``lookup``: ``/-/lookup?url=`` finds an article from any URL form.
- ``portals``: serving a folder of portal archives, every page of one archive is also under its portal's
  name (``/<portal>/-/article/<id>``…), and ``/-/search`` and ``/-/feed.atom`` cover every portal.
- ``charts``: ``/-/charts`` (and ``/<portal>/-/charts``): published, edited and removed per month, the most
  edited articles, an article's timeline, drawn in the browser with the vendored Vega-Lite.
"""

from __future__ import annotations

from datasette import hookimpl

from archive.datasette import (
    DATABASE,
    archived_files,
    cells,
    charts,
    desk,
    display,
    exports,
    facets,
    feed,
    i18n,
    lookup,
    pages,
    permalinks,
    portals,
    privacy,
    search,
    search_page,
    sqlfunctions,
)


@hookimpl
def asgi_wrapper(datasette):
    names = portals.portals(datasette) or ()
    return lambda app: privacy.no_referrer(
        i18n.language_wrapper(exports.bom_wrapper(search.folding_wrapper(app, names)))
    )


@hookimpl
def extra_template_vars(request, view_name, datasette):
    """Show the search box with the query as typed, not as folded; our pages' language and its helpers."""
    return {
        **search.search_as_typed(request, view_name),
        **i18n.template_vars(request),
        "hepza_portals": portals.portals(datasette),
    }


@hookimpl
def prepare_jinja2_environment(env, datasette):
    env.filters["url_text"] = display.display_url
    env.filters["names"] = display.names


@hookimpl
def register_output_renderer(datasette):
    return exports.JSONL_RENDERER


@hookimpl
def prepare_connection(conn):
    sqlfunctions.register_functions(conn)


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    return cells.render_cell(row, value, column, table, database, datasette)


@hookimpl
def extra_css_urls(datasette):
    return [datasette.urls.path("/-/hepza.css")]


@hookimpl
def menu_links(datasette, request):
    t = i18n.translator(i18n.request_language(request))  # (our links in the page's language)
    if portals.portals(datasette) is not None:
        return [
            {"href": datasette.urls.instance(), "label": t("Portals")},
            {"href": datasette.urls.path("/-/search"), "label": t("Search every portal")},
            {"href": datasette.urls.path("/-/changes"), "label": t("Changes of every portal")},
            {"href": datasette.urls.path("/-/feed.atom"), "label": t("Atom feed of every portal")},
            {"href": datasette.urls.path("/-/charts"), "label": t("Charts")},
        ]
    return [
        {"href": datasette.urls.path(f"/{DATABASE}/articles"), "label": t("Articles")},
        {"href": datasette.urls.path("/-/search"), "label": t("Search")},
        {"href": datasette.urls.path("/-/changes"), "label": t("Change desk")},
        {"href": datasette.urls.path("/-/feed.atom"), "label": t("Atom feed")},
        {"href": datasette.urls.path("/-/charts"), "label": t("Charts")},
    ]


@hookimpl
def register_facet_classes():
    return [facets.YearFacet, facets.RemovedFacet]


# The pages of one archive: at /-/… for the one archive (and the only portal), at /<portal>/-/… each.
_ARCHIVE_PAGES = [
    (r"/-/article/(?P<id>\d+)$", pages.article_page),
    (r"/-/article/(?P<id>\d+)/history$", pages.history_page),
    (r"/-/article/(?P<id>\d+)/compare$", pages.compare_page),
    (r"/-/article/(?P<id>\d+)/file/(?P<file>\d+)$", archived_files.article_file),
    (r"/-/search(?P<format>\.json)?$", search_page.search_page),
    (r"/-/version/(?P<ref>[0-9A-Za-z-]+)/(?P<n>\d+)$", permalinks.version_page),
    (r"/-/version/(?P<ref>[0-9A-Za-z-]+)/(?P<n>\d+)/file/(?P<file>\d+)$", permalinks.version_file),
    (r"/-/version/(?P<ref>[0-9A-Za-z-]+)/(?P<n>\d+)/proof\.json$", permalinks.version_proof),
    (r"/-/changes(?P<format>\.json|\.csv)?$", desk.changes_page),
    (r"/-/feed\.atom$", feed.feed),
    (r"/-/lookup$", lookup.lookup_page),
]


@hookimpl
def register_routes():
    return [
        *((f"^{path}", view) for path, view in _ARCHIVE_PAGES),
        *((f"^/{portals.PORTAL}{path}", view) for path, view in _ARCHIVE_PAGES),
        (r"^/-/hepza\.css$", pages.stylesheet),
        (r"^/-/hepza-desk\.css$", desk.stylesheet),
        *charts.ROUTES,
    ]
