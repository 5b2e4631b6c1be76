"""Watches: who wants to hear about which changes, and where to send them.

A watch is a rule over the queued events (``archive/alerts/events.py``): which kinds, which articles
(portal, category, words, a document number, an author, one article's URL), and one or more apprise URLs.
Every condition given must hold; inside one list (``words``, ``events``) any entry is enough.

Watches come from two places, and ``hepza watch list`` shows both:

- the config file's ``[[watch]]`` tables (hepza.toml, versioned and edited by its owner);
- ``<db>.watches.toml`` beside the archive, which ``hepza watch add/remove`` writes.

Not a table in the archive: a destination URL often carries a password or a bot token, and the archive file
is served (``hepza serve`` shows every table), exported and copied to share. The archive keeps only a hash
of each destination URL and its redacted form.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from pipelines.text import fold_key
from pipelines.urls import article_key

# What a run can tell: a new article, an edit by the agency, a removal confirmed by a second run, a removed
# article back online, a new address, a document (or an image) replaced under its URL.
EVENT_KINDS = ("new", "edit", "removal", "return", "rename", "attachment")
# The name of the ad-hoc watch of ``hepza crawl --notify URL``: every event of that run.
ADHOC = "--notify"
_NAME_RE = re.compile(r"^[\w.-]{1,64}$")
_FIELDS = {"name", "events", "portal", "category", "words", "exact", "document", "author", "url", "notify"}


class WatchError(ValueError):
    """A watch that cannot work: one line for the user."""


@dataclass(frozen=True)
class Watch:
    """One rule and its destinations (apprise URLs)."""

    name: str
    notify: tuple[str, ...]
    events: tuple[str, ...] = EVENT_KINDS
    portal: str | None = None  # a host (hepza.hochiminhcity.gov.vn) or an origin
    category: str | None = None  # a list page's key, as in articles.categories
    words: tuple[str, ...] = ()  # any of them, in the title or body (before or after the change)
    exact: bool = False  # words as written (diacritics, case); else folded (hoà = hòa = HOA)
    document: str | None = None  # a document number such as 05-CT/TW
    author: str | None = None
    url: str | None = None  # one article, by any of its URLs
    origin: str = ""  # where it was read from, for messages and `hepza watch list`

    def to_toml(self) -> str:
        """The watch as a ``[[watch]]`` table (the fields that differ from the defaults)."""
        lines = ["[[watch]]"]
        for name in ("name", "events", "portal", "category", "words", "exact", "document", "author", "url"):
            value = getattr(self, name)
            if value == getattr(_DEFAULTS, name):
                continue
            lines.append(f"{name} = {_toml_value(value)}")
        lines.append(f"notify = {_toml_value(self.notify)}")
        return "\n".join(lines) + "\n"

    def describe(self) -> str:
        """One line: its conditions."""
        parts = [f"events: {', '.join(self.events)}" if self.events != EVENT_KINDS else "every event"]
        for name in ("portal", "category", "document", "author", "url"):
            if getattr(self, name):
                parts.append(f"{name}: {getattr(self, name)}")
        if self.words:
            parts.append(("exact " if self.exact else "") + "words: " + " | ".join(self.words))
        return "; ".join(parts)


_DEFAULTS = Watch(name="-", notify=())


def _toml_value(value: object) -> str:
    # JSON's strings, lists and booleans are TOML's (its escapes included).
    if isinstance(value, tuple):
        value = list(value)
    return json.dumps(value, ensure_ascii=False)


def parse_watch(data: Mapping, origin: str) -> Watch:
    """A watch from a ``[[watch]]`` table; a bad one raises :class:`WatchError` naming it."""
    name = data.get("name")
    where = f"watch {name!r} in {origin}" if name else f"a watch in {origin}"
    if not isinstance(name, str) or not _NAME_RE.match(name):
        raise WatchError(f"{where}: name must be 1-64 letters, digits, '.', '-' or '_'")
    unknown = sorted(set(data) - _FIELDS)
    if unknown:
        raise WatchError(f"{where}: unknown field(s) {', '.join(unknown)}")
    notify = _strings(data.get("notify", []), where, "notify")
    if not notify:
        raise WatchError(f"{where}: notify needs at least one apprise URL")
    for url in notify:
        check_destination(url, where)
    events = _strings(data.get("events", list(EVENT_KINDS)), where, "events")
    wrong = [e for e in events if e not in EVENT_KINDS]
    if wrong or not events:
        raise WatchError(f"{where}: events must be among {', '.join(EVENT_KINDS)}, not {wrong or events}")
    words = _strings(data.get("words", []), where, "words")
    exact = data.get("exact", False)
    if not isinstance(exact, bool):
        raise WatchError(f"{where}: exact must be true or false")
    single = {}
    for key in ("portal", "category", "document", "author", "url"):
        value = data.get(key)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise WatchError(f"{where}: {key} must be a non-empty string")
        single[key] = value.strip() if value else None
    if single["url"] and article_key(single["url"]) is None:
        raise WatchError(f"{where}: url {single['url']!r} is not an article's URL")
    return Watch(
        name=name,
        notify=tuple(notify),
        events=tuple(e for e in EVENT_KINDS if e in events),
        words=tuple(words),
        exact=exact,
        origin=origin,
        **single,
    )


def _strings(value: object, where: str, key: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise WatchError(f"{where}: {key} must be a string or a list of strings")
    return [v.strip() for v in value]


def check_destination(url: str, where: str = "--notify") -> None:
    """An apprise URL apprise can use; else :class:`WatchError`."""
    import apprise

    if apprise.Apprise.instantiate(url) is None:
        raise WatchError(f"{where}: {redact(url)} is not an apprise URL apprise can use")


def redact(url: str) -> str:
    """The URL without its password or token, for messages, the run summary and the archive."""
    import apprise

    plugin = apprise.Apprise.instantiate(url)
    if plugin is not None:
        return str(plugin.url(privacy=True)).split("?", 1)[0]
    scheme = urlsplit(url).scheme or "?"
    return f"{scheme}://…"


def watches_file(db_path: str) -> Path:
    """The file ``hepza watch`` manages, beside the archive's real path (as ``<db>.files/`` is)."""
    return Path(f"{os.path.realpath(db_path)}.watches.toml")


