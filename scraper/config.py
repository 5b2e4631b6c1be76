"""The hepza settings as the crawl's components read them: by their name in ``archive/config.py``.

Every setting is defined once, with its default, in ``archive.config.SETTINGS``; a component reads its
Scrapy setting from the crawler's settings and falls back to that default (a crawler made without the
project's settings, as in tests), never to a literal of its own.
"""

from __future__ import annotations

from typing import Any

from scrapy.settings import BaseSettings

from archive.config import SETTINGS


def setting(settings: BaseSettings, name: str) -> Any:
    """The value of the hepza setting ``name`` (a key of ``SETTINGS``), typed as the setting says."""
    spec = SETTINGS[name]
    if spec.scrapy is None:
        raise KeyError(f"{name} is not a Scrapy setting")
    if settings.get(spec.scrapy) is None:
        return spec.default
    if spec.type is bool:
        return settings.getbool(spec.scrapy)
    if spec.type is int:
        return settings.getint(spec.scrapy)
    if spec.type is float:
        return settings.getfloat(spec.scrapy)
    return settings.get(spec.scrapy)
