"""Random histories of the portal, crawled as cron crawls it: the archive must agree with a model of them.

For each seed, a replica is archived, then changed step by step: each step is a random batch of the
agency's mutations (edits of every kind, removals, restores, renames, new articles, a document replaced
under its URL, or nothing at all), followed by a crawl, mostly `--full`, sometimes the default incremental
run. The model keeps, for each article, the distinct content states the crawls saw, and what its 404s
mean (README, docs/reliability.md: one 404 is pending, a later run's 404 confirms the removal, dated by
the first). After every crawl the archive must hold exactly that: no edit missed, no false version,
nothing lost; the current fields equal the gold's; each version's changed fields are exactly the fields
its edits changed; the run's counts say what happened; `published_is_migration` follows both rules of
docs/record-conventions.md on every date the archive holds (removed articles included), and each run logs
exactly the flags it changed (`migration_flag_changes`, `crawl_runs.migration_flags`).

What an incremental run sees: with nothing due for a re-check by age (schedule `*:30d`, every article
checked minutes ago), it fetches the new articles and those whose sitemap lastmod moved since a run last
confirmed them (README, "Runs are incremental by default"): every edit, rename and restore, but no removal
(nothing links a removed article, and only a full run asks for every known one).
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from urllib.parse import unquote, urlsplit

import pytest

from pipelines.model import CONTENT_FIELDS
from pipelines.urls import article_key
from replica import Site, serve
from replica.model import BATCH_GAP_MINUTES, BATCH_MIN, MIGRATION_GAP_DAYS, SAME_MINUTE_MIN, period_end
from tests.e2e.conftest import crawl, rows, run_hepza

SEEDS = (777, 10, 977)  # together they draw every case test_the_seeds_cover_every_kind_of_change names
STEPS = 6
# Nothing is due by age: an incremental run fetches exactly what the sitemap and lists say is new or moved.
ENV = {"HEPZA_RECHECK_SCHEDULE": "*:30d"}
# The content fields the mutations below change, in the order the archive lists changed fields; the others
# (event date, images, attachments, links) are never touched, so they never change.
FIELDS = tuple(
    f
    for f in CONTENT_FIELDS
    if f in {"title", "body_text", "authors", "source", "photo_credits", "published_at"}
)
UNTOUCHED = tuple(f for f in CONTENT_FIELDS if f not in FIELDS)
COUNTED = ("new", "changed", "removed", "returned", "missing_pending", "attachments", "attachments_changed")

PARAGRAPHS = (
    "Ban Quản lý sẽ tiếp tục theo dõi và báo cáo kết quả.",
    "Các doanh nghiệp có thắc mắc xin liên hệ Phòng Quản lý doanh nghiệp để được hướng dẫn.",
    "Thông tin chi tiết được đăng tải trên cổng thông tin điện tử của Ban Quản lý.",
    "Hoạt động nhận được sự hưởng ứng tích cực của người lao động.",
)
BYLINES = (
    "THANH DUNG",
    "Hoàng Yến",
    "Minh Trí - Kim Ngân",
    "Tin, ảnh: Ngọc Hân",
    "Bài và ảnh: Thu Hà",
    "PV",
    "Theo Báo Người Lao Động",
    "",  # the byline taken away
)
TITLE_SUFFIXES = (" (cập nhật)", " - bản sửa", " (đính chính)")
# A rename keeps the title's words (a date in the title can be the article's event date) and adds to them.
RENAMES = ("thông tin bổ sung", "cập nhật kết quả", "ý kiến của doanh nghiệp")
# Words whose case could move a date the extractor reads (docs/record-conventions.md, "Event date"), or
# lines it reads as a byline or a source: a `replace` edit leaves them alone.
DATE_WORDS = {"ngày", "tháng", "năm", "quý", "từ", "đến", "hết", "tới", "trước", "tính", "hạn", "chót"}
BYLINE_WORDS = {"theo", "nguồn", "ảnh", "tin", "bài"}
HREF = re.compile(r'href="([^"]+)"')


@dataclass
class Expected:
    """What the archive should hold of one article."""

    states: list[dict]  # every distinct content state a crawl saw, in order: one version each
    lastmod: datetime  # the site's modified time when a run last confirmed the article live
    page: str  # the replica's hash of the page a run last saw (its ETag follows it)
    url_keys: set[str] = field(default_factory=set)  # the URLs the crawls reached it by
    missing: str = ""  # "", "pending" (one run saw a 404), "removed" (a later run confirmed it)
    missing_run: int | None = None  # the run that saw the first 404


def content(site: Site, asset_id: str) -> dict:
    gold = site.gold_for(asset_id)
    return {f: site.expected_body(asset_id) if f == "body_text" else gold[f] for f in FIELDS}


def archived(row: dict, name: str):
    value = row[name]
    return json.loads(value) if name in ("authors", "photo_credits") else value


def documents(site: Site) -> dict[str, set[str]]:
    """Path of each document an article links -> the asset ids linking it."""
    linked: dict[str, set[str]] = {}
    for a in site.articles:
        for block in a.blocks:
            if block.kind == "attach":
                for href in HREF.findall(block.html):
                    linked.setdefault(unquote(urlsplit(href).path), set()).add(a.asset_id)
    return linked


class History:
    """The seeded random history: mutations drawn where they are valid, and the expected archive."""

    def __init__(self, seed: int, site: Site, server_url: str) -> None:
        self.seed, self.site, self.server_url = seed, site, server_url
        self.rng = random.Random(seed)
        self.model: dict[str, Expected] = {}
        self.seen_revisions: dict[str, set[int]] = {}  # document path -> revisions a run fetched
        self.run = 0
        self.log: list[str] = []
        self.migrated: dict[str, bool] = {}  # asset id -> published_is_migration expected
        self.flag_changes: dict[int, set[str]] = {}  # run -> asset ids whose flag that run changed
        self.events: Counter[str] = Counter()  # what the history exercised (test_the_seeds_cover_...)

    def where(self, step: int) -> str:
        return f"seed {self.seed}, step {step}"

    # --- mutations ---------------------------------------------------------------------------------

    def mutate(self, step: int) -> None:
        """One step's batch of mutations, each drawn where it is valid; sometimes nothing at all."""
        if self.rng.random() < 0.2:
            self.log.append(f"step {step}: no change")
            self.events["no change"] += 1
            return
        kinds = {
            self.edit_title: 2,
            self.add_paragraph: 2,
            self.edit_byline: 2,
            self.edit_date_line: 2,
            self.replace_word: 2,
            self.remove: 2,
            self.restore: 2,
            self.rename: 1,
            self.add_new: 2,
            self.replace_document: 1,
        }
        for _ in range(self.rng.randint(1, 6)):
            mutation = self.rng.choices(list(kinds), weights=list(kinds.values()))[0]
            done = mutation()
            if done:
                self.log.append(f"step {step}: {done}")
                self.events[mutation.__name__] += 1

    def plan_crawl(self) -> tuple[bool, bool]:
        """(full, conditional) of the next run: mostly full; a full run sometimes meets a site that sends
        no validators, so every page is read and extracted again."""
        full = self.rng.random() < 0.7
        conditional = not full or self.rng.random() < 0.7
        self.events[("full" if full else "incremental") + ("" if conditional else " without validators")] += 1
        return full, conditional

    def live(self) -> list:
        return sorted(self.site.live(), key=lambda a: int(a.asset_id))

    def pick(self):
        return self.rng.choice(self.live())

    def edit_title(self) -> str:
        a = self.pick()
        title = self.site.gold_for(a.asset_id)["title"] + self.rng.choice(TITLE_SUFFIXES)
        self.site.edit(a.asset_id, title=title)
        return f"edit {a.asset_id} title={title!r}"

    def add_paragraph(self) -> str:
        a = self.pick()
        text = self.rng.choice(PARAGRAPHS)
        self.site.edit(a.asset_id, add_paragraph=text)
        return f"edit {a.asset_id} add_paragraph={text!r}"

    def edit_byline(self) -> str:
        a = self.pick()
        byline = self.rng.choice(BYLINES)
        self.site.edit(a.asset_id, byline=byline)
        return f"edit {a.asset_id} byline={byline!r}"

    def edit_date_line(self) -> str:
        a = self.pick()
        old = a.date_local
        new = old.replace(
            hour=self.rng.randint(7, 17), minute=self.rng.randrange(60), second=0, microsecond=0
        )
        if a.event_date is None:
            # Nothing in the text is dated, so no date the extractor reads can follow the portal's day.
            new += timedelta(days=self.rng.choice((-9, -2, -1, 1, 3, 12)))
        self.site.edit(a.asset_id, date_line=new)
        return f"edit {a.asset_id} date_line={new.isoformat()}"

    def replace_word(self) -> str | None:
        a = self.pick()
        paragraphs = [b for b in a.blocks if b.kind == "p"]
        words = sorted(
            {
                w
                for b in paragraphs
                for w in re.findall(r"\w+", b.body_text())
                if len(w) >= 4
                and w.isalpha()
                and w.lower() not in DATE_WORDS | BYLINE_WORDS
                and w != w.upper()
                and w in b.html
                and all(
                    "<a" not in p.html and p.html.count(w) == p.body_text().count(w)
                    for p in paragraphs
                    if w in p.html
                )
            }
        )
        if not words:
            return None
        word = self.rng.choice(words)
        self.site.edit(a.asset_id, replace=(word, word.upper()))
        return f"edit {a.asset_id} replace={word!r}->{word.upper()!r}"

    def remove(self) -> str | None:
        if len(self.site.live()) < 50:  # far fewer would be the coverage alarm of a full run, not a removal
            return None
        # Often one of the newest (a fresh post taken down), which may leave a shared day short of six.
        a = self.rng.choice(self.site.live()[:6]) if self.rng.random() < 0.5 else self.pick()
        self.site.remove(a.asset_id)
        return f"remove {a.asset_id}"

    def restore(self) -> str | None:
        removed = sorted((a for a in self.site.articles if a.removed), key=lambda a: int(a.asset_id))
        if not removed:
            return None
        a = self.rng.choice(removed)
        self.site.restore(a.asset_id)
        return f"restore {a.asset_id}"

    def rename(self) -> str:
        a = self.pick()
        title = f"{self.site.gold_for(a.asset_id)['title']} – {self.rng.choice(RENAMES)}"
        slug = self.site.rename(a.asset_id, title)
        return f"rename {a.asset_id} -> /w/{slug}"

    def add_new(self) -> str:
        ids = self.site.add_new(self.rng.randint(1, 3))  # dated after the others: they share a day
        return f"add_new {', '.join(ids)}"

    def replace_document(self) -> str:
        path = self.rng.choice(sorted(documents(self.site)))
        revision = self.site.replace_document(self.server_url + path)
        return f"replace_document {path} (revision {revision})"

    # --- the model ---------------------------------------------------------------------------------

    def observe(self, full: bool, conditional: bool = True) -> Counter:
        """What the run just made should have done to the archive; returns the summary's counts."""
        self.run += 1
        counts: Counter[str] = Counter()
        fetched = set()
        for a in self.site.articles:
            m = self.model.get(a.asset_id)
            key = article_key(f"{self.server_url}{a.url}")
            if a.removed:
                # never archived, or not asked for (incremental: only a pending removal is re-checked)
                if m is None or (not full and m.missing != "pending"):
                    continue
                if m.missing == "":
                    m.missing, m.missing_run = "pending", self.run
                    counts["missing_pending"] += 1
                elif m.missing == "pending":
                    m.missing = "removed"
                    counts["removed"] += 1
                continue
            if m is None:
                self.model[a.asset_id] = Expected(
                    [content(self.site, a.asset_id)], a.modified, a.content_hash(), {key}
                )
                counts["new"] += 1
                fetched.add(a.asset_id)
                continue
            if not full and a.modified <= m.lastmod:
                continue
            fetched.add(a.asset_id)
            state = content(self.site, a.asset_id)
            if state != m.states[-1]:
                m.states.append(state)
                counts["changed"] += 1
            elif m.missing == "removed":
                counts["returned"] += 1
            if m.missing:
                # a pending article's request is conditional: unchanged, it answers 304
                answer = (
                    "304" if conditional and m.missing == "pending" and a.content_hash() == m.page else "200"
                )
                self.events[f"{m.missing} article seen again ({answer})"] += 1
            m.page = a.content_hash()
            m.missing, m.missing_run, m.lastmod = "", None, a.modified
            m.url_keys.add(key)
        # A document is asked for again whenever an article linking it is fetched (or answers 304).
        for path, linking in documents(self.site).items():
            if linking & fetched:
                revision = self.site.document_version(path)[0]
                seen = self.seen_revisions.setdefault(path, set())
                if revision not in seen:
                    counts["attachments_changed" if seen else "attachments"] += 1
                    seen.add(revision)
        self.events.update({f"{k} ({'full' if full else 'incremental'})": n for k, n in counts.items()})
        self.flag_migrations()
        return counts

    def flag_migrations(self) -> None:
        """`published_is_migration` as docs/record-conventions.md gives it, on what the archive holds: rule 1
        on the article's own dates, or its portal time in a batch of the archived portal times (removed
        articles included): BATCH_MIN on one day each at most BATCH_GAP_MINUTES after the one before, or
        SAME_MINUTE_MIN on one minute. A new article enters with rule 1 alone; the run logs what differs."""
        times = {a: datetime.fromisoformat(m.states[-1]["published_at"]) for a, m in self.model.items()}
        same_minute = Counter(times.values())
        in_batch: set[str] = set()
        chain: list[str] = []
        for asset_id in sorted(times, key=times.get) + [None]:
            t = times.get(asset_id)
            if chain and (
                t is None
                or t.date() != times[chain[-1]].date()
                or t - times[chain[-1]] > timedelta(minutes=BATCH_GAP_MINUTES)
            ):
                in_batch.update(chain if len(chain) >= BATCH_MIN else ())
                chain = []
            chain.append(asset_id)
        changed = set()
        for asset_id, m in self.model.items():
            gold = self.site.gold_for(asset_id)
            day = date.fromisoformat(m.states[-1]["published_at"][:10])
            own = (
                gold["event_date"] is not None
                and (day - period_end(date.fromisoformat(gold["event_date"]), gold["event_precision"])).days
                > MIGRATION_GAP_DAYS
            )
            batch = asset_id in in_batch or same_minute[times[asset_id]] >= SAME_MINUTE_MIN
            before = self.migrated.get(asset_id, own)
            if batch and not own:
                self.events["migration batch"] += 1
            if before != (own or batch):
                changed.add(asset_id)
                self.events["migration flag set" if own or batch else "migration flag cleared"] += 1
            self.migrated[asset_id] = own or batch
        self.flag_changes[self.run] = changed

    # --- the archive against the model and the gold --------------------------------------------------

    def disagreements(self, db) -> list[str]:
        problems: list[str] = []
        articles = rows(db, "SELECT * FROM articles")
        by_asset: dict[str, dict] = {}
        for row in articles:
            if row["asset_id"] in by_asset:
                problems.append(
                    f"asset {row['asset_id']}: archived twice (ids {by_asset[row['asset_id']]['id']}, {row['id']})"
                )
            by_asset[row["asset_id"]] = row
        if set(by_asset) != set(self.model):
            problems.append(
                f"archived assets differ: missing {sorted(set(self.model) - set(by_asset))}, "
                f"unexpected {sorted(set(by_asset) - set(self.model))}"
            )
        versions: dict[str, list[dict]] = {}
        for v in rows(
            db,
            "SELECT a.asset_id, v.* FROM article_versions v JOIN articles a ON a.id = v.article_id "
            "ORDER BY v.article_id, v.version",
        ):
            versions.setdefault(v["asset_id"], []).append(v)
        url_keys: dict[str, set[str]] = {}
        for u in rows(
            db, "SELECT a.asset_id, u.url_key FROM article_urls u JOIN articles a ON a.id = u.article_id"
        ):
            url_keys.setdefault(u["asset_id"], set()).add(u["url_key"])
        runs = {r["id"]: r for r in rows(db, "SELECT id, started_at, finished_at FROM crawl_runs")}
        for asset_id, m in sorted(self.model.items()):
            row = by_asset.get(asset_id)
            if row is None:
                continue
            problems += self._article(
                asset_id, m, row, versions.get(asset_id, []), url_keys.get(asset_id, set()), runs
            )
        problems += self._flag_log(db)
        total = rows(db, "SELECT count(*) AS n FROM article_versions")[0]["n"]
        expected_total = sum(len(m.states) for m in self.model.values())
        if total != expected_total:
            problems.append(f"article_versions: {total} rows, expected {expected_total}")
        files = Counter(
            unquote(urlsplit(r["url"]).path) for r in rows(db, "SELECT url FROM attachment_files")
        )
        expected_files = {path: len(seen) for path, seen in self.seen_revisions.items()}
        if dict(files) != expected_files:
            problems.append(f"attachment_files rows by document: {dict(files)}, expected {expected_files}")
        return problems

    def _flag_log(self, db) -> list[str]:
        """Each run logs exactly the flags it changed, and counts them in crawl_runs.migration_flags."""
        logged: dict[int, set[str]] = {}
        for r in rows(
            db,
            "SELECT c.run_id, a.asset_id FROM migration_flag_changes c JOIN articles a ON a.id = c.article_id",
        ):
            logged.setdefault(r["run_id"], set()).add(r["asset_id"])
        counted = {r["id"]: r["migration_flags"] or 0 for r in rows(db, "SELECT * FROM crawl_runs")}
        problems = []
        for run, expected in self.flag_changes.items():
            if logged.get(run, set()) != expected or counted.get(run) != len(expected):
                problems.append(
                    f"run {run}: flag changes logged {sorted(logged.get(run, set()))}, counted "
                    f"{counted.get(run)}, expected {sorted(expected)}"
                )
        return problems

    def _article(self, asset_id, m: Expected, row, versions, url_keys, runs) -> list[str]:
        problems = []
        where = f"asset {asset_id}"
        a = self.site.article(asset_id)
        last = m.states[-1]
        for name in FIELDS:
            if archived(row, name) != last[name]:
                problems.append(
                    f"{where}: articles.{name} = {archived(row, name)!r}, expected {last[name]!r}"
                )
        if not a.removed:
            gold = self.site.gold_for(asset_id)
            now = content(self.site, asset_id)
            for name in FIELDS:
                if archived(row, name) != now[name]:
                    problems.append(
                        f"{where}: articles.{name} = {archived(row, name)!r}, the site says {now[name]!r}"
                    )
            if (row["event_date"], row["event_precision"]) != (gold["event_date"], gold["event_precision"]):
                problems.append(
                    f"{where}: event date {(row['event_date'], row['event_precision'])}, gold "
                    f"{(gold['event_date'], gold['event_precision'])}"
                )
            if not row["url"].endswith(gold["url"]):
                problems.append(f"{where}: url {row['url']}, the site's is {gold['url']}")
        if bool(row["published_is_migration"]) != self.migrated[asset_id]:
            problems.append(
                f"{where}: published_is_migration {row['published_is_migration']}, expected "
                f"{int(self.migrated[asset_id])} (portal day {last['published_at'][:10]})"
            )
        if row["version_count"] != len(m.states) or len(versions) != len(m.states):
            problems.append(
                f"{where}: version_count {row['version_count']} and {len(versions)} version rows, expected "
                f"{len(m.states)}: {[(v['version'], v['change_kind'], v['changed_fields']) for v in versions]}"
            )
        for i, (v, state) in enumerate(zip(versions, m.states, strict=False)):
            if i == 0:
                expected = (1, "first", list(CONTENT_FIELDS))
            else:
                changed = [f for f in FIELDS if state[f] != m.states[i - 1][f]]
                expected = (i + 1, "edit", changed)
            got = (v["version"], v["change_kind"], json.loads(v["changed_fields"]))
            if got != expected:
                problems.append(f"{where}: version {i + 1} is {got}, expected {expected}")
            for name in FIELDS:
                if archived(v, name) != state[name]:
                    problems.append(
                        f"{where}: version {i + 1} {name} = {archived(v, name)!r}, expected {state[name]!r}"
                    )
            if i and any(v[name] != versions[0][name] for name in UNTOUCHED):
                problems.append(f"{where}: version {i + 1} changed a field no mutation touched")
        if versions and row["content_hash"] != versions[-1]["content_hash"]:
            problems.append(f"{where}: content_hash is not its last version's")
        if (row["removed_at"] is not None) != (m.missing == "removed"):
            problems.append(
                f"{where}: removed_at {row['removed_at']}, expected {'set' if m.missing == 'removed' else 'NULL'} ({m.missing or 'live'})"
            )
        if (row["missing_since"] is not None) != (m.missing != ""):
            problems.append(
                f"{where}: missing_since {row['missing_since']}, expected it {'set' if m.missing else 'NULL'}"
            )
        if m.missing == "removed" and row["removed_at"] is not None:
            first = runs[m.missing_run]
            if not (
                row["removed_at"] == row["missing_since"]
                and first["started_at"] <= row["removed_at"] <= first["finished_at"]
            ):
                problems.append(
                    f"{where}: removed_at {row['removed_at']} is not the first 404's time (run {m.missing_run}, "
                    f"{first['started_at']} - {first['finished_at']}; missing_since {row['missing_since']})"
                )
        if not m.url_keys <= url_keys:
            problems.append(
                f"{where}: URLs it was reached by are not its aliases: {sorted(m.url_keys - url_keys)}"
            )
        return problems


