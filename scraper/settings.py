"""Scrapy settings of the hepza crawl: polite by default, safe by default.

Configuration flows one way: scrapy.cfg → these settings → components' ``from_crawler``; the ``hepza``
CLI resolves its options, ``HEPZA_*`` environment variables and ``hepza.toml`` into overrides of these.
Every user setting is defined once, in archive/config.py's ``SETTINGS`` (documented in
docs/configuration.md); its Scrapy default here is read from there, so ``scrapy crawl hepza`` and ``hepza
crawl`` start from the same values. Only the Scrapy-internal settings are written out here.
"""

from archive.config import default, user_agent

BOT_NAME = "hepza"
SPIDER_MODULES = ["scraper.spiders"]
NEWSPIDER_MODULE = "scraper.spiders"

# --- what to crawl and where to write (the CLI overrides these) ---
HEPZA_SITE_URL = default("site_url")
HEPZA_DB = default("db")
# Many portals (hepza crawl --all): the profiles folder, and the folder of one archive per portal.
HEPZA_PORTALS_DIR = default("portals_dir")
HEPZA_ARCHIVES_DIR = default("archives_dir")
# A profile's hints (archive/profiles.py Hints.as_setting): list pages, article routes, selectors and date
# formats used before detection; empty: detect everything.
HEPZA_HINTS: dict = {}
HEPZA_MODE = "incremental"  # or "full": re-check every known article (hepza crawl --full)
HEPZA_TIMEZONE = default("timezone")
# Re-check schedule of known articles in incremental runs: AGE:INTERVAL steps (see archive/schedule.py).
HEPZA_RECHECK_SCHEDULE = default("recheck_schedule")
# A fixed "now" (ISO 8601) for the schedule, for reproducible tests and benchmarks; empty = the clock.
HEPZA_CLOCK = default("clock")
# hepza scale (archive/scale.py): read by the workers, never by a crawl.
HEPZA_REDIS_URL = default("redis_url")
HEPZA_BACKUPS_DIR = default("backups_dir")
HEPZA_SCALE_LOCK_SECONDS = default("scale_lock_seconds")
HEPZA_SCALE_REQUEUE_SECONDS = default("scale_requeue_seconds")
# The ledger's signing key and time-stamping authority: read by `hepza crawl` when the run ends.
HEPZA_SIGNING_KEY = default("signing_key")
HEPZA_TSA_URL = default("tsa_url")
HEPZA_TSA_TIMEOUT = default("tsa_timeout")
HEPZA_TSA_CERTIFICATE = default("tsa_certificate")
# Attachments (PDF, DOC, XLS…) linked from articles are downloaded beside the archive (<db>.files/).
HEPZA_DOWNLOAD_ATTACHMENTS = default("download_attachments")
HEPZA_ATTACHMENT_MAX_BYTES = 25 * 1024 * 1024  # not a user setting: the cap on one downloaded file
HEPZA_ATTACHMENT_RETRIES = default("attachment_retries")  # later runs that ask again after a failure
HEPZA_DOWNLOAD_IMAGES = default("download_images")  # off by default: images are most of a site's bytes
# Layout-change alarm: share of article pages without the portal's markup above which the run alarms.
HEPZA_ALARM_MISSING_SHARE = default("alarm_missing_share")
HEPZA_ALARM_MIN_PAGES = default("alarm_min_pages")
# Migration batches: articles of one portal day a few minutes apart are taken for migrated content.
HEPZA_MIGRATION_BATCH_MIN_ARTICLES = default("migration_batch_min_articles")
HEPZA_MIGRATION_BATCH_GAP_MINUTES = default("migration_batch_gap_minutes")
HEPZA_MIGRATION_SAME_MINUTE_MIN = default("migration_same_minute_min")
# Removals: a run whose article fetches answer 404 in a share above the floor (and at least the floor's
# count) confirms none of them; a removal is confirmed no sooner than the minimum age after the first 404.
HEPZA_REMOVAL_FLOOR_SHARE = default("removal_floor_share")
HEPZA_REMOVAL_FLOOR_MIN = default("removal_floor_min")
HEPZA_REMOVAL_MIN_AGE = default("removal_min_age")
# Traps: a list paged further than this (distinct pager URLs per list path) is refused and recorded.
# The portal's longest list has a few hundred pages at 10 a page.
HEPZA_MAX_LIST_PAGES = default("max_list_pages")
HEPZA_PROGRESS = False  # the CLI turns the progress line on when stderr is a terminal
# Article pages are read, cleaned and archived in a child process ("process"), on the other core while the
# reactor downloads; "inline" does that in the crawler's own process (slower; simpler to debug).
HEPZA_WRITER = default("writer")

