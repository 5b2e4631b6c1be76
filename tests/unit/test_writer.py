"""The archive writer (archive/writer.py): its frames, its work on items, and its life as a child process."""

from __future__ import annotations

import io
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import archive.writer as writer_module
from archive.captures import Capture
from archive.protocol import (
    ArticlePage,
    Done,
    Error,
    FetchOutcome,
    FileLinks,
    FinishRun,
    FrameDecoder,
    Opened,
    OpenRun,
    Routed,
    RunSummary,
    WriterConfig,
    encode,
    write_frame,
)
from archive.writer import ArchiveWriter, FrameReader, serve

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "tests" / "files" / "hepza_article_seed.html"
URL = "http://127.0.0.1:8000/w/hoi-nghi"


def config(db: Path) -> WriterConfig:
    return WriterConfig(db_path=str(db), site_url="http://127.0.0.1:8000")


def article_message(url: str = URL) -> ArticlePage:
    body = SEED.read_bytes()
    capture = Capture(url=url, status=200, body=body, fetched_at="2026-11-25T00:00:00+00:00")
    return ArticlePage(capture, (url,), "tin-tuc", {}, "utf-8")


def query(db: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


@pytest.mark.parametrize("chunk", [1, 3, 4, 7, 1000, 10**6])
def test_frames_survive_any_split_of_the_stream(chunk):
    capture = Capture(url=URL, status=200, body=b"\x00" * 70_000, fetched_at="2026-11-25T00:00:00+00:00")
    messages = [OpenRun(config(Path("a.db"))), Done("new", 0), ArticlePage(capture, (URL,), "Đảng ủy")]
    stream = b"".join(encode(m) for m in messages)
    decoder, out = FrameDecoder(), []
    for start in range(0, len(stream), chunk):
        out.extend(decoder.feed(stream[start : start + chunk]))
    assert out == messages


def test_a_torn_frame_reads_as_the_end():
    buffer = io.BytesIO()
    write_frame(buffer, Done("new", 0))
    whole = buffer.getvalue()
    assert FrameReader(io.BytesIO(whole)).next() == Done("new", 0)
    assert FrameReader(io.BytesIO(whole[:-1])).next() is None
    assert FrameReader(io.BytesIO(whole[:2])).next() is None
    assert FrameReader(io.BytesIO(b"")).next() is None


def test_the_writer_archives_an_article_and_finishes_the_run(tmp_path):
    db = tmp_path / "a.db"
    writer = ArchiveWriter(config(db))
    assert writer.handle(article_message()) == Done("new", 0, FileLinks())  # the seed links no file
    done = writer.handle(article_message())
    assert (done.status, done.errors) == ("unchanged", 0)
    assert writer.handle(FetchOutcome(URL + "-x", "http-error", 500, "HTTP 500")) == Done(None, 1, None)
    summary = writer.finish(3, 0, "finished")
    assert (summary["new"], summary["unchanged"], summary["errors"], summary["exit_code"]) == (1, 1, 1, 1)
    assert query(db, "SELECT title, authors FROM articles") == [
        (
            "Hội nghị sơ kết công tác xây dựng Đảng quý I và triển khai phương hướng, nhiệm vụ quý II/2022",
            '["Minh Trí"]',
        )
    ]
    assert query(db, "SELECT status, exit_code, requests FROM crawl_runs") == [("failed-pages", 1, 3)]


def test_a_page_the_archive_refuses_is_counted_not_lost(tmp_path, monkeypatch):
    writer = ArchiveWriter(config(tmp_path / "a.db"))

    def disk_full(item):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writer.ledger, "outcome", disk_full)
    assert writer.handle(FetchOutcome("http://127.0.0.1:1/w/a", "gone", 404, "")) == Done("error", 1, None)
    summary = writer.finish(1, 0, "finished")
    assert summary["errors"] == 1 and summary["exit_code"] != 0
    assert summary["failed_urls"] == ["http://127.0.0.1:1/w/a"]
    assert query(tmp_path / "a.db", "SELECT kind, url FROM crawl_errors") == [
        ("archive-error", "http://127.0.0.1:1/w/a")
    ]


