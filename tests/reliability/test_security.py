"""Security under hostile input: sanitised bodies, the origin lock, no listening ports, bounded responses,
safe attachment names, parameterised SQL, loopback-only browsing."""

from __future__ import annotations

import ast
import html
import inspect
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from replica import Site, serve
from replica.faults import ARTICLES, HOME, LISTS, Faults, Rule
from tests.reliability.conftest import (
    FAST,
    ROOT,
    assert_sound,
    crawl,
    crawl_argv,
    popen_hepza,
    rows,
    run_errors,
    snapshot,
)

XSS = [
    "<script>alert('xss-script')</script>",
    "<img src=x onerror=\"alert('xss-onerror')\">",
    "<a href=\"javascript:alert('xss-js')\">j</a>",
    '<a href="JaVaScRiPt:alert(1)">J</a>',
    '<a href="&#106;avascript:alert(1)">e</a>',
    '<a href=" javascript:alert(1)">s</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">d</a>',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    "<svg onload=\"alert('xss-svg')\"><circle r=1></circle></svg>",
    "<iframe src=\"javascript:alert('xss-iframe')\"></iframe>",
    '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
    '<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)">',
    '<p style="background:url(javascript:alert(1))" onclick="alert(1)">styled</p>',
    '<math><mi xlink:href="javascript:alert(1)">m</mi></math>',
    '<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">b</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)"><base href="javascript:/">',
    '<style>body{background:url(javascript:alert(1))}</style><link rel=stylesheet href="javascript:1">',
    '<details open ontoggle="alert(1)">d</details><video><source onerror="alert(1)"></video>',
    '<a href="vbscript:msgbox(1)">v</a><img src="file:///etc/passwd">',
]
MARKER = "Đoạn kiểm tra an toàn nội dung"
_FORBIDDEN = re.compile(
    r"<\s*(script|iframe|svg|object|embed|style|form|meta|base|link|math|details|video|source|button)\b"
    r"|\bon[a-z]+\s*=|javascript:|vbscript:|data:|file:|srcdoc|formaction|style\s*=",
    re.IGNORECASE,
)


def test_xss_payloads_in_a_body_never_reach_body_html(tmp_path):
    db = tmp_path / "x.db"
    payload = f"<p>{MARKER}</p>" + "".join(XSS)
    with serve(Site()) as server:
        server.faults = Faults(
            Rule("inject", match=ARTICLES, after=r'data-lfr-editable-type="rich-text">', html=payload)
        )
        summary = crawl(server.url, db)
    assert summary["returncode"] == 0, summary
    assert_sound(db)
    bodies = rows(db, "SELECT asset_id, body_html FROM articles")
    assert len(bodies) == 63
    for row in bodies:
        assert MARKER in row["body_html"], row["asset_id"]  # the payload reached the stored body
        for text in (row["body_html"], html.unescape(row["body_html"])):
            found = _FORBIDDEN.search(text)
            assert found is None, (
                row["asset_id"],
                found and text[max(0, found.start() - 80) : found.end() + 80],
            )


# --- the origin lock, through real crawls ---------------------------------------------------------------


@pytest.fixture
def other_host():
    """A second server on another 127.0.0.1 port: the "other host" that must never be asked anything."""
    with serve(Site()) as other:
        yield other


def test_offsite_redirects_are_refused_recorded_and_never_followed(server, baseline, primed, other_host):
    server.faults = Faults(
        Rule("redirect", match=ARTICLES, rate=0.2, location=other_host.url + "{path}"),
        Rule("redirect", match=ARTICLES, rate=0.3, location="http://[::1]:9{path}"),
        Rule("redirect", match=ARTICLES, rate=0.4, location="http://localhost:1{path}"),
        Rule("redirect", match=ARTICLES, rate=0.45, location="file:///etc/passwd"),
        Rule("redirect", match=ARTICLES, rate=0.5, location="ftp://127.0.0.1:21{path}"),
    )
    summary = crawl(server.url, primed, "--full")
    assert other_host.request_count == 0
    assert summary["returncode"] == 1, summary
    errors = run_errors(primed, summary["run_id"])
    offsite = [e for e in errors if e["kind"] == "offsite"]
    assert summary["offsite_refused"] == len(offsite) > 0
    assert {e["kind"] for e in errors} <= {
        "offsite",
        "http-error",
    }  # a redirect to file:/ftp: is not followed
    assert {e["status"] for e in errors if e["kind"] == "http-error"} == {301}
    assert snapshot(primed)["articles"] == baseline["articles"]
    assert_sound(primed)


