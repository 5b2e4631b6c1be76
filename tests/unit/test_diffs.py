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