@pytest.mark.parametrize(
    "step, error, kind",
    [
        ("extract_page", ValueError("lxml choked"), "extract-error"),
        ("clean_article", RecursionError("maximum recursion depth exceeded"), "clean-error"),
    ],
)
def test_an_extractor_or_cleaner_that_raises_is_a_recorded_failure_of_that_page(
    tmp_path, monkeypatch, step, error, kind
):
    def raising(*args, **kwargs):
        raise error

    monkeypatch.setattr(writer_module, step, raising)
    writer = ArchiveWriter(config(tmp_path / "a.db"))
    assert writer.handle(article_message()) == Done("error", 1, None)
    writer.finish(1, 0, "finished")
    assert query(tmp_path / "a.db", "SELECT kind, url, message FROM crawl_errors") == [
        (kind, URL, f"{type(error).__name__}: {error}")
    ]
    assert query(tmp_path / "a.db", "SELECT count(*) FROM articles") == [(0,)]


def test_an_article_page_answers_with_its_attachment_links(tmp_path):
    from replica import Site, app

    site = Site()
    for record in site.gold():
        status, _, body = app.handle(site, "GET", record["url"], {"host": "127.0.0.1:8000"})
        if b".pdf" in body:
            break
    url = "http://127.0.0.1:8000" + record["url"]
    capture = Capture(url=url, status=200, body=body, fetched_at="2026-11-25T00:00:00+00:00")
    writer = ArchiveWriter(config(tmp_path / "a.db"))
    done = writer.handle(ArticlePage(capture, (url,), None, {}, "utf-8"))
    writer.finish(1, 0, "finished")
    assert done.status == "new" and done.links is not None
    attachments, images = done.links.attachments, done.links.images
    assert attachments and all(a.startswith("http://127.0.0.1:8000/") for a in attachments)
    assert any(".pdf" in a for a in attachments)
    assert not any(".pdf" in i for i in images)


def test_the_protocol_from_open_to_summary(tmp_path):
    inp = io.BytesIO(
        b"".join(
            encode(m)
            for m in (OpenRun(config(tmp_path / "a.db")), article_message(), FinishRun(1, 0, "finished"))
        )
    )
    out = io.BytesIO()
    assert serve(inp, out) == 0
    decoder = FrameDecoder()
    replies = list(decoder.feed(out.getvalue()))
    assert replies[0] == Opened(1)
    assert replies[1] == Done("new", 0, FileLinks())
    summary = replies[2]
    assert isinstance(summary, RunSummary)
    assert summary.summary["new"] == 1 and summary.summary["exit_code"] == 0


def test_an_archive_that_cannot_be_opened_is_a_one_line_error(tmp_path):
    out = io.BytesIO()
    inp = io.BytesIO(encode(OpenRun(config(tmp_path / "no-such-dir" / "a.db"))))
    assert serve(inp, out) == 1
    (reply,) = FrameDecoder().feed(out.getvalue())
    assert isinstance(reply, Error)
    assert reply.message.startswith("cannot open the archive: ") and "\n" not in reply.message


def _replies_by_channel(stream: bytes) -> dict[int, list]:
    replies: dict[int, list] = {}
    for frame in FrameDecoder().feed(stream):
        assert isinstance(frame, Routed), frame  # (asked on channels, the writer answers on them)
        replies.setdefault(frame.channel, []).append(frame.message)
    return replies


