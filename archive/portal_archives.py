"""The folder of portal archives (the ``archives_dir`` setting): one ``<name>.db`` per portal, the file stem
being the portal's name, as ``hepza crawl --portal`` / ``--all`` write them.

``hepza serve --archives DIR`` serves every archive found there and ``hepza stats --all`` prints a line per
portal. Only the folder's own ``*.db`` files whose stem is a portal name count (a backup ``x.db.bak`` or a
``notes.sqlite`` is not looked at); of those, a file that is not a hepza archive, or is damaged, is *skipped*
with the reason, one line, never served.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archive.errors import ArchiveError
from archive.profiles import NAME_PATTERN
from archive.store import Archive


@dataclass(frozen=True)
class PortalArchive:
    """One portal's archive in the folder."""

    name: str
    path: Path


@dataclass(frozen=True)
class Skipped:
    """A ``*.db`` file of the folder that is not served: which, and why (one line)."""

    path: Path
    reason: str

    def line(self) -> str:
        return f"{self.path}: skipped, {self.reason}"


@dataclass(frozen=True)
class Folder:
    """What a folder holds: the portals' archives (by name) and the files skipped."""

    portals: tuple[PortalArchive, ...]
    skipped: tuple[Skipped, ...]


class NoArchives(ArchiveError):
    """The folder is missing, or holds no portal archive at all."""


def candidates(folder: str | Path) -> list[Path]:
    """The folder's ``<name>.db`` files, by name; :class:`NoArchives` when the folder is missing."""
    root = Path(folder)
    if not root.is_dir():
        raise NoArchives(f"no archives folder {root}")
    return sorted(p for p in root.glob("*.db") if p.is_file())


@contextmanager
def open_archive(path: Path) -> Iterator[Archive]:
    """The archive read-only; :class:`ArchiveError` (one line) when it is not one or is damaged."""
    archive = Archive(path, readonly=True)
    with closing(archive.db.conn):
        damage = archive.damage()
        if damage:
            raise ArchiveError(f"{path} is damaged ({damage})")
        yield archive


def discover(folder: str | Path, *, check: bool = True) -> Folder:
    """Every portal archive of the folder, and every ``*.db`` file skipped with its reason. With ``check``
    each archive is opened read-only and quick-checked first (what ``hepza serve --db`` does to its one)."""
    portals: list[PortalArchive] = []
    skipped: list[Skipped] = []
    for path in candidates(folder):
        if not NAME_PATTERN.match(path.stem):
            skipped.append(Skipped(path, f"{path.stem!r} is not a portal name (a-z, 0-9 and -)"))
            continue
        if check:
            try:
                with open_archive(path):
                    pass
            except ArchiveError as exc:
                skipped.append(Skipped(path, _reason(exc, path)))
                continue
        portals.append(PortalArchive(path.stem, path))
    return Folder(tuple(portals), tuple(skipped))


def _reason(exc: Exception, path: Path) -> str:
    """The error's message without the path the line already starts with."""
    text = str(exc)
    return text[len(str(path)) :].lstrip(" :") if text.startswith(str(path)) else text


def folder_stats(folder: str | Path) -> tuple[list[dict[str, Any]], bool]:
    """One entry per ``*.db`` of the folder (``name``, ``path`` and the figures, or ``error``), and whether
    every one could be read. :class:`NoArchives` when the folder is missing or holds no ``*.db``."""
    from archive.history import archive_stats

    paths = candidates(folder)
    if not paths:
        raise NoArchives(f"no portal archive (<name>.db) in {folder}")
    entries: list[dict[str, Any]] = []
    readable = True
    for path in paths:
        entry: dict[str, Any] = {"name": path.stem, "path": str(path)}
        if not NAME_PATTERN.match(path.stem):
            entry["error"] = f"{path.stem!r} is not a portal name (a-z, 0-9 and -)"
        else:
            try:
                with open_archive(path) as archive:
                    entry.update(last_run_of(archive), figures=archive_stats(archive))
            except ArchiveError as exc:
                entry["error"] = _reason(exc, path)
            except sqlite3.DatabaseError as exc:  # a page SQLite cannot read: one line, the others go on
                entry["error"] = f"damaged or unreadable ({exc})"
        readable = readable and "error" not in entry
        entries.append(entry)
    return entries, readable


def last_run_of(archive: Archive) -> dict[str, Any]:
    """The archive's last crawl run: when it started and finished, its status and exit code (None each
    when it never ran)."""
    row = archive.db.execute(
        "SELECT started_at, finished_at, status, exit_code FROM crawl_runs ORDER BY id DESC LIMIT 1"
    ).fetchone()
    keys = ("last_run_started_at", "last_run_finished_at", "last_run_status", "last_run_exit_code")
    return dict(zip(keys, row or (None,) * 4, strict=True))


def stats_line(entry: dict[str, Any]) -> str:
    """One line of ``hepza stats --all``: a portal's figures, or the file and why it could not be read."""
    if "error" in entry:
        return f"{entry['name']}: cannot read {entry['path']} ({entry['error']})"
    figures = entry["figures"]
    when = entry["last_run_finished_at"] or entry["last_run_started_at"]
    last = f"last run {when} {entry['last_run_status']}" if when else "never crawled"
    return f"{entry['name']}: {figures['articles']} articles, {figures['versions']} versions, {last}"
