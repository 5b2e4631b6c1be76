"""The cleaners are plain Python: none of them may import Scrapy (only ``scraper/`` does)."""

import ast
from pathlib import Path

import pytest

PIPELINES = Path(__file__).resolve().parents[2] / "pipelines"
CLEANERS = ["text.py", "dates.py", "event_dates.py", "bylines.py", "docrefs.py"]


@pytest.mark.parametrize("name", CLEANERS)
def test_cleaner_does_not_import_scrapy(name):
    tree = ast.parse((PIPELINES / name).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert "scrapy" not in imported and "twisted" not in imported
