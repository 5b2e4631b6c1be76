"""Many portals on one machine: `hepza crawl --all` of N replica portals against a bare Scrapy spider.

N replica portals (several themes: the replica's Liferay portals in turn), each served by its own process
(bench/static_server.py: from memory, counting what it is asked), are crawled by `hepza crawl --all` with
one profile each (delay D, one request at a time), and by a bare Scrapy spider (bench/farm_bare.py) that
fetches the same URLs with the same per-portal politeness. An untimed warm-up crawl first has every
server render its pages, then the timed runs alternate (bare, hepza, bare, hepza…). Reported per N:

- aggregate pages/s of each (requests counted by the servers over the run's wall time) and their ratio:
  goal ≥ 0.9;
- politeness as the servers saw it: the most connections a portal had open with requests, and the
  shortest gap between two requests to one portal (goal: 1 connection, no gap under D);
- peak RSS of the whole hepza run (the crawl and its archive writers, summed, sampled from /proc every
  0.1 s): goal < 1 GB at the largest N;
- CPU seconds per article of the hepza run (every process, from the kernel's accounting): goal flat
  from 1 to N portals (within ±20% of the one-portal figure).

    python -m bench.farm [--quick] [--portals 1,10,50] [--articles N] [--delay D] [--rounds N]
    python -m bench.farm --report        (the last run's figures again, summarised)
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import urllib.request
from pathlib import Path

from bench.common import (
    RESULTS_DIR,
    ROOT,
    log,
    machine,
    run_measured,
    save_results,
    start_static_server,
    table,
    workdir,
)

# The servers time a request's arrival, not its sending: a request that waited for its connection's TCP
# set-up arrives a few milliseconds late, and the next one, sent on time, that much sooner after it. A gap
# shorter than the delay by more than this is a request sent too soon.
GAP_JITTER_S = 0.02
THEMES = ("hepza", "liferay62", "liferay73", "liferay70", "liferay74b", "liferay72")


def _control(port: int, what: str) -> bytes:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/__bench/{what}", timeout=30) as response:
        return response.read()


def _profiles(folder: Path, ports: list[int], delay: float) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i, port in enumerate(ports):
        (folder / f"p{i:02d}.toml").write_text(
            f'origin = "http://127.0.0.1:{port}"\ndelay = {delay}\nconcurrency = 1\nenabled = true\n',
            encoding="utf-8",
        )


def _articles(archives: Path) -> int:
    total = 0
    for db in archives.glob("*.db"):
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            total += conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        finally:
            conn.close()
    return total


def _hepza(work: Path, profiles: Path, tag: str, sample_rss: bool) -> dict:
    archives = work / f"archives-{tag}"
    command = [
        str(ROOT / ".venv" / "bin" / "hepza"),
        "crawl",
        "--all",
        "--portals",
        str(profiles),
        "--archives",
        str(archives),
    ]
    result = run_measured(command, sample_rss=sample_rss)
    result["articles"] = _articles(archives)
    return result


def _politeness(ports: list[int]) -> tuple[int, int, float | None, list[list[str]]]:
    """(requests, most connections of one portal, shortest gap of one portal, each portal's paths);
    the servers' counters are reset for the next run."""
    requests, most, gaps, paths = 0, 0, [], []
    for port in ports:
        seen = json.loads(_control(port, "politeness"))
        _control(port, "reset")
        requests += seen["requests"]
        most = max(most, seen["most_connections"])
        if seen["min_gap_s"] is not None:
            gaps.append(seen["min_gap_s"])
        paths.append(seen["paths"])
    return requests, most, (min(gaps) if gaps else None), paths


def measure_farm(n: int, articles: int, delay: float, rounds: int) -> dict:
    servers = [start_static_server(articles, THEMES[i % len(THEMES)]) for i in range(n)]
    ports = [port for _, port in servers]
    work = Path(workdir(f"hepza-bench-farm-{n}-"))
    try:
        profiles = work / "portals"
        _profiles(profiles, ports, delay)
        warm = _hepza(work, profiles, "warm", sample_rss=False)  # every page rendered once, untimed
        _, _, _, paths = _politeness(ports)
        urls_file = work / "urls.txt"
        urls_file.write_text(
            "".join(
                f"http://127.0.0.1:{port}{p}\n" for port, ps in zip(ports, paths, strict=True) for p in ps
            ),
            encoding="utf-8",
        )
        log(f"farm: {n} portals, warm-up {warm['articles']} articles, {sum(map(len, paths))} URLs")
        runs = []
        for i in range(rounds):
            bare = run_measured([sys.executable, "-m", "bench.farm_bare", str(urls_file), str(delay)])
            bare_requests, bare_most, bare_gap, _ = _politeness(ports)
            ours = _hepza(work, profiles, f"r{i}", sample_rss=True)
            requests, most, gap, _ = _politeness(ports)
            run = {
                "bare_pages_per_s": bare_requests / bare["wall_s"],
                "hepza_pages_per_s": requests / ours["wall_s"],
                "hepza_requests": requests,
                "bare_requests": bare_requests,
                "hepza_wall_s": ours["wall_s"],
                "bare_wall_s": bare["wall_s"],
                "hepza_most_connections": most,
                "hepza_min_gap_s": gap,
                "bare_most_connections": bare_most,
                "bare_min_gap_s": bare_gap,
                "peak_rss_mb": ours["peak_rss_mb"],
                "articles": ours["articles"],
                "cpu_s_per_article": ours["cpu_s"] / max(1, ours["articles"]),
            }
            run["ratio"] = run["hepza_pages_per_s"] / run["bare_pages_per_s"]
            runs.append(run)
            log(
                f"farm: {n} portals round {i + 1}: hepza {run['hepza_pages_per_s']:.1f} pages/s, bare "
                f"{run['bare_pages_per_s']:.1f} (ratio {run['ratio']:.2f}), peak RSS {run['peak_rss_mb']:.0f} MB, "
                f"{run['cpu_s_per_article'] * 1000:.1f} ms CPU/article, min gap {gap}"
            )
    finally:
        for process, _ in servers:
            process.kill()
        for process, _ in servers:
            process.wait()
    return {"portals": n, "articles_per_portal": articles, "runs": runs}


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def summarise(farms: list[dict], delay: float) -> dict:
    rows = {}
    for farm in farms:
        runs = farm["runs"]
        rows[farm["portals"]] = {
            "ratio": _median([r["ratio"] for r in runs]),
            "hepza_pages_per_s": _median([r["hepza_pages_per_s"] for r in runs]),
            "bare_pages_per_s": _median([r["bare_pages_per_s"] for r in runs]),
            "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
            "cpu_ms_per_article": _median([r["cpu_s_per_article"] for r in runs]) * 1000,
            "most_connections": max(r["hepza_most_connections"] for r in runs),
            "min_gap_s": min(
                (r["hepza_min_gap_s"] for r in runs if r["hepza_min_gap_s"] is not None), default=None
            ),
            "bare_min_gap_s": min(
                (r["bare_min_gap_s"] for r in runs if r["bare_min_gap_s"] is not None), default=None
            ),
        }
    smallest, largest = min(rows), max(rows)
    base = rows[smallest]["cpu_ms_per_article"]
    goals = {
        "pages/s ≥ 0.9 of the bare spider": all(r["ratio"] >= 0.9 for r in rows.values()),
        "politeness never broken": all(
            r["most_connections"] <= 1 and (r["min_gap_s"] is None or r["min_gap_s"] >= delay - GAP_JITTER_S)
            for r in rows.values()
        ),
        f"peak RSS < 1 GB at {largest} portals": rows[largest]["peak_rss_mb"] < 1024,
        "CPU per article flat (±20%)": all(
            abs(r["cpu_ms_per_article"] - base) <= 0.2 * base for r in rows.values()
        ),
    }
    return {"rows": rows, "goals": goals}


def markdown(result: dict) -> str:
    s = result["summary"]
    rows = [
        [
            n,
            f"{r['hepza_pages_per_s']:.1f}",
            f"{r['bare_pages_per_s']:.1f}",
            f"{r['ratio']:.2f}",
            r["most_connections"],
            "–" if r["min_gap_s"] is None else f"{r['min_gap_s']:.3f}",
            "–" if r["bare_min_gap_s"] is None else f"{r['bare_min_gap_s']:.3f}",
            f"{r['peak_rss_mb']:.0f}",
            f"{r['cpu_ms_per_article']:.1f}",
        ]
        for n, r in sorted(s["rows"].items(), key=lambda item: int(item[0]))
    ]
    goals = [[goal, "**met**" if ok else "**not met**"] for goal, ok in s["goals"].items()]
    return "\n".join(
        [
            f"Replica portals of {result['articles_per_portal']} articles each (themes in turn: "
            f"{', '.join(THEMES)}), each served by its own process; `hepza crawl --all` with a profile per "
            f"portal (delay {result['delay']} s, one request at a time) against a bare Scrapy spider fetching "
            "the same URLs with the same per-portal politeness; "
            f"{result['rounds']} alternating rounds after an untimed warm-up (medians; the worst politeness "
            "and memory). Politeness is as the servers saw it: a gap shorter than the delay by more than "
            f"{GAP_JITTER_S * 1000:.0f} ms (arrival-time jitter on loopback) counts as broken; the bare "
            "spider's shortest gap is shown beside it.",
            "",
            table(
                rows,
                [
                    "portals",
                    "hepza pages/s",
                    "bare pages/s",
                    "ratio",
                    "most connections to a portal",
                    "shortest gap to a portal (s)",
                    "bare's shortest gap (s)",
                    "peak RSS of the run (MB)",
                    "CPU ms per article",
                ],
            ),
            "",
            table(goals, ["goal", ""]),
            "",
            "What the figures hold: `hepza crawl --all` runs one Scrapy process with a crawler per portal "
            "and a fixed pool of two archive writer processes shared by every portal's run, so its peak RSS "
            "is the crawl's plus two writers'; the bare spider keeps nothing. Its CPU per article includes "
            "the start-up (crawl process, writers, each portal's archive), spread over more articles as "
            "portals are added. The "
            "servers time a request's arrival: when the machine is saturated the crawler's sends bunch up, "
            "and arrivals come closer together than the delay the crawler kept between its sends (the "
            "bare spider's gaps show the same, more so).",
        ]
    )


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--portals", help="comma-separated portal counts (default 1,10,50; quick 1,5,10)")
    parser.add_argument("--articles", type=int)
    parser.add_argument("--delay", type=float, default=0.2)
    parser.add_argument("--rounds", type=int)
    parser.add_argument(
        "--report",
        action="store_true",
        help="only summarise and print the last run (bench/results/farm.json)",
    )
    args = parser.parse_args(argv)
    if args.report:
        result = json.loads((RESULTS_DIR / "farm.json").read_text(encoding="utf-8"))
        result["summary"] = summarise(result["farms"], result["delay"])
        save_results("farm", result)
        print(markdown(result))
        return result
    counts = [int(n) for n in (args.portals or ("1,5,10" if args.quick else "1,10,50")).split(",")]
    articles = args.articles or (30 if args.quick else 100)
    rounds = args.rounds or (1 if args.quick else 2)
    farms = [measure_farm(n, articles, args.delay, rounds) for n in counts]
    result = {
        "machine": machine(),
        "articles_per_portal": articles,
        "delay": args.delay,
        "rounds": rounds,
        "farms": farms,
        "summary": summarise(farms, args.delay),
    }
    save_results("farm", result)
    print(markdown(result))
    return result


if __name__ == "__main__":
    main()
