"""The hepza spider: discovers articles from the sitemap and the category lists, fetches each once.

``parse*`` methods only route and assemble; reading an article page's fields is ``pipelines.extract``
(plain Python, shared with ``hepza extract`` and ``hepza reprocess``), run by the archive writer off the
reactor. The writer's reply carries the page's attachment links; the item pipeline passes them on in the
``file_links_found`` signal, and the spider turns them into requests (:meth:`HepzaSpider.file_requests`).
What the archive already holds (known articles, their validators, due re-checks) comes from a
:class:`~archive.crawl_plan.CrawlPlan`, read once when the crawl starts: the spider never opens the archive.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlsplit, urlunsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.settings import BaseSettings
from scrapy.utils.response import get_base_url
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from archive.captures import Capture
from archive.crawl_plan import CrawlPlan, KnownArticle
from archive.schedule import parse_schedule
from pipelines.extract import classify_page, parse_html
from pipelines.listing_dates import listed_dates
from pipelines.urls import (
    article_key,
    canonical_url,
    category_key,
    is_article_url,
    join_url,
    path_and_query,
    strip_cache_buster,
)
from scraper.config import setting
from scraper.items import ArticleItem, AttachmentItem, FetchOutcomeItem, ListingItem, SitemapItem
from scraper.signals import file_links_found

# Statuses an article request handles itself instead of dropping: 304 (unchanged), 404/410 (gone).
_ARTICLE_STATUSES = [304, 404, 410]
# A pager link of any portlet instance: ``_<portlet id>_cur=N`` (7.x Asset Publisher
# ``_com_liferay_asset_publisher_web_portlet_AssetPublisherPortlet_INSTANCE_<id>_cur``, 6.2
# ``_101_INSTANCE_<id>_cur`` with its ``_delta``), whatever the pager's markup (numbered or simple).
_PAGER_PARAM_RE = re.compile(r"_[A-Za-z0-9_]+_cur")
_MENU_XPATH = (
    "//nav//a/@href | //*[contains(@class,'navbar') or contains(@id,'navigation')]//a/@href"
    " | //a[@role='menuitem']/@href"
)


class HepzaSpider(scrapy.Spider):
    name = "hepza"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.requested_keys: set[str] = set()  # one request per article per run
        self.discovered_keys: set[str] = set()  # article keys met in lists and sitemaps this run
        self.list_pages_seen: set[str] = set()
        # Article keys each category's list pages have shown this run: a list is paged while its pages
        # bring articles it has not shown yet, even ones the sitemap or another list led to first, so that
        # every article is seen in every list it sits in.
        self.listed_keys: dict[str | None, set[str]] = {}
        self.plan = CrawlPlan()  # what the archive holds, read when the crawl starts (empty until then)
        self.sitemaps_requested = 0
        self.sitemap_new_urls = 0  # new article URLs taken from the sitemaps this run
        self.now = datetime.now(UTC)
        # Attachments asked for in this run (once each), by URL without Liferay's ?t=.
        self.attachments_requested: set[str] = set()
        # A profile's hints (set by :meth:`configure`): none until then.
        self.hint_list_pages: tuple[str, ...] = ()
        self.article_routes: tuple[str, ...] = ()
        self.hint_date_formats: tuple[str, ...] = ()
        # Requests for article URLs the archive does not know, held while the run re-checks known ones
        # (release_held_new_articles): sent when the crawl would otherwise end, unless a re-check's
        # redirect reached them.
        self.held_new_articles: list[scrapy.Request] = []
        self.hold_new_articles = False
        self.reached_keys: set[str] = set()  # article keys of the pages answered this run

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.configure(crawler.settings)
        # The writer's links to an article's documents, passed on by the item pipeline.
        crawler.signals.connect(spider.on_file_links, signal=file_links_found)
        crawler.signals.connect(spider.release_held_new_articles, signal=signals.spider_idle)
        return spider

    def configure(self, settings: BaseSettings) -> None:
        """The spider's settings (defaults: archive/config.py's)."""
        self.site_url: str = setting(settings, "site_url").rstrip("/")
        self.allowed_domains = [urlsplit(self.site_url).hostname or ""]
        self.full_run: bool = settings.get("HEPZA_MODE") == "full"  # else incremental
        self.db_path: str = setting(settings, "db")
        self.schedule = parse_schedule(setting(settings, "recheck_schedule"))
        self.sitemap_max_depth: int = setting(settings, "sitemap_max_depth")
        self.sitemap_max_files: int = setting(settings, "sitemap_max_files")
        self.sitemap_max_new_urls: int = setting(settings, "sitemap_max_new_urls")
        self.dead_link_retry_days: float = setting(settings, "dead_link_retry_days")
        self.download_attachments: bool = setting(settings, "download_attachments")
        self.download_images: bool = setting(settings, "download_images")
        # (Not in archive.config.SETTINGS: only the project's Scrapy settings define it.)
        self.attachment_max_bytes: int = settings.getint("HEPZA_ATTACHMENT_MAX_BYTES")
        self.attachment_retries: int = setting(settings, "attachment_retries")
        # A profile's hints (HEPZA_HINTS, archive/profiles.py Hints.as_setting): list pages read besides
        # those discovery finds, and article routes besides Liferay's. (Its selectors and date formats are
        # the archive writer's, which reads the pages.)
        hints = settings.getdict("HEPZA_HINTS")
        self.hint_list_pages = tuple(hints.get("list_pages") or ())
        self.article_routes = tuple(hints.get("article_routes") or ())
        self.hint_date_formats = tuple(hints.get("date_formats") or ())  # (list cards' dates too)
        clock = setting(settings, "clock")
        if clock:  # a fixed "now" for reproducible tests and benchmarks
            self.now = datetime.fromisoformat(clock)

    async def start(self):
        """Both discovery paths (robots → sitemaps, home → menus → lists), then known articles to re-check."""
        self.plan = CrawlPlan.load(
            self.db_path,
            now=self.now,
            schedule=self.schedule,
            dead_link_retry_days=self.dead_link_retry_days,
            attachment_retries=self.attachment_retries,
        )
        rechecks = list(self.plan.rechecks(full=self.full_run))
        self.hold_new_articles = bool(rechecks)
        yield scrapy.Request(
            f"{self.site_url}/robots.txt",
            callback=self.parse_robots,
            errback=self.on_error,
            meta={"handle_httpstatus_list": [404]},
            priority=10,
        )
        yield scrapy.Request(
            f"{self.site_url}/", callback=self.parse_home, errback=self.on_error, priority=10
        )
        for page in self.hint_list_pages:
            # A list the profile names, read (and paged) as any list discovery finds; a path is on the origin.
            url = join_url(self.site_url + "/", page)
            for request in self._list_request(url) if url is not None else ():
                yield request
        for request in self.recheck_requests(rechecks):
            yield request
        # Documents whose download failed in an earlier run, whether or not their article is due.
        for url, article_url in self.plan.files_to_retry:
            if not url.startswith(self.site_url + "/"):
                continue  # refused when its article was read; asking again would only refuse it again
            for request in self.file_requests([url], [], article_url):
                yield request

    def recheck_requests(self, rechecks: Sequence[KnownArticle] | None = None):
        """The known articles this run asks for whether or not a list or the sitemap leads to them
        (``rechecks``: the plan's, read once by :meth:`start`)."""
        if rechecks is None:
            rechecks = list(self.plan.rechecks(full=self.full_run))
        for article in rechecks:
            # The stored URL, not the key: the portal answers only the slug's own spelling (NFC or NFD),
            # and a 6.2 query-form route names the article in its query, not in its path.
            request = self._article_request(self.site_url + path_and_query(article.url), priority=0)
            if request:
                yield request

    def _wanted(self, key: str, lastmod: str | None) -> bool:
        """Fetch a discovered article? New ones always; known ones in a full run, when due, or when the
        sitemap says they were modified since we last saw them; a removed one met again in a list or a
        sitemap always (it may be back)."""
        article = self.plan.article(key)
        if article is None or self.full_run or article.removed:
            return True
        return article.modified_since(lastmod) or self.plan.needs_check(article)

    # --- discovery ------------------------------------------------------------------------------

    def parse_robots(self, response):
        try:
            sitemaps = (
                list(sitemap_urls_from_robots(response.body, base_url=response.url))
                if response.status == 200
                else []
            )
        except ValueError:  # a Sitemap: line that cannot be parsed: the portal's usual sitemap instead
            sitemaps = []
        for url in sitemaps or [f"{self.site_url}/sitemap.xml"]:
            yield from self._sitemap_request(url, depth=0)

    def _sitemap_request(self, url: str, depth: int):
        """A sitemap to read, within the caps on index depth and on sitemap files a run (an endless chain of
        indexes would otherwise never end the run)."""
        if depth > self.sitemap_max_depth or self.sitemaps_requested >= self.sitemap_max_files:
            self.crawler.stats.inc_value("hepza/sitemaps_capped")
            self.logger.info("sitemap cap reached; not reading %s", url[:300])
            return
        self.sitemaps_requested += 1
        yield scrapy.Request(
            url,
            callback=self.parse_sitemap,
            errback=self.on_error,
            priority=9,
            meta={"sitemap_depth": depth},
        )

    def _take_from_sitemap(self, url: str) -> bool:
        """Whether a sitemap's article URL is worth a request: a known article always (the schedule and
        lastmod decide); a new one unless it was found dead recently or the run's cap on new sitemap URLs
        is reached."""
        key = article_key(url, routes=self.article_routes)
        if key is None or key in self.plan:
            return True
        if self.plan.is_dead(key):
            self.crawler.stats.inc_value("hepza/sitemap_dead_skipped")
            return False
        if article_key(url, nfc=False, routes=self.article_routes) in self.discovered_keys:
            return True  # already taken (another sitemap or a list): no new request either way
        if self.sitemap_max_new_urls and self.sitemap_new_urls >= self.sitemap_max_new_urls:
            self.crawler.stats.inc_value("hepza/sitemap_new_capped")
            return False
        self.sitemap_new_urls += 1
        return True

    def parse_sitemap(self, response):
        try:
            sitemap = Sitemap(response.body)
        except Exception as exc:  # a broken sitemap is recorded, and discovery goes on through the lists
            yield FetchOutcomeItem(response.url, "bad-sitemap", response.status, str(exc)[:200])
            return
        lastmods: dict[str, str] = {}
        depth = response.meta.get("sitemap_depth", 0)
        # Most recently modified first: when the cap on new URLs cuts a sitemap, the recent ones are kept.
        entries = sorted(sitemap, key=lambda e: str(e.get("lastmod") or ""), reverse=True)
        for entry in entries:
            url = join_url(response.url, entry.get("loc", ""))
            if url is None:
                continue  # an address that cannot be parsed: one bad entry must not cost the sitemap
            if sitemap.type == "sitemapindex":
                yield from self._sitemap_request(url, depth + 1)
            elif is_article_url(url, self.article_routes):
                if not self._take_from_sitemap(url):
                    continue
                lastmod = entry.get("lastmod")
                if lastmod:
                    lastmods[url] = lastmod
                # A changed lastmod moves the article to the front of the queue.
                request = self._article_request(
                    url,
                    lastmod=lastmod,
                    discovered=True,
                    priority=3
                    if lastmod and article_key(url, routes=self.article_routes) in self.plan
                    else 1,
                )
                if request:
                    yield request
            else:
                yield from self._list_request(url)
        if lastmods:
            # Remembered for the articles this run confirms, however they were reached (lists come first
            # as often as not), so the next incremental run knows which ones the portal has modified.
            yield SitemapItem(lastmods)

    def parse_home(self, response):
        kind = classify_page(response.body, _declared_charset(response))
        if kind is not None:
            # A site-wide login wall or maintenance notice: say so, even on a first run with nothing known.
            yield FetchOutcomeItem(response.url, kind, response.status, f"the home page is a {kind} page")
            return
        for href in response.xpath(_MENU_XPATH).getall():
            url = join_url(get_base_url(response), href)
            if url is None:
                continue
            if is_article_url(url, self.article_routes):
                request = self._article_request(url, discovered=True)
                if request:
                    yield request
            else:
                yield from self._list_request(url)
        yield from self.parse_list(response)

    def parse_list(self, response):
        """Article links of a list page, and its pager links while the page still brings new articles."""
        new_links = unknown = 0
        category = response.meta.get("category")
        shown = self.listed_keys.setdefault(category, set())
        listed: list[str] = []
        requests = []
        pager_links: list[str] = []
        for href in response.css("a::attr(href)").getall():
            url = join_url(get_base_url(response), href)
            if url is None:
                continue
            key = article_key(url, nfc=False, routes=self.article_routes)
            if key is None:
                if _is_pager_link(url):
                    pager_links.append(url)
                continue
            listed.append(url)
            new_links += key not in shown
            shown.add(key)
            # Known also under an alias route the archive met the article by (``/-/<slug>`` for
            # ``/-/details/<id>/<slug>``): a list that links its known articles so reads as "nothing new".
            # Nothing is missed by it: an alias is recorded only for an article the archive holds, a new
            # article has none (it counts as unknown and the list pages on), and an edit is found by the
            # sitemap's lastmod and the schedule's re-checks, which never depended on paging a list.
            unknown += article_key(url, routes=self.article_routes) not in self.plan
            request = self._article_request(url, category=category, discovered=True)
            if request:
                requests.append(request)
        if category and listed:
            # Before the article requests: the writer then knows each card's date (a 6.2 article page
            # may print the day only) when the article arrives.
            dates = _card_dates(response, self.hint_date_formats)
            yield ListingItem(category, listed, {u: dates[u] for u in listed if u in dates})
        yield from requests
        # An out-of-range page repeats the last one: stop on "no new links", not on a page number. An
        # incremental run also stops once a page brings only articles the archive already has.
        if new_links == 0 or (not self.full_run and unknown == 0):
            return
        # Pager links are known by their parameters, not by the pager's markup: themes restyle pagers
        # freely (numbered, simple, custom ADTs), the portlet's ``_cur`` parameter stays.
        for url in pager_links:
            yield from self._list_request(url, category=category)

    def _on_origin(self, url: str) -> str:
        """Move a link to the site's own host onto the crawl's origin: ``http://`` or ``www.`` spellings of
        the portal's host are the same pages (the origin lock refuses everything else)."""
        parts, site = urlsplit(url), urlsplit(self.site_url)
        host = (parts.hostname or "").removeprefix("www.")
        if (
            parts.scheme in ("http", "https")
            and host == (site.hostname or "").removeprefix("www.")
            and parts.port in (None, site.port)
        ):
            return urlunsplit((site.scheme, site.netloc, parts.path, parts.query, ""))
        return url

    def _refuse(self, url: str) -> None:
        """A link off the site's origin (other host, port or scheme) is never fetched; it is counted in
        the run's ``offsite_refused`` and logged, not recorded as a failure of the run."""
        self.crawler.stats.inc_value("hepza/offsite")
        self.logger.info("refused a link outside the site's origin: %s", url[:300])

    def _list_request(self, url: str, category: str | None = None):
        url = self._on_origin(url)
        if (
            urlsplit(url).netloc != urlsplit(self.site_url).netloc
            or urlsplit(url).scheme != urlsplit(self.site_url).scheme
        ):
            if urlsplit(url).scheme in ("http", "https", "ftp", "file", "gopher") or url.startswith("//"):
                self._refuse(url)
            return
        # One request per list page however its links spell it: a menu's percent-encoded Vietnamese path
        # and a pager's (other hex case, other parameter order) are the same page.
        seen_as = canonical_url(url)
        if seen_as in self.list_pages_seen:
            return
        self.list_pages_seen.add(seen_as)
        category = category or category_key(url)
        yield scrapy.Request(
            url, callback=self.parse_list, errback=self.on_error, meta={"category": category}, priority=5
        )

    def _article_request(
        self,
        url: str,
        *,
        lastmod: str | None = None,
        category: str | None = None,
        discovered: bool = False,
        priority: int = 1,
    ):
        """One request per article per run, whatever URL names it (locale, encoding, old route);
        conditional (ETag / Last-Modified) when the archive knows the article."""
        url = self._on_origin(url)
        key = article_key(url, routes=self.article_routes)
        exact_key = article_key(url, nfc=False, routes=self.article_routes)
        if key is None or exact_key is None:
            return None
        if self.plan.own_key(key) != key:  # another route of an article the archive knows
            key = self.plan.own_key(key)
            # Known by the exact key of its stored URL, as its re-check asks for it: an NFD slug's
            # article reached by another route (an old slug, a profile's route) is then asked for once.
            known = self.plan.article(key)
            own_url = known.url if known is not None else None
            exact_key = (
                article_key(own_url, nfc=False, routes=self.article_routes) if own_url else None
            ) or key
        if not url.startswith(self.site_url + "/"):
            self._refuse(url)
            return None
        if discovered:
            self.discovered_keys.add(exact_key)
        if exact_key in self.requested_keys or (discovered and not self._wanted(key, lastmod)):
            return None
        self.requested_keys.add(exact_key)
        headers = {}
        article = self.plan.article(key)
        hold = article is None and self.hold_new_articles
        if article and not article.removed:
            if article.etag:
                headers["If-None-Match"] = article.etag
            if article.last_modified:
                headers["If-Modified-Since"] = article.last_modified
        request = scrapy.Request(
            url,
            callback=self.parse_article,
            errback=self.on_error,
            headers=headers,
            priority=priority,
            # requested_keys already keeps one request per article; the URL filter would also drop the
            # last hop of a redirect cycle (A → A?x → A) silently instead of recording it.
            dont_filter=True,
            meta={
                "handle_httpstatus_list": _ARTICLE_STATUSES,
                "category": category,
                "lastmod": lastmod,
                "article_key": key,
            },
        )
        if hold:
            self.held_new_articles.append(request)
            return None
        return request

    def release_held_new_articles(self) -> None:
        """At the crawl's would-be end (spider_idle): send the held requests for unknown article URLs.

        Why they were held: a renamed article answers at a new slug, and its old one redirects there.
        Where the page carries no asset id, only that redirect says the new slug is the known article;
        had the new slug been fetched first (a list leads to it, at a higher priority than re-checks),
        it would be archived as a new article beside the known one. So a run that re-checks known articles asks for unknown URLs once every
        re-check has been answered (idle: nothing scheduled, downloading or being processed), and
        skips those a re-check's redirect has already reached. A first crawl holds nothing."""
        if not self.held_new_articles:
            return
        held, self.held_new_articles = self.held_new_articles, []
        self.hold_new_articles = False  # (the re-checks are answered: what is found from now on goes)
        for request in held:
            if request.meta["article_key"] not in self.reached_keys:
                self.crawler.engine.crawl(request)
        raise DontCloseSpider

    # --- articles --------------------------------------------------------------------------------

    def parse_article(self, response):
        urls = [*response.meta.get("redirect_urls", []), response.url]
        reached = article_key(response.url, routes=self.article_routes)
        if reached is not None:
            self.reached_keys.add(self.plan.own_key(reached))
        if response.status == 304:
            yield FetchOutcomeItem(response.url, "not-modified", 304, capture=_capture(response))
            return
        if response.status in (404, 410):
            yield FetchOutcomeItem(response.url, "gone", response.status, f"HTTP {response.status}")
            return
        if not is_article_url(response.url, self.article_routes):
            yield FetchOutcomeItem(
                response.url, "not-article", response.status, "redirected to a non-article page"
            )
            return
        capture = _capture(response)
        validators = {
            "etag": response.headers.get("ETag", b"").decode("latin-1") or None,
            "last_modified": response.headers.get("Last-Modified", b"").decode("latin-1") or None,
            "sitemap_lastmod": response.meta.get("lastmod"),
        }
        yield ArticleItem(
            capture=capture,
            urls=urls,
            category=response.meta.get("category"),
            validators=validators,
            charset=_declared_charset(response),
        )

    def on_file_links(self, attachments: Sequence[str], images: Sequence[str], page_url: str) -> None:
        """The ``file_links_found`` signal: schedule the downloads of an archived page's documents."""
        for request in self.file_requests(attachments, images, page_url):
            self.crawler.engine.crawl(request)

    def file_requests(self, attachments: Sequence[str], images: Sequence[str], page_url: str):
        """Fetches of the documents (and, when asked, the images) an article links to, once each per run;
        the links come from the archive writer, which read them from the article's body.

        A document the archive already holds is asked for again whenever its article is fetched or answers
        304 (the writer then hands back the archived links), with the validators it came with: Liferay
        serves a new version of a document under the same URL, and the article's link does not change, so
        only the document itself can tell."""
        urls = list(attachments) if self.download_attachments else []
        if self.download_images:
            urls += images
        for url in urls:
            url = self._on_origin(url)
            if not url.startswith(self.site_url + "/"):
                self._refuse(url)
                continue
            # Known by the URL without Liferay's ?t=, the time of the version the link was made from.
            key = strip_cache_buster(url)
            if key in self.attachments_requested:
                continue
            self.attachments_requested.add(key)
            headers = {}
            meta = {"article_url": page_url, "download_maxsize": self.attachment_max_bytes}
            etag, last_modified = self.plan.file_validator(key)
            if etag:
                headers["If-None-Match"] = etag
            if last_modified:
                headers["If-Modified-Since"] = last_modified
            if headers:  # (a 304 only answers a conditional request; to any other it stays an error)
                meta["handle_httpstatus_list"] = [304]
            yield scrapy.Request(
                url,
                callback=self.parse_attachment,
                errback=self.on_error,
                priority=-1,
                headers=headers,
                meta=meta,
            )

    def parse_attachment(self, response):
        headers = response.headers
        yield AttachmentItem(
            url=strip_cache_buster(response.url),
            article_url=response.meta["article_url"],
            body=b"" if response.status == 304 else response.body,
            content_type=headers.get("Content-Type", b"").decode("latin-1") or None,
            status=response.status,
            etag=headers.get("ETag", b"").decode("latin-1") or None,
            last_modified=headers.get("Last-Modified", b"").decode("latin-1") or None,
        )

    def on_error(self, failure):
        """A request that failed for good (after retries): recorded, never taken as a removal."""
        request = failure.request
        response = getattr(failure.value, "response", None)
        status = response.status if response is not None else None
        kind = "http-error" if status else failure.type.__name__
        if "offsite" in str(failure.value):
            kind = "offsite"
        # The reason first: Scrapy's messages repeat the (long, percent-encoded) URL the row already holds.
        message = f"{failure.type.__name__}: {str(failure.value).replace(request.url, '<url>')}"
        yield FetchOutcomeItem(request.url, kind, status, message[:500])


def _is_pager_link(url: str) -> bool:
    """A link to another page of a portlet's list: a ``_<portlet id>_cur`` parameter with a page number."""
    query = urlsplit(url).query
    if "_cur=" not in query:
        return False
    return any(_PAGER_PARAM_RE.fullmatch(name) and value.isdigit() for name, value in parse_qsl(query))


def _declared_charset(response) -> str | None:
    content_type = response.headers.get("Content-Type", b"").decode("latin-1").lower()
    for part in content_type.split(";"):
        name, _, value = part.strip().partition("=")
        if name == "charset" and value:
            return value.strip("\"' ")
    return None


def _capture(response) -> Capture:
    """The response as received; its heads and its body as sent come from the downloader (scraper/download.py,
    scraper/middlewares.py WireBodyMiddleware) through the request's meta."""
    return Capture(
        url=response.url,
        status=response.status,
        body=response.body,
        fetched_at=datetime.now(UTC).isoformat(timespec="seconds"),
        headers=_headers(response),
        http_head=response.meta.get("hepza_http_head"),
        http_request=response.meta.get("hepza_http_request"),
        wire_body=response.meta.get("hepza_wire_body"),
    )


def _headers(response) -> dict[str, str]:
    return {k.decode("latin-1"): b", ".join(v).decode("latin-1") for k, v in response.headers.items()}


def _card_dates(response, formats: Sequence[str] = ()) -> dict[str, str]:
    """``{link URL: the date line its list card prints}`` of a list page (``pipelines.listing_dates``);
    ``formats``: a profile's date formats."""
    doc = parse_html(response.body, _declared_charset(response))
    return listed_dates(doc, get_base_url(response), formats) if doc is not None else {}
