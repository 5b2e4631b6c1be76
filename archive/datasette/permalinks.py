"""Version permalinks, for citing: ``/-/version/<ref>/<n>``, where ``<ref>`` is the portal's asset id (or
``id-<archive id>`` for an article without one) and ``<n>`` the version number. The URL never changes: both
parts are fixed once the version is written.

The page shows the version's text as it was, the capture it was read from replayed from the archive, the
archived attachments, the hashes, the capture time in Vietnam time, the proof to download and a "cite
this" block. The replay is the stored page sanitised with the archive's allow-list (no script, style or
form survives), its links made inert and its images taken from the archive or replaced by a labelled
placeholder, shown in a sandboxed ``<iframe srcdoc>`` under a CSP that allows no other origin: viewing a
version sends no request to the portal.
"""

from __future__ import annotations

import html
import re
import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import lxml.html
from datasette.utils.asgi import NotFound, Response
from sqlite_utils import Database

from archive.capture_store import CaptureStore
from archive.datasette import DATABASE, archived_files
from archive.datasette.cells import MISSING_IMAGE
from archive.datasette.pages import check_view, load_json
from archive.datasette.portals import database_for, prefix
from archive.evidence.proof import ProofError, build_proof
from archive.evidence.proof import dumps as proof_dumps
from archive.files import files_dir
from pipelines.sanitize import sanitize_html
from pipelines.urls import join_url

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
# Nothing but this server: images come from the archive, the replay is inline (srcdoc), no script at all.
_CSP = (
    "default-src 'none'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-src 'self'; "
    "script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'"
)
_REPLAY_STYLE = (
    "body{font:15px/1.5 sans-serif;margin:1em;color:#222}img{max-width:100%}"
    ".hepza-missing{display:inline-block;border:1px dashed #999;padding:2px 6px;color:#666;font-size:13px}"
)


def permalink_ref(asset_id: str | None, article_id: int) -> str:
    """The ``<ref>`` of an article's permalinks."""
    return str(asset_id) if asset_id else f"id-{article_id}"


def vietnam_time(iso: str | None) -> str | None:
    """A stored UTC time as Vietnam time, offset shown: ``2026-12-02 11:14:32 +07:00``."""
    if not iso:
        return None
    try:
        when = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    local = when.astimezone(VIETNAM)
    return local.strftime("%Y-%m-%d %H:%M:%S ") + local.strftime("%z")[:3] + ":" + local.strftime("%z")[3:]


def _find(conn, ref: str, number: int) -> dict | None:
    """The article and version a permalink names, with the version's capture row and its files."""
    # Datasette's own connection: its row factory is given back, or its next query (a table, the feed)
    # on this thread would get tuples instead of rows.
    factory = conn.row_factory
    conn.row_factory = None
    try:
        return _find_rows(conn, ref, number)
    finally:
        conn.row_factory = factory


def _find_rows(conn, ref: str, number: int) -> dict | None:
    if ref.startswith("id-") and ref[3:].isdigit():
        row = conn.execute("SELECT id FROM articles WHERE id = ?", [int(ref[3:])]).fetchone()
    else:
        row = conn.execute("SELECT id FROM articles WHERE asset_id = ?", [ref]).fetchone()
    if row is None:
        return None

    def one(sql: str, params: list) -> dict | None:
        cursor = conn.execute(sql, params)
        found = cursor.fetchone()
        return dict(zip([d[0] for d in cursor.description], found, strict=True)) if found else None

    article = one("SELECT * FROM articles WHERE id = ?", [row[0]])
    version = one("SELECT * FROM article_versions WHERE article_id = ? AND version = ?", [row[0], number])
    if article is None or version is None:
        return None
    capture = (
        one("SELECT * FROM captures WHERE id = ?", [version["capture_id"]]) if version["capture_id"] else None
    )
    # The files as they were while this version stood: fetched before the next version was captured (a
    # page's documents are fetched just after it, in the same run).
    later = conn.execute(
        "SELECT min(captured_at) FROM article_versions WHERE article_id = ? AND version > ?", [row[0], number]
    ).fetchone()[0]
    cursor = conn.execute(
        "SELECT id, url, sha256, path, size, content_type, fetched_at FROM attachment_files "
        "WHERE article_id = ? AND (? IS NULL OR fetched_at < ?) ORDER BY url, id",
        [row[0], later, later],
    )
    names = [d[0] for d in cursor.description]
    files: dict[str, dict] = {}
    for found in cursor.fetchall():
        files[found[1]] = dict(zip(names, found, strict=True))  # the URL's content at the capture's time
    body = None
    if capture and capture.get("body_sha256"):
        body = CaptureStore(Database(conn), dictionary_samples=0).body(capture["body_sha256"])
    return {"article": article, "version": version, "capture": capture, "files": files, "body": body}


