"""Per-page time of each tool measured in a process of its own, the tools' processes alternating.

Why not all tools in one process: they change each other's speed there. glibc's malloc serves a large
block (a decoded 78,000-character page is a 156 KB ``str``) with ``mmap`` below a threshold that it raises,
with its trim threshold, whenever a larger block is freed; the thresholds never come down. A tool that
allocates and frees large blocks over and over pays page faults until something raises them. trafilatura
raises them: while developing, after 100 trafilatura runs in the same process, htmldate went from about
1.55 to 1.3 ms a page and from about 90 minor page faults a page to none, while our extract + clean went
from 1.29 to 1.37 ms. Which tool came out ahead depended on what had run before it.

So every tool gets the same start here: a fresh process per tool and round, in an order that rotates from
round to round. The process loads the pages from a file, runs the tool on ``warm`` other pages (imports,
compiled patterns, first calls), then times one pass over the timed pages, each new to it, in CPU time.
The median round is kept, and the page faults per page are reported beside the time.

    python -m bench.isolated MODULE:FUNCTION PAGES_PICKLE   (the child side; run by time_isolated)
"""

from __future__ import annotations

import importlib
import json
import pickle
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence

from bench.common import ROOT, Page, loopback_only


def time_isolated(
    runners: dict[str, str], pages: Sequence[Page], warm: Sequence[Page], *, rounds: int
) -> dict[str, dict]:
    """{name: {cpu_ms, wall_ms, minflt, rounds_cpu_ms}}: per page, medians over `rounds` fresh processes
    per tool, and each round's CPU ms in round order.

    ``runners`` maps a name to the ``module:function`` that runs the tool on one :class:`Page`."""
    names = list(runners)
    samples: dict[str, list[dict]] = {name: [] for name in names}
    with tempfile.NamedTemporaryFile(prefix="hepza-bench-pages-", suffix=".pickle") as handle:
        pickle.dump({"pages": list(pages), "warm": list(warm)}, handle)
        handle.flush()
        for r in range(rounds):
            order = names[r % len(names) :] + names[: r % len(names)]
            for name in order:
                samples[name].append(_run_child(runners[name], handle.name))
    return {
        name: {
            key: statistics.median(sample[key] for sample in values)
            for key in ("cpu_ms", "wall_ms", "minflt")
        }
        | {"rounds_cpu_ms": [sample["cpu_ms"] for sample in values]}
        for name, values in samples.items()
    }


def rounds_faster(ours: list[float], peer: list[float]) -> str:
    """In how many rounds ours took less time than the peer, e.g. ``7/7``: the rounds are paired (each
    round times every tool once), so this says whether a median ratio is more than the machine's noise."""
    return f"{sum(o < p for o, p in zip(ours, peer, strict=True))}/{len(ours)}"


# Seven paired rounds all going one way happen by chance with p = 1/128 (a sign test); three, the quick
# mode's, with p = 1/8, which shows nothing.
MIN_ROUNDS_TO_JUDGE = 7


def faster_in_every_round(ours: list[float], peer: list[float]) -> bool:
    return bool(ours) and all(o < p for o, p in zip(ours, peer, strict=True))


def _run_child(spec: str, pages_path: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "bench.isolated", spec, pages_path],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if result.returncode != 0:
        raise RuntimeError(f"timing {spec} failed: {result.stderr.strip().splitlines()[-1:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _child(spec: str, pages_path: str) -> dict:
    loopback_only()
    module, _, function = spec.partition(":")
    run = getattr(importlib.import_module(module), function)
    with open(pages_path, "rb") as handle:
        data = pickle.load(handle)
    for page in data["warm"]:
        run(page)
    pages = data["pages"]
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    wall, cpu = time.perf_counter(), time.process_time()
    for page in pages:
        run(page)
    cpu = time.process_time() - cpu
    wall = time.perf_counter() - wall
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults
    n = max(1, len(pages))
    return {"cpu_ms": cpu * 1000 / n, "wall_ms": wall * 1000 / n, "minflt": faults / n}


if __name__ == "__main__":
    import warnings

    warnings.filterwarnings("ignore")
    print(json.dumps(_child(sys.argv[1], sys.argv[2])))
