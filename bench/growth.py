"""Goal 5: flat growth. Crawl cost per page as the archive grows from 1,000 to 100,000 articles, and
full-text search over 100,000 articles.

The archive is filled through the archive writer (``ArchiveWriter``: extract, clean, archive with the raw
capture, batched as in a crawl) from generated replica pages (rendered by ``replica.app.handle``, no
sockets), in a shuffled order. At each checkpoint size the per-page crawl cost (the same path) is measured
on probe pages:

- **new**: the next articles to be archived (as in a crawl that finds new articles);
- **re-fetch**: archived articles fetched again (new view counter, token and related list: an unchanged
  article whose capture is stored as a delta).

To take the machine's drift out of a comparison made minutes apart, the limit (parsel parse + 4 fields)
is measured on the same probe pages at the same time (in 18 alternating chunks), and the figure compared is
the median chunk's cost ÷ limit (the ratio of the totals is reported too). The
per-run start-up cost that does grow with the archive (the spider reads every known article once) is
reported apart. Goal: per-page cost within ±20% from the first to the last size.

Full-text search: ``articles_fts MATCH fold_key(word)``, first page (20 rows, ``ORDER BY rank``), for the
most common words and for rare words (in ≤ 10 articles), picked from the index's own vocabulary. Goal:
median under 100 ms (common) and under 10 ms (rare).

    python -m bench.growth [--quick] [--sizes 1000,10000,100000]
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import sqlite3
import statistics
import time
import warnings

from bench.common import Page, log, machine, save_results, table, workdir, writer_message

warnings.filterwarnings("ignore")

BASE = "http://127.0.0.1:8000"


def _render(site, article, locale: str = "vi") -> Page:
    from replica import app

    path = article.url
    status, headers, body = app.handle(site, "GET", path, {"host": "127.0.0.1:8000"})
    if status != 200:
        raise RuntimeError(f"{path}: HTTP {status}")
    return Page(BASE + path, body, "utf-8", {}, locale)


def _crawl(writer, pages: list[Page]) -> None:
    """What the archive writer does with a crawl's pages: extract, clean, archive, in batches."""
    from archive.writer import MAX_BATCH

    for page in pages:
        writer.add(writer_message(page))
        if writer.batch_size >= MAX_BATCH:
            writer.flush()
    writer.flush()


_CHUNKS = 18  # of 50 pages with the default probe: one batch of the writer each


