"""The run ledger on its own: every exit code and every alarm a run can end with, decided in-process over a
temporary archive from hand-made items (no crawler, no network). The items are what the archive writer
hands the ledger: an article page (``record``, ``capture``, ``urls``, ``category``, ``validators``), a fetch
without content (``url``, ``kind``, ``status``, ``message``) and an attachment."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from archive import runs, scale_commands
from archive.captures import Capture
from archive.runs import (
    EXIT_ALARM,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_PAGES_FAILED,
    EXIT_USAGE,
    RunLedger,
    abandoned_run_summary,
    close_abandoned_runs,
    interrupted_run_summary,
)
from archive.store import Archive
from pipelines import platform
from pipelines.hashing import content_hash
from pipelines.model import LAYER_METADATA, LAYER_PORTAL, ArticleRecord

SITE = "http://127.0.0.1:9"
README = Path(__file__).resolve().parents[2] / "README.md"
# Read from the portal's own markup: what a trusted article page gives.
FROM_PORTAL = {"title": LAYER_PORTAL, "published": LAYER_PORTAL, "body": LAYER_PORTAL}


def url_of(n: int) -> str:
    return f"{SITE}/w/bai-{n}"


def record(n: int, **changes) -> ArticleRecord:
    values: dict[str, Any] = dict(
        url=url_of(n),
        locale="vi",
        asset_id=str(40000 + n),
        canonical=url_of(n),
        lang="vi",
        title_raw=f"Bài {n}",
        title=f"Bài {n}",
        published_raw="10:56 08/03/2023",
        published_at="2023-03-08T10:56:00+07:00",
        byline_raw="Minh Trí",
        authors=["Minh Trí"],
        roles=[],
        source=None,
        photo_credits=[],
        body_text=f"Nội dung bài {n}.",
        body_html=f"<p>Nội dung bài {n}.</p>",
        images=[],
        attachments=[],
        links=[],
        event_date=None,
        event_precision=None,
        event_sentence=None,
        published_is_migration=False,
        document_refs=[],
        alternates={},
        layers=dict(FROM_PORTAL),
        warnings=[],
        source_hash=f"s{n}",
    )
    values.update(changes)
    return ArticleRecord(**values)


def page(n: int, **changes) -> SimpleNamespace:
    """An article page as the writer hands it to the ledger."""
    capture = Capture(
        url=url_of(n), status=200, body=f"<html>{n}</html>".encode(), fetched_at="2026-11-01T00:00:00+00:00"
    )
    return SimpleNamespace(
        record=record(n, **changes), capture=capture, urls=[url_of(n)], category=None, validators=None
    )


def fetch(url: str, kind: str, status: int | None = None, message: str = "") -> SimpleNamespace:
    """A fetch without content: ``not-modified`` (304), ``gone`` (404/410) or a failure's kind."""
    return SimpleNamespace(url=url, kind=kind, status=status, message=message, capture=None)


@pytest.fixture
def archive(tmp_path):
    store = Archive(tmp_path / "a.db")
    yield store
    store.close()


def ledger(archive: Archive, **options) -> RunLedger:
    options.setdefault("mode", "incremental")
    options.setdefault("min_pages", 3)
    return RunLedger(archive, site_url=SITE, **options)


def run(archive: Archive, items=(), *, shutdown_reason: str | None = None, **options) -> dict:
    """One whole run: the items in order, then its end; the summary the CLI prints."""
    books = ledger(archive, **options)
    for item in items:
        if hasattr(item, "record"):
            books.article(item)
        else:
            books.outcome(item)
    return books.finish(requests=len(items), shutdown_reason=shutdown_reason)


def primed(archive: Archive, articles: int = 4) -> None:
    """An earlier healthy run that archived ``articles`` articles."""
    summary = run(archive, [page(n) for n in range(articles)])
    assert (summary["exit_code"], summary["new"]) == (EXIT_OK, articles)


def run_row(archive: Archive, run_id: int) -> tuple[str, int, list[str]]:
    status, exit_code, alarms = archive.db.execute(
        "SELECT status, exit_code, alarms FROM crawl_runs WHERE id = ?", [run_id]
    ).fetchone()
    return status, exit_code, json.loads(alarms)


