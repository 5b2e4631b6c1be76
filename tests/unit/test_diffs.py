"""Word-level diffs, Vietnamese-aware: diacritics and tone marks are changes."""

from archive.diffs import render_terminal, summary, word_diff


def test_a_tone_mark_is_a_change():
    runs = word_diff("hòa bình", "hoà bình")
    assert ("-", "hòa") in runs and ("+", "hoà") in runs


def test_nfd_and_nfc_spellings_are_the_same_text():
    assert word_diff("Thông tin", "Tho\u0302ng tin") == [("=", "Thông tin")]


def test_render_marks_removed_and_added_words():
    text = render_terminal(word_diff("Hội nghị sơ kết quý I", "Hội nghị tổng kết quý I"))
    assert "[-sơ-]" in text and "{+tổng+}" in text


def test_summary_counts_words():
    assert summary("một hai ba", "một bốn ba năm") == "-1 +2 words"


def _long_text(words: int, edit: int | None = None) -> str:
    from replica.faults import long_prose

    return long_prose(words, edit).replace("</p><p>", "\n\n").removeprefix("<p>").removesuffix("</p>")


def test_a_one_word_edit_of_a_long_text_is_diffed_in_linear_time():
    import time

    old, new = _long_text(15_000), _long_text(15_000, 7_500)
    started = time.monotonic()
    runs = word_diff(old, new)
    assert time.monotonic() - started < 1.0  # the quadratic diff took over a minute
    assert [op for op, _ in runs] == ["=", "-", "+", "="]
    assert runs[2][1] == "sửa7500" and not runs.coarse
    assert summary(old, new) == "-1 +1 words"


def test_edits_far_apart_are_each_diffed_word_by_word():
    old = _long_text(15_000)
    new = _long_text(15_000, 100).replace("sửa100", "x", 1)
    new = new[:-40] + new[-40:].replace(" ", " thêm ", 1)
    runs = word_diff(old, new)
    assert "".join(t for op, t in runs if op != "+") == old
    assert "".join(t for op, t in runs if op != "-") == new
    assert summary(old, new) == "-1 +2 words"


def test_runs_always_rebuild_both_texts():
    import random

    rnd = random.Random(7)
    vocab = ["a", "b", "c.", "d", "e!", "\n", "f"]
    for _ in range(300):
        old = " ".join(rnd.choice(vocab) for _ in range(rnd.randint(0, 40)))
        new = " ".join(rnd.choice(vocab) for _ in range(rnd.randint(0, 40)))
        for cap in (3, 4000):
            runs = word_diff(old, new, max_tokens=cap)
            assert "".join(t for op, t in runs if op != "+") == old
            assert "".join(t for op, t in runs if op != "-") == new


def test_a_changed_stretch_past_the_cap_is_shown_whole_and_said_so():
    runs = word_diff("one two three four five six", "one two 3 4 5 six", max_tokens=3)
    assert runs == [("=", "one two "), ("-", "three four five"), ("+", "3 4 5"), ("=", " six")]
    assert runs.coarse
    assert render_terminal(runs).endswith("shown whole)")


# --- words of Vietnamese text: NFC words, punctuation apart, marks never cut off their letter -------------

import unicodedata  # noqa: E402

import pytest  # noqa: E402

from archive.diffs import mark_change  # noqa: E402

# (old, new, the removed runs, the added runs): real-shaped edits of bylines, captions, figures and names.
WORD_EDITS = [
    ("Nguyễn Văn Hòa", "Nguyễn Văn Hoà", ["Hòa"], ["Hoà"]),
    ("Trần Thị Thu Hà", "Trần Thị Thu Hằng", ["Hà"], ["Hằng"]),
    ("Tin, ảnh: Ngọc Hân.", "Tin, ảnh: Ngọc Hằng.", ["Hân"], ["Hằng"]),
    ("(Ảnh: Thanh Tùng)", "(Ảnh: Thanh Tâm)", ["Tùng"], ["Tâm"]),
    ("đạt 1.284,5 triệu USD,", "đạt 1.248,5 triệu USD,", ["1.284,5"], ["1.248,5"]),
    ("giảm 74,28%;", "giảm 72,48%;", ["74,28"], ["72,48"]),
    (
        "Quyết định số 12/2024/QĐ-UBND",
        "Quyết định số 15/2024/QĐ-UBND",
        ["12/2024/QĐ-UBND"],
        ["15/2024/QĐ-UBND"],
    ),
    ("KCX Tân Thuận, TP.HCM", "KCX Linh Trung, TP.HCM", ["Tân Thuận"], ["Linh Trung"]),
    ("“Đảng ủy”", "“Đảng bộ”", ["ủy"], ["bộ"]),
    ("Ông Nguyễn Văn Hòa.", "Bà Nguyễn Thị Hoà.", ["Ông", "Văn Hòa"], ["Bà", "Thị Hoà"]),
]


@pytest.mark.parametrize(("old", "new", "removed", "added"), WORD_EDITS)
def test_an_edit_is_its_words_with_their_marks_and_without_their_punctuation(old, new, removed, added):
    runs = word_diff(old, new)
    assert [t for op, t in runs if op == "-"] == removed
    assert [t for op, t in runs if op == "+"] == added
    assert "".join(t for op, t in runs if op != "+") == old
    assert "".join(t for op, t in runs if op != "-") == new


@pytest.mark.parametrize(("old", "new", "removed", "added"), WORD_EDITS[:4])
def test_a_decomposed_spelling_diffs_as_its_composed_one(old, new, removed, added):
    runs = word_diff(unicodedata.normalize("NFD", old), new)
    assert [t for op, t in runs if op == "-"] == removed and [t for op, t in runs if op == "+"] == added


def test_a_mark_that_cannot_compose_stays_with_its_letter():
    # "x" with a combining acute has no composed form: the mark is part of the word, never a token alone
    runs = word_diff("x\u0301 y", "x\u0301 z")
    assert runs == [("=", "x\u0301 "), ("-", "y"), ("+", "z")]
    assert word_diff("a x\u0301,", "a x,") == [("=", "a "), ("-", "x\u0301"), ("+", "x"), ("=", ",")]


MARK_CHANGES = [
    ("Nguyễn Văn Hòa", "Nguyễn Văn Hoà", "tone mark moved"),
    ("hòa bình", "hoà bình", "tone mark moved"),
    ("Thủy", "Thuỷ", "tone mark moved"),
    ("Hà", "Hạ", "diacritics changed"),
    ("Đảng", "Đăng", "diacritics changed"),
    ("Đảng", "Dảng", "diacritics changed"),
    ("hoà bình", "Hoà bình", "capitals changed"),
    ("Trần Thị Thu Hà", "Trần Thị Thu Hằng", None),
    ("Ngọc Hân", "Ngọc Hân", None),
    ("Nguyễn Văn Hòa", "Nguyễn Hòa", None),
]


@pytest.mark.parametrize(("old", "new", "kind"), MARK_CHANGES)
def test_a_change_of_marks_alone_is_named(old, new, kind):
    assert mark_change(old, new) == kind


def test_an_elided_stretch_keeps_one_space_before_the_change():
    from archive.diffs import elide

    assert elide("một hai ba bốn năm sáu bảy tám ", False, False, 2) == "một hai … tám "
    text = render_terminal(
        word_diff(
            "a b c d e f g h i j k l m n o p q r s t đạt 1.284,5",
            "a b c d e f g h i j k l m n o p q r s t đạt 1.248,5",
        ),
        3,
    )
    assert "đạt [-1.284,5-]" in text and "  " not in text