def _probe(writer, pages: list[Page], chunk: int, limit_fn) -> tuple:
    """(limit, ours) on one chunk of the probe pages, the limit measured just before."""
    part = pages[chunk * len(pages) // _CHUNKS : (chunk + 1) * len(pages) // _CHUNKS]
    limit = _timed(lambda items: [limit_fn(p) for p in items], part)
    return limit, _timed(lambda items: _crawl(writer, items), part)


def _total(runs: list[tuple]) -> tuple:
    """(limit, measured) per page over all the chunks (equal-sized, so the mean of their per-page figures)."""
    return tuple(tuple(statistics.mean(run[i][j] for run in runs) for j in range(2)) for i in range(2))


def _median_ratio(runs: list[tuple]) -> float:
    """Median over the chunks of ours ÷ the limit, CPU time."""
    return statistics.median(ours[1] / limit[1] for limit, ours in runs)


def _timed(fn, items) -> tuple[float, float]:
    """(wall ms, CPU ms of this process) per item; ``fn`` takes the whole list."""
    gc.collect()
    start, cpu = time.perf_counter(), time.process_time()
    fn(items)
    return (
        (time.perf_counter() - start) * 1000 / len(items),
        (time.process_time() - cpu) * 1000 / len(items),
    )


def measure(sizes: list[int], probe: int = 900, queries: int = 12) -> dict:
    from archive.files import attachment_validators
    from archive.writer import ArchiveWriter, WriterConfig
    from bench.per_page import parsel_fields
    from replica import Site

    top = sizes[-1]
    t0 = time.perf_counter()
    site = Site(articles=top + probe, seed=0)
    log(f"growth: replica of {top + probe} articles built in {time.perf_counter() - t0:.1f} s")
    order = list(site.live())
    random.Random(0).shuffle(order)
    db = os.path.join(workdir("hepza-bench-growth-"), "growth.db")
    writer = ArchiveWriter(WriterConfig(db_path=db, site_url=BASE, mode="full"))
    archive = writer.archive
    archived = 0
    points = []
    fill_start = time.perf_counter()
    for size in sizes:
        target = size - probe  # the probe's new articles bring the archive to `size`
        while archived < target:
            step = min(1000, target - archived)
            _crawl(writer, [_render(site, a) for a in order[archived : archived + step]])
            archived += step
            if archived % 10_000 == 0:
                log(f"growth: {archived} archived ({time.perf_counter() - fill_start:.0f} s)")
        new_pages = [_render(site, a) for a in order[archived : archived + probe]]
        # Interleave the reference with the measured cases chunk by chunk, and add the chunks up: the
        # archive's cost comes in bursts (a WAL checkpoint every ~30 articles, an FTS segment merge now
        # and then), so a probe must be long enough to hold its share of them.
        new_runs = [_probe(writer, new_pages, chunk, parsel_fields) for chunk in range(_CHUNKS)]
        archived += len(new_pages)
        # Re-fetches of archived articles (the probe's new ones included), once the archive has `size`.
        rng = random.Random(size)
        old_pages = [_render(site, a) for a in rng.sample(order[:archived], min(probe, archived))]
        refetch_runs = [_probe(writer, old_pages, chunk, parsel_fields) for chunk in range(_CHUNKS)]
        limit_1, new_ms = _total(new_runs)
        limit_2, refetch_ms = _total(refetch_runs)
        start = time.perf_counter()
        known = archive.known_articles()
        attachment_validators(archive)
        startup_ms = (time.perf_counter() - start) * 1000
        db_mb = sum(os.path.getsize(p) for p in (db, db + "-wal") if os.path.exists(p)) / 1e6
        point = {
            "size": archived,
            "new_ms": new_ms[0],
            "refetch_ms": refetch_ms[0],
            "new_cpu_ms": new_ms[1],
            "refetch_cpu_ms": refetch_ms[1],
            "limit_ms": statistics.mean([limit_1[0], limit_2[0]]),
            "limit_cpu_ms": statistics.mean([limit_1[1], limit_2[1]]),
            # Median of the chunks' CPU ratios (robust to the shared machine's spikes)…
            "new_ratio": _median_ratio(new_runs),
            "refetch_ratio": _median_ratio(refetch_runs),
            # …and the ratio of the totals (every burst of the archive's own work counted).
            "new_total_ratio": new_ms[1] / limit_1[1],
            "refetch_total_ratio": refetch_ms[1] / limit_2[1],
            "new_wall_ratio": new_ms[0] / limit_1[0],
            "refetch_wall_ratio": refetch_ms[0] / limit_2[0],
            "startup_ms": startup_ms,
            "known": len(known),
            "db_mb": db_mb,
            "loadavg": os.getloadavg()[0],
        }
        points.append(point)
        log(f"growth: {point}")
    archive.close()
    fts = _fts(db, queries)
    first, last = points[0], points[-1]
    drift_new = last["new_ratio"] / first["new_ratio"] - 1
    drift_refetch = last["refetch_ratio"] / first["refetch_ratio"] - 1
    drift_total = (
        last["new_total_ratio"] / first["new_total_ratio"] - 1,
        last["refetch_total_ratio"] / first["refetch_total_ratio"] - 1,
    )
    drift_wall = (
        last["new_wall_ratio"] / first["new_wall_ratio"] - 1,
        last["refetch_wall_ratio"] / first["refetch_wall_ratio"] - 1,
    )
    return {
        "machine": machine(),
        "points": points,
        "drift_new": drift_new,
        "drift_refetch": drift_refetch,
        "drift_wall": drift_wall,
        "drift_total": drift_total,
        "flat_met": abs(drift_new) <= 0.2 and abs(drift_refetch) <= 0.2,
        "fts": fts,
        "fts_met": fts["common_median_ms"] < 100 and fts["rare_median_ms"] < 10,
    }


def _fts(db: str, queries: int) -> dict:
    """Median time to the first page of results for common and rare folded words."""
    from pipelines.text import fold_key

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    conn.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, 'articles_fts', 'row')")
    total = conn.execute("SELECT count(*) FROM articles_fts").fetchone()[0]
    common = [
        r[0]
        for r in conn.execute(
            "SELECT term FROM temp.vocab WHERE length(term) >= 3 ORDER BY doc DESC LIMIT ?", [queries]
        )
    ]
    rare = [
        r[0]
        for r in conn.execute(
            "SELECT term FROM temp.vocab WHERE doc BETWEEN 1 AND 10 AND length(term) >= 4 AND term GLOB '[a-z]*' "
            "ORDER BY term LIMIT ?",
            [queries],
        )
    ]
    sql = (
        "SELECT a.id, a.title, a.url, a.published_at FROM articles_fts f JOIN articles a ON a.id = f.rowid "
        "WHERE articles_fts MATCH ? ORDER BY f.rank LIMIT 20"
    )

    # The same first page, newest first instead of best first: no score computed for every match.
    newest_sql = sql.replace("ORDER BY f.rank", "ORDER BY f.rowid DESC")

    def run(words: list[str], statement: str = sql) -> tuple[float, list[float], int]:
        times, hits = [], 0
        for _ in range(3):
            for word in words:
                query = fold_key(word)
                start = time.perf_counter()
                rows = conn.execute(statement, [query]).fetchall()
                times.append((time.perf_counter() - start) * 1000)
                hits = max(hits, len(rows))
        return statistics.median(times), sorted(times), hits

    common_median, common_times, _ = run(common)
    rare_median, rare_times, _ = run(rare)
    newest_common_median, _, _ = run(common, newest_sql)
    doc_counts = {
        w: conn.execute("SELECT doc FROM temp.vocab WHERE term = ?", [w]).fetchone()[0]
        for w in common[:5] + rare[:5]
    }
    conn.close()
    return {
        "articles": total,
        "common_words": common,
        "rare_words": rare,
        "doc_counts": doc_counts,
        "common_median_ms": common_median,
        "common_p90_ms": common_times[int(len(common_times) * 0.9) - 1],
        "newest_common_median_ms": newest_common_median,
        "rare_median_ms": rare_median,
        "rare_p90_ms": rare_times[int(len(rare_times) * 0.9) - 1],
        "sql": sql,
    }


