"""Change tracking on the replica over loopback: no false versions, exact changes, reprocessing, tools."""

from __future__ import annotations

import json
import unicodedata
from datetime import datetime, timedelta, timezone

import pytest

from archive.check import first_problem
from archive.reprocess import reprocess
from archive.store import Archive
from tests.e2e.conftest import crawl, rows, run_hepza
from tests.e2e.test_crawl_replica import archived_by_asset

ICT = timezone(timedelta(hours=7))


@pytest.fixture
def archived(site, server, tmp_path):
    db = tmp_path / "x.db"
    assert crawl(server.url, db)["returncode"] == 0
    return db


def version_counts(db) -> dict[str, int]:
    return {
        r["asset_id"]: r["version_count"] for r in rows(db, "SELECT asset_id, version_count FROM articles")
    }


def test_unchanged_site_crawled_again_and_again_keeps_one_version(portal_run):
    site, server, archived = portal_run.site, portal_run.server, portal_run.db
    site.conditional_requests = False  # every page is fetched and re-extracted; counters and tokens differ
    first = rows(archived, "SELECT count(*) AS n FROM captures")[0]["n"]  # (an alias route fetched too)
    for _ in range(3):
        summary = crawl(server.url, archived, "--full")
        assert summary["returncode"] == 0
        assert summary["changed"] == 0 and summary["unchanged"] == len(site.gold()), summary
    assert set(version_counts(archived).values()) == {1}
    captures = rows(archived, "SELECT count(*) AS n FROM captures")[0]["n"]
    assert first >= len(site.gold())
    # Every response is kept, as a small delta; a re-crawl asks for each article once.
    assert captures == first + 3 * len(site.gold())


def _one_letter_fix(title: str) -> str:
    """The title with one tone mark added to a common word (a typo fix; a letter of a capitalised word
    may be a name's, which is a name change, docs/significance.md)."""
    acute = {"a": "á", "o": "ó", "e": "é", "i": "í", "u": "ú"}
    words = unicodedata.normalize("NFC", title).split(" ")
    i = next(i for i, w in enumerate(words) if w[:1].islower() and set(w) & set(acute))
    vowel = next(c for c in words[i] if c in acute)
    words[i] = words[i].replace(vowel, acute[vowel], 1)
    return " ".join(words)


def test_each_kind_of_edit_is_one_version_with_exact_fields(portal_run):
    site, server, archived = portal_run.site, portal_run.server, portal_run.db
    ids = [g["asset_id"] for g in site.gold()]
    typo, paragraph, byline, replaced = ids[10:14]
    # An article whose event date carries its year in the text, so it cannot follow the portal date.
    date_line = next(
        a for a in ids[14:] if (site.gold_for(a)["event_date"] or "?")[:4] in site.gold_for(a)["body_first"]
    )
    site.edit(typo, title=_one_letter_fix(site.gold_for(typo)["title"]))
    site.edit(paragraph, add_paragraph="Đoàn công tác sẽ báo cáo kết quả trong tháng tới.")
    before = site.gold_for(byline)
    site.edit(byline, byline="THANH DUNG")
    # A byline that replaces a source line ("Theo …", a 6.2 portal's) changes the source as well.
    byline_fields = [
        f for f in ("authors", "source", "photo_credits") if site.gold_for(byline)[f] != before[f]
    ]
    site.edit(date_line, date_line=datetime(2024, 5, 3, 9, 15, tzinfo=ICT))
    # The archive's row of each edited article (by the asset id its page prints, else by its route).
    row_of = {gold: row["id"] for gold, row in archived_by_asset(archived, site).items()}
    body = rows(archived, "SELECT body_text FROM articles WHERE id = ?", [row_of[replaced]])[0]["body_text"]
    word = next(w for w in body.split()[3:] if w != w.upper())  # (a word with letters: "6/2," has none)
    site.edit(replaced, replace=(word, word.upper()))
    summary = crawl(server.url, archived, "--full")
    assert summary["changed"] == 5 and summary["new"] == 0, summary
    gold_of = {article_id: gold for gold, article_id in row_of.items()}
    changes = {
        gold_of[r["article_id"]]: (r["change_kind"], json.loads(r["changed_fields"]))
        for r in rows(
            archived, "SELECT article_id, change_kind, changed_fields FROM article_versions WHERE version = 2"
        )
    }
    assert changes == {
        typo: ("edit", ["title"]),
        paragraph: ("edit", ["body_text"]),
        byline: ("edit", byline_fields),
        date_line: ("edit", ["published_at"]),
        replaced: ("edit", ["body_text"]),
    }
    assert rows(archived, "SELECT authors FROM articles WHERE id = ?", [row_of[byline]])[0]["authors"] == (
        '["Thanh Dung"]'
    )
    assert (
        rows(archived, "SELECT published_at FROM articles WHERE id = ?", [row_of[date_line]])[0][
            "published_at"
        ]
        == "2024-05-03T09:15:00+07:00"
    )
    # Each edit's significance (docs/significance.md), stored with its version: a moved date outranks a
    # byline change, which outranks an added sentence, which outranks a one-letter fix and a case change.
    scores = {
        gold_of[r["article_id"]]: r["score"]
        for r in rows(archived, "SELECT article_id, score FROM version_significance WHERE version = 2")
    }
    assert scores[date_line] > scores[paragraph] > scores[typo] > scores[replaced] > 0
    assert scores[byline] > scores[paragraph]
    if byline_fields == ["authors"]:  # (a byline that also replaces a source line names two changes)
        assert scores[date_line] > scores[byline]
    history = run_hepza(
        "history",
        rows(archived, "SELECT url FROM articles WHERE id = ?", [row_of[typo]])[0]["url"],
        "--db",
        str(archived),
    )
    assert history.returncode == 0 and "version 2" in history.stdout and "[-" in history.stdout
    view = rows(archived, "SELECT * FROM article_changes ORDER BY article_id")
    assert len(view) == 5 and all(v["diff_summary"] for v in view)


