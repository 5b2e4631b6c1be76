"""The draft profile ``hepza probe --write`` leaves in the profiles folder: a TOML file that
archive/profiles.py loads as it is, with hints only where the probe met something detection cannot find
on its own, and ``[notes]`` telling what the probe saw (dated) from what it guessed.
"""

from __future__ import annotations

import ipaddress
import json
import re
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from archive.config import SETTINGS
from archive.probe import HOME_LINK, Report
from archive.profiles import NAME_PATTERN

__all__ = ["default_name", "draft_hints", "draft_profile", "write_draft"]

_NOT_NAME_RE = re.compile(r"[^a-z0-9-]+")


def default_name(origin: str) -> str:
    """A profile's name from the portal's host: its first label (``hepza.hochiminhcity.gov.vn`` →
    ``hepza``, ``www.sbv.gov.vn`` → ``sbv``); an address with its port (``127-0-0-1-8000``)."""
    parts = urlsplit(origin)
    host = (parts.hostname or "portal").lower().removeprefix("www.")
    try:
        ipaddress.ip_address(host)
        name = host.replace(".", "-").replace(":", "-") + (f"-{parts.port}" if parts.port else "")
    except ValueError:
        name = host.split(".")[0]
    name = _NOT_NAME_RE.sub("-", name).strip("-")[:63] or "portal"
    return name if NAME_PATTERN.match(name) else "portal"


def draft_hints(report: Report) -> dict[str, Any]:
    """Hints for what the crawl would not find by itself: list pages with articles that the home page
    links outside its menus and that the sitemap does not name (the crawl follows menus and sitemaps)."""
    hints: dict[str, Any] = {}
    lists = [urlsplit(e["url"]) for e in report.lists if e["how"] == HOME_LINK and e["article_links"]]
    if lists:
        hints["list_pages"] = [p.path + (f"?{p.query}" if p.query else "") for p in lists]
    return hints


def _toml(value: Any) -> str:
    # (JSON's strings, numbers, booleans and arrays of them are TOML's too.)
    return json.dumps(value, ensure_ascii=False)


def _seen(report: Report, today: date) -> list[str]:
    seen = [f"probed {today.isoformat()} ({report.requests} requests): a Liferay portal"]
    if _generation_seen(report):
        seen.append(f"Liferay {report.generation}: " + "; ".join(report.generation_evidence))
    sitemap = report.sitemap
    seen.append(
        f"sitemap: {sitemap.get('kind')}"
        + (f", {sitemap.get('article_urls')} article URLs" if sitemap.get("article_urls") else "")
    )
    for entry in report.lists:
        portlets = ", ".join(i["portlet"] for i in entry["instances"]) or "no paged portlet"
        path = urlsplit(entry["url"]).path or "/"
        seen.append(f"list {path} ({entry['how']}): {entry['article_links']} articles, {portlets}")
    if report.routes:
        seen.append("article routes: " + ", ".join(report.routes))
    for pattern in sorted(
        {a["date"]["pattern"] for a in report.articles if a.get("date", {}).get("pattern")}
    ):
        wheres = sorted(
            {a["date"]["where"] for a in report.articles if a.get("date", {}).get("pattern") == pattern}
        )
        seen.append(f"date line {pattern} in {', '.join(w for w in wheres if w)}")
    for where in sorted({a["title"]["where"] for a in report.articles if a.get("title", {}).get("where")}):
        seen.append(f"title in {where}")
    for where in sorted({a["body"]["where"] for a in report.articles if a.get("body", {}).get("where")}):
        seen.append(f"body in {where}")
    if report.locale_evidence:
        seen.append("locales from " + "; ".join(report.locale_evidence))
    if report.refused:
        seen.append(f"robots.txt disallows {len(report.refused)} of the URLs the probe met (left alone)")
    return seen


def _generation_seen(report: Report) -> bool:
    """A build number printed by the portal is seen; a generation told from markup and routes is a guess."""
    return bool(report.generation_evidence) and report.generation_evidence[0].startswith("build number")


def _inferred(report: Report) -> list[str]:
    guessed = []
    if not _generation_seen(report):
        told = "; ".join(report.generation_evidence) or "nothing"
        guessed.append(f"Liferay {report.generation or 'of an unknown generation'}, told from {told}")
    if report.untrusted:
        guessed.append(
            f"the portal layer did not read {len(report.untrusted)} of {len(report.articles)} article pages "
            "whole: [hints.selectors] are needed, and not guessed by the probe"
        )
    return guessed + [
        f"time zone {SETTINGS['timezone'].default}: Liferay prints a guest's dates in the portal's default zone",
        "delay 1 s and one connection: the project's polite defaults, not measured",
        f"re-check schedule {SETTINGS['recheck_schedule'].default}: the project's default",
    ]


def draft_profile(report: Report, name: str, today: date) -> str:
    """The draft profile's text (TOML)."""
    lines = [
        f"# Draft written by `hepza probe --write` on {today.isoformat()} from {report.url}.",
        '# Check it, then keep or change any key (docs/portals.md, "Profiles").',
        f"name = {_toml(name)}",
        f"origin = {_toml(report.origin)}",
        f"locales = {_toml(report.locales or ['vi'])}",
        f"timezone = {_toml(SETTINGS['timezone'].default)}",
        "delay = 1.0",
        "concurrency = 1",
        f"recheck_schedule = {_toml(SETTINGS['recheck_schedule'].default)}",
        "enabled = true",
    ]
    hints = draft_hints(report)
    if hints:
        lines += ["", "[hints]"] + [f"{key} = {_toml(value)}" for key, value in hints.items()]
    lines += ["", "[notes]", "seen = ["]
    lines += [f"  {_toml(note)}," for note in _seen(report, today)]
    lines += ["]", "inferred = ["]
    lines += [f"  {_toml(note)}," for note in _inferred(report)]
    lines += ["]", ""]
    return "\n".join(lines)


def write_draft(report: Report, folder: Path, name: str, today: date, *, force: bool = False) -> Path:
    """Write ``<folder>/<name>.toml``; FileExistsError when it exists (unless ``force``)."""
    path = folder / f"{name}.toml"
    if path.exists() and not force:
        raise FileExistsError(str(path))
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(draft_profile(report, name, today), encoding="utf-8")
    return path
