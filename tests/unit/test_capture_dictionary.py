"""The archive's trained capture dictionary: later keyframes much smaller, every body back byte for byte."""

from __future__ import annotations

import pytest

import archive.store as store
from archive.captures import CODEC_ZSTD, CODEC_ZSTD_DELTA, CODEC_ZSTD_DICT, Capture
from archive.check import first_problem
from archive.store import Archive
from pipelines.extract import extract_page
from pipelines.record import clean_article
from replica import Site, app

SAMPLES = 8  # a small threshold keeps the test quick; the code path is the same as at 64


@pytest.fixture(scope="module")
def pages() -> list[tuple[str, bytes]]:
    site = Site()
    out = []
    for record in site.gold()[:24]:
        status, _, body = app.handle(site, "GET", record["url"], {"host": "127.0.0.1:8000"})
        assert status == 200
        out.append(("http://127.0.0.1:8000" + record["url"], body))
    return out


def save(archive: Archive, url: str, body: bytes) -> None:
    record = clean_article(extract_page(body, url, "utf-8"))
    archive.save(
        record,
        Capture(url=url, status=200, body=body, fetched_at="2026-11-25T00:00:00+00:00"),
        run_id=None,
        urls=[url],
    )


def bodies(archive: Archive) -> list[tuple]:
    return archive.db.execute(
        "SELECT sha256, codec, base_sha256, size, length(data) FROM capture_bodies ORDER BY rowid"
    ).fetchall()


def test_keyframes_after_the_first_pages_use_the_trained_dictionary(tmp_path, monkeypatch, pages):
    monkeypatch.setattr(store, "DICTIONARY_SAMPLES", SAMPLES)
    archive = Archive(tmp_path / "a.db")
    for url, body in pages:
        save(archive, url, body)
    rows = bodies(archive)
    (dictionary,) = archive.db.execute("SELECT sha256, samples, size FROM capture_dictionaries").fetchall()
    assert dictionary[1] == SAMPLES and dictionary[2] > 0
    assert [codec for _, codec, *_ in rows[: SAMPLES - 1]] == [CODEC_ZSTD] * (SAMPLES - 1)
    later = rows[SAMPLES - 1 :]
    assert {codec for _, codec, *_ in later} == {CODEC_ZSTD_DICT}
    assert {base for _, _, base, *_ in later} == {dictionary[0]}
    plain_ratio = sum(r[3] for r in rows[: SAMPLES - 1]) / sum(r[4] for r in rows[: SAMPLES - 1])
    dict_ratio = sum(r[3] for r in later) / sum(r[4] for r in later)
    assert dict_ratio > 1.5 * plain_ratio, (plain_ratio, dict_ratio)
    by_sha = dict(pages)
    for url in by_sha:
        (sha,) = archive.db.execute("SELECT body_sha256 FROM captures WHERE url = ?", [url]).fetchone()
        assert archive.capture_body(sha) == by_sha[url]
    assert first_problem(archive) is None
    archive.close()


def test_a_refetch_of_a_dictionary_keyframe_is_a_delta_that_reads_back(tmp_path, monkeypatch, pages):
    monkeypatch.setattr(store, "DICTIONARY_SAMPLES", SAMPLES)
    archive = Archive(tmp_path / "a.db")
    for url, body in pages:
        save(archive, url, body)
    url, body = pages[-1]
    changed = body.replace(b"</body>", b"<!-- view counter 2 --></body>")
    save(archive, url, changed)
    sha, codec, base, *_ = bodies(archive)[-1]
    assert codec == CODEC_ZSTD_DELTA
    assert archive.db.execute("SELECT codec FROM capture_bodies WHERE sha256 = ?", [base]).fetchone() == (
        CODEC_ZSTD_DICT,
    )
    assert archive.capture_body(sha) == changed
    assert first_problem(archive) is None
    archive.close()


def test_a_dictionary_trained_in_a_rolled_back_batch_is_forgotten(tmp_path, monkeypatch, pages):
    monkeypatch.setattr(store, "DICTIONARY_SAMPLES", SAMPLES)
    archive = Archive(tmp_path / "a.db")
    archive.begin_batch()
    for url, body in pages[:SAMPLES]:
        save(archive, url, body)
    assert archive.db.execute("SELECT count(*) FROM capture_dictionaries").fetchone() == (1,)
    archive.rollback_batch()
    assert archive.db.execute("SELECT count(*) FROM capture_dictionaries").fetchone() == (0,)
    # Written again (as the writer does after a rollback): no body may name the dictionary that is gone.
    for url, body in pages:
        save(archive, url, body)
    known = {sha for (sha,) in archive.db.execute("SELECT sha256 FROM capture_dictionaries")}
    assert len(known) == 1
    assert {base for _, codec, base, *_ in bodies(archive) if codec == CODEC_ZSTD_DICT} == known
    assert first_problem(archive) is None
    archive.close()


def test_when_training_fails_keyframes_stay_plain_and_it_is_tried_again_later(tmp_path, monkeypatch, pages):
    import zstandard

    import archive.captures as captures

    monkeypatch.setattr(store, "DICTIONARY_SAMPLES", SAMPLES)
    attempts = []

    def too_little(samples):
        attempts.append(len(samples))
        raise zstandard.ZstdError("Src size is incorrect")

    monkeypatch.setattr(captures, "train_dictionary", too_little)
    archive = Archive(tmp_path / "a.db")
    for url, body in pages[: 2 * SAMPLES + 1]:
        save(archive, url, body)
    assert archive.db.execute("SELECT count(*) FROM capture_dictionaries").fetchone() == (0,)
    assert {codec for _, codec, *_ in bodies(archive)} == {CODEC_ZSTD}
    assert attempts == [SAMPLES, SAMPLES]  # at the 8th keyframe and again at the 16th, not at every page
    assert first_problem(archive) is None
    archive.close()


def test_the_dictionaries_are_append_only(tmp_path, monkeypatch, pages):
    import sqlite3

    monkeypatch.setattr(store, "DICTIONARY_SAMPLES", SAMPLES)
    archive = Archive(tmp_path / "a.db")
    for url, body in pages[:SAMPLES]:
        save(archive, url, body)
    for statement in ("DELETE FROM capture_dictionaries", "UPDATE capture_dictionaries SET data = x'00'"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            archive.db.execute(statement)
    archive.close()
