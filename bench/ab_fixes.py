"""Before/after of the performance fixes: the modules as they were at a git revision against the tree's own.

The "before" modules are read with ``git show REV:path`` (read-only) and imported under other names, so
both run side by side in one process, interleaved, on the same replica pages. Their outputs are also
compared: a fix must not change what is extracted or archived.

    python -m bench.ab_fixes [--before REV|FOLDER] [--quick]
    python -m bench.ab_fixes --rewrites [--quick]

``--rewrites`` times each quick path of ``pipelines/`` against its readable form instead (see
bench/rewrites.py): the pairs issue 20 judged by their share of extract + clean per page.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import importlib.util
import os
import sqlite3
import statistics
import subprocess
import sys
import time
import types
import warnings
from dataclasses import fields, replace

from bench.common import ROOT, log, machine, render_pages, save_results, table, workdir
from pipelines.model import LATER_CONTENT_FIELDS, ArticleRecord

warnings.filterwarnings("ignore")

# The revision before this round of fixes (they were made on top of it; the earlier rounds, on top of
# c4fe9ce and 7c1dfb2, are described in bench/NOTES.md). Its three modules are kept byte for byte in
# tests/files/ab_fixes/ea4ce29/ (tests/files/SOURCES.txt), read first, so that `make bench` runs from a
# release tarball or any copy without the git history, as the tests do.
DEFAULT_BEFORE = "ea4ce29"
SAVED_REVISIONS = ROOT / "tests" / "files" / "ab_fixes"
# Pages each archive takes (untimed) before the measured ones: the capture dictionary is trained on the
# first 64 keyframes (archive.store.DICTIONARY_SAMPLES), once in an archive's life.
_WARM = 64


def _source_at(rev: str, path: str) -> str:
    """A module's source at ``rev``: a git revision, or a folder holding the files as they were (the tests
    keep one, so they need no git history)."""
    if os.path.isdir(rev):
        with open(os.path.join(rev, path), encoding="utf-8") as file:
            return file.read()
    saved = SAVED_REVISIONS / rev / path
    if saved.is_file():
        return saved.read_text(encoding="utf-8")
    try:
        return subprocess.run(
            ["git", "show", f"{rev}:{path}"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        raise SystemExit(
            f"ab_fixes: no {path} at {rev}: neither saved in {SAVED_REVISIONS} nor in a git history here"
        ) from None


def _module_at(rev: str, path: str, name: str) -> types.ModuleType:
    source = _source_at(rev, path)
    spec = importlib.util.spec_from_loader(name, loader=None)
    module = importlib.util.module_from_spec(spec)
    module.__file__ = f"{rev}:{path}"
    sys.modules[name] = module
    exec(compile(source, module.__file__, "exec"), module.__dict__)  # noqa: S102 (our own file at a revision)
    return module


def _interleave(cases: dict, rounds: int) -> dict[str, tuple[float, float]]:
    """(wall ms, CPU ms) per item, median over rounds; each case is (setup() -> items, fn)."""
    samples: dict[str, list[tuple[float, float]]] = {n: [] for n in cases}
    names = list(cases)
    for r in range(rounds):
        for name in names[r % 2 :] + names[: r % 2]:
            setup, fn = cases[name]
            items = setup()
            gc.collect()
            wall, cpu = time.perf_counter(), time.process_time()
            for item in items:
                fn(item)
            samples[name].append(
                (
                    (time.perf_counter() - wall) * 1000 / len(items),
                    (time.process_time() - cpu) * 1000 / len(items),
                )
            )
    return {
        n: (statistics.median(s[0] for s in v), statistics.median(s[1] for s in v))
        for n, v in samples.items()
    }


def _dump(path: str, columns: dict[str, list[str]]) -> list:
    """Every row that says what the archive holds, in the ``columns`` both schemas have (a later schema
    adds columns; see :func:`_common_columns`). Bodies by their hash and size, and read back through
    the tree's Archive: the compressed bytes differ once the archive has a trained dictionary, the bodies
    must not."""
    from archive.store import Archive

    conn = sqlite3.connect(path)
    archive = Archive(path, readonly=True)
    try:
        out = [
            conn.execute(f"SELECT {', '.join(names)} FROM {t} ORDER BY 1").fetchall()
            for t, names in columns.items()
        ]
        bodies = conn.execute("SELECT sha256, size FROM capture_bodies ORDER BY 1").fetchall()
        out.append(bodies)
        out.append(all(hashlib.sha256(archive.capture_body(sha)).hexdigest() == sha for sha, _ in bodies))
        out.append(conn.execute("SELECT rowid, * FROM articles_fts ORDER BY 1").fetchall())
        return out
    finally:
        archive.close()
        conn.close()


_DUMPED_TABLES = ("articles", "article_urls", "article_versions", "captures", "document_refs")


# What the tree reads and archives beyond the content that an older revision does not: where the page
# files the article (the raw breadcrumb and category links; the articles' category columns, which an
# older store leaves as the run gave them). Left out of both comparisons: they are not what is measured.
_LATER_RAW_FIELDS = frozenset({"breadcrumb", "category_links"})
_LATER_COLUMNS = frozenset({"category", "categories", "category_raw"})


# Keys of ``layers`` added after the "before" revision (the layout signature, pipelines/learned_layout.py).
_LATER_LAYER_KEYS = frozenset({"layout"})


def _raw_as_compared(raw) -> dict:
    fields = {k: v for k, v in raw.to_dict().items() if k not in _LATER_RAW_FIELDS}
    fields["layers"] = {k: v for k, v in fields.get("layers", {}).items() if k not in _LATER_LAYER_KEYS}
    return fields


def _common_columns(*paths: str) -> dict[str, list[str]]:
    """The columns of each dumped table that every archive has, in the first one's order, without the
    fields added later: both stores were given them empty, and an older store leaves them NULL (the
    before-archive gets the tree's schema, archive/schema.py is not taken from the revision)."""
    names = []
    for path in paths:
        conn = sqlite3.connect(path)
        try:
            names.append({t: [r[1] for r in conn.execute(f"PRAGMA table_info({t})")] for t in _DUMPED_TABLES})
        finally:
            conn.close()
    return {
        t: [
            c
            for c in names[0][t]
            if c not in LATER_CONTENT_FIELDS
            and c not in _LATER_COLUMNS
            and all(c in other[t] for other in names[1:])
        ]
        for t in _DUMPED_TABLES
    }


class _EarlierRecord(ArticleRecord):
    """A record as a revision older than ``LATER_CONTENT_FIELDS`` takes it: the same fields, its content
    without those (such a store has no column for them). The content is built once, so that the older
    store pays no more per call than the tree's pays for its own."""

    def content(self) -> dict:
        if not hasattr(self, "_earlier_content"):
            full = super().content()
            self._earlier_content = {k: v for k, v in full.items() if k not in LATER_CONTENT_FIELDS}
        return dict(self._earlier_content)


def _as_before(record: ArticleRecord) -> _EarlierRecord:
    return _EarlierRecord(**{f.name: getattr(record, f.name) for f in fields(record)})


def _without_later_fields(record: ArticleRecord) -> ArticleRecord:
    """Both sides are given the same content: the later fields empty (they enter no hash then)."""
    return replace(record, **{name: [] for name in LATER_CONTENT_FIELDS})


def measure(before: str, articles: int, rounds: int) -> dict:
    import archive.captures as captures_now
    import archive.store as store_now
    import pipelines.extract as extract_now
    from archive.captures import Capture
    from pipelines.record import clean_article
    from replica import Site

    extract_then = _module_at(before, "pipelines/extract.py", "_before_extract")
    captures_then = _module_at(before, "archive/captures.py", "_before_captures")
    store_then = _module_at(before, "archive/store.py", "_before_store")
    if hasattr(store_then, "CaptureStore"):  # a revision where capture storage is archive/capture_store.py
        capture_store_then = _module_at(before, "archive/capture_store.py", "_before_capture_store")
        capture_store_then.capture_codec = captures_then
        store_then.CaptureStore = capture_store_then.CaptureStore
    else:
        store_then.capture_codec = captures_then

    site = Site(articles=articles + _WARM, seed=0)
    gold, warm_gold = site.gold()[:articles], site.gold()[articles:]
    warm = render_pages(site, warm_gold)
    pages = render_pages(site, gold) + render_pages(site, gold, "en")
    refetch = render_pages(site, gold)  # second fetches: new counter, token, related list
    log(f"ab_fixes: {len(pages)} pages, before = {before}")

    # Same output?
    same_extract = all(
        _raw_as_compared(extract_then.extract_page(p.body, p.url, p.charset))
        == _raw_as_compared(extract_now.extract_page(p.body, p.url, p.charset))
        for p in pages
    )

    def cleaned(p):
        return _without_later_fields(clean_article(extract_now.extract_page(p.body, p.url, p.charset)))

    records = [(cleaned(p), p) for p in pages[: len(gold)]]
    warm_records = [(cleaned(p), p) for p in warm]
    records2 = [(cleaned(p), p) for p in refetch]
    # The store of the older revision gets each record as it knows records (see _as_before).
    older = {id(r): _as_before(r) for r, _ in (*records, *warm_records, *records2)}

    def capture(p):
        return Capture(
            url=p.url,
            status=200,
            body=p.body,
            fetched_at="2026-02-11T00:00:00+00:00",
            headers={"Content-Type": "text/html;charset=UTF-8"},
        )

    work = workdir("hepza-bench-ab-")
    state: dict = {}
    counter = [0]

    def given(module, record):
        return older[id(record)] if module is store_then else record

    def fresh(module):
        def setup():
            counter[0] += 1
            path = os.path.join(work, f"{counter[0]}.db")
            archive = module.Archive(path)
            for record, page in warm_records:  # (untimed) past its first pages, as any archive soon is
                archive.save(given(module, record), capture(page), run_id=None, urls=[page.url])
            state[module.__name__] = (archive, path)
            return records

        return setup

    def filled(module):
        def setup():
            archive, _ = fresh(module)() and state[module.__name__]
            for record, page in records:
                archive.save(given(module, record), capture(page), run_id=None, urls=[page.url])
            return records2

        return setup

    def save(module):
        def fn(item):
            record, page = item
            state[module.__name__][0].save(given(module, record), capture(page), run_id=None, urls=[page.url])

        return fn

    def dumps():
        paths = {n: state[m.__name__][1] for n, m in (("before", store_then), ("after", store_now))}
        columns = _common_columns(*paths.values())
        return {n: _dump(path, columns) for n, path in paths.items()}

    extract_times = _interleave(
        {
            "before": (lambda: pages, lambda p: extract_then.extract_page(p.body, p.url, p.charset)),
            "after": (lambda: pages, lambda p: extract_now.extract_page(p.body, p.url, p.charset)),
        },
        rounds,
    )
    new_times = _interleave(
        {"before": (fresh(store_then), save(store_then)), "after": (fresh(store_now), save(store_now))},
        rounds,
    )
    dumps_new = dumps()
    refetch_times = _interleave(
        {"before": (filled(store_then), save(store_then)), "after": (filled(store_now), save(store_now))},
        rounds,
    )
    dumps_refetch = dumps()
    body = pages[0].body
    compress_times = _interleave(
        {
            "before": (lambda: pages, lambda p: captures_then.compress(p.body)),
            "after": (lambda: pages, lambda p: captures_now.compress(p.body)),
        },
        rounds,
    )
    same_frames = captures_then.compress(body) == captures_now.compress(body)
    return {
        "machine": machine(),
        "before": before,
        "pages": len(pages),
        "extract_page": extract_times,
        "save_new": new_times,
        "save_refetch": refetch_times,
        "compress": compress_times,
        "same_extraction": same_extract,
        "same_archive": dumps_new["before"] == dumps_new["after"]
        and dumps_refetch["before"] == dumps_refetch["after"],
        "same_frames": same_frames,
    }


def markdown(result: dict) -> str:
    rows = []
    for key, label in (
        ("extract_page", "extract_page"),
        ("save_new", "Archive.save, new article"),
        ("save_refetch", "Archive.save, unchanged re-fetch"),
        ("compress", "captures.compress (keyframe)"),
    ):
        b, a = result[key]["before"], result[key]["after"]
        rows.append(
            [
                label,
                f"{b[0]:.3f} / {b[1]:.3f}",
                f"{a[0]:.3f} / {a[1]:.3f}",
                f"{(a[1] / b[1] - 1) * 100:+.0f}%",
            ]
        )
    return "\n".join(
        [
            f"Before = the modules at `{result['before']}`, after = the tree; {result['pages']} replica pages, "
            "interleaved rounds, medians.",
            "",
            table(rows, ["step", "before ms wall / CPU", "after ms wall / CPU", "CPU change"]),
            "",
            f"Identical output: extraction {result['same_extraction']}, archive rows (articles, URLs, versions, "
            f"captures, bodies, refs, FTS) {result['same_archive']}, compressed frames {result['same_frames']}.",
        ]
    )


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default=DEFAULT_BEFORE)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--rewrites", action="store_true", help="the quick paths against readable forms")
    args = parser.parse_args(argv)
    if args.rewrites:
        return _main_rewrites(args.quick)
    result = measure(args.before, articles=150 if args.quick else 400, rounds=3 if args.quick else 5)
    print(markdown(result))
    save_results("ab_fixes", result)
    return result


def _main_rewrites(quick: bool) -> dict:
    from bench import rewrites
    from replica import Site

    site = Site(articles=100 if quick else 300, seed=0)
    pages = render_pages(site, site.gold()) + render_pages(site, site.gold()[: 50 if quick else 100], "en")
    modules: dict[str, types.ModuleType] = {}

    def at_rev(name: str) -> types.ModuleType:
        if name not in modules:
            path = name.replace(".", "/") + ".py"
            modules[name] = _module_at(rewrites.QUICK_REV, path, f"_quick_{name.replace('.', '_')}")
        return modules[name]

    log(f"ab_fixes --rewrites: {len(pages)} pages, quick forms at {rewrites.QUICK_REV}")
    result = rewrites.measure_rewrites(pages, rounds=3 if quick else 9, at_rev=at_rev)
    print(rewrites.markdown(result))
    save_results("ab_rewrites", result)
    return result


if __name__ == "__main__":
    main()
