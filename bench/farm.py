"""Many portals on one machine: `hepza crawl --all` of N replica portals against a bare Scrapy spider.

N replica portals (several themes: the replica's Liferay portals in turn), each served by its own process
(bench/farm_server.py: bench/static_server.py from memory, noting each request's arrival), are crawled by
`hepza crawl --all` with one profile each (delay D, by default the profiles' 1 s, one request at a
time), and by a bare Scrapy spider (bench/farm_bare.py) that fetches the same URLs with the same
per-portal politeness. An untimed warm-up crawl (no delay) first has every server render its pages and
gives the URLs, then the timed runs alternate (bare, hepza, bare, hepza…). Reported per N:

- aggregate pages/s of each (requests counted by the servers over the run's wall time) and their ratio:
  goal ≥ 0.9;
- politeness as the servers saw it: the most connections a portal had open with requests, and every
  gap between two requests to one portal under D (goal: 1 connection, none under D); for hepza, from
  its send times (bench/farm_probe.py), how many of those were already under D when sent;
- peak RSS of the whole hepza run (the crawl and its archive writers, summed, sampled from /proc every
  0.1 s): goal < 1 GB at the largest N;
- CPU seconds per article of the hepza run (every process, from the kernel's accounting), beyond the
  start-up (the CPU until the first request was sent, shown on its own): goal flat from 1 to N portals
  (within ±20% of the one-portal figure).

At D = 1 s a portal of the replica's 63 articles takes about 100 s, whatever N: a run of one N takes
about four minutes; ``--add`` runs some counts and adds them to the last run's.

    python -m bench.farm [--quick] [--portals 1,10,50] [--articles N] [--delay D] [--rounds N] [--add]
    python -m bench.farm --report        (the last run's figures again, summarised)
"""

from __future__ import annotations

import argparse
import json
import resource
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from collections import defaultdict, deque
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from bench.common import (
    RESULTS_DIR,
    ROOT,
    log,
    machine,
    run_measured,
    save_results,
    start_static_server,
    table,
    tree_cpu_by_role,
    workdir,
)

THEMES = ("hepza", "liferay62", "liferay73", "liferay70", "liferay74b", "liferay72")
# The profiles' default delay (archive/profiles.py) and the capacity model's one request a second.
DEFAULT_DELAY = 1.0
# Sampling the process tree's memory and CPU from /proc (a walk of /proc costs a few ms of CPU).
SAMPLE_EVERY_S = 0.1
# Where --timeline keeps each hepza run's samples, sends and stages (for a closer look; none by default).
TIMELINE_DIR: Path | None = None


def _start_server(articles: int, portal: str) -> tuple[subprocess.Popen, int]:
    """bench/farm_server.py in a process of its own: (the process, its port)."""
    return start_static_server(articles, portal, module="bench.farm_server")


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


def _role(root_pid: int) -> Callable[[int, list[str]], str]:
    """Which part of the hepza run a process is: the crawler (the command run), an archive writer."""

    def role_of(pid: int, command: list[str]) -> str:
        if pid == root_pid:
            return "crawler"
        return "writer" if "archive.writer_start" in command else "other"

    return role_of


