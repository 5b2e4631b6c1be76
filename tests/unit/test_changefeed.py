"""The change feed (archive/changefeed.py) on an archive written in-process through the writer: one run
archives ten articles; the next edits figures, fixes a typo, changes a byline and a date, moves an article
to a new address, edits a footer in three articles, replaces a document, publishes one article and finds
one missing; a third confirms the removal. Each filter is a row of a table."""

from __future__ import annotations

import json

import pytest

from archive.captures import Capture
from archive.changefeed import EVENT_SCORES, BadFilter, Filters, change_events, edit_kinds, moment
from archive.clock import utc_now
from archive.files import store_attachment
from archive.store import Archive
from tests.unit.test_store import capture, make_record

SITE = "http://127.0.0.1:9"
FOOTER = "Ban Quản lý các Khu chế xuất và công nghiệp TP.HCM."
NEW_FOOTER = "Ban Quản lý các Khu chế xuất và công nghiệp Thành phố Hồ Chí Minh."
DOCUMENT = f"{SITE}/documents/20121/0/ke-hoach.pdf"
# slug: (asset id, category, title, body)
ARTICLES = {
    "xuat-khau": ("1", "tin-tuc", "Xuất khẩu quý I", "Kim ngạch xuất khẩu đạt 1.284,5 triệu USD, tăng 12%."),
    "hoi-nghi": ("2", "tin-tuc", "Hội nghị sơ kết", "Hội nghị sơ kết công tác đầ tư quý I."),
    "tap-huan": ("3", "dao-tao", "Tập huấn an toàn", "Lớp tập huấn an toàn lao động."),
    "khanh-thanh": ("4", "tin-tuc", "Khánh thành nhà máy", "Nhà máy mới khánh thành."),
    "doi-ten": ("5", "tin-tuc", "Tiếp đoàn doanh nghiệp", "Ban tiếp đoàn doanh nghiệp Nhật Bản."),
    "go-bo": ("6", "tin-tuc", "Thông báo tuyển dụng", "Thông báo tuyển dụng viên chức."),
    "chan-1": ("7", "thong-bao", "Lịch tiếp dân tháng 5", f"Lịch tiếp dân tháng 5.\n\n{FOOTER}"),
    "chan-2": ("8", "thong-bao", "Lịch họp giao ban", f"Lịch họp giao ban tuần.\n\n{FOOTER}"),
    "chan-3": ("9", "thong-bao", "Lịch trực lễ", f"Lịch trực lễ 30/4.\n\n{FOOTER}"),
    "ke-hoach": ("10", "van-ban", "Kế hoạch cải cách hành chính", "Kế hoạch năm 2026 đính kèm."),
    "tro-lai": ("12", "su-kien", "Lễ kỷ niệm thành lập", "Lễ kỷ niệm 30 năm thành lập."),
}


def _record(slug: str, url: str | None = None, **changes):
    asset_id, _, title, body = ARTICLES[slug]
    url = url or f"{SITE}/w/{slug}"
    values = dict(
        url=url,
        canonical=url,
        asset_id=asset_id,
        title=title,
        title_raw=title,
        body_text=body,
        body_html=f"<p>{body}</p>",
        published_at="2026-04-08T09:00:00+07:00",
        event_date=None,
        event_sentence=None,
        published_is_migration=False,
        authors=["Minh Trí"],
    )
    values.update(changes)
    return make_record(**values)


def _save(archive: Archive, slug: str, run_id: int, **changes) -> None:
    record = _record(slug, **changes)
    archive.save(
        record,
        capture(slug.encode() + repr(changes).encode(), record.url),
        run_id=run_id,
        category=ARTICLES[slug][1],
    )


