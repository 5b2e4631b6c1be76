"""Portal profiles: one TOML file per portal, in a folder the user chooses (``portals_dir``).

A profile names a portal and says how to crawl it politely; its optional ``[hints]`` are what the crawl
uses before its own detection when a portal's theme defeats it (docs/portals.md, "Profiles"). Profiles are
data: every key is listed in :data:`KEYS` (or :data:`HINT_KEYS`) with its type, checked on load, and a bad
profile is one line naming the file, the key and the problem (:class:`ProfileError`, exit 2 in the CLI).

Example::

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "hepza.toml").write_text('origin = "https://hepza.hochiminhcity.gov.vn"\\n')
    >>> [p.name for p in load_profiles(folder)]
    ['hepza']
    >>> load_profile(folder / "hepza.toml").setting_values("archives")["db"]
    'archives/hepza.db'
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from archive.schedule import parse_schedule

__all__ = [
    "HINT_KEYS",
    "KEYS",
    "SELECTOR_ROLES",
    "Profile",
    "ProfileError",
    "load_profile",
    "load_profiles",
]

# A portal's name is its archive's file name (``archives/<name>.db``) and its label in every page.
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
# The fields a profile may give a CSS selector for (``[hints.selectors]``).
SELECTOR_ROLES = ("title", "date", "byline", "body")
# strftime directives a date format must hold to name a day (``%d`` or ``%e``), a month and a year.
_DATE_DIRECTIVES = (("%d", "%e"), ("%m", "%b", "%B"), ("%Y", "%y"))


class ProfileError(ValueError):
    """A profile that cannot be used: its message is one line naming the file, the key and the problem."""


@dataclass(frozen=True)
class Hints:
    """What the crawl uses before its own detection (all optional; empty means "detect")."""

    list_pages: tuple[str, ...] = ()  # URLs on the origin to read as article lists (besides those found)
    article_routes: tuple[str, ...] = ()  # regular expressions over path?query marking article pages
    selectors: dict[str, str] = field(default_factory=dict)  # role (SELECTOR_ROLES) -> CSS selector
    date_formats: tuple[str, ...] = ()  # strptime formats tried on the date line before the built-in reader

    def as_setting(self) -> dict[str, Any]:
        """The hints as plain data, the form the crawl receives them in (the Scrapy setting HEPZA_HINTS)."""
        return {
            "list_pages": list(self.list_pages),
            "article_routes": list(self.article_routes),
            "selectors": dict(self.selectors),
            "date_formats": list(self.date_formats),
        }


@dataclass(frozen=True)
class Profile:
    """One portal: where it is, how it is read and how politely, and whether ``crawl --all`` takes it."""

    name: str
    origin: str
    path: Path
    locales: tuple[str, ...] = ("vi",)
    timezone: str = "Asia/Ho_Chi_Minh"
    delay: float = 1.0
    concurrency: int = 1
    recheck_schedule: str = "3d:0,30d:1d,365d:7d,*:30d"
    enabled: bool = True
    hints: Hints = field(default_factory=Hints)
    seen: tuple[str, ...] = ()  # what was read off the real portal (docs only)
    inferred: tuple[str, ...] = ()  # what was taken from Liferay's source or other portals (docs only)

    def archive_path(self, archives_dir: str | Path) -> str:
        """The portal's archive file in the archives folder."""
        return str(Path(archives_dir) / f"{self.name}.db")

    def setting_values(self, archives_dir: str | Path) -> dict[str, Any]:
        """The settings (archive/config.py names) this profile fixes for its portal's crawl."""
        return {
            "site_url": self.origin,
            "db": self.archive_path(archives_dir),
            "timezone": self.timezone,
            "delay": self.delay,
            "concurrency": self.concurrency,
            "recheck_schedule": self.recheck_schedule,
        }


