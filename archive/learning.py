"""Surviving a redesign: learn the new theme from the archive's own articles, check it, record it.

When the portal changes its theme, the pages of articles the archive already holds are no longer read by
the portal layer. Their archived content is the label: :func:`pipelines.learned_layout.learn_rule` finds
where the title, date line, byline and body now sit on a few of them (the training pages), and the rule
is trusted only if extraction with it gives exactly the archived content (the same content hash: no
version) on those and on at least ``min_checks`` other known pages. A verified rule is recorded in
``learned_layouts`` and is from then on a layer of its own (``learned``), trusted like the portal's;
every attempt, verified or rejected, is recorded with the pages it was checked on.

Plain Python over the archive; the run's ledger (``archive/runs.py``) decides when to try.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from archive.clock import utc_now
from archive.store import Archive
from pipelines.extract import extract_page, parse_html
from pipelines.hashing import content_hash
from pipelines.hints import PageHints
from pipelines.learned_layout import ROLES, Known, LayoutRule, learn_rule
from pipelines.model import LAYER_PORTAL, ArticleRecord, RawArticle
from pipelines.record import DEFAULT_TZ, clean_article

VERIFIED, REJECTED = "verified", "rejected"
# Pages a rule is derived from; the others it must also read exactly are its check pages.
TRAINING_PAGES = 2
# Known pages beyond the training pages that a rule must read exactly before it is trusted.
MIN_CHECKS = 3
# Check pages tried at most in one attempt (more cost time and prove little more).
_MAX_CHECKS = 8


@dataclass(frozen=True)
class Example:
    """A fetched page of an article the archive knows."""

    article_id: int
    url: str
    body: bytes
    charset: str | None


@dataclass(frozen=True)
class Attempt:
    """What one try to learn gave: the rule (None when none was found), whether it verified, the
    articles it was checked on, and why it was rejected."""

    rule: LayoutRule | None
    verified: bool
    checked_on: tuple[int, ...]
    reason: str = ""

    def describe(self) -> str:
        if self.verified and self.rule is not None:
            return f"learned the new layout ({self.rule.describe()}), checked on {len(self.checked_on)} known pages"
        return f"could not learn the new layout: {self.reason}"


def verified_rules(archive: Archive) -> list[LayoutRule]:
    """The archive's verified rules, newest first (a later redesign's rule is tried before older ones),
    but for those withdrawn since (:func:`withdraw`): they misread pages their checks had not shown."""
    if not archive.db.table("learned_layouts").exists():
        return []
    rows = archive.db.execute(
        "SELECT rule FROM learned_layouts WHERE status = ? ORDER BY id DESC", [VERIFIED]
    ).fetchall()
    withdrawn = withdrawn_rules(archive)
    return [LayoutRule.from_json(row[0]) for row in rows if row[0] not in withdrawn]


def withdrawn_rules(archive: Archive) -> set[str]:
    """The rules (as recorded) that were verified and later withdrawn: a ``rejected`` row after a
    ``verified`` row of the same rule. (A rule rejected by its checks before it was ever verified is not
    withdrawn: an article edited between two runs, among its check pages, makes it fail once.)"""
    if not archive.db.table("learned_layouts").exists():
        return set()
    verified: set[str] = set()
    withdrawn: set[str] = set()
    for rule, status in archive.db.execute("SELECT rule, status FROM learned_layouts ORDER BY id"):
        if status == VERIFIED:
            verified.add(rule)
        elif rule in verified:
            withdrawn.add(rule)
    return withdrawn


def withdraw(archive: Archive, rule: LayoutRule, run_id: int | None, reason: str) -> None:
    """Record that a verified rule is not to be used any more (a row of its own: the table is
    append-only, so what the crawl trusted, and when it stopped, both stay). Later runs neither load it
    nor trust it again when they learn it anew from the same theme (:func:`attempt`)."""
    _record(archive, Attempt(rule, False, (), reason), run_id)


# The date a list printed beside a page's article (``RunLedger.listed_date``), for its minute.
ListedDate = Callable[[RawArticle, str], str | None]


def read_page(
    body: bytes,
    url: str,
    charset: str | None,
    rules: Sequence[LayoutRule],
    tz: str = DEFAULT_TZ,
    listed: ListedDate | None = None,
    hints: PageHints | None = None,
) -> ArticleRecord:
    """The clean record of a page, the learned rules tried where the portal layer reads nothing (as the
    archive writer reads it, with the profile's hints when it has some)."""
    raw = extract_page(body, url, charset, learned=rules, hints=hints)
    formats = hints.date_formats if hints is not None else ()
    return clean_article(raw, tz=tz, listed_date=listed(raw, url) if listed else None, date_formats=formats)


def _known(archive: Archive, article_id: int, tz: str, locale: str) -> tuple[Known, str] | None:
    """(what the archive knows of an article, its content hash), or None when it lacks a field."""
    row = archive.article(article_id)
    if row is None or not (row["title"] and row["published_at"] and row["body_text"]):
        return None
    captions = tuple(i["caption"] for i in json.loads(row["images"] or "[]") if i.get("caption"))
    attachment_titles = tuple(f["title"] for f in json.loads(row["attachments"] or "[]") if f.get("title"))
    known = Known(
        title=row["title"],
        published_at=row["published_at"],
        body_text=row["body_text"],
        byline_raw=row["byline_raw"],
        captions=captions,
        attachment_titles=attachment_titles,
        locale=locale,
        tz=tz,
    )
    return known, row["content_hash"]


def attempt(
    archive: Archive,
    examples: Sequence[Example],
    *,
    run_id: int | None,
    min_checks: int,
    tz: str = DEFAULT_TZ,
    skip: int = 0,
    listed: ListedDate | None = None,
    hints: PageHints | None = None,
) -> Attempt:
    """Learn a rule from two examples, verify it on them and on up to ``_MAX_CHECKS`` others (at least
    ``min_checks``), and record the attempt. A next attempt passes ``skip``: it learns from the pages
    after the ones tried before (one odd article, say a gallery, must not stop the learning). Fewer
    examples than needed: no attempt, nothing recorded."""
    labelled = []
    examples = list(examples[skip:]) + list(examples[:skip])
    for example in examples[: TRAINING_PAGES + _MAX_CHECKS]:
        first = read_page(example.body, example.url, example.charset, (), tz, listed, hints)
        known = _known(archive, example.article_id, tz, first.locale)
        if known is not None:
            labelled.append((example, *known))
    if len(labelled) < TRAINING_PAGES + min_checks:
        return Attempt(
            None,
            False,
            (),
            f"{len(labelled)} pages of known articles, {TRAINING_PAGES + min_checks} needed "
            f"({TRAINING_PAGES} to learn from, {min_checks} to check on)",
        )
    training = [(parse_html(e.body, e.charset), known) for e, known, _ in labelled[:TRAINING_PAGES]]
    rule, why = learn_rule(training)
    checked = tuple(e.article_id for e, _, _ in labelled)
    if rule is None:
        result = Attempt(None, False, checked, why)
    elif rule.to_json() in withdrawn_rules(archive):
        # Learned anew from the same theme, it would pass the same checks and misread the same pages.
        result = Attempt(
            rule, False, checked, f"the rule ({rule.describe()}) was withdrawn: it misread known pages before"
        )
    else:
        result = Attempt(rule, True, checked)
        for example, _, digest in labelled:
            record = read_page(example.body, example.url, example.charset, [rule], tz, listed, hints)
            unread = [r for r in ROLES if record.layers.get(r) == LAYER_PORTAL or not record.layers.get(r)]
            if record.page_kind != "article" or content_hash(record.content()) != digest:
                differ = _differing(archive, example.article_id, record)
                result = Attempt(
                    rule,
                    False,
                    checked,
                    f"the rule ({rule.describe()}) misreads {example.url}"
                    + (f" ({', '.join(differ)} differ)" if differ else "")
                    + (f" (not read: {', '.join(unread)})" if record.page_kind != "article" else ""),
                )
                break
    _record(archive, result, run_id)
    return result


def _differing(archive: Archive, article_id: int, record: ArticleRecord) -> list[str]:
    row = archive.article(article_id) or {}
    names = ("title", "published_at", "body_text", "byline_raw")
    return [n for n in names if (row.get(n) or None) != (getattr(record, n) or None)]


def _record(archive: Archive, result: Attempt, run_id: int | None) -> None:
    """One row of ``learned_layouts`` (a failed attempt without a rule records the empty rule)."""
    with archive.transaction():
        archive.db.execute(
            "INSERT INTO learned_layouts (run_id, learned_at, rule, checked_on, status, reason) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                run_id,
                utc_now(),
                result.rule.to_json() if result.rule else "{}",
                json.dumps(list(result.checked_on)),
                VERIFIED if result.verified else REJECTED,
                result.reason or None,
            ],
        )
