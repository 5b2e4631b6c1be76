"""The archive's schema, built and upgraded through sqlite-utils migrations.

The tables are a public interface (documented in the README): add migrations, never edit applied ones,
so an archive made by an older release opens and upgrades.
"""

from __future__ import annotations

import uuid

from sqlite_utils import Database, Migrations

from archive.clock import utc_now
from archive.errors import ArchiveError
from archive.evidence.ledger import backfill

migrations = Migrations("hepza-archive")
# The table where sqlite-utils records the migrations applied (its default name).
_MIGRATIONS_TABLE = migrations.migrations_table

# Versions and captures are append-only: the archive must never lose what it once held.
_APPEND_ONLY = ("article_versions", "captures", "capture_bodies")


@migrations()
def m001_initial(db: Database) -> None:
    db.table("articles").create(
        {
            "id": int,
            "asset_id": str,
            "url": str,
            "url_key": str,
            "lang": str,
            "category": str,
            "title": str,
            "title_raw": str,
            "published_at": str,
            "published_raw": str,
            "published_is_migration": int,
            "event_date": str,
            "event_precision": str,
            "event_sentence": str,
            "authors": str,
            "roles": str,
            "byline_raw": str,
            "source": str,
            "photo_credits": str,
            "body_text": str,
            "body_html": str,
            "images": str,
            "attachments": str,
            "layers": str,
            "warnings": str,
            "first_seen_at": str,
            "last_seen_at": str,
            "last_checked_at": str,
            "removed_at": str,
            "missing_since": str,
            "missing_runs": int,
            "missing_run_id": int,
            "version_count": int,
            "content_hash": str,
            "source_hash": str,
            "etag": str,
            "last_modified": str,
            "sitemap_lastmod": str,
        },
        pk="id",
        not_null={"url", "url_key", "first_seen_at", "last_seen_at", "version_count", "content_hash"},
        defaults={"missing_runs": 0, "published_is_migration": 0},
    )
    db.table("articles").create_index(["asset_id"], unique=True)
    db.table("articles").create_index(["url_key"])
    db.table("articles").create_index(["published_at"])

    db.table("article_urls").create(
        {"url": str, "url_key": str, "article_id": int, "first_seen_at": str},
        pk="url",
        foreign_keys=[("article_id", "articles", "id")],
    )
    db.table("article_urls").create_index(["url_key"])
    db.table("article_urls").create_index(["article_id"])

    db.table("article_versions").create(
        {
            "id": int,
            "article_id": int,
            "version": int,
            "captured_at": str,
            "run_id": int,
            "change_kind": str,
            "changed_fields": str,
            "content_hash": str,
            "source_hash": str,
            "capture_id": int,
            "extractor_version": str,
            "title": str,
            "body_text": str,
            "authors": str,
            "source": str,
            "photo_credits": str,
            "published_at": str,
            "event_date": str,
            "images": str,
            "attachments": str,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
        not_null={"article_id", "version", "captured_at", "change_kind", "content_hash"},
    )
    db.table("article_versions").create_index(["article_id", "version"], unique=True)

    db.table("capture_bodies").create(
        {"sha256": str, "codec": str, "base_sha256": str, "size": int, "data": bytes},
        pk="sha256",
        not_null={"codec", "size", "data"},
    )
    db.table("captures").create(
        {
            "id": int,
            "url": str,
            "article_id": int,
            "run_id": int,
            "fetched_at": str,
            "status": int,
            "headers": str,
            "body_sha256": str,
        },
        pk="id",
        foreign_keys=[("body_sha256", "capture_bodies", "sha256")],
        not_null={"url", "fetched_at", "status"},
    )
    db.table("captures").create_index(["article_id"])
    db.table("captures").create_index(["url"])

    db.table("crawl_runs").create(
        {
            "id": int,
            "started_at": str,
            "finished_at": str,
            "status": str,
            "exit_code": int,
            "mode": str,
            "site_url": str,
            "pid": int,
            "requests": int,
            "not_modified": int,
            "new": int,
            "changed": int,
            "unchanged": int,
            "removed": int,
            "returned": int,
            "errors": int,
            "alarms": str,
        },
        pk="id",
    )
    db.table("crawl_errors").create(
        {"id": int, "run_id": int, "at": str, "url": str, "kind": str, "status": int, "message": str},
        pk="id",
        foreign_keys=[("run_id", "crawl_runs", "id")],
    )
    db.table("crawl_errors").create_index(["run_id"])

    db.table("document_refs").create(
        {
            "id": int,
            "article_id": int,
            "kind": str,
            "number": str,
            "issuer": str,
            "issued_on": str,
            "raw": str,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
    )
    db.table("document_refs").create_index(["article_id"])
    db.table("document_refs").create_index(["number"])

    # Full-text search over folded text (no diacritics, đ→d, tone placement folded), one row per article,
    # rowid = articles.id. The articles table keeps the text as written.
    db.execute(
        "CREATE VIRTUAL TABLE articles_fts USING fts5(title, body_text, tokenize='unicode61 remove_diacritics 2')"
    )
    for table in _APPEND_ONLY:
        for action in ("UPDATE", "DELETE"):
            db.execute(
                f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            )


@migrations()
def m002_changes_and_files(db: Database) -> None:
    """A short diff summary on each version, the article_changes view, and downloaded attachments."""
    db.execute("ALTER TABLE article_versions ADD COLUMN diff_summary TEXT")
    db.execute(
        """
        CREATE VIEW article_changes AS
        SELECT v.article_id, a.title, a.url, v.version, v.captured_at AS changed_at, v.change_kind,
               v.changed_fields, v.diff_summary
        FROM article_versions v JOIN articles a ON a.id = v.article_id
        WHERE v.version > 1
        """
    )
    db.table("attachment_files").create(
        {
            "url": str,
            "article_id": int,
            "sha256": str,
            "path": str,
            "size": int,
            "content_type": str,
            "fetched_at": str,
        },
        pk="url",
        foreign_keys=[("article_id", "articles", "id")],
    )
    db.table("attachment_files").create_index(["sha256"])


@migrations()
def m003_capture_dictionaries(db: Database) -> None:
    """zstd dictionaries trained on the archive's own pages, for the keyframes stored after them."""
    db.table("capture_dictionaries").create(
        {"sha256": str, "created_at": str, "samples": int, "size": int, "data": bytes},
        pk="sha256",
        not_null={"created_at", "samples", "size", "data"},
    )
    for action in ("UPDATE", "DELETE"):
        db.execute(
            f"CREATE TRIGGER capture_dictionaries_no_{action.lower()} BEFORE {action} ON capture_dictionaries "
            "BEGIN SELECT RAISE(ABORT, 'capture_dictionaries is append-only'); END"
        )


@migrations()
def m004_attachment_history(db: Database) -> None:
    """Every content an attachment's URL has served, kept. Liferay serves a document's new version under the
    same URL (the articles' links do not change), so a re-check that finds other bytes adds a row and never
    overwrites one: rows are append-only, apart from the re-check fields (``checked_at`` and the validators
    for the next conditional request) of a URL's latest row."""
    db.execute("DROP INDEX IF EXISTS idx_attachment_files_sha256")
    db.execute("ALTER TABLE attachment_files RENAME TO _attachment_files_m002")
    db.execute(
        """
        CREATE TABLE attachment_files (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL,
            article_id INTEGER REFERENCES articles(id),
            sha256 TEXT NOT NULL,
            path TEXT NOT NULL,
            size INTEGER,
            content_type TEXT,
            fetched_at TEXT,
            checked_at TEXT,
            etag TEXT,
            last_modified TEXT
        )
        """
    )
    db.execute(
        "INSERT INTO attachment_files (url, article_id, sha256, path, size, content_type, fetched_at, checked_at) "
        "SELECT url, article_id, sha256, path, size, content_type, fetched_at, fetched_at "
        "FROM _attachment_files_m002 ORDER BY fetched_at, url"
    )
    db.execute("DROP TABLE _attachment_files_m002")
    db.table("attachment_files").create_index(["url", "id"])
    db.table("attachment_files").create_index(["sha256"])
    db.execute(
        "CREATE TRIGGER attachment_files_no_delete BEFORE DELETE ON attachment_files "
        "BEGIN SELECT RAISE(ABORT, 'attachment_files rows are kept'); END"
    )
    db.execute(
        "CREATE TRIGGER attachment_files_no_rewrite "
        "BEFORE UPDATE OF id, url, article_id, sha256, path, size, content_type, fetched_at ON attachment_files "
        "BEGIN SELECT RAISE(ABORT, 'attachment_files keeps what each URL served'); END"
    )
    # A run counts the documents it stored for the first time and the ones it found replaced.
    db.execute("ALTER TABLE crawl_runs ADD COLUMN attachments INTEGER")
    db.execute("ALTER TABLE crawl_runs ADD COLUMN attachments_changed INTEGER")
    # One row per replacement: what the URL served before, and what it serves now.
    db.execute(
        """
        CREATE VIEW attachment_changes AS
        SELECT f.id, f.url, f.article_id, a.title, f.fetched_at AS changed_at,
               p.sha256 AS previous_sha256, p.size AS previous_size, p.path AS previous_path,
               p.fetched_at AS previous_fetched_at,
               f.sha256, f.size, f.path
        FROM attachment_files f
        JOIN attachment_files p
          ON p.id = (SELECT max(id) FROM attachment_files WHERE url = f.url AND id < f.id)
        LEFT JOIN articles a ON a.id = f.article_id
        """
    )


@migrations()
def m005_body_links(db: Database) -> None:
    """The body's links other than attachments, a content field (``links``, JSON list of {url, text}): an
    edit that points the same words at another page changes no text. Older rows hold NULL, read as no
    links, and keep their hashes (``pipelines.model.LATER_CONTENT_FIELDS``)."""
    db.execute("ALTER TABLE articles ADD COLUMN links TEXT")
    db.execute("ALTER TABLE article_versions ADD COLUMN links TEXT")


@migrations()
def m006_categories(db: Database) -> None:
    """Every category an article is filed under (``categories``, JSON list of list-page keys, sorted) and
    the page's breadcrumb as printed (``category_raw``, JSON list of {text, url}). ``category`` stays the
    main one. Older rows had only the category of the list that led to them: it starts the list."""
    db.execute("ALTER TABLE articles ADD COLUMN categories TEXT")
    db.execute("ALTER TABLE articles ADD COLUMN category_raw TEXT")
    db.execute(
        "UPDATE articles SET categories = json_array(category) WHERE category IS NOT NULL AND category != ''"
    )


@migrations()
def m007_migration_flag_changes(db: Database) -> None:
    """Every change of ``published_is_migration`` made by the archive's pass, one row each (``run_id`` NULL
    for ``hepza reprocess``), with the rules that hold after it (``batch``, ``dates``, or ``neither``); a
    run counts its changes in ``crawl_runs.migration_flags``. Append-only: a flag never changes silently."""
    db.table("migration_flag_changes").create(
        {
            "id": int,
            "run_id": int,
            "article_id": int,
            "at": str,
            "published_is_migration": int,
            "reasons": str,
        },
        pk="id",
        foreign_keys=[("run_id", "crawl_runs", "id"), ("article_id", "articles", "id")],
    )
    db.table("migration_flag_changes").create_index(["article_id"])
    db.table("migration_flag_changes").create_index(["run_id"])
    for action in ("UPDATE", "DELETE"):
        db.execute(
            f"CREATE TRIGGER migration_flag_changes_no_{action.lower()} BEFORE {action} ON migration_flag_changes "
            "BEGIN SELECT RAISE(ABORT, 'migration_flag_changes is append-only'); END"
        )
    db.execute("ALTER TABLE crawl_runs ADD COLUMN migration_flags INTEGER")


# Is the run (an SQL expression for its id) past its portal's first crawl? A portal's first crawl lasts until
# one of its runs (same site_url) has ended ok or with failed pages: an interrupted first crawl, or one that
# met a maintenance page everywhere (an alarm), is still the first, and its next run brings thousands of
# articles that are no news. `alert_options.queue_first_crawl` (the alerts_first_crawl setting, written by
# `hepza crawl` before it starts) queues them anyway.
_ALERTS_QUEUE_RUN = """(
    (SELECT queue_first_crawl FROM alert_options WHERE id = 1) = 1
    OR EXISTS (
        SELECT 1 FROM crawl_runs this JOIN crawl_runs done
          ON done.site_url = this.site_url AND done.id < this.id AND done.status IN ('ok', 'failed-pages')
        WHERE this.id = {run}
    )
)"""
# The run writing now: the run lock lets one run at a time write, and only a live one is 'running'.
_ALERTS_RUNNING = "(SELECT max(id) FROM crawl_runs WHERE status = 'running')"


@migrations()
def m008_alert_queue(db: Database) -> None:
    """Alerts (archive/alerts/, docs/alerts.md): every change a run writes queues an event in the same
    transaction, by triggers on the tables the archive writes: a new article or an edit (a version of kind
    ``first`` or ``edit``: never ``extraction`` or ``reprocess``), a confirmed removal and a return
    (``articles.removed_at`` set or cleared), a new address (``articles.url``), a document replaced under
    its URL (a second ``attachment_files`` row for one URL). An unchanged re-crawl, an error or maintenance
    page writes none of these, so queues nothing; neither does a portal's first crawl (unless asked).
    Deliveries are marked per watch and destination (``alert_sent``), destinations that fail wait with
    backoff (``alert_destinations``); ``crawl_runs.alerts`` says what a run's sending did."""
    db.execute(
        """
        CREATE TABLE alert_events (
            id INTEGER PRIMARY KEY,
            run_id INTEGER REFERENCES crawl_runs(id),
            at TEXT NOT NULL,
            kind TEXT NOT NULL,
            article_id INTEGER REFERENCES articles(id),
            version INTEGER,
            file_id INTEGER REFERENCES attachment_files(id),
            before TEXT,
            after TEXT
        )
        """
    )
    db.execute("CREATE INDEX idx_alert_events_run_id ON alert_events (run_id)")
    db.execute(
        "CREATE TABLE alert_options (id INTEGER PRIMARY KEY CHECK (id = 1), "
        "queue_first_crawl INTEGER NOT NULL DEFAULT 0)"
    )
    db.execute("INSERT INTO alert_options (id, queue_first_crawl) VALUES (1, 0)")
    versions = _ALERTS_QUEUE_RUN.format(run="NEW.run_id")
    db.execute(
        f"""
        CREATE TRIGGER alert_on_version AFTER INSERT ON article_versions
        WHEN NEW.change_kind IN ('first', 'edit') AND {versions}
        BEGIN
            INSERT INTO alert_events (run_id, at, kind, article_id, version)
            VALUES (NEW.run_id, NEW.captured_at, CASE NEW.change_kind WHEN 'first' THEN 'new' ELSE 'edit' END,
                    NEW.article_id, NEW.version);
        END
        """
    )
    removals = _ALERTS_QUEUE_RUN.format(run="NEW.missing_run_id")
    db.execute(
        f"""
        CREATE TRIGGER alert_on_removal AFTER UPDATE OF removed_at ON articles
        WHEN OLD.removed_at IS NULL AND NEW.removed_at IS NOT NULL AND {removals}
        BEGIN
            INSERT INTO alert_events (run_id, at, kind, article_id, before)
            VALUES (NEW.missing_run_id, coalesce(NEW.last_checked_at, NEW.removed_at), 'removal', NEW.id,
                    NEW.removed_at);
        END
        """
    )
    running = _ALERTS_QUEUE_RUN.format(run=_ALERTS_RUNNING)
    db.execute(
        f"""
        CREATE TRIGGER alert_on_return AFTER UPDATE OF removed_at ON articles
        WHEN OLD.removed_at IS NOT NULL AND NEW.removed_at IS NULL AND {running}
        BEGIN
            INSERT INTO alert_events (run_id, at, kind, article_id, before)
            VALUES ({_ALERTS_RUNNING}, NEW.last_seen_at, 'return', NEW.id, OLD.removed_at);
        END
        """
    )
    db.execute(
        f"""
        CREATE TRIGGER alert_on_rename AFTER UPDATE OF url ON articles
        WHEN OLD.url IS NOT NEW.url AND {running}
        BEGIN
            INSERT INTO alert_events (run_id, at, kind, article_id, before, after)
            VALUES ({_ALERTS_RUNNING}, NEW.last_seen_at, 'rename', NEW.id, OLD.url, NEW.url);
        END
        """
    )
    # A document's previous content: the last one that was not an HTML page. The portal answers a
    # document's address with its error or maintenance page now and then (with 200; the archive keeps what
    # was served): that page is no new version, and the document coming back after it is no replacement.
    document_before = (
        "(SELECT p.sha256 FROM attachment_files p WHERE p.url = NEW.url AND p.id < NEW.id "
        "AND coalesce(p.content_type, '') NOT LIKE 'text/html%' ORDER BY p.id DESC LIMIT 1)"
    )
    db.execute(
        f"""
        CREATE TRIGGER alert_on_replaced_file AFTER INSERT ON attachment_files
        WHEN coalesce(NEW.content_type, '') NOT LIKE 'text/html%'
             AND EXISTS (SELECT 1 FROM attachment_files p WHERE p.url = NEW.url AND p.id < NEW.id)
             AND coalesce({document_before}, '') != NEW.sha256 AND {running}
        BEGIN
            INSERT INTO alert_events (run_id, at, kind, article_id, file_id, before, after)
            VALUES ({_ALERTS_RUNNING}, NEW.fetched_at, 'attachment', NEW.article_id, NEW.id, {document_before},
                    NEW.sha256);
        END
        """
    )
    # One row per event delivered to one destination of one watch: what is never sent twice.
    db.execute(
        """
        CREATE TABLE alert_sent (
            event_id INTEGER NOT NULL REFERENCES alert_events(id),
            watch TEXT NOT NULL,
            destination TEXT NOT NULL,
            message_id INTEGER NOT NULL,
            PRIMARY KEY (event_id, watch, destination)
        )
        """
    )
    # Each message that a destination accepted (a digest of one or more events), for the daily digests.
    db.execute(
        """
        CREATE TABLE alert_messages (
            id INTEGER PRIMARY KEY,
            run_id INTEGER REFERENCES crawl_runs(id),
            watch TEXT NOT NULL,
            destination TEXT NOT NULL,
            shown TEXT,
            sent_at TEXT NOT NULL,
            events INTEGER NOT NULL,
            subject TEXT
        )
        """
    )
    db.execute("CREATE INDEX idx_alert_messages_watch ON alert_messages (watch, destination)")
    # Where a watch's deliveries to one destination begin (a new watch does not get the whole history).
    db.execute(
        "CREATE TABLE alert_starts (watch TEXT NOT NULL, destination TEXT NOT NULL, "
        "first_event INTEGER NOT NULL, PRIMARY KEY (watch, destination))"
    )
    # Destinations (by a hash of their URL: the URL may hold a password or a token) that failed, and when
    # they may be tried again.
    db.execute(
        """
        CREATE TABLE alert_destinations (
            destination TEXT PRIMARY KEY,
            shown TEXT,
            failures INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            last_attempt_at TEXT,
            retry_after TEXT
        )
        """
    )
    db.execute("ALTER TABLE crawl_runs ADD COLUMN alerts TEXT")


@migrations()
def m009_learned_layouts(db: Database) -> None:
    """Where a redesigned theme prints each field, as learned from the archive's own articles
    (``archive/learning.py``): the rule (JSON of CSS selectors), when and in which run it was learned, the
    articles it was checked on (JSON list of ids), ``verified`` (used from then on) or ``rejected`` (with
    why). Append-only: what the crawl trusted, and when, is never rewritten."""
    db.table("learned_layouts").create(
        {
            "id": int,
            "run_id": int,
            "learned_at": str,
            "rule": str,
            "checked_on": str,
            "status": str,
            "reason": str,
        },
        pk="id",
        not_null={"learned_at", "rule", "checked_on", "status"},
        foreign_keys=[("run_id", "crawl_runs", "id")],
    )
    for action in ("UPDATE", "DELETE"):
        db.execute(
            f"CREATE TRIGGER learned_layouts_no_{action.lower()} BEFORE {action} ON learned_layouts "
            "BEGIN SELECT RAISE(ABORT, 'learned_layouts is append-only'); END"
        )


# Columns of article_versions that significance compares (archive/significance.py).
_SIGNIFICANCE_COLUMNS = (
    "id, article_id, version, title, body_text, authors, published_at, event_date, source, "
    "attachments, links, images"
)


@migrations()
def m011_capture_http(db: Database) -> None:
    """What a faithful WARC record of a capture needs (archive/warc.py), kept from the downloader on: the
    status line and header lines as received (``http_head``: reason phrase, repeated headers, their order
    and case, Content-Encoding and Transfer-Encoding), the request line and headers sent
    (``http_request``), and the body as the server sent it when that differs from the stored decoded body
    (``wire_sha256``, in ``capture_bodies``: a gzip answer). Older captures hold NULL: their WARC records
    are rebuilt from ``status`` and ``headers`` and say so. ``capture_not_modified``: one row per 304 answer
    to an article's conditional request, the capture it confirmed, and its head; append-only."""
    db.execute("ALTER TABLE captures ADD COLUMN http_head TEXT")
    db.execute("ALTER TABLE captures ADD COLUMN http_request TEXT")
    db.execute("ALTER TABLE captures ADD COLUMN wire_sha256 TEXT REFERENCES capture_bodies(sha256)")
    db.execute(
        """
        CREATE TABLE capture_not_modified (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL,
            article_id INTEGER REFERENCES articles(id),
            run_id INTEGER REFERENCES crawl_runs(id),
            fetched_at TEXT NOT NULL,
            status INTEGER NOT NULL,
            capture_id INTEGER REFERENCES captures(id),
            http_head TEXT,
            http_request TEXT
        )
        """
    )
    db.execute("CREATE INDEX idx_capture_not_modified_article_id ON capture_not_modified (article_id)")
    for action in ("UPDATE", "DELETE"):
        db.execute(
            f"CREATE TRIGGER capture_not_modified_no_{action.lower()} BEFORE {action} ON capture_not_modified "
            "BEGIN SELECT RAISE(ABORT, 'capture_not_modified is append-only'); END"
        )


@migrations()
def m013_significance(db: Database) -> None:
    """How much each version's change matters (archive/significance.py, docs/significance.md): a score
    and the factors that make it, one row per version (``score`` NULL for a first version: nothing to
    compare), ``method`` naming the rules that scored it. Versions are append-only, so the score is a
    table of its own, filled for the versions already archived."""
    from archive.significance import METHOD, significance

    db.execute(
        """
        CREATE TABLE version_significance (
            version_id INTEGER PRIMARY KEY REFERENCES article_versions(id),
            article_id INTEGER NOT NULL REFERENCES articles(id),
            version INTEGER NOT NULL,
            score INTEGER,
            factors TEXT,
            method TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX idx_version_significance_score ON version_significance (score)")
    names = [c.strip() for c in _SIGNIFICANCE_COLUMNS.split(",")]
    previous: dict | None = None
    cursor = db.execute(f"SELECT {_SIGNIFICANCE_COLUMNS} FROM article_versions ORDER BY article_id, version")
    for values in cursor:
        row = dict(zip(names, values, strict=True))
        if previous is None or previous["article_id"] != row["article_id"]:
            score, factors = None, None
        else:
            found = significance(previous, row)
            score, factors = found.score, found.factors_json()
        db.execute(
            "INSERT INTO version_significance (version_id, article_id, version, score, factors, method) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [row["id"], row["article_id"], row["version"], score, factors, METHOD],
        )
        previous = row


@migrations()
def m014_version_search(db: Database) -> None:
    """Full-text search of every version (``hepza serve``'s "search past versions", the library's
    ``search(..., past_versions=True)``): folded title and body of each version, rowid =
    article_versions.id, filled for the versions already archived. Contentless (the text is in
    article_versions already): it holds the index, not a second copy of every body."""
    from pipelines.text import fold_key

    db.execute(
        "CREATE VIRTUAL TABLE versions_fts USING fts5(title, body_text, content='', "
        "tokenize='unicode61 remove_diacritics 2')"
    )
    cursor = db.execute("SELECT id, title, body_text FROM article_versions ORDER BY id")
    for version_id, title, body_text in cursor:
        db.execute(
            "INSERT INTO versions_fts (rowid, title, body_text) VALUES (?, ?, ?)",
            [version_id, fold_key(title or ""), fold_key(body_text or "")],
        )


# The ledger's tables (archive/evidence/): rows are never changed or deleted.
_LEDGER_TABLES = ("ledger_meta", "ledger_leaves", "ledger_checkpoints", "ledger_timestamps")


@migrations()
def m015_evidence_ledger(db: Database) -> None:
    """The tamper-evident ledger (docs/evidence.md): one leaf per event that changes what the archive
    asserts (``ledger_leaves``, RFC 6962 Merkle tree order), the signed checkpoints each run ends with
    (``ledger_checkpoints``, C2SP tlog-checkpoint notes), RFC 3161 time-stamp tokens of checkpoints
    (``ledger_timestamps``) and the log's origin line (``ledger_meta``). All append-only. An existing
    archive gets leaves for what it holds now: its history before this migration is attested from here on,
    not from when it was written."""
    db.execute(
        "CREATE TABLE ledger_meta (id INTEGER PRIMARY KEY CHECK (id = 1), origin TEXT NOT NULL, "
        "created_at TEXT NOT NULL, backfilled INTEGER NOT NULL)"
    )
    db.execute(
        """
        CREATE TABLE ledger_leaves (
            idx INTEGER PRIMARY KEY,
            event TEXT NOT NULL,
            ref_table TEXT,
            ref_id INTEGER,
            article_id INTEGER,
            data TEXT NOT NULL,
            leaf_hash TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX idx_ledger_leaves_ref ON ledger_leaves (ref_table, ref_id)")
    db.execute("CREATE INDEX idx_ledger_leaves_article ON ledger_leaves (article_id, event)")
    db.execute(
        """
        CREATE TABLE ledger_checkpoints (
            id INTEGER PRIMARY KEY,
            run_id INTEGER,
            created_at TEXT NOT NULL,
            tree_size INTEGER NOT NULL,
            root_hash TEXT NOT NULL,
            note TEXT NOT NULL,
            public_key TEXT NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE ledger_timestamps (
            id INTEGER PRIMARY KEY,
            checkpoint_id INTEGER NOT NULL REFERENCES ledger_checkpoints(id),
            tsa_url TEXT NOT NULL,
            stamped_at TEXT NOT NULL,
            token BLOB NOT NULL
        )
        """
    )
    # ``backfilled``: the leaves the migration wrote for history it did not see happen (docs/evidence.md).
    added = backfill(db.conn)
    db.execute(
        "INSERT INTO ledger_meta (id, origin, created_at, backfilled) VALUES (1, ?, ?, ?)",
        [f"hepza-archive/{uuid.uuid4().hex}", utc_now(), added],
    )
    for table in _LEDGER_TABLES:
        for action in ("UPDATE", "DELETE"):
            db.execute(
                f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            )


@migrations()
def m016_crawl_run_hints(db: Database) -> None:
    """The profile hints a crawl read its pages with (``crawl_runs.hints``, JSON; NULL for none): list
    pages, article routes, selectors and date formats (docs/portals.md, "Hints"). ``hepza reprocess``
    reads the captures again with the newest crawl's, so it gives what that crawl gave."""
    db.execute("ALTER TABLE crawl_runs ADD COLUMN hints TEXT")


def ensure_schema(db: Database) -> None:
    """Create or upgrade the archive's tables."""
    migrations.apply(db)


def refuse_foreign_database(db: Database, path: str) -> None:
    """Another application's SQLite file must not get the archive's tables added to it.

    A file holding nothing but the migrations' own bookkeeping, with no migration of another set, is an
    archive whose creation was cut short: sqlite-utils commits that table before the first migration's
    transaction, so a run killed in between leaves just it. That file is ours to finish."""
    names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not names or "articles" in names:
        return
    if names == {_MIGRATIONS_TABLE}:
        sets = {r[0] for r in db.execute(f"SELECT DISTINCT migration_set FROM {_MIGRATIONS_TABLE}")}
        if sets <= {migrations.name}:
            return
    raise ArchiveError(f"{path} is an SQLite file of another application, not a hepza archive")


def refuse_non_archive(db: Database, path: str) -> None:
    """A file opened read-only is never upgraded: it must already hold the archive's tables."""
    if not db.table("articles").exists():
        raise ArchiveError(f"{path} is not a hepza archive (no articles table)")


def upgrade(db: Database) -> None:
    """Apply the pending migrations in one transaction, on a connection in autocommit mode (migrations
    manage their own transactions)."""
    db.conn.isolation_level = "DEFERRED"
    try:
        ensure_schema(db)
        db.conn.commit()
    finally:
        db.conn.isolation_level = None
