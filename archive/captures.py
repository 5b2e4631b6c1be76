"""Raw responses, compressed and deduplicated by the sha256 of their bytes.

A page fetched again differs from the last fetch only in its volatile parts (view counter, tokens), so
each later capture of an article is compressed with zstandard using the article's first capture (its
keyframe) as a raw-content dictionary: a re-fetch costs a few hundred bytes instead of the whole page,
and any capture decompresses with at most one other body, never a chain.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field

import zstandard

CODEC_ZSTD = "zstd"
CODEC_ZSTD_DELTA = "zstd-delta"  # zstd with the base body as a raw-content dictionary
_LEVEL = 3
# zstd refuses to write more than this into memory: a capture that claims more is corrupt or hostile.
MAX_BODY_BYTES = 64 * 1024 * 1024


@dataclass
class Capture:
    """One HTTP response as received: what `captures` and `capture_bodies` store."""

    url: str
    status: int
    body: bytes
    fetched_at: str
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()


_local = threading.local()


def _compressor() -> zstandard.ZstdCompressor:
    """This thread's plain compressor: making one costs as much as compressing a page with it, and a
    compressor gives the same frame for the same body however often it is used (one per thread, as a
    compressor must not be shared between threads)."""
    compressor = getattr(_local, "compressor", None)
    if compressor is None:
        compressor = _local.compressor = zstandard.ZstdCompressor(level=_LEVEL)
    return compressor


def compress(body: bytes, base: bytes | None = None) -> tuple[str, bytes]:
    """(codec, data) for a body, as a delta against ``base`` when one is given."""
    if base:
        dictionary = zstandard.ZstdCompressionDict(base, dict_type=zstandard.DICT_TYPE_RAWCONTENT)
        return CODEC_ZSTD_DELTA, zstandard.ZstdCompressor(level=_LEVEL, dict_data=dictionary).compress(body)
    return CODEC_ZSTD, _compressor().compress(body)


def decompress(codec: str, data: bytes, base: bytes | None = None) -> bytes:
    """The body bytes back; ``base`` is the keyframe's body for a delta."""
    if codec == CODEC_ZSTD:
        return zstandard.ZstdDecompressor().decompress(data, max_output_size=MAX_BODY_BYTES)
    if codec == CODEC_ZSTD_DELTA:
        if base is None:
            raise ValueError("a delta capture needs its base body")
        dictionary = zstandard.ZstdCompressionDict(base, dict_type=zstandard.DICT_TYPE_RAWCONTENT)
        return zstandard.ZstdDecompressor(dict_data=dictionary).decompress(
            data, max_output_size=MAX_BODY_BYTES
        )
    raise ValueError(f"unknown capture codec {codec!r}")
