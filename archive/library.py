"""Read an archive from Python or a notebook: articles, versions, diffs, captures and runs, as data.

    >>> import archive
    >>> with archive.open("hepza.db") as hepza:                       # doctest: +SKIP
    ...     for article in hepza.search("khu chế xuất", limit=3):
    ...         print(article.id, article.published_at, article.title)

Everything returned is a frozen record (:class:`Article`, :class:`Version`, :class:`VersionDiff`,
:class:`StoredCapture`, :class:`Run`…) or a plain dict, never text for a terminal; docs/library.md walks
through a session. The archive is opened read-only unless asked: a reader can never change it, and it
can read while a crawl writes to the same file (each query sees the last committed state).
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import Any

from archive.changefeed import ChangeEvent, Filters, change_events
from archive.errors import ArchiveError
from archive.history import ArticleHistory, VersionDiff, archive_stats, article_history, version_diff
from archive.reading import (
    Article,
    Row,
    Run,
    RunError,
    StoredCapture,
    Version,
    article_row,
    article_rows,
    capture_rows,
    document_ref_rows,
    error_rows,
    resolve_article_id,
    rows,
    run_edit_pairs,
    run_row,
    run_rows,
    search_rows,
    significant_version_rows,
    url_rows,
    version_rows,
)
from archive.searching import SearchResults
from archive.searching import search as search_text
from archive.significance import ChangeGroup, group_changes
from archive.store import Archive


def open(path: str | Path, *, readonly: bool = True) -> ArchiveReader:
    """Open the archive at ``path`` for reading.

    Read-only by default (the file is never created, changed or upgraded). ``readonly=False`` opens it
    the way a crawl does, which upgrades an archive made by an older release to the current schema first.
    A missing file, or one that is not a hepza archive, raises :class:`archive.ArchiveError` (one line).

        >>> hepza = archive.open("hepza.db")                          # doctest: +SKIP
        >>> hepza.stats()["articles"]                                 # doctest: +SKIP
        120
    """
    return ArchiveReader(Archive(path, readonly=readonly))


class ArchiveReader:
    """An open archive, read through records. Use it as a context manager, or call :meth:`close`.

    Articles are named by their id or by any URL that ever reached them (an alias, an old slug): every
    method taking ``article`` accepts either, or an :class:`Article`.
    """

    def __init__(self, archive: Archive) -> None:
        self._archive = archive
        self._conn = archive.db.conn
        #: The sqlite-utils Database, for queries of your own (``hepza.db.query("select …")``).
        self.db = archive.db

    @property
    def path(self) -> str:
        return self._archive.path

    def close(self) -> None:
        self._archive.close()

    def __enter__(self) -> ArchiveReader:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<ArchiveReader {self.path}>"

    # --- articles ----------------------------------------------------------------------------------

    def articles(
        self,
        *,
        category: str | None = None,
        edited: bool | None = None,
        removed: bool | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Article]:
        """Articles, newest published first.

        ``category`` keeps those filed under that list key (``tin-tuc``…); ``edited=True`` those with more
        than one version; ``removed=True`` those whose removal from the portal was confirmed (False: the
        live ones). None does not filter.

            >>> [a.title for a in hepza.articles(edited=True, limit=2)]   # doctest: +SKIP
            ['Hội nghị sơ kết', 'Khánh thành nhà máy']
        """
        found = article_rows(
            self._conn, category=category, edited=edited, removed=removed, limit=limit, offset=offset
        )
        return [Article.from_row(row) for row in found]

    def search(self, query: str, *, limit: int | None = 20) -> list[Article]:
        """Articles whose title or body holds every word of ``query``, best match first.

        The index is folded (no diacritics, ``đ`` → ``d``), so ``xay dung`` finds ``xây dựng`` in any case;
        a word typed with diacritics matches those letters (``Đảng`` finds ``Đảng``, not ``đang``).

            >>> hepza.search("hội nghị", limit=1)[0].id                  # doctest: +SKIP
            1
        """
        return [Article.from_row(row) for row in search_rows(self._conn, query, limit=limit)]

    def search_hits(
        self, query: str, *, past_versions: bool = False, limit: int | None = 20, offset: int = 0
    ) -> SearchResults:
        """What ``hepza serve``'s search page shows: the number of articles found, and a page of hits with
        their title and a snippet as ``(text, matched)`` pieces. ``past_versions`` searches every version
        (text later removed is found; ``hit.in_current`` says whether the current text still holds it).
        :class:`archive.searching.BadQuery` (its message a sentence for the reader) when the query holds
        no word.

            >>> hepza.search_hits("Đảng").total                         # doctest: +SKIP
            3
        """
        return search_text(self._conn, query, past_versions=past_versions, limit=limit, offset=offset)

    def article(self, article: int | str | Article) -> Article:
        """One article by id or URL (:class:`ArticleNotFound` when none matches)."""
        row = article_row(self._conn, self._id(article))
        assert row is not None  # (just resolved)
        return Article.from_row(row)

    def urls(self, article: int | str | Article) -> list[dict[str, Any]]:
        """Every URL that reached an article (its slugs before a rename, its aliases), first seen first:
        dicts of ``url`` and ``first_seen_at``."""
        return url_rows(self._conn, self._id(article))

    def document_refs(self, article: int | str | Article) -> list[dict[str, Any]]:
        """The legal documents an article cites, as dicts (``kind``, ``number`` such as ``05-CT/TW``,
        ``issuer``, ``issued_on``, ``raw``: the words as printed)."""
        return document_ref_rows(self._conn, self._id(article))

    def versions(self, article: int | str | Article) -> list[Version]:
        """Every version of an article, oldest first: ``versions[0]`` is the first capture."""
        return [Version.from_row(row) for row in version_rows(self._conn, self._id(article))]

    def significant_versions(self, *, min_score: int = 0, limit: int | None = 50) -> list[Version]:
        """Versions of every article whose change scores ``min_score`` or more, most significant first
        (then newest): docs/significance.md says what the scores and their factors mean.

            >>> hepza.significant_versions(min_score=30)[0].significance.text()  # doctest: +SKIP
            '40: numbers 40 (1.284,5 triệu USD → 1.248,5 triệu USD)'
        """
        return [Version.from_row(row) for row in significant_version_rows(self._conn, min_score, limit=limit)]

    def change_groups(self, run: int | Run, *, min_articles: int = 3) -> list[ChangeGroup]:
        """A run's edits grouped by identical edit (docs/significance.md, "Template and footer edits"): a
        group with ``template`` True is one edit of the portal's template or footer that reached
        ``min_articles`` articles or more, one event rather than one per article. Members are
        ``(article_id, version)``."""
        run_id = run.id if isinstance(run, Run) else int(run)
        pairs = run_edit_pairs(self._conn, run_id)
        return group_changes(
            (
                (
                    (new["article_id"], new["version"]),
                    Version.from_row(old).content,
                    Version.from_row(new).content,
                )
                for old, new in pairs
            ),
            min_articles=min_articles,
        )

    def changes(self, filters: Filters | None = None, **criteria: Any) -> list[ChangeEvent]:
        """Every change event (archive/changefeed.py: new articles, edits, dates and bylines changed,
        removals pending and confirmed, returns, new addresses, replaced documents), newest first: what
        ``hepza changes`` and the change desk list. Filter with a :class:`archive.changefeed.Filters` or its
        fields as keywords (``kinds=("removal",)``, ``min_significance=30``, ``sort="significance"``…).

            >>> [e.kind for e in hepza.changes(kinds=("removal",))]     # doctest: +SKIP
            ['removal']
        """
        return change_events(self._conn, filters or Filters(**criteria))

    def diff(self, article: int | str | Article, old: int, new: int) -> VersionDiff:
        """What differs between two versions of an article, field by field; a text field has its word
        diff (``change.runs``, or ``change.text()`` for one line).

            >>> for change in hepza.diff(1, 1, 2).changes:               # doctest: +SKIP
            ...     print(change.field, change.text())
            title Hội nghị{+ sơ kết+}
        """
        return version_diff(self._archive, self._id(article), old, new)

    def history(self, article: int | str | Article) -> ArticleHistory:
        """An article with every version, the changes each made, and its removal (what ``hepza history``
        prints)."""
        return article_history(self._archive, self._id(article))

    # --- captures ----------------------------------------------------------------------------------

    def captures(self, article: int | str | Article) -> list[StoredCapture]:
        """Every HTTP response archived for an article, oldest first (bytes: :meth:`capture_body`)."""
        return [StoredCapture.from_row(row) for row in capture_rows(self._conn, self._id(article))]

    def capture_body(self, capture: StoredCapture | str) -> bytes:
        """The bytes of a capture (or of the body with this sha256), as the server sent them."""
        sha256 = capture.sha256 if isinstance(capture, StoredCapture) else capture
        if sha256 is None:
            raise ArchiveError(f"capture {getattr(capture, 'id', '?')} has no stored body")
        return self._archive.capture_body(sha256)

    # --- runs --------------------------------------------------------------------------------------

    def runs(self, *, limit: int | None = None) -> list[Run]:
        """Crawl runs (and reprocessing runs), newest first.

        >>> [(r.id, r.status, r.counts["changed"]) for r in hepza.runs(limit=1)]   # doctest: +SKIP
        [(2, 'ok', 1)]
        """
        return [Run.from_row(row) for row in run_rows(self._conn, limit=limit)]

    def run(self, run_id: int) -> Run:
        """One run by id (LookupError when there is none)."""
        row = run_row(self._conn, run_id)
        if row is None:
            raise LookupError(f"no run {run_id} in {self.path}")
        return Run.from_row(row)

    def errors(self, run: int | Run | None = None) -> list[RunError]:
        """The pages and files a run (all runs when None) could not fetch or archive."""
        run_id = run.id if isinstance(run, Run) else run
        return [RunError.from_row(row) for row in error_rows(self._conn, run_id)]

    # --- figures and queries -----------------------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        """What the archive holds, in a few figures (what ``hepza stats`` prints)."""
        return archive_stats(self._archive)

    def check(self) -> str | None:
        """The first problem ``hepza check`` finds (integrity, hashes, attachment files), None when sound."""
        from archive.check import first_problem

        return first_problem(self._archive)

    def query(self, sql: str, params: list | tuple = ()) -> list[Row]:
        """Rows of any read query as dicts (the tables are documented in the README)."""
        return rows(self._conn, sql, params)

    def _id(self, article: int | str | Article) -> int:
        if isinstance(article, Article):
            return article.id
        return resolve_article_id(self._conn, article)
