"""hepza-archive's library: open an archive and read its articles, versions, diffs, captures and runs.

    import archive

    with archive.open("hepza.db") as hepza:
        for article in hepza.articles(edited=True, limit=5):
            print(article.id, article.title, article.version_count)

:func:`open` returns an :class:`ArchiveReader`; everything it returns is a frozen record or a dict. The
crawler writes through :class:`archive.store.Archive`, which is not part of this API. docs/library.md has a
worked example.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from archive.errors import ArchiveError
    from archive.history import ArticleHistory, FieldChange, Removal, VersionDiff
    from archive.library import ArchiveReader, open
    from archive.reading import Article, ArticleNotFound, Run, RunError, StoredCapture, Version
    from archive.searching import BadQuery, SearchHit, SearchResults
    from archive.significance import ChangeGroup, Factor, Significance

# Where each name of the API lives. They are imported on first use, not with the package: every
# `import archive.<module>` runs this file first (the crawler, its writer process, each CLI command), and the
# reading side brings bs4, sqlite-utils and the diff code, about 0.25 s of CPU a process that never reads.
_MODULE_OF = {
    "ArchiveError": "errors",
    "ArticleHistory": "history",
    "FieldChange": "history",
    "Removal": "history",
    "VersionDiff": "history",
    "ArchiveReader": "library",
    "open": "library",
    "Article": "reading",
    "ArticleNotFound": "reading",
    "Run": "reading",
    "RunError": "reading",
    "StoredCapture": "reading",
    "Version": "reading",
    "BadQuery": "searching",
    "SearchHit": "searching",
    "SearchResults": "searching",
    "ChangeGroup": "significance",
    "Factor": "significance",
    "Significance": "significance",
}

__all__ = [
    "ArchiveError",
    "ArchiveReader",
    "Article",
    "ArticleHistory",
    "ArticleNotFound",
    "BadQuery",
    "ChangeGroup",
    "Factor",
    "FieldChange",
    "Removal",
    "Run",
    "RunError",
    "SearchHit",
    "SearchResults",
    "Significance",
    "StoredCapture",
    "Version",
    "VersionDiff",
    "open",
]


def __getattr__(name: str) -> Any:
    """``archive.open`` and the other names of ``__all__``, imported when first asked for (PEP 562)."""
    if name not in _MODULE_OF:
        raise AttributeError(f"module 'archive' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"archive.{_MODULE_OF[name]}"), name)
    globals()[name] = value  # asked once: later lookups find it without this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