def _build(path) -> None:
    archive = Archive(path)
    try:
        first = archive.start_run("full", SITE)
        for slug in ARTICLES:
            _save(archive, slug, first)
        store_attachment(
            archive,
            url=DOCUMENT,
            article_url=f"{SITE}/w/ke-hoach",
            body=b"%PDF-1 v1",
            content_type="application/pdf",
        )
        archive.finish_run(first, status="ok", exit_code=0, counts={}, alarms=[])

        second = archive.start_run("full", SITE)
        _save(
            archive,
            "xuat-khau",
            second,
            source_hash="s2",
            body_text=ARTICLES["xuat-khau"][3].replace("1.284,5", "1.248,5"),
        )
        _save(
            archive,
            "hoi-nghi",
            second,
            source_hash="s2",
            body_text=ARTICLES["hoi-nghi"][3].replace("đầ tư", "đầu tư"),
        )
        _save(archive, "tap-huan", second, source_hash="s2", authors=["Lan Anh"])
        _save(archive, "khanh-thanh", second, source_hash="s2", published_at="2026-04-09T09:00:00+07:00")
        _save(archive, "doi-ten", second, url=f"{SITE}/w/tiep-doan-nhat-ban")
        for slug in ("chan-1", "chan-2", "chan-3"):
            _save(
                archive,
                slug,
                second,
                source_hash="s2",
                body_text=ARTICLES[slug][3].replace(FOOTER, NEW_FOOTER),
            )
        store_attachment(
            archive,
            url=DOCUMENT,
            article_url=f"{SITE}/w/ke-hoach",
            body=b"%PDF-1 version 2",
            content_type="application/pdf",
        )
        archive.save(
            make_record(
                url=f"{SITE}/w/moi",
                canonical=f"{SITE}/w/moi",
                asset_id="11",
                title="Bài mới đăng",
                title_raw="Bài mới đăng",
            ),
            capture(b"new", f"{SITE}/w/moi"),
            run_id=second,
            category="tin-tuc",
        )
        archive.mark_missing(f"{SITE}/w/go-bo", second)
        archive.mark_missing(f"{SITE}/w/tro-lai", second)
        archive.mark_missing(f"{SITE}/w/khanh-thanh", second)  # (pending: never confirmed)
        archive.finish_run(second, status="ok", exit_code=0, counts={}, alarms=[])

        third = archive.start_run("full", SITE)
        archive.mark_missing(f"{SITE}/w/go-bo", third)
        archive.mark_missing(f"{SITE}/w/tro-lai", third)
        archive.finish_run(third, status="ok", exit_code=0, counts={}, alarms=[])

        fourth = archive.start_run("full", SITE)  # the removed article answers again, now
        back = _record("tro-lai")
        archive.save(
            back,
            Capture(url=back.url, status=200, body=b"back", fetched_at=utc_now()),
            run_id=fourth,
            category="su-kien",
        )
        archive.finish_run(fourth, status="ok", exit_code=0, counts={}, alarms=[])
    finally:
        archive.close()


@pytest.fixture(scope="module")
def conn(tmp_path_factory):
    path = tmp_path_factory.mktemp("changefeed") / "a.db"
    _build(path)
    archive = Archive(path, readonly=True)
    yield archive.db.conn
    archive.close()


def _ids(conn) -> dict[int, str]:
    return {row[0]: row[1] for row in conn.execute("SELECT id, asset_id FROM articles")}


def _shown(conn, events) -> list[tuple[str, str]]:
    slugs = {asset: slug for slug, (asset, *_rest) in ARTICLES.items()} | {"11": "moi"}
    ids = _ids(conn)
    return [(e.kind, slugs[ids[e.article_id]]) for e in events]