def ends(summary: dict) -> tuple[str, int]:
    return summary["status"], summary["exit_code"]


# --- exit codes ----------------------------------------------------------------------------------


def test_the_readme_documents_exactly_the_exit_codes_the_code_has():
    table = README.read_text(encoding="utf-8").split("### Exit codes", 1)[1].split("\n\n", 2)[1]
    documented = {int(code) for code in re.findall(r"^\| (\d+) \|", table, re.MULTILINE)}
    defined = {
        value
        for module in (runs, scale_commands)
        for name, value in vars(module).items()
        if name.startswith("EXIT_")
    }
    assert documented == defined == {0, 1, 2, 3, 69, 70, 75, 130}


def test_a_run_with_nothing_wrong_is_ok_exit_0_and_its_row_says_so(archive):
    primed(archive)
    summary = run(
        archive, [page(0, body_text="Nội dung mới.", source_hash="s0b"), fetch(url_of(1), "not-modified")]
    )
    assert ends(summary) == ("ok", EXIT_OK)
    assert (summary["changed"], summary["not_modified"], summary["errors"], summary["alarms"]) == (
        1,
        1,
        0,
        [],
    )
    assert run_row(archive, summary["run_id"]) == ("ok", EXIT_OK, [])


def test_a_page_that_failed_to_fetch_is_failed_pages_exit_1_and_listed(archive):
    primed(archive)
    summary = run(archive, [page(0), fetch(url_of(1), "HttpError", 500, "HTTP 500")])
    assert ends(summary) == ("failed-pages", EXIT_PAGES_FAILED)
    assert (summary["errors"], summary["failed_urls"], summary["alarms"]) == (1, [url_of(1)], [])
    assert run_row(archive, summary["run_id"]) == ("failed-pages", EXIT_PAGES_FAILED, [])
    errors = archive.db.execute(
        "SELECT url, kind, status, message FROM crawl_errors WHERE run_id = ?", [summary["run_id"]]
    ).fetchall()
    assert errors == [(url_of(1), "HttpError", 500, "HTTP 500")]


def test_a_page_missing_a_required_field_is_not_written_and_fails_the_run(archive):
    primed(archive)
    summary = run(archive, [page(0, title="", source_hash="s0b"), page(1)])
    assert ends(summary) == ("failed-pages", EXIT_PAGES_FAILED)
    assert (summary["unchanged"], summary["failed_urls"]) == (1, [url_of(0)])
    assert archive.db.execute("SELECT title FROM articles WHERE asset_id = '40000'").fetchone() == ("Bài 0",)


def test_a_page_the_archive_refused_fails_the_run_exit_1(archive):
    primed(archive)
    books = ledger(archive)
    books.article(page(0))
    books.write_failed(url_of(1), OSError(28, "No space left on device"))
    summary = books.finish(requests=2)
    assert ends(summary) == ("failed-pages", EXIT_PAGES_FAILED)
    assert (summary["errors"], summary["failed_urls"]) == (1, [url_of(1)])


def test_an_attachment_answered_304_that_the_archive_never_held_fails_the_run(archive):
    primed(archive)
    books = ledger(archive)
    books.attachment(
        SimpleNamespace(
            url=f"{SITE}/documents/1/a.pdf",
            article_url=url_of(0),
            status=304,
            body=b"",
            content_type=None,
            etag=None,
            last_modified=None,
        )
    )
    summary = books.finish(requests=1)
    assert ends(summary) == ("failed-pages", EXIT_PAGES_FAILED)
    assert summary["failed_urls"] == [f"{SITE}/documents/1/a.pdf"]


def test_a_run_stopped_by_a_signal_is_interrupted_exit_130_without_coverage_alarms(archive):
    primed(archive)
    # Stopped before it saw anything: a whole run would raise the coverage alarm, an interrupted one not.
    summary = run(archive, [], shutdown_reason=runs.SHUTDOWN_REASON, mode="full")
    assert ends(summary) == ("interrupted", EXIT_INTERRUPTED)
    assert summary["alarms"] == []
    assert run_row(archive, summary["run_id"]) == ("interrupted", EXIT_INTERRUPTED, [])


