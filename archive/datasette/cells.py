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
from collections.abc import Callable

import lxml.html
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


# Columns holding a time (ISO 8601 with offset: published_at, captured_at, removed_at, missing_since…) and
# lists of names.
_TIME_COLUMN_RE = re.compile(r".*(_at|_since)")
_NAME_COLUMNS = ("authors", "photo_credits", "roles")


def http_url(value) -> str | None:
    """The URL if it is http(s), else None: no other scheme ever becomes a link."""
    if isinstance(value, str) and re.match(r"https?://", value.strip(), re.I):
        return value.strip()
    return None


# What stands in for an image the archive does not hold: the page never asks the portal for it.
MISSING_IMAGE = "Ảnh không được lưu trữ / image not archived"


def missing_image(url: str | None, alt: str | None = None) -> lxml.html.HtmlElement:
    """A labelled placeholder for an image not in the archive: its original URL as text, not a link."""
    box = lxml.html.Element("span", {"class": "hepza-missing", "lang": "vi"})
    box.text = MISSING_IMAGE + (f" — {alt}" if alt else "")
    if url:
        code = lxml.html.Element("code")
        code.text = url
        code.tail = None
        box.text += ": "
        box.append(code)
    return box


def render_body(
    body_html: str | None,
    base_url: str | None = None,
    image_href: Callable[[str], str | None] | None = None,
) -> markupsafe.Markup:
    """A body as safe HTML: sanitised again with the archive's allow-list (whatever the row holds), its
    relative links made absolute against the article's portal URL (so they do not point into the
    archive's own site), and its images taken from the archive: ``image_href(absolute url)`` is our own
    path to the archived file, or None, and then (and without ``image_href``) a labelled placeholder
    stands in for the image. No ``src`` ever names the portal, so showing a body sends it no request.
    Only http(s) and mailto links survive; they carry ``rel="noopener noreferrer nofollow"``."""
    clean = sanitize_html(body_html)
    if not clean:
        return markupsafe.Markup(clean)
    base = http_url(base_url)
    root = lxml.html.fragment_fromstring(clean, create_parent="div")
    for link in root.iter("a"):
        href = link.get("href")
        if href is None:
            continue
        url = join_url(base, href) if base else href
        if url is None or not re.match(r"(https?|mailto):", url, re.I):
            link.attrib.pop("href")
        else:
            link.set("href", url)
            link.set("rel", "noopener noreferrer nofollow")
    for image in list(root.iter("img")):
        src = image.get("src") or ""
        url = join_url(base, src) if base else src
        local = image_href(url) if (image_href and url) else None
        if local:
            image.set("src", local)
            continue
        placeholder = missing_image(url if url and http_url(url) else None, image.get("alt"))
        placeholder.tail = image.tail
        parent = image.getparent()
        if parent is not None:  # (every image is inside the fragment's wrapper)
            parent.replace(image, placeholder)
    inner = (root.text and html.escape(root.text, quote=False) or "") + "".join(
        lxml.html.tostring(child, encoding="unicode") for child in root
    )
    return markupsafe.Markup(inner)


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
