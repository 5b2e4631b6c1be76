"""Scrapy settings of the hepza crawl: polite by default, safe by default.

Configuration flows one way: scrapy.cfg → these settings → components' ``from_crawler``; the ``hepza``
CLI resolves its options, ``HEPZA_*`` environment variables and ``hepza.toml`` into overrides of these
(archive/config.py, documented in docs/configuration.md).
"""

BOT_NAME = "hepza"
SPIDER_MODULES = ["scraper.spiders"]
NEWSPIDER_MODULE = "scraper.spiders"

# --- what to crawl and where to write (the CLI overrides these) ---
HEPZA_SITE_URL = "https://hepza.hochiminhcity.gov.vn"
HEPZA_DB = "hepza.db"
HEPZA_MODE = "incremental"  # or "full": re-check every known article
HEPZA_TIMEZONE = "Asia/Ho_Chi_Minh"
# Re-check schedule of known articles in incremental runs: AGE:INTERVAL steps (see archive/schedule.py).
HEPZA_RECHECK_SCHEDULE = "3d:0,30d:1d,365d:7d,*:30d"
# A fixed "now" (ISO 8601) for the schedule, for reproducible tests and benchmarks; empty = the clock.
HEPZA_CLOCK = ""
# Attachments (PDF, DOC, XLS…) linked from articles are downloaded beside the archive (<db>.files/).
HEPZA_DOWNLOAD_ATTACHMENTS = True
HEPZA_ATTACHMENT_MAX_BYTES = 25 * 1024 * 1024
HEPZA_ATTACHMENT_RETRIES = 3  # later runs that ask again for a document whose download failed
HEPZA_DOWNLOAD_IMAGES = False  # images too (off by default: they are most of a site's bytes)
# Layout-change alarm: share of article pages without the portal's markup above which the run alarms.
HEPZA_ALARM_MISSING_SHARE = 0.2
HEPZA_ALARM_MIN_PAGES = 3
# A portal day shared by at least this many articles is taken for a migration date.
HEPZA_MIGRATION_BATCH_MIN_ARTICLES = 8
HEPZA_MIGRATION_BATCH_GAP_MINUTES = 10
HEPZA_MIGRATION_SAME_MINUTE_MIN = 3
# Removals: a run whose article fetches answer 404 in a share above the floor (and at least the floor's
# count) confirms none of them; a removal is confirmed no sooner than the minimum age after the first 404.
HEPZA_REMOVAL_FLOOR_SHARE = 0.5
HEPZA_REMOVAL_FLOOR_MIN = 10
HEPZA_REMOVAL_MIN_AGE = "0"
# Traps: a list paged further than this (distinct pager URLs per list path) is refused and recorded.
# The portal's longest list has a few hundred pages at 10 a page; 0 turns the cap off.
HEPZA_MAX_LIST_PAGES = 2000
HEPZA_PROGRESS = False
# Article pages are read, cleaned and archived in a child process ("process"), on the other core while the
# reactor downloads; "inline" does that in the crawler's own process (slower; simpler to debug).
HEPZA_WRITER = "process"  # the CLI turns the progress line on when stderr is a terminal

# --- politeness ---
HEPZA_CONTACT_URL = "https://github.com/hepza-archive/hepza-archive"
USER_AGENT = f"hepza-archive/0.1 (+{HEPZA_CONTACT_URL}; research archive of public news)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# After a 5xx, 429 or timeout the site's download slot waits: Retry-After when the site says, else
# HEPZA_BACKOFF_BASE × 2^retries, never more than HEPZA_BACKOFF_MAX seconds.
HEPZA_BACKOFF_BASE = 0.5
HEPZA_BACKOFF_MAX = 60.0
DOWNLOAD_TIMEOUT = 30
COOKIES_ENABLED = False

# --- safety: no control servers, bounded responses, one origin ---
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False  # Scrapy 2.19's HTTP server that executes Python sent to it
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024  # also caps the decompressed size (gzip bombs)
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
# The body caps above do not cover the header section: our handler caps it (scraper/download.py).
HEPZA_MAX_HEADER_LINES = 500
HEPZA_MAX_HEADER_BYTES = 256 * 1024
# Sitemaps: index depth, sitemap files and new article URLs taken a run; dead links asked again after.
HEPZA_SITEMAP_MAX_DEPTH = 3
HEPZA_SITEMAP_MAX_FILES = 100
HEPZA_SITEMAP_MAX_NEW_URLS = 2000
HEPZA_DEAD_LINK_RETRY_DAYS = 30.0
# Tokens a side of a changed stretch compared word by word in a version's diff summary (archive/diffs.py).
HEPZA_DIFF_MAX_TOKENS = 4000
DOWNLOAD_HANDLERS = {
    "http": "scraper.download.CappedHTTP11DownloadHandler",
    "https": "scraper.download.CappedHTTP11DownloadHandler",
}
REDIRECT_MAX_TIMES = 5
DEPTH_LIMIT = 0

# --- throughput: one item at a time is faster than Scrapy's 100 concurrent item tasks per response ---
CONCURRENT_ITEMS = 1

DOWNLOADER_MIDDLEWARES = {
    # The origin lock replaces Scrapy's offsite filter: stricter (port and scheme too), and every refusal
    # is counted and recorded.
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "scraper.middlewares.OriginLockMiddleware": 50,
    "scraper.middlewares.ListPageCapMiddleware": 60,
    "scraper.middlewares.BackoffMiddleware": 560,  # sees 5xx/429 before RetryMiddleware (550) retries
}
SPIDER_MIDDLEWARES = {
    # A callback that raises (hostile HTML) becomes a recorded failure (kind spider-error), not a lost page.
    "scraper.middlewares.CallbackErrorMiddleware": 10,
}
ITEM_PIPELINES = {
    "scraper.pipelines.ArchivePipeline": 800,
}
EXTENSIONS = {
    "scraper.extensions.ProgressLine": 500,
}

LOG_LEVEL = "WARNING"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
