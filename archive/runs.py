"""The ledger of one crawl run: what each fetch did, errors, layout-change alarms, and the exit code.

Plain Python over the archive; the Scrapy adapter feeds it items (duck-typed: ``record``, ``capture``,
``urls``, ``category``, ``validators`` for articles; ``url``, ``kind``, ``status``, ``message`` for outcomes).
"""

from __future__ import annotations

import copy
import json
import sqlite3
from collections import Counter
from datetime import UTC, datetime, timedelta
from functools import partial

from archive import learning, misreadings
from archive.config import SETTINGS
from archive.files import CHANGED, NEW, UNCHANGED, attachment_not_modified, store_attachment
from archive.migration import DEFAULT_RULE, MigrationRule
from archive.store import Archive
from pipelines import platform
from pipelines.dates import gives_time_of_day
from pipelines.hashing import content_hash
from pipelines.hints import PageHints
from pipelines.learned_layout import LAYOUT
from pipelines.model import LAYER_LEARNED, LAYER_PORTAL, LAYER_PROFILE
from pipelines.record import DEFAULT_TZ, LAYER_LISTING, PUBLISHED_MINUTE, kept_listed_minute

# Documented exit codes (README "Exit codes").
EXIT_OK, EXIT_PAGES_FAILED, EXIT_USAGE, EXIT_ALARM, EXIT_INTERNAL, EXIT_LOCKED = 0, 1, 2, 3, 70, 75
# Stopped by SIGINT (Ctrl-C) or SIGTERM: one code for both, the shell's code for an interrupted command.
EXIT_INTERRUPTED = 130
# The status of a run stopped because the site is not a Liferay portal (pipelines/platform.py): exit 2.
NOT_LIFERAY_STATUS = platform.RUN_STATUS
# Scrapy's close reason for a crawl stopped by a signal.
SHUTDOWN_REASON = "shutdown"
REQUIRED_FIELDS = ("title", "published_at", "body_text")
# Fields that must come from the portal's own markup (extraction layer 1) for a page to be trusted, or
# from a layout learned after a redesign and verified on known articles (archive/learning.py), or from a
# selector of the portal's profile (pipelines/hints.py): the user's reading of the theme, trusted as the
# portal layer is. A page read with the profile has a layout signature of its own (``profile:…``), so a
# known article read with it otherwise than archived is held as any page of a new layout is
# (:meth:`RunLedger._in_another_layout`): adding hints to a portal's profile writes no versions by itself.
PORTAL_FIELDS = ("title", "published", "body")
TRUSTED_LAYERS = frozenset({LAYER_PORTAL, LAYER_LEARNED, LAYER_PROFILE})
# The layout signature of a page read with a learned (so verified) rule starts so.
LEARNED_PREFIX = "learned:"
# Why a page of a known article in a new layout is not written: no reading of that layout was verified, or
# it differs from the archive as other pages of the layout do (archive/misreadings.py).
_UNVERIFIED_PAGE = "the page's markup is another theme's and no reading of it was verified; not written"
_ALIKE_PAGE = "read in the new layout, the page differs from the archive as other pages of it do"

# What an article page held back for learning answers (it is settled before the run ends).
HELD = "held"
# Pages held back at most while a new layout is being learned (each holds a page's bytes).
_MAX_HELD = 200
# Day-only pages of new articles waiting at most for a list's minute (each holds a page's bytes); past
# this many, such a page is written as read.
_MAX_AWAITING_NEW = 2000
# Attempts at learning in one run before its held pages are settled without a rule.
_MAX_ATTEMPTS = 3
# What a page that is not archived was, when its kind alone does not say it.
_NOT_CONTENT = {
    "malformed": "an article page whose body runs into the page's menus and footer (its closing tags are lost)",
}
# The summary's count for each thing a fetch of an attachment can find.
_ATTACHMENT_COUNTS = {NEW: "attachments", CHANGED: "attachments_changed", UNCHANGED: "attachments_unchanged"}
# What a fetch that never reached the site fails with (the spider records the failure's type as its kind).
_CONNECT_FAILURES = {
    "ConnectionRefusedError",
    "DownloadConnectionRefusedError",
    "DownloadTimeoutError",
    "DownloadFailedError",
    "ConnectError",
    "DNSLookupError",
    "CannotResolveHostError",
    "TCPTimedOutError",
    "TimeoutError",
    "NoRouteError",
    "ConnectionLost",
    "ResponseNeverReceived",
}
# Below this share of the live archive seen in a full run, the site has probably changed its layout.
_FULL_RUN_MIN_SEEN_SHARE = 0.5
_REMOVAL_FLOOR = (SETTINGS["removal_floor_share"].default, SETTINGS["removal_floor_min"].default)


