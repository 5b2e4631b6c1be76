"""hepza-archive's library: open an archive and read its articles, versions, diffs, captures and runs.

    import archive

    with archive.open("hepza.db") as hepza:
        for article in hepza.articles(edited=True, limit=5):
            print(article.id, article.title, article.version_count)

:func:`open` returns an :class:`ArchiveReader`; everything it returns is a frozen record or a dict. The
crawler writes through :class:`archive.store.Archive`, which is not part of this API. docs/library.md has a
worked example.
"""

from archive.errors import ArchiveError
from archive.history import ArticleHistory, FieldChange, Removal, VersionDiff
from archive.library import ArchiveReader, open
from archive.reading import Article, ArticleNotFound, Run, RunError, StoredCapture, Version
from archive.searching import BadQuery, SearchHit, SearchResults
from archive.significance import ChangeGroup, Factor, Significance

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
