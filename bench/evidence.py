"""The ledger's cost (docs/evidence.md): what it adds to archiving a page, how long ``hepza verify`` takes for
100,000 articles, and how a proof grows with the tree.

1. Overhead per archived page: the same pages archived with the ledger and the alert queue, and without
   both (the ledger's writes turned into no-ops, ``archive.evidence.ledger``'s functions patched, and
   the alert queue's triggers dropped from that archive), in interleaved rounds in this one process,
   batched as the writer batches them; the median round of each is kept. The end-of-run checkpoint is
   timed too and spread over the run's pages. The denominator is ``Archive.save`` alone (no extraction,
   no network): the ledger's share of a whole crawl is smaller. `make bench` (bench/run_all.py) also
   divides the added milliseconds by the whole per-page cost (extract + clean + archive, bench/per_page.py).
2. ``hepza verify`` over the archive made, per article, extrapolated linearly to 100,000 articles (every
   step is one pass over the rows, the bodies and the leaves).
3. Proof size: the inclusion proof's hashes and the bundle's bytes against the tree size (log2).

    python -m bench.evidence [--quick]
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import os
import random
import statistics
import time
from contextlib import contextmanager
from pathlib import Path

from archive.captures import Capture
from archive.evidence import ledger, merkle
from archive.evidence.checkpoint import write_checkpoint
from archive.evidence.keys import create_key
from archive.evidence.proof import build_proof, dumps
from archive.evidence.verify import verify
from archive.files import files_dir
from archive.store import Archive
from archive.writer import MAX_BATCH
from bench.common import log, machine, save_results, table, workdir
from pipelines.model import ArticleRecord

_WORDS = (
    "khu chế xuất công nghiệp thành phố doanh nghiệp lao động đầu tư hội nghị ban quản lý năm tháng ngày "
    "người công nhân nhà máy sản xuất xuất khẩu chính sách phát triển kinh tế hạ tầng"
).split()


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(words)).capitalize() + "."


def _pages(count: int, seed: int) -> list[tuple[ArticleRecord, Capture]]:
    """Synthetic articles of the portal's size: ~600 words of body in a ~45 KB page of chrome."""
    rng = random.Random(seed)
    chrome = (
        "<div class='nav'>" + "".join(f"<a href='/w/m{i}'>{_text(rng, 4)}</a>" for i in range(400)) + "</div>"
    )
    pages = []
    for i in range(count):
        url = f"http://127.0.0.1:9/w/bai-{seed}-{i}"
        body = _text(rng, 600)
        record = ArticleRecord(
            url=url, locale="vi", asset_id=f"{seed}{i:06d}", canonical=url, lang="vi",
            title_raw=_text(rng, 10), title=_text(rng, 10), published_raw="10:56 08/03/2023",
            published_at="2023-03-08T10:56:00+07:00", byline_raw="Minh Trí", authors=["Minh Trí"], roles=[],
            source=None, photo_credits=[], body_text=body, body_html=f"<p>{body}</p>", images=[], attachments=[],
            links=[], event_date=None, event_precision=None, event_sentence=None, published_is_migration=False,
            document_refs=[], alternates={}, layers={}, warnings=[], source_hash=f"s{i}",
        )  # fmt: skip
        html = f"<html><body>{chrome}<article><p>{body}</p></article>{chrome}</body></html>".encode()
        pages.append(
            (record, Capture(url=url, status=200, body=html, fetched_at="2026-11-01T00:00:00+00:00"))
        )
    return pages


@contextmanager
def _without_ledger():
    """The ledger's writes as no-ops: what archiving cost before it."""
    saved = {name: getattr(ledger, name) for name in ("record_row", "record_removal", "record_return")}
    for name in saved:
        setattr(ledger, name, lambda *args, **kwargs: 0)
    try:
        yield
    finally:
        for name, function in saved.items():
            setattr(ledger, name, function)


def _archive_round(folder: str, pages, with_ledger: bool, key) -> tuple[float, float]:
    """Seconds to archive ``pages`` (batched), and to sign the run's checkpoint; ``with_ledger`` False:
    neither the ledger nor the alert queue (what archiving cost before both)."""
    path = os.path.join(folder, f"{'with' if with_ledger else 'without'}-{time.monotonic_ns()}.db")
    archive = Archive(path)
    if not with_ledger:
        _drop_alert_queue(archive)
    run = archive.start_run("full", "http://127.0.0.1:9")
    start = time.perf_counter()
    with _without_ledger() if not with_ledger else _nothing():
        for first in range(0, len(pages), MAX_BATCH):
            archive.begin_batch()
            for record, capture in pages[first : first + MAX_BATCH]:
                archive.save(record, capture, run_id=run)
            archive.commit_batch()
    archive_time = time.perf_counter() - start
    start = time.perf_counter()
    if with_ledger:
        write_checkpoint(archive.db.conn, key, run)
    checkpoint_time = time.perf_counter() - start
    archive.close()
    return archive_time, checkpoint_time


@contextmanager
def _nothing():
    yield


def _drop_alert_queue(archive: Archive) -> None:
    """The alert queue is filled by triggers (archive/schema.py, ``alert_on_*``): without them, no event."""
    triggers = archive.db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'alert_on_%'"
    ).fetchall()
    assert triggers, "no alert trigger found: the alert queue has moved"
    for (name,) in triggers:
        archive.db.execute(f'DROP TRIGGER "{name}"')


