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