def _run_sampled(command: list[str]) -> dict:
    """Run a command to completion: wall s, CPU s (it and every process it waited for, from the kernel's
    accounting), peak RSS of its process tree, and the tree's CPU over time by process, ``[(monotonic s,
    {role: CPU s})]`` sampled from /proc, from which the stages' shares are read."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak, done = [0.0], threading.Event()
    samples: list[tuple[float, dict[str, float]]] = [(time.monotonic(), {})]
    role_of = _role(process.pid)

    def sample() -> None:
        while not done.wait(SAMPLE_EVERY_S):
            rss, cpu = tree_cpu_by_role(process.pid, role_of)
            if "crawler" not in cpu:  # (it has exited and been waited for: nothing left to read)
                continue
            peak[0] = max(peak[0], rss)
            samples.append((time.monotonic(), cpu))

    threading.Thread(target=sample, daemon=True).start()
    out, err = process.communicate(timeout=7200)
    done.set()
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode != 0:
        raise RuntimeError(f"{command[:5]} exited {process.returncode}: {err[-2000:]}")
    cpu_s = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall_s": wall, "cpu_s": cpu_s, "peak_rss_mb": peak[0], "cpu_samples": samples, "stdout": out}


def _hepza(work: Path, profiles: Path, tag: str, delay: float | None = None) -> dict:
    """``hepza crawl --all`` of the profiles into a fresh archives folder, through bench/farm_probe.py
    (the send times of its requests); ``delay`` overrides the profiles' (the warm-up's 0)."""
    archives, sends = work / f"archives-{tag}", work / f"sends-{tag}.jsonl"
    command = [sys.executable, "-m", "bench.farm_probe", str(sends), "crawl", "--all"]
    command += ["--portals", str(profiles), "--archives", str(archives)]
    if delay is not None:
        command += ["--delay", str(delay)]
    result = _run_sampled(command)
    result["articles"] = _articles(archives)
    result["sends"] = _sends(sends)
    result["events"] = _events(sends)
    return result


def _sends(path: Path) -> dict[str, list[tuple[str, float, float]]]:
    """The crawler's requests by portal (host:port): [(path?query, sent, answered)] in the order sent."""
    by_portal: dict[str, list[tuple[str, float, float]]] = defaultdict(list)
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            sent = json.loads(line)
            if "url" not in sent:  # (a stage's event)
                continue
            url = urlsplit(sent["url"])
            target = url.path + (f"?{url.query}" if url.query else "")
            by_portal[url.netloc].append((target, sent["sent"], sent["answered"]))
    for requests in by_portal.values():
        requests.sort(key=lambda r: r[1])
    return by_portal


def _events(path: Path) -> dict[str, list[dict]]:
    """The run's stages as bench/farm_probe.py noted them: {event: [its lines]} in the order noted."""
    events: dict[str, list[dict]] = defaultdict(list)
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            noted = json.loads(line)
            if "event" in noted:
                events[noted["event"]].append(noted)
    return events


def _cpu_at(samples: list[tuple[float, dict[str, float]]], at: float) -> dict[str, float]:
    """The tree's CPU by role at a moment, read between the two samples around it (in proportion)."""
    before = max((s for s in samples if s[0] <= at), key=lambda s: s[0], default=samples[0])
    after = min((s for s in samples if s[0] >= at), key=lambda s: s[0], default=samples[-1])
    share = (at - before[0]) / (after[0] - before[0]) if after[0] > before[0] else 0.0
    roles = set(before[1]) | set(after[1])
    return {r: before[1].get(r, 0.0) + share * (after[1].get(r, 0.0) - before[1].get(r, 0.0)) for r in roles}


def _by_part(cpu: dict[str, float]) -> dict[str, float]:
    """Roles folded into the run's parts: the crawler, the archive writers (live or ended), the rest."""
    writers = cpu.get("writer", 0.0) + cpu.get("ended", 0.0)
    return {"crawler": cpu.get("crawler", 0.0), "writers": writers, "other": cpu.get("other", 0.0)}


def _stages(result: dict) -> dict | None:
    """The run's CPU by stage, each split by part (crawler, writers):

    - start-up: until the steady state, i.e. until every portal's archive run is open (its writer has
      imported and answered its OpenRun) and the first request has been sent;
    - steady: from there to the last response, where the articles are fetched and archived;
    - closing: from the last response until every crawl is over (the last runs finished by their writers,
      the reactor stopped);
    - after: the rest, until the process has exited (each portal's seal and alerts, the summaries).
    """
    samples, events = result["cpu_samples"], result["events"]
    sends = [r for requests in result["sends"].values() for r in requests]
    if not sends or not events.get("opened"):
        return None
    ready = max(min(r[1] for r in sends), max(e["at"] for e in events["opened"]))
    last = max(r[2] for r in sends)
    over = events["crawls_over"][-1]["at"] if events.get("crawls_over") else last
    marks = [_by_part(_cpu_at(samples, at)) for at in (ready, last, over)]
    # (the end from the kernel's accounting, exact; the parts' split from the last sample)
    end = _by_part(samples[-1][1])
    end["other"] += result["cpu_s"] - sum(end.values())
    points = [dict.fromkeys(end, 0.0), *marks, end]
    names = ("startup", "steady", "closing", "after")
    stages = {
        name: {part: b[part] - a[part] for part in end}
        for name, a, b in zip(names, points[:-1], points[1:], strict=True)
    }
    for stage in stages.values():
        stage["total"] = sum(stage.values())
    stages["seconds"] = {"startup": ready - samples[0][0], "steady": last - ready, "closing": over - last}
    return stages


