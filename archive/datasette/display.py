"""Values as a person reads them: times in Vietnam time with the zone said, URLs with their Vietnamese
letters instead of percent codes, lists of names as names. Storage is unchanged (ISO 8601 with its offset,
URLs as fetched, JSON lists): only what a page or a table cell shows.
"""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import datetime
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
# What the zone is called after a time, per language of our pages (i18n.LANGUAGES).
_ZONE_NAMES = {"vi": "giờ Việt Nam, UTC+7", "en": "Vietnam time, UTC+7"}
# A stored time: a date, then a time with an offset (``Z`` or ``±hh:mm``); a date alone is a day, not a time.
_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME_WITH_ZONE = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})")
_PERCENT_RUN = re.compile(r"(?:%[0-9A-Fa-f]{2})+")


def parse_time(value: object) -> datetime | None:
    """A stored time with its offset as an aware datetime; None for anything else (a naive time says no
    zone, so it cannot be shown in Vietnam time without guessing)."""
    if not isinstance(value, str) or not _TIME_WITH_ZONE.fullmatch(value.strip()):
        return None
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


def vn_time(value: object, lang: str = "vi", *, zone: str = "long") -> str:
    """A stored time as Vietnam time, day first as written in Vietnam: ``02/12/2026 14:05 (giờ Việt Nam,
    UTC+7)``; ``zone="short"`` ends with ``UTC+7`` only (table cells). A date alone is ``02/12/2026``;
    anything else (empty, naive, not a time) is given back as it is."""
    if value is None:
        return ""
    text = str(value)
    if _DATE_ONLY.fullmatch(text.strip()):
        try:
            return datetime.strptime(text.strip(), "%Y-%m-%d").strftime("%d/%m/%Y")
        except ValueError:
            return text
    when = parse_time(text)
    if when is None:
        return text
    local = when.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M")
    if zone == "short":
        return f"{local} UTC+7"
    return f"{local} ({_ZONE_NAMES.get(lang, _ZONE_NAMES['vi'])})"


def display_url(url: object) -> str:
    """A URL as a person reads it: percent codes of Vietnamese letters shown as the letters (NFC), the
    rest as it was. Codes of ASCII characters (``%2F``, ``%3F``, ``%25``…), of invisible or spacing
    characters, and bytes that are not UTF-8 stay encoded, so what is shown names the same URL and no
    character can hide in it. The link itself (href) keeps the URL as stored."""
    if url is None:
        return ""
    text = str(url)

    def decoded(match: re.Match) -> str:
        codes = match.group(0)
        try:
            chars = bytes.fromhex(codes.replace("%", "")).decode("utf-8")
        except UnicodeDecodeError:
            return codes
        out = []
        for char in unicodedata.normalize("NFC", chars):
            if ord(char) < 128 or unicodedata.category(char)[0] in "CZ":
                out.append("".join(f"%{b:02X}" for b in char.encode("utf-8")))
            else:
                out.append(char)
        return "".join(out)

    return _PERCENT_RUN.sub(decoded, text)


def name_list(value: object) -> list[str] | None:
    """The names of a stored JSON list of names (authors, photo credits); None when the value is not one
    (a list of objects, not JSON, not a list)."""
    if isinstance(value, list):
        items = value
    elif isinstance(value, str) and value.lstrip().startswith("["):
        try:
            items = json.loads(value)
        except ValueError:
            return None
    else:
        return None
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        return None
    return items


def names(value: object) -> str:
    """A list of names as one line, ``Minh Anh, Thu Hà``; a value that is no list of names as it is."""
    found = name_list(value)
    if found is None:
        return "" if value is None else str(value)
    return ", ".join(found)