def _charset(capture: dict) -> str:
    headers = load_json(capture.get("headers"), {})
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "") if headers else ""
    match = re.search(r"charset=([\w-]+)", content_type or "", re.I)
    return match.group(1) if match else "utf-8"


def replay_document(body: bytes, capture: dict, files: dict[str, dict], file_href) -> str:
    """The capture as a standalone, inert HTML document for ``srcdoc``: sanitised, links without targets,
    images from the archive (``file_href(file)``) or a labelled placeholder."""
    try:
        text = body.decode(_charset(capture), errors="replace")
    except LookupError:
        text = body.decode("utf-8", errors="replace")
    clean = sanitize_html(text)
    if not clean:
        return f"<!doctype html><meta charset=utf-8><style>{_REPLAY_STYLE}</style><p>(empty page)</p>"
    root = lxml.html.fragment_fromstring(clean, create_parent="div")
    for link in root.iter("a"):
        link.attrib.pop("href", None)  # a click would leave the archive for the portal
    for image in list(root.iter("img")):
        src = join_url(capture["url"], image.get("src") or "")
        archived = archived_files.find(files, src)
        if archived is not None:
            image.set("src", file_href(archived))
            continue
        placeholder = lxml.html.Element("span", {"class": "hepza-missing"})
        label = MISSING_IMAGE + (f" — {image.get('alt')}" if image.get("alt") else "")
        placeholder.text = f"[{label}" + (f": {src}]" if src else "]")
        placeholder.tail = image.tail
        parent = image.getparent()
        if parent is not None:  # (every image is inside the fragment's wrapper)
            parent.replace(image, placeholder)
    inner = lxml.html.tostring(root, encoding="unicode")
    return f"<!doctype html><html><head><meta charset=utf-8><style>{_REPLAY_STYLE}</style></head><body>{inner}</body></html>"


def _response(body: str) -> Response:
    response = Response.html(body)
    response.headers["content-security-policy"] = _CSP
    response.headers["x-content-type-options"] = "nosniff"
    return response


async def _found(datasette, request) -> dict:
    """The version the path names, and the database it is in (``found["database"]``)."""
    database = database_for(datasette, request)
    await check_view(datasette, request, database)
    ref, number = request.url_vars["ref"], int(request.url_vars["n"])
    found = await datasette.get_database(database).execute_fn(lambda conn: _find(conn, ref, number))
    if found is None:
        raise NotFound(f"No version {number} of article {ref}")
    return dict(found, database=database)