def test_a_link_pointed_elsewhere_is_an_edit_and_a_session_token_is_not(site, server, archived):
    # The notice that links the decree it carries out: the words stay, the link's target is the edit.
    asset = next(g["asset_id"] for g in site.gold() if g["title"].startswith("Thông báo về việc thu thập"))

    def article():
        return rows(
            archived, "SELECT body_text, links, version_count FROM articles WHERE asset_id = ?", [asset]
        )[0]

    before = article()
    assert json.loads(before["links"]) == [
        {
            "url": "https://vanban.chinhphu.vn/?pageid=27160&docid=205965",
            "text": "Nghị định số 35/2022/NĐ-CP",
        },
        {"url": f"{server.url}/dich-vu-cong", "text": "hệ thống trực tuyến"},
    ]
    site.edit(asset, replace=("docid=205965", "docid=206118"))
    summary = crawl(server.url, archived, "--full")
    assert summary["returncode"] == 0 and summary["changed"] == 1, summary
    after = article()
    assert after["body_text"] == before["body_text"] and after["version_count"] == 2
    assert json.loads(after["links"])[0]["url"] == "https://vanban.chinhphu.vn/?pageid=27160&docid=206118"
    change = rows(archived, "SELECT change_kind, changed_fields, diff_summary FROM article_changes")
    assert [(c["change_kind"], json.loads(c["changed_fields"]), c["diff_summary"]) for c in change] == [
        ("edit", ["links"], "links")
    ]
    # A session token Liferay adds to a link changes the page's bytes, not where the link goes.
    site.edit(asset, replace=('href="/dich-vu-cong"', 'href="/dich-vu-cong?p_auth=Zx81Qa7B"'))
    summary = crawl(server.url, archived, "--full")
    assert summary["returncode"] == 0 and summary["changed"] == 0, summary
    assert article()["version_count"] == 2
    check = run_hepza("check", "--db", str(archived))
    assert (check.returncode, check.stdout.strip()) == (0, "ok")


def test_reprocessing_after_a_cleaner_change_is_marked_and_reversible(archived, monkeypatch):
    import pipelines.record as record_module

    archive = Archive(archived)
    try:
        assert reprocess(archive)["changed"] == 0  # same cleaner, same output: nothing written
        original = record_module.normalize_inline
        monkeypatch.setattr(record_module, "normalize_inline", lambda text: original(text).upper())
        result = reprocess(archive)
        assert result["changed"] == result["articles"] > 0
        monkeypatch.undo()
        assert reprocess(archive)["changed"] == result["articles"]
        kinds = {
            r["change_kind"]
            for r in rows(archived, "SELECT change_kind FROM article_versions WHERE version > 1")
        }
        assert kinds == {"reprocess"}
        assert first_problem(archive) is None
    finally:
        archive.close()
    removed = rows(archived, "SELECT count(*) AS n FROM articles WHERE removed_at IS NOT NULL")[0]["n"]
    assert removed == 0


def test_check_export_and_backup(archived, tmp_path):
    assert run_hepza("check", "--db", str(archived)).stdout.strip() == "ok"
    exported = run_hepza("export", "--db", str(archived), "--table", "versions")
    lines = exported.stdout.strip().splitlines()
    assert len(lines) == rows(archived, "SELECT count(*) AS n FROM article_versions")[0]["n"]
    assert json.loads(lines[0])["version"] == 1
    csv_out = run_hepza("export", "--db", str(archived), "--format", "csv")
    assert csv_out.stdout.splitlines()[0].startswith("id,asset_id,url")
    copy = tmp_path / "copy.db"
    files = rows(archived, "SELECT DISTINCT path FROM attachment_files")
    made = run_hepza("backup", str(copy), "--db", str(archived))
    assert made.returncode == 0 and f"and {len(files)} attachment files" in made.stdout
    assert version_counts(copy) == version_counts(archived)
    # The copy is a whole archive: its attachment files came with it, and it passes the check on its own.
    assert files and all((tmp_path / "copy.db.files" / f["path"]).is_file() for f in files)
    assert run_hepza("check", "--db", str(copy)).stdout.strip() == "ok"
    again = run_hepza("backup", str(copy), "--db", str(archived))
    assert again.returncode == 2 and "exists" in again.stderr and "Traceback" not in again.stderr


