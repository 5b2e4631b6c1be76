"""Clean a raw article into its record: every clean field from its raw twin, by pure functions.

Running ``clean_article`` again over the same raw fields gives the same record, which is what lets
``hepza reprocess`` re-run cleaning over the stored captures.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import datetime

from pipelines.bylines import photo_credit, split_byline
from pipelines.categories import page_categories
from pipelines.dates import (
    find_event_date,
    gives_time_of_day,
    is_probable_migration,
    parse_portal_date,
)
from pipelines.docrefs import find_document_refs
from pipelines.hashing import source_hash
from pipelines.html_text import BodyParts, blocks_to_text, body_parts
from pipelines.model import ArticleRecord, RawArticle
from pipelines.sanitize import sanitize_html
from pipelines.text import normalize_inline

DEFAULT_TZ = "Asia/Ho_Chi_Minh"
# Letters only Vietnamese uses among the languages of this portal: enough to tell vi text from en.
_VIETNAMESE_RE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)


# ``layers`` key saying where the minute of ``published_at`` came from when not from the page itself.
PUBLISHED_MINUTE = "published_minute"
LAYER_LISTING = "listing"


def clean_article(
    raw: RawArticle,
    *,
    tz: str = DEFAULT_TZ,
    now: datetime | None = None,
    listed_date: str | None = None,
    date_formats: Sequence[str] = (),
) -> ArticleRecord:
    """The clean record of a raw article; warnings say what could not be cleaned.

    ``listed_date`` is the date a list page printed beside the article (as printed, or an ISO value kept
    from before): when the page gives the day only and the list gives a time on that same day, the list's
    minute is kept, and ``layers["published_minute"]`` says ``listing`` (``published_raw`` stays the
    page's own line). ``date_formats``: a profile's ``strptime`` formats, tried on both date lines before
    the built-in reader (``pipelines.dates.parse_portal_date``)."""
    warnings: list[str] = []
    layers = dict(raw.layers)
    title = normalize_inline(raw.title_raw) if raw.title_raw else None
    published_at = None
    if raw.published_raw:
        parsed = parse_portal_date(raw.published_raw, locale=raw.locale, tz=tz, now=now, formats=date_formats)
        published_at = parsed.value
        if parsed.warning:
            warnings.append(f"published: {parsed.warning}")
        listed = _listed_minute(raw, published_at, listed_date, tz=tz, now=now, formats=date_formats)
        if listed is not None:
            published_at, layers[PUBLISHED_MINUTE] = listed, LAYER_LISTING
    else:
        warnings.append("published: no date line found")

    parts = body_parts(raw.body_html_raw or "<div></div>", raw.url)
    byline_raw, byline = _split_byline(parts)
    body_text = blocks_to_text(parts.blocks)
    images = [
        dict(image, credit=photo_credit(image["caption"]) if image["caption"] else None)
        for image in parts.images
    ]
    photo_credits = _unique(
        [i["credit"] for i in images if i["credit"]] + list(byline.photo_credits if byline else ())
    )

    event = find_event_date(body_text, title or "", published_at)
    category, categories = page_categories(raw.breadcrumb, raw.category_links)
    return ArticleRecord(
        url=raw.url,
        locale=raw.locale,
        asset_id=raw.asset_id,
        canonical=raw.canonical,
        lang=_content_language(title, body_text, raw.locale),
        title_raw=raw.title_raw,
        title=title,
        published_raw=raw.published_raw,
        published_at=published_at,
        byline_raw=byline_raw,
        authors=list(byline.authors) if byline else [],
        roles=list(byline.roles) if byline else [],
        source=byline.source if byline else None,
        photo_credits=photo_credits,
        body_text=body_text,
        body_html=sanitize_html(raw.body_html_raw),
        images=images,
        attachments=parts.attachments,
        links=parts.links,
        event_date=event.date if event else None,
        event_precision=event.precision if event else None,
        event_sentence=event.sentence if event else None,
        published_is_migration=is_probable_migration(published_at, event),
        document_refs=[ref.__dict__ | {} for ref in find_document_refs(body_text)],
        alternates=dict(raw.alternates),
        layers=layers,
        warnings=warnings,
        page_kind=raw.page_kind,
        source_hash=source_hash(raw.title_raw, raw.published_raw, raw.body_html_raw),
        category_raw=[dict(item) for item in raw.breadcrumb],
        category=category,
        categories=categories,
    )


def kept_listed_minute(published_at: str | None, layers: dict | str | None) -> str | None:
    """An archived ``published_at`` whose minute came from a list (``layers`` as stored, a dict or its
    JSON), to pass again as ``listed_date``: re-reading the day-only page without its list keeps it."""
    if isinstance(layers, str):
        try:
            layers = json.loads(layers or "{}")
        except ValueError:
            return None
    if not published_at or not isinstance(layers, dict):
        return None
    return published_at if layers.get(PUBLISHED_MINUTE) == LAYER_LISTING else None


def _listed_minute(
    raw: RawArticle,
    published_at: str | None,
    listed_date: str | None,
    *,
    tz: str,
    now: datetime | None,
    formats: Sequence[str] = (),
) -> str | None:
    """The list's date and time, when the page printed only the day and the list a time on that day."""
    if not published_at or not listed_date or gives_time_of_day(raw.published_raw or "", raw.locale, formats):
        return None
    if not gives_time_of_day(listed_date, raw.locale, formats):
        return None
    listed = parse_portal_date(listed_date, locale=raw.locale, tz=tz, now=now, formats=formats).value
    return listed if listed is not None and listed[:10] == published_at[:10] else None


def _split_byline(parts: BodyParts):
    """Take the byline (and source line) off the end of the body's text blocks."""
    text_blocks = [b for b in parts.blocks if b.kind != "caption"]
    body, byline_raw, byline = split_byline([b.text for b in text_blocks])
    removed = text_blocks[len(body) :]
    if removed:
        drop = {id(b) for b in removed}
        parts.blocks = [b for b in parts.blocks if id(b) not in drop]
    return byline_raw, byline


def _content_language(title: str | None, body_text: str, locale: str) -> str:
    """vi when the text is Vietnamese, whatever the page's locale (the en pages show vi text)."""
    sample = f"{title or ''} {body_text[:2000]}"
    if _VIETNAMESE_RE.search(sample):
        return "vi"
    return locale if sample.strip() else locale


def _unique(values: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        seen.setdefault(value, None)
    return list(seen)