def test_links_to_other_origins_are_never_fetched(server, baseline, tmp_path, other_host):
    port = other_host.server_address[1]
    links = [
        f"{other_host.url}/w/bai-o-may-khac",
        f"{other_host.url}/tin-tuc-su-kien",
        f"http://[::1]:{port}/w/ipv6",
        f"http://localhost:{port}/w/localhost",
        f"http://127.0.0.2:{port}/w/x",
        f"http://2130706433:{port}/w/decimal-ip",
        "file:///etc/passwd",
        "file:///w/local-file",
        f"ftp://127.0.0.1:{port}/w/ftp",
        "gopher://127.0.0.1/w/g",
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        f"//127.0.0.1:{port}/w/scheme-relative",
        f"https://127.0.0.1:{port}/w/https-other-port",
    ]
    nav = "<nav>" + "".join(f'<a href="{html.escape(u)}">x</a>' for u in links) + "</nav>"
    db = tmp_path / "x.db"
    server.faults = Faults(Rule("inject", match=HOME, html=nav), Rule("inject", match=LISTS, html=nav))
    summary = crawl(server.url, db)
    assert other_host.request_count == 0
    assert snapshot(db)["articles"] == baseline["articles"]
    # Links off the origin are refused before any request: counted and logged, not failures of the run
    # (a portal may well link to other sites' articles). ftp://, gopher://, file:, javascript: and data:
    # links are never moved onto the origin either.
    assert run_errors(db, summary["run_id"]) == []
    article_or_list_links = [u for u in links if "/w/" in u or "tin-tuc" in u]
    assert summary["offsite_refused"] >= len(article_or_list_links) - 2, summary  # file:/// ones have no host
    assert summary["returncode"] == 0


# --- no listening port ----------------------------------------------------------------------------------


def _socket_inodes(pid: int) -> set[str]:
    inodes = set()
    fd_dir = Path(f"/proc/{pid}/fd")
    for fd in fd_dir.iterdir():
        try:
            target = fd.readlink().as_posix()
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    return inodes


def _listening_inodes() -> dict[str, str]:
    """inode → local address of every TCP socket in LISTEN state (/proc/net/tcp and tcp6)."""
    found = {}
    for name in ("tcp", "tcp6"):
        path = Path(f"/proc/net/{name}")
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A":  # TCP_LISTEN
                found[fields[9]] = fields[1]
    return found


def listening_ports_of(pid: int) -> list[str]:
    listening = _listening_inodes()
    return [listening[i] for i in _socket_inodes(pid) if i in listening]


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="needs Linux /proc")
def test_a_crawl_opens_no_listening_port(tmp_path):
    import os

    before = set(listening_ports_of(os.getpid()))  # other tests' servers may still be up in this process
    db = tmp_path / "x.db"
    with serve(Site()) as server:
        assert len(set(listening_ports_of(os.getpid())) - before) == 1  # the probe sees the replica's socket
        server.faults = Faults(Rule("drip", match=ARTICLES, rate=0.3, chunk=8192, interval=0.15))
        process = popen_hepza(*crawl_argv(server.url, db))
        samples, deadline = 0, time.monotonic() + 60
        try:
            # Between fork and exec the child still holds our descriptors (the replica's listening socket):
            # sample only once the crawl runs (it holds the archive's lock).
            while not Path(f"{db}.lock").exists() and time.monotonic() < deadline and process.poll() is None:
                time.sleep(0.02)
            while process.poll() is None and time.monotonic() < deadline:
                try:
                    ports = listening_ports_of(process.pid)
                except FileNotFoundError:
                    break
                assert ports == [], f"the crawl listens on {ports}"
                samples += 1
                time.sleep(0.05)
        finally:
            out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert samples >= 10