@pytest.mark.parametrize("seed", SEEDS)
def test_a_random_history_is_archived_exactly(seed, tmp_path):
    site = Site()
    db = tmp_path / "h.db"
    with serve(site) as server:
        history = History(seed, site, server.url)

        def crawled(step: int, full: bool, conditional: bool) -> None:
            site.conditional_requests = conditional
            mode = ("full" if full else "incremental") + ("" if conditional else ", no validators")
            summary = crawl(server.url, db, *(["--full"] if full else []), env=ENV)
            site.conditional_requests = True
            expected = history.observe(full, conditional)
            where = f"{history.where(step)} ({mode} run {history.run})"
            story = "history:\n" + "\n".join(history.log)
            assert summary["returncode"] == 0 and not summary["failed_urls"], f"{where}: {summary}\n{story}"
            counts = {k: summary.get(k, 0) for k in COUNTED}
            assert counts == {k: expected[k] for k in COUNTED}, f"{where}: run counts\n{story}"
            problems = history.disagreements(db)
            assert not problems, f"{where}:\n" + "\n".join(problems) + f"\n{story}"

        crawled(0, full=False, conditional=True)
        for step in range(1, STEPS + 1):
            history.mutate(step)
            crawled(step, *history.plan_crawl())
    check = run_hepza("check", "--db", str(db))
    assert (check.returncode, check.stdout.strip()) == (0, "ok"), f"seed {seed}: {check.stderr}"


