"""A small archive built in-process through the writer's Archive (no crawl): three articles over two runs,
one of them edited, one removed, one pending removal, with a failed page. The library's tests and
docs/library.md's example read it."""

from __future__ import annotations

from pathlib import Path

from archive.store import Archive
from tests.unit.test_store import capture, make_record

SITE = "http://127.0.0.1:9"
MEETING = f"{SITE}/w/hoi-nghi"
MEETING_RENAMED = f"{SITE}/w/hoi-nghi-so-ket"
FACTORY = f"{SITE}/w/khanh-thanh-nha-may"
TRAINING = f"{SITE}/w/tap-huan"
CITED = {
    "kind": "chỉ thị",
    "number": "05-CT/TW",
    "issuer": None,
    "issued_on": None,
    "raw": "Chỉ thị 05-CT/TW",
}


def _page(url: str, asset_id: str, title: str, body: str, published: str, **changes):
    return make_record(
        url=url,
        canonical=url,
        asset_id=asset_id,
        title=title,
        title_raw=title,
        body_text=body,
        body_html=f"<p>{body}</p>",
        published_at=published,
        event_date=None,
        event_sentence=None,
        published_is_migration=False,
        **changes,
    )


def build_sample_archive(path: Path) -> Path:
    """The archive at ``path``: run 1 finds three articles; run 2 finds the meeting edited under a new
    slug, the factory gone (pending since run 1's 404, confirmed in run 2) and one page failing."""
    archive = Archive(path)
    try:
        first = archive.start_run("full", SITE)
        archive.save(
            _page(
                MEETING,
                "40001",
                "Hội nghị sơ kết",
                "Ngày 07/4, hội nghị sơ kết quý I.",
                "2026-04-08T09:00:00+07:00",
            ),
            capture(b"<html>meeting 1</html>", MEETING),
            run_id=first,
            category="tin-tuc",
        )
        archive.save(
            _page(
                FACTORY,
                "40002",
                "Khánh thành nhà máy",
                "Nhà máy mới khánh thành.",
                "2026-04-09T10:00:00+07:00",
            ),
            capture(b"<html>factory</html>", FACTORY),
            run_id=first,
            category="tin-tuc",
        )
        archive.save(
            _page(
                TRAINING,
                "40003",
                "Tập huấn an toàn",
                "Lớp tập huấn an toàn lao động theo Chỉ thị 05-CT/TW.",
                "2026-04-10T08:00:00+07:00",
                document_refs=[CITED],
            ),
            capture(b"<html>training</html>", TRAINING),
            run_id=first,
            category="dao-tao",
        )
        archive.finish_run(first, status="ok", exit_code=0, counts={"requests": 5, "new": 3}, alarms=[])

        second = archive.start_run("full", SITE)
        archive.save(
            _page(
                MEETING_RENAMED,
                "40001",
                "Hội nghị sơ kết quý I",
                "Ngày 07/4, hội nghị sơ kết quý I năm 2026.",
                "2026-04-08T09:00:00+07:00",
                authors=["Minh Trí", "Lan Anh"],
                source_hash="s2",
            ),
            capture(b"<html>meeting 2</html>", MEETING_RENAMED),
            run_id=second,
            category="tin-tuc",
        )
        archive.mark_missing(FACTORY, first)
        archive.mark_missing(FACTORY, second)
        archive.mark_missing(TRAINING, second)
        archive.record_error(second, f"{SITE}/w/loi", "HttpError", "HTTP 500", 500)
        archive.finish_run(
            second,
            status="failed-pages",
            exit_code=1,
            counts={"requests": 4, "changed": 1, "removed": 1, "errors": 1},
            alarms=[],
        )
    finally:
        archive.close()
    return path