def test_an_interrupted_run_still_raises_the_layout_alarm_and_keeps_its_own_exit_code(archive):
    primed(archive)
    pages = [page(n, page_kind="maintenance") for n in range(3)]
    summary = run(archive, pages, shutdown_reason=runs.SHUTDOWN_REASON)
    assert ends(summary) == ("interrupted", EXIT_INTERRUPTED)
    assert [alarm.split(":")[0] for alarm in summary["alarms"]] == ["layout"]


def test_a_run_stopped_hard_before_its_ledger_finished_is_closed_as_interrupted(archive, tmp_path):
    books = ledger(archive)
    summary = interrupted_run_summary(str(tmp_path / "a.db"), books.run_id, requests=7)
    assert ends(summary) == ("interrupted", EXIT_INTERRUPTED)
    assert (summary["run_id"], summary["requests"], summary["alarms"]) == (books.run_id, 7, [])
    assert run_row(archive, books.run_id) == ("interrupted", EXIT_INTERRUPTED, [])


def test_a_run_its_ledger_finished_is_not_rewritten_by_a_late_second_signal(archive, tmp_path):
    primed(archive)
    books = ledger(archive)
    books.outcome(fetch(url_of(1), "HttpError", 500, "HTTP 500"))
    books.finish(requests=1)
    interrupted_run_summary(str(tmp_path / "a.db"), books.run_id, requests=1)
    assert run_row(archive, books.run_id) == ("failed-pages", EXIT_PAGES_FAILED, [])


def test_a_run_whose_writer_died_is_an_internal_error_exit_70_with_the_reason_as_alarm(archive, tmp_path):
    books = ledger(archive)
    reason = "the archive writer process ended (killed by signal 9)"
    summary = abandoned_run_summary(
        str(tmp_path / "a.db"),
        books.run_id,
        reason,
        counts={"requests": 5, "new": 2},
        offsite=1,
        failed_urls=[],
    )
    assert ends(summary) == ("internal-error", EXIT_INTERNAL)
    assert (summary["alarms"], summary["new"], summary["offsite_refused"]) == ([reason], 2, 1)
    assert run_row(archive, books.run_id) == ("internal-error", EXIT_INTERNAL, [reason])


def test_rows_a_dead_run_left_running_are_closed_as_internal_errors_exit_70(archive):
    primed(archive)
    dead = [ledger(archive).run_id, ledger(archive).run_id]  # started, never finished
    assert close_abandoned_runs(archive) == 2
    for run_id in dead:
        assert run_row(archive, run_id) == (
            "internal-error",
            EXIT_INTERNAL,
            ["the run ended without closing its row"],
        )
    assert run_row(archive, 1)[:2] == ("ok", EXIT_OK)  # a finished run is left alone
    assert close_abandoned_runs(archive) == 0


# --- alarms (exit 3) ---------------------------------------------------------------------------------


def alarm_run(archive: Archive, items=(), **options) -> list[str]:
    """The alarms of one run, which must then end as an alarm (exit 3) and say so in its row."""
    summary = run(archive, items, **options)
    assert ends(summary) == ("alarm", EXIT_ALARM), summary
    assert run_row(archive, summary["run_id"]) == ("alarm", EXIT_ALARM, summary["alarms"])
    return summary["alarms"]


def test_pages_that_are_not_articles_raise_the_layout_alarm(archive):
    primed(archive)
    pages = [page(0), page(1, page_kind="maintenance"), page(2, page_kind="login")]
    assert alarm_run(archive, pages) == [
        "layout: 2 of 3 article pages were not read from the portal's markup for title, date and body "
        "(login 1, maintenance 1)"
    ]


def test_pages_read_without_the_portals_markup_raise_the_layout_alarm_and_overwrite_nothing(archive):
    primed(archive)
    degraded = {**FROM_PORTAL, "body": LAYER_METADATA}
    pages = [page(n, body_text="Khác.", layers=degraded, source_hash="x") for n in range(3)]
    assert alarm_run(archive, pages) == [
        "layout: 3 of 3 article pages were not read from the portal's markup for title, date and body "
        "(no portal markup 3)"
    ]
    assert archive.db.execute("SELECT count(*) FROM article_versions").fetchone() == (4,)