def test_check_finds_a_lost_or_altered_attachment_file(archived, tmp_path):
    path = rows(archived, "SELECT path FROM attachment_files ORDER BY id")[0]["path"]
    stored = archived.parent / (archived.name + ".files") / path
    stored.write_bytes(stored.read_bytes() + b"x")
    result = run_hepza("check", "--db", str(archived))
    assert result.returncode == 1 and f"attachment file {path}: bytes do not match" in result.stderr
    stored.unlink()
    result = run_hepza("check", "--db", str(archived))
    assert result.returncode == 1 and f"attachment file {path}: missing" in result.stderr
    backup = run_hepza("backup", str(tmp_path / "copy.db"), "--db", str(archived))
    assert backup.returncode == 2 and "is missing" in backup.stderr and "Traceback" not in backup.stderr


def test_check_finds_a_tampered_version(archived):
    import sqlite3

    conn = sqlite3.connect(archived)
    conn.execute("DROP TRIGGER article_versions_no_update")  # what an attacker or a bad tool could do
    conn.execute("UPDATE article_versions SET title = 'sửa lén' WHERE id = 3")
    conn.commit()
    conn.close()
    result = run_hepza("check", "--db", str(archived))
    assert result.returncode == 1 and "does not match its hash" in result.stderr


def test_attachments_are_downloaded_once(site, server, archived):
    files = rows(archived, "SELECT * FROM attachment_files")
    linked = {
        a["url"]
        for r in rows(archived, "SELECT attachments FROM articles")
        for a in json.loads(r["attachments"])
    }
    assert files and {f["url"] for f in files} == linked
    assert all(f["etag"] and f["last_modified"] for f in files)
    summary = crawl(server.url, archived, "--full")
    # Each re-fetched article's documents are asked for again, conditionally: 304, nothing stored twice.
    assert summary["attachments"] == summary["attachments_changed"] == 0
    assert summary["attachments_unchanged"] == len(files), summary
    assert len(rows(archived, "SELECT * FROM attachment_files")) == len(files)


def test_a_document_replaced_under_the_same_url_is_a_recorded_change(site, server, archived):
    # Liferay serves a new version of a document under the URL the articles already link (their links do
    # not change): only fetching the document again shows it.
    files = rows(archived, "SELECT * FROM attachment_files ORDER BY id")
    replaced = files[0]
    site.replace_document(replaced["url"])
    for conditional in (True, False):  # with validators (304s for the others), then without (200s)
        site.conditional_requests = conditional
        summary = crawl(server.url, archived, "--full")
        assert summary["returncode"] == 0 and summary["changed"] == 0, summary
        assert summary["attachments_changed"] == (1 if conditional else 0), summary
        assert summary["attachments_unchanged"] == len(files) - (1 if conditional else 0), summary
    changes = rows(archived, "SELECT * FROM attachment_changes")
    assert [(c["url"], c["previous_sha256"], c["previous_path"]) for c in changes] == [
        (replaced["url"], replaced["sha256"], replaced["path"])
    ]
    change = changes[0]
    assert change["sha256"] != replaced["sha256"] and change["article_id"] == replaced["article_id"]
    folder = archived.parent / (archived.name + ".files")
    assert (folder / change["previous_path"]).read_bytes() != (folder / change["path"]).read_bytes()
    assert (folder / change["path"]).read_bytes().endswith(b"revision 1\n")
    assert len(rows(archived, "SELECT * FROM attachment_files")) == len(files) + 1
    runs = rows(archived, "SELECT attachments, attachments_changed FROM crawl_runs ORDER BY id")
    assert [(r["attachments"], r["attachments_changed"]) for r in runs] == [(len(files), 0), (0, 1), (0, 0)]
    stats = run_hepza("stats", "--db", str(archived)).stdout
    assert f"attachments: {len(files)}\nattachments_replaced: 1\n" in stats


def test_images_are_downloaded_when_asked(site, server, tmp_path):
    db = tmp_path / "img.db"
    summary = crawl(server.url, db, env={"HEPZA_DOWNLOAD_IMAGES": "true"})
    assert summary["returncode"] == 0, summary["stderr"]
    images = {i["src"] for r in rows(db, "SELECT images FROM articles") for i in json.loads(r["images"])}
    files = {f["url"]: f for f in rows(db, "SELECT * FROM attachment_files")}
    assert images and images <= set(files)
    assert all(files[src]["content_type"].startswith("image/") for src in images)
    assert all((tmp_path / "img.db.files" / files[src]["path"]).is_file() for src in images)
    # A photo replaced under the same URL is found as a replaced document is; the article does not change.
    photo = sorted(images)[0]
    site.replace_document(photo)
    summary = crawl(server.url, db, "--full", env={"HEPZA_DOWNLOAD_IMAGES": "true"})
    assert summary["returncode"] == 0 and summary["changed"] == 0, summary
    assert summary["attachments_changed"] == 1, summary
    changes = rows(db, "SELECT url, previous_sha256, sha256 FROM attachment_changes")
    assert [(c["url"], c["previous_sha256"]) for c in changes] == [(photo, files[photo]["sha256"])]