def read_watches(path: Path | None, *, section: bool = True) -> list[Watch]:
    """The ``[[watch]]`` tables of a TOML file (a config file may hold them in its ``[hepza]`` table too)."""
    if path is None or not path.is_file():
        return []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise WatchError(f"cannot read watches from {path}: {exc}") from None
    tables = data.get("watch", [])
    if section and isinstance(data.get("hepza"), dict):
        tables = [*tables, *data["hepza"].get("watch", [])]
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise WatchError(f"{path}: watch must be an array of tables ([[watch]])")
    return [parse_watch(table, str(path)) for table in tables]


def load_watches(config: Path | None, db_path: str) -> list[Watch]:
    """Every watch: the config file's, then ``hepza watch``'s. Names are unique across both."""
    watches = [*read_watches(config), *read_watches(watches_file(db_path), section=False)]
    seen: dict[str, str] = {}
    for watch in watches:
        if watch.name in seen:
            raise WatchError(f"two watches named {watch.name!r} ({seen[watch.name]} and {watch.origin})")
        seen[watch.name] = watch.origin
    return watches


def write_watches(path: Path, watches: Iterable[Watch]) -> None:
    """Write ``hepza watch``'s file whole (under a temporary name, then renamed), readable by its owner
    only: it holds the destinations' passwords and tokens."""
    text = "# Managed by `hepza watch add/remove`.\n\n" + "\n".join(w.to_toml() for w in watches)
    temporary = path.with_name(path.name + ".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(temporary, path)


# --- matching -------------------------------------------------------------------------------------------


@dataclass
class Subject:
    """What a rule looks at in one event: its kind and its article as archived (before and after)."""

    kind: str
    url: str | None = None
    url_keys: set[str] = field(default_factory=set)  # every address the article had
    categories: set[str] = field(default_factory=set)
    texts: list[str] = field(default_factory=list)  # titles and bodies, before and after the change
    authors: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)


def matches(watch: Watch, subject: Subject) -> bool:
    """Does the event concern this watch? Every condition it gives must hold."""
    if subject.kind not in watch.events:
        return False
    if watch.portal and not _same_portal(watch.portal, subject.url):
        return False
    if watch.category and watch.category not in subject.categories:
        return False
    if watch.url and article_key(watch.url) not in subject.url_keys:
        return False
    if watch.author and not any(_contains(a, watch.author, exact=False) for a in subject.authors):
        return False
    if watch.document and not _cites(watch.document, subject):
        return False
    if watch.words and not any(
        _contains(text, word, exact=watch.exact) for word in watch.words for text in subject.texts
    ):
        return False
    return True


def _same_portal(portal: str, url: str | None) -> bool:
    host = urlsplit(portal).netloc if "//" in portal else portal
    return bool(url) and urlsplit(url or "").netloc.lower() == host.lower().rstrip("/")


def _document_key(number: str) -> str:
    return re.sub(r"\s+", "", fold_key(number)).upper()


def _cites(number: str, subject: Subject) -> bool:
    wanted = _document_key(number)
    if any(_document_key(n) == wanted for n in subject.documents):
        return True
    return any(_contains(text, number, exact=False) for text in subject.texts)


def _contains(text: str, phrase: str, *, exact: bool) -> bool:
    """The phrase in the text as whole words: folded (marks, đ, case and spacing ignored) unless exact."""
    if exact:
        text, phrase = unicodedata.normalize("NFC", text), unicodedata.normalize("NFC", phrase.strip())
    else:
        text, phrase = fold_key(text), fold_key(phrase)
    if not phrase:
        return False
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text) is not None
