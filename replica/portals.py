"""The replica's other portals: each one is a data file (replica/data/<name>.json) and its templates
(replica/templates/<name>-*.html), served by the same small code.

HEPZA's Liferay 7.4 replica keeps its own modules (portal.py, render.py, app.py); the portals here are
built from ../shared/OTHER-PORTALS.md (a 7.3 portal with custom ADTs, a 6.2 portal with portlet 101), and
each data file's "about" says what is seen and what is inferred. A template uses the values it names out of
those the code offers for its role (see ``_fill``), so markup and classes are free per portal, while routes,
date forms, pagers and slugs are data.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from functools import cache
from html import escape
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

from . import files, generator, validate
from .model import SITE_TZ, Article
from .portal import instance_id, stable_uuid
from .render import RELATED, TOKEN, VIEWS, join, redesign_values, segments
from .site import Site

MOST_READ = "\x00mostread\x00"
WEEKDAYS = ("Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy", "Chủ nhật")
HTML = "text/html;charset=UTF-8"
XML = "application/xml;charset=UTF-8"
Response = tuple[int, list[tuple[str, str]], bytes]


def portal_names() -> list[str]:
    """Every portal the replica serves; "hepza" (the default) first."""
    return ["hepza", *validate.OTHER_PORTALS]


# Portals built blind from the facts files, after the crawler, by someone who did not read its code: the
# test of what the crawler does on themes it was not written for (docs/portals.md). `make blind` runs the
# end-to-end tests on them; `make test` runs them on the others.
HELD_OUT = ("liferay70", "liferay74b", "liferay72", "liferay71", "liferay62b", "liferay73b")


def e2e_portal_names() -> list[str]:
    """The portals the end-to-end tests crawl: the held-out ones when ``REPLICA_PORTALS=held-out``, all
    with ``REPLICA_PORTALS=all``, else those the crawler was developed against."""
    chosen = os.environ.get("REPLICA_PORTALS", "")
    if chosen == "held-out":
        return list(HELD_OUT)
    if chosen == "all":
        return portal_names()
    return [name for name in portal_names() if name not in HELD_OUT]


@dataclass(frozen=True)
class Category:
    key: str  # the gold record's category
    path: str  # the list page's URL path as the menu links it (percent-encoded where Vietnamese)
    name: str
    pager: str  # "numbered" or "simple"
    link: str  # "canonical", or the name of an alias route the list links to
    plid: str
    delta: int
    instance: str  # the Asset Publisher's 12-character instance id
    category_id: str  # the asset category's id, as `/-/categories/<id>` links name it

    def portlet_id(self, spec: Spec) -> str:
        return spec.portlet_id.format(instance=self.instance)


@dataclass(frozen=True)
class Spec:
    """One portal's data file, read once."""

    name: str
    doc: dict[str, Any]
    categories: dict[str, Category]

    def __getattr__(self, key: str) -> Any:
        try:
            return self.doc[key]
        except KeyError:
            raise AttributeError(key) from None


@cache
def spec(name: str) -> Spec:
    """The checked data file of portal ``name``."""
    if name not in validate.OTHER_PORTALS:
        raise ValueError(f"unknown portal {name!r}; the replica serves {', '.join(portal_names())}")
    doc = validate.loaded(name, lambda d: validate.check_other_portal(d, name))
    cats = {
        c["key"]: Category(
            key=c["key"],
            path=c["path"],
            name=c["name"],
            pager=c["pager"],
            link=c["link"],
            plid=c["plid"],
            delta=c["delta"],
            instance=instance_id(f"{name}:category:{c['key']}"),
            category_id=str(40000 + 7 * int(c["plid"])),
        )
        for c in doc["categories"]
    }
    return Spec(name, doc, cats)


# --- text forms: slugs, dates ---------------------------------------------------------------------------


def slugify(title: str, rule: dict[str, Any]) -> str:
    """The portal's urlTitle of a title: diacritics folded to ASCII, ``đ`` as the rule says (dropped on
    7.x portals seen, ``d`` in 6.2's normaliser), every other character a ``-``, cut at the rule's limit."""
    text = unicodedata.normalize("NFC", title).replace("đ", rule["d"]).replace("Đ", rule["d"])
    folded = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    return slug[: rule["max"]].rstrip("-")