def test_scrapy_control_servers_are_off():
    from scraper.run import crawl_settings

    settings = crawl_settings({"HEPZA_SITE_URL": "http://127.0.0.1:1"})
    assert settings.getbool("TELNETCONSOLE_ENABLED") is False
    assert settings.getbool("REMOTE_CONTROL_ENABLED") is False
    assert 0 < settings.getint("DOWNLOAD_MAXSIZE") <= 16 * 1024 * 1024
    assert settings.getint("DOWNLOAD_WARNSIZE") <= settings.getint("DOWNLOAD_MAXSIZE")


# --- size caps (the crawls are in test_faults.py: 20MB-page, gzip-bomb) ---------------------------------


def hepza_env_run(argv: list[str]) -> str:
    """Run a command with the tests' crawl environment; its stdout."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("HEPZA_")} | FAST
    return subprocess.run(
        argv, capture_output=True, text=True, timeout=180, cwd=ROOT, env=environment, check=True
    ).stdout


def test_gzip_bomb_is_cut_at_the_size_cap_without_inflating_it(tmp_path):
    """The decompression cap stops inflating at DOWNLOAD_MAXSIZE: a 1 GiB bomb costs the crawler little."""
    db = tmp_path / "x.db"
    # The crawl runs under a small parent of its own, so the peak RSS read is the crawl's alone (pytest's
    # RUSAGE_CHILDREN would also count earlier children, such as the browser tests' Chromium).
    measure = (
        "import json, resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, "
        "stderr=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    with serve(Site()) as server:
        server.faults = Faults(Rule("gzip_bomb", match=ARTICLES, rate=0.1, size=1 << 30))
        argv = [sys.executable, "-m", "archive.cli", *crawl_argv(server.url, db)]
        peak = hepza_env_run([sys.executable, "-c", measure, *argv])
    summary = rows(db, "SELECT * FROM crawl_runs")[0]
    assert summary["exit_code"] == 1
    errors = run_errors(db, summary["id"])
    assert errors and {e["kind"] for e in errors} == {"IgnoreRequest"}
    assert any("DOWNLOAD_MAXSIZE" in e["message"] or "maxsize" in e["message"].lower() for e in errors), (
        errors
    )
    peak_kib = int(peak.strip())
    assert peak_kib < 400 * 1024, peak_kib


# --- attachment names -----------------------------------------------------------------------------------


def test_attachment_names_cannot_escape_the_archive_folder():
    files = pytest.importorskip("archive.files")
    hostile = [
        "http://h/documents/1/2/..%2F..%2F..%2Fetc%2Fpasswd.pdf/uuid",
        "http://h/documents/1/2/..\\..\\win.ini.doc/uuid",
        "http://h/documents/1/2/%2e%2e/uuid",
        "http://h/documents/1/2/%00evil.pdf/uuid",
        "http://h/documents/1/2/.bashrc.pdf/uuid",
        "http://h/documents/1/2/" + "a" * 400 + ".pdf/uuid",
        "http://h/",
        "http://h/..",
        "http://h/documents/1/2/con.pdf/uuid",
        "http://h/documents/1/2/~%2F.ssh%2Fid_rsa.docx/uuid",
        "http://h/documents/1/2/%2Fabs%2Fpath.pdf/uuid",
        "http://h/documents/1/2/a%0Ab.pdf/uuid",
    ]
    for url in hostile:
        _assert_safe(files.safe_name(url), url)


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=0, max_size=80))
def test_any_attachment_url_gives_a_safe_name(segment):
    files = pytest.importorskip("archive.files")
    from urllib.parse import quote

    _assert_safe(files.safe_name(f"http://h/documents/1/2/{quote(segment, safe='')}.pdf/uuid"), segment)
    _assert_safe(files.safe_name(f"http://h/documents/1/2/{quote(segment, safe='/')}"), segment)


def _assert_safe(name: str, source: str) -> None:
    assert name and name not in (".", ".."), source
    assert "/" not in name and "\\" not in name and "\x00" not in name, (source, name)
    assert not name.startswith("."), (source, name)
    assert len(name.encode("utf-8")) <= 255, (source, name)
    base = Path("/srv/archive.files/ab")
    assert (base / name).resolve().parent == base.resolve(), (source, name)


# --- SQL is parameterised -------------------------------------------------------------------------------

_SQL = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|WHERE|VALUES|CREATE|DROP|ALTER|PRAGMA|ATTACH)\b")
# Every interpolation into SQL text, reviewed: each names columns or tables from constants in the code,
# never a value. (file, expression as ast.unparse prints it): why it is safe.
REVIEWED = {
    ("archive/check.py", "', '.join(fields)"): "names from the constant CONTENT_FIELDS that the table has",
    ("archive/schema.py", "table"): "names from the _APPEND_ONLY constant (triggers)",
    ("archive/schema.py", "action"): "'UPDATE' / 'DELETE' literals (triggers)",
    ("archive/schema.py", "action.lower()"): "'update' / 'delete' literals (trigger names)",
    ("archive/articles.py", "', '.join(values)"): "column names: keys of a dict literal built in the method",
    ("archive/articles.py", "', '.join(('?' for _ in values))"): "placeholders only",
    ("archive/articles.py", "', '.join((f'{k} = ?' for k in values))"): "column names from dict literals",
    (
        "archive/reading.py",
        "f\" WHERE {' AND '.join(where)}\" if where else ''",
    ): "conditions: string literals",
    ("archive/reading.py", "' AND '.join(where)"): "conditions: string literals in article_rows",
    ("archive/alerts/events.py", "where"): "conditions: the two literals of delivery.due_messages",
    ("archive/schema.py", "versions"): "the literal condition _ALERTS_QUEUE_RUN on NEW.run_id (trigger)",
    ("archive/schema.py", "running"): "the literal condition _ALERTS_QUEUE_RUN on _ALERTS_RUNNING (trigger)",
    ("archive/schema.py", "_ALERTS_RUNNING"): "a literal subquery: the running crawl's id (trigger)",
    ("archive/schema.py", "document_before"): "a literal subquery: the file's previous content (trigger)",
    ("archive/schema.py", "_MIGRATIONS_TABLE"): "sqlite-utils' own table name, a constant",
    ("archive/schema.py", "removals"): "the literal condition _ALERTS_QUEUE_RUN on NEW.missing_run_id",
    ("archive/cli.py", "db"): "a printed hint for the user (sqlite3 command line), never executed",
    ("archive/capture_store.py", "', '.join(row)"): "the column names of the row dict built in the code",
    ("archive/capture_store.py", "', '.join((':' + name for name in row))"): "named parameters of those",
    ("archive/capture_store.py", "', '.join((':' + n for n in row))"): "named parameters of those",
    ("archive/evidence/ledger.py", "table"): "a key of the ROW_COLUMNS constant (ledgered tables)",
    ("archive/evidence/ledger.py", "time_column"): "a literal column of the backfill's table list",
    ("archive/evidence/ledger.py", "limit"): "'' or the literal ' AND idx < ?' (its value a parameter)",
    ("archive/evidence/proof.py", "', '.join(fields)"): "CONTENT_FIELDS names present in the table",
    ("archive/evidence/verify.py", "table"): "a key of ledger.ROW_COLUMNS (ledgered tables)",
    ("archive/schema.py", "_SIGNIFICANCE_COLUMNS"): "a literal column list, a constant",
    ("archive/searching.py", "columns"): "'' or a literal column list",
    ("archive/changefeed.py", "where"): "'' or a literal condition whose value is a ? parameter",
    ("archive/changefeed.py", "table"): "the literal table name of _columns' one caller",
    ("archive/changefeed.py", "self._COLUMNS"): "the literal column list _Articles._COLUMNS",
    ("archive/changefeed.py", "columns"): "_CONTENT, a literal column list (less links on an old archive)",
}


def sql_interpolations(base: Path = ROOT) -> list[tuple[str, int, str]]:
    """(file, line, expression) of every value put into SQL text by f-string, %, + or .format()."""
    found = []
    for root in ("archive", "scraper", "pipelines"):
        for path in sorted((base / root).rglob("*.py")):
            relative = path.relative_to(base).as_posix()
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.JoinedStr):
                    literal = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
                    if _SQL.search(literal):
                        found += [
                            (relative, node.lineno, ast.unparse(v.value))
                            for v in node.values
                            if isinstance(v, ast.FormattedValue)
                        ]
                elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mod, ast.Add)):
                    for side, other in ((node.left, node.right), (node.right, node.left)):
                        if (
                            isinstance(side, ast.Constant)
                            and isinstance(side.value, str)
                            and _SQL.search(side.value)
                            and not (isinstance(other, ast.Constant) or _is_reviewed_str(other))
                        ):
                            found.append((relative, node.lineno, ast.unparse(other)))
                elif (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "format"
                    and isinstance(node.func.value, ast.Constant)
                    and isinstance(node.func.value.value, str)
                    and _SQL.search(node.func.value.value)
                ):
                    found.append(
                        (relative, node.lineno, ".format(" + ", ".join(map(ast.unparse, node.args)) + ")")
                    )
    return found


def _is_reviewed_str(node) -> bool:
    """A string built only from literals and reviewed f-strings (``"a" + f"{col} = ?"``)."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.JoinedStr):
        return True  # its own interpolations are checked where ast.walk meets it
    if isinstance(node, ast.Call) and ast.unparse(node.func) == "', '.join":
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _is_reviewed_str(node.left) and _is_reviewed_str(node.right)
    if isinstance(node, ast.IfExp):  # ("a" if flag else "b"): either literal
        return _is_reviewed_str(node.body) and _is_reviewed_str(node.orelse)
    return False