def test_the_layout_alarm_waits_for_min_pages_and_weighs_missing_share(archive):
    primed(archive)
    few = [page(0, page_kind="maintenance"), page(1, page_kind="maintenance")]
    assert ends(run(archive, few)) == ("failed-pages", EXIT_PAGES_FAILED)  # 2 pages, below min_pages 3
    one_in_four = [page(0, page_kind="maintenance"), page(1), page(2), page(3)]
    assert ends(run(archive, one_in_four, missing_share=0.3)) == ("failed-pages", EXIT_PAGES_FAILED)
    assert alarm_run(archive, one_in_four, missing_share=0.2)[0].startswith("layout: 1 of 4 ")


def test_a_site_that_cannot_be_reached_raises_the_cannot_connect_alarm(archive):
    failures = [
        fetch(f"{SITE}/", "ConnectionRefusedError", None, "Connection was refused by other side: 111"),
        fetch(f"{SITE}/sitemap.xml", "DownloadTimeoutError", None, "took longer than 3.0 seconds"),
    ]
    assert alarm_run(archive, failures) == [
        f"cannot connect to {SITE}: Connection was refused by other side: 111"
    ]


def test_a_first_run_that_finds_no_article_raises_the_coverage_alarm(archive):
    assert alarm_run(archive, [page(0, page_kind="maintenance")]) == [
        "coverage: the run found no article (is the site behind a login or maintenance page?)"
    ]
    assert alarm_run(archive, []) == [
        "coverage: the run found no article (is the site behind a login or maintenance page?)"
    ]


def test_a_full_run_that_sees_far_fewer_articles_than_the_archive_knows_raises_the_coverage_alarm(archive):
    primed(archive, articles=4)
    assert alarm_run(archive, [page(0)], mode="full") == [
        "coverage: the run saw 1 articles, the archive knows 4"
    ]
    # Half of them is enough, a 304 counting as seen; an incremental run is not expected to see them all.
    half = [page(0), fetch(url_of(1), "not-modified")]
    assert ends(run(archive, half, mode="full")) == ("ok", EXIT_OK)
    assert ends(run(archive, [page(0)])) == ("ok", EXIT_OK)


def test_a_crawl_stopped_early_by_scrapy_raises_an_alarm(archive):
    primed(archive)
    assert alarm_run(archive, [page(0)], shutdown_reason="closespider_timeout") == [
        "the crawl stopped early: closespider_timeout"
    ]
    assert ends(run(archive, [page(0)], shutdown_reason="finished")) == ("ok", EXIT_OK)


def test_a_site_that_is_not_liferay_is_exit_2_with_that_one_line_and_no_other_alarm(archive):
    # The platform check closes the crawl with its reason; the run found nothing, which alone would raise
    # the coverage alarm: the one line says what the site is not, and nothing else is claimed.
    reason = platform.close_reason("not a Liferay portal: http://127.0.0.1:9 (no Liferay marker)")
    summary = run(archive, [], shutdown_reason=reason)
    assert ends(summary) == (runs.NOT_LIFERAY_STATUS, EXIT_USAGE)
    assert summary["alarms"] == ["not a Liferay portal: http://127.0.0.1:9 (no Liferay marker)"]
    assert run_row(archive, summary["run_id"]) == (runs.NOT_LIFERAY_STATUS, EXIT_USAGE, summary["alarms"])
    assert archive.db.execute("SELECT count(*) FROM articles").fetchone() == (0,)


def test_an_alarm_outranks_failed_pages_and_the_failed_page_is_still_listed(archive):
    primed(archive)
    failed = fetch(url_of(9), "HttpError", 500, "HTTP 500")
    summary = run(archive, [page(0), failed], shutdown_reason="closespider_timeout")
    assert ends(summary) == ("alarm", EXIT_ALARM)
    assert (summary["errors"], summary["failed_urls"]) == (1, [url_of(9)])


