"""Rendering cells: ``body_html`` of the articles table is the only column rendered as HTML, and it is
sanitised again with the archive's allow-list when shown, so a hostile row written by anything else stays
inert. ``*_diff_html`` columns may only hold ``<ins>`` and ``<del>``. Titles, document numbers and our own
page paths become links. Times read in Vietnam time (``02/12/2026 14:05 UTC+7``, the stored value in the
``<time>`` element), URLs with their Vietnamese letters (the link keeps the URL as stored), lists of names
as names (archive/datasette/display.py).
"""

from __future__ import annotations

import html
import re

import markupsafe
import nh3

from archive.datasette import DATABASE
from archive.datasette.display import display_url, name_list, parse_time, vn_time
from archive.datasette.portals import prefix, served
from archive.datasette.sqlfunctions import citing_url
from pipelines.sanitize import sanitize_html
from pipelines.urls import join_url

# Values that render_cell turns into links: only these exact shapes, so no query can inject a link. The
# canned queries write them for the one archive (``hepza_citing_url`` names the ``hepza`` database): serving
# a folder, they are made the page of the portal whose table shows them.
_LINK_RE = re.compile(
    r"(?P<ours>/-/article/\d+(?:/history)?)|/"
    + DATABASE
    + r"(?P<citing>/articles_citing_document\?number=[A-Za-z0-9%._~-]*)"
)


_URL_ATTR_RE = re.compile(r'\b(src|href)="([^"]*)"')
# Columns holding a time (ISO 8601 with offset: published_at, captured_at, removed_at, missing_since…) and
# lists of names.
_TIME_COLUMN_RE = re.compile(r".*(_at|_since)")
_NAME_COLUMNS = ("authors", "photo_credits", "roles")


def http_url(value) -> str | None:
    """The URL if it is http(s), else None: no other scheme ever becomes a link."""
    if isinstance(value, str) and re.match(r"https?://", value.strip(), re.I):
        return value.strip()
    return None


def render_body(body_html: str | None, base_url: str | None = None) -> markupsafe.Markup:
    """A body as safe HTML: sanitised again with the archive's allow-list (whatever the row holds), and
    its relative links and images made absolute against the article's portal URL (so they do not point
    into the archive's own site). Only http(s) and mailto URLs survive the allow-list."""
    clean = sanitize_html(body_html)
    base = http_url(base_url)
    if base:

        def absolute(match: re.Match) -> str:
            url = join_url(base, html.unescape(match.group(2)))
            if url is None or not re.match(r"(https?|mailto):", url, re.I):
                return ""
            return f'{match.group(1)}="{html.escape(url, quote=True)}"'

        clean = _URL_ATTR_RE.sub(absolute, clean)
    return markupsafe.Markup(clean)


def _safe_diff(value: str) -> markupsafe.Markup:
    return markupsafe.Markup(nh3.clean(value, tags={"ins", "del"}, attributes={}, strip_comments=True))


def render_cell(row, value, column, table, database, datasette):
    """The HTML of one cell of the archive, or None to let datasette render it as usual."""
    if database not in served(datasette) or not isinstance(value, str):
        return None
    if table == "articles" and column == "body_html":
        base = row["url"] if "url" in row.keys() else None
        return (
            markupsafe.Markup('<div class="hepza-body">')
            + render_body(value, base)
            + markupsafe.Markup("</div>")
        )
    if table == "articles" and column == "title" and "id" in row.keys():
        href = datasette.urls.path(f"{prefix(datasette, database)}/-/article/{int(row['id'])}")
        return markupsafe.Markup(f'<a href="{markupsafe.escape(href)}">{markupsafe.escape(value)}</a>')
    if table == "document_refs" and column == "number":
        href = datasette.urls.path(citing_url(value, database))
        return markupsafe.Markup(f'<a href="{markupsafe.escape(href)}">{markupsafe.escape(value)}</a>')
    shown = _readable(column, value)
    if shown is not None:
        return shown
    if column.endswith("diff_html"):
        return markupsafe.Markup('<div class="hepza-diff">') + _safe_diff(value) + markupsafe.Markup("</div>")
    link = _LINK_RE.fullmatch(value)
    if link:
        if link["ours"]:
            href = datasette.urls.path(prefix(datasette, database) + link["ours"])
        else:
            href = datasette.urls.path(f"/{database}{link['citing']}")
        return markupsafe.Markup(f'<a href="{markupsafe.escape(href)}">{markupsafe.escape(value)}</a>')
    return None


def _readable(column: str, value: str) -> markupsafe.Markup | None:
    """A time, a URL or a list of names as a person reads it; None for any other value."""
    if _TIME_COLUMN_RE.fullmatch(column) and parse_time(value) is not None:
        return markupsafe.Markup(
            f'<time datetime="{markupsafe.escape(value)}" title="{markupsafe.escape(value)}">'
            f"{markupsafe.escape(vn_time(value, zone='short'))}</time>"
        )
    if (column == "url" or column.endswith("_url")) and http_url(value):
        return markupsafe.Markup(
            f'<a href="{markupsafe.escape(http_url(value))}" rel="noopener noreferrer nofollow">'
            f"{markupsafe.escape(display_url(value))}</a>"
        )
    if column in _NAME_COLUMNS:
        names = name_list(value)
        if names is not None:
            return (
                markupsafe.Markup('<span class="hepza-names">')
                + markupsafe.escape(", ".join(names))
                + markupsafe.Markup("</span>")
            )
    return None