async def version_page(datasette, request):
    found = await _found(datasette, request)
    article, version, capture = found["article"], found["version"], found["capture"]
    database = found["database"]
    ref = permalink_ref(article.get("asset_id"), article["id"])
    base = f"{prefix(datasette, database)}/-/version/{ref}/{version['version']}"
    permalink = datasette.absolute_url(request, datasette.urls.path(base))

    def file_href(file: dict) -> str:
        return datasette.urls.path(f"{base}/file/{file['id']}")

    replay = replay_document(found["body"], capture, found["files"], file_href) if found["body"] else None
    captured = vietnam_time(capture["fetched_at"] if capture else version["captured_at"])
    title = version.get("title") or article.get("title") or f"Article {article['id']}"
    attachments = [
        {
            "title": a.get("title") or a.get("url"),
            "url": a.get("url"),
            "file": found["files"].get(a.get("url")),
        }
        for a in load_json(version.get("attachments"), [])
        if isinstance(a, dict)
    ]
    images = [
        {
            "url": i.get("src"),
            "file": archived_files.find(found["files"], i.get("src")),
            "caption": i.get("caption"),
        }
        for i in load_json(version.get("images"), [])
        if isinstance(i, dict)
    ]
    number, count = version["version"], article.get("version_count") or version["version"]
    compare = f"{prefix(datasette, database)}/-/article/{article['id']}/compare"
    steps = {
        "previous": datasette.urls.path(f"{base[: base.rindex('/')]}/{number - 1}") if number > 1 else None,
        "next": datasette.urls.path(f"{base[: base.rindex('/')]}/{number + 1}") if number < count else None,
        "diff": datasette.urls.path(f"{compare}?from={number - 1}&to={number}") if number > 1 else None,
        "latest": datasette.urls.path(f"{compare}?from={number}&to={count}") if number < count else None,
    }
    proof_missing = _why_no_proof(datasette, database, article["id"], version["version"])
    context = {
        "article": article,
        "version": version,
        "capture": capture,
        "title": title,
        "authors": load_json(version.get("authors"), []),
        "paragraphs": [p for p in (version.get("body_text") or "").split("\n") if p.strip()],
        "captured_vn": captured,
        "captured_utc": capture["fetched_at"] if capture else version["captured_at"],
        "replay": replay,
        "attachments": attachments,
        "images": images,
        "steps": steps,
        "file_href": file_href,
        "permalink": permalink,
        "proof_href": datasette.urls.path(f"{base}/proof.json") if proof_missing is None else None,
        "proof_missing": proof_missing,
        "base": base,
        "cite": _citation(title, version, captured, permalink, database),
        "database": database,
        "prefix": prefix(datasette, database),
    }
    return _response(await datasette.render_template("hepza_version.html", context, request=request))


def _proof_of(datasette, database: str, article_id: int, version: int) -> dict:
    """The version's proof bundle against the archive's last checkpoint (raises ProofError)."""
    path = str(datasette.get_database(database).path)
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        return build_proof(conn, article_id, version)


def _why_no_proof(datasette, database: str, article_id: int, version: int) -> str | None:
    """None when the version can be proved now, else why not (no checkpoint signs it yet)."""
    try:
        _proof_of(datasette, database, article_id, version)
    except ProofError as exc:
        return str(exc)
    return None


def _citation(title: str, version: dict, captured: str | None, permalink: str, database: str) -> str:
    # Another portal of a folder is cited by its name (its publisher is not known here).
    publisher = (
        "Ban Quản lý các Khu chế xuất và công nghiệp TP.HCM (HEPZA)"
        if database == DATABASE
        else f"portal {database}"
    )
    return (
        f"“{title}”. {publisher}, version {version['version']}, "
        f"captured {captured}. hepza-archive, {permalink} (content sha256 {version['content_hash']})."
    )


async def version_file(datasette, request):
    """An archived attachment of the version, from the archive's files folder: downloaded, never rendered."""
    found = await _found(datasette, request)
    wanted = int(request.url_vars["file"])
    file = next((f for f in found["files"].values() if f["id"] == wanted), None)
    if file is None:
        raise NotFound("No such archived file for this version")
    folder = files_dir(str(datasette.get_database(found["database"]).path))
    path = (folder / file["path"]).resolve()
    if not path.is_relative_to(folder.resolve()) or not path.is_file():
        raise NotFound("The archived file is missing from the archive's folder")
    name = Path(file["path"]).name
    return Response(
        path.read_bytes(),
        content_type=file.get("content_type") or "application/octet-stream",
        headers={
            "content-security-policy": "sandbox; default-src 'none'",
            "x-content-type-options": "nosniff",
            "content-disposition": f'attachment; filename="{html.escape(name)}"',
        },
    )


async def version_proof(datasette, request):
    """The version's proof bundle (``hepza proof``), when this build has the ledger."""
    found = await _found(datasette, request)
    try:
        bundle = _proof_of(datasette, found["database"], found["article"]["id"], found["version"]["version"])
    except ProofError as exc:
        raise NotFound(f"No proof of this version yet: {exc}") from None
    return Response(
        proof_dumps(bundle),
        content_type="application/json; charset=utf-8",
        headers={"content-disposition": 'attachment; filename="proof.json"'},
    )