def test_every_kind_is_one_event_of_its_article(conn):
    shown = sorted(_shown(conn, change_events(conn)))
    assert shown == sorted(
        [
            ("edit", "xuat-khau"),
            ("edit", "hoi-nghi"),
            ("byline", "tap-huan"),
            ("date", "khanh-thanh"),
            ("removal_pending", "khanh-thanh"),
            ("rename", "doi-ten"),
            ("edit", "chan-1"),  # the footer edit of three articles: one event
            ("attachment", "ke-hoach"),
            ("new", "moi"),
            ("removal", "go-bo"),
            ("removal", "tro-lai"),
            ("return", "tro-lai"),
        ]
    )


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "byline"}, [("byline", "tap-huan")]),
        ({"kind": "date"}, [("date", "khanh-thanh")]),
        (
            {"kind": "removal,removal_pending", "category": "tin-tuc", "sort": "significance"},
            [("removal", "go-bo"), ("removal_pending", "khanh-thanh")],
        ),
        ({"kind": "attachment"}, [("attachment", "ke-hoach")]),
        ({"kind": "rename"}, [("rename", "doi-ten")]),
        ({"kind": "new"}, [("new", "moi")]),
        ({"category": "thong-bao"}, [("edit", "chan-1")]),
        ({"category": "dao-tao"}, [("byline", "tap-huan")]),
        ({"category": "van-ban"}, [("attachment", "ke-hoach")]),
        ({"q": "xuat khau"}, [("edit", "xuat-khau")]),  # words without diacritics
        ({"q": "1.248,5"}, [("edit", "xuat-khau")]),  # what a factor found
        ({"q": "Lan Anh"}, [("byline", "tap-huan")]),
        ({"kind": "return"}, [("return", "tro-lai")]),
        ({"category": "su-kien", "sort": "significance"}, [("removal", "tro-lai"), ("return", "tro-lai")]),
        (
            {"min": "50", "sort": "significance", "category": "tin-tuc"},
            [("removal", "go-bo"), ("removal_pending", "khanh-thanh")],
        ),
        ({"portal": "hepza", "kind": "new"}, [("new", "moi")]),
        ({"portal": "other"}, []),
        ({"until": "2000-01-01"}, []),
        ({"since": "2100-01-01"}, []),
    ],
)
def test_filters(conn, params, expected):
    assert _shown(conn, change_events(conn, Filters.from_params(params))) == expected


def test_the_figure_edit_ranks_above_the_typo_fix_and_each_says_why(conn):
    edits = change_events(conn, Filters(kinds=("edit",), sort="significance"))
    shown = _shown(conn, edits)
    assert shown.index(("edit", "xuat-khau")) < shown.index(("edit", "hoi-nghi"))
    figure = edits[shown.index(("edit", "xuat-khau"))]
    assert figure.factors[0].name == "numbers" and "1.248,5 triệu USD" in figure.factors[0].detail
    assert "1.284,5 triệu USD → 1.248,5 triệu USD" in figure.summary
    typo = edits[shown.index(("edit", "hoi-nghi"))]
    assert typo.significance < figure.significance and "typo" in typo.summary


def test_a_template_edit_is_one_event_naming_every_article(conn):
    (event,) = change_events(conn, Filters(category="thong-bao"))
    ids = _ids(conn)
    assert event.template and sorted(ids[i] for i in event.articles) == ["7", "8", "9"]
    assert "3 articles" in event.title


def test_events_that_are_no_edit_score_by_their_kind_and_say_what_happened(conn):
    by_kind = {e.kind: e for e in change_events(conn)}
    for kind in ("removal", "removal_pending", "attachment", "rename", "new", "return"):
        assert by_kind[kind].significance == EVENT_SCORES[kind]
    assert "tiep-doan-nhat-ban" in by_kind["rename"].summary and "/w/doi-ten" in by_kind["rename"].summary
    assert "ke-hoach.pdf" in by_kind["attachment"].summary
    assert "(9 → 16 bytes)" in by_kind["attachment"].summary
    assert "Lan Anh" in by_kind["byline"].summary and "Minh Trí" in by_kind["byline"].summary


