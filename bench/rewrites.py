"""The quick paths of ``pipelines/`` against their readable forms, as a share of extract + clean per page.

Earlier rounds rewrote regexes and hot paths for a few microseconds a page (quick pre-checks before a
regex, look-behinds moved after a literal, cached lookups, hand-written loops). Issue 20 keeps such a
rewrite only where it saves at least 2% of extract + clean per page. Each pair below is one rewrite: the
quick form taken from the module at ``QUICK_REV`` (the tree before the readable forms were restored) or
the tree, the readable form the tree's or one written here, and the function the pair is timed on.

The timed function is called with the arguments the pipeline gives it on each page (recorded while
extract_page + clean_article run over the pages), both forms in turn, interleaved over the rounds
(CPU time, medians); their outputs are compared. The gain is the quick form's saving per page divided
by extract + clean per page, timed in the same rounds.

    python -m bench.ab_fixes --rewrites [--quick]
"""

from __future__ import annotations

import gc
import importlib
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# The tree before issue 20 restored the readable forms: where the quick forms removed since are read.
QUICK_REV = "a908edf"


@dataclass(frozen=True)
class Pair:
    """One rewrite: ``module.timed`` is timed with ``quick`` and then ``readable`` set on the module.

    ``quick`` and ``readable`` name module attributes; a value of :data:`AT_QUICK_REV` takes the
    attribute from the module at ``QUICK_REV``, :data:`TREE` leaves the tree's in place."""

    name: str
    module: str
    timed: str
    quick: dict[str, Any] = field(default_factory=dict)
    readable: dict[str, Any] = field(default_factory=dict)
    kept: bool = False  # whether the tree holds the quick form (gain >= 2%)
    # Names set on the module at QUICK_REV to the tree's values while timing: to time one rewrite of a
    # function that holds several (the quick tests of _candidates without its regexes' rewrites).
    rev_globals: tuple[str, ...] = ()


AT_QUICK_REV = object()
TREE = object()


