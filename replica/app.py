"""Routing: one request in, (status, headers, body) out. No sockets here, so tests can call it directly."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime
from importlib import resources
from urllib.parse import parse_qs, unquote, urlsplit

from . import chrome, foreign, render, sitemap
from .model import Article
from .portal import CATEGORIES, HOME, STATIC_PAGES, THEME_ROOT
from .site import Site

Response = tuple[int, list[tuple[str, str]], bytes]
HTML = "text/html;charset=UTF-8"

_OLD_AP = re.compile(r"^/web/guest/[^/]+/-/asset_publisher/[^/]+/content/(.+)$")
_DOC = re.compile(r"^/documents/\d+/\d+/([^/]+)/[0-9a-f-]{36}$")
_PATH_SESSION_RE = re.compile(r";jsessionid=[^/?#;]*", re.IGNORECASE)
_DOC_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".pdf": "application/pdf",
    ".doc": "application/msword",
}
_STATIC_TYPES = {
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
    ".jpg": "image/jpeg",
    ".js": "text/javascript;charset=UTF-8",
}


def _static(name: str) -> bytes:
    return resources.files("replica").joinpath("static", name).read_bytes()


def _html(status: int, body: bytes, extra: list[tuple[str, str]] | None = None) -> Response:
    return status, [("Content-Type", HTML), *(extra or [])], body


def _redirect(location: str) -> Response:
    return 301, [("Location", location), ("Content-Type", HTML)], b""


def handle(site: Site, method: str, target: str, headers: dict[str, str]) -> Response:
    """Answer one request; `headers` keys are lower-case."""
    if site.portal in foreign.NAMES:  # a site of another platform (replica/foreign.py)
        return foreign.handle(site, method, target, headers)  # type: ignore[arg-type]
    if site.portal != "hepza":  # another portal of the replica: its routes are data (replica/portals.py)
        from . import portals

        return portals.handle(site, method, target, headers)
    with site._lock:
        site.request_count += 1
        request_no = site.request_count
    split = urlsplit(target)
    raw_path, params = split.path or "/", {k: v[0] for k, v in parse_qs(split.query).items()}
    if ";" in raw_path:  # as Tomcat does, a servlet session id in the path names no other page
        raw_path = _PATH_SESSION_RE.sub("", raw_path)
    base = f"http://{headers.get('host', '127.0.0.1')}"

    locale = "vi"
    for prefix, loc in (("/en/", "en"), ("/vi/", "vi")):
        if raw_path.startswith(prefix) or raw_path == prefix[:-1]:
            raw_path, locale = raw_path[3:] or "/", loc
            break
    prefix = "/en" if locale == "en" else ""
    if len(raw_path) > 1 and raw_path.endswith("/"):
        raw_path = raw_path[:-1]
    path = unquote(raw_path)

    if raw_path.startswith("/w/"):
        return _article(site, raw_path[3:], locale, base, headers, request_no)
    if site.list_route:  # the route the lists link articles under (Site.list_route), answered as /w/<slug>
        head, _, tail = site.list_route.partition("{slug}")
        if raw_path.startswith(head) and raw_path.endswith(tail) and len(raw_path) > len(head) + len(tail):
            return _article(
                site, raw_path[len(head) : len(raw_path) - len(tail)], locale, base, headers, request_no
            )
    if raw_path.startswith("/-/"):
        return _old_route(site, raw_path[3:], locale, base)
    m = _OLD_AP.match(raw_path)
    if m:
        return _old_route(site, m.group(1), locale, base)
    if path == "/robots.txt":
        return 200, [("Content-Type", "text/plain;charset=UTF-8")], sitemap.robots(base).encode()
    if path == "/sitemap.xml":
        return _sitemap(site, params, base)
    if path.startswith(THEME_ROOT + "/"):
        name = path.rsplit("/", 1)[-1]
        try:
            return (
                200,
                [
                    ("Content-Type", _STATIC_TYPES.get(name[name.rfind(".") :], "application/octet-stream")),
                    ("Cache-Control", "max-age=315360000, public"),
                ],
                _static(name),
            )
        except (FileNotFoundError, IsADirectoryError):
            return _not_found(site, path, locale, base)
    if path.startswith(("/o/", "/combo")):
        stand_in = chrome.resource(path, split.query)
        if stand_in is not None:  # a platform file the chrome links to: small, never a crawl's business
            return (
                200,
                [("Content-Type", stand_in[0]), ("Cache-Control", "max-age=315360000, public")],
                stand_in[1],
            )
    m = _DOC.match(path)
    if m:
        ext = m.group(1)[m.group(1).rfind(".") :].lower()
        if ext in _DOC_TYPES:
            return _document_response(site, path, ext, m.group(1), headers)
        return _not_found(site, path, locale, base)
    if path.startswith("/web/guest"):
        # Liferay 6 page URLs: the same page without the group prefix.
        return _redirect(f"{base}{prefix}{path[len('/web/guest') :] or '/'}")
    key = path.strip("/")
    with site._lock:
        if path == "/":
            sections = [(c, site.in_category(c.key)[:5]) for c in CATEGORIES.values()]
            return _volatile(render.home_page(sections, locale, base, site.chrome), request_no)
        if key in CATEGORIES:
            return _list(site, CATEGORIES[key], params, locale, base, request_no)
    if key in STATIC_PAGES:
        return _volatile(render.static_page(STATIC_PAGES[key], locale, base, site.chrome), request_no)
    return _not_found(site, path, locale, base)


def _token(request_no: int) -> str:
    # Differs on every request, like a CSRF token, but reproducible from the request number.
    return hashlib.sha1(f"token:{request_no}".encode(), usedforsecurity=False).hexdigest()[:8]


def _volatile(page: str, request_no: int) -> Response:
    return _html(200, render.join(render.segments(page), {"token": _token(request_no).encode()}))


def _not_found(site: Site, path: str, locale: str, base: str) -> Response:
    page = render.not_found_page(path, locale, base, site.chrome)
    return _html(404, render.join(render.segments(page), {"token": b"00000000"}))


def _old_route(site: Site, raw_slug: str, locale: str, base: str) -> Response:
    a, _ = site.find(raw_slug)
    if a is None or a.removed:
        return _not_found(site, "/-/" + unquote(raw_slug), locale, base)
    return _redirect(f"{base}{'/en' if locale == 'en' else ''}/w/{a.slug}")


def _etag(a: Article, locale: str, layout: str = "liferay", breadcrumbs: str = "7.4") -> str:
    # The theme is part of what a page is: a redesign changes every page's ETag, not its content. A 6.2
    # page names every category of the article, so they are part of it too.
    suffix = "" if layout == "liferay" else f"-{layout}"
    if breadcrumbs != "7.4":
        suffix += f"-{breadcrumbs}-{'-'.join(a.also_in)}"
    return f'"{a.asset_id}-{a.content_hash()}-{locale}{suffix}"'


def _not_modified(modified: datetime, etag: str, headers: dict[str, str]) -> bool:
    inm = headers.get("if-none-match")
    if inm is not None:
        tags = [t.strip() for t in inm.split(",")]
        return "*" in tags or etag in tags or f"W/{etag}" in tags
    ims = headers.get("if-modified-since")
    if ims:
        try:
            since = parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            return False
        return (
            since is not None and since.tzinfo is not None and int(modified.timestamp()) <= since.timestamp()
        )
    return False


def _article(
    site: Site, raw_slug: str, locale: str, base: str, headers: dict[str, str], request_no: int
) -> Response:
    a, current = site.find(raw_slug)
    if a is None or a.removed:
        return _not_found(site, "/w/" + unquote(raw_slug), locale, base)
    if not current:
        return _redirect(f"{base}{'/en' if locale == 'en' else ''}/w/{a.slug}")
    extra: list[tuple[str, str]] = []
    if site.conditional_requests:
        etag = _etag(a, locale, site.layout, site.breadcrumbs)
        extra = [("ETag", etag), ("Last-Modified", format_datetime(a.modified, usegmt=True))]
        if _not_modified(a.modified, etag, headers):
            return 304, extra, b""
    chrome_mode = site.chrome
    segments = site.cached_page(
        (a.asset_id, a.version, locale, base, site.layout, chrome_mode, site.breadcrumbs),
        lambda: render.segments(
            render.article_page(
                a,
                locale,
                base,
                site.layout,
                chrome_mode,
                site.breadcrumbs,
                site.article_template(a),
            )
        ),
    )
    values = {
        "token": _token(request_no).encode(),
        "views": str(site.next_view_count(a)).encode(),
        "related": render.related_items(site.related(a, request_no), locale, base).encode("utf-8"),
    }
    return _html(200, render.join(segments, values), extra)


def _list(site: Site, cat, params: dict[str, str], locale: str, base: str, request_no: int) -> Response:
    p = cat.portlet_id
    entries = site.in_category(cat.key)
    try:
        delta = int(params.get(f"_{p}_delta", "10"))
    except ValueError:
        delta = 10
    delta = delta if 1 <= delta <= 200 else 10
    try:
        cur = int(params.get(f"_{p}_cur", "1"))
    except ValueError:
        cur = 1
    pages = max(1, -(-len(entries) // delta))
    # Liferay answers a page past the end with the last page.
    cur = min(max(cur, 1), pages)
    shown = entries[(cur - 1) * delta : cur * delta]
    page = render.list_page(
        cat, shown, locale, base, cur, pages, delta, len(entries), site.chrome, site.list_route
    )
    return _volatile(page, request_no)


def _sitemap(site: Site, params: dict[str, str], base: str) -> Response:
    xml = "application/xml;charset=UTF-8"
    if "p_l_id" not in params:
        return 200, [("Content-Type", xml)], sitemap.index(base).encode()
    child = sitemap.child_for(params)
    if child == "pages":
        return 200, [("Content-Type", xml)], sitemap.pages(base).encode()
    if child == "articles":
        body = site.cached_page(
            ("sitemap", site.generation, base), lambda: [sitemap.articles(base, site.live())]
        )
        return 200, [("Content-Type", xml)], body[0].encode()
    return 404, [("Content-Type", xml)], b'<?xml version="1.0" encoding="UTF-8"?><error>Not Found</error>'


def _document_response(site: Site, path: str, ext: str, name: str, headers: dict[str, str]) -> Response:
    """A document of the library, with validators (Liferay's web server sends both) and its revision."""
    revision, uploaded = site.document_version(path)
    body = _document(ext, name)
    if revision:
        body += f"\nrevision {revision}\n".encode()  # a new version uploaded under the same URL
    extra = [("Content-Type", _DOC_TYPES[ext])]
    if site.conditional_requests:
        etag = '"' + hashlib.sha1(body, usedforsecurity=False).hexdigest()[:16] + '"'
        extra += [("ETag", etag), ("Last-Modified", format_datetime(uploaded, usegmt=True))]
        if _not_modified(uploaded, etag, headers):
            return 304, extra, b""
    return 200, extra, body


def _document(ext: str, name: str) -> bytes:
    if ext in (".jpg", ".jpeg"):
        return _static("photo.jpg")
    title = unquote(name).encode("latin-1", "replace")
    if ext == ".pdf":
        text = b"BT /F1 14 Tf 72 720 Td (" + title + b") Tj ET"
        return (
            b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
            b"4 0 obj<</Length " + str(len(text)).encode() + b">>stream\n" + text + b"\nendstream endobj\n"
            b"5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
        )
    # An OLE2 compound-file signature, then filler: enough for type sniffing.
    return bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 504 + title


def home_plid() -> str:
    return HOME.plid
