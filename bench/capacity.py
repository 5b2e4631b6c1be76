"""The capacity model (docs/capacity.md), computed from the benchmarks' last figures in bench/results/.

How many portals of 20,000 articles one 2-core machine archives and keeps fresh at one request per second
per portal, the archive's size per 10,000 articles, and how many machines 1,000 portals need. Every input
is a measured figure (named in the page with the benchmark it comes from) or an assumption stated in the
page; nothing is typed in by hand.

    python -m bench.capacity        (make bench runs it after the benchmarks)
"""

from __future__ import annotations

import json
import math

from bench.common import RESULTS_DIR, ROOT, table

PORTAL_ARTICLES = 20_000
RATE = 1.0  # requests per second per portal: the politeness the issue assumes
CORES = 2
CPU_BUDGET = 0.7  # the share of the cores the crawls may use (the rest: the OS, serving, backups)
MEMORY_GB = 24
MEMORY_BUDGET = 0.75
RUNS_PER_DAY = 24  # an incremental run per portal every hour
# The re-check schedule shipped in portals/hepza.toml ("3d:0,30d:1d,365d:7d,*:30d"): an article younger
# than 3 days is re-checked every run, then daily to 30 days, weekly to a year, monthly after. Ages are
# assumed spread evenly over ten years of publishing (2,000 articles a year).
YEARS = 10
PORTALS_WANTED = 1_000


def _load(name: str) -> dict:
    return json.loads((RESULTS_DIR / f"{name}.json").read_text(encoding="utf-8"))


def rechecks_per_day(articles: int, years: int = YEARS) -> float:
    """Re-check requests a day for a portal of ``articles`` of evenly spread ages (schedule above)."""
    per_day = articles / (years * 365)
    return (
        per_day * 3 * RUNS_PER_DAY  # younger than 3 days: every run
        + per_day * 27 * 1  # 3 to 30 days: daily
        + per_day * 335 / 7  # 30 days to a year: weekly
        + per_day * (years * 365 - 365) / 30  # older: monthly
    )


def model() -> dict:
    farm, incremental, growth = _load("farm"), _load("incremental"), _load("growth")
    rows = farm["summary"]["rows"]
    counts = sorted(rows, key=int)
    smallest, largest = counts[0], counts[-1]
    cpu_s_per_article = rows[largest]["cpu_ms_per_article"] / 1000
    first = incremental["steps"][0]
    unchanged = incremental["steps"][1]
    requests_per_article = first["server_requests"] / first["new"]
    cpu_s_per_request = cpu_s_per_article / requests_per_article
    rss_small, rss_large = rows[smallest]["peak_rss_mb"], rows[largest]["peak_rss_mb"]
    mb_per_portal = (rss_large - rss_small) / max(1, int(largest) - int(smallest))
    db_mb = {p["size"]: p["db_mb"] for p in growth["points"]}
    mb_per_10k = db_mb.get(10_000) or db_mb[max(db_mb)] * 10_000 / max(db_mb)

    # First crawls: each portal is bound by its politeness; the machine by CPU and memory.
    first_crawl_hours = PORTAL_ARTICLES * requests_per_article / RATE / 3600
    by_cpu = CORES * CPU_BUDGET / (cpu_s_per_request * RATE)
    by_memory = MEMORY_GB * 1024 * MEMORY_BUDGET / mb_per_portal if mb_per_portal > 0 else math.inf
    at_once = math.floor(min(by_cpu, by_memory))
    # Steady state: every run of an unchanged portal, plus the re-checks, a day.
    requests_per_day = RUNS_PER_DAY * unchanged["server_requests"] + rechecks_per_day(PORTAL_ARTICLES)
    busy_share = requests_per_day / RATE / 86_400  # of its day a portal is being crawled
    steady_by_cpu = CORES * CPU_BUDGET * 86_400 / (requests_per_day * cpu_s_per_request)
    steady_by_memory = by_memory / busy_share if busy_share else math.inf
    steady = math.floor(min(steady_by_cpu, steady_by_memory))
    return {
        "inputs": {
            "cpu_s_per_article": cpu_s_per_article,
            "requests_per_article": requests_per_article,
            "cpu_s_per_request": cpu_s_per_request,
            "mb_per_portal": mb_per_portal,
            "farm_portals": (smallest, largest),
            "unchanged_requests": unchanged["server_requests"],
            "incremental_articles": incremental["articles"],
            "mb_per_10k": mb_per_10k,
        },
        "first_crawl_hours": first_crawl_hours,
        "at_once_by_cpu": by_cpu,
        "at_once_by_memory": by_memory,
        "at_once": at_once,
        "requests_per_day": requests_per_day,
        "busy_share": busy_share,
        "steady_by_cpu": steady_by_cpu,
        "steady_by_memory": steady_by_memory,
        "steady": steady,
        "archive_gb_per_portal": PORTAL_ARTICLES / 10_000 * mb_per_10k / 1024,
        "archive_tb_all": PORTALS_WANTED * PORTAL_ARTICLES / 10_000 * mb_per_10k / 1024 / 1024,
        "one_machine_first_days": math.ceil(PORTALS_WANTED / at_once) * first_crawl_hours / 24
        if at_once
        else None,
        "machines_first": math.ceil(PORTALS_WANTED / at_once) if at_once else None,
        "machines_steady": math.ceil(PORTALS_WANTED / steady) if steady else None,
    }


