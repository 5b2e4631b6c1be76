"""Crawl configuration: command line, environment, config file and defaults, resolved in one place.

Precedence: a command-line option, then the environment (``HEPZA_<NAME>``), then the config file
(``--config FILE``, ``$HEPZA_CONFIG`` or ``./hepza.toml``), then the defaults below. Every setting is listed
in docs/configuration.md (a test keeps the two in step). The result becomes Scrapy settings overrides, so
configuration still flows one way: CLI → settings → components' ``from_crawler``.
"""

from __future__ import annotations

import math
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from archive.schedule import parse_duration, parse_schedule


class ConfigError(ValueError):
    """A setting the user gave that cannot work."""


@dataclass(frozen=True)
class Setting:
    name: str
    type: type
    default: object
    scrapy: str | None  # the Scrapy setting it becomes, if any
    help: str


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in (
        Setting(
            "site_url",
            str,
            "https://hepza.hochiminhcity.gov.vn",
            "HEPZA_SITE_URL",
            "Origin to crawl; the crawl never leaves it.",
        ),
        Setting("db", str, "hepza.db", "HEPZA_DB", "Archive file (SQLite)."),
        Setting(
            "delay",
            float,
            1.0,
            "DOWNLOAD_DELAY",
            "Seconds between requests (AutoThrottled; 0 turns politeness off).",
        ),
        Setting("concurrency", int, 1, "CONCURRENT_REQUESTS_PER_DOMAIN", "Parallel requests to the site."),
        Setting(
            "recheck_schedule",
            str,
            "3d:0,30d:1d,365d:7d,*:30d",
            "HEPZA_RECHECK_SCHEDULE",
            "AGE:INTERVAL steps for re-checking known articles in incremental runs.",
        ),
        Setting(
            "alarm_missing_share",
            float,
            0.2,
            "HEPZA_ALARM_MISSING_SHARE",
            "Share of article pages without the portal's markup above which a run raises the layout alarm.",
        ),
        Setting(
            "alarm_min_pages",
            int,
            3,
            "HEPZA_ALARM_MIN_PAGES",
            "Fewest article pages before the alarm can fire.",
        ),
        Setting(
            "migration_batch_min_articles",
            int,
            8,
            "HEPZA_MIGRATION_BATCH_MIN_ARTICLES",
            "Fewest articles of one portal day, each within migration_batch_gap_minutes of the previous, "
            "taken for a migration batch.",
        ),
        Setting(
            "migration_batch_gap_minutes",
            int,
            10,
            "HEPZA_MIGRATION_BATCH_GAP_MINUTES",
            "Longest step between consecutive portal times of a migration batch, in minutes.",
        ),
        Setting(
            "migration_same_minute_min",
            int,
            3,
            "HEPZA_MIGRATION_SAME_MINUTE_MIN",
            "Fewest articles sharing one portal time to the minute taken for a migration batch.",
        ),
        Setting(
            "removal_floor_share",
            float,
            0.5,
            "HEPZA_REMOVAL_FLOOR_SHARE",
            "Share of a run's article fetches answering 404 above which the run confirms no removal.",
        ),
        Setting(
            "removal_floor_min",
            int,
            10,
            "HEPZA_REMOVAL_FLOOR_MIN",
            "Fewest 404s before removal_floor_share applies (fewer always confirm).",
        ),
        Setting(
            "removal_min_age",
            str,
            "0",
            "HEPZA_REMOVAL_MIN_AGE",
            "Least time between an article's first 404 and the run that confirms its removal (0 = next run).",
        ),
        Setting(
            "timezone", str, "Asia/Ho_Chi_Minh", "HEPZA_TIMEZONE", "The time zone the portal prints dates in."
        ),
        Setting(
            "contact_url",
            str,
            "https://github.com/hepza-archive/hepza-archive",
            "HEPZA_CONTACT_URL",
            "Contact URL sent in the user agent.",
        ),
        Setting(
            "download_attachments",
            bool,
            True,
            "HEPZA_DOWNLOAD_ATTACHMENTS",
            "Download PDF/DOC/XLS attachments into <db>.files/.",
        ),
        Setting(
            "attachment_retries",
            int,
            3,
            "HEPZA_ATTACHMENT_RETRIES",
            "Runs after a failed attachment download that ask for it again (0 = only with its article).",
        ),
        Setting(
            "max_list_pages",
            int,
            2000,
            "HEPZA_MAX_LIST_PAGES",
            "Most pages followed in one list (a guard against endless pagination); 0 = no cap.",
        ),
        Setting(
            "download_images",
            bool,
            False,
            "HEPZA_DOWNLOAD_IMAGES",
            "Also download the images shown in articles into <db>.files/.",
        ),
        Setting(
            "sitemap_max_depth",
            int,
            3,
            "HEPZA_SITEMAP_MAX_DEPTH",
            "Most levels of sitemap indexes followed below robots.txt's sitemaps.",
        ),
        Setting(
            "sitemap_max_files", int, 100, "HEPZA_SITEMAP_MAX_FILES", "Most sitemap files read in one run."
        ),
        Setting(
            "sitemap_max_new_urls",
            int,
            2000,
            "HEPZA_SITEMAP_MAX_NEW_URLS",
            "Most article URLs unknown to the archive taken from sitemaps in one run, most recent lastmod "
            "first; 0 = no cap.",
        ),
        Setting(
            "dead_link_retry_days",
            float,
            30.0,
            "HEPZA_DEAD_LINK_RETRY_DAYS",
            "Days before a sitemap URL that answered 404/410 (and is no archived article) is asked again; "
            "0 = every run.",
        ),
        Setting(
            "diff_max_tokens",
            int,
            4000,
            "HEPZA_DIFF_MAX_TOKENS",
            "Most words and spaces a side of one changed passage diffed word by word; longer ones are "
            "shown whole, the diff marked coarse.",
        ),
        Setting(
            "max_header_lines",
            int,
            500,
            "HEPZA_MAX_HEADER_LINES",
            "Most header lines of one response; past it the page fails (endless headers).",
        ),
        Setting(
            "max_header_bytes",
            int,
            256 * 1024,
            "HEPZA_MAX_HEADER_BYTES",
            "Most bytes of one response's header section; past it the page fails.",
        ),
        Setting("timeout", float, 30.0, "DOWNLOAD_TIMEOUT", "Seconds before a request times out."),
        Setting(
            "retries", int, 3, "RETRY_TIMES", "Retries of a request that failed with a 5xx or a timeout."
        ),
        Setting(
            "backoff_base",
            float,
            0.5,
            "HEPZA_BACKOFF_BASE",
            "Seconds the site's slot waits after a 5xx, 429 or timeout, doubled with each retry.",
        ),
        Setting("backoff_max", float, 60.0, "HEPZA_BACKOFF_MAX", "Longest backoff, Retry-After included."),
        Setting(
            "writer",
            str,
            "process",
            "HEPZA_WRITER",
            "Where pages are read, cleaned and archived: 'process' (a child process, another core) or 'inline'.",
        ),
        Setting(
            "clock",
            str,
            "",
            "HEPZA_CLOCK",
            "A fixed 'now' (ISO 8601) for the schedule; for tests and benchmarks.",
        ),
    )
}


