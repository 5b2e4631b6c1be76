"""Many more articles, composed from phrase banks with a seeded random.Random (never the clock).

The text is original and in the agency's register; the generator also knows each paragraph's plain text,
so gold records need no HTML parsing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from html import escape
from typing import Any

from . import validate
from .model import SITE_TZ, Article, Block
from .portal import CATEGORIES, stable_uuid

FIRST_ID = 3_000_000
_START = datetime(2012, 1, 3, 8, 0, tzinfo=SITE_TZ)
_END = datetime(2026, 1, 30, 17, 0, tzinfo=SITE_TZ)
# Migrated articles fall among the hand-written batches of those days (10:48-11:04 and 06:10-06:42), at
# most a few minutes from one another: a batch, as on the real portal, not a day spread over hours.
_MIGRATION = (
    (datetime(2023, 3, 8, 10, 40, tzinfo=SITE_TZ), 30),
    (datetime(2023, 5, 10, 6, 0, tzinfo=SITE_TZ), 50),
)

# The phrase banks (replica/data/phrases.json); the order of every list is part of the output.
_PHRASES = validate.loaded("phrases", lambda doc: validate.check_phrases(doc, CATEGORIES))
ZONES: list[str] = _PHRASES["zones"]
COMPANIES: list[str] = _PHRASES["companies"]
OFFICIALS: list[str] = _PHRASES["officials"]
PEOPLE: list[str] = _PHRASES["people"]
WRITERS: list[str] = _PHRASES["writers"]
COUNTRIES: list[str] = _PHRASES["countries"]
SOURCES: list[str] = _PHRASES["sources"]
# (category, title template, lead template, extra paragraphs)
TOPICS: list[tuple[str, str, str, list[str]]] = [
    (t["category"], t["title"], t["lead"], t["more"]) for t in _PHRASES["topics"]
]
BYLINES: list[str | None] = _PHRASES["bylines"]


@dataclass(frozen=True)
class Bank:
    """What a portal's generated articles are made of: its phrase banks and where its files live."""

    writers: list[str]
    sources: list[str]
    bylines: list[str | None]
    topics: list[tuple[str, str, str, list[str]]]
    lists: dict[str, list[str]]  # zones, companies, countries, people, officials
    group_id: str = "20126"
    zone_page: str | None = "/cac-kcx-kcn"  # the page a zone links to (None: a map link only)
    migration: tuple[tuple[datetime, int], ...] = _MIGRATION
    lead_prefix: str = ""  # what every lead starts with, e.g. "(Site.gov.vn) - "

    @classmethod
    def from_data(cls, doc: dict, **more: Any) -> Bank:
        """A bank from a phrases document (the shape of replica/data/phrases.json)."""
        return cls(
            writers=doc["writers"],
            sources=doc["sources"],
            bylines=doc["bylines"],
            topics=[(t["category"], t["title"], t["lead"], t["more"]) for t in doc["topics"]],
            lists={k: doc[k] for k in ("zones", "companies", "countries", "people", "officials")},
            **more,
        )


HEPZA = Bank.from_data(_PHRASES)


def _byline(writers: list[str], rng: random.Random, bank: Bank) -> str | None:
    """A byline in one of the data file's forms; only the "Theo {source}" form draws a source."""
    form = rng.choice(bank.bylines)
    if form is None:
        return None
    source = rng.choice(bank.sources) if "{source}" in form else ""
    return form.format(writer=writers[0], writer2=writers[1], WRITER=writers[0].upper(), source=source)


def _byline_html(raw: str, rng: random.Random) -> str:
    style = rng.randrange(3)
    if style == 0:
        return f'<p style="text-align:right"><strong>{escape(raw, quote=False)}</strong></p>'
    if style == 1:
        return f'<p style="text-align: right;"><strong>{escape(raw, quote=False)}</strong>&nbsp;</p>'
    return f"<p>{escape(raw, quote=False)}</p>"