def format_date(dt: datetime, form: str) -> str:
    """``form`` with {HH} {mm} {dd} {MM} {yyyy} {yy} {d} {M} {h} {a} {weekday} {weekday_en} filled, in the
    site's zone."""
    d = dt.astimezone(SITE_TZ)
    return form.format(
        HH=f"{d:%H}",
        mm=f"{d:%M}",
        dd=f"{d:%d}",
        MM=f"{d:%m}",
        yyyy=f"{d:%Y}",
        yy=f"{d:%y}",
        d=d.day,
        M=d.month,
        h=(d.hour % 12) or 12,
        a="AM" if d.hour < 12 else "PM",
        weekday=WEEKDAYS[d.weekday()],
        weekday_en=f"{d:%A}",
    )


# --- the state ---------------------------------------------------------------------------------------------


class PortalSite(Site):
    """A portal of the replica other than HEPZA: the same state and mutation API as ``Site``, its own
    corpus (the generator with the portal's phrase banks), routes and templates."""

    def __init__(
        self, articles: int | None = None, seed: int = 0, chrome: str = "full", portal: str = "liferay73"
    ) -> None:
        self.spec = spec(portal)
        self.categories = self.spec.categories
        self.bank = generator.Bank.from_data(
            self.spec.phrases,
            group_id=self.spec.group_id,
            zone_page=None,
            migration=(),
            lead_prefix=self.spec.lead_prefix,
        )
        super().__init__(articles, seed, chrome, portal)

    def _initial_articles(self, articles: int | None, seed: int) -> list[Article]:
        n = self.spec.default_articles if articles is None else articles
        items = generator.generate(n, seed=seed, first_id=self.spec.first_id, bank=self.bank)
        every = self.spec.nfd_every
        for a in items[every - 1 :: every] if every else []:
            _decompose(a)
        return items

    def _new_article(self, asset_id: str, when: datetime, modified: datetime) -> Article:
        return generator.make_article(
            self._rng, asset_id=asset_id, when=when, modified=modified, bank=self.bank
        )

    def _slugify(self, title: str) -> str:
        return slugify(title, self.spec.slug)

    def _unique_slug(self, title: str, start: int = 1) -> str:
        bare = self._slugify(title)
        slug, n = bare, start - 1
        while slug in self._by_key or slug in self._old_keys:
            n += 1
            slug = f"{bare}-{n}"
        return slug

    def url_of(self, a: Article, route: str | None = None) -> str:
        """The article's path under the portal's canonical route (or under the named alias route)."""
        cat = self.spec.categories[a.category]
        form = self.spec.routes["canonical"] if route in (None, "canonical") else self.spec.routes[route]
        return form.format(
            group=self.spec.group,
            page=cat.path,
            instance=cat.instance,
            pid=cat.portlet_id(self.spec),
            slug=a.slug,
            entry_id=entry_id(a),
            asset_id=a.asset_id,
        )

    def shown_asset_id(self, asset_id: str) -> str:
        """The asset id the article's page prints: the article's own where its template names it (7.x's
        ``data-analytics-asset-id``), else the asset entry id (6.2 prints only the entry's)."""
        if "asset_id" in files.template(f"{self.portal}-article.html").names:
            return asset_id
        return entry_id(self.article(asset_id))

    def gold(self) -> list[dict]:
        return [self.gold_for(a.asset_id) for a in self.live()]

    def gold_for(self, asset_id: str) -> dict:
        a = self.article(asset_id)
        return {**a.gold(), "url": self.url_of(a)}


def _decompose(a: Article) -> None:
    """The article as pasted from a decomposed-Unicode (NFD) source: title, body and byline."""
    a.title = unicodedata.normalize("NFD", a.title)
    for b in a.blocks:
        b.html, b.text = unicodedata.normalize("NFD", b.html), None
    if a.byline_html:
        a.byline_html = unicodedata.normalize("NFD", a.byline_html)


