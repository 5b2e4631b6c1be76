"""Raw responses, compressed and deduplicated by the sha256 of their bytes.

A page fetched again differs from the last fetch only in its volatile parts (view counter, tokens), so
each later capture of an article is compressed with zstandard using the article's first capture (its
keyframe) as a raw-content dictionary: a re-fetch costs a few hundred bytes instead of the whole page,
and any capture decompresses with at most one other body, never a chain.

Keyframes of different articles share most of their bytes too (the portal's chrome: scripts, styles,
menus, footer). Once the archive holds enough of them it trains a zstd dictionary on its own pages
(``capture_dictionaries``) and compresses later keyframes with it: on Liferay-sized pages about 10× smaller
than plain zstd and 3× faster. A keyframe names its dictionary in ``base_sha256``, as a delta names its
keyframe; dictionaries are append-only like the bodies.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field

import zstandard

CODEC_ZSTD = "zstd"
CODEC_ZSTD_DELTA = "zstd-delta"  # zstd with the base body as a raw-content dictionary
CODEC_ZSTD_DICT = "zstd-dict"  # zstd with a dictionary trained on the archive's pages (base = its sha256)
DICTIONARY_BYTES = 112_640  # zstd's default dictionary size
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
    # As received at the downloader, for faithful WARC records (archive/warc.py); None when not known.
    http_head: str | None = None  # the status line and header lines, CRLF-joined (latin-1)
    http_request: str | None = None  # the request line and headers sent
    wire_body: bytes | None = None  # the body before content decoding, when the server encoded it

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


@dataclass(frozen=True)
class TrainedDictionary:
    """A zstd dictionary trained on the archive's own pages, known by the sha256 of its bytes."""

    sha256: str
    data: bytes


def train_dictionary(samples: list[bytes]) -> TrainedDictionary:
    """Train a dictionary on stored page bodies (raises zstandard.ZstdError when they are too few or small)."""
    buffers: list[bytes | bytearray | memoryview] = list(samples)  # (zstandard's type for the list)
    data = zstandard.train_dictionary(DICTIONARY_BYTES, buffers, level=_LEVEL).as_bytes()
    return TrainedDictionary(hashlib.sha256(data).hexdigest(), data)


def _dictionary_compressor(trained: TrainedDictionary) -> zstandard.ZstdCompressor:
    """This thread's compressor for a trained dictionary (building one costs more than a page)."""
    cache = getattr(_local, "dictionary_compressors", None)
    if cache is None:
        cache = _local.dictionary_compressors = {}
    compressor = cache.get(trained.sha256)
    if compressor is None:
        compressor = cache[trained.sha256] = zstandard.ZstdCompressor(
            level=_LEVEL, dict_data=zstandard.ZstdCompressionDict(trained.data)
        )
    return compressor


def compress(
    body: bytes, base: bytes | None = None, trained: TrainedDictionary | None = None
) -> tuple[str, bytes]:
    """(codec, data) for a body: a delta against ``base`` when one is given, else a keyframe, with the
    trained dictionary when there is one."""
    if base:
        dictionary = zstandard.ZstdCompressionDict(base, dict_type=zstandard.DICT_TYPE_RAWCONTENT)
        return CODEC_ZSTD_DELTA, zstandard.ZstdCompressor(level=_LEVEL, dict_data=dictionary).compress(body)
    if trained is not None:
        return CODEC_ZSTD_DICT, _dictionary_compressor(trained).compress(body)
    return CODEC_ZSTD, _compressor().compress(body)


def decompress(codec: str, data: bytes, base: bytes | None = None) -> bytes:
    """The body bytes back; ``base`` is the keyframe's body for a delta, the trained dictionary's bytes
    for a ``zstd-dict`` keyframe."""
    if codec == CODEC_ZSTD:
        return zstandard.ZstdDecompressor().decompress(data, max_output_size=MAX_BODY_BYTES)
    if codec in (CODEC_ZSTD_DELTA, CODEC_ZSTD_DICT):
        if base is None:
            raise ValueError(f"a {codec} capture needs its base")
        dictionary = (
            zstandard.ZstdCompressionDict(base, dict_type=zstandard.DICT_TYPE_RAWCONTENT)
            if codec == CODEC_ZSTD_DELTA
            else zstandard.ZstdCompressionDict(base)
        )
        return zstandard.ZstdDecompressor(dict_data=dictionary).decompress(
            data, max_output_size=MAX_BODY_BYTES
        )
    raise ValueError(f"unknown capture codec {codec!r}")
