"""The crawl's components read their settings with archive/config.py's defaults, never literals of their own."""

from __future__ import annotations

import ast
from dataclasses import replace
from pathlib import Path

import pytest
from scrapy.settings import Settings

from archive.config import SETTINGS
from archive.protocol import WriterConfig
from scraper.config import setting
from scraper.pipelines import writer_config

SCRAPER = Path(__file__).resolve().parents[2] / "scraper"
# (Scrapy's own settings, DOWNLOAD_DELAY and the like, have Scrapy's defaults in a bare Settings.)
HEPZA_NAMED = [name for name, spec in SETTINGS.items() if (spec.scrapy or "").startswith("HEPZA_")]


@pytest.mark.parametrize("name", HEPZA_NAMED)
def test_an_unset_setting_is_its_documented_default(name):
    assert setting(Settings(), name) == SETTINGS[name].default


def test_a_set_setting_is_read_with_its_type():
    settings = Settings({"HEPZA_DIFF_MAX_TOKENS": "250", "HEPZA_DOWNLOAD_IMAGES": "true"})
    assert setting(settings, "diff_max_tokens") == 250
    assert setting(settings, "download_images") is True


def test_the_writer_config_of_a_bare_crawler_is_the_settings_defaults():
    config = writer_config(Settings({"HEPZA_SITE_URL": "http://127.0.0.1:8000"}))
    assert config == WriterConfig(db_path=SETTINGS["db"].default, site_url="http://127.0.0.1:8000")
    full = writer_config(Settings({"HEPZA_MODE": "full", "HEPZA_REMOVAL_MIN_AGE": "2d"}))
    assert full == replace(
        WriterConfig(db_path=SETTINGS["db"].default, site_url=SETTINGS["site_url"].default),
        mode="full",
        removal_min_age="2d",
    )


def test_no_component_reads_a_setting_with_a_literal_fallback():
    # e.g. settings.getint("HEPZA_DIFF_MAX_TOKENS", 4000): a second default that drifts from the first.
    found = []
    for path in sorted(SCRAPER.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("get", "getint", "getfloat", "getbool", "getlist")
                and len(node.args) >= 2
                and isinstance(node.args[0], ast.Constant)
                and str(node.args[0].value).isupper()
            ):
                found.append(f"{path.name}:{node.lineno} {node.args[0].value}")
    assert found == []