def markdown(m: dict) -> str:
    i = m["inputs"]
    small, large = i["farm_portals"]
    inputs = [
        [
            "CPU s per article archived (whole `hepza crawl --all` run)",
            f"{i['cpu_s_per_article']:.3f}",
            f"bench/farm.py, {large} portals",
        ],
        [
            "requests per article, first crawl",
            f"{i['requests_per_article']:.2f}",
            "bench/incremental.py, first full crawl",
        ],
        ["CPU s per request", f"{i['cpu_s_per_request']:.4f}", "the two above"],
        [
            "memory per extra portal crawled at once (MB)",
            f"{i['mb_per_portal']:.0f}",
            f"bench/farm.py, peak RSS {small} → {large} portals",
        ],
        [
            "requests of an unchanged incremental run",
            f"{i['unchanged_requests']}",
            f"bench/incremental.py ({i['incremental_articles']} articles)",
        ],
        [
            "archive size per 10,000 articles (MB)",
            f"{i['mb_per_10k']:.0f}",
            "bench/growth.py (captures included)",
        ],
    ]
    results = [
        ["first crawl of one portal of 20,000 articles at 1 request/s", f"{m['first_crawl_hours']:.1f} h"],
        ["portals crawled at once by one machine (CPU bound)", f"{m['at_once_by_cpu']:.0f}"],
        ["portals crawled at once by one machine (memory bound)", f"{m['at_once_by_memory']:.0f}"],
        ["**portals one machine first-crawls at once**", f"**{m['at_once']}**"],
        ["requests a day to keep one portal fresh (hourly runs + re-checks)", f"{m['requests_per_day']:.0f}"],
        ["share of its day a fresh portal is being crawled", f"{m['busy_share']:.1%}"],
        ["portals one machine keeps fresh (CPU bound)", f"{m['steady_by_cpu']:.0f}"],
        [
            "portals one machine keeps fresh (memory bound, crawls spread over the day)",
            f"{m['steady_by_memory']:.0f}",
        ],
        ["**portals one machine keeps fresh**", f"**{m['steady']}**"],
        ["archive of one 20,000-article portal", f"{m['archive_gb_per_portal']:.1f} GB"],
        [f"archives of {PORTALS_WANTED:,} such portals", f"{m['archive_tb_all']:.2f} TB"],
        [
            f"one machine first-crawls {PORTALS_WANTED:,} portals in",
            f"{m['one_machine_first_days']:.0f} days",
        ],
        [
            f"**machines for {PORTALS_WANTED:,} portals, first crawls in {m['first_crawl_hours']:.0f} h**",
            f"**{m['machines_first']}**",
        ],
        [f"**machines for {PORTALS_WANTED:,} portals, steady state**", f"**{m['machines_steady']}**"],
    ]
    return "\n".join(
        [
            "# Capacity",
            "",
            "Written by `python -m bench.capacity` from the last benchmark figures (`make bench`); do not "
            "edit by hand. Each input below is a measured figure from a benchmark run on this project's "
            "2-core machine; the rest are the model's stated assumptions.",
            "",
            "## Assumptions",
            "",
            f"- A portal holds {PORTAL_ARTICLES:,} articles, is crawled at {RATE:g} request per second "
            "(one request at a time, as the profiles' politeness), and gets an incremental run every hour.",
            f"- Re-checks follow the shipped schedule (`3d:0,30d:1d,365d:7d,*:30d`), article ages spread "
            f"evenly over {YEARS} years.",
            f"- The crawls may use {CPU_BUDGET:.0%} of the {CORES} cores and {MEMORY_BUDGET:.0%} of "
            f"{MEMORY_GB} GB; a portal being crawled holds its crawler and archive writer in memory, an "
            "idle one nothing (runs are scheduled: `hepza crawl --portal`, or the job queue of "
            "docs/scale-out.md).",
            "- CPU per request is taken as flat in the number of portals, which bench/farm.py checks "
            '(its goal "CPU per article in the steady state flat"); the figure used is the whole run\'s at '
            "the most portals measured, start-up and shut-down included.",
            "",
            "## Measured inputs",
            "",
            table(inputs, ["input", "value", "from"]),
            "",
            "## The model",
            "",
            table(results, ["", ""]),
            "",
            "A first crawl is bound by politeness, not by the machine: one portal takes the same hours "
            "whatever the hardware, so a machine's worth is how many it crawls at once. Kept fresh, a "
            "portal costs a few minutes of crawling a day, so one machine holds many more portals than it "
            "first-crawls at once, as long as their runs are spread over the day.",
        ]
    )


def main() -> None:
    text = markdown(model())
    (ROOT / "docs" / "capacity.md").write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