def _pairs() -> list[Pair]:
    """The rewrites considered in issue 20 (bench/NOTES.md lists them with their figures)."""
    return [
        Pair(
            "event dates: word forms look behind after the word",
            "pipelines.event_dates",
            "_candidates",
            quick=dict.fromkeys(
                ["_FULL_TEXTUAL_RE", "_YEARLESS_TEXTUAL_RE", "_MONTH_RE", "_QUARTER_RE", "_YEAR_RE"],
                AT_QUICK_REV,
            ),
        ),
        Pair(
            "event dates: numeric forms start with the day's digit",
            "pipelines.event_dates",
            "_candidates",
            quick=dict.fromkeys(["_DAY_RANGE_RE", "_FULL_NUMERIC_RE"], AT_QUICK_REV),
        ),
        Pair(
            "event dates: any-year form looks behind after the year",
            "pipelines.event_dates",
            "_years",
            quick={"_ANY_YEAR_RE": AT_QUICK_REV},
        ),
        Pair(
            "event dates: each form only when a quick test finds its word or separator",
            "pipelines.event_dates",
            "_candidates",
            quick={"_candidates": AT_QUICK_REV},
            rev_globals=(
                "_FULL_TEXTUAL_RE",
                "_YEARLESS_TEXTUAL_RE",
                "_MONTH_RE",
                "_QUARTER_RE",
                "_YEAR_RE",
                "_DAY_RANGE_RE",
                "_FULL_NUMERIC_RE",
                "_YEARLESS_NUMERIC_RE",
            ),
        ),
        Pair(
            "event dates: the three above together",
            "pipelines.event_dates",
            "_candidates",
            quick={"_candidates": AT_QUICK_REV},
        ),
        Pair(
            "event dates: issuing dates only when a quick search finds one",
            "pipelines.event_dates",
            "_mask_citations",
            quick={"_mask_citations": AT_QUICK_REV},
        ),
        Pair(
            "document numbers: quick searches before the citation forms",
            "pipelines.docrefs",
            "citation_spans",
            quick={"citation_spans": AT_QUICK_REV},
        ),
        Pair(
            "document numbers: quick searches before the citation forms (find_document_refs)",
            "pipelines.docrefs",
            "find_document_refs",
            quick={"find_document_refs": AT_QUICK_REV},
        ),
        Pair(
            "text: one search before the four space and control substitutions",
            "pipelines.text",
            "_clean_spaces",
            readable={"_clean_spaces": _clean_spaces_readable},
            kept=True,
        ),
        Pair(
            "text: normalize_inline squeezes spaces instead of splitting into words",
            "pipelines.text",
            "normalize_inline",
            quick={"normalize_inline": AT_QUICK_REV},
            rev_globals=("_clean_spaces",),
        ),
        Pair(
            "text: markup controls looked for in the UTF-8 bytes first",
            "pipelines.text",
            "drop_markup_controls",
            quick={"drop_markup_controls": AT_QUICK_REV},
        ),
        Pair(
            "hashing: cache busters scanned only when '?t=' or '&t=' is present",
            "pipelines.hashing",
            "source_hash",
            quick={"_without_cache_busters": AT_QUICK_REV},
        ),
        Pair(
            "urls: join_url returns a plain absolute or root-relative href without urljoin",
            "pipelines.urls",
            "join_url",
            readable={"join_url": _join_url_readable},
            kept=True,
        ),
        Pair(
            "body: whitespace between blocks is not normalised",
            "pipelines.html_text",
            "body_parts",
            quick={"_Walker": AT_QUICK_REV},
        ),
        Pair(
            "extract: a substring test before splitting a class (web content, title)",
            "pipelines.extract",
            "_scan",
            quick={"_scan": AT_QUICK_REV},
        ),
        Pair(
            "extract: a substring test before splitting a class (breadcrumb, categories)",
            "pipelines.extract",
            "_read_categories",
            readable={"_read_categories": _read_categories_readable},
            kept=True,
        ),
        Pair(
            "bylines: 'in' tests and rstrip instead of two regexes on a cleaned line",
            "pipelines.bylines",
            "_clean",
            quick={"_clean": AT_QUICK_REV},
        ),
        Pair(
            "text: fold_key by a per-character table filled on first sight, ASCII by lower()",
            "pipelines.text",
            "fold_key",
            readable={"fold_key": _fold_key_readable},
            kept=True,
        ),
        Pair(
            "text: normalize_text's regexes only when an 'in' test finds what they replace",
            "pipelines.text",
            "normalize_text",
            quick={"normalize_text": AT_QUICK_REV},
            rev_globals=("_clean_spaces",),
        ),
    ]


# The readable forms of the quick paths the tree keeps (gain >= 2%).


def _clean_spaces_readable(s: str) -> str:
    """pipelines.text._clean_spaces without its one search before the substitutions."""
    import unicodedata

    from pipelines import text

    s = unicodedata.normalize("NFC", s)
    s = text._INVISIBLE_RE.sub("", s)
    s = unicodedata.normalize("NFC", s)
    s = text._LINE_BREAK_RE.sub("\n", s)
    s = text._CONTROL_RE.sub("", s)
    return text._ODD_SPACES_RE.sub(" ", s)


def _join_url_readable(base: str, href: str) -> str | None:
    """pipelines.urls.join_url as urljoin alone (None for an href it cannot parse)."""
    from urllib.parse import urljoin

    try:
        return urljoin(base, href)
    except ValueError:
        return None


def _fold_key_readable(s: str) -> str:
    """pipelines.text.fold_key on the whole text at once, without its table and ASCII shortcut."""
    import unicodedata

    from pipelines import text

    def without_marks(s: str) -> str:
        return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))

    s = without_marks(text.normalize_inline(s).translate(text._D_FOLD)).casefold().translate(text._D_FOLD)
    return " ".join(unicodedata.normalize("NFC", without_marks(s)).split())


