"""Shared helpers of the benchmark scripts: machine and versions, pages from the replica, timing.

Benchmarks print figures; they assert nothing. Every comparison is measured side by side in one run
(interleaved rounds or alternating processes, medians), because this 2-core machine is shared and noisy:
ratios, not absolute times.
Nothing here talks to anything but 127.0.0.1.
"""

from __future__ import annotations

import http.client
import json
import os
import platform
import resource
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from archive.protocol import ArticlePage

ROOT = Path(__file__).resolve().parents[1]
RESULTS_DIR = ROOT / "bench" / "results"

PACKAGES = (
    "scrapy",
    "lxml",
    "parsel",
    "beautifulsoup4",
    "trafilatura",
    "htmldate",
    "newspaper4k",
    "zstandard",
    "sqlite-utils",
    "twisted",
)


def machine() -> dict:
    """What the figures were measured on."""
    import sqlite3

    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    versions["python"] = platform.python_version()
    versions["sqlite"] = sqlite3.sqlite_version
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "loadavg_at_start": os.getloadavg(),
        "platform": platform.platform(),
        "versions": versions,
    }


@dataclass
class Page:
    """One fetched article page of the replica, with the gold record of its article."""

    url: str
    body: bytes
    charset: str | None
    gold: dict
    locale: str


def writer_message(page: Page) -> ArticlePage:
    """What the crawler sends the archive writer (``archive.writer``) for a fetched article page."""
    from archive.captures import Capture
    from archive.protocol import ArticlePage

    capture = Capture(
        url=page.url,
        status=200,
        body=page.body,
        fetched_at="2026-02-11T00:00:00+00:00",
        headers={"Content-Type": "text/html;charset=UTF-8"},
    )
    return ArticlePage(capture, (page.url,), None, {}, page.charset)


def fetch_pages(server_url: str, gold: list[dict], locales: Iterable[str] = ("vi",)) -> list[Page]:
    """GET every gold article's page over one keep-alive loopback connection (bounded: one GET each)."""
    parts = urlsplit(server_url)
    assert parts.hostname == "127.0.0.1", "benchmarks only talk to loopback"
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    pages = []
    try:
        for record in gold:
            for locale in locales:
                path = ("/en" if locale == "en" else "") + record["url"]
                conn.request("GET", path)
                response = conn.getresponse()
                body = response.read()
                if response.status != 200:
                    raise RuntimeError(f"{path}: HTTP {response.status}")
                charset = response.headers.get_content_charset()
                pages.append(Page(server_url + path, body, charset, record, locale))
    finally:
        conn.close()
    return pages


def render_pages(
    site, gold: list[dict], locale: str = "vi", base: str = "http://127.0.0.1:8000"
) -> list[Page]:
    """The same pages without sockets (replica.app.handle), for building big archives quickly."""
    from replica import app

    pages = []
    host = urlsplit(base).netloc
    for record in gold:
        path = ("/en" if locale == "en" else "") + record["url"]
        status, headers, body = app.handle(site, "GET", path, {"host": host})
        if status != 200:
            raise RuntimeError(f"{path}: HTTP {status}")
        pages.append(Page(base + path, body, "utf-8", record, locale))
    return pages


def save_results(name: str, data: dict) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{name}.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    return path


def table(rows: list[list[object]], header: list[str]) -> str:
    """A Markdown table."""

    def cell(v: object) -> str:
        if isinstance(v, float):
            return f"{v:.3g}" if abs(v) < 100 else f"{v:.0f}"
        return str(v)

    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def log(*args: object) -> None:
    print(*args, file=sys.stderr, flush=True)


def loopback_only() -> None:
    """Refuse, in this process, any connection to an address other than loopback (the peers' libraries
    must not reach the network: tldextract would fetch the public suffix list, for one), and give
    tldextract its bundled suffix list so it never tries."""
    import socket

    original = socket.socket.connect

    def connect(self, address):  # type: ignore[no-untyped-def]
        host = address[0] if isinstance(address, tuple) else address
        if (
            isinstance(host, str)
            and not (host.startswith("127.") or host in ("::1", "localhost"))
            and self.family in (socket.AF_INET, socket.AF_INET6)
        ):
            raise ConnectionRefusedError(f"benchmarks only talk to loopback, not {host}")
        return original(self, address)

    socket.socket.connect = connect  # type: ignore[method-assign]
    try:
        import tldextract.tldextract as tld

        tld.TLD_EXTRACTOR = tld.TLDExtract(suffix_list_urls=())
    except ImportError:
        pass