def test_a_redesign_that_cannot_be_learned_is_exit_3_with_the_learning_alarm_and_no_version(archive):
    # Known articles read without the portal's markup, on pages where their archived body is nowhere (the
    # hand-made captures hold only a number): nothing can be learned, so nothing is written and the run
    # says what learning could not do.
    primed(archive, articles=8)
    degraded = {**FROM_PORTAL, "body": LAYER_METADATA}
    summary = run(archive, [page(n, body_text="Khác.", layers=degraded, source_hash="x") for n in range(8)])
    assert ends(summary) == ("alarm", EXIT_ALARM)
    learning_alarms = [alarm for alarm in summary["alarms"] if alarm.startswith("learning: ")]
    assert len(learning_alarms) == 1, summary["alarms"]
    assert summary["changed"] == 0 and versions(archive) == 8
    assert archive.db.execute(
        "SELECT count(*) FROM learned_layouts WHERE status = 'verified'"
    ).fetchone() == (0,)


# --- removals -----------------------------------------------------------------------------------------


def gone(*numbers: int) -> list[SimpleNamespace]:
    return [fetch(url_of(n), "gone", 404, "HTTP 404") for n in numbers]


def removed_at(archive: Archive, n: int) -> str | None:
    return archive.db.execute("SELECT removed_at FROM articles WHERE url = ?", [url_of(n)]).fetchone()[0]


def test_a_removal_is_confirmed_by_a_second_run_that_meets_the_404_again(archive):
    primed(archive)
    first = run(archive, gone(0))
    assert ends(first) == ("ok", EXIT_OK)
    assert (first["missing_pending"], first["removed"], removed_at(archive, 0)) == (1, 0, None)
    second = run(archive, gone(0))
    assert ends(second) == ("ok", EXIT_OK)
    assert (second["removed"], second["pending_removals"]) == (1, 0)
    assert removed_at(archive, 0) is not None


def test_a_removal_younger_than_removal_min_age_stays_pending(archive):
    primed(archive)
    run(archive, gone(0))
    second = run(archive, gone(0), removal_min_age=timedelta(days=2))
    assert ends(second) == ("ok", EXIT_OK)
    assert (second["removed"], second["missing_pending"], removed_at(archive, 0)) == (0, 1, None)


def test_a_run_whose_fetches_mostly_answer_404_confirms_no_removal_and_raises_the_removals_alarm(archive):
    primed(archive)
    run(archive, gone(0, 1, 2))
    alarms = alarm_run(archive, gone(0, 1, 2) + [page(3)], removal_floor=(0.5, 2))
    assert alarms == [
        "removals: 3 of 4 article fetches answered 404 (above removal_floor_share 0.5): none confirmed, "
        "3 left pending"
    ]
    assert [removed_at(archive, n) for n in range(3)] == [None, None, None]
    assert archive.db.execute("SELECT count(*) FROM articles WHERE missing_since IS NOT NULL").fetchone() == (
        3,
    )


def test_a_rolled_back_batch_takes_the_ledgers_counts_back_with_it(archive):
    primed(archive)
    books = ledger(archive)
    state = books.snapshot()
    books.outcome(fetch(url_of(1), "HttpError", 500, "HTTP 500"))
    books.restore(state)
    summary = books.finish(requests=0)
    assert ends(summary) == ("ok", EXIT_OK)
    assert summary["failed_urls"] == []


def test_the_summary_has_every_count_even_when_zero():
    summary = runs.run_summary(
        None, "ok", EXIT_OK, {"new": 2}, alarms=[], failed_urls=[f"u{n}" for n in range(60)]
    )
    assert summary["new"] == 2 and summary["removed"] == 0 and summary["attachments_unchanged"] == 0
    assert len(summary["failed_urls"]) == 50  # the summary line stays short; crawl_errors has them all


# --- a theme the portal layer reads in another layout -----------------------------------------------

OLD_LAYOUT, NEW_LAYOUT = {**FROM_PORTAL, "layout": "portal:old"}, {**FROM_PORTAL, "layout": "portal:new"}


def primed_in(archive: Archive, layers: dict, articles: int = 8) -> None:
    summary = run(archive, [page(n, layers=layers) for n in range(articles)])
    assert (summary["exit_code"], summary["new"]) == (EXIT_OK, articles)


def versions(archive: Archive) -> int:
    return archive.db.execute("SELECT count(*) FROM article_versions").fetchone()[0]


