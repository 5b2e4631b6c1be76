"""Content hashes: sha256 of the canonical JSON of the meaningful fields only.

The canonical form (sorted keys, no spaces, UTF-8, NFC text from the cleaners) makes a hash depend on what
the article says, never on key order or on the volatile parts of the page.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from pipelines.model import LATER_CONTENT_FIELDS

# Liferay's cache-busting parameter on /documents/ and /image/ URLs changes without the content changing.
_CACHE_BUSTER_RE = re.compile(r"([?&])t=\d+(&?)")


def canonical_json(value: Any) -> str:
    """The one JSON spelling of a value: sorted keys, compact, non-ASCII kept."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def content_hash(content: dict) -> str:
    """The hash of a record's content fields (see pipelines.model.CONTENT_FIELDS); a field added later
    (``LATER_CONTENT_FIELDS``) counts only when it holds something."""
    hashed = {k: v for k, v in content.items() if v or k not in LATER_CONTENT_FIELDS}
    return sha256_text(canonical_json(hashed))


def source_hash(*parts: str | None) -> str:
    """The hash of the raw fields a record was cleaned from, with cache-busting queries removed.

    Two versions with the same source hash but different content differ by our extraction, not by an
    edit of the agency.
    """
    joined = "\x1f".join(_without_cache_busters(p or "") for p in parts)
    return sha256_text(joined)


def _without_cache_busters(text: str) -> str:
    return _CACHE_BUSTER_RE.sub(r"\1", text)