def workdir(prefix: str = "hepza-bench-") -> str:
    """A temporary folder removed when the process exits (a 100,000-article archive is 1.4 GB)."""
    import atexit
    import shutil
    import tempfile

    path = tempfile.mkdtemp(prefix=prefix)
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


def start_static_server(
    articles: int, portal: str = "hepza", module: str = "bench.static_server"
) -> tuple[subprocess.Popen, int]:
    """bench/static_server.py (or ``module``, one built on it) in a process of its own (its own core):
    (the process, its port)."""
    process = subprocess.Popen(
        [sys.executable, "-m", module, "--articles", str(articles), "--portal", portal],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    line = process.stdout.readline() if process.stdout else ""
    if not line.startswith("port "):
        process.kill()
        raise RuntimeError(f"the static server of {portal} did not start")
    return process, int(line.split()[1])


def run_measured(command: list[str], env: dict | None = None, sample_rss: bool = False) -> dict:
    """Run a command to completion: wall s, CPU s (it and every process it waited for, from the kernel's
    accounting), its stdout, and with ``sample_rss`` the peak resident memory of it and all its
    descendants, summed (sampled from /proc every 0.1 s)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    peak = [0.0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.1):
            peak[0] = max(peak[0], tree_rss_mb(process.pid))

    if sample_rss:
        threading.Thread(target=sample, daemon=True).start()
    out, err = process.communicate(timeout=7200)
    done.set()
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode != 0:
        raise RuntimeError(f"{command[:4]} exited {process.returncode}: {err[-2000:]}")
    return {
        "wall_s": wall,
        "cpu_s": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
        "peak_rss_mb": peak[0],
        "stdout": out,
    }


def _process_tree(root_pid: int) -> list[tuple[int, list[str]]]:
    """(pid, the fields of /proc/PID/stat after the name) of a process and all its live descendants. Of the
    fields: 1 is the parent's pid, 11-12 the process's user and system time, 13-14 those of the children
    it has waited for (clock ticks), 21 its resident pages."""
    children: dict[int, list[int]] = {}
    stats: dict[int, list[str]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry.name)
        children.setdefault(int(fields[1]), []).append(pid)
        stats[pid] = fields
    tree, stack = [], [root_pid]
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, []))
        if pid in stats:
            tree.append((pid, stats[pid]))
    return tree


def tree_rss_mb(root_pid: int) -> float:
    """The resident memory of a process and all its descendants, summed (from /proc)."""
    pages = sum(int(fields[21]) for _pid, fields in _process_tree(root_pid))
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def tree_cpu_by_role(
    root_pid: int, role_of: Callable[[int, list[str]], str]
) -> tuple[float, dict[str, float]]:
    """(resident MB, {role: CPU seconds}) of a process and all its live descendants (from /proc), each
    process's own user + system time under ``role_of(pid, its command line)``; the CPU of children that
    have exited and been waited for can no longer be told apart, and goes under the role "ended"."""
    tick, page = os.sysconf("SC_CLK_TCK"), os.sysconf("SC_PAGE_SIZE")
    pages, cpu = 0, {"ended": 0.0}
    for pid, fields in _process_tree(root_pid):
        try:
            command = (Path("/proc") / str(pid) / "cmdline").read_bytes().decode(errors="replace").split("\0")
        except OSError:
            command = []
        role = role_of(pid, command)
        cpu[role] = cpu.get(role, 0.0) + (int(fields[11]) + int(fields[12])) / tick
        cpu["ended"] += (int(fields[13]) + int(fields[14])) / tick
        pages += int(fields[21])
    return pages * page / 2**20, cpu