# --- politeness ---
HEPZA_CONTACT_URL = default("contact_url")
USER_AGENT = user_agent(str(HEPZA_CONTACT_URL))
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = default("concurrency")
DOWNLOAD_DELAY = default("delay")
# The delay is a floor, as documented: Scrapy's default ±50% random jitter would let two requests to a
# portal come half the delay apart.
DOWNLOAD_DELAY_JITTER = 0
# ...counted from the end of the previous response, not from when the previous request left the queue
# (scraper/politeness.py, EXTENSIONS below): the portal sees the whole delay, however busy the crawler.
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
RETRY_ENABLED = True
RETRY_TIMES = default("retries")
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# After a 5xx, 429 or timeout the site's download slot waits: Retry-After when the site says, else
# HEPZA_BACKOFF_BASE × 2^retries, never more than HEPZA_BACKOFF_MAX seconds.
HEPZA_BACKOFF_BASE = default("backoff_base")
HEPZA_BACKOFF_MAX = default("backoff_max")
DOWNLOAD_TIMEOUT = default("timeout")
COOKIES_ENABLED = False

# --- safety: no control servers, bounded responses, one origin ---
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False  # Scrapy 2.19's HTTP server that executes Python sent to it
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024  # also caps the decompressed size (gzip bombs)
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
# The body caps above do not cover the header section: our handler caps it (scraper/download.py).
HEPZA_MAX_HEADER_LINES = default("max_header_lines")
HEPZA_MAX_HEADER_BYTES = default("max_header_bytes")
# Sitemaps: index depth, sitemap files and new article URLs taken a run; dead links asked again after.
HEPZA_SITEMAP_MAX_DEPTH = default("sitemap_max_depth")
HEPZA_SITEMAP_MAX_FILES = default("sitemap_max_files")
HEPZA_SITEMAP_MAX_NEW_URLS = default("sitemap_max_new_urls")
HEPZA_DEAD_LINK_RETRY_DAYS = default("dead_link_retry_days")
# Tokens a side of a changed stretch compared word by word in a version's diff summary (archive/diffs.py).
HEPZA_DIFF_MAX_TOKENS = default("diff_max_tokens")
# The alerts' settings (archive/alerts/): `hepza crawl` reads them after the run, the crawler never does;
# here because every setting has its twin among the Scrapy settings.
HEPZA_ALERTS_LANGUAGE = default("alerts_language")
HEPZA_ALERTS_ARCHIVE_URL = default("alerts_archive_url")
HEPZA_ALERTS_DIGEST = default("alerts_digest")
HEPZA_ALERTS_DIGEST_LIMIT = default("alerts_digest_limit")
HEPZA_ALERTS_FIRST_CRAWL = default("alerts_first_crawl")
HEPZA_ALERTS_RETRY_BACKOFF = default("alerts_retry_backoff")
HEPZA_ALERTS_RETRY_MAX = default("alerts_retry_max")
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
    # Off (COOKIES_ENABLED is False) and not even loaded: its module imports tldextract (~80 ms a crawl).
    "scrapy.downloadermiddlewares.cookies.CookiesMiddleware": None,
    "scraper.middlewares.OriginLockMiddleware": 50,
    # Scrapy's, whose robots.txt download also answers the spider's request for it (one request, not two).
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "scraper.middlewares.SharedRobotsTxtMiddleware": 100,
    "scraper.middlewares.ListPageCapMiddleware": 60,
    # A site of another platform stops the crawl before any page but its home, robots.txt and sitemap.
    "scraper.platform_check.LiferayCheckMiddleware": 55,
    "scraper.middlewares.BackoffMiddleware": 560,  # sees 5xx/429 before RetryMiddleware (550) retries
    # Sees a response before HttpCompressionMiddleware (590) decodes it: the body as sent, for the WARC.
    "scraper.middlewares.WireBodyMiddleware": 595,
}
SPIDER_MIDDLEWARES = {
    # A callback that raises (hostile HTML) becomes a recorded failure (kind spider-error), not a lost page.
    "scraper.middlewares.CallbackErrorMiddleware": 10,
}
ITEM_PIPELINES = {
    "scraper.pipelines.ArchivePipeline": 800,
}
EXTENSIONS = {
    "scraper.politeness.DelayFromResponse": 400,
    "scraper.extensions.ProgressLine": 500,
    # Both are off (above) and listed as None too, so neither can be switched on by a stray setting.
    # Scrapy still imports them: it loads every key of a component dict, disabled ones included, to
    # normalise the keys (Settings.get_component_priority_dict_with_base). The remote control's module
    # imports aiohttp's web server: about 0.3 s of CPU at each crawl's start that a setting cannot save.
    "scrapy.extensions.telnet.TelnetConsole": None,
    "scrapy.extensions.remote_control.RemoteControl": None,
}

LOG_LEVEL = "WARNING"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
