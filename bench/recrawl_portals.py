"""The unchanged incremental re-crawl on every replica portal: its requests against a first full crawl's.

For each portal the replica serves (HEPZA and the five other Liferay themes, the held-out ones included),
a first crawl into a fresh archive and then an unchanged incremental re-crawl (`hepza crawl` again, no
``--full``), both counted by the replica's server. Goal: the re-crawl asks for at most 2% of the first
crawl's requests, on every portal, and writes no version.

    python -m bench.recrawl_portals [--quick] [--articles N]
"""

from __future__ import annotations

import argparse
import os
import sqlite3

from bench.common import log, machine, save_results, table, workdir
from bench.crawl import child

GOAL = 0.02


def _versions(db: str) -> int:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM article_versions").fetchone()[0]
    finally:
        conn.close()


def measure(articles: int) -> dict:
    from replica import Site, serve
    from replica.portals import portal_names

    env = {k: v for k, v in os.environ.items() if not k.startswith("HEPZA_")}
    rows = {}
    for portal in portal_names():
        site = Site(articles=articles, seed=0, portal=portal)
        db = os.path.join(workdir(f"hepza-bench-recrawl-{portal}-"), "x.db")
        with serve(site) as server:
            before = server.request_count
            child("hepza", "--site-url", server.url, "--db", db, env=env)
            first = server.request_count - before
            versions = _versions(db)
            before = server.request_count
            child("hepza", "--site-url", server.url, "--db", db, env=env)
            again = server.request_count - before
        rows[portal] = {
            "articles": len(site.live()),
            "first_requests": first,
            "recrawl_requests": again,
            "ratio": again / first,
            "recrawl_versions": _versions(db) - versions,
        }
        log(f"recrawl_portals: {portal}: {first} then {again} requests ({again / first:.1%})")
    return {
        "machine": machine(),
        "portals": rows,
        "met": all(r["ratio"] <= GOAL and r["recrawl_versions"] == 0 for r in rows.values()),
    }


def markdown(result: dict) -> str:
    rows = [
        [
            portal,
            r["articles"],
            r["first_requests"],
            r["recrawl_requests"],
            f"{r['ratio']:.1%}",
            r["recrawl_versions"],
            "**met**" if r["ratio"] <= GOAL and r["recrawl_versions"] == 0 else "**not met**",
        ]
        for portal, r in result["portals"].items()
    ]
    return table(
        rows,
        [
            "portal",
            "articles",
            "first crawl requests",
            "unchanged re-crawl requests",
            "share",
            "versions",
            "≤ 2%",
        ],
    )


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--articles", type=int)
    args = parser.parse_args(argv)
    result = measure(args.articles or (200 if args.quick else 1000))
    save_results("recrawl_portals", result)
    print(markdown(result))
    return result


if __name__ == "__main__":
    main()
