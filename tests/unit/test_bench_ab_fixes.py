"""bench/ab_fixes.py still compares like with like: the before/after of the performance fixes must keep
showing identical output as the schema and the record grow (a content field added later once broke it,
unnoticed until `make bench`). Tiny and untimed: the figures are the benchmark's business."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from bench import ab_fixes
from bench.ab_fixes import measure

# The "before" modules as they were at a revision (tests/files/SOURCES.txt): read from files, not from the
# git history, so that the test runs from any copy of the tree.
BEFORE = Path(__file__).resolve().parents[1] / "files" / "ab_fixes" / "ea4ce29"


def test_the_before_after_of_the_fixes_still_shows_identical_output():
    result = measure(str(BEFORE), articles=12, rounds=1)
    assert (result["same_extraction"], result["same_archive"], result["same_frames"]) == (True, True, True)


def test_the_kept_quick_paths_give_what_their_readable_forms_give(monkeypatch):
    # bench/rewrites.py times each quick path the tree keeps against its readable form; both must give the
    # same output on the pipeline's own calls (the kept pairs need no revision from git history).
    from bench import rewrites
    from bench.common import render_pages
    from replica import Site

    kept = [pair for pair in rewrites._pairs() if pair.kept]
    monkeypatch.setattr(rewrites, "_pairs", lambda: kept)
    site = Site(articles=6, seed=0)

    def no_revision(module: str):
        raise AssertionError(f"a kept pair asked for {module} at {rewrites.QUICK_REV}")

    result = rewrites.measure_rewrites(render_pages(site, site.gold()), rounds=1, at_rev=no_revision)
    assert {p["name"] for p in result["pairs"]} == {p.name for p in kept}
    assert all(p["same_output"] and p["calls_per_page"] > 0 for p in result["pairs"]), result["pairs"]


def test_make_bench_reads_its_default_revision_without_git(monkeypatch):
    # `make bench` from a copy without .git once stopped at `git show ea4ce29:…`: the default revision
    # is read from the saved files, and git is never asked.
    def no_git(*args, **kwargs):
        raise AssertionError(f"git asked: {args}")

    monkeypatch.setattr(subprocess, "run", no_git)
    for path in ("pipelines/extract.py", "archive/captures.py", "archive/store.py"):
        text = ab_fixes._source_at(ab_fixes.DEFAULT_BEFORE, path)
        assert text == (BEFORE / path).read_text(encoding="utf-8")


def test_a_revision_neither_saved_nor_in_git_is_a_one_line_exit(tmp_path, monkeypatch):
    monkeypatch.setattr(ab_fixes, "ROOT", tmp_path)  # (no git history there)
    with pytest.raises(SystemExit) as stop:
        ab_fixes._source_at("0123abc", "pipelines/extract.py")
    assert "no pipelines/extract.py at 0123abc" in str(stop.value)
