"""CPU and wall time of the test suite, tier by tier: `python -m bench.test_time [-n 4] [TIER…]`.

Each tier runs as its own `pytest -m TIER` (xdist workers as given); its CPU is the user + system time of
that pytest and everything it waited for (workers, `hepza` processes, the test zygote and its children,
the writer processes): load-independent enough to compare two trees on a shared machine, where wall time
is not. `TEST_ZYGOTE=off` in the environment measures the suite without the zygote (tests/zygote.py).
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TIERS = ("unit", "saved_pages", "replica", "e2e", "reliability", "browser")


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_tier(tier: str, workers: int) -> tuple[float, float, int]:
    """(CPU seconds, wall seconds, pytest's exit code) of one tier."""
    argv = [sys.executable, "-m", "pytest", "-q", "-m", tier, "-n", str(workers)]
    if workers:
        argv += ["--dist", "worksteal"]
    cpu, started = children_cpu(), time.monotonic()
    code = subprocess.run(argv, cwd=ROOT, stdout=subprocess.DEVNULL).returncode
    return children_cpu() - cpu, time.monotonic() - started, code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=4, help="xdist workers per tier (0: none)")
    parser.add_argument("tiers", nargs="*", default=list(TIERS), help=f"of {', '.join(TIERS)} (all)")
    options = parser.parse_args()
    unknown = set(options.tiers) - set(TIERS)
    if unknown:
        parser.error(f"no such tier: {', '.join(sorted(unknown))}")
    print(f"{'tier':<12} {'CPU s':>8} {'wall s':>8}  exit")
    total_cpu = total_wall = 0.0
    for tier in options.tiers:
        cpu, wall, code = run_tier(tier, options.n)
        total_cpu += cpu
        total_wall += wall
        print(f"{tier:<12} {cpu:8.1f} {wall:8.1f}  {code}", flush=True)
    print(f"{'total':<12} {total_cpu:8.1f} {total_wall:8.1f}")


if __name__ == "__main__":
    main()