def test_every_sql_statement_is_parameterised():
    offenders = [f"{f}:{line}: {expr}" for f, line, expr in sql_interpolations() if (f, expr) not in REVIEWED]
    assert offenders == [], "values interpolated into SQL text (use ? parameters):\n" + "\n".join(offenders)


def test_the_sql_scan_catches_an_interpolated_value(tmp_path):
    bad = tmp_path / "archive"
    bad.mkdir()
    (bad / "bad.py").write_text(
        "def f(db, url, n):\n"
        "    db.execute(f\"SELECT * FROM articles WHERE url = '{url}'\")\n"
        '    db.execute("DELETE FROM articles WHERE id = %s" % n)\n'
        '    db.execute("SELECT * FROM t WHERE a = " + url)\n'
        '    db.execute("UPDATE t SET a = {}".format(url))\n'
    )
    assert [line for _, line, _ in sql_interpolations(tmp_path)] == [2, 3, 4, 5]


# --- browsing stays on loopback -------------------------------------------------------------------------


def test_datasette_binds_to_loopback_unless_told_otherwise(monkeypatch, baseline):
    import uvicorn
    from click.testing import CliRunner

    from archive import browse, cli

    assert inspect.signature(browse.run_datasette).parameters["host"].default == "127.0.0.1"
    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append(kw))
    assert browse.run_datasette(str(baseline["db"]), port=0) == 0
    assert calls and calls[-1]["host"] == "127.0.0.1"
    host = next(p for p in cli.main.commands["serve"].params if p.name == "host")
    assert host.default == "127.0.0.1"
    assert CliRunner().invoke(cli.main, ["serve", "--help"]).exit_code == 0


def test_replica_and_fault_servers_bind_loopback_only():
    from replica import server as replica_server

    assert replica_server.HOST == "127.0.0.1"
    with serve(Site()) as running:
        assert running.server_address[0] == "127.0.0.1"
        assert threading.active_count() >= 2
