"""Tiers: every test is marked by where it lives, so a tier runs on its own (``pytest -m unit``, ``make
test-fast``) and no test is left unmarked. The tiers are registered in pyproject.toml.
"""

from __future__ import annotations

from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent

# The tier of each folder of tests.
TIER_OF_FOLDER = {
    "unit": "unit",
    "cleaning": "unit",
    "scraper": "unit",
    "replica": "replica",
    "e2e": "e2e",
    "reliability": "reliability",
    "browse": "browser",
}
# Files whose tests read the saved pages in tests/files (parsers on real and replica markup).
SAVED_PAGE_FILES = {"unit/test_extract_saved_pages.py", "scraper/test_hepza_spider.py"}


def tier_of(path: Path) -> str:
    """The tier of a test file; an error for a file in a folder without one (so no test goes unmarked)."""
    relative = path.resolve().relative_to(TESTS).as_posix()
    if relative in SAVED_PAGE_FILES:
        return "saved_pages"
    folder = relative.split("/", 1)[0]
    if folder not in TIER_OF_FOLDER:
        raise pytest.UsageError(f"{relative}: its folder has no tier (tests/conftest.py TIER_OF_FOLDER)")
    return TIER_OF_FOLDER[folder]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        item.add_marker(tier_of(Path(item.path)))