def test_known_articles_read_otherwise_in_another_layout_are_no_versions(archive):
    # A redesign the portal layer still reads, but that loses every byline: the difference is the
    # theme's, so nothing is written (and the pages, which teach no rule here, raise the layout alarm).
    primed_in(archive, OLD_LAYOUT)
    summary = run(archive, [page(n, layers=NEW_LAYOUT, authors=[], byline_raw=None) for n in range(8)])
    assert versions(archive) == 8
    assert summary["changed"] == 0 and summary["exit_code"] == EXIT_ALARM
    assert any(alarm.startswith("layout: 8 of 8 article pages") for alarm in summary["alarms"])


def test_a_new_layout_that_reads_known_articles_exactly_is_trusted_and_edits_in_it_are_versions(archive):
    # The first page is an edit met before the layout earned trust: held, then written once seven known
    # articles read exactly as archived in that layout. An edit in the archived layout is written at once.
    primed_in(archive, OLD_LAYOUT)
    edited = page(0, layers=NEW_LAYOUT, body_text="Nội dung đã sửa.", source_hash="e0")
    same = [page(n, layers=NEW_LAYOUT) for n in range(1, 8)]
    summary = run(archive, [edited, *same])
    assert (summary["changed"], summary["exit_code"]) == (1, EXIT_OK), summary
    assert versions(archive) == 9
    layouts = {json.loads(r[0])["layout"] for r in archive.db.execute("SELECT layers FROM articles")}
    assert layouts == {"portal:new"}  # the unchanged pages' rows say the layout they were read in now


def test_a_new_layout_that_reads_some_articles_exactly_but_loses_others_bylines_writes_none_of_them(archive):
    # The theme prints bylines apart, where the portal layer does not look: articles without a byline read
    # exactly (and came first), those with one lose it. Whatever the order of the pages, the many that
    # differ are the theme's doing, not edits: no version, and the run says so.
    primed_in(archive, OLD_LAYOUT, articles=12)
    for n in range(7):
        archive.db.execute(
            "UPDATE articles SET content_hash = ? WHERE asset_id = ?",
            [content_hash(record(n, authors=[], byline_raw=None).content()), str(40000 + n)],
        )
    exact = [page(n, layers=NEW_LAYOUT, authors=[], byline_raw=None) for n in range(7)]
    bylines_lost = [page(n, layers=NEW_LAYOUT, authors=[], byline_raw=None) for n in range(7, 12)]
    summary = run(archive, [*exact, *bylines_lost])
    assert summary["changed"] == 0 and versions(archive) == 12, summary
    assert summary["exit_code"] == EXIT_ALARM
    assert any("reads 5 of 12 known articles otherwise" in alarm for alarm in summary["alarms"]), summary


def test_one_edit_among_articles_a_new_layout_reads_exactly_is_a_version(archive):
    primed_in(archive, OLD_LAYOUT, articles=12)
    same = [page(n, layers=NEW_LAYOUT) for n in range(11)]
    edited = page(11, layers=NEW_LAYOUT, body_text="Nội dung đã sửa.", source_hash="e11")
    summary = run(archive, [*same, edited])
    assert (summary["changed"], summary["exit_code"]) == (1, EXIT_OK), summary


def test_an_edit_in_the_layout_its_article_was_archived_in_is_a_version_at_once(archive):
    primed_in(archive, OLD_LAYOUT)
    summary = run(archive, [page(3, layers=OLD_LAYOUT, body_text="Sửa.", source_hash="e3")])
    assert (summary["changed"], summary["exit_code"]) == (1, EXIT_OK)


def test_a_list_s_date_reaches_the_article_fetched_under_another_route(archive):
    # A 6.2 list links the query form; the re-check fetched the friendly form of the same article.
    books = ledger(archive)
    pid = "101_INSTANCE_emZ19pfF3Yyq"
    listed = f"{SITE}/tin-tuc?p_p_id={pid}&_{pid}_struts_action=%2Fasset_publisher%2Fview_content&_{pid}_urlTitle=bai-9"
    books.listing("tin-tuc", [listed], {listed: "09:15 03/05/2024"})
    friendly = f"{SITE}/tin-tuc/-/asset_publisher/{pid[13:]}/content/bai-9"
    raw = SimpleNamespace(canonical=None, asset_id=None)
    assert books.listed_date(raw, [friendly]) == "09:15 03/05/2024"
