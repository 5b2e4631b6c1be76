"""Checks of the data files (replica/data/*.json): what each one must hold for the pages to come out right.

Each check takes the parsed file and returns its problems, one line each; loading a file with problems
raises ``DataError`` naming them, so a broken data file fails at once and says where.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Collection
from datetime import date, datetime
from typing import Any

from . import files
from .model import EVENT_PRECISIONS

BLOCK_KINDS = ("p", "html", "figure", "picture", "attach")
_ARTICLE_KEYS = {
    "category",
    "date_line",
    "title",
    "blocks",
    "byline",
    "byline_html",
    "event",
    "event_precision",
}
_ARTICLE_KEYS |= {"nfd", "nfd_title"}
# The values the generator's templates may name (replica/generator.py, make_article).
TOPIC_FIELDS = frozenset("zone company country person official year d d2 m n money area half quarter".split())
BYLINE_FIELDS = frozenset("writer writer2 WRITER source".split())
_PHRASE_LISTS = ("zones", "companies", "officials", "people", "writers", "countries", "sources")


class DataError(ValueError):
    """A data file of the replica does not hold what the code needs."""


def loaded(name: str, check: Callable[[Any], list[str]]) -> Any:
    """The data file ``name``, checked: raises DataError listing its problems."""
    doc = files.data(name)
    problems = check(doc)
    if problems:
        raise DataError(f"replica/data/{name}.json: " + "; ".join(problems))
    return doc


def check_corpus(doc: dict[str, Any], categories: Collection[str]) -> list[str]:
    problems = []
    for i, a in enumerate(doc.get("articles", [])):
        where = f"article {i} ({a.get('title', '?')[:40]})"
        problems += [f"{where}: {p}" for p in _article_problems(a, categories)]
    if not doc.get("articles"):
        problems.append("no articles")
    return problems


def _article_problems(a: dict[str, Any], categories: Collection[str]) -> list[str]:
    problems = [f"unknown key {k!r}" for k in sorted(a.keys() - _ARTICLE_KEYS)]
    problems += [f"no {k}" for k in ("category", "date_line", "title", "blocks") if not a.get(k)]
    if a.get("category") not in categories:
        problems.append(f"unknown category {a.get('category')!r}")
    try:
        datetime.strptime(a.get("date_line", ""), "%H:%M %d/%m/%Y")
    except ValueError:
        problems.append(f"date line {a.get('date_line')!r} is not HH:MM DD/MM/YYYY")
    if "byline" in a and "byline_html" in a:
        problems.append("both byline and byline_html")
    if "event" in a:
        try:
            date.fromisoformat(a["event"])
        except (TypeError, ValueError):
            problems.append(f"event {a['event']!r} is not an ISO date")
    if a.get("event_precision", "day") not in EVENT_PRECISIONS or (
        "event_precision" in a and "event" not in a
    ):
        problems.append(f"event precision {a.get('event_precision')!r} without an event or unknown")
    for j, block in enumerate(a.get("blocks", [])):
        kinds = [k for k in BLOCK_KINDS if k in block]
        if len(kinds) != 1:
            problems.append(f"block {j} must have one of {BLOCK_KINDS}, has {sorted(block)}")
        elif kinds[0] in ("figure", "picture") and "caption" not in block:
            problems.append(f"block {j}: {kinds[0]} without a caption")
        elif kinds[0] == "attach" and not all(len(f) == 2 for f in block.get("files") or [[]]):
            problems.append(f"block {j}: attach needs [file name, link text] pairs")
    return problems


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def check_phrases(doc: dict[str, Any], categories: Collection[str]) -> list[str]:
    problems = [f"{k}: an empty list" for k in _PHRASE_LISTS if not doc.get(k)]
    if len(doc.get("writers", [])) < 2:
        problems.append("writers: a byline names two writers")
    for i, topic in enumerate(doc.get("topics", [])):
        if topic.get("category") not in categories:
            problems.append(f"topic {i}: unknown category {topic.get('category')!r}")
        texts = [topic.get("title", ""), topic.get("lead", ""), *topic.get("more", [])]
        for unknown in sorted(set().union(*map(_fields, texts)) - TOPIC_FIELDS):
            problems.append(f"topic {i}: unknown field {{{unknown}}}")
        if not topic.get("more"):
            problems.append(f"topic {i}: no paragraphs after the lead")
    for form in doc.get("bylines", []):
        if form is not None and _fields(form) - BYLINE_FIELDS:
            problems.append(f"byline {form!r}: unknown field")
    return problems


def check_portal(doc: dict[str, Any]) -> list[str]:
    problems = []
    keys = [c["key"] for c in doc.get("categories", [])] + [p["key"] for p in doc.get("pages", [])]
    problems += [f"menu: unknown page {k!r}" for k in doc.get("menu", []) if k and k not in keys]
    for c in doc.get("categories", []):
        if c.get("pager") not in ("numbered", "simple") or c.get("link_style") not in (
            "w",
            "dash",
            "redirect",
        ):
            problems.append(f"category {c.get('key')!r}: unknown pager or link style")
        if not re.fullmatch(r"[a-z0-9-]+", c.get("key", "")):
            problems.append(f"category {c.get('key')!r}: not a friendly URL")
    labels = doc.get("labels", {})
    if set(labels) != {"vi", "en"} or set(labels.get("vi", {})) != set(labels.get("en", {})):
        problems.append("labels: vi and en must have the same words")
    return problems


# The replica's portals besides HEPZA, each a data file replica/data/<name>.json (replica/portals.py).
OTHER_PORTALS = (
    "liferay73",
    "liferay62",
    "liferay70",
    "liferay74b",
    "liferay72",
    "liferay71",
    "liferay62b",
    "liferay73b",
)
_OTHER_KEYS = {
    "about",
    "site_name",
    "title_suffix",
    "group",
    "group_id",
    "home_plid",
    "display_plid",
    "first_id",
    "default_articles",
    "nfd_every",
    "lang",
    "locales",
    "lead_prefix",
    "no_image",
    "portlet_id",
    "pager_query",
    "pager_first_last",
    "sitemap_articles",
    "routes",
    "dates",
    "slug",
    "labels",
    "categories",
    "phrases",
}
# Keys a portal may leave out (replica/portals.py, ``s_opt``): what only some generations print.
OPTIONAL_KEYS = {
    "byline_top": (True, False),  # a bare writer's name printed above the body, labelled bylines last
    "documents": ("library", "friendly"),  # /documents/<group>/<folder>/<title>/<uuid> or 7.4's /documents/d/
    "category_links": (True, False),  # article pages link /w/<slug>/-/categories/<id>, not the list page
    "sitemap_index": (True, False),  # without sitemap_articles: an index whose one child lists pages only
}
_OTHER_ROLES = (
    "page",
    "menu-item",
    "home-section",
    "list",
    "item",
    "pager",
    "pager-link",
    "pager-off",
    "pager-current",
    "pager-gap",
    "article",
    "related-item",
    "not-found",
)


def check_other_portal(doc: dict[str, Any], name: str | None = None) -> list[str]:
    """Problems of a portal data file (replica/portals.py): keys, routes, categories, dates, phrases."""
    problems = [f"unknown key {k!r}" for k in sorted(doc.keys() - _OTHER_KEYS - OPTIONAL_KEYS.keys())]
    problems += [
        f"{k}: one of {allowed}" for k, allowed in OPTIONAL_KEYS.items() if k in doc and doc[k] not in allowed
    ]
    problems += [f"no {k}" for k in sorted(_OTHER_KEYS - doc.keys())]
    if problems:
        return problems
    if not {"seen", "inferred"} <= set(doc["about"]):
        problems.append("about: say what is seen and what is inferred")
    routes = doc["routes"]
    if "canonical" not in routes or any("{slug}" not in r for r in routes.values()):
        problems.append("routes: a canonical route, and every route names {slug}")
    keys = [c.get("key") for c in doc["categories"]]
    for c in doc["categories"]:
        if c.get("pager") not in ("numbered", "simple"):
            problems.append(f"category {c.get('key')!r}: pager is numbered or simple")
        if c.get("link") not in routes:
            problems.append(f"category {c.get('key')!r}: links through an unknown route {c.get('link')!r}")
        if not re.fullmatch(r"(/[A-Za-z0-9%-]+)+", c.get("path", "")):
            problems.append(f"category {c.get('key')!r}: path is not a percent-encoded page URL")
    for role in ("list", "article", *(k for k in doc["dates"] if k.startswith("article-"))):
        try:
            from .portals import format_date  # the one formatter the pages use

            format_date(datetime(2026, 1, 2, 3, 4), doc["dates"].get(role, ""))
        except (KeyError, IndexError, ValueError) as e:
            problems.append(f"dates.{role}: {e!r}")
    problems += [f"phrases: {p}" for p in check_phrases(doc["phrases"], keys)]
    if name is not None:
        have = set(files.template_names())
        problems += [f"no template {name}-{r}.html" for r in _OTHER_ROLES if f"{name}-{r}.html" not in have]
    return problems
