"""``hepza export-wacz``: a WACZ 1.1.1 package (https://specs.webrecorder.net/wacz/1.1.1/) of the archive's
captures, which ReplayWeb.page opens and pywb replays, and ``wacz validate`` (py-wacz) accepts.

The package is a ZIP holding:

- ``archive/data.warc.gz``: the WARC of :mod:`archive.warc` (stored, not deflated: readers seek in it);
- ``indexes/index.cdx``: its CDXJ index (cdxj-indexer, the indexer pywb and py-wacz use);
- ``pages/pages.jsonl``: one line per archived article (URL, title, time of its last capture);
- ``evidence/``: the proof of each version (``hepza proof``), from ``archive.evidence.proof.build_proof``
  where this build has it; without it the package says so in ``datapackage.json`` (``hepza.evidence``);
- ``datapackage.json``: every file with its sha256 and size; ``datapackage-digest.json``: its own hash.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cdxj_indexer.main import write_cdx_index

from archive.evidence.proof import ProofError, build_proof
from archive.evidence.proof import dumps as proof_dumps
from archive.store import Archive
from archive.warc import Counts, Selection, write_warc

WACZ_VERSION = "1.1.1"
WARC_NAME = "data.warc.gz"


def _pages_jsonl(counts: Counts) -> bytes:
    lines = [json.dumps({"format": "json-pages-1.0", "id": "pages", "title": "Archived articles"})]
    for n, page in enumerate(counts.pages, 1):
        line = {"id": f"page-{n}", "url": page["url"], "title": page["title"], "ts": page["ts"]}
        lines.append(json.dumps(line, ensure_ascii=False))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _evidence(archive: Archive, article_ids: list[int]) -> tuple[dict[str, bytes], str]:
    """(file name → bytes, note) of the proofs of the exported articles' versions (``hepza proof``'s
    bundles, byte for byte), or none with the reason when the archive has no checkpoint to prove against."""
    files = {}
    for article_id in article_ids:
        for (version,) in archive.db.execute(
            "SELECT version FROM article_versions WHERE article_id = ? ORDER BY version", [article_id]
        ):
            try:
                bundle = build_proof(archive.db.conn, article_id, version)
            except ProofError as exc:
                return {}, f"not included: {exc}"
            files[f"evidence/article-{article_id}-v{version}.json"] = proof_dumps(bundle).encode("utf-8")
    return files, f"{len(files)} version proofs (hepza verify-proof FILE checks one)"


def _resource(path: str, data: bytes) -> dict[str, Any]:
    # (frictionless wants lower-case names of letters, digits and -._/)
    return {
        "name": path.replace("/", "-").lower(),
        "path": path,
        "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
        "bytes": len(data),
    }


def write_wacz(archive: Archive, output: str | Path, selection: Selection | None = None) -> Counts:
    """Write the selected captures of ``archive`` as a WACZ at ``output`` (made under a temporary name and
    renamed when whole); returns the WARC's counts."""
    selection = selection or Selection()
    output = Path(output)
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".hepza-wacz-") as work:
        warc_path = Path(work) / WARC_NAME
        with open(warc_path, "wb") as out:
            counts = write_warc(archive, out, selection, WARC_NAME)
        index = io.StringIO()
        write_cdx_index(index, [str(warc_path)], {"sort": True, "post_append": True})
        article_ids = sorted({page["article_id"] for page in counts.pages})
        evidence, note = _evidence(archive, article_ids)
        files: dict[str, bytes] = {
            "indexes/index.cdx": index.getvalue().encode("utf-8"),
            "pages/pages.jsonl": _pages_jsonl(counts),
            **evidence,
        }
        warc_bytes = warc_path.read_bytes()
        created = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        package = {
            "profile": "data-package",
            "wacz_version": WACZ_VERSION,
            "title": "hepza archive" + (f", article {selection.article}" if selection.article else ""),
            "description": "Captures of a hepza archive (hepza export-wacz)",
            "created": created,
            "software": "hepza-archive",
            "resources": [_resource(f"archive/{WARC_NAME}", warc_bytes)]
            + [_resource(path, data) for path, data in files.items()],
            "hepza": {"evidence": note, "selection": {k: v for k, v in selection.__dict__.items() if v}},
        }
        if counts.pages:
            package["mainPageURL"] = counts.pages[0]["url"]
            package["mainPageDate"] = counts.pages[0]["ts"]
        package_bytes = json.dumps(package, ensure_ascii=False, indent=2).encode("utf-8")
        digest = {"path": "datapackage.json", "hash": "sha256:" + hashlib.sha256(package_bytes).hexdigest()}
        partial = Path(work) / "package.wacz"
        with zipfile.ZipFile(partial, "w") as wacz:
            # WARCs stored, not deflated (the spec's rule: readers seek to a record's offset); the rest deflated.
            wacz.writestr(zipfile.ZipInfo(f"archive/{WARC_NAME}", _zip_time(created)), warc_bytes)
            for path, data in files.items():
                wacz.writestr(path, data, compress_type=zipfile.ZIP_DEFLATED)
            wacz.writestr("datapackage.json", package_bytes, compress_type=zipfile.ZIP_DEFLATED)
            wacz.writestr(
                "datapackage-digest.json", json.dumps(digest, indent=2), compress_type=zipfile.ZIP_DEFLATED
            )
        os.replace(partial, output)
    return counts


def _zip_time(created: str) -> tuple[int, int, int, int, int, int]:
    when = datetime.strptime(created, "%Y-%m-%dT%H:%M:%SZ")
    return (when.year, when.month, when.day, when.hour, when.minute, when.second)