def entry_id(a: Article) -> str:
    """The asset entry id a 6.2 query URL names (another number than the article's resource id)."""
    return str(int(a.asset_id) + 7)


# --- pages ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class View:
    """Who a page is built for: the host, and the UI locale (its URL prefix, language, list date, words)."""

    host: str  # scheme and host, e.g. http://127.0.0.1:8000
    prefix: str  # "" for the portal's default locale, e.g. "/en" for another
    lang: str
    list_date: str
    labels: dict[str, str]

    @property
    def links(self) -> str:
        """What the page's own links start with: a page in a UI locale links within that locale."""
        return self.host + self.prefix


def view_for(site: PortalSite, host: str, locale: str | None) -> View:
    """The view of the default locale (None) or of one of the data file's "locales"."""
    s = site.spec
    if locale is None:
        return View(host, "", s.lang, s.dates["list"], s.labels)
    loc = s.locales[locale]
    return View(host, loc["prefix"], loc["lang"], loc["list_date"], {**s.labels, **loc["labels"]})


def _alternates(site: PortalSite, view: View, path: str) -> str:
    """hreflang links: one a locale, and x-default, as Liferay prints them."""
    forms = [(site.spec.lang, view.host + path)]
    forms += [(loc["lang"], view.host + loc["prefix"] + path) for loc in site.spec.locales.values()]
    forms.append(("x-default", view.host + path))
    return "\n".join(f'<link href="{_esc(url)}" hreflang="{lang}" rel="alternate" />' for lang, url in forms)


def _esc(s: str) -> str:
    return escape(s, quote=True)


def _fill(site: PortalSite, role: str, custom: str | None = None, **values: Any) -> str:
    """The portal's template for ``role`` (``custom``: a theme's template text instead), filled with the
    values it names (each one offered here)."""
    tpl = files.Template("custom-theme", custom) if custom else files.template(f"{site.portal}-{role}.html")
    unknown = tpl.names - values.keys()
    if unknown:
        raise KeyError(f"template {tpl.name}: no value for {sorted(unknown)}")
    return tpl.fill(**{k: str(v) for k, v in values.items() if k in tpl.names})


def _page(site: PortalSite, view: View, *, title: str, path: str, main: str, active: str, **more: Any) -> str:
    s = site.spec
    menu = "".join(
        _fill(
            site,
            "menu-item",
            href=_esc(view.links + c.path),
            label=_esc(c.name),
            active=" active" if c.key == active else "",
        )
        for c in s.categories.values()
    )
    values = {
        "title": _esc(f"{title}{s.title_suffix}" if title else s.site_name),
        "page_title": _esc(title),
        "site_name": _esc(s.site_name),
        "canonical": _esc(view.host + path),
        "alternates": _alternates(site, view, path),
        "lang": view.lang,
        "lang_id": view.lang.replace("-", "_"),
        "base": view.host,
        "group": s.group,
        "group_id": s.group_id,
        "menu": menu,
        "main": main,
        "token": TOKEN,
        "description": "",
        "og_image": "",
        "plid": "0",
    }
    values.update(more)
    return _fill(site, "page", **values)


def _card(site: PortalSite, a: Article, cat: Category, view: View) -> str:
    return _fill(
        site,
        "item",
        href=_esc(view.links + site.url_of(a, cat.link)),
        title=_esc(a.title),
        date_line=format_date(a.date, view.list_date),
        summary=_esc(a.summary(180)),
        image=_esc(a.image or site.spec.no_image),
        asset_id=a.asset_id,
    )


def _pager_url(site: PortalSite, cat: Category, view: View, cur: int) -> str:
    query = site.spec.pager_query.format(pid=cat.portlet_id(site.spec), delta=cat.delta, cur=cur)
    return f"{view.links}{cat.path}?{query}"