def _save_timeline(path: Path, result: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    keep = {k: result[k] for k in ("cpu_samples", "sends", "events", "cpu_s", "wall_s", "articles")}
    path.write_text(json.dumps(keep), encoding="utf-8")


def _politeness(ports: list[int]) -> dict:
    """What the servers saw of the run that just ended (their counters are then reset for the next):
    requests, the most connections one portal had open, and each portal's arrivals [(path, monotonic)]."""
    requests, most, arrivals = 0, 0, {}
    for port in ports:
        seen = json.loads(_control(port, "politeness"))
        arrivals[f"127.0.0.1:{port}"] = [(p, t) for p, t in json.loads(_control(port, "arrivals"))]
        _control(port, "reset")
        requests += seen["requests"]
        most = max(most, seen["most_connections"])
    return {"requests": requests, "most_connections": most, "arrivals": arrivals}


def _min_gap(times: list[float]) -> float | None:
    return min((b - a for a, b in zip(times, times[1:], strict=False)), default=None)


def _gaps(arrivals: dict, delay: float, sends: dict | None = None) -> dict:
    """Politeness request by request. From the servers: the shortest gap between two arrivals at one
    portal, and the gaps shorter than the delay. With the crawler's send times (matched to the arrivals
    by path, in order): the shortest gap between two sends to a portal, the shortest from a response to
    the next send, and of the short arrivals how many were already short when sent (the crawler's doing)."""
    out: dict = {"min_gap_s": None, "short": 0, "arrival_gaps": 0}
    gaps = [g for a in arrivals.values() if (g := _min_gap([t for _, t in a])) is not None]
    out["min_gap_s"] = min(gaps, default=None)
    if sends is None:
        out["short"] = sum(
            1 for a in arrivals.values() for x, y in zip(a, a[1:], strict=False) if y[1] - x[1] < delay
        )
        return out
    send_gaps, idle_gaps, short, short_when_sent, matched = [], [], 0, 0, 0
    for portal, seen in arrivals.items():
        requests = sends.get(portal, [])
        send_gaps += [b[1] - a[1] for a, b in zip(requests, requests[1:], strict=False)]
        idle_gaps += [b[1] - a[2] for a, b in zip(requests, requests[1:], strict=False)]
        sent_at: dict[str, deque[float]] = defaultdict(deque)
        for target, sent, _ in requests:
            sent_at[target].append(sent)
        paired = [(t, sent_at[p].popleft() if sent_at[p] else None) for p, t in seen]
        for (a1, s1), (a2, s2) in zip(paired, paired[1:], strict=False):
            if s1 is None or s2 is None:
                continue
            matched += 1
            if a2 - a1 < delay:
                short += 1
                short_when_sent += s2 - s1 < delay
    out.update(
        short=short,
        short_when_sent=short_when_sent,
        arrival_gaps=matched,
        min_send_gap_s=min(send_gaps, default=None),
        min_response_to_send_s=min(idle_gaps, default=None),
    )
    return out


def measure_farm(n: int, articles: int, delay: float, rounds: int) -> dict:
    servers = [_start_server(articles, THEMES[i % len(THEMES)]) for i in range(n)]
    ports = [port for _, port in servers]
    work = Path(workdir(f"hepza-bench-farm-{n}-"))
    try:
        profiles = work / "portals"
        _profiles(profiles, ports, delay)
        # Untimed: every server renders its pages once (no delay: it only warms the servers), and the
        # URLs the crawl asks for are what the bare spider fetches.
        warm = _hepza(work, profiles, "warm", delay=0)
        seen = _politeness(ports)
        urls_file = work / "urls.txt"
        urls_file.write_text(
            "".join(f"http://{portal}{p}\n" for portal, a in seen["arrivals"].items() for p, _ in a),
            encoding="utf-8",
        )
        log(f"farm: {n} portals, warm-up {warm['articles']} articles, {seen['requests']} URLs")
        runs = [_round(work, profiles, ports, urls_file, delay, i) for i in range(rounds)]
    finally:
        for process, _ in servers:
            process.kill()
        for process, _ in servers:
            process.wait()
    return {"portals": n, "articles_per_portal": articles, "runs": runs}


def _round(work: Path, profiles: Path, ports: list[int], urls_file: Path, delay: float, i: int) -> dict:
    bare = run_measured([sys.executable, "-m", "bench.farm_bare", str(urls_file), str(delay)])
    bare_seen = _politeness(ports)
    ours = _hepza(work, profiles, f"r{i}")
    seen = _politeness(ports)
    stages = _stages(ours)
    if TIMELINE_DIR is not None:
        _save_timeline(TIMELINE_DIR / f"farm-{len(ports)}-r{i}.json", ours)
    startup = stages["startup"]["total"] if stages else None
    shutdown = stages["closing"]["total"] + stages["after"]["total"] if stages else None
    gaps, bare_gaps = _gaps(seen["arrivals"], delay, ours["sends"]), _gaps(bare_seen["arrivals"], delay)
    run = {
        "bare_pages_per_s": bare_seen["requests"] / bare["wall_s"],
        "hepza_pages_per_s": seen["requests"] / ours["wall_s"],
        "hepza_requests": seen["requests"],
        "bare_requests": bare_seen["requests"],
        "hepza_wall_s": ours["wall_s"],
        "bare_wall_s": bare["wall_s"],
        "hepza_most_connections": seen["most_connections"],
        "hepza_min_gap_s": gaps["min_gap_s"],
        "hepza_short_gaps": gaps["short"],
        "hepza_short_gaps_when_sent": gaps["short_when_sent"],
        "hepza_arrival_gaps": gaps["arrival_gaps"],
        "hepza_min_send_gap_s": gaps["min_send_gap_s"],
        "hepza_min_response_to_send_s": gaps["min_response_to_send_s"],
        "bare_most_connections": bare_seen["most_connections"],
        "bare_min_gap_s": bare_gaps["min_gap_s"],
        "bare_short_gaps": bare_gaps["short"],
        "peak_rss_mb": ours["peak_rss_mb"],
        "articles": ours["articles"],
        "cpu_s": ours["cpu_s"],
        "bare_cpu_s": bare["cpu_s"],
        "startup_cpu_s": startup,
        "shutdown_cpu_s": shutdown,
        "stages": stages,
        "cpu_s_per_article": ours["cpu_s"] / max(1, ours["articles"]),
        "cpu_s_per_article_after_startup": (ours["cpu_s"] - (startup or 0.0)) / max(1, ours["articles"]),
        "cpu_s_per_article_steady": stages["steady"]["total"] / max(1, ours["articles"]) if stages else None,
    }
    run["ratio"] = run["hepza_pages_per_s"] / run["bare_pages_per_s"]
    log(
        f"farm: {len(ports)} portals round {i + 1}: hepza {run['hepza_pages_per_s']:.1f} pages/s, bare "
        f"{run['bare_pages_per_s']:.1f} (ratio {run['ratio']:.2f}), peak RSS {run['peak_rss_mb']:.0f} MB, "
        f"CPU {run['cpu_s']:.1f} s (start-up {startup or 0:.1f}, shut-down {shutdown or 0:.1f}; stages "
        f"{json.dumps(stages)}) for {run['articles']} articles; gaps: "
        f"arrival {gaps['min_gap_s']}, send {gaps['min_send_gap_s']}, response->send "
        f"{gaps['min_response_to_send_s']}, short {gaps['short']}/{gaps['arrival_gaps']} "
        f"({gaps['short_when_sent']} short when sent); bare arrival {bare_gaps['min_gap_s']}, "
        f"short {bare_gaps['short']}"
    )
    return run


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _worst(runs: list[dict], key: str, pick=min) -> float | None:
    values = [r[key] for r in runs if r.get(key) is not None]
    return pick(values) if values else None


def summarise(farms: list[dict], delay: float) -> dict:
    rows = {}
    for farm in farms:
        runs = farm["runs"]
        rows[farm["portals"]] = {
            "ratio": _median([r["ratio"] for r in runs]),
            "hepza_pages_per_s": _median([r["hepza_pages_per_s"] for r in runs]),
            "bare_pages_per_s": _median([r["bare_pages_per_s"] for r in runs]),
            "articles_per_portal": _median([r["articles"] for r in runs]) / farm["portals"],
            "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
            "cpu_ms_per_article": _median([r["cpu_s_per_article"] for r in runs]) * 1000,
            "cpu_ms_per_article_after_startup": _median([r["cpu_s_per_article_after_startup"] for r in runs])
            * 1000,
            "startup_cpu_s": _median([r["startup_cpu_s"] or 0.0 for r in runs]),
            "shutdown_cpu_s": _median([r.get("shutdown_cpu_s") or 0.0 for r in runs]),
            "cpu_ms_per_article_steady": _median([r.get("cpu_s_per_article_steady") or 0.0 for r in runs])
            * 1000,
            # (the stages of the run with the median steady figure, to show where its CPU went)
            "stages": sorted(runs, key=lambda r: r.get("cpu_s_per_article_steady") or 0.0)[
                len(runs) // 2
            ].get("stages"),
            "most_connections": max(r["hepza_most_connections"] for r in runs),
            "min_gap_s": _worst(runs, "hepza_min_gap_s"),
            "short_gaps": sum(r["hepza_short_gaps"] for r in runs),
            "short_gaps_when_sent": sum(r["hepza_short_gaps_when_sent"] for r in runs),
            "min_send_gap_s": _worst(runs, "hepza_min_send_gap_s"),
            "bare_min_gap_s": _worst(runs, "bare_min_gap_s"),
            "bare_short_gaps": sum(r["bare_short_gaps"] for r in runs),
        }
    smallest, largest = min(rows), max(rows)
    base = rows[smallest]["cpu_ms_per_article_steady"]
    goals = {
        "pages/s ≥ 0.9 of the bare spider": all(r["ratio"] >= 0.9 for r in rows.values()),
        "politeness never broken (no gap under the delay at any portal)": all(
            r["most_connections"] <= 1 and r["short_gaps"] == 0 for r in rows.values()
        ),
        f"peak RSS < 1 GB at {largest} portals": rows[largest]["peak_rss_mb"] < 1024,
        f"CPU per article in the steady state flat (±20%) from {smallest} to {largest} portals": all(
            abs(r["cpu_ms_per_article_steady"] - base) <= 0.2 * base for r in rows.values()
        ),
    }
    startup_per_portal = (rows[largest]["startup_cpu_s"] - rows[smallest]["startup_cpu_s"]) / max(
        1, largest - smallest
    )
    shutdown_per_portal = (rows[largest]["shutdown_cpu_s"] - rows[smallest]["shutdown_cpu_s"]) / max(
        1, largest - smallest
    )
    return {
        "rows": rows,
        "goals": goals,
        "startup_cpu_s_per_portal": startup_per_portal,
        "shutdown_cpu_s_per_portal": shutdown_per_portal,
    }


def _seconds(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def markdown(result: dict) -> str:
    s = result["summary"]
    rows = [
        [
            n,
            f"{r['hepza_pages_per_s']:.1f}",
            f"{r['bare_pages_per_s']:.1f}",
            f"{r['ratio']:.2f}",
            r["most_connections"],
            _seconds(r["min_gap_s"]),
            f"{r['short_gaps']} ({r['short_gaps_when_sent']})",
            _seconds(r["bare_min_gap_s"]),
            r["bare_short_gaps"],
            f"{r['peak_rss_mb']:.0f}",
            f"{r['startup_cpu_s']:.1f}",
            f"{r['cpu_ms_per_article_steady']:.1f}",
            f"{r['shutdown_cpu_s']:.1f}",
            f"{r['cpu_ms_per_article_after_startup']:.1f}",
            f"{r['cpu_ms_per_article']:.1f}",
        ]
        for n, r in sorted(s["rows"].items(), key=lambda item: int(item[0]))
    ]
    goals = [[goal, "**met**" if ok else "**not met**"] for goal, ok in s["goals"].items()]
    per_portal = max(r["articles_per_portal"] for r in s["rows"].values())
    return "\n".join(
        [
            f"Replica portals of {per_portal:.0f} articles each (themes in turn: {', '.join(THEMES)}), each "
            "served by its own process; `hepza crawl --all` with a profile per portal (delay "
            f"{result['delay']} s, one request at a time) against a bare Scrapy spider fetching the same "
            "URLs with the same per-portal politeness (the delay counted from the end of the previous "
            f"response, as hepza counts it); {result['rounds']} alternating round(s) after an untimed "
            "warm-up (medians; the worst politeness and memory). Politeness is as the servers saw it "
            "(each request's arrival, monotonic clock): a gap under the delay between two requests to a "
            "portal counts as broken; in brackets, how many of hepza's were already under the delay "
            "between the crawler's sends (bench/farm_probe.py notes when each request starts its "
            "download), i.e. the crawler's doing rather than the machine's.",
            "",
            table(
                rows,
                [
                    "portals",
                    "hepza pages/s",
                    "bare pages/s",
                    "ratio",
                    "most connections to a portal",
                    "hepza's shortest gap (s)",
                    "hepza's gaps under the delay (sent so)",
                    "bare's shortest gap (s)",
                    "bare's gaps under the delay",
                    "peak RSS of the run (MB)",
                    "start-up CPU (s)",
                    "CPU ms per article, steady state",
                    "shut-down CPU (s)",
                    "CPU ms per article beyond start-up",
                    "CPU ms per article, whole run",
                ],
            ),
            "",
            "Where the CPU went, by stage and process (CPU s; the steady state also in ms per article):",
            "",
            table(_stage_rows(s["rows"]), _STAGE_HEADER),
            "",
            table(goals, ["goal", ""]),
            "",
            "What the figures hold: `hepza crawl --all` runs one Scrapy process with a crawler per portal "
            "and a fixed pool of two archive writer processes shared by every portal's run, so its peak RSS "
            "is the crawl's plus two writers'; the bare spider keeps nothing. The run's CPU is split in "
            f"stages (its processes sampled from /proc every {SAMPLE_EVERY_S} s, read in proportion between "
            "two samples; bench/farm_probe.py notes when each stage ends). The start-up is everything "
            "before the steady state: until every portal's archive run is open (its writer has imported "
            "the cleaners and answered its OpenRun) and the first request has been sent "
            f"({s['startup_cpu_s_per_portal'] * 1000:.0f} ms more for each portal added). The steady state "
            "runs to the last response: every article is fetched and archived in it, and every portal's "
            "run but the last few is finished in it too, so a cost that grows with the portals shows in "
            "its CPU per article, the goal's figure. The shut-down is the rest: the last runs' finish, "
            "then each portal's seal and alerts and the summaries, until the process has exited "
            f"({s['shutdown_cpu_s_per_portal'] * 1000:.0f} ms more for each portal added). The CPU per "
            "article beyond start-up (the figure of the goal before) holds the steady state and the "
            "shut-down; the whole-run figure falls as portals are added because the fixed costs are "
            "spread over more articles.",
        ]
    )


_STAGE_HEADER = [
    "portals",
    "start-up: wall s",
    "start-up: crawler",
    "start-up: writers",
    "steady: crawler (ms/article)",
    "steady: writers (ms/article)",
    "closing (last response → crawls over)",
    "after the crawls (seals, alerts, exit)",
]


def _stage_rows(rows: dict) -> list[list[object]]:
    out: list[list[object]] = []
    for n, r in sorted(rows.items(), key=lambda item: int(item[0])):
        st = r.get("stages")
        if not st:
            continue
        articles = r["articles_per_portal"] * int(n)
        out.append(
            [
                n,
                f"{st['seconds']['startup']:.1f}",
                f"{st['startup']['crawler']:.2f}",
                f"{st['startup']['writers']:.2f}",
                f"{st['steady']['crawler']:.1f} ({st['steady']['crawler'] / articles * 1000:.1f})",
                f"{st['steady']['writers']:.1f} ({st['steady']['writers'] / articles * 1000:.1f})",
                f"{st['closing']['total']:.2f}",
                f"{st['after']['total']:.2f}",
            ]
        )
    return out


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--portals", help="comma-separated portal counts (default 1,10,50; quick 1,10)")
    parser.add_argument("--articles", type=int, help="articles per portal (default 60: the corpus)")
    parser.add_argument(
        "--delay",
        type=float,
        help=f"the profiles' delay (default {DEFAULT_DELAY} s, the profiles' own; quick 0.25 s)",
    )
    parser.add_argument("--rounds", type=int, help="alternating rounds (default 1)")
    parser.add_argument(
        "--add",
        action="store_true",
        help="add these portal counts to the last run's (bench/results/farm.json, same settings)",
    )
    parser.add_argument(
        "--report",
        action="store_true",
        help="only summarise and print the last run (bench/results/farm.json)",
    )
    parser.add_argument("--timeline", type=Path, help="keep each hepza run's CPU samples and sends here")
    args = parser.parse_args(argv)
    global TIMELINE_DIR
    TIMELINE_DIR = args.timeline
    if args.report:
        result = json.loads((RESULTS_DIR / "farm.json").read_text(encoding="utf-8"))
        result["summary"] = summarise(result["farms"], result["delay"])
        save_results("farm", result)
        print(markdown(result))
        return result
    counts = [int(n) for n in (args.portals or ("1,10" if args.quick else "1,10,50")).split(",")]
    # (the replica's hand-written corpus is 63 articles: a smaller number gives the corpus)
    articles = args.articles or 60
    # The quick mode's delay: its two farms (1 and 10 portals, about 95 requests a portal, hepza's and the
    # bare spider's) wait on the delay, 0.5 s made them 229 s of a 694 s quick run; 0.25 s keeps 10 portals
    # at 40 requests a second, far from the CPU race of 50 portals at 0.2 s (docs/benchmarks.md, part 8).
    delay = args.delay if args.delay is not None else (0.25 if args.quick else DEFAULT_DELAY)
    rounds = args.rounds or 1
    farms = [measure_farm(n, articles, delay, rounds) for n in counts]
    result = {
        "machine": machine(),
        "articles_per_portal": articles,
        "delay": delay,
        "rounds": rounds,
        "farms": farms,
    }
    if args.add:
        last = json.loads((RESULTS_DIR / "farm.json").read_text(encoding="utf-8"))
        if (last["articles_per_portal"], last["delay"], last["rounds"]) != (articles, delay, rounds):
            raise SystemExit("--add: the last run had other settings (articles, delay, rounds)")
        kept = [f for f in last["farms"] if f["portals"] not in counts]
        result["farms"] = sorted(kept + farms, key=lambda f: f["portals"])
        result["machines"] = [*last.get("machines", [last["machine"]]), result["machine"]]
    result["summary"] = summarise(result["farms"], delay)
    save_results("farm", result)
    print(markdown(result))
    return result


if __name__ == "__main__":
    main()