def _read_categories_readable(doc, url: str, raw) -> None:  # type: ignore[no-untyped-def]
    """pipelines.extract._read_categories splitting every class attribute, with no substring test."""
    from pipelines import extract

    trail, links = None, []
    for element in doc.iter(*extract._FILING_TAGS):
        if trail is None and (element.get("aria-label") or "").lower() == "breadcrumb":
            trail = element
        tokens = set((element.get("class") or "").split())
        if trail is None and tokens & extract._BREADCRUMB_CLASSES:
            trail = element
        if element.tag == "a" and extract._CATEGORY_LINK_CLASS in tokens:
            links.append(element)
        elif tokens & extract._CATEGORY_CONTAINER_CLASSES:
            links.extend(element.iter("a"))
    if trail is not None:
        items = trail.findall(".//li") or trail.findall(".//a")
        entries = (extract._link_entry(item, url) for item in items)
        raw.breadcrumb = [entry for entry in entries if entry["text"]]
    seen: set[tuple] = set()
    for link in links:
        entry = extract._link_entry(link, url)
        if entry["text"] and (entry["text"], entry["url"]) not in seen:
            seen.add((entry["text"], entry["url"]))
            raw.category_links.append(entry)


def _recorded_calls(pairs: list[Pair], pages: list) -> dict[tuple[str, str], list[tuple[tuple, dict]]]:
    """The arguments of every call the pipeline makes to each timed function over ``pages``."""
    import sys

    from pipelines.extract import extract_page
    from pipelines.record import clean_article

    calls: dict[tuple[str, str], list[tuple[tuple, dict]]] = {}
    installed: list[tuple[Any, str, Any]] = []  # (module, name, original) to put back
    for pair in pairs:
        key = (pair.module, pair.timed)
        if key in calls:
            continue
        original = getattr(importlib.import_module(pair.module), pair.timed)
        calls[key] = []

        def recording(*args, _fn=original, _log=calls[key], **kwargs):  # type: ignore[no-untyped-def]
            _log.append((args, kwargs))
            return _fn(*args, **kwargs)

        # Wherever the function is bound by name: its own module and every module that imported it.
        for module in list(sys.modules.values()):
            if getattr(module, "__name__", "").startswith("pipelines") and (
                getattr(module, pair.timed, None) is original
            ):
                installed.append((module, pair.timed, original))
                setattr(module, pair.timed, recording)
    try:
        for page in pages:
            clean_article(extract_page(page.body, page.url, page.charset))
    finally:
        for module, name, original in installed:
            setattr(module, name, original)
    return calls


def _form(pair: Pair, which: str, at_rev: Callable[[str], Any]) -> dict[str, Any]:
    module = importlib.import_module(pair.module)
    wanted = pair.quick if which == "quick" else pair.readable
    form = {}
    for name, value in wanted.items():
        if value is AT_QUICK_REV:
            form[name] = getattr(at_rev(pair.module), name)
        elif value is TREE:
            form[name] = getattr(module, name)
        else:
            form[name] = value
    return form


def _run(pair: Pair, form: dict[str, Any], calls: list, at_rev: Callable[[str], Any]) -> tuple[float, list]:
    """CPU seconds of the calls with ``form`` set on the module, and their results."""
    module = importlib.import_module(pair.module)
    saved = {name: getattr(module, name) for name in form}
    for name, value in form.items():
        setattr(module, name, value)
    if pair.rev_globals:
        rev = at_rev(pair.module)
        rev_saved = {name: getattr(rev, name) for name in pair.rev_globals}
        for name in pair.rev_globals:
            setattr(rev, name, getattr(module, name))
    try:
        fn = getattr(module, pair.timed)
        gc.collect()
        started = time.process_time()
        results = [fn(*args, **kwargs) for args, kwargs in calls]
        return time.process_time() - started, results
    finally:
        for name, value in saved.items():
            setattr(module, name, value)
        if pair.rev_globals:
            for name, value in rev_saved.items():
                setattr(rev, name, value)


def _whole(pair: Pair, form: dict[str, Any], pages: list, at_rev: Callable[[str], Any]) -> float:
    """CPU seconds of extract + clean over ``pages`` with ``form`` set wherever the tree binds the names
    it replaces (the module and every module of pipelines/ that imported them)."""
    import sys

    from pipelines.extract import extract_page
    from pipelines.record import clean_article

    module = importlib.import_module(pair.module)
    installed = []
    for name, value in form.items():
        original = getattr(module, name)
        for other in list(sys.modules.values()):
            if (
                getattr(other, "__name__", "").startswith("pipelines")
                and getattr(other, name, None) is original
            ):
                installed.append((other, name, original))
                setattr(other, name, value)
    rev_saved = {}
    if pair.rev_globals:
        rev = at_rev(pair.module)
        rev_saved = {name: getattr(rev, name) for name in pair.rev_globals}
        for name in pair.rev_globals:
            setattr(rev, name, getattr(module, name))
    try:
        gc.collect()
        started = time.process_time()
        for page in pages:
            clean_article(extract_page(page.body, page.url, page.charset))
        return time.process_time() - started
    finally:
        for other, name, original in installed:
            setattr(other, name, original)
        for name, value in rev_saved.items():
            setattr(at_rev(pair.module), name, value)