def test_one_writer_serves_several_runs_each_in_its_own_archive(tmp_path):
    pages = _pages(6)
    a, b = pages[:3], pages[3:]
    # Two runs interleaved item by item, a third whose archive cannot be opened, on one writer.
    frames = [
        Routed(1, OpenRun(config(tmp_path / "a.db"))),
        Routed(2, OpenRun(config(tmp_path / "b.db"))),
        Routed(3, OpenRun(config(tmp_path / "no-such-dir" / "c.db"))),
    ]
    for page_a, page_b in zip(a, b, strict=True):
        frames += [Routed(2, page_b), Routed(1, page_a)]
    frames += [Routed(1, FinishRun(3, 0, "finished")), Routed(2, FinishRun(4, 1, "finished"))]
    out = io.BytesIO()
    assert serve(io.BytesIO(b"".join(encode(f) for f in frames)), out) == 0
    replies = _replies_by_channel(out.getvalue())
    for channel, own in ((1, a), (2, b)):
        opened, *done, summary = replies[channel]
        assert opened == Opened(1)  # each archive's first run
        assert [d.status for d in done] == ["new"] * len(own)
        assert isinstance(summary, RunSummary) and summary.summary["new"] == len(own)
    (error,) = replies[3]
    assert isinstance(error, Error) and error.message.startswith("cannot open the archive: ")
    for db, own, requests in ((tmp_path / "a.db", a, 3), (tmp_path / "b.db", b, 4)):
        urls = sorted(page.capture.url for page in own)
        assert sorted(url for (url,) in query(db, "SELECT url FROM captures")) == urls
        assert query(db, "SELECT count(*) FROM articles") == [(len(own),)]
        assert query(db, "SELECT status, requests FROM crawl_runs") == [("ok", requests)]


def test_a_routed_run_out_of_place_ends_the_writer(tmp_path):
    # An item on a channel no run was opened on: the crawler's bug, and every run of this writer ends.
    frames = [Routed(1, OpenRun(config(tmp_path / "a.db"))), Routed(9, article_message())]
    out = io.BytesIO()
    assert serve(io.BytesIO(b"".join(encode(f) for f in frames)), out) == 2
    assert _replies_by_channel(out.getvalue()) == {1: [Opened(1)]}


def _start_writer() -> subprocess.Popen:
    """The writer as the crawler starts it: a process of its own, its pipes ours."""
    return subprocess.Popen(
        [sys.executable, "-m", "archive.writer_start", str(os.getpid())],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=ROOT,
    )


def test_a_shared_writer_exits_when_its_input_ends_and_stops_at_once_mid_run(tmp_path):
    process = _start_writer()
    reader = FrameReader(process.stdout)
    write_frame(process.stdin, Routed(1, OpenRun(config(tmp_path / "a.db"))))
    write_frame(process.stdin, Routed(2, OpenRun(config(tmp_path / "b.db"))))
    assert {reader.next(), reader.next()} == {Routed(1, Opened(1)), Routed(2, Opened(1))}
    write_frame(process.stdin, Routed(1, FinishRun(0, 0, "finished")))
    reply = reader.next()
    assert isinstance(reply, Routed) and reply.channel == 1 and isinstance(reply.message, RunSummary)
    process.stdin.close()  # the crawler is gone with run 2 still open
    assert process.wait(timeout=10) == 0
    assert query(tmp_path / "a.db", "SELECT finished_at IS NOT NULL FROM crawl_runs") == [(1,)]
    assert query(tmp_path / "b.db", "SELECT finished_at FROM crawl_runs") == [(None,)]


