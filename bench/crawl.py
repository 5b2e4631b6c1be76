"""Goals 3 and 6: full-crawl throughput against a bare Scrapy spider, and the crawl's peak memory.

One replica (10,000 articles; 2,000 with --quick) is served on 127.0.0.1 by bench/static_server.py (the
issue's "fast static server": each page rendered once, then served from memory by asyncio in a process of
its own, so the server does not set the pace); an untimed warm-up crawl has it render every page. Then, in rounds,
each crawl in a fresh process and the order rotated from round to round: a bare Scrapy spider with default
settings that fetches every live article page and only parses it (parsel); the hepza crawl as shipped
(politeness off: ``--delay 0 --concurrency 16``; cleaning and archiving in the writer process) into a fresh
archive (every article new: the costliest run); and the same crawl with ``writer = inline`` (cleaning and
archiving on the crawler's reactor thread, as before the writer process existed): the before and after of
that fix, side by side. Pages/s of each are Scrapy's responses over its own elapsed time; the hepza crawls
also fetch robots, sitemaps, home, list pages and attachments, which count as pages. Goal 3: hepza ≥ 80% of
the bare spider's pages/s. Goal 6: the hepza crawl's peak memory under 300 MB, counted as the crawler's
peak RSS plus the writer's (an upper bound of the two together).

    python -m bench.crawl [--quick] [--articles N] [--pairs N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

from bench.common import ROOT, log, machine, save_results, start_static_server, table, workdir


def child(*args: str, env: dict | None = None, timeout: int = 1800) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "bench.crawl_child", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
        env=env,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    if result.returncode != 0 or not lines:
        raise RuntimeError(f"crawl child failed ({result.returncode}): {result.stderr[-3000:]}")
    return json.loads(lines[-1])


def measure(articles: int, pairs: int) -> dict:
    from replica import Site

    start = time.perf_counter()
    site = Site(articles=articles, seed=0)  # the same site the server builds (same seed): its URLs
    log(f"crawl: replica of {articles} articles built in {time.perf_counter() - start:.1f} s")
    work = workdir("hepza-bench-crawl-")
    runs: list[dict] = []
    server_process, port = start_static_server(articles)
    server_url = f"http://127.0.0.1:{port}"
    try:
        urls_file = os.path.join(work, "urls.txt")
        with open(urls_file, "w", encoding="utf-8") as f:
            f.writelines(server_url + a.url + "\n" for a in site.live())
        # Untimed warm-up: the server renders each page the crawls ask for once, here.
        warm = child("hepza", "--site-url", server_url, "--db", os.path.join(work, "warm.db"), "--full")
        log(f"crawl: warm-up crawl, {warm['responses']} pages in {warm['elapsed_s']:.1f} s")
        kinds = ("bare", "hepza", "hepza-inline")
        for i in range(pairs):
            # Rotate which goes first, so a slow spell of the machine hits all alike.
            order = kinds[i % 3 :] + kinds[: i % 3]
            for kind in order:
                if kind == "bare":
                    run = child("bare", "--urls-file", urls_file)
                else:
                    db = os.path.join(work, f"full-{kind}-{i}.db")
                    writer = "inline" if kind == "hepza-inline" else "process"
                    run = child("hepza", "--site-url", server_url, "--db", db, "--full", "--writer", writer)
                    run["db_mb"] = _db_size(db) / 1e6
                run["kind"] = kind
                run["pair"] = i
                run["peak_mb"] = run["maxrss_mb"] + (run.get("writer_maxrss_mb", 0) if kind == "hepza" else 0)
                run["loadavg"] = os.getloadavg()[0]
                runs.append(run)
                log(
                    f"crawl: {kind} round {i}: {run['responses']} pages in {run['elapsed_s']:.1f} s = "
                    f"{run['pages_per_s']:.1f} pages/s, peak {run['peak_mb']:.0f} MB"
                )
    finally:
        server_process.kill()
        server_process.wait()
    by_kind = {kind: [r for r in runs if r["kind"] == kind] for kind in kinds}
    ratios = [
        h["pages_per_s"] / b["pages_per_s"] for h, b in zip(by_kind["hepza"], by_kind["bare"], strict=True)
    ]
    inline_ratios = [
        h["pages_per_s"] / b["pages_per_s"]
        for h, b in zip(by_kind["hepza-inline"], by_kind["bare"], strict=True)
    ]
    ratio = statistics.median(ratios)
    peak = max(r["peak_mb"] for r in by_kind["hepza"])
    summary = by_kind["hepza"][-1]["summary"] or {}
    return {
        "machine": machine(),
        "articles": articles,
        "runs": runs,
        "ratios": ratios,
        "inline_ratios": inline_ratios,
        "goal3_ratio": ratio,
        "goal3_inline_ratio": statistics.median(inline_ratios),
        "goal3_met": ratio >= 0.8,
        "article_pages_per_s": statistics.median(
            (r["summary"] or {}).get("new", 0) / r["elapsed_s"] for r in by_kind["hepza"]
        ),
        "goal6_peak_mb": peak,
        "goal6_met": peak < 300,
        "last_summary": {k: summary.get(k) for k in ("requests", "new", "changed", "errors", "exit_code")},
    }


def _db_size(db: str) -> int:
    return sum(os.path.getsize(p) for p in (db, db + "-wal") if os.path.exists(p))


def markdown(result: dict) -> str:
    rows = [
        [
            r["pair"],
            r["kind"],
            r["responses"],
            f"{r['elapsed_s']:.1f}",
            f"{r['pages_per_s']:.1f}",
            f"{r['maxrss_mb']:.0f}" + (f" + {r['writer_maxrss_mb']:.0f}" if r["kind"] == "hepza" else ""),
            f"{r['loadavg']:.2f}",
        ]
        for r in result["runs"]
    ]
    out = [
        f"Replica: {result['articles']} articles, served on 127.0.0.1 by `bench/static_server.py` (each page "
        "rendered once, then served from memory in a process of its own); in each round the three crawls run one after "
        "the other, each in a fresh process, the order rotated from round to round. `hepza` is the crawl as "
        "shipped (writer process); `hepza-inline` the same with `writer = inline` (before the fix).",
        "",
        table(
            rows,
            [
                "round",
                "crawler",
                "pages",
                "elapsed s",
                "pages/s",
                "peak RSS MB (crawler + writer)",
                "load avg after",
            ],
        ),
        "",
        f"hepza crawl article pages/s (new articles archived / elapsed): {result['article_pages_per_s']:.1f}; "
        f"last run: {result['last_summary']}.",
        "",
        f"**Goal 3**: hepza / bare pages/s = {', '.join(f'{x:.2f}' for x in result['ratios'])} "
        f"(median {result['goal3_ratio']:.2f}; goal ≥ 0.80): **{'met' if result['goal3_met'] else 'not met'}**. "
        f"Before the fix (`writer = inline`): {', '.join(f'{x:.2f}' for x in result['inline_ratios'])} "
        f"(median {result['goal3_inline_ratio']:.2f}).",
        "",
        f"**Goal 6**: peak memory of the hepza crawl, crawler + writer, {result['goal6_peak_mb']:.0f} MB "
        f"(goal < 300 MB): **{'met' if result['goal6_met'] else 'not met'}**.",
    ]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--articles", type=int, default=None)
    parser.add_argument("--pairs", type=int, default=None)
    args = parser.parse_args(argv)
    articles = args.articles or (2000 if args.quick else 10_000)
    pairs = args.pairs or (1 if args.quick else 3)
    result = measure(articles, pairs)
    print(markdown(result))
    save_results("crawl", result)
    return result


if __name__ == "__main__":
    main()