class RunLedger:
    """Counts and records one run; decides its status and exit code at the end."""

    def __init__(
        self,
        archive: Archive,
        *,
        mode: str,
        site_url: str,
        missing_share: float = SETTINGS["alarm_missing_share"].default,
        min_pages: int = SETTINGS["alarm_min_pages"].default,
        migration_rule: MigrationRule = DEFAULT_RULE,
        removal_floor: tuple[float, int] = _REMOVAL_FLOOR,
        removal_min_age: timedelta = timedelta(0),
        timezone: str = DEFAULT_TZ,
        learn_min_checks: int = learning.MIN_CHECKS,
        hints: PageHints | None = None,
    ) -> None:
        self.archive = archive
        self.timezone = timezone
        self.hints = hints or PageHints()  # a profile's selectors and date formats (re-reading held pages)
        self.learn_min_checks = learn_min_checks
        self.removal_floor = removal_floor
        self.removal_min_age = removal_min_age
        self.migration_rule = migration_rule
        self.mode = mode
        self.missing_share = missing_share
        self.min_pages = min_pages
        self.known_live = archive.live_article_count()
        self.site_url = site_url
        self.run_id = archive.start_run(mode, site_url)
        self.error_kinds: Counter[str] = Counter()
        self.first_error = ""
        self.counts: Counter[str] = Counter()
        self.failed_urls: list[str] = []
        self.article_pages = 0
        # Article pages not read from the portal's markup, by why: their kind (malformed, login…), a
        # required field missing, or fields read from another layer. The layout alarm weighs them.
        self.unread: Counter[str] = Counter()
        self.confirmed: set[int] = set()  # articles saved or answered 304 in this run
        self.sitemap_lastmods: dict[str, str] = {}
        self.listed: dict[str, set[str]] = {}  # article URL -> categories of the lists it is in
        self.listed_dates: dict[str, str] = {}  # article URL -> the date line its list card prints
        self.listed_dates_by_key: dict[str, str] = {}  # the same by the URL's article key
        # Has a list of this run printed a date line, and one with a time of day? (Until a list printed
        # dates, a list may still give a day-only page its minute.)
        self.lists_printed_dates = False
        self.lists_printed_minutes = False
        # Articles pending removal since an earlier run that answered 404 again in this one: confirmed
        # at the end of the run, unless the run's 404s look like a portal failing, not articles removed.
        self.removal_due: set[int] = set()
        self.gone = 0  # re-checks of archived articles answered 404/410
        # Learning a redesign: the verified rules the writer reads pages with (the archive's, newest
        # first, and any learned in this run), the pages held back until a rule is learned or given up
        # on, and what this run's attempts gave.
        self.rules = learning.verified_rules(archive)
        self.held: list = []
        self.attempts: list[learning.Attempt] = []
        self._next_attempt = learning.TRAINING_PAGES + learn_min_checks
        # Known articles read in this run exactly as archived, by the layout signature of their page: a
        # signature that read enough of them so is a reading of the theme that can be trusted.
        self.layout_agrees: Counter[str] = Counter()
        # Day-only pages met before this run's lists showed them, of articles whose archived minute came
        # from a list or of new articles: written at the end of the run, with the minute the lists gave.
        self.awaiting_minute: list = []
        # Known articles read with the layout this run learned: how many, and those whose content then
        # differs from the archive (written at the end only if they are few: a rule that misreads a kind
        # of page the check pages did not show differs on many; docs/redesigns.md).
        self.learned_reads = 0
        self.learned_differs: list = []
        # Pages of known articles that differ in a new layout the portal layer reads (not learned), once
        # enough known articles read in it exactly: written at the end only if they are few.
        self.relaid_differs: list = []

    _STATE = (
        "counts",
        "failed_urls",
        "article_pages",
        "unread",
        "confirmed",
        "sitemap_lastmods",
        "removal_due",
        "gone",
        "error_kinds",
        "first_error",
        "rules",
        "held",
        "attempts",
        "_next_attempt",
        "layout_agrees",
        "awaiting_minute",
        "learned_reads",
        "learned_differs",
        "relaid_differs",
    )

    def snapshot(self) -> dict:
        """The ledger's state, to go back to if a batch of writes is rolled back (:meth:`restore`)."""
        return {name: copy.copy(getattr(self, name)) for name in self._STATE}

    def restore(self, state: dict) -> None:
        for name, value in state.items():
            setattr(self, name, copy.copy(value))

    def article(self, item) -> str:
        """Archive one article page unless it is not content or lacks a required field. A page of a
        known article that no trusted layer reads, or that is in another layout than its archived row
        (:meth:`_in_another_layout`), is held back while the run learns the new layout; a day-only page
        whose minute a list may still give waits for the end of the run (:meth:`_minute_still_to_come`)."""
        record = item.record
        self.article_pages += 1
        unread = self._unread_by_trusted_layers(record)
        known = None
        if unread or record.layers.get(LAYOUT):
            known = self.archive.find_article_id(record.asset_id, [record.url, record.canonical or ""])
        relaid = not unread and self._in_another_layout(record, known)
        if self._learning() and (unread or relaid):
            if known is not None or record.page_kind == "article":
                self.held.append((item, known))
                self.unread["no portal markup"] += 1
                if sum(k is not None for _, k in self.held) >= self._next_attempt:
                    self._learn()
                return HELD
        if relaid:
            return self._defer_relaid(item, record)
        if self._differs_under_new_rule(record, known):
            self.learned_differs.append(item)
            return HELD
        if self._minute_still_to_come(record, known):
            self.awaiting_minute.append(item)
            return HELD
        return self._article(item)

    def _differs_under_new_rule(self, record, known: int | None) -> bool:
        """Is this page of a known article read with the rule this run learned, and does its content then
        differ from the archived one? (Counts every known page the rule reads.)"""
        new_rules = {a.rule.signature() for a in self.attempts if a.verified and a.rule is not None}
        if not new_rules or record.layers.get(LAYOUT) not in new_rules:
            return False
        if known is None:
            known = self.archive.find_article_id(record.asset_id, [record.url, record.canonical or ""])
        row = self.archive.article(known) if known is not None else None
        if row is None:
            return False
        self.learned_reads += 1
        return content_hash(record.content()) != row["content_hash"]

    def _settle_learned_differs(self) -> str | None:
        """Write the pages the new rule read otherwise than archived when they are edits made with the
        redesign; refuse them all when some are a misreading (many, or alike: :func:`misreadings.judge`),
        withdraw the rule, and say so."""
        differs, self.learned_differs = self.learned_differs, []
        if not differs:
            return None
        verdict = misreadings.judge([self._difference(item) for item in differs], self.learned_reads)
        if not verdict.misread:
            for item in differs:
                self._article(item)
            return None
        # A rule that misreads some pages is withdrawn: none of the pages it read otherwise than archived
        # is trusted then, not even those that look like edits (a later run reads them anew).
        why = "on too many pages to be edits" if verdict.too_many else f"as other pages do ({verdict.why})"
        for item in differs:
            self.unread["learned layout misreads"] += 1
            self._error(
                item.capture.url,
                "layout",
                f"read with the layout learned in this run, the page differs from the archive {why}; not written",
                item.capture.status,
            )
        for attempt in self.attempts:
            if attempt.verified and attempt.rule is not None:
                learning.withdraw(
                    self.archive, attempt.rule, self.run_id, "read known pages otherwise than archived"
                )
                self.rules = [r for r in self.rules if r != attempt.rule]
        if not verdict.too_many:
            return (
                f"learning: the layout learned in this run reads {len(differs)} of {self.learned_reads} known "
                f"pages otherwise than archived, {len(verdict.misread)} in the same way ({verdict.why}); "
                "nothing was written from them"
            )
        return (
            f"learning: the layout learned in this run reads {len(differs)} of {self.learned_reads} known "
            "pages otherwise than archived; nothing was written from them"
        )

    def _minute_still_to_come(self, record, known: int | None) -> bool:
        """A page that prints the day only, read before any list of this run printed it: its minute may
        still come (a list page can answer after the article's page, reached through the home page, the
        sitemap or a re-check). Written as read, it would be a version at midnight, and the next run's
        list minute another. Waits: a known article whose archived minute came from a list, and a new
        article while this run's lists print minutes (or printed no dates yet)."""
        if record.layers.get(PUBLISHED_MINUTE) == LAYER_LISTING or not record.published_raw:
            return False
        if gives_time_of_day(record.published_raw, record.locale, self.hints.date_formats):
            return False
        if known is None:
            known = self.archive.find_article_id(record.asset_id, [record.url, record.canonical or ""])
        row = self.archive.article(known) if known is not None else None
        if row is None:
            lists_may_tell = self.lists_printed_minutes or not self.lists_printed_dates
            return lists_may_tell and len(self.awaiting_minute) < _MAX_AWAITING_NEW
        return kept_listed_minute(row.get("published_at"), row.get("layers")) is not None

    def _in_another_layout(self, record, known: int | None) -> bool:
        """Is this page of a known article in another layout than the one its archived version was read
        from, with content that differs? Its fields may then differ by the theme, not by an edit (a byline
        printed apart, lost), so it is not written as read (:meth:`_defer_relaid`). Each known article read
        in a layout exactly as archived is counted for that layout (:meth:`_layout_trusted`). A learned
        rule's layout is never another: it was verified on known pages."""
        layout = record.layers.get(LAYOUT)
        if known is None or not layout or layout.startswith(LEARNED_PREFIX):
            return False
        row = self.archive.article(known)
        if row is None:
            return False
        stored = (json.loads(row["layers"]) if row.get("layers") else {}).get(LAYOUT)
        same_content = content_hash(record.content()) == row["content_hash"]
        if same_content:
            self.layout_agrees[layout] += 1
        return not (stored is None or stored == layout or same_content)

    def _layout_trusted(self, layout: str | None) -> bool:
        """Has this run read enough known articles in ``layout`` exactly as archived for the pages that
        differ in it to be possibly edits? (Whether they are few enough is settled at the end of the run,
        :meth:`_settle_relaid`: a theme that loses a byline reads the articles without one exactly.)"""
        return layout is not None and self.layout_agrees[layout] >= self.learn_min_checks

    def _defer_relaid(self, item, record) -> str:
        """A known article's page that differs in a layout other than its archived one, not held for
        learning: refused while no known article reads exactly in that layout, else kept for the end of
        the run, where such pages are written only if they are few beside those that read exactly."""
        if not self._layout_trusted(record.layers.get(LAYOUT)):
            return self._refuse_relaid(item)
        self.relaid_differs.append(_Reread(item, record) if record is not item.record else item)
        return HELD

    def _settle_relaid(self) -> list[str]:
        """Write the kept pages of each new layout that are edits made with the redesign; refuse those
        taken for a misreading (:func:`misreadings.judge`: all of them when they are many beside the known
        pages the layout reads exactly, else those that differ in the same way), and say so."""
        kept, self.relaid_differs = self.relaid_differs, []
        by_layout: dict[str, list] = {}
        for item in kept:
            by_layout.setdefault(item.record.layers.get(LAYOUT), []).append(item)
        alarms = []
        for layout, differs in by_layout.items():
            reads = len(differs) + self.layout_agrees[layout]
            verdict = misreadings.judge([self._difference(item) for item in differs], reads)
            for index, item in enumerate(differs):
                if index not in verdict.misread:
                    self._article(item)
                elif verdict.too_many:
                    self._refuse_relaid(item)
                else:
                    self._refuse_relaid(item, f"{_ALIKE_PAGE} ({verdict.why}); not written")
            if verdict.too_many:
                alarms.append(
                    f"layout: the new page layout reads {len(differs)} of {reads} known articles otherwise "
                    "than archived; nothing was written from them"
                )
            elif verdict.misread:
                alarms.append(
                    f"layout: the new page layout reads {len(verdict.misread)} of {reads} known articles "
                    f"otherwise than archived in the same way ({verdict.why}); nothing was written from them"
                )
        return alarms

    def _difference(self, item) -> dict[str, misreadings.Change]:
        """How a kept page of a known article differs from its archived version, field by field."""
        record = item.record
        known = self.archive.find_article_id(record.asset_id, [record.url, record.canonical or ""])
        row = self.archive.article(known) if known is not None else None
        return misreadings.difference(row or {}, record.content())

    def _refuse_relaid(self, item, message: str = _UNVERIFIED_PAGE) -> str:
        self.unread["layout changed"] += 1
        self._error(item.capture.url, "layout", message, item.capture.status)
        return "error"

    def _learning(self) -> bool:
        """Whether a page no trusted layer reads may be held back: the archive knows enough articles to
        learn from, this run has not given up, and the held pages still fit in memory."""
        return (
            self.known_live >= learning.TRAINING_PAGES + self.learn_min_checks
            and len(self.attempts) < _MAX_ATTEMPTS
            and not any(a.verified for a in self.attempts)
            and len(self.held) < _MAX_HELD
        )

    @staticmethod
    def _unread_by_trusted_layers(record) -> bool:
        missing = any(not getattr(record, name) for name in REQUIRED_FIELDS)
        degraded = any(record.layers.get(name) not in TRUSTED_LAYERS for name in PORTAL_FIELDS)
        return record.page_kind in ("article", "not-article") and (missing or degraded)

    def _learn(self) -> None:
        """Try to learn the new layout from the held pages of known articles; then settle every held
        page (read with the new rule, or as before when there is none) once it worked or was given up."""
        examples = [
            learning.Example(known, item.capture.url, item.capture.body, getattr(item, "charset", None))
            for item, known in self.held
            if known is not None
        ]
        result = learning.attempt(
            self.archive,
            examples,
            run_id=self.run_id,
            min_checks=self.learn_min_checks,
            tz=self.timezone,
            skip=learning.TRAINING_PAGES * len(self.attempts),
            listed=self._listed_for,
            hints=self.hints,
        )
        self.attempts.append(result)
        self._next_attempt = len(examples) + learning.TRAINING_PAGES + self.learn_min_checks
        if result.verified and result.rule is not None:
            self.rules.insert(0, result.rule)
        if result.verified or len(self.attempts) >= _MAX_ATTEMPTS:
            self._settle_held()

    def _listed_for(self, raw, url: str, urls: tuple[str, ...] = ()) -> str | None:
        return self.listed_date(raw, [url, *urls])

    def _read_again(self, item):
        """A page's record read anew from its bytes: with the rules known now and this run's list dates."""
        return learning.read_page(
            item.capture.body,
            item.capture.url,
            getattr(item, "charset", None),
            self.rules,
            self.timezone,
            partial(self._listed_for, urls=item.urls),
            self.hints,
        )

    def _settle_held(self) -> None:
        """Archive the held pages: read again with the rule this run learned, or as they were read when
        it learned none; a page in another layout than its article's is written only if that layout has
        since read enough known articles exactly, and among few that differ (:meth:`_defer_relaid`)."""
        held, self.held = self.held, []
        learned_now = any(a.verified for a in self.attempts)
        for item, known in held:
            self.unread["no portal markup"] -= 1
            record = item.record
            if learned_now:
                record = self._read_again(item)
            if self._in_another_layout(record, known):
                self._defer_relaid(item, record)
            elif self._differs_under_new_rule(record, known):
                self.learned_differs.append(_Reread(item, record))
            else:
                self._article(_Reread(item, record))
        self.unread += Counter()  # (drops the reasons that fell to zero)

    def _article(self, item) -> str:
        record = item.record
        if record.page_kind != "article":
            self._error(
                item.capture.url,
                record.page_kind,
                _NOT_CONTENT.get(record.page_kind, f"a {record.page_kind} page")
                + f" served with HTTP {item.capture.status}",
                item.capture.status,
            )
            self.unread[record.page_kind] += 1
            return "error"
        missing = [name for name in REQUIRED_FIELDS if not getattr(record, name)]
        if missing:
            # Nothing good is overwritten with empty fields: such a page never becomes a version.
            self.unread["incomplete"] += 1
            self._error(item.capture.url, "incomplete", "missing " + ", ".join(missing), item.capture.status)
            return "error"
        degraded = [name for name in PORTAL_FIELDS if record.layers.get(name) not in TRUSTED_LAYERS]
        if degraded:
            # Read without the portal's own markup (metadata or the generic extractor): a known article is
            # never overwritten from such a page, and once such pages are common nothing is written from them.
            self.unread["no portal markup"] += 1
            known = self.archive.find_article_id(record.asset_id, [record.url, record.canonical or ""])
            if known is not None or self._layout_alarm():
                self._error(
                    item.capture.url,
                    "layout",
                    "no portal markup for " + ", ".join(degraded) + "; not written",
                    item.capture.status,
                )
                return "error"
        outcome = self.archive.save(
            record,
            item.capture,
            run_id=self.run_id,
            urls=item.urls,
            category=item.category,
            validators=item.validators,
        )
        self.counts[outcome.status] += 1
        self.confirmed.add(outcome.article_id)
        return outcome.status

    def outcome(self, item) -> int | None:
        """A fetch without content: 304, 404/410, or a failure. For a 304, the id of the article found
        unchanged (None if the archive does not know the URL)."""
        if item.kind == "not-modified":
            article_id = self.archive.find_article_id(None, [item.url])
            if article_id is not None:
                self.archive.mark_checked(article_id, answer=item.capture, run_id=self.run_id)
                self.confirmed.add(article_id)
            self.counts["not_modified"] += 1
            return article_id
        if item.kind == "gone":
            result = self.archive.mark_missing(item.url, self.run_id, confirm=False)
            self.gone += result is not None  # (a 404 of a link the archive never held is only an error)
            if result == "due":
                due = self.archive.find_article_id(None, [item.url])
                assert due is not None  # (mark_missing has just found the article)
                self.removal_due.add(due)
            elif result == "pending":
                self.counts["missing_pending"] += 1
            elif result is None:
                self._error(item.url, "not-found", item.message, item.status)
            return None
        self._error(item.url, item.kind, item.message, item.status)
        return None

    def sitemap(self, lastmods: dict[str, str]) -> None:
        """The sitemap's lastmod of each article URL, kept until the run ends."""
        self.sitemap_lastmods.update(lastmods)

    def listing(self, category: str, urls: list[str], dates: dict[str, str] | None = None) -> None:
        """The article URLs a list page of ``category`` links to, kept until the run ends: by then the
        articles reached first through another list or the sitemap are archived too. ``dates``: the date
        line each card prints, for :meth:`listed_date`."""
        for url in urls:
            self.listed.setdefault(url, set()).add(category)
        self.listed_dates.update(dates or {})
        if dates:
            self.lists_printed_dates = True
            self.lists_printed_minutes = self.lists_printed_minutes or any(
                gives_time_of_day(line, formats=self.hints.date_formats) or gives_time_of_day(line, "en")
                for line in dates.values()
            )
        for url, line in (dates or {}).items():
            # (By key too: a list may link the article under another route than the one fetched.)
            key = self.archive.articles.url_key(url)
            if key is not None:
                self.listed_dates_by_key[key] = line

    def listed_date(self, raw, urls: list[str]) -> str | None:
        """The date a list printed beside this article (any of ``urls``, its canonical or an alias the
        archive knows), else the ``published_at`` the archive keeps for it when that one's minute came
        from a list: a re-crawl that reaches the article without its list keeps the minute, rather than
        reading the day-only page as an edit."""
        for url in [*urls, raw.canonical or ""]:
            if url in self.listed_dates:
                return self.listed_dates[url]
        for url in [*urls, raw.canonical or ""]:
            key = self.archive.articles.url_key(url) if url else None
            if key is not None and key in self.listed_dates_by_key:
                return self.listed_dates_by_key[key]
        article_id = self.archive.find_article_id(raw.asset_id, [*urls, raw.canonical or ""])
        row = self.archive.article(article_id) if article_id is not None else None
        return kept_listed_minute(row.get("published_at"), row.get("layers")) if row else None

    def _store_sitemap_lastmods(self) -> None:
        """Store each confirmed article's sitemap lastmod: only articles fetched (or answered 304) in this
        run, so a lastmod is never recorded for content the archive has not seen."""
        confirmed = {}
        for url, lastmod in self.sitemap_lastmods.items():
            article_id = self.archive.find_article_id(None, [url])
            if article_id in self.confirmed:
                confirmed[article_id] = lastmod
        if confirmed:
            self.archive.set_sitemap_lastmods(confirmed)

    def attachment(self, item) -> None:
        """A fetched attachment: stored beside the archive (deduplicated by content), or, for a re-check,
        compared with what its URL served last time. ``item.status`` 304 is a re-check that found it as it
        was."""
        try:
            if item.status == 304:
                if not attachment_not_modified(self.archive, item.url):
                    self._error(item.url, "attachment", "304 to a file the archive does not hold", 304)
                    return
                kind = UNCHANGED
            else:
                kind, _ = store_attachment(
                    self.archive,
                    url=item.url,
                    article_url=item.article_url,
                    body=item.body,
                    content_type=item.content_type,
                    etag=item.etag,
                    last_modified=item.last_modified,
                )
        except (OSError, ValueError) as exc:
            self._error(item.url, "attachment", str(exc), None)
            return
        self.counts[_ATTACHMENT_COUNTS[kind]] += 1

    def write_failed(self, url: str, exc: Exception) -> None:
        """A page that could not be written (the archive refused it): counted and listed, recorded if the
        archive still takes a row."""
        self.counts["errors"] += 1
        self.failed_urls.append(url)
        try:
            self.archive.record_error(self.run_id, url, "archive-error", f"{type(exc).__name__}: {exc}", None)
        except sqlite3.Error:
            pass  # the archive cannot take even that; the summary still lists the page

    def _error(self, url: str, kind: str, message: str, status: int | None) -> None:
        self.error_kinds[kind] += 1
        self.first_error = self.first_error or message
        self.counts["errors"] += 1
        self.failed_urls.append(url)
        self.archive.record_error(self.run_id, url, kind, message, status)

    def _layout_alarm(self) -> bool:
        return (
            self.article_pages >= max(self.min_pages, 1)
            and self.unread.total() / self.article_pages > self.missing_share
        )

    def alarms(self, *, complete: bool = True) -> list[str]:
        """Signs that the site's layout changed under us. The coverage alarms weigh what a whole run saw:
        an incomplete (interrupted) run raises only the layout alarm."""
        alarms = []
        if self._layout_alarm():
            why = ", ".join(f"{reason} {n}" for reason, n in sorted(self.unread.items()))
            alarms.append(
                f"layout: {self.unread.total()} of {self.article_pages} article pages were not read from the "
                f"portal's markup for title, date and body ({why})"
            )
        if not complete:
            return alarms
        seen = sum(self.counts[k] for k in ("new", "changed", "unchanged", "returned", "not_modified"))
        if seen == 0 and self.error_kinds and set(self.error_kinds) <= _CONNECT_FAILURES:
            # Nothing answered at all: say so, rather than guess at a login or maintenance page.
            alarms.append(f"cannot connect to {self.site_url}: {self.first_error}")
        elif self.known_live == 0 and seen == 0:
            alarms.append(
                "coverage: the run found no article (is the site behind a login or maintenance page?)"
            )
        if (
            self.mode == "full"
            and self.known_live >= self.min_pages
            and seen < self.known_live * _FULL_RUN_MIN_SEEN_SHARE
        ):
            alarms.append(f"coverage: the run saw {seen} articles, the archive knows {self.known_live}")
        return alarms

    def _mass_404(self) -> bool:
        """Did so many of this run's article fetches answer 404 that the portal, not its editors, is the
        likelier cause (a misconfigured portal answers 404 to every article for a few hours)?"""
        share, least = self.removal_floor
        fetches = self.article_pages + self.counts["not_modified"] + self.gone
        return self.gone >= least and self.gone > share * fetches

    def _confirm_removals(self) -> list[str]:
        """Confirm the removals this run saw again, or none of them when its 404s are not to be trusted
        (returns the alarm that says so). One too young for ``removal_min_age`` stays pending."""
        if self._mass_404():
            fetches = self.article_pages + self.counts["not_modified"] + self.gone
            self.counts["missing_pending"] += len(self.removal_due)
            return [
                f"removals: {self.gone} of {fetches} article fetches answered 404 (above removal_floor_share "
                f"{self.removal_floor[0]:g}): none confirmed, {len(self.removal_due)} left pending"
            ]
        now = datetime.now(UTC)
        since = dict(self.archive.pending_removals())
        for article_id in sorted(self.removal_due):
            first_404 = datetime.fromisoformat(since[article_id])
            if now - first_404 < self.removal_min_age:
                self.counts["missing_pending"] += 1
                continue
            self.archive.confirm_removal(article_id, self.run_id)
            self.counts["removed"] += 1
        return []

    def finish(self, *, requests: int, offsite: int = 0, shutdown_reason: str | None = None) -> dict:
        """Close the run's row; return the summary the CLI prints."""
        if self.held:
            # The last chance to learn from what the run held back; then nothing stays unwritten.
            if not any(a.verified for a in self.attempts) and len(self.attempts) < _MAX_ATTEMPTS:
                self._learn()
            self._settle_held()
        relaid_alarms = self._settle_relaid()
        misread_alarm = self._settle_learned_differs()
        awaiting, self.awaiting_minute = self.awaiting_minute, []
        for item in awaiting:  # read again now that every list of the run has given its dates
            record = self._read_again(item)
            self._article(_Reread(item, record))
        self._store_sitemap_lastmods()
        if self.listed:
            self.archive.file_listed_categories(self.listed)
        removal_alarms = self._confirm_removals()
        # Every run: the flags follow the archived dates (which this run may have changed) and the
        # settings (which may have changed since the last run); the pass writes and logs only changes.
        self.counts["migration_flags"] += self.archive.flag_migration_days(self.migration_rule, self.run_id)
        interrupted = shutdown_reason == SHUTDOWN_REASON
        not_liferay = platform.message_of(shutdown_reason)
        alarms = removal_alarms + self.alarms(complete=not interrupted)
        if self._layout_alarm() and self.attempts and not any(a.verified for a in self.attempts):
            alarms.append(f"learning: {self.attempts[-1].describe()}")
        alarms += relaid_alarms
        if misread_alarm:
            alarms.append(misread_alarm)
        if not_liferay:  # the site is not what the crawl was for: that one line, and nothing else
            alarms = [not_liferay]
        elif shutdown_reason not in (None, "finished", SHUTDOWN_REASON):
            alarms.append(f"the crawl stopped early: {shutdown_reason}")
        if not_liferay:
            status, exit_code = NOT_LIFERAY_STATUS, EXIT_USAGE
        elif interrupted:
            # Stopped by the user or the system, not by the site: its own status and exit code.
            status, exit_code = "interrupted", EXIT_INTERRUPTED
        elif alarms:
            status, exit_code = "alarm", EXIT_ALARM
        elif self.counts["errors"]:
            status, exit_code = "failed-pages", EXIT_PAGES_FAILED
        else:
            status, exit_code = "ok", EXIT_OK
        counts = dict(self.counts, requests=requests, pending_removals=len(self.archive.pending_removals()))
        self.archive.finish_run(self.run_id, status=status, exit_code=exit_code, counts=counts, alarms=alarms)
        summary = run_summary(
            self.run_id,
            status,
            exit_code,
            counts,
            offsite=offsite,
            alarms=alarms,
            failed_urls=self.failed_urls,
        )
        summary["learned_layouts"] = [
            {
                "status": learning.VERIFIED if a.verified else learning.REJECTED,
                "rule": json.loads(a.rule.to_json()) if a.rule else None,
                "checked_on": len(a.checked_on),
                "message": a.describe(),
            }
            for a in self.attempts
        ]
        return summary