def _random_date(rng: random.Random) -> datetime:
    span = int((_END - _START).total_seconds() // 60)
    d = _START + timedelta(minutes=rng.randrange(span))
    return d.replace(hour=rng.randrange(7, 18))


# Every so many generated articles links the zone its lead names: to the zone's page on the portal
# (root-relative, as Liferay's editor writes it) or to another site. The text stays as it was; only the
# link's target is content the archive must keep. Chosen by asset id, not by the generator's random stream,
# so every other article stays as it was.
_LINK_EVERY = 9


def _link_zone(lead: Block, zone: str, asset_id: str, zone_page: str | None) -> None:
    written = escape(zone, quote=False)
    if int(asset_id) % _LINK_EVERY not in (0, 4) or written not in lead.html:
        return
    if int(asset_id) % _LINK_EVERY == 0 and zone_page:
        href = f"{zone_page}?zone={stable_uuid('zone:' + zone)[:8]}"
    else:
        href = f"https://www.google.com/maps/search/?api=1&amp;query={escape(zone.replace(' ', '+'))}"
    lead.html = lead.html.replace(written, f'<a href="{href}">{written}</a>', 1)


def make_article(
    rng: random.Random,
    *,
    asset_id: str,
    when: datetime | None = None,
    modified: datetime | None = None,
    bank: Bank = HEPZA,
) -> Article:
    """One generated article. `when` fixes the date line (used by Site.add_new)."""
    cat, title_t, lead_t, extra = rng.choice(bank.topics)
    event = when.astimezone(SITE_TZ) if when else _random_date(rng)
    date_line, migrated = event, False
    if when is None and event.year <= 2022 and rng.random() < 0.3 and bank.migration:
        start, span = rng.choice(bank.migration)
        date_line, migrated = start + timedelta(minutes=rng.randrange(0, span + 1)), True
        # Migrated text must carry its year: the date line no longer tells it.
        lead_t = lead_t.replace("{d}/{m},", "{d}/{m}/{year},")
    w = rng.sample(bank.writers, 2)
    zone = rng.choice(bank.lists["zones"])
    v = {
        "zone": zone,
        "company": rng.choice(bank.lists["companies"]),
        "country": rng.choice(bank.lists["countries"]),
        "person": rng.choice(bank.lists["people"]),
        "official": rng.choice(bank.lists["officials"]),
        "year": event.year,
        "d": event.day,
        "d2": min(event.day + 4, 28),
        "m": event.month,
        "n": rng.randrange(20, 900),
        "money": f"{rng.randrange(2, 180)},{rng.randrange(10, 99)}",
        "area": f"{rng.randrange(1, 40)},{rng.randrange(1, 9)}",
        "half": "6 tháng đầu" if event.month <= 6 else "6 tháng cuối",
        "quarter": f"quý {['I', 'II', 'III', 'IV'][(event.month - 1) // 3]}/{event.year}",
    }
    title = title_t.format(**v)
    paras = [bank.lead_prefix + lead_t.format(**v)] + [
        p.format(**v) for p in rng.sample(extra, rng.randrange(min(2, len(extra)), len(extra) + 1))
    ]
    blocks: list[Block] = []
    image = None
    for i, text in enumerate(paras):
        blocks.append(Block("p", f"<p>{escape(text, quote=False)}</p>", text))
        if i == 0 and rng.random() < 0.5:
            fname = f"{cat}-{asset_id}.jpg"
            uid = stable_uuid(f"img:{asset_id}")
            t_ms = int(event.timestamp() * 1000)
            image = f"/documents/{bank.group_id}/{300000 + int(asset_id) % 9000}/{fname}/{uid}?t={t_ms}"
            credit = rng.choice(bank.writers)
            blocks.append(
                Block(
                    "img",
                    f'<figure class="image"><img alt="" src="{image}" /><figcaption>{escape(title, quote=False)} (Ảnh: {credit})</figcaption></figure>',
                )
            )
    _link_zone(blocks[0], zone, asset_id, bank.zone_page)
    # The date the lead reports: its day, or the quarter or year it names (the period's first day, as
    # docs/record-conventions.md says of `quý I/2022` and `năm 2025`).
    event_date, precision = None, None
    if "{d}" in lead_t:
        event_date, precision = event.date().isoformat(), "day"
    elif "{quarter}" in lead_t:
        event_date, precision = date(event.year, (event.month - 1) // 3 * 3 + 1, 1).isoformat(), "quarter"
    elif "tháng {m}/{year}" in lead_t:
        event_date, precision = date(event.year, event.month, 1).isoformat(), "month"
    elif "năm {year}" in lead_t:
        event_date, precision = date(event.year, 1, 1).isoformat(), "year"
    # Else the period the title names (record conventions: the title is read too).
    elif "{quarter}" in title_t:
        event_date, precision = date(event.year, (event.month - 1) // 3 * 3 + 1, 1).isoformat(), "quarter"
    elif "tháng {m}/{year}" in title_t:
        event_date, precision = date(event.year, event.month, 1).isoformat(), "month"
    elif "năm {year}" in title_t:
        event_date, precision = date(event.year, 1, 1).isoformat(), "year"
    raw = _byline(w, rng, bank)
    modified = modified or (date_line + timedelta(minutes=rng.randrange(1, 3000))).astimezone(UTC)
    return Article(
        asset_id=asset_id,
        slug="",
        category=cat,
        title=title,
        date=date_line,
        modified=modified.astimezone(UTC),
        blocks=blocks,
        byline_html=_byline_html(raw, rng) if raw else None,
        event_date=event_date,
        event_precision=precision,
        migrated=migrated,
        image=image,
    )


def generate(n: int, seed: int = 0, first_id: int = FIRST_ID, bank: Bank = HEPZA) -> list[Article]:
    """n articles, the same for the same seed."""
    rng = random.Random(f"generator:{seed}")
    return [make_article(rng, asset_id=str(first_id + 7 * i), bank=bank) for i in range(n)]