def _pager(site: PortalSite, cat: Category, view: View, cur: int, pages: int, total: int) -> str:
    lb = view.labels

    def link(label: str, target: int, enabled: bool) -> str:
        if not enabled:
            return _fill(site, "pager-off", label=label)
        return _fill(site, "pager-link", label=label, href=_esc(_pager_url(site, cat, view, target)))

    items = []
    if site.spec.pager_first_last:
        items.append(link(lb["first"], 1, cur > 1))
    items.append(link(lb["prev"], cur - 1, cur > 1))
    if cat.pager == "numbered":
        last = 0
        for n in sorted({1, pages, *range(max(1, cur - 2), min(pages, cur + 2) + 1)}):
            if n - last > 1:
                items.append(_fill(site, "pager-gap"))
            if n == cur:
                items.append(_fill(site, "pager-current", label=n, href=_esc(_pager_url(site, cat, view, n))))
            else:
                items.append(link(str(n), n, True))
            last = n
    items.append(link(lb["next"], cur + 1, cur < pages))
    if site.spec.pager_first_last:
        items.append(link(lb["last"], pages, cur < pages))
    return _fill(site, "pager", items="".join(items), cur=cur, pages=pages, total=total)


def home_page(site: PortalSite, view: View) -> str:
    sections = "".join(
        _fill(
            site,
            "home-section",
            name=_esc(cat.name),
            href=_esc(view.links + cat.path),
            items="".join(_card(site, a, cat, view) for a in site.in_category(cat.key)[:4]),
            portlet_id=cat.portlet_id(site.spec),
        )
        for cat in site.spec.categories.values()
    )
    return _page(site, view, title="", path="/", main=sections, active="", plid=site.spec.home_plid)


