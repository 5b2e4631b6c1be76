"""Run every benchmark, side by side in one run, and write docs/benchmarks.md and docs/evaluation.md.

    python -m bench.run_all [--quick]        (make bench / make bench-quick)

Each benchmark runs in its own process (one Twisted reactor per crawl, and a 100,000-article replica must
not inflate the next one's memory); each leaves its figures in bench/results/<name>.json, from which the
docs are written. Quick mode uses smaller replicas and fewer rounds (a few minutes); the full run takes
about half an hour on the 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

from bench import (
    ab_fixes,
    capacity,
    crawl,
    evaluate,
    evidence,
    farm,
    growth,
    incremental,
    per_page,
    recrawl_portals,
    warc_export,
)
from bench import peers as crawler_peers
from bench.common import RESULTS_DIR, ROOT, log, machine, table
from bench.isolated import MIN_ROUNDS_TO_JUDGE, faster_in_every_round, rounds_faster

BENCHES = [
    ("evaluate", evaluate, []),
    ("per_page", per_page, []),
    ("ab_fixes", ab_fixes, []),
    ("crawl", crawl, []),
    ("incremental", incremental, []),
    ("growth", growth, []),
    ("peers", crawler_peers, []),
    ("farm", farm, []),
    ("recrawl_portals", recrawl_portals, []),
    ("evidence", evidence, []),
    ("warc_export", warc_export, []),
]

# Issue 26 point 5: the evidence ledger and the alert queue may add at most this share to a page's cost.
LEDGER_SHARE_GOAL = 0.05


def ledger_share_of_a_page(r: dict) -> float:
    """What the ledger and the alert queue add to a page (with the checkpoint spread over the run's pages),
    as a share of the whole per-page cost of extract + clean + archive (bench/per_page.py's goal 1 case):
    the issue's "per-page cost". Both figures are from the same `make bench` run; the added milliseconds
    are a difference of interleaved rounds in one process (bench/evidence.py)."""
    ev = r["evidence"]
    added = (
        ev["archive_ms_per_page_with_ledger"]
        + ev["checkpoint_ms_per_page"]
        - ev["archive_ms_per_page_without_ledger"]
    )
    return added / r["per_page"]["ms_per_page"][per_page.GOAL1_CASE]


def _run(name: str, args: list[str]) -> dict:
    start = time.perf_counter()
    log(f"run_all: {name} {' '.join(args)}")
    result = subprocess.run(
        [sys.executable, "-m", f"bench.{name}", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        timeout=3 * 3600,
    )
    if result.returncode != 0:
        raise SystemExit(f"bench.{name} failed with exit code {result.returncode}")
    log(f"run_all: {name} done in {time.perf_counter() - start:.0f} s")
    return json.loads((RESULTS_DIR / f"{name}.json").read_text(encoding="utf-8"))


def _speed_status(faster: dict[str, bool], rounds: int) -> str:
    if rounds < MIN_ROUNDS_TO_JUDGE:
        return f"**not judged** ({rounds} rounds cannot show it; the full run has {MIN_ROUNDS_TO_JUDGE})"
    if all(faster.values()):
        return "**met**"
    return (
        f"**not met** (not faster in every round than {', '.join(t for t, ok in faster.items() if not ok)})"
    )


def goals_table(r: dict) -> str:
    pp, ev, cr, inc, gr = r["per_page"], r["evaluate"], r["crawl"], r["incremental"], r["growth"]
    acc = ev["accuracy"]
    peers = ("trafilatura", "htmldate", "newspaper4k")
    verdict = evaluate.judge(acc)
    hundred, never_behind, ties = verdict["hundred"], not verdict["behind"], verdict["ties"]
    info_ties = ", ".join(f"{f}={t}" for f, t in verdict["info_ties"]) or "none"
    times = ev["ms_per_page"]
    # Two timings of the same comparison: evaluate.py (peers with the settings of the accuracy table) and
    # per_page.py (peers with their defaults; htmldate asked for the original date), each tool in a process of its own. Faster only if ours is
    # faster in every round of both: a median ratio of 1.02 is the machine's noise, not a win.
    pp_peers = pp.get("peers") or {}
    pp_names = {
        "trafilatura": "trafilatura bare_extraction (metadata)",
        "htmldate": "htmldate find_date",
        "newspaper4k": "newspaper4k",
    }
    pp_ours = pp_peers.get(per_page.OURS_PEER_CASE)
    pp_ratio, pp_rounds, faster = {}, {}, {}
    for t in peers:
        in_evaluate = faster_in_every_round(ev["rounds_ms"]["hepza"], ev["rounds_ms"][t])
        in_per_page = True
        if pp_ours and pp_names[t] in pp_peers:
            peer = pp_peers[pp_names[t]]
            pp_ratio[t] = peer["cpu_ms"] / pp_ours["cpu_ms"]
            pp_rounds[t] = rounds_faster(pp_ours["rounds_cpu_ms"], peer["rounds_cpu_ms"])
            in_per_page = faster_in_every_round(pp_ours["rounds_cpu_ms"], peer["rounds_cpu_ms"])
        faster[t] = in_evaluate and in_per_page
    fts = gr["fts"]

    def mark(ok: bool) -> str:
        return "**met**" if ok else "**not met**"

    rows = [
        [
            "1",
            "extract + clean + archive (with raw capture) ÷ limit (parsel parse + 4 fields), batched as the "
            "writer does under load; a commit per page in brackets",
            f"{pp['goal1_ratio']:.2f}× ({pp['ms_per_page'][per_page.GOAL1_CASE]:.2f} ms vs "
            f"{pp['ms_per_page']['parsel parse + 4 fields (the limit)']:.2f} ms) "
            f"[{pp['ms_per_page'][per_page.PER_COMMIT_CASE] / pp['ms_per_page']['parsel parse + 4 fields (the limit)']:.2f}×]",
            "≤ 3×",
            mark(pp["goal1_met"]),
        ],
        [
            "2a",
            "faster per page than trafilatura bare_extraction, htmldate, newspaper4k (evaluate.py timing; "
            "per_page.py timing in brackets; each tool in a process of its own; rounds in which ours is "
            "faster)",
            ", ".join(
                f"{t} {times[t] / times['hepza']:.2f}× ours"
                + f" ({rounds_faster(ev['rounds_ms']['hepza'], ev['rounds_ms'][t])})"
                + (f" [{pp_ratio[t]:.2f}×, {pp_rounds[t]}]" if t in pp_ratio else "")
                for t in peers
            ),
            "all > 1× in every round",
            _speed_status(
                faster, min(len(ev["rounds_ms"]["hepza"]), len((pp_ours or {}).get("rounds_cpu_ms", [])))
            ),
        ],
        [
            "2b",
            "100% on every field and ahead of every peer on every field (the issue's five: title, "
            "published_at, authors, body start and end, no boilerplate)",
            f"ours 100% on all: {hundred}; never behind: {never_behind}; ties: "
            f"{', '.join(f'{f}={t}' for f, t in ties) or 'none'} (information rows: ties {info_ties})",
            "100% and ahead",
            (
                mark(hundred and not ties)
                if not (hundred and ties)
                else "**not met** (ties at 100%; never behind)"
            )
            if never_behind
            else "**not met**",
        ],
        [
            "3",
            "full crawl pages/s ÷ bare Scrapy spider pages/s",
            f"{cr['goal3_ratio']:.2f} ({cr['articles']} articles)",
            "≥ 0.80",
            mark(cr["goal3_met"]),
        ],
        [
            "4",
            "unchanged incremental re-crawl requests ÷ full crawl; versions",
            f"{inc['goal4_ratio'] * 100:.2f}%; {inc['goal4_versions']} versions",
            "≤ 5%; 0",
            mark(inc["goal4_met"]),
        ],
        [
            "4+",
            "5 new + 3 edited recent articles archived by an incremental run",
            f"{inc['changes']['new_archived']}/5 new, {inc['changes']['edited_with_new_version']}/3 edited",
            "all",
            mark(inc["changes_all_archived"]),
        ],
        [
            "5a",
            f"per-page crawl cost from {gr['points'][0]['size']:,} to {gr['points'][-1]['size']:,} archived",
            f"new {gr['drift_new'] * 100:+.1f}%, re-fetch {gr['drift_refetch'] * 100:+.1f}% (CPU ÷ limit)",
            "±20%",
            mark(gr["flat_met"]),
        ],
        [
            "5b",
            "archive growth per unchanged re-crawl",
            f"incremental {inc['growth_incremental'] * 100:+.3f}%, full {inc['growth_full'] * 100:+.3f}%",
            "< 1%",
            mark(inc["growth_met"]),
        ],
        [
            "5c",
            f"FTS first page over {fts['articles']:,} articles, median",
            f"common {fts['common_median_ms']:.1f} ms, rare {fts['rare_median_ms']:.2f} ms",
            "< 100 ms, < 10 ms",
            mark(gr["fts_met"]),
        ],
        [
            "6",
            f"peak RSS of a {cr['articles']:,}-article full crawl",
            f"{cr['goal6_peak_mb']:.0f} MB",
            "< 300 MB",
            mark(cr["goal6_met"]),
        ],
        [
            "26.5",
            "evidence ledger + alert queue: added ms per page ÷ a page's extract + clean + archive "
            "(against `Archive.save` alone in brackets)",
            f"{ledger_share_of_a_page(r) * 100:+.1f}% ({r['evidence']['overhead_share'] * 100:+.1f}%)",
            f"≤ {LEDGER_SHARE_GOAL:.0%}",
            mark(ledger_share_of_a_page(r) <= LEDGER_SHARE_GOAL),
        ],
        [
            "26.5",
            "`hepza verify` per 100,000 articles (extrapolated); WARC export; WACZ export",
            f"{r['evidence']['verify_seconds_100k_articles']:.0f} s; "
            f"{r['warc_export']['export_mb_per_s']:.1f} MB/s; "
            + (
                f"{r['warc_export']['wacz_mb_per_s']:.1f} MB/s"
                if "wacz_mb_per_s" in r["warc_export"]
                else "—"
            ),
            "(figures)",
            "—",
        ],
    ]
    return table(rows, ["goal", "what", "measured", "target", "status"])


def write_doc(results: dict, quick: bool, extra: str) -> None:
    m = results["per_page"]["machine"]
    v = m["versions"]
    versions = ", ".join(f"{k} {val}" for k, val in v.items() if val)
    sections = [
        "# Benchmarks",
        "",
        "Produced by `make bench` (`python -m bench.run_all`; `make bench-quick` for the quick mode); the "
        "figures below are rewritten by each run — do not edit them by hand. Benchmarks are scripts that "
        "print figures, not timed assertions in the test suite. Each comparison is measured side by side in one "
        "run (interleaved rounds; peers and crawls in alternating processes): read the ratios, not the absolute "
        "times.",
        "",
        f"- **Run**: {'QUICK mode (smaller replicas, fewer rounds)' if quick else 'full mode'}; each "
        "benchmark's time stamp (UTC): "
        + ", ".join(
            f"{name} {results[name]['machine']['date'][:16].replace('T', ' ')}" for name, *_ in BENCHES
        )
        + ".",
        f"- **Machine**: {m['cpu']}, {m['cores']} cores, {m['platform']}; load average at the start "
        f"{m['loadavg_at_start'][0]:.2f}. The machine is shared: other engineers ran test suites during the "
        "run, so absolute times are inflated and noisy (the load average is recorded beside the crawl and "
        "growth figures).",
        f"- **Versions**: {versions}.",
        f"- **Pages**: the replica's article pages (`replica.Site(articles=N, seed=0)`), median "
        f"{results['per_page']['median_page_kb']:.0f} KB, with the chrome real Liferay 7.4 pages carry "
        "(scripts, styles, menus; as heavy as the issue's 75 KB synthetic pages); the limits are re-measured "
        "here on the same pages. The crawl throughput (goal 3) is measured against a fast static server of "
        "these pages (`bench/static_server.py`), as in the issue.",
        "",
        "## Goals",
        "",
        goals_table(results),
        "",
        "## 1. Per page: ours against the limits (`bench/per_page.py`)",
        "",
        per_page.markdown(results["per_page"]),
        "",
        "## 2. Against the peers (`bench/evaluate.py`, details in [evaluation.md](evaluation.md))",
        "",
        evaluate.markdown(results["evaluate"]),
        "",
        "## 3 and 6. Full crawl against a bare Scrapy spider; peak memory (`bench/crawl.py`)",
        "",
        crawl.markdown(results["crawl"]),
        "",
        "## 4 and 5b. Incremental re-crawls (`bench/incremental.py`)",
        "",
        incremental.markdown(results["incremental"]),
        "",
        "## 5. Flat growth and full-text search (`bench/growth.py`)",
        "",
        growth.markdown(results["growth"]),
        "",
        "## 7. Whole-crawler peers (`bench/peers.py`)",
        "",
        crawler_peers.markdown(results["peers"]),
        "",
        "## 8. Many portals on one machine (`bench/farm.py`; the capacity model: [capacity.md](capacity.md))",
        "",
        farm.markdown(results["farm"]),
        "",
        "## 9. The unchanged re-crawl on every replica portal (`bench/recrawl_portals.py`)",
        "",
        recrawl_portals.markdown(results["recrawl_portals"]),
        "",
        "## 10. The evidence ledger and the alert queue (`bench/evidence.py`, docs/evidence.md)",
        "",
        evidence.markdown(results["evidence"]),
        "",
        "## 11. WARC and WACZ export (`bench/warc_export.py`, details in [web-archives.md](web-archives.md))",
        "",
        warc_export.markdown(results["warc_export"]),
        "",
        "## Fixes: before and after (`bench/ab_fixes.py`)",
        "",
        ab_fixes.markdown(results["ab_fixes"]),
        "",
        extra,
    ]
    (ROOT / "docs" / "benchmarks.md").write_text("\n".join(sections).rstrip() + "\n", encoding="utf-8")


NOTES = ROOT / "bench" / "NOTES.md"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument(
        "--only", default=None, help="comma-separated benchmarks to re-run; others from results/"
    )
    args = parser.parse_args(argv)
    log(f"run_all: machine {machine()['cpu']}, quick={args.quick}")
    only = set(args.only.split(",")) if args.only else None
    results = {}
    for name, _module, extra_args in BENCHES:
        if only is not None and name not in only:
            results[name] = json.loads((RESULTS_DIR / f"{name}.json").read_text(encoding="utf-8"))
            continue
        results[name] = _run(name, [*extra_args, *(["--quick"] if args.quick else [])])
    extra = NOTES.read_text(encoding="utf-8") if NOTES.exists() else ""
    write_doc(results, args.quick, extra)
    evaluate.write_doc(results["evaluate"])
    capacity.main()  # docs/capacity.md, from the figures just written
    print(goals_table(results))


if __name__ == "__main__":
    main()
