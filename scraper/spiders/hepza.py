"""The hepza spider: discovers articles from the sitemap and the category lists, fetches each once.

``parse*`` methods only route and assemble; reading a page's fields is ``pipelines.extract`` (plain
Python, shared with ``hepza extract`` and ``hepza reprocess``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qsl, urljoin, urlsplit

import scrapy
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from archive.captures import Capture
from archive.store import Archive
from pipelines.extract import extract_page
from pipelines.urls import article_key, article_url, is_article_url, is_old_article_route
from scraper.items import ArticleItem, FetchOutcomeItem

# Statuses an article request handles itself instead of dropping: 304 (unchanged), 404/410 (gone).
_ARTICLE_STATUSES = [304, 404, 410]
_PAGER_PARAM_SUFFIXES = ("_cur",)
_MENU_XPATH = "//nav//a/@href | //*[contains(@class,'navbar') or contains(@id,'navigation')]//a/@href"


class HepzaSpider(scrapy.Spider):
    name = "hepza"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.requested_keys: set[str] = set()
        self.list_pages_seen: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.site_url = settings.get("HEPZA_SITE_URL").rstrip("/")
        spider.allowed_domains = [urlsplit(spider.site_url).hostname]
        spider.mode = settings.get("HEPZA_MODE", "incremental")
        spider.db_path = settings.get("HEPZA_DB")
        return spider

    async def start(self):
        """Both discovery paths (robots → sitemaps, home → menus → lists), then known articles to re-check."""
        yield scrapy.Request(f"{self.site_url}/robots.txt", callback=self.parse_robots, errback=self.on_error,
                             meta={"handle_httpstatus_list": [404]}, priority=10)
        yield scrapy.Request(f"{self.site_url}/", callback=self.parse_home, errback=self.on_error, priority=10)
        if self.mode == "full":
            for request in self._recheck_requests():
                yield request

    def _recheck_requests(self):
        """Every archived article, with its validators for a conditional request."""
        archive = Archive(self.db_path)
        try:
            known = archive.known_articles()
        finally:
            archive.close()
        for row in known:
            key = row["url_key"]
            if not key or key in self.requested_keys:
                continue
            headers = {}
            if row["etag"]:
                headers["If-None-Match"] = row["etag"]
            if row["last_modified"]:
                headers["If-Modified-Since"] = row["last_modified"]
            yield self._article_request(article_url(self.site_url, key), headers=headers, priority=0)

    # --- discovery ------------------------------------------------------------------------------

    def parse_robots(self, response):
        sitemaps = list(sitemap_urls_from_robots(response.text, base_url=response.url)) if response.status == 200 else []
        for url in sitemaps or [f"{self.site_url}/sitemap.xml"]:
            yield scrapy.Request(url, callback=self.parse_sitemap, errback=self.on_error, priority=9)

    def parse_sitemap(self, response):
        try:
            sitemap = Sitemap(response.body)
        except Exception as exc:  # a broken sitemap is recorded, and discovery goes on through the lists
            yield FetchOutcomeItem(response.url, "bad-sitemap", response.status, str(exc)[:200])
            return
        for entry in sitemap:
            url = urljoin(response.url, entry.get("loc", ""))
            if sitemap.type == "sitemapindex":
                yield scrapy.Request(url, callback=self.parse_sitemap, errback=self.on_error, priority=9)
            elif is_article_url(url):
                request = self._article_request(url, lastmod=entry.get("lastmod"))
                if request:
                    yield request
            else:
                yield from self._list_request(url)

    def parse_home(self, response):
        for href in response.xpath(_MENU_XPATH).getall():
            url = response.urljoin(href)
            if is_article_url(url) or is_old_article_route(url):
                request = self._article_request(url)
                if request:
                    yield request
            else:
                yield from self._list_request(url)
        yield from self.parse_list(response)

    def parse_list(self, response):
        """Article links of a list page, and its pager links while the page still brings new articles."""
        new_articles = 0
        for href in response.css("a::attr(href)").getall():
            url = response.urljoin(href)
            if is_article_url(url) or is_old_article_route(url):
                request = self._article_request(url, category=response.meta.get("category"))
                if request:
                    new_articles += 1
                    yield request
        if new_articles == 0:
            return  # an out-of-range page repeats the last one: stop on "no new links", not on a number
        for href in response.css("ul.pagination a::attr(href), ul.pager a::attr(href), .lfr-pagination-buttons a::attr(href)").getall():
            url = response.urljoin(href)
            if _is_pager_link(url):
                yield from self._list_request(url, category=response.meta.get("category"))

    def _list_request(self, url: str, category: str | None = None):
        if urlsplit(url).netloc != urlsplit(self.site_url).netloc or url in self.list_pages_seen:
            return
        self.list_pages_seen.add(url)
        category = category or urlsplit(url).path.strip("/").split("/")[-1] or None
        yield scrapy.Request(url, callback=self.parse_list, errback=self.on_error, meta={"category": category}, priority=5)

    def _article_request(self, url: str, *, lastmod: str | None = None, category: str | None = None,
                         headers: dict | None = None, priority: int = 1):
        """One request per article per run, whatever URL names it (locale, encoding, old route)."""
        key = article_key(url)
        if key is None or key in self.requested_keys:
            return None
        self.requested_keys.add(key)
        return scrapy.Request(
            url,
            callback=self.parse_article,
            errback=self.on_error,
            headers=headers or {},
            priority=priority,
            meta={"handle_httpstatus_list": _ARTICLE_STATUSES, "category": category, "lastmod": lastmod},
        )

    # --- articles --------------------------------------------------------------------------------

    def parse_article(self, response):
        urls = [*response.meta.get("redirect_urls", []), response.url]
        if response.status == 304:
            yield FetchOutcomeItem(response.url, "not-modified", 304)
            return
        if response.status in (404, 410):
            yield FetchOutcomeItem(response.url, "gone", response.status, f"HTTP {response.status}")
            return
        if not is_article_url(response.url):
            yield FetchOutcomeItem(response.url, "not-article", response.status, "redirected to a non-article page")
            return
        charset = _declared_charset(response)
        raw = extract_page(response.body, response.url, charset)
        capture = Capture(
            url=response.url,
            status=response.status,
            body=response.body,
            fetched_at=datetime.now(UTC).isoformat(timespec="seconds"),
            headers=_headers(response),
        )
        validators = {
            "etag": response.headers.get("ETag", b"").decode("latin-1") or None,
            "last_modified": response.headers.get("Last-Modified", b"").decode("latin-1") or None,
        }
        yield ArticleItem(raw=raw, capture=capture, urls=urls, category=response.meta.get("category"),
                          validators=validators)

    def on_error(self, failure):
        """A request that failed for good (after retries): recorded, never taken as a removal."""
        request = failure.request
        response = getattr(failure.value, "response", None)
        status = response.status if response is not None else None
        kind = "http-error" if status else failure.type.__name__
        if "offsite" in str(failure.value):
            kind = "offsite"
        yield FetchOutcomeItem(request.url, kind, status, str(failure.value)[:300])


def _is_pager_link(url: str) -> bool:
    return any(name.endswith(_PAGER_PARAM_SUFFIXES) for name, _ in parse_qsl(urlsplit(url).query))


def _declared_charset(response) -> str | None:
    content_type = response.headers.get("Content-Type", b"").decode("latin-1").lower()
    for part in content_type.split(";"):
        name, _, value = part.strip().partition("=")
        if name == "charset" and value:
            return value.strip("\"' ")
    return None


def _headers(response) -> dict[str, str]:
    return {k.decode("latin-1"): b", ".join(v).decode("latin-1") for k, v in response.headers.items()}