def played(seed: int) -> History:
    """The history a seed draws, with the model alone (no server, no crawl)."""
    history = History(seed, Site(), "http://127.0.0.1:9")
    history.observe(full=False)
    for step in range(1, STEPS + 1):
        history.mutate(step)
        history.observe(*history.plan_crawl())
    return history


def test_the_seeds_cover_every_kind_of_change():
    """The seeds are fixed, so what they exercise is too: every mutation kind, both run modes, a page read
    without validators, a removal pending then confirmed, an article back after each, a replaced document
    noticed, an edit seen by an incremental run, a step with no change."""
    events = Counter()
    for seed in SEEDS:
        events += played(seed).events
    wanted = {
        "edit_title",
        "add_paragraph",
        "edit_byline",
        "edit_date_line",
        "replace_word",
        "remove",
        "restore",
        "rename",
        "add_new",
        "replace_document",
        "no change",
        "full",
        "full without validators",
        "incremental",
        "missing_pending (full)",
        "removed (full)",
        "pending article seen again (200)",
        "pending article seen again (304)",
        "removed article seen again (200)",
        "returned (full)",
        "returned (incremental)",
        "changed (full)",
        "changed (incremental)",
        "new (incremental)",
        "attachments_changed (full)",
        "attachments_changed (incremental)",
        "migration batch",
        "migration flag set",
    }
    assert wanted <= set(events), sorted(wanted - set(events))