def markdown(results: dict) -> str:
    """The cost table and the proof sizes, as docs/benchmarks.md prints them."""
    cost = table(
        [
            [
                "archive (Archive.save, batched), without the ledger and the alert queue",
                f"{results['archive_ms_per_page_without_ledger']:.3f} ms/page",
            ],
            ["the same with both", f"{results['archive_ms_per_page_with_ledger']:.3f} ms/page"],
            [
                "the run's checkpoint, spread over its pages",
                f"{results['checkpoint_ms_per_page']:.4f} ms/page",
            ],
            ["their overhead against `Archive.save` alone", f"{results['overhead_share'] * 100:+.1f} %"],
            [
                f"`hepza verify`, {results['pages']:,} articles ({results['verify_leaves']:,} leaves)",
                f"{results['verify_seconds']:.2f} s",
            ],
            [
                "`hepza verify`, 100,000 articles (extrapolated linearly)",
                f"{results['verify_seconds_100k_articles']:.0f} s",
            ],
        ],
        ["what", "cost"],
    )
    proofs = table(
        results["proof_sizes"],
        ["tree size", "proof hashes", "proof bytes", "bundle bytes (version + capture)"],
    )
    return (
        f"{results['pages']:,} synthetic portal-sized articles, {results['rounds']} interleaved rounds "
        f"(medians).\n\n{cost}\n\n{proofs}"
    )


def _edit_half(path: str, pages, key) -> None:
    """A second run editing every other article: versions that chain, captures that are deltas."""
    archive = Archive(path)
    run = archive.start_run("full", "http://127.0.0.1:9")
    archive.begin_batch()
    for record, capture in pages[::2]:
        edited = dataclasses.replace(record, body_text=record.body_text + " Sửa.", source_hash="e")
        changed = dataclasses.replace(capture, body=capture.body + b"<!-- e -->")
        archive.save(edited, changed, run_id=run)
    archive.commit_batch()
    archive.finish_run(run, status="ok", exit_code=0, counts={}, alarms=[])
    write_checkpoint(archive.db.conn, key, run)
    archive.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer pages and rounds")
    options = parser.parse_args()
    count, rounds = (300, 3) if options.quick else (1500, 5)
    folder = workdir("hepza-bench-evidence-")
    key = create_key(Path(folder) / "signing.key", "hepza-bench")
    pages = _pages(count, 1)
    timings: dict[bool, list[float]] = {True: [], False: []}
    checkpoints = []
    for round_number in range(rounds):
        for with_ledger in (True, False) if round_number % 2 == 0 else (False, True):
            archive_time, checkpoint_time = _archive_round(folder, pages, with_ledger, key)
            timings[with_ledger].append(archive_time)
            if with_ledger:
                checkpoints.append(checkpoint_time)
        log(
            f"round {round_number + 1}/{rounds}: with {timings[True][-1]:.2f} s, without {timings[False][-1]:.2f} s"
        )
    with_ms = statistics.median(timings[True]) / count * 1000
    without_ms = statistics.median(timings[False]) / count * 1000
    checkpoint_ms = statistics.median(checkpoints) / count * 1000
    overhead = (with_ms + checkpoint_ms) / without_ms - 1

    # 2. verify: an archive of `count` articles, half of them edited in a second run.
    path = os.path.join(folder, "verify.db")
    archive = Archive(path)
    run = archive.start_run("full", "http://127.0.0.1:9")
    archive.begin_batch()
    for record, capture in pages:
        archive.save(record, capture, run_id=run)
    archive.commit_batch()
    archive.finish_run(run, status="ok", exit_code=0, counts={}, alarms=[])
    write_checkpoint(archive.db.conn, key, run)
    archive.close()
    _edit_half(path, pages, key)
    archive = Archive(path, readonly=True)
    leaves = archive.db.execute("SELECT count(*) FROM ledger_leaves").fetchone()[0]
    start = time.perf_counter()
    verify(archive.db.conn, body=archive.capture_body, files_folder=files_dir(path))
    verify_s = time.perf_counter() - start
    bundle = dumps(build_proof(archive.db.conn, 1))
    archive.close()
    per_article = verify_s / count

    # 3. proof size against tree size.
    rng = random.Random(7)
    proof_rows = []
    for exponent in range(1, 7 if not options.quick else 6):
        size = 10**exponent
        if size <= 100_000:
            hashes = [rng.randbytes(32) for _ in range(size)]
            depth = len(merkle.inclusion_proof(hashes, size // 3))
        else:
            depth = math.ceil(math.log2(size))  # the path of a leaf in the larger subtree
        proof_rows.append([f"{size:,}", depth, 32 * depth, len(bundle) + 2 * 67 * (depth - _depth(leaves))])

    results = {
        "machine": machine(),
        "pages": count,
        "rounds": rounds,
        "archive_ms_per_page_without_ledger": without_ms,
        "archive_ms_per_page_with_ledger": with_ms,
        "checkpoint_ms_per_page": checkpoint_ms,
        "overhead_share": overhead,
        "verify_seconds": verify_s,
        "verify_leaves": leaves,
        "verify_seconds_100k_articles": per_article * 100_000,
        "proof_bundle_bytes": len(bundle),
        "proof_sizes": proof_rows,
    }
    save_results("evidence", results)
    print(markdown(results))


def _depth(size: int) -> int:
    return math.ceil(math.log2(size)) if size > 1 else 0


if __name__ == "__main__":
    main()
