"""robots.txt and the sitemap index with its two url sets (ordinary pages; articles' display page)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from .model import GROUP_ID, Article
from .portal import CATEGORIES, HOME, SITEMAP_CHILDREN, STATIC_PAGES

_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml"'
# Ordinary pages change rarely; a fixed instant keeps the replica independent of today's date.
PAGES_LASTMOD = datetime(2025, 7, 1, 1, 0, tzinfo=UTC)


def robots(base: str) -> str:
    return f"User-Agent: *\nDisallow: /c/\nDisallow: /group/\nDisallow: /web/guest/search\nSitemap: {base}/sitemap.xml\n"


def child_url(base: str, name: str) -> str:
    plid, layout_uuid = SITEMAP_CHILDREN[name]
    return f"{base}/sitemap.xml?p_l_id={plid}&layoutUuid={layout_uuid}&groupId={GROUP_ID}&privateLayout=false"


def index(base: str) -> str:
    items = "".join(
        f"<sitemap><loc>{child_url(base, n).replace('&', '&amp;')}</loc></sitemap>" for n in SITEMAP_CHILDREN
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{items}</sitemapindex>'


def _lastmod(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _url(base: str, path: str, lastmod: datetime, extra: str = "") -> str:
    vi, en = f"{base}{path}", f"{base}/en{path if path != '/' else ''}"
    return (
        f"<url><loc>{vi}</loc><lastmod>{_lastmod(lastmod)}</lastmod>{extra}"
        f'<xhtml:link rel="alternate" hreflang="vi-VN" href="{vi}"/>'
        f'<xhtml:link rel="alternate" hreflang="en-US" href="{en}"/>'
        f'<xhtml:link rel="alternate" hreflang="x-default" href="{vi}"/></url>'
    )


def pages(base: str) -> str:
    keys = ["/"] + [f"/{k}" for k in (*STATIC_PAGES, *CATEGORIES)]
    body = "".join(
        _url(base, k, PAGES_LASTMOD, "<changefreq>daily</changefreq><priority>0.5</priority>") for k in keys
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset {_NS}>{body}</urlset>'


def articles(base: str, live: Iterable[Article]) -> str:
    body = "".join(_url(base, f"/w/{a.slug}", a.modified) for a in live)
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset {_NS}>{body}</urlset>'


def child_for(params: dict[str, str]) -> str | None:
    """Which child the query names ('pages' / 'articles'), or None."""
    for name, (plid, layout_uuid) in SITEMAP_CHILDREN.items():
        if params.get("p_l_id") == plid and params.get("layoutUuid", layout_uuid) == layout_uuid:
            return name
    return None


assert HOME.plid == SITEMAP_CHILDREN["pages"][0]
