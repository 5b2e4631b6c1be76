"""bench/ab_fixes.py still compares like with like: the before/after of the performance fixes must keep
showing identical output as the schema and the record grow (a content field added later once broke it,
unnoticed until `make bench`). Tiny and untimed: the figures are the benchmark's business."""

from __future__ import annotations

from pathlib import Path

from bench.ab_fixes import measure

# The "before" modules as they were at a revision (tests/files/SOURCES.txt): read from files, not from the
# git history, so that the test runs from any copy of the tree.
BEFORE = Path(__file__).resolve().parents[1] / "files" / "ab_fixes" / "ea4ce29"


def test_the_before_after_of_the_fixes_still_shows_identical_output():
    result = measure(str(BEFORE), articles=12, rounds=1)
    assert (result["same_extraction"], result["same_archive"], result["same_frames"]) == (True, True, True)
