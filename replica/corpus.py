"""The hand-written corpus (replica/data/corpus.json): the seed article and original articles covering every
known oddity, turned into Article objects.

Each entry is structured (blocks, byline, event date), so the gold record follows from the data; the
tricky cases are also checked by hand in tests/replica/test_replica_corpus.py.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from . import validate
from .model import MIGRATION_DAYS, SITE_TZ, Article, Block
from .portal import CATEGORIES, stable_uuid

FIRST_ID = 1_201_315
ID_STEP = 211


def document_url(name: str) -> str:
    """A document library URL for a file of the corpus, fixed by its name."""
    return (
        f"/documents/20126/{1300000 + len(name) * 97}/{name}/{stable_uuid('doc:' + name)}"
        f"?t={1_600_000_000_000 + len(name) * 7919}"
    )


def block(entry: dict[str, Any]) -> Block:
    """One body block from its data-file form (see the data file's "about")."""
    if "p" in entry:
        return Block("p", f"<p>{entry['p']}</p>")
    if "html" in entry:
        return Block("p", str(entry["html"]))
    if "figure" in entry:
        src = document_url(str(entry["figure"]))
        return Block(
            "img",
            f'<figure class="image"><img alt="" src="{src}" /><figcaption>{entry["caption"]}</figcaption></figure>',
        )
    if "picture" in entry:  # the old editor's centred picture, its caption in a paragraph of its own
        src = document_url(str(entry["picture"]))
        return Block(
            "img",
            f'<p style="text-align:center"><img alt="" src="{src}" style="width: 600px; height: 400px;" /></p>\n'
            f'<p style="text-align:center"><em>{entry["caption"]}</em></p>',
        )
    if "attach" in entry:
        links = ", ".join(f'<a href="{document_url(name)}">{text}</a>' for name, text in entry["files"])
        return Block("attach", f"<p>{entry['attach']} {links}</p>")
    raise ValueError(f"unknown block {sorted(entry)}")


def byline_html(entry: dict[str, Any]) -> str | None:
    if "byline" in entry:  # the usual right-aligned bold byline
        return f'<p style="text-align:right"><strong>{entry["byline"]}</strong></p>'
    return entry.get("byline_html")


@cache
def entries() -> list[dict[str, Any]]:
    """The corpus's articles as the data file has them, checked (validate.check_corpus)."""
    return validate.loaded("corpus", lambda doc: validate.check_corpus(doc, CATEGORIES))["articles"]


def build() -> list[Article]:
    """Fresh article objects for the hand-written corpus (mutations on one Site never leak to another)."""
    return [_article(i, entry) for i, entry in enumerate(entries())]


def _article(i: int, entry: dict[str, Any]) -> Article:
    when = datetime.strptime(entry["date_line"], "%H:%M %d/%m/%Y").replace(tzinfo=SITE_TZ)
    title, blocks, byline = entry["title"], [block(b) for b in entry["blocks"]], byline_html(entry)
    if entry.get("nfd"):
        # Pasted from a decomposed-Unicode source: title and every block.
        title = unicodedata.normalize("NFD", title)
        blocks = [Block(b.kind, unicodedata.normalize("NFD", b.html)) for b in blocks]
        byline = unicodedata.normalize("NFD", byline) if byline else byline
    elif entry.get("nfd_title"):
        title = unicodedata.normalize("NFD", title)
    image = next((b.html.split('src="', 1)[1].split('"', 1)[0] for b in blocks if b.kind == "img"), None)
    event = entry.get("event")
    return Article(
        asset_id=str(FIRST_ID + ID_STEP * i),
        slug="",
        category=entry["category"],
        title=title,
        date=when,
        modified=(when + timedelta(minutes=5 + (i * 37) % 900)).astimezone(UTC),
        blocks=blocks,
        byline_html=byline,
        event_date=event,
        event_precision=entry.get("event_precision", "day") if event else None,
        migrated=when.date() in MIGRATION_DAYS,
        image=image,
    )
