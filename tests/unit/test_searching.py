"""Search people can trust (archive/searching.py): folded recall for words typed without diacritics, the
letters typed for words with them, snippets from the text as written, plain sentences for bad queries,
and past versions."""

from __future__ import annotations

import re

import pytest

import archive
from archive.searching import BadQuery, highlight, parse_query, text_matches
from archive.store import Archive
from pipelines.text import fold_key
from tests.unit.test_store import capture, make_record

SITE = "http://127.0.0.1:9/w"
# Each body holds one of the words that fold to "dang", or none; the count of each is the test's truth.
BODIES = {
    "1001": "Đại hội Đảng bộ Ban Quản lý nhiệm kỳ 2025 - 2030 thành công tốt đẹp.",
    "1002": "Công tác xây dựng Đảng được chú trọng trong các khu chế xuất.",
    "1003": "Thông báo đăng ký tham gia hội chợ việc làm năm 2025.",
    "1004": "Doanh nghiệp đang hoàn thiện hồ sơ đầu tư mở rộng nhà xưởng.",
    "1005": "ĐẢNG ỦY KHU CÔNG NGHIỆP TÂN BÌNH TỔ CHỨC HỘI NGHỊ.",
    "1006": "Hội nghị về hòa nhập cộng đồng cho người lao động.",
}
REMOVED_SENTENCE = "Dự án bị thu hồi giấy phép vì vi phạm môi trường."


@pytest.fixture(scope="module")
def hepza(tmp_path_factory):
    path = tmp_path_factory.mktemp("search") / "hepza.db"
    store = Archive(path)
    try:
        for asset_id, body in BODIES.items():
            url = f"{SITE}/bai-{asset_id}"
            record = make_record(
                url=url, canonical=url, asset_id=asset_id, title=f"Tin {asset_id}", body_text=body
            )
            store.save(record, capture(url=url), run_id=None)
        url = f"{SITE}/du-an"
        first = make_record(
            url=url,
            canonical=url,
            asset_id="2001",
            title="Dự án nhà máy",
            body_text=f"Nhà máy đi vào hoạt động. {REMOVED_SENTENCE}",
        )
        store.save(first, capture(url=url), run_id=None)
        store.save(
            make_record(
                url=url,
                canonical=url,
                asset_id="2001",
                title="Dự án nhà máy",
                body_text="Nhà máy đi vào hoạt động.",
                source_hash="s2",
            ),
            capture(b"v2", url=url),
            run_id=None,
        )
    finally:
        store.close()
    with archive.open(path) as reader:
        yield reader


def _titles(results) -> set[str]:
    return {hit.article.title for hit in results.hits}


def _count_in_the_text(word: str, exact: bool) -> int:
    """How many bodies hold the word: as written (case aside) or folded: the truth the counts are held to."""
    if exact:
        return sum(1 for b in BODIES.values() if word.casefold() in re.findall(r"\w+", b.casefold()))
    return sum(1 for b in BODIES.values() if fold_key(word) in re.findall(r"\w+", fold_key(b)))


def test_dang_without_marks_finds_every_accented_form_and_dang_with_marks_only_its_letters(hepza):
    loose, exact = hepza.search_hits("dang", limit=None), hepza.search_hits("Đảng", limit=None)
    assert loose.total == _count_in_the_text("dang", exact=False) == 5
    assert exact.total == _count_in_the_text("Đảng", exact=True) == 3
    assert _titles(exact) == {"Tin 1001", "Tin 1002", "Tin 1005"}  # any case: ĐẢNG ỦY counts
    assert [a.title for a in hepza.search("đăng")] == ["Tin 1003"]
    assert [a.title for a in hepza.search("đang")] == ["Tin 1004"]
    # Mixed: the marked word as typed, the other folded.
    assert _titles(hepza.search_hits("xay dựng Đảng")) == {"Tin 1002"}


def test_tone_placement_is_no_difference():
    assert text_matches(parse_query("hoà nhập"), "Hội nghị về hòa nhập cộng đồng")
    assert not text_matches(parse_query("hóa"), "Hội nghị về hòa nhập cộng đồng")


def test_hits_carry_a_snippet_of_the_text_as_written_with_the_words_marked(hepza):
    [hit] = hepza.search_hits("xay dung Đảng").hits
    assert [text for text, matched in hit.snippet if matched] == ["xây", "dựng", "Đảng"]
    assert "".join(text for text, _ in hit.snippet) == BODIES["1002"]
    long = " ".join(["chữ"] * 100) + " Đảng bộ " + " ".join(["khác"] * 100)
    pieces = highlight(parse_query("Đảng"), long)
    assert pieces[0] == ("… ", False) and pieces[-1] == (" …", False)
    assert ("Đảng", True) in pieces and len("".join(t for t, _ in pieces).split()) < 40


@pytest.mark.parametrize("query", ['"', "AND", "*", "  ", "OR NOT", '" * "', "?!"])
def test_a_query_with_no_word_gets_a_sentence_not_an_error(hepza, query):
    with pytest.raises(BadQuery) as raised:
        hepza.search_hits(query)
    message = str(raised.value)
    assert message.endswith(".") and "SQL" not in message and "fts5" not in message
    assert hepza.search(query) == []


def test_an_unpaired_quote_or_a_star_beside_words_is_ignored(hepza):
    assert hepza.search_hits('"xây dựng').total == hepza.search_hits("xây dựng").total == 1
    assert hepza.search_hits("Đảng*").total == 3
    # Paired quotes keep a phrase: the words side by side.
    assert hepza.search_hits('"dựng Đảng"').total == 1
    assert hepza.search_hits('"Đảng xây"').total == 0


def test_past_versions_find_a_sentence_that_was_later_removed(hepza):
    assert hepza.search_hits(REMOVED_SENTENCE).total == 0
    past = hepza.search_hits(REMOVED_SENTENCE, past_versions=True)
    assert past.total == 1 and past.past_versions
    [hit] = past.hits
    assert (hit.article.title, hit.version, hit.in_current) == ("Dự án nhà máy", 1, False)
    assert "".join(t for t, matched in hit.snippet if matched).startswith("Dự")
    # Text still in the current version is shown from it.
    [still] = hepza.search_hits("nhà máy hoạt động", past_versions=True).hits
    assert (still.version, still.in_current) == (None, True)