def test_time_order_is_newest_first_with_offsets(conn):
    events = change_events(conn)
    times = [moment(e.at) for e in events]
    assert all(e.at[-6] in "+-" or e.at.endswith("Z") for e in events)
    assert times == sorted(times, reverse=True)
    # The fourth run's return is among the newest (the runs here may all fall in one second: ties are
    # ranked by significance).
    (back,) = [e for e in events if e.kind == "return"]
    assert moment(back.at) == times[0]


def test_an_articles_events(conn):
    ids = {asset: i for i, asset in _ids(conn).items()}
    events = change_events(conn, Filters(article_id=ids["4"]))
    assert sorted(e.kind for e in events) == ["date", "removal_pending"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"kind": "deleted"}, "No kind of change is called 'deleted'"),
        ({"since": "hôm qua"}, "is no date"),
        ({"min": "many"}, "minimum significance is a number"),
        ({"sort": "title"}, "sort by time or significance"),
    ],
)
def test_a_bad_filter_is_a_sentence(params, message):
    with pytest.raises(BadFilter, match=message):
        Filters.from_params(params)


@pytest.mark.parametrize(
    ("fields", "kinds"),
    [
        (["body_text"], ("edit",)),
        (["authors"], ("byline", "edit")),
        (["published_at"], ("date", "edit")),
        (["published_at", "event_date"], ("date", "edit")),
        (["authors", "published_at"], ("edit", "date", "byline")),
        (["title", "authors"], ("edit", "byline")),
    ],
)
def test_edit_kinds(fields, kinds):
    assert edit_kinds(fields) == kinds


def test_filters_round_trip_as_query_parameters():
    filters = Filters(kinds=("edit", "byline"), category="tin-tuc", min_significance=20, sort="significance")
    assert Filters.from_params(filters.params()) == filters


def _hepza(*args: str):
    from click.testing import CliRunner

    from archive.cli import main

    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="module")
def db(conn) -> str:
    return conn.execute("PRAGMA database_list").fetchone()[2]


def test_hepza_changes_lists_the_feed_and_its_json(db):
    result = _hepza("changes", "--db", db, "--sort", "significance", "--limit", "3")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 6 and "removal confirmed" in lines[0] and "  100  " in lines[0]
    result = _hepza("changes", "--db", db, "--kind", "byline", "--json")
    (event,) = json.loads(result.output)
    assert event["kind"] == "byline" and event["summary"] == "Byline: Minh Trí → Lan Anh"


def test_hepza_changes_with_a_bad_filter_is_one_line_exit_2(db):
    result = _hepza("changes", "--db", db, "--since", "yesterday")
    assert result.exit_code == 2 and "is no date" in result.output


def test_hepza_history_shows_the_changes_that_are_no_version(db, conn):
    ids = {asset: i for i, asset in _ids(conn).items()}
    renamed = _hepza("history", str(ids["5"]), "--db", db).output
    assert "other changes:" in renamed and "new address" in renamed and "/w/tiep-doan-nhat-ban" in renamed
    replaced = _hepza("history", str(ids["10"]), "--db", db).output
    assert "document replaced" in replaced and "ke-hoach.pdf (9 → 16 bytes)" in replaced


def test_the_library_reader_lists_the_same_events(db, conn):
    import archive

    with archive.open(db) as hepza:
        assert hepza.changes(kinds=("rename",)) == change_events(conn, Filters(kinds=("rename",)))
        assert [e.kind for e in hepza.changes(Filters(kinds=("removal",)))] == ["removal", "removal"]


def test_hepza_history_shows_a_removal_the_article_came_back_from(db, conn):
    ids = {asset: i for i, asset in _ids(conn).items()}
    lines = _hepza("history", str(ids["12"]), "--db", db).output.splitlines()
    shown = lines[lines.index("other changes:") :]
    assert sorted(line.split()[2] for line in shown[1::2]) == ["back", "removal"]
    assert any("Removed from the portal" in line for line in shown)
    assert any("Back on the portal after its removal" in line for line in shown)
