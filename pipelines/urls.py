"""Article URLs: which URLs are articles, and the one key every URL of an article reduces to.

The portal reaches one article through many URLs (vi and en locales, percent-encoding case, NFC or NFD
slugs, old routes, query strings, trailing slashes, http/https, ``www.``). Identity prefers the asset id;
this key is the fallback and the alias index. w3lib does the generic canonicalisation; what is added here
is only what is specific to Liferay's display-page routes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from urllib.parse import parse_qsl, quote, unquote, urljoin, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

# --- article routes ---------------------------------------------------------------------------------
# Every route below names one article by its urlTitle (the slug Liferay keeps unique within a site), so
# each reduces to the same key, ``/w/<slug>``: the key HEPZA's display pages have always had, whatever
# route a portal uses as its canonical form (docs/portals.md, "Routes").

# /w/<slug>, /en/w/<slug>, /vi/w/<slug>; the slug may itself contain "/" (document numbers).
_DISPLAY_PAGE_RE = re.compile(r"^/(?:(?P<lang>[a-z]{2}(?:[-_][A-Za-z]{2})?)/)?w/(?P<slug>.+?)/?$")
# Liferay's "/-/" friendly-URL separator after any page path: /-/<slug>, /web/<group>/-/<slug>,
# /<lang>/web/<group>/-/<slug>, /<page>/-/<slug>, /<page>/-/asset_publisher/<instance>/content/<slug>.
# What follows the first "/-/" says which portlet mapping it is (see _route_slug).
_FRIENDLY_RE = re.compile(r"^/(?:[^?#]*?/)?-/(?P<rest>[^?#]+?)/?$")
# Friendly-URL mappings after "/-/" that are not one article: category and tag filters of a list, and
# the other portlets' own pages.
_NOT_ARTICLE_MAPPINGS = frozenset(
    {"categories", "tags", "tag", "document_library", "blogs", "wiki", "message_boards", "calendar", "search"}
)
# A list filtered by a category or a tag, even under an article's display page (/w/<slug>/-/categories/<id>).
_FILTER_RE = re.compile(r"/-/(?:categories|tags?)/")
# The view-content action of an Asset Publisher in its query form: 6.2's struts action, 7.x's MVC path.
_VIEW_CONTENT_RE = re.compile(r"/?asset_publisher/view_content|/view_content\.jsp")


def _friendly_route(rest: str) -> str | None:
    """The key of what follows ``/-/``: ``/w/<slug>`` for an article's urlTitle, ``/-/details/<id>`` for
    the ``/-/details/<id>/<slug>`` route (its id outlives the slug), None for a mapping that is no article."""
    head, _, tail = rest.partition("/")
    if head == "asset_publisher":  # <instance>/content/<slug>; its rss, tag and document views are lists
        _instance, _, view = tail.partition("/")
        kind, _, slug = view.partition("/")
        return f"/w/{slug}" if kind == "content" and slug else None
    if head == "details":
        number = tail.partition("/")[0]
        return f"/-/details/{number}" if number.isdigit() else None
    if head.lower() in _NOT_ARTICLE_MAPPINGS:
        return None
    return f"/w/{rest}"


def _query_route(query: str) -> str | None:
    """The key of an Asset Publisher's query-form article URL (6.2: ``p_p_id=101_INSTANCE_<id>&
    _101_INSTANCE_<id>_struts_action=/asset_publisher/view_content&…_assetEntryId=…&…_urlTitle=…``): the
    parameter names are those of any portlet instance, prefixed ``_<portlet id>_``. ``/w/<urlTitle>``, or
    ``/-/asset_entry/<id>`` when the link gives only the entry id; None for any other query."""
    if "view_content" not in query:
        return None  # (the cheap test first: most queries are pagers and redirects)
    params = parse_qsl(query, keep_blank_values=True)
    for name, value in params:
        for action in ("_struts_action", "_mvcPath"):
            if name.startswith("_") and name.endswith(action) and _VIEW_CONTENT_RE.search(value):
                prefix = name[: -len(action)]
                found = dict(params)
                if found.get(prefix + "_urlTitle"):
                    return f"/w/{found[prefix + '_urlTitle']}"
                if found.get(prefix + "_assetEntryId", "").isdigit():
                    return f"/-/asset_entry/{found[prefix + '_assetEntryId']}"
    return None


def _route_key(url: str) -> str | None:
    """The key of an article URL of any route, its slug as the URL spells it (not yet normalised)."""
    parts = urlsplit(url)
    path = parts.path
    if _FILTER_RE.search(path):
        return None  # /w/<slug>/-/categories/<id> and the like: a list filtered by category
    match = _DISPLAY_PAGE_RE.match(path)
    if match:
        return f"/w/{match['slug']}"
    match = _FRIENDLY_RE.match(path)
    if match:
        return _friendly_route(match["rest"])
    return _query_route(parts.query) if parts.query else None


# Characters Liferay keeps unencoded in a friendly URL, besides RFC 3986 unreserved ones.
_SLUG_SAFE = "/._*-~"


def _normalise_slug(raw_slug: str, nfc: bool = True) -> str:
    """Percent-decode, NFC-normalise and re-encode a slug with upper-case hex, as Liferay prints it."""
    text = unquote(raw_slug)
    if nfc:
        text = unicodedata.normalize("NFC", text)
    return quote(text, safe=_SLUG_SAFE)


def display_page_slug(url: str) -> str | None:
    """The normalised slug of a display-page URL (``/w/<slug>`` in any locale), or None."""
    match = _DISPLAY_PAGE_RE.match(urlsplit(url).path)
    if not match:
        return None
    return _normalise_slug(match["slug"])


def url_locale(url: str) -> str:
    """The locale a URL asks for: ``en`` for ``/en/...`` pages, else ``vi`` (the portal's default)."""
    path = urlsplit(url).path
    match = _DISPLAY_PAGE_RE.match(path)
    if match and match["lang"]:
        return match["lang"][:2].lower()
    return "en" if path.startswith("/en/") or path == "/en" else "vi"


_NOTHING = re.compile(r"(?!)")


@lru_cache(maxsize=64)
def _compiled(pattern: str) -> re.Pattern[str]:
    """A route's regular expression; one that does not compile matches nothing (a profile's routes are
    checked when it is read: only a hand-made HEPZA_HINTS can hold such a one)."""
    try:
        return re.compile(pattern)
    except (re.error, TypeError):
        return _NOTHING


def _hinted_route_key(url: str, routes: Sequence[str]) -> str | None:
    """The key of a URL that one of a profile's article routes (``[hints] article_routes``: regular
    expressions searched in ``path?query``) marks as an article: its path and query, canonical (the query
    sorted, the path NFC and percent-encoded as Liferay prints it), so every spelling of it meets."""
    try:
        target = path_and_query(url)
        if not any(_compiled(pattern).search(target) for pattern in routes):
            return None
        parts = urlsplit(canonical_url(url))
    except ValueError:  # (an address Python cannot parse is no article)
        return None
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def is_article_url(url: str, routes: Sequence[str] = ()) -> bool:
    """True for a URL of any article route (display page, ``/-/`` friendly URL, Asset Publisher content
    view in its friendly or query form); lists, category filters and other portlets' pages are not.
    ``routes``: a profile's article routes, marking more URLs as articles (:func:`article_key`)."""
    return _route_key(url) is not None or bool(routes and _hinted_route_key(url, routes))


def article_key(url: str, nfc: bool = True, routes: Sequence[str] = ()) -> str | None:
    """The locale-, scheme-, host-, route- and encoding-free key of an article URL: ``/w/<slug>``.

    Every route of the article reduces to the same key (the slug is its urlTitle whatever the route), so
    an alias learnt from a redirect, a canonical link, a list link and a sitemap entry meet; the
    ``/-/details/<id>/<slug>`` route keys on its id (``/-/details/<id>``) and a query form without its
    urlTitle on the entry id (``/-/asset_entry/<id>``). Returns None for URLs that are not article URLs.
    With ``nfc=False`` the key keeps the slug's normalisation form: the portal gives an NFD-typed title its
    own slug, so two distinct articles can have slugs that differ only there, and a crawl must fetch both.
    ``routes``: a profile's article routes; a URL of none of Liferay's routes that one of them matches
    keys on its canonical ``path?query`` (Liferay's routes keep their keys: identity is unchanged).
    """
    key = _route_key(url)
    if key is None and routes:
        return _hinted_route_key(url, routes)
    if key is None or not key.startswith("/w/"):
        return key
    return f"/w/{_normalise_slug(key[3:], nfc)}"


def path_and_query(url: str) -> str:
    """The part of an article URL after its host, query included: what a re-check asks the crawl's own
    origin for (6.2's query-form routes name the article in the query, not in the path)."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def canonical_url(url: str) -> str:
    """A stable spelling of any URL: w3lib canonicalisation, no fragment, no ``www.``, NFC path."""
    parts = urlsplit(canonicalize_url(url, keep_fragments=False))
    host = parts.netloc.lower()
    if host.startswith("www."):
        host = host[4:]
    path = quote(unicodedata.normalize("NFC", unquote(parts.path)), safe=_SLUG_SAFE + "%")
    return urlunsplit((parts.scheme, host, path, parts.query, ""))


def article_url(origin: str, key: str, locale: str = "vi") -> str:
    """The URL of an article key on a site: ``origin`` + ``/w/<slug>`` (``/en/w/`` for en)."""
    prefix = "" if locale == "vi" else f"/{locale}"
    return origin.rstrip("/") + prefix + key


# A servlet session id in the path (``/w/slug;jsessionid=0A1B…``): the node that rendered the page, not
# where the link points.
_PATH_SESSION_RE = re.compile(r";jsessionid=[^/?#;]*", re.IGNORECASE)


def strip_cache_buster(url: str) -> str:
    """Drop the query string of a document URL (Liferay's ``?t=<ms>`` and ``?download=true``), and a
    servlet session id in its path (``;jsessionid=…``: the node that rendered the link)."""
    if ";" in url:
        url = _PATH_SESSION_RE.sub("", url)
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


# Query parameters Liferay adds or changes without the link's target changing: session tokens on action
# URLs, and the ``t=<ms>`` cache-buster of /documents/ and /image/ URLs (only when it is all digits: a
# ``t=`` on another site's link may be a search term).
_TOKEN_PARAMS = frozenset({"p_auth", "p_p_auth", "jsessionid", "phpsessid"})
# Cache-busters a server or a script appends with a fresh number on every rendering (jQuery's ``_=``, a
# ``t=``, ``ts=``, ``rnd=`` …): dropped only when the value is all digits or a long hex string, so a
# ``t=`` that is another site's search term stays.
_BUSTER_PARAMS = frozenset(
    {"_", "t", "ts", "timestamp", "cb", "cachebuster", "nocache", "rnd", "rand", "random"}
)
_BUSTER_VALUE_RE = re.compile(r"\d+|[0-9a-fA-F]{8,}")


def strip_volatile_params(url: str) -> str:
    """A link as written, without what changes between renderings of the same body: session ids (a
    ``;jsessionid=`` in the path, ``p_auth`` tokens), numeric or hex cache-busters (``t=``, ``_=``…).
    Every other parameter keeps its order and its spelling."""
    if ";" in url:
        url = _PATH_SESSION_RE.sub("", url)
    parts = urlsplit(url)
    if not parts.query:
        return url
    params = parts.query.split("&")
    kept = []
    for param in params:
        name, _, value = param.partition("=")
        if name.lower() in _TOKEN_PARAMS or (name in _BUSTER_PARAMS and _BUSTER_VALUE_RE.fullmatch(value)):
            continue
        kept.append(param)
    if len(kept) == len(params):
        return url
    return urlunsplit(parts._replace(query="&".join(p for p in kept if p)))


# An absolute http(s) URL with a host, of printable ASCII, without the characters urljoin's re-parsing could
# drop or reject (";" params, an empty "?" or "#", the brackets of an IPv6 host): urljoin returns it as is.
_PLAIN_ABSOLUTE_URL_RE = re.compile(r"https?://[!-.0-~][!-~]*")
_REPARSED = frozenset(";?#[]")


# A root-relative href ("/documents/1/2/a.jpg/u?t=5") of printable ASCII, whose path urljoin leaves as it
# is (no "//", no "." or ".." segment: no "/." at all) and without what urljoin re-parses or drops (";"
# params, a fragment, an empty query): urljoin puts the base's scheme and host in front of it, no more.
_PLAIN_ROOT_RELATIVE_RE = re.compile(r"/(?!/)[!-~]*")
_ROOT_REPARSED = frozenset(";#")


def _root_relative_join(base: str, href: str) -> str | None:
    """``urljoin(base, href)`` for a plain root-relative href and an http(s) base, else None."""
    if not (_PLAIN_ROOT_RELATIVE_RE.fullmatch(href) and _ROOT_REPARSED.isdisjoint(href)):
        return None
    path, question, query = href.partition("?")
    if "//" in path or "/." in path or (question and not query):
        return None
    try:
        parts = urlsplit(base)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}{href}"


def join_url(base: str, href: str) -> str | None:
    """``urljoin(base, href)``; None for an href Python cannot parse (``http://[`` and the like: a typo in
    one link must not cost the page that holds it).

    An href that urljoin would return unchanged, or only put behind the base's scheme and host (a plain
    root-relative one, as the body's images and documents are), is joined without urljoin's parsing,
    which is most of the cost of the page's links (bench/NOTES.md); property tests in
    tests/unit/test_urls.py keep both shortcuts equal to urljoin."""
    if _PLAIN_ABSOLUTE_URL_RE.fullmatch(href) and _REPARSED.isdisjoint(href):
        return href
    joined = _root_relative_join(base, href)
    if joined is not None:
        return joined
    try:
        return urljoin(base, href)
    except ValueError:
        return None


# A category's own page: /-/categories/<id> (Liferay's category filter route, after any page path).
_CATEGORY_ROUTE_RE = re.compile(r"/-/categories/(?P<id>\d+)/?$")
# Path prefixes that say where a page lives, not which page it is: a locale, a Liferay 6 site group.
_LOCALE_SEGMENT_RE = re.compile(r"^[a-z]{2}(?:[-_][A-Za-z]{2})?$")


def category_key(url: str) -> str | None:
    """The key of a category list page, the same whichever way the page is reached: the list page's
    last path segment (``/en/tin-tuc-su-kien?…_cur=2`` → ``tin-tuc-su-kien``), or ``categories/<id>`` for
    Liferay's category route. None for the home page and for article pages (they are not categories)."""
    path = urlsplit(url).path
    match = _CATEGORY_ROUTE_RE.search(path)
    if match:
        return f"categories/{match['id']}"
    if is_article_url(url):
        return None
    segments = [s for s in path.split("/") if s]
    if segments and _LOCALE_SEGMENT_RE.match(segments[0]):
        segments = segments[1:]
    if len(segments) >= 2 and segments[0] == "web":
        segments = segments[2:]  # /web/<group>/<page>
    if not segments:
        return None
    return unicodedata.normalize("NFC", unquote(segments[-1])) or None