class _Reread:
    """A held article page with the record read again after a layout was learned (or given up on)."""

    def __init__(self, item, record) -> None:
        self.record = record
        self.capture = item.capture
        self.urls = item.urls
        self.category = item.category
        self.validators = item.validators


def run_summary(
    run_id: int | None,
    status: str,
    exit_code: int,
    counts: dict,
    *,
    offsite: int = 0,
    alarms: list[str],
    failed_urls: list[str],
) -> dict:
    """The summary a run ends with (printed by the CLI, ``--json``)."""
    return {
        "run_id": run_id,
        "status": status,
        "exit_code": exit_code,
        **{
            name: int(counts.get(name, 0))
            for name in (
                "requests",
                "not_modified",
                "new",
                "changed",
                "unchanged",
                "returned",
                "removed",
                "missing_pending",
                "pending_removals",
                "errors",
                "attachments",
                "attachments_changed",
                "attachments_unchanged",
                "migration_flags",
            )
        },
        "offsite_refused": offsite,
        "alarms": alarms,
        "failed_urls": failed_urls[:50],
    }


def close_abandoned_runs(archive: Archive) -> int:
    """Close the rows of runs whose process died before closing them (killed, or its archive writer died
    on a locked database): called with the run lock held, so no run still 'running' is alive."""
    return archive.runs.close_running(exit_code=EXIT_INTERNAL, alarm="the run ended without closing its row")