def _text(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be a non-empty string")
    return value.strip()


def _text_list(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError("must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


def _number(minimum: float) -> Callable[[object], float]:
    def check(value: object) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or value < minimum:
            raise ValueError(f"must be a number of at least {minimum:g}")
        return float(value)

    return check


def _count(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError("must be a whole number of at least 1")
    return value


def _flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def _origin(value: object) -> str:
    text = _text(value).rstrip("/")
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("must be an http(s) origin such as https://hepza.hochiminhcity.gov.vn")
    if parts.path or parts.query or parts.fragment:
        raise ValueError("must be an origin only (scheme and host, no path)")
    return text


def _name(value: object) -> str:
    text = _text(value)
    if not NAME_PATTERN.match(text):
        raise ValueError("must be lowercase letters, digits and hyphens (it names the archive file)")
    return text


def _locales(value: object) -> tuple[str, ...]:
    locales = _text_list(value)
    if not locales:
        raise ValueError('must name at least one locale, e.g. ["vi", "en"]')
    for locale in locales:
        if not re.match(r"^[a-z]{2}(?:[_-][A-Z]{2})?$", locale):
            raise ValueError(f"{locale!r} is not a locale such as vi, en or en_US")
    return locales


def _timezone(value: object) -> str:
    text = _text(value)
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{text!r} is not a time zone such as Asia/Ho_Chi_Minh") from None
    return text


def _schedule(value: object) -> str:
    text = _text(value)
    try:
        parse_schedule(text)
    except ValueError as exc:
        raise ValueError(f"is not a re-check schedule: {exc}") from None
    return text


def _patterns(value: object) -> tuple[str, ...]:
    patterns = _text_list(value)
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"{pattern!r} is not a regular expression: {exc}") from None
    return patterns


def _date_formats(value: object) -> tuple[str, ...]:
    formats = _text_list(value)
    for fmt in formats:
        if not all(any(d in fmt for d in group) for group in _DATE_DIRECTIVES):
            raise ValueError(f"{fmt!r} must name a day, a month and a year (%d, %m, %Y)")
    return formats


def _selectors(value: object) -> dict[str, str]:
    import soupsieve  # (beautifulsoup4's selector engine: a selector that compiles here works in the crawl)

    if not isinstance(value, dict):
        raise ValueError(f"must be a table of {', '.join(SELECTOR_ROLES)}")
    unknown = sorted(set(value) - set(SELECTOR_ROLES))
    if unknown:
        raise ValueError(f"unknown role(s) {', '.join(unknown)} (known: {', '.join(SELECTOR_ROLES)})")
    selectors = {}
    for role, selector in value.items():
        text = _text(selector)
        try:
            soupsieve.compile(text)
        except soupsieve.SelectorSyntaxError as exc:
            first = str(exc).splitlines()[0]
            raise ValueError(f"{role}: {text!r} is not a CSS selector ({first})") from None
        selectors[role] = text
    return selectors


# Every key of a profile: its checker (which also gives the value's Python form) and its documentation.
KEYS: dict[str, tuple[Callable[[object], Any], str]] = {
    "name": (
        _name,
        "The portal's name: its archive `archives/<name>.db` and its label; default: the file's stem.",
    ),
    "origin": (_origin, "Required. The portal's origin (`https://host`); the crawl never leaves it."),
    "locales": (
        _locales,
        'The portal\'s locales, the first its default (`["vi", "en"]`). For the reader of the profile: the '
        "crawl takes each page's locale from the page itself (its `lang`, its `/en/` prefix), which decides "
        "day/month order.",
    ),
    "timezone": (_timezone, "The time zone the portal prints its dates in."),
    "delay": (
        _number(0),
        "Seconds from a response of this portal to its next request (its own download slot).",
    ),
    "concurrency": (_count, "Parallel requests to this portal (1 is polite)."),
    "recheck_schedule": (_schedule, "How often known articles are re-checked, as the setting of that name."),
    "enabled": (_flag, "Whether `hepza crawl --all` crawls it (`--portal NAME` always does)."),
}
HINT_KEYS: dict[str, tuple[Callable[[object], Any], str]] = {
    "list_pages": (_text_list, "URLs (or paths) on the origin read as article lists, besides those found."),
    "article_routes": (
        _patterns,
        "Regular expressions over `path?query` marking article pages, besides Liferay's.",
    ),
    "selectors": (_selectors, "CSS selectors for `title`, `date`, `byline`, `body`, tried before detection."),
    "date_formats": (_date_formats, "`strptime` formats tried on the date line before the built-in reader."),
}
# Documentation tables (what was seen of the real portal and what is inferred): free text, never used.
NOTES_KEYS = ("seen", "inferred")


def load_profile(path: str | Path) -> Profile:
    """Read and check one profile file; :class:`ProfileError` names the file, key and problem."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ProfileError(f"{path}: cannot read it: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ProfileError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{path}: not valid TOML: {exc}") from None
    values: dict[str, Any] = {"name": path.stem, "path": path}
    for key, value in data.items():
        if key == "hints":
            values["hints"] = _hints(path, value)
        elif key == "notes":
            values.update(_notes(path, value))
        elif key in KEYS:
            values[key] = _checked(path, key, KEYS[key][0], value)
        else:
            raise ProfileError(f"{path}: unknown key {key!r} (docs/portals.md lists the keys)")
    if "origin" not in values:
        raise ProfileError(f"{path}: origin: missing (the portal's https://host)")
    values["name"] = _checked(path, "name", _name, values["name"])
    return Profile(**values)


def _checked(path: Path, key: str, check: Callable[[object], Any], value: object) -> Any:
    try:
        return check(value)
    except ValueError as exc:
        raise ProfileError(f"{path}: {key}: {exc}") from None


def _hints(path: Path, table: object) -> Hints:
    if not isinstance(table, dict):
        raise ProfileError(f"{path}: hints: must be a table ([hints])")
    values = {}
    for key, value in table.items():
        if key not in HINT_KEYS:
            raise ProfileError(f"{path}: hints.{key}: unknown key (known: {', '.join(HINT_KEYS)})")
        values[key] = _checked(path, f"hints.{key}", HINT_KEYS[key][0], value)
    return Hints(**values)


def _notes(path: Path, table: object) -> dict[str, tuple[str, ...]]:
    if not isinstance(table, dict):
        raise ProfileError(f"{path}: notes: must be a table ([notes])")
    unknown = sorted(set(table) - set(NOTES_KEYS))
    if unknown:
        raise ProfileError(f"{path}: notes.{unknown[0]}: unknown key (known: seen, inferred)")
    return {key: _checked(path, f"notes.{key}", _text_list, value) for key, value in table.items()}


def load_profiles(folder: str | Path) -> list[Profile]:
    """Every profile of the folder (``*.toml``), by name; two profiles of one name are an error."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ProfileError(f"{folder}: no such folder of portal profiles")
    profiles: dict[str, Profile] = {}
    for path in sorted(folder.glob("*.toml")):
        profile = load_profile(path)
        if profile.name in profiles:
            raise ProfileError(f"{path}: name: {profile.name!r} is also {profiles[profile.name].path}'s")
        profiles[profile.name] = profile
    return sorted(profiles.values(), key=lambda p: p.name)


def keys_table() -> str:
    """docs/portals.md's table of every profile key (generated by cog, so it cannot drift)."""
    rows = ["| key | meaning |", "|---|---|"]
    rows += [f"| `{key}` | {doc} |" for key, (_, doc) in KEYS.items()]
    rows += [f"| `hints.{key}` | {doc} |" for key, (_, doc) in HINT_KEYS.items()]
    rows += [
        "| `notes.seen` | What was read off the real portal (documentation only; never used by the crawl). |",
        "| `notes.inferred` | What is taken from Liferay's source or other portals (documentation only). |",
    ]
    return "\n".join(rows) + "\n"


def shipped_table(folder: str | Path) -> str:
    """docs/portals.md's table of the profiles the project ships, with what is seen and inferred of each."""
    rows = ["| profile | origin | enabled | seen | inferred |", "|---|---|---|---|---|"]
    for p in load_profiles(folder):
        seen = "; ".join(p.seen).replace("|", "\\|") or "—"
        inferred = "; ".join(p.inferred).replace("|", "\\|") or "—"
        rows.append(f"| `{p.name}` | {p.origin} | {'yes' if p.enabled else 'no'} | {seen} | {inferred} |")
    return "\n".join(rows) + "\n"
