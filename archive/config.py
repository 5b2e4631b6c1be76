"""Turn the CLI's options into crawl settings: the one place where user configuration enters."""

from __future__ import annotations

from urllib.parse import urlsplit


class ConfigError(ValueError):
    """A setting the user gave that cannot work."""


def crawl_overrides(*, site_url: str, db: str, full: bool, delay: float | None, concurrency: int | None,
                    verbose: bool = False, log_file: str | None = None) -> dict:
    """Scrapy setting overrides for one ``hepza crawl``."""
    parts = urlsplit(site_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"--site-url must be an http(s) origin, not {site_url!r}")
    overrides: dict = {
        "HEPZA_SITE_URL": f"{parts.scheme}://{parts.netloc}",
        "HEPZA_DB": db,
        "HEPZA_MODE": "full" if full else "incremental",
        "HEPZA_VERBOSE": verbose,
    }
    if delay is not None:
        if delay < 0:
            raise ConfigError("--delay cannot be negative")
        overrides["DOWNLOAD_DELAY"] = delay
        if delay == 0:
            overrides["AUTOTHROTTLE_ENABLED"] = False
    if concurrency is not None:
        if concurrency < 1:
            raise ConfigError("--concurrency must be at least 1")
        overrides["CONCURRENT_REQUESTS_PER_DOMAIN"] = concurrency
        overrides["CONCURRENT_REQUESTS"] = max(concurrency, 8)
    # Cron mail stays short: only errors on stderr unless asked for more.
    overrides["LOG_LEVEL"] = "INFO" if verbose else "ERROR"
    if log_file:
        overrides["LOG_FILE"] = log_file
        overrides["LOG_LEVEL"] = "INFO"
    return overrides
