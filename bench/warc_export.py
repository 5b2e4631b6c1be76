"""WARC and WACZ export speed (`hepza export-warc`, `hepza export-wacz`) against gzip's own speed on the
same bytes.

    python -m bench.warc_export [--quick]

An archive of replica pages (rendered without sockets, stored as a crawl stores them: the bodies
zstd-compressed, each article fetched twice so half the captures are deltas) is exported with
archive.warc.write_warc; the WARC's uncompressed records are then gzipped member by member with zlib at
the level warcio uses (9), which is the floor of any gzip-per-record WARC writer. Reported: MB/s of
uncompressed WARC for both, in interleaved rounds (medians), and their ratio. The WACZ package
(archive.wacz.write_wacz: the same WARC written to a file, its CDX index, pages.jsonl and the zip) is timed
in the same rounds, in MB/s of the same uncompressed WARC. Writes bench/results/warc_export.json.
"""

from __future__ import annotations

import argparse
import gzip
import io
import statistics
import tempfile
import time
import zlib
from pathlib import Path

from archive.captures import Capture
from archive.store import Archive
from archive.wacz import write_wacz
from archive.warc import write_warc
from bench.common import log, machine, render_pages, save_results
from replica import Site


def _archive(folder: Path, articles: int) -> Archive:
    site = Site(articles=articles)
    pages = render_pages(site, site.gold())
    archive = Archive(folder / "bench.db")
    archive.begin_batch()
    for round_ in range(2):
        for n, page in enumerate(pages):
            body = (
                page.body
                if round_ == 0
                else page.body.replace(b"</body>", f"<!-- {n} -->".encode() + b"</body>")
            )
            capture = Capture(
                url=page.url, status=200, body=body, fetched_at=f"2026-11-0{round_ + 1}T00:00:00+00:00"
            )
            archive.captures.store(capture, None, None)
    archive.commit_batch()
    return archive


def _members(warc: bytes) -> list[bytes]:
    """The uncompressed bytes of each gzip member (each record) of a WARC."""
    members, stream = [], io.BytesIO(warc)
    while stream.tell() < len(warc):
        inflater = zlib.decompressobj(zlib.MAX_WBITS + 16)
        data = inflater.decompress(stream.read())
        members.append(data)
        stream.seek(len(warc) - len(inflater.unused_data))
    return members


def _gzip_each(members: list[bytes]) -> int:
    return sum(len(gzip.compress(m, compresslevel=9)) for m in members)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    articles, rounds = (60, 3) if args.quick else (300, 7)
    with tempfile.TemporaryDirectory(prefix="hepza-bench-warc-") as folder:
        archive = _archive(Path(folder), articles)
        out = io.BytesIO()
        write_warc(archive, out)
        members = _members(out.getvalue())
        captures = archive.db.execute("SELECT count(*) FROM captures").fetchone()[0]
        raw = sum(len(m) for m in members)
        export_s, gzip_s, wacz_s = [], [], []
        wacz_path = Path(folder) / "bench.wacz"
        for _ in range(rounds):
            start = time.perf_counter()
            write_warc(archive, io.BytesIO())
            export_s.append(time.perf_counter() - start)
            start = time.perf_counter()
            _gzip_each(members)
            gzip_s.append(time.perf_counter() - start)
            start = time.perf_counter()
            write_wacz(archive, wacz_path)
            wacz_s.append(time.perf_counter() - start)
        wacz_mb = wacz_path.stat().st_size / 1e6
        archive.close()
    export_mbs = raw / statistics.median(export_s) / 1e6
    gzip_mbs = raw / statistics.median(gzip_s) / 1e6
    wacz_mbs = raw / statistics.median(wacz_s) / 1e6
    result = {
        "machine": machine(),
        "captures": captures,
        "records": len(members),
        "warc_uncompressed_mb": raw / 1e6,
        "warc_gzip_mb": len(out.getvalue()) / 1e6,
        "rounds": rounds,
        "export_mb_per_s": export_mbs,
        "gzip_mb_per_s": gzip_mbs,
        "export_vs_gzip": export_mbs / gzip_mbs,
        "wacz_mb": wacz_mb,
        "wacz_mb_per_s": wacz_mbs,
    }
    save_results("warc_export", result)
    log(
        f"warc export: {export_mbs:.1f} MB/s, gzip -9 per record: {gzip_mbs:.1f} MB/s "
        f"(ratio {export_mbs / gzip_mbs:.2f}) on {raw / 1e6:.1f} MB, {len(members)} records; "
        f"wacz {wacz_mbs:.1f} MB/s"
    )


def markdown(result: dict) -> str:
    """The export speed against gzip alone on the same bytes, as docs/benchmarks.md prints it."""
    return (
        f"{result['captures']} captures, {result['records']} WARC records, "
        f"{result['warc_uncompressed_mb']:.1f} MB uncompressed ({result['warc_gzip_mb']:.1f} MB gzipped), "
        f"{result['rounds']} rounds (medians): `hepza export-warc` writes "
        f"**{result['export_mb_per_s']:.1f} MB/s** of uncompressed WARC; gzip alone (record by record, "
        f"level 9, as warcio writes) {result['gzip_mb_per_s']:.1f} MB/s on the same bytes: "
        f"{result['export_vs_gzip']:.2f} of gzip's own speed."
        + (
            f" `hepza export-wacz` (the same WARC, its CDX index, pages.jsonl and the zip; a "
            f"{result['wacz_mb']:.1f} MB package) runs at **{result['wacz_mb_per_s']:.1f} MB/s** of the "
            "same uncompressed WARC."
            if "wacz_mb_per_s" in result
            else " WACZ packaging was not timed apart in this run."
        )
    )


if __name__ == "__main__":
    main()
