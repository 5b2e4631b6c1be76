"""An article's images and attachments as the archive holds them (``attachment_files``, in ``<db>.files/``),
served by our own route ``/-/article/<id>/file/<file id>``: the pages show these, or a labelled
placeholder, and never make the reader's browser ask the portal for anything.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from datasette.utils.asgi import NotFound, Response

from archive.datasette.portals import database_for
from archive.files import files_dir
from pipelines.urls import strip_cache_buster

# Shown in the page (an <img> or opened in a tab); anything else, SVG included, is only downloaded.
_INLINE_TYPES = re.compile(r"image/(png|jpeg|gif|webp|avif)$", re.I)


def latest_files(conn, article_id: int) -> dict[str, dict]:
    """The article's archived files by URL: the latest fetch of each (what the portal serves now)."""
    factory = conn.row_factory
    conn.row_factory = None  # datasette's own connection: its row factory is given back
    try:
        cursor = conn.execute(
            "SELECT id, url, sha256, path, size, content_type, fetched_at FROM attachment_files "
            "WHERE article_id = ? ORDER BY url, id",
            [article_id],
        )
        names = [d[0] for d in cursor.description]
        return {row[1]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}
    finally:
        conn.row_factory = factory


def find(files: dict[str, dict], url: str | None) -> dict | None:
    """The archived file of a URL as written in a page (its cache-busting ``?t=`` ignored), or None."""
    if not url:
        return None
    return files.get(url) or files.get(strip_cache_buster(url) or url)


async def article_file(datasette, request):
    """One archived file of an article: an image shown inline, any other file downloaded, never run."""
    from archive.datasette.pages import check_view  # (pages reads the files with this module)

    database = database_for(datasette, request)
    await check_view(datasette, request, database)
    article_id, wanted = int(request.url_vars["id"]), int(request.url_vars["file"])
    files = await datasette.get_database(database).execute_fn(lambda conn: latest_files(conn, article_id))
    file = next((f for f in files.values() if f["id"] == wanted), None)
    if file is None:
        raise NotFound("No such archived file for this article")
    return file_response(str(datasette.get_database(database).path), file)


def file_response(db_path: str, file: dict) -> Response:
    """The bytes of an archived file from the archive's files folder, sandboxed."""
    folder = files_dir(db_path)
    path = (folder / file["path"]).resolve()
    if not path.is_relative_to(folder.resolve()) or not path.is_file():
        raise NotFound("The archived file is missing from the archive's folder")
    content_type = file.get("content_type") or "application/octet-stream"
    inline = bool(_INLINE_TYPES.match(content_type.split(";")[0].strip()))
    name = html.escape(Path(file["path"]).name)
    return Response(
        path.read_bytes(),
        content_type=content_type,
        headers={
            "content-security-policy": "sandbox; default-src 'none'",
            "x-content-type-options": "nosniff",
            "content-disposition": f'{"inline" if inline else "attachment"}; filename="{name}"',
            "cache-control": "max-age=3600",
        },
    )