def _coerce(setting: Setting, value: object, origin: str) -> object:
    """The value as the setting's type. Text (the environment, the command line) is parsed; a config file's
    value must already have the right TOML type: ``db = ['a']`` is an error, not a file named "['a']"."""
    if not isinstance(value, str):
        return _typed(setting, value, origin)
    if setting.type is bool:
        lowered = value.strip().lower()
        if lowered in ("1", "true", "yes", "on"):
            return True
        if lowered in ("0", "false", "no", "off"):
            return False
        raise ConfigError(f"{setting.name} from {origin} must be true or false, not {value!r}")
    try:
        return setting.type(value)
    except (TypeError, ValueError):
        raise ConfigError(
            f"{setting.name} from {origin} must be a {setting.type.__name__}, not {value!r}"
        ) from None


def _typed(setting: Setting, value: object, origin: str) -> object:
    # bool is an int to Python, never to a user; an int is a fine float.
    wanted = (int, float) if setting.type is float else (setting.type,)
    if isinstance(value, bool) != (setting.type is bool) or not isinstance(value, wanted):
        raise ConfigError(f"{setting.name} from {origin} must be a {setting.type.__name__}, not {value!r}")
    return setting.type(value)


def _read_file(path: Path | None) -> tuple[dict, str]:
    if path is None:
        return {}, ""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    data = data.get("hepza", data)
    unknown = sorted(set(data) - set(SETTINGS))
    if unknown:
        raise ConfigError(f"config file {path}: unknown setting(s) {', '.join(unknown)}")
    return data, str(path)


def config_path(explicit: str | None, env: Mapping[str, str]) -> Path | None:
    """The config file in use: --config, else $HEPZA_CONFIG, else ./hepza.toml when it exists."""
    if explicit:
        return Path(explicit)
    if env.get("HEPZA_CONFIG"):
        return Path(env["HEPZA_CONFIG"])
    default = Path("hepza.toml")
    return default if default.is_file() else None


def resolve(
    cli: Mapping[str, object], env: Mapping[str, str] | None = None, config_file: str | None = None
) -> dict:
    """Every setting's value, from the first place that gives it (CLI, environment, file, default)."""
    env = os.environ if env is None else env
    file_values, file_name = _read_file(config_path(config_file, env))
    values = {}
    for name, setting in SETTINGS.items():
        if cli.get(name) is not None:
            values[name] = _coerce(setting, cli[name], "the command line")
        elif f"HEPZA_{name.upper()}" in env:
            values[name] = _coerce(setting, env[f"HEPZA_{name.upper()}"], f"HEPZA_{name.upper()}")
        elif name in file_values:
            values[name] = _coerce(setting, file_values[name], file_name)
        else:
            values[name] = setting.default
    _validate(values)
    return values


