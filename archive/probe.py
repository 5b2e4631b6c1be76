"""``hepza probe URL``: a handful of polite requests, and what a crawl of that portal would meet.

The steps, each of a few requests (archive/probe_fetch.py keeps them polite and counted): robots.txt, the
home page, the sitemap (an index's first children), one or two list pages, two or three article pages.
Every judgement is the crawler's own: pipelines.platform says whether the site is Liferay (from the same
answers the crawl's platform check reads), pipelines.urls which links are articles, pipelines.extract
which structure a page's title, date and body are read from, pipelines.listing_dates a list's card dates.
archive/probe_read.py only names what they found; archive/probe_profile.py turns it into a draft profile.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from archive.probe_fetch import Answer, PoliteFetcher
from archive.probe_read import (
    date_pattern,
    describe,
    element_with_text,
    instances_on,
    liferay_generation,
    route_form,
)
from pipelines.extract import extract_page, parse_html
from pipelines.listing_dates import listed_dates
from pipelines.model import LAYER_GENERIC, LAYER_METADATA, LAYER_PORTAL
from pipelines.platform import HOME, LIFERAY, OTHER, ROBOTS, SITEMAP, Evidence
from pipelines.urls import article_key, canonical_url, is_article_url, join_url

# The menus the spider follows from the home page (scraper/spiders/hepza.py ``_MENU_XPATH``; archive/ may
# not import the crawler, so tests/unit/test_probe.py keeps the two equal).
MENU_XPATH = (
    "//nav//a/@href | //*[contains(@class,'navbar') or contains(@id,'navigation')]//a/@href"
    " | //a[@role='menuitem']/@href"
)
# How a list page was found: the first two the crawl finds on its own; a "home link" only by a person.
MENU, SITEMAP_PAGE, HOME_LINK = "menu", "sitemap", "home link"
LIST_PAGES_WANTED, LIST_PAGES_TRIED = 2, 3
ARTICLES_WANTED = 3
SITEMAP_CHILDREN_READ = 2
_PAGER_CLASSES = (("pagination", "numbered"), ("lfr-pagination-buttons", "simple"), ("pager", "simple"))
_LOCALE_RE = re.compile(r"^([a-z]{2})(?:[-_][A-Za-z]{2})?$")
_LOCALE_ROOT_RE = re.compile(r"^/[a-z]{2}(?:[-_][A-Za-z]{2})?/?$")  # /en: the home page in another locale


@dataclass
class Report:
    """What the probe found (``hepza probe --json`` prints it as it is)."""

    url: str
    origin: str
    platform: str = "unknown"  # liferay, other or unknown (pipelines.platform's verdict)
    platform_message: str | None = None
    markers: list[str] = field(default_factory=list)
    generation: str | None = None
    generation_evidence: list[str] = field(default_factory=list)
    sitemap: dict[str, Any] = field(default_factory=dict)
    lists: list[dict[str, Any]] = field(default_factory=list)
    routes: dict[str, int] = field(default_factory=dict)  # route form -> article links seen
    articles: list[dict[str, Any]] = field(default_factory=list)
    locales: list[str] = field(default_factory=list)
    locale_evidence: list[str] = field(default_factory=list)
    requests: int = 0
    fetched: list[dict[str, str]] = field(default_factory=list)  # every URL asked or refused, in order

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def untrusted(self) -> list[dict[str, Any]]:
        """The article pages some field of which the portal layer did not read (title, date line or body
        from the page's metadata or the generic extractor): a crawl does not trust such pages, and raises
        its layout alarm when they are common (archive/runs.py)."""
        return [
            a
            for a in self.articles
            if a.get("page_kind") in ("article", "not-article")
            and any(a[name]["layer"] != LAYER_PORTAL for name in ("title", "date", "body"))
        ]

    @property
    def refused(self) -> list[str]:
        return [f["url"] for f in self.fetched if f["outcome"] == "refused by robots.txt"]


@dataclass
class _Seen:
    """Links met on the way: article URLs in the order met, list candidates with how they were found."""

    articles: list[str] = field(default_factory=list)
    candidates: dict[str, tuple[str, str]] = field(default_factory=dict)  # canonical -> (url, how)
    times_linked: Counter[str] = field(default_factory=Counter)  # canonical -> links to it on the home page
    pages: list[str] = field(default_factory=list)  # the pages' text, for the generation

    def article(self, url: str) -> None:
        self.articles.append(url)

    def candidate(self, url: str, how: str) -> None:
        self.candidates.setdefault(canonical_url(url), (url, how))


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def probe(url: str, fetcher: PoliteFetcher) -> Report:
    """Probe the portal at ``url`` (its home page, or the origin's) through ``fetcher``."""
    origin = origin_of(url)
    home_url = url if urlsplit(url).path not in ("", "/") else origin + "/"
    report = Report(url=home_url, origin=origin)
    evidence = Evidence(origin)
    seen = _Seen()
    robots = fetcher.start()
    _add(evidence, ROBOTS, robots)
    home = fetcher.get(home_url)
    _add(evidence, HOME, home)
    if home is not None and home.status == 200:
        seen.pages.append(home.text())
        _read_home(home, seen)
    _read_sitemaps(fetcher, report, evidence, seen)
    report.platform = evidence.verdict(done=True)
    report.markers = list(evidence.markers)
    if report.platform == OTHER:
        report.platform_message = evidence.message()
    if report.platform == LIFERAY:
        _read_lists(fetcher, report, seen, home)
        _read_articles(fetcher, report, seen)
        forms = list(report.routes)
        generation = liferay_generation(seen.pages, forms)
        report.generation, report.generation_evidence = generation.name, list(generation.evidence)
        _read_locales(report, home)
    report.requests = fetcher.requests
    report.fetched = [{"url": f.url, "outcome": f.outcome} for f in fetcher.log]
    return report


def _add(evidence: Evidence, kind: str, answer: Answer | None) -> None:
    if answer is not None and answer.status:
        evidence.add(kind, answer.status, answer.headers, answer.text())


def _links(doc, base: str, xpath: str = "//a/@href") -> list[str]:
    found = []
    for href in doc.xpath(xpath):
        joined = join_url(base, str(href).strip())
        if joined is not None and joined.startswith(("http://", "https://")):
            found.append(joined.split("#", 1)[0])
    return found


def _read_home(home: Answer, seen: _Seen) -> None:
    """The home page's menus (lists the crawl follows), its article links, and its other links (lists
    only a person would find: the draft's list_pages hints)."""
    doc = parse_html(home.body, home.charset)
    if doc is None:
        return
    base = home.final_url
    menu = set(_links(doc, base, MENU_XPATH))
    for link in _links(doc, base):
        if is_article_url(link):
            seen.article(link)
        elif canonical_url(link) != canonical_url(base) and not _LOCALE_ROOT_RE.match(urlsplit(link).path):
            seen.candidate(link, MENU if link in menu else HOME_LINK)
            seen.times_linked[canonical_url(link)] += 1


# --- sitemaps ---------------------------------------------------------------------------------------------


def _sitemap_entries(answer: Answer) -> tuple[str | None, list[str]]:
    """(``sitemapindex`` or ``urlset``, the ``<loc>`` URLs), or (None, []) for what is no sitemap."""
    if answer.status != 200 or not answer.body.lstrip().startswith(b"<"):
        return None, []
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=True)
    try:
        root = etree.fromstring(answer.body, parser)
    except etree.XMLSyntaxError:
        return None, []
    if root is None:
        return None, []
    kind = etree.QName(root).localname
    if kind not in ("sitemapindex", "urlset"):
        return None, []
    locs = [(el.text or "").strip() for el in root.iter("{*}loc")]
    return kind, [join_url(answer.final_url, loc) or loc for loc in locs if loc]


def _read_sitemaps(fetcher: PoliteFetcher, report: Report, evidence: Evidence, seen: _Seen) -> None:
    """The sitemap robots.txt names (else /sitemap.xml): an index and its first children, or a url set;
    whether it lists articles or only pages (6.2's sitemap lists pages)."""
    named = fetcher.sitemaps()
    url = named[0] if named else f"{fetcher.origin}/sitemap.xml"
    answer = fetcher.get(url)
    _add(evidence, SITEMAP, answer)
    info: dict[str, Any] = {"url": url, "named_in_robots": bool(named), "kind": "none"}
    report.sitemap = info
    if answer is None:
        info["note"] = "not fetched"
        return
    kind, locs = _sitemap_entries(answer)
    if kind is None:
        info["note"] = f"answered {answer.status or answer.error}, not a sitemap"
        return
    sets: list[tuple[str, list[str]]] = []
    if kind == "sitemapindex":
        info.update(kind="index", children=len(locs))
        for child in locs[:SITEMAP_CHILDREN_READ]:
            child_answer = fetcher.get(child)
            if child_answer is not None:
                child_kind, child_locs = _sitemap_entries(child_answer)
                if child_kind == "urlset":
                    sets.append((child, child_locs))
    else:
        info["kind"] = "urlset"
        sets.append((url, locs))
    articles = [loc for _, urls in sets for loc in urls if is_article_url(loc)]
    pages = [loc for _, urls in sets for loc in urls if not is_article_url(loc)]
    info["article_urls"], info["page_urls"] = len(articles), len(pages)
    info["articles_in"] = [u for u, urls in sets if any(is_article_url(x) for x in urls)]
    if not articles:  # (6.2's sitemap lists pages, never web content)
        info["kind"] += " of pages only"
    for loc in articles:
        seen.article(loc)
    for loc in pages:
        if fetcher.on_origin(loc):
            seen.candidate(loc, SITEMAP_PAGE)


# --- lists ------------------------------------------------------------------------------------------------


def _candidates(seen: _Seen, home: Answer | None) -> list[tuple[str, str]]:
    """List pages to try: those the crawl finds itself (menus, the sitemap's pages) first, and among them
    those the home page links most often (a section's "more" link besides the menu's: a list, where an
    "about" or "contact" page is linked once)."""
    order = {MENU: 0, SITEMAP_PAGE: 1, HOME_LINK: 2}
    home_key = canonical_url(home.final_url) if home is not None else None
    found = [(key, c) for key, c in seen.candidates.items() if key != home_key and not is_article_url(c[0])]
    found.sort(key=lambda kc: (order[kc[1][1]], -seen.times_linked[kc[0]]))
    return [c for _, c in found]


def _read_lists(fetcher: PoliteFetcher, report: Report, seen: _Seen, home: Answer | None) -> None:
    """The home page's own Asset Publishers, then up to LIST_PAGES_WANTED list pages with articles."""
    if home is not None and home.status == 200:
        entry, _ = _list_entry(home, "home page")
        if entry["instances"]:
            report.lists.append(entry)
    tried = read = 0
    for url, how in _candidates(seen, home):
        if tried >= LIST_PAGES_TRIED or read >= LIST_PAGES_WANTED:
            break
        if not fetcher.on_origin(url):
            continue
        if not fetcher.allowed(url):
            fetcher.get(url)  # (no request: logged as refused, so the report shows what robots.txt kept out)
            continue
        tried += 1
        answer = fetcher.get(url)
        if answer is None or answer.status != 200 or "html" not in answer.content_type.lower():
            continue
        seen.pages.append(answer.text())
        entry, articles = _list_entry(answer, how)
        if articles:
            read += 1
            report.lists.append(entry)
            seen.articles[:0] = articles  # a list's articles first: the pages a crawl reads most
    forms = Counter(f for f in (route_form(u) for u in seen.articles) if f)
    report.routes = dict(forms.most_common())


def _list_entry(answer: Answer, how: str) -> tuple[dict[str, Any], list[str]]:
    """One list page: its Asset Publisher instances and pager, its card dates; and its article links."""
    doc = parse_html(answer.body, answer.charset)
    if doc is None:
        return {
            "url": answer.final_url,
            "how": how,
            "article_links": 0,
            "instances": [],
            "pager": None,
            "list_date": {},
        }, []
    base = answer.final_url
    links = _links(doc, base)
    articles = [u for u in links if is_article_url(u)]
    instances = instances_on([str(i) for i in doc.xpath("//@id")], [u for u in links if u not in articles])
    classes = " ".join(str(c) for c in doc.xpath("//ul/@class")).split()
    style = next((name for cls, name in _PAGER_CLASSES if cls in classes), None)
    first_date = next(iter(listed_dates(doc, base).values()), None)
    entry = {
        "url": base,
        "how": how,
        "article_links": len({article_key(u) for u in articles}),
        "instances": [asdict(i) for i in instances],
        "pager": style,
        "list_date": {"line": first_date, "pattern": date_pattern(first_date) if first_date else None},
    }
    return entry, articles


# --- articles ---------------------------------------------------------------------------------------------


def _choose_articles(urls: list[str]) -> list[str]:
    """Up to ARTICLES_WANTED articles, one of each route form first (the forms a profile must cover)."""
    chosen: list[str] = []
    keys: set[str | None] = set()
    forms: set[str | None] = set()
    for wanted_new_form in (True, False):
        for url in urls:
            key, form = article_key(url), route_form(url)
            if key in keys or (wanted_new_form and form in forms) or len(chosen) >= ARTICLES_WANTED:
                continue
            chosen.append(url)
            keys.add(key)
            forms.add(form)
    return chosen


def _read_articles(fetcher: PoliteFetcher, report: Report, seen: _Seen) -> None:
    allowed = [u for u in seen.articles if fetcher.on_origin(u)]
    refused = [u for u in allowed if not fetcher.allowed(u)]
    for url in refused[:1]:
        fetcher.get(url)  # (logged as refused)
    for url in _choose_articles([u for u in allowed if fetcher.allowed(u)]):
        answer = fetcher.get(url)
        if answer is None:  # refused (a redirect into what robots.txt disallows), or the cap reached
            if fetcher.requests >= fetcher.max_requests:
                break
            continue
        if answer.status != 200:
            report.articles.append({"url": url, "form": route_form(url), "status": answer.status})
            continue
        seen.pages.append(answer.text())
        report.articles.append(_article_entry(answer, url))


def _article_entry(answer: Answer, url: str) -> dict[str, Any]:
    """What the crawl's extractor reads on one article page, and where each field sits."""
    raw = extract_page(answer.body, answer.final_url, answer.charset)
    doc = parse_html(answer.body, answer.charset)
    title_layer = raw.layers.get("title")
    date_layer = raw.layers.get("published")
    body_layer = raw.layers.get("body")
    return {
        "url": answer.final_url,
        "form": route_form(url),
        "status": answer.status,
        "page_kind": raw.page_kind,
        "locale": raw.locale,
        "asset_id": raw.layers.get("asset_id"),
        "alternates": sorted(raw.alternates),
        "title": {
            "text": raw.title_raw,
            "layer": title_layer,
            "where": _title_where(doc, raw.title_raw, title_layer),
        },
        "date": {
            "line": raw.published_raw,
            "layer": date_layer,
            "where": _date_where(doc, raw.published_raw, date_layer),
            "pattern": date_pattern(raw.published_raw, raw.locale) if raw.published_raw else None,
        },
        "body": {"layer": body_layer, "where": _body_where(raw.body_html_raw, body_layer)},
    }


def _title_where(doc, title: str | None, layer: str | None) -> str | None:
    if title is None or doc is None:
        return None
    if layer == LAYER_METADATA:
        if doc.xpath("//*[@data-analytics-asset-title]"):
            return "div.journal-content-article[data-analytics-asset-title]"
        return "og:title / <title>"
    if layer == LAYER_GENERIC:
        return "trafilatura (generic layer)"
    element = element_with_text(doc, title, headings_first=True)
    return describe(element) if element is not None else None


def _date_where(doc, line: str | None, layer: str | None) -> str | None:
    if line is None or doc is None:
        return None
    if layer == LAYER_METADATA:
        return "meta description"
    if layer == LAYER_GENERIC:
        return "htmldate (generic layer)"
    element = element_with_text(doc, line, slack=60)
    return describe(element) if element is not None else None


_FIRST_TAG_RE = re.compile(r"<([a-zA-Z0-9]+)([^>]*)>")
_CLASS_RE = re.compile(r"""\bclass\s*=\s*["']([^"']*)["']""")


def _body_where(html: str | None, layer: str | None) -> str | None:
    if html is None:
        return None
    if layer == LAYER_GENERIC:
        return "trafilatura (generic layer)"
    match = _FIRST_TAG_RE.search(html)
    if match is None or layer != LAYER_PORTAL:
        return None
    element = etree.Element(match[1])
    classes = _CLASS_RE.search(match[2])
    if classes:
        element.set("class", classes[1])
    return describe(element)


# --- locales ----------------------------------------------------------------------------------------------


def _read_locales(report: Report, home: Answer | None) -> None:
    """The portal's locales: the home page's ``lang`` first (its default), then hreflang alternates."""
    locales: list[str] = []
    evidence: list[str] = []
    doc = parse_html(home.body, home.charset) if home is not None and home.status == 200 else None
    if doc is not None:
        lang = str(doc.get("lang") or "")
        match = _LOCALE_RE.match(lang)
        if match:
            locales.append(match[1].lower())
            evidence.append(f'home page lang="{lang}"')
        hreflangs = [str(h) for h in doc.xpath("//link[@rel='alternate']/@hreflang")]
    else:
        hreflangs = []
    for article in report.articles:
        hreflangs += article.get("alternates", [])
    for hreflang in hreflangs:
        match = _LOCALE_RE.match(hreflang)
        if match and match[1].lower() not in locales:
            locales.append(match[1].lower())
            evidence.append(f'hreflang="{hreflang}"')
    report.locales, report.locale_evidence = locales, evidence