def markdown(result: dict) -> str:
    rows = [
        [
            p["size"],
            f"{p['new_ms']:.2f} / {p['new_cpu_ms']:.2f}",
            f"{p['new_ratio']:.2f}× ({p['new_total_ratio']:.2f}×)",
            f"{p['refetch_ms']:.2f} / {p['refetch_cpu_ms']:.2f}",
            f"{p['refetch_ratio']:.2f}× ({p['refetch_total_ratio']:.2f}×)",
            f"{p['limit_ms']:.3f} / {p['limit_cpu_ms']:.3f}",
            f"{p['startup_ms']:.0f}",
            f"{p['db_mb']:.0f}",
            f"{p['loadavg']:.2f}",
        ]
        for p in result["points"]
    ]
    fts = result["fts"]
    first, last = result["points"][0]["size"], result["points"][-1]["size"]
    counts = fts["doc_counts"]
    common = ", ".join(f"{w} ({counts.get(w, '?')} docs)" for w in fts["common_words"][:5])
    rare = ", ".join(f"{w} ({counts.get(w, '?')})" for w in fts["rare_words"][:5])
    return "\n".join(
        [
            table(
                rows,
                [
                    "archived articles",
                    "new: ms/page wall / CPU",
                    "new ÷ limit (CPU; median of chunks, totals in brackets)",
                    "re-fetch: ms/page wall / CPU",
                    "re-fetch ÷ limit (CPU; median of chunks, totals)",
                    "limit ms/page wall / CPU",
                    "run start-up ms (read known articles)",
                    "archive MB",
                    "load avg",
                ],
            ),
            "",
            f"**Goal 5 (flat cost)**: per-page CPU cost ÷ limit from {first:,} to {last:,} archived articles: new "
            f"{result['drift_new'] * 100:+.1f}%, re-fetch {result['drift_refetch'] * 100:+.1f}% (goal within ±20%): "
            f"**{'met' if result['flat_met'] else 'not met'}**. The cost is measured in {_CHUNKS} chunks of the probe "
            "pages, each right after the limit on the same chunk; the goal takes the median chunk. With the totals "
            f"instead (every checkpoint and FTS merge counted, but every spike of the shared machine too): new "
            f"{result['drift_total'][0] * 100:+.1f}%, re-fetch {result['drift_total'][1] * 100:+.1f}%; wall clock: "
            f"new {result['drift_wall'][0] * 100:+.1f}%, re-fetch {result['drift_wall'][1] * 100:+.1f}%.",
            "",
            f"Full-text search over {fts['articles']:,} articles (`{fts['sql']}`, query = `fold_key(word)`): common "
            f"words ({common}…) median {fts['common_median_ms']:.1f} ms (p90 {fts['common_p90_ms']:.1f}); rare words "
            f"({rare}…) median {fts['rare_median_ms']:.2f} ms (p90 {fts['rare_p90_ms']:.2f}). The same first page of "
            f"common words newest first (`ORDER BY f.rowid DESC` instead of `f.rank`): median "
            f"{fts.get('newest_common_median_ms', float('nan')):.1f} ms.",
            "",
            f"**Goal 5 (search)**: common < 100 ms and rare < 10 ms: **{'met' if result['fts_met'] else 'not met'}**.",
        ]
    )


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--sizes", default=None, help="comma-separated archive sizes")
    parser.add_argument("--probe", type=int, default=900)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in (args.sizes or ("1000,10000" if args.quick else "1000,10000,100000")).split(",")]
    result = measure(sizes, probe=args.probe)
    print(markdown(result))
    save_results("growth", result)
    return result


if __name__ == "__main__":
    main()