# The least each number may be (inclusive); every float must also be finite (`delay = inf` would hang).
_MINIMUM = {
    "delay": 0,
    "concurrency": 1,
    "alarm_missing_share": 0,
    "alarm_min_pages": 1,
    "migration_batch_min_articles": 3,
    "migration_same_minute_min": 2,
    "migration_batch_gap_minutes": 1,
    "max_list_pages": 0,
    "retries": 0,
    "backoff_base": 0,
    "backoff_max": 0,
    "attachment_retries": 0,
    "removal_floor_min": 1,
    "sitemap_max_depth": 0,
    "sitemap_max_files": 1,
    "sitemap_max_new_urls": 0,
    "dead_link_retry_days": 0,
    "diff_max_tokens": 100,
    "max_header_lines": 1,
    "max_header_bytes": 1024,
}


def _validate(values: dict) -> None:
    for name, setting in SETTINGS.items():
        value = values[name]
        if setting.type is float and not math.isfinite(value):
            raise ConfigError(f"{name} must be a finite number, not {value!r}")
        if name in _MINIMUM and value < _MINIMUM[name]:
            raise ConfigError(f"{name} must be at least {_MINIMUM[name]}, not {value!r}")
    if not values["db"].strip():
        # sqlite3 takes '' for a temporary database deleted on close: a crawl into it keeps nothing.
        raise ConfigError("db cannot be empty")
    parts = urlsplit(values["site_url"])
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"site_url must be an http(s) origin, not {values['site_url']!r}")
    if values["alarm_missing_share"] > 1:
        raise ConfigError("alarm_missing_share must be between 0 and 1")
    if not 0 < values["removal_floor_share"] <= 1:
        raise ConfigError(f"removal_floor_share must be in (0, 1], not {values['removal_floor_share']!r}")
    try:
        parse_duration(values["removal_min_age"])
    except ValueError as exc:
        raise ConfigError(f"removal_min_age: {exc}") from None
    if values["timeout"] <= 0:
        raise ConfigError(f"timeout must be positive, not {values['timeout']!r}")
    if values["writer"] not in ("process", "inline"):
        raise ConfigError(f"writer must be 'process' or 'inline', not {values['writer']!r}")
    try:
        ZoneInfo(values["timezone"])
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"unknown time zone {values['timezone']!r}") from None
    try:
        parse_schedule(values["recheck_schedule"])
    except ValueError as exc:
        raise ConfigError(f"recheck_schedule: {exc}") from None
    _validate_clock(values["clock"])


def _validate_clock(clock: str) -> None:
    if not clock:
        return
    try:
        datetime.fromisoformat(clock)
    except ValueError:
        raise ConfigError(f"clock must be an ISO 8601 time, not {clock!r}") from None


def command_settings(db: str | None, config_file: str | None) -> dict:
    """The settings of any ``hepza`` command (``--db`` and ``--config`` on top of HEPZA_* and the config
    file): every command finds its archive the same way ``crawl`` does."""
    return resolve({"db": db}, config_file=config_file)


def crawl_overrides(
    values: Mapping[str, object],
    *,
    full: bool = False,
    verbose: bool = False,
    log_file: str | None = None,
    progress: bool = False,
) -> dict:
    """Scrapy setting overrides for one ``hepza crawl`` from resolved settings."""
    parts = urlsplit(str(values["site_url"]))
    overrides: dict = {
        SETTINGS[name].scrapy: value for name, value in values.items() if SETTINGS[name].scrapy
    }
    overrides["HEPZA_SITE_URL"] = f"{parts.scheme}://{parts.netloc}"
    overrides["HEPZA_MODE"] = "full" if full else "incremental"
    overrides["HEPZA_PROGRESS"] = progress
    overrides["USER_AGENT"] = f"hepza-archive/0.1 (+{values['contact_url']}; research archive of public news)"
    overrides["CONCURRENT_REQUESTS"] = max(int(values["concurrency"]), 8)
    if values["delay"] == 0:
        overrides["AUTOTHROTTLE_ENABLED"] = False  # politeness off, for the replica on loopback
    # Cron mail stays short: by default Scrapy says nothing (its error lines carry tracebacks); every failure
    # is recorded in crawl_errors and listed by the summary. --verbose / --log-file show Scrapy's log.
    overrides["LOG_LEVEL"] = "INFO" if verbose or log_file else "CRITICAL"
    if log_file:
        overrides["LOG_FILE"] = log_file
    return overrides