def interrupted_run_summary(db_path: str, run_id: int | None, *, requests: int) -> dict:
    """Close a run stopped hard (a second signal) before its ledger finished it: status ``interrupted``,
    exit code 130, so no ``running`` row is left behind."""
    counts = {"requests": requests}
    if run_id is not None:
        try:
            archive = Archive(db_path)
            try:
                if archive.runs.status(run_id) == "running":  # not finished by the ledger after all
                    archive.finish_run(
                        run_id, status="interrupted", exit_code=EXIT_INTERRUPTED, counts=counts, alarms=[]
                    )
            finally:
                archive.close()
        except sqlite3.Error:
            pass  # the summary still says what happened
    return run_summary(run_id, "interrupted", EXIT_INTERRUPTED, counts, alarms=[], failed_urls=[])


def abandoned_run_summary(
    db_path: str, run_id: int | None, reason: str, *, counts: dict, offsite: int, failed_urls: list[str]
) -> dict:
    """Close a run whose ledger was lost (the archive writer died): status ``internal-error``, exit code
    70, the reason as its alarm. The counts are what the crawler heard back before the loss."""
    alarms = [reason]
    if run_id is not None:
        try:
            archive = Archive(db_path)
            try:
                archive.finish_run(
                    run_id, status="internal-error", exit_code=EXIT_INTERNAL, counts=counts, alarms=alarms
                )
            finally:
                archive.close()
        except sqlite3.Error:
            pass  # the summary still says what happened
    return run_summary(
        run_id,
        "internal-error",
        EXIT_INTERNAL,
        counts,
        offsite=offsite,
        alarms=alarms,
        failed_urls=failed_urls,
    )