def _gone(pid: int) -> bool:
    """Exited (a zombie waiting for a parent that does not reap counts as gone)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] in ("Z", "X")
    except FileNotFoundError:
        return True


def _wait_ignoring(pid: int, *signals: int, seconds: float = 20) -> None:
    """Wait until the process has set these signals to be ignored (its SigIgn mask in /proc), or until
    ``seconds`` pass: a fixed sleep is too short on a loaded machine (the test then kills a writer still
    starting up). Whether it survives them is what the test asserts afterwards."""
    wanted = sum(1 << (number - 1) for number in signals)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except FileNotFoundError:
            return
        ignored = int(next(line.split()[1] for line in status.splitlines() if line.startswith("SigIgn:")), 16)
        if ignored & wanted == wanted:
            return
        time.sleep(0.02)


def _wait_gone(pid: int, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if _gone(pid):
            return True
        time.sleep(0.02)
    return False


def test_the_writer_stops_when_its_input_ends_without_finish(tmp_path):
    process = _start_writer()
    write_frame(process.stdin, OpenRun(config(tmp_path / "a.db")))
    assert FrameReader(process.stdout).next() == Opened(1)
    process.stdin.close()  # the crawler is gone
    assert process.wait(timeout=10) == 0
    assert query(tmp_path / "a.db", "SELECT finished_at FROM crawl_runs") == [(None,)]


def test_the_writer_dies_with_the_crawler_even_by_kill_9_and_ignores_ctrl_c(tmp_path):
    # A stand-in crawler that starts the writer, keeps its input open, and waits to be killed.
    code = (
        "import os, subprocess, sys, time\n"
        "p = subprocess.Popen([sys.executable, '-m', 'archive.writer_start', str(os.getpid())], stdin=subprocess.PIPE)\n"
        "print(p.pid, flush=True)\n"
        "time.sleep(120)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        writer_pid = int(parent.stdout.readline())
        _wait_ignoring(writer_pid, signal.SIGINT, signal.SIGTERM)  # past the writer's start-up, however slow
        os.kill(writer_pid, signal.SIGINT)  # Ctrl-C reaches the whole process group; the crawler decides
        os.kill(writer_pid, signal.SIGTERM)
        time.sleep(0.3)
        assert not _gone(writer_pid)
        parent.kill()
        parent.wait(timeout=10)
        assert _wait_gone(writer_pid), "the writer outlived the crawler"
    finally:
        parent.kill()


def _pages(n: int) -> list[ArticlePage]:
    """n article messages of n distinct replica articles."""
    from replica import Site, app

    site = Site()
    messages = []
    for record in site.gold()[:n]:
        status, _, body = app.handle(site, "GET", record["url"], {"host": "127.0.0.1:8000"})
        assert status == 200
        url = "http://127.0.0.1:8000" + record["url"]
        capture = Capture(url=url, status=200, body=body, fetched_at="2026-11-25T00:00:00+00:00")
        messages.append(ArticlePage(capture, (url,), None, {}, "utf-8"))
    return messages


def _dump(db: Path) -> dict:
    tables = ("articles", "article_versions", "article_urls", "captures", "crawl_errors")
    columns = {
        "articles": "asset_id, title, body_text, version_count, content_hash",
        "article_versions": "article_id, version, content_hash, change_kind",
        "article_urls": "url, article_id",
        "captures": "url, article_id, body_sha256",
        "crawl_errors": "url, kind",
    }
    return {t: sorted(query(db, f"SELECT {columns[t]} FROM {t}")) for t in tables}


def test_a_batch_writes_what_one_by_one_writes_with_one_commit(tmp_path, monkeypatch):
    messages = [*_pages(6), FetchOutcome(URL + "-gone", "http-error", 500, "HTTP 500")]
    one_by_one = ArchiveWriter(config(tmp_path / "a.db"))
    expected = [one_by_one.handle(m) for m in messages]
    one_by_one.finish(7, 0, "finished")

    batched = ArchiveWriter(config(tmp_path / "b.db"))
    commits = []
    original = batched.archive.commit_batch
    monkeypatch.setattr(batched.archive, "commit_batch", lambda: commits.append(1) or original())
    for message in messages:
        batched.add(message)
    assert batched.batch_size == 7
    replies = batched.flush()
    assert [r.status for r in replies] == [r.status for r in expected] == ["new"] * 6 + [None]
    assert commits == [1] and batched.flush() == []
    batched.finish(7, 0, "finished")
    assert _dump(tmp_path / "b.db") == _dump(tmp_path / "a.db")
    assert query(tmp_path / "b.db", "SELECT new, errors FROM crawl_runs") == [(6, 1)]


def test_a_write_failing_inside_a_batch_rolls_it_back_and_redoes_it_one_by_one(tmp_path, monkeypatch):
    messages = _pages(5)
    writer = ArchiveWriter(config(tmp_path / "a.db"))
    save = writer.archive.save

    third = messages[2].capture.url

    def disk_full_on_the_third(record, capture, **kwargs):
        if capture.url == third:
            raise sqlite3.OperationalError("database or disk is full")
        return save(record, capture, **kwargs)

    monkeypatch.setattr(writer.archive, "save", disk_full_on_the_third)
    for message in messages:
        writer.add(message)
    replies = writer.flush()
    assert [r.status for r in replies] == ["new", "new", "error", "new", "new"]
    summary = writer.finish(5, 0, "finished")
    # Counted once each, though the first two were written twice (in the rolled-back batch, then alone).
    assert (summary["new"], summary["errors"]) == (4, 1)
    assert summary["failed_urls"] == [third]
    assert query(tmp_path / "a.db", "SELECT count(*) FROM articles") == [(4,)]
    assert query(tmp_path / "a.db", "SELECT count(*) FROM article_versions") == [(4,)]
    assert query(tmp_path / "a.db", "SELECT kind, url FROM crawl_errors") == [("archive-error", third)]


def test_a_commit_that_fails_loses_nothing_of_the_batch(tmp_path, monkeypatch):
    writer = ArchiveWriter(config(tmp_path / "a.db"))
    original = writer.archive.commit_batch
    failures = [sqlite3.OperationalError("disk I/O error")]

    def commit_once_failing():
        if failures:
            writer.archive.rollback_batch()
            raise failures.pop()
        original()

    monkeypatch.setattr(writer.archive, "commit_batch", commit_once_failing)
    for message in _pages(4):
        writer.add(message)
    assert [r.status for r in writer.flush()] == ["new"] * 4
    summary = writer.finish(4, 0, "finished")
    assert (summary["new"], summary["errors"]) == (4, 0)
    assert query(tmp_path / "a.db", "SELECT count(*) FROM articles") == [(4,)]


def test_the_writer_s_diff_summaries_use_the_diff_max_tokens_setting(tmp_path, monkeypatch):
    from dataclasses import replace

    from archive import diffs

    monkeypatch.setattr(diffs, "MAX_DIFF_TOKENS", diffs.MAX_DIFF_TOKENS)  # restored after the test
    writer = ArchiveWriter(replace(config(tmp_path / "a.db"), diff_max_tokens=100))
    writer.finish(0, 0, "finished")
    stretch = " ".join(f"w{i}" for i in range(60))
    assert diffs.summary(f"a {stretch} z", f"a {stretch.upper()} z") == "-60 +60 words (coarse)"


def test_the_writer_asks_to_die_with_the_crawler_before_its_slow_imports():
    # Importing the writer takes seconds on a loaded machine; a crawler killed meanwhile must not leave it
    # running (the kill-9 test saw a writer outlive its crawler so). The entry makes the request with the
    # standard library alone: importing it loads no module of the project's but itself, nor lxml.
    code = (
        "import sys, archive.writer_start\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('archive', 'pipelines', 'lxml', 'bs4')))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert loaded.stdout.strip() == "['archive', 'archive.writer_start']"


def test_a_writer_whose_crawler_died_during_its_start_exits_without_archiving(tmp_path):
    # The parent pid it is given is not its parent (as when the crawler died before the request took
    # effect): it exits at once, before opening anything.
    started = subprocess.run(
        [sys.executable, "-m", "archive.writer_start", "1"],
        input=b"",
        capture_output=True,
        cwd=ROOT,
        timeout=30,
    )
    assert started.returncode == 0 and started.stdout == b""