def measure_rewrites(pages: list, rounds: int, at_rev: Callable[[str], Any]) -> dict:
    """Per pair: µs a page with each form, the quick form's saving as a share of extract + clean."""
    from pipelines.extract import extract_page
    from pipelines.record import clean_article

    pairs = _pairs()
    calls = _recorded_calls(pairs, pages)
    forms = {p.name: (_form(p, "quick", at_rev), _form(p, "readable", at_rev)) for p in pairs}
    samples: dict[str, dict[str, list[float]]] = {p.name: {"quick": [], "readable": []} for p in pairs}
    whole: list[float] = []
    whole_samples: dict[str, dict[str, list[float]]] = {p.name: {"quick": [], "readable": []} for p in pairs}
    same = {p.name: True for p in pairs}
    for r in range(rounds):
        gc.collect()
        started = time.process_time()
        for page in pages:
            clean_article(extract_page(page.body, page.url, page.charset))
        whole.append((time.process_time() - started) / len(pages))
        for pair in pairs:
            recorded = calls[(pair.module, pair.timed)]
            quick, readable = forms[pair.name]
            order = [("quick", quick), ("readable", readable)]
            results = {}
            for which, form in order if r % 2 == 0 else order[::-1]:
                seconds, results[which] = _run(pair, form, recorded, at_rev)
                samples[pair.name][which].append(seconds / len(pages))
            same[pair.name] = same[pair.name] and repr(results["quick"]) == repr(results["readable"])
            for which, form in order if r % 2 else order[::-1]:
                whole_samples[pair.name][which].append(_whole(pair, form, pages, at_rev) / len(pages))
    per_page = statistics.median(whole)
    out = {"extract_clean_us": per_page * 1e6, "pages": len(pages), "rounds": rounds, "pairs": []}
    for pair in pairs:
        quick = statistics.median(samples[pair.name]["quick"])
        readable = statistics.median(samples[pair.name]["readable"])
        out["pairs"].append(
            {
                "name": pair.name,
                "timed": f"{pair.module}.{pair.timed}",
                "calls_per_page": len(calls[(pair.module, pair.timed)]) / len(pages),
                "quick_us": quick * 1e6,
                "readable_us": readable * 1e6,
                "gain_share": (readable - quick) / per_page,
                "whole_quick_us": statistics.median(whole_samples[pair.name]["quick"]) * 1e6,
                "whole_readable_us": statistics.median(whole_samples[pair.name]["readable"]) * 1e6,
                "whole_gain_share": statistics.median(
                    (b - a) / a
                    for a, b in zip(
                        whole_samples[pair.name]["quick"], whole_samples[pair.name]["readable"], strict=True
                    )
                ),
                "same_output": same[pair.name],
                "kept": pair.kept,
            }
        )
    return out


def markdown(result: dict) -> str:
    from bench.common import table

    rows = [
        [
            p["name"],
            f"`{p['timed']}`",
            f"{p['quick_us']:.1f}",
            f"{p['readable_us']:.1f}",
            f"{p['gain_share'] * 100:+.2f}%",
            f"{p['whole_gain_share'] * 100:+.2f}%",
            "kept" if p["kept"] else "restored",
            p["same_output"],
        ]
        for p in result["pairs"]
    ]
    return "\n".join(
        [
            f"Extract + clean: {result['extract_clean_us']:.0f} µs a page ({result['pages']} pages, "
            f"{result['rounds']} interleaved rounds, CPU medians).",
            "",
            table(
                rows,
                [
                    "rewrite",
                    "timed on",
                    "quick µs/page",
                    "readable µs/page",
                    "gain of extract + clean",
                    "same, timed on extract + clean",
                    "form",
                    "same output",
                ],
            ),
        ]
    )
