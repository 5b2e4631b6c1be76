"""bench/ab_fixes.py still compares like with like: the before/after of the performance fixes must keep
showing identical output as the schema and the record grow (a content field added later once broke it,
unnoticed until `make bench`). Tiny and untimed: the figures are the benchmark's business."""

from __future__ import annotations

from bench.ab_fixes import DEFAULT_BEFORE, measure


def test_the_before_after_of_the_fixes_still_shows_identical_output():
    result = measure(DEFAULT_BEFORE, articles=12, rounds=1)
    assert (result["same_extraction"], result["same_archive"], result["same_frames"]) == (True, True, True)
