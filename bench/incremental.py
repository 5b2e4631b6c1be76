"""Goal 4 (and the size half of goal 5): incremental re-crawls of a 1,000-article replica.

1. A first full crawl into a fresh archive.
2. An unchanged incremental re-crawl (no ``--full``): its requests against the full crawl's; versions
   written (goal: ≤ 5% of the requests, zero versions); the archive's growth (goal: < 1%).
3. An unchanged full re-crawl (``--full``, conditional requests answered 304): its growth too.
4. 5 new and 3 edited recent articles on the replica, then an incremental run: are all 8 archived?

The re-check schedule's "now" is the real clock (HEPZA_CLOCK unset), as is the time of the last check
the first crawl stamps; the replica's newest article is dated 2026-02-10.

    python -m bench.incremental [--quick] [--articles N]
"""

from __future__ import annotations

import argparse
import os
import sqlite3

from bench.common import log, machine, save_results, table, workdir
from bench.crawl import child


def _size(db: str) -> int:
    """The archive's size once its WAL is checkpointed into the main file."""
    conn = sqlite3.connect(db)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return os.path.getsize(db)


def _count(db: str, sql: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


def measure(articles: int = 1000) -> dict:
    from replica import Site, serve

    site = Site(articles=articles, seed=0)
    db = os.path.join(workdir("hepza-bench-inc-"), "inc.db")
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEPZA_")}
    steps = []

    def step(name: str, *extra: str) -> dict:
        before_size, before_versions = (
            (_size(db), _count(db, "SELECT count(*) FROM article_versions")) if os.path.exists(db) else (0, 0)
        )
        before_requests = server.request_count
        run = child("hepza", "--site-url", server.url, "--db", db, *extra, env=env)
        after_size = _size(db)
        summary = run["summary"] or {}
        row = {
            "step": name,
            "requests": run["requests"],
            "server_requests": server.request_count - before_requests,
            "status_304": run["status_304"],
            "new": summary.get("new"),
            "changed": summary.get("changed"),
            "versions_written": _count(db, "SELECT count(*) FROM article_versions") - before_versions,
            "size_before": before_size,
            "size_after": after_size,
            "growth": (after_size - before_size) / before_size if before_size else None,
            "elapsed_s": run["elapsed_s"],
            "exit_code": summary.get("exit_code"),
        }
        steps.append(row)
        log(f"incremental: {name}: {row}")
        return row

    with serve(site) as server:
        full = step("first full crawl", "--full")
        unchanged = step("unchanged incremental re-crawl")
        unchanged_full = step("unchanged full re-crawl (--full)", "--full")
        new_ids = site.add_new(5)
        recent = [a for a in site.live() if a.asset_id not in new_ids][:3]
        for a in recent:
            site.edit(a.asset_id, add_paragraph="Ban Quản lý cập nhật thông tin bổ sung cho bài viết này.")
        step("incremental after 5 new + 3 edited")
        archived = {
            "new_archived": _count(
                db,
                "SELECT count(*) FROM articles WHERE asset_id IN ({})".format(
                    ",".join(f"'{i}'" for i in new_ids)
                ),
            ),
            "edited_with_new_version": _count(
                db,
                "SELECT count(*) FROM articles WHERE version_count >= 2 AND asset_id IN ({})".format(
                    ",".join(f"'{a.asset_id}'" for a in recent)
                ),
            ),
        }
    ratio = unchanged["requests"] / full["requests"]
    return {
        "machine": machine(),
        "articles": articles,
        "steps": steps,
        "goal4_ratio": ratio,
        "goal4_versions": unchanged["versions_written"],
        "goal4_met": ratio <= 0.05 and unchanged["versions_written"] == 0,
        "changes": archived,
        "changes_all_archived": archived["new_archived"] == 5 and archived["edited_with_new_version"] == 3,
        "growth_incremental": unchanged["growth"],
        "growth_full": unchanged_full["growth"],
        # Both unchanged re-crawls are judged: the goal is per unchanged re-crawl, and a `--full` one
        # re-checks every article (each 304 leaves a capture_not_modified row and a ledger leaf, the
        # evidence that the page was checked unchanged then). Judging the incremental one alone said
        # "met" beside a +9% full re-crawl.
        "growth_met": unchanged["growth"] < 0.01 and unchanged_full["growth"] < 0.01,
    }


def markdown(result: dict) -> str:
    rows = [
        [
            s["step"],
            s["requests"],
            s["status_304"],
            s["new"],
            s["changed"],
            s["versions_written"],
            f"{s['size_after'] / 1e6:.2f}",
            "" if s["growth"] is None else f"{s['growth'] * 100:+.3f}%",
            f"{s['elapsed_s']:.1f}",
        ]
        for s in result["steps"]
    ]
    ch = result["changes"]
    return "\n".join(
        [
            f"Replica: {result['articles']} articles.",
            "",
            table(
                rows,
                [
                    "run",
                    "requests",
                    "304",
                    "new",
                    "changed",
                    "versions written",
                    "archive MB",
                    "growth",
                    "elapsed s",
                ],
            ),
            "",
            f"**Goal 4**: unchanged incremental re-crawl = {result['goal4_ratio'] * 100:.2f}% of the full crawl's "
            f"requests, {result['goal4_versions']} versions (goal ≤ 5%, 0): "
            f"**{'met' if result['goal4_met'] else 'not met'}**.",
            "",
            f"5 new and 3 edited recent articles, then an incremental run: {ch['new_archived']}/5 new archived, "
            f"{ch['edited_with_new_version']}/3 edited have a new version: "
            f"**{'all archived' if result['changes_all_archived'] else 'NOT all archived'}**.",
            "",
            f"**Goal 5 (size)**: archive growth per unchanged re-crawl: incremental "
            f"{result['growth_incremental'] * 100:+.3f}%, full {result['growth_full'] * 100:+.3f}% (goal < 1%): "
            f"**{'met' if result['growth_met'] else 'not met'}**.",
        ]
    )


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--articles", type=int, default=1000)
    args = parser.parse_args(argv)
    result = measure(args.articles)
    print(markdown(result))
    save_results("incremental", result)
    return result


if __name__ == "__main__":
    main()