def list_page(site: PortalSite, cat: Category, view: View, cur: int) -> str:
    entries = site.in_category(cat.key)
    pages = max(1, -(-len(entries) // cat.delta))
    cur = min(max(cur, 1), pages)  # Liferay answers a page past the end with the last page
    shown = entries[(cur - 1) * cat.delta : cur * cat.delta]
    main = _fill(
        site,
        "list",
        name=_esc(cat.name),
        items="".join(_card(site, a, cat, view) for a in shown),
        pager=_pager(site, cat, view, cur, pages, len(entries)),
        portlet_id=cat.portlet_id(site.spec),
        instance=cat.instance,
    )
    return _page(site, view, title=cat.name, path=cat.path, main=main, active=cat.key, plid=cat.plid)


def article_page(site: PortalSite, a: Article, view: View) -> str:
    cat = site.spec.categories[a.category]
    body_blocks = [b.html for b in a.blocks]
    # The sapo is the lead paragraph, printed apart from the rest of the body (it is part of the body).
    first_p = next(i for i, b in enumerate(a.blocks) if b.kind == "p")
    sapo = body_blocks.pop(first_p)
    byline_top = ""
    if a.byline_html and s_opt(site, "byline_top") and _bare_name(a):
        byline_top = a.byline_html  # this portal prints a bare writer's name above the body
    elif a.byline_html:
        body_blocks.append(a.byline_html)
    path = site.url_of(a)
    page_url = view.links + path
    role = "article" if site.layout == "liferay" else f"article-{site.layout}"
    values = dict(
        title=_esc(a.title),
        # A redesign may print the date in another form ("article-<layout>" in the data file's dates).
        date_line=format_date(a.date, site.spec.dates.get(role, site.spec.dates["article"])),
        sapo=sapo,
        sapo_text=_esc(a.blocks[first_p].body_text()),
        body=_documents_in(site, "\n".join(body_blocks)),
        byline=byline_top,
        asset_id=a.asset_id,
        entry_id=entry_id(a),
        category=_esc(cat.name),
        category_href=_esc(view.links + cat.path),
        portlet_id=cat.portlet_id(site.spec),
        instance=cat.instance,
        share_url=quote(page_url, safe=""),
        share_text=quote(a.title, safe=""),
        views=VIEWS,
        related=RELATED,
        most_read=MOST_READ,
        uuid=stable_uuid(f"{site.portal}:article:{a.asset_id}"),
        category_link=_esc(view.links + _category_link(site, a, cat)),
        **{f"item{i}": stable_uuid(f"{site.portal}:fragment:{i}") for i in range(1, 7)},
    )
    custom = site.article_template(a) if role == f"article-{site.layout}" else None
    if custom is not None:  # a theme given as template text prints its own values
        values.update(_redesign_values(site, a, first_p))
    main = _fill(site, role, custom, **values)
    image = a.image and _documents_in(site, a.image)
    og_image = f'<meta property="og:image" content="{_esc(view.host + image)}" />' if image else ""
    return _page(
        site,
        view,
        title=a.title,
        path=path,
        main=main,
        active=cat.key,
        description=_esc(a.summary()),
        og_image=og_image,
        plid=cat.plid,
    )


def s_opt(site: PortalSite, key: str) -> Any:
    """An optional key of the data file (validate.OPTIONAL_KEYS), None where the portal has not it."""
    return site.spec.doc.get(key)


def _bare_name(a: Article) -> bool:
    """A byline that is only a writer's name (no ``Tin, ảnh:`` label, no ``Theo`` source)."""
    raw = a.byline_raw() or ""
    return ":" not in raw and not unicodedata.normalize("NFC", raw).lower().startswith("theo ")


def _category_link(site: PortalSite, a: Article, cat: Category) -> str:
    """Where the article page links its category: the list page, or (7.4 display pages) the article's own
    URL filtered by the category, ``/w/<slug>/-/categories/<id>``, which is no article."""
    if s_opt(site, "category_links"):
        return f"{site.url_of(a)}/-/categories/{cat.category_id}"
    return cat.path


_LIBRARY_URL = re.compile(r"/documents/\d+/\d+/([^/\"?]+)/[0-9a-f-]{36}(?:\?t=\d+)?")


def friendly_document(name: str) -> str:
    """7.4's friendly URL name of a library file: its title lowercased, the extension's dot a ``-``."""
    return re.sub(r"[^a-z0-9]+", "-", unquote(name).lower()).strip("-")


def _documents_in(site: PortalSite, html: str) -> str:
    """Library links as the portal prints them: ``/documents/<group>/<folder>/<title>/<uuid>?t=`` or, on a
    portal whose data file says ``"documents": "friendly"``, ``/documents/d/<site>/<name>`` (7.4)."""
    if s_opt(site, "documents") != "friendly":
        return html
    return _LIBRARY_URL.sub(lambda m: f"/documents/d/{site.spec.group}/{friendly_document(m.group(1))}", html)


def _friendly_target(site: PortalSite, name: str) -> str | None:
    """The library path (unquoted) a friendly document name stands for, or None."""
    for a in site.live():
        for b in a.blocks:
            for m in _LIBRARY_URL.finditer(b.html):
                if friendly_document(m.group(1)) == name:
                    return unquote(m.group(0).split("?")[0])
    return None


def _redesign_values(site: PortalSite, a: Article, first_p: int) -> dict[str, str]:
    """What a theme given as template text prints (``Site.redesign``), as this portal has the article: the
    lead as its own theme prints it (6.2's as text only), the date only to the precision it gives."""
    values = redesign_values(a, "{HH}" in site.spec.dates["article"])
    if "sapo" not in files.template(f"{site.portal}-article.html").names:
        blocks = [b.html for b in a.blocks]
        blocks[first_p] = values["lead"] = f"<p>{_esc(a.blocks[first_p].body_text())}</p>"
        values["body_blocks"] = "\n".join(blocks)
    # The documents at the URLs this portal prints them at, as in its own theme (a theme is not content).
    for name in ("body_blocks", "lead", "blocks_after_lead"):
        values[name] = _documents_in(site, values[name])
    return values


def _links(site: PortalSite, items: list[Article], view: View) -> str:
    return "".join(
        _fill(
            site,
            "related-item",
            href=_esc(view.links + site.url_of(x)),
            title=_esc(x.title),
            date_line=format_date(x.date, view.list_date),
        )
        for x in items
    )


def not_found_page(site: PortalSite, view: View, path: str) -> str:
    main = _fill(site, "not-found", url=_esc(view.links + path))
    return _page(site, view, title=view.labels["not_found"], path=path, main=main, active="")


def sitemap(site: PortalSite, base: str, params: dict[str, str]) -> str | None:
    """The sitemap: a url set of pages only (6.2), or an index of a pages set and an articles set (7.x), or
    (``sitemap_index``) an index of a pages set alone, where articles have no display page."""
    pages = ["/", *(c.path for c in site.spec.categories.values())]

    def urlset(paths: Sequence[tuple[str, datetime | None]]) -> str:
        rows = "".join(
            f"<url><loc>{escape(base + p)}</loc>"
            + (f"<lastmod>{m.astimezone(SITE_TZ).isoformat()}</lastmod>" if m else "")
            + "</url>"
            for p, m in paths
        )
        return f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{rows}</urlset>'

    page_set = [(p, None) for p in pages]
    if not site.spec.sitemap_articles and not s_opt(site, "sitemap_index"):
        return urlset(page_set) if not params else None
    # 7.x answers with an index; its articles set is there only where web content has a display page.
    children = {"pages": site.spec.home_plid}
    if site.spec.sitemap_articles:
        children["articles"] = site.spec.display_plid
    if not params:
        locs = "".join(
            f"<sitemap><loc>{escape(f'{base}/sitemap.xml?p_l_id={plid}&groupId={site.spec.group_id}')}</loc></sitemap>"
            for plid in children.values()
        )
        return f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</sitemapindex>'
    if params.get("p_l_id") == children["pages"]:
        return urlset(page_set)
    if "articles" in children and params.get("p_l_id") == children["articles"]:
        return urlset([(site.url_of(a), a.modified) for a in site.live()])
    return None


# --- routing ---------------------------------------------------------------------------------------------------


def _route_regex(form: str, site: PortalSite) -> re.Pattern[str]:
    """A route's form as a regular expression on the raw path: {slug} is the rest, {page} a list's path."""
    out = ""
    for piece in re.split(r"(\{[a-z_]+\})", form.split("?")[0]):
        if piece == "{slug}":
            out += r"(?P<slug>[^?]+)"
        elif piece == "{page}":
            out += r"(?P<page>/[^?]*?)"
        elif piece == "{instance}":
            out += r"(?P<instance>[A-Za-z0-9]+)"
        elif piece == "{asset_id}":
            out += r"(?P<asset_id>\d+)"
        elif piece == "{group}":
            out += re.escape(site.spec.group)
        else:
            out += re.escape(piece)
    return re.compile(out + "$")


def _html(
    status: int, page: str, request_no: int, extra: list[tuple[str, str]] | None = None, **more: bytes
) -> Response:
    token = hashlib.sha1(f"token:{request_no}".encode(), usedforsecurity=False).hexdigest()[:8]
    body = join(segments(page), {"token": token.encode(), **more})
    return status, [("Content-Type", HTML), *(extra or [])], body


def handle(site: Site, method: str, target: str, headers: dict[str, str]) -> Response:
    """Answer one request for a portal of replica/portals.py; `headers` keys are lower-case."""
    assert isinstance(site, PortalSite)
    from .app import _document_response, _etag, _not_modified

    with site._lock:
        site.request_count += 1
        request_no = site.request_count
    split = urlsplit(target)
    raw_path = split.path or "/"
    params = {k: v[0] for k, v in parse_qs(split.query).items()}
    base = f"http://{headers.get('host', '127.0.0.1')}"
    s = site.spec
    locale = next((k for k, v in s.locales.items() if raw_path.startswith(v["prefix"] + "/")), None)
    if locale is not None:  # a page in another UI locale: the same content, the locale's words and dates
        raw_path = raw_path[len(s.locales[locale]["prefix"]) :]
    view = view_for(site, base, locale)
    path = unquote(raw_path)

    def not_found() -> Response:
        return _html(404, not_found_page(site, view, path), request_no)

    if path == "/robots.txt":
        return (
            200,
            [("Content-Type", "text/plain;charset=UTF-8")],
            f"User-Agent: *\nDisallow: /c/\nSitemap: {base}/sitemap.xml\n".encode(),
        )
    if path == "/sitemap.xml":
        xml = sitemap(site, base, params)
        if xml is None:
            return (
                404,
                [("Content-Type", XML)],
                b'<?xml version="1.0" encoding="UTF-8"?><error>Not Found</error>',
            )
        return 200, [("Content-Type", XML)], xml.encode()
    if re.fullmatch(r"/documents/\d+/\d+/[^/]+\.(jpg|jpeg|pdf|doc)/[0-9a-f-]{36}", path):
        return _document_response(
            site, path, path[path.rfind(".") : path.rfind("/")].lower(), path.split("/")[4], headers
        )

    friendly = re.fullmatch(rf"/documents/d/{re.escape(s.group)}/([a-z0-9-]+)", path)
    if friendly and s_opt(site, "documents") == "friendly":
        with site._lock:
            doc = _friendly_target(site, friendly.group(1))
        if doc is not None:
            return _document_response(
                site, doc, doc[doc.rfind(".") : doc.rfind("/")].lower(), doc.split("/")[4], headers
            )
    filtered = re.fullmatch(r"(/.+)/-/categories/(\d+)", raw_path)
    if filtered and s_opt(site, "category_links"):
        # A display page filtered by a category: Liferay shows the category's collection, not an article.
        cat_of = next((c for c in s.categories.values() if c.category_id == filtered.group(2)), None)
        if cat_of is None:
            return not_found()
        with site._lock:
            return _html(200, list_page(site, cat_of, view, 1), request_no)

    with site._lock:
        a, current, route = _find_article(site, raw_path, params)
        if route is not None:
            if a is None or a.removed:
                return not_found()
            if not current:  # an old slug: Liferay keeps it as a redirect to the article's new URL
                return 301, [("Location", base + site.url_of(a)), ("Content-Type", HTML)], b""
            extra: list[tuple[str, str]] = []
            if site.conditional_requests:
                etag = _etag(a, s.name, site.layout)
                extra = [("ETag", etag), ("Last-Modified", format_datetime(a.modified, usegmt=True))]
                if _not_modified(a.modified, etag, headers):
                    return 304, extra, b""
            others = [x for x in site.live() if x is not a]
            k = request_no % max(1, len(others))
            return _html(
                200,
                article_page(site, a, view),
                request_no,
                extra,
                views=str(site.next_view_count(a)).encode(),
                related=_links(site, site.related(a, request_no), view).encode(),
                mostread=_links(site, (others[k:] + others[:k])[:5], view).encode(),
            )
        if path == "/":
            return _html(200, home_page(site, view), request_no)
        for cat in s.categories.values():
            if unquote(cat.path) == path:
                try:
                    cur = int(params.get(f"_{cat.portlet_id(s)}_cur", "1"))
                except ValueError:
                    cur = 1
                return _html(200, list_page(site, cat, view, cur), request_no)
    return not_found()


def _query_slug_param(site: PortalSite, raw_path: str) -> str:
    for cat in site.spec.categories.values():
        if unquote(cat.path) == unquote(raw_path):
            return f"_{cat.portlet_id(site.spec)}_urlTitle"
    return ""


def _find_article(
    site: PortalSite, raw_path: str, params: dict[str, str]
) -> tuple[Article | None, bool, str | None]:
    """(article or None, slug is current, name of the route the request took); route None: no article
    route. Every route of the data file answers with the article's page: each form is an alias."""
    for name, form in site.spec.routes.items():
        if "?" in form:
            param = _query_slug_param(site, raw_path)
            if not param or param.replace("_urlTitle", "_struts_action") not in params:
                continue
            if params[param.replace("_urlTitle", "_struts_action")] != "/asset_publisher/view_content":
                continue
            a, current = site.find(params.get(param, ""))
            return a, current, name
        m = _route_regex(form, site).match(raw_path)
        if m:
            a, current = site.find(m.group("slug"))
            return a, current, name
    return None, False, None
