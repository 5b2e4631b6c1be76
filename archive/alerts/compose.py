"""Messages: one per watch and destination for the events of a run (a digest), in Vietnamese or English,
with the word diff in text (``[-old-]{+new+}``) and HTML (``<del>``/``<ins>``) forms.

The subject and the first line say what happened and to which article; each event then gives the title,
the portal date, the link on the portal and the link to its page in the archive (``alerts_archive_url``),
and for an edit what changed: a word diff for text fields, old → new for the others.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from urllib.parse import unquote

from archive.alerts.events import TEXT_FIELDS, Event
from archive.diffs import COARSE_NOTE, render, render_terminal, word_diff

LANGUAGES = ("vi", "en")

# What happened, as a subject's head and as the first line's sentence ({title} is the article's).
_KIND_WORDS = {
    "vi": {
        "new": ("Bài mới", "Bài mới trên cổng thông tin: «{title}»."),
        "edit": ("Đã sửa", "Bài «{title}» đã được sửa ({fields})."),
        "removal": ("Đã gỡ", "Bài «{title}» đã bị gỡ khỏi cổng thông tin."),
        "return": ("Đăng lại", "Bài «{title}» đã được đăng lại sau khi bị gỡ."),
        "rename": ("Đổi địa chỉ", "Bài «{title}» đã chuyển sang địa chỉ mới."),
        "attachment": ("Thay tài liệu", "Tài liệu đính kèm bài «{title}» đã được thay bằng bản khác."),
    },
    "en": {
        "new": ("New", "New on the portal: “{title}”."),
        "edit": ("Edited", "“{title}” was edited ({fields})."),
        "removal": ("Removed", "“{title}” was removed from the portal."),
        "return": ("Back", "“{title}” is back on the portal after its removal."),
        "rename": ("New address", "“{title}” moved to a new address."),
        "attachment": ("Document replaced", "A document of “{title}” was replaced by another version."),
    },
}
_FIELD_NAMES = {
    "vi": {
        "title": "tiêu đề",
        "body_text": "nội dung",
        "authors": "tác giả",
        "source": "nguồn",
        "photo_credits": "ảnh",
        "published_at": "ngày đăng",
        "event_date": "ngày sự kiện",
        "images": "hình ảnh",
        "attachments": "tệp đính kèm",
        "links": "liên kết",
    },
    "en": {
        "title": "title",
        "body_text": "body",
        "authors": "authors",
        "source": "source",
        "photo_credits": "photo credits",
        "published_at": "portal date",
        "event_date": "event date",
        "images": "images",
        "attachments": "attachments",
        "links": "links",
    },
}
_LABELS = {
    "vi": {
        "date": "Ngày đăng",
        "portal": "Trên cổng thông tin",
        "archive": "Trong kho lưu trữ",
        "address": "Địa chỉ",
        "document": "Tài liệu",
        "size": "Dung lượng",
        "removed": "Trả lời 404 lần đầu lúc",
        "more": "… và {n} thay đổi khác",
        "changes": "{n} thay đổi",
        "and_more": "và {n} thay đổi khác",
        "empty": "(trống)",
        "test": "Tin nhắn thử của hepza-archive: địa chỉ này nhận được thông báo.",
    },
    "en": {
        "date": "Portal date",
        "portal": "On the portal",
        "archive": "In the archive",
        "address": "Address",
        "document": "Document",
        "size": "Size",
        "removed": "First answered 404 at",
        "more": "… and {n} more",
        "changes": "{n} changes",
        "and_more": "and {n} more",
        "empty": "(empty)",
        "test": "A test message from hepza-archive: this destination receives its alerts.",
    },
}
SUBJECT_PREFIX = "[hepza]"


@dataclass(frozen=True)
class Message:
    """One message: its subject and its body in both forms."""

    subject: str
    text: str
    html: str


def _untitled(title: str, language: str) -> str:
    return title or ("(không tiêu đề)" if language == "vi" else "(untitled)")


def headline(event: Event, language: str) -> tuple[str, str]:
    """(subject's head, first line) of one event."""
    head, sentence = _KIND_WORDS[language][event.kind]
    fields = ", ".join(_FIELD_NAMES[language].get(c.name, c.name) for c in event.changes)
    return head, sentence.format(title=_untitled(event.title, language), fields=fields or "?")


def archive_link(event: Event, base_url: str) -> str | None:
    """The event's page in the archive (``hepza serve``): the version page of an edit, else the article's
    page or its history."""
    if not base_url or event.article_id is None:
        return None
    base = base_url.rstrip("/")
    if event.kind == "edit" and event.version:
        return f"{base}/-/article/{event.article_id}/history#v{event.version}"
    if event.kind == "new":
        return f"{base}/-/article/{event.article_id}"
    return f"{base}/-/article/{event.article_id}/history"


def compose(
    events: list[Event],
    *,
    language: str = "vi",
    archive_url: str = "",
    limit: int = 10,
    context_words: int = 12,
) -> Message:
    """One message for a watch's events: the first ``limit`` in full, then "and N more"."""
    if not events:
        raise ValueError("a message needs at least one event")
    shown, rest = events[:limit], len(events) - min(limit, len(events))
    labels = _LABELS[language]
    head, first_line = headline(events[0], language)
    title = _untitled(events[0].title, language)
    if len(events) == 1:
        subject = f"{SUBJECT_PREFIX} {head}: {title}"
        summary = first_line
    else:
        more = labels["and_more"].format(n=len(events) - 1)
        subject = f"{SUBJECT_PREFIX} {labels['changes'].format(n=len(events))}: {head}: {title} {more}"
        summary = f"{labels['changes'].format(n=len(events))}. {first_line}"
    texts = [summary]
    htmls = [f"<p><b>{html.escape(summary)}</b></p>"]
    for event in shown:
        text, markup = _event_parts(event, language, archive_url, context_words, heading=len(events) > 1)
        texts.append(text)
        htmls.append(markup)
    if rest:
        texts.append(labels["more"].format(n=rest))
        htmls.append(f"<p>{html.escape(labels['more'].format(n=rest))}</p>")
    return Message(subject=subject, text="\n\n".join(texts) + "\n", html="\n".join(htmls) + "\n")


def trial_message(language: str = "vi") -> Message:
    """What ``hepza notify --test URL`` sends."""
    line = _LABELS[language]["test"]
    return Message(subject=f"{SUBJECT_PREFIX} test", text=line + "\n", html=f"<p>{html.escape(line)}</p>\n")


def _event_parts(
    event: Event, language: str, archive_url: str, context_words: int, *, heading: bool
) -> tuple[str, str]:
    """One event's block in the text form and the HTML form."""
    labels = _LABELS[language]
    text: list[str] = []
    markup: list[str] = []
    if heading:
        line = headline(event, language)[1]
        text.append(f"* {line}")
        markup.append(f"<h3>{html.escape(line)}</h3>")
    rows: list[tuple[str, str, str | None]] = [(labels["date"], event.published_at or "?", None)]
    if event.url:
        rows.append((labels["portal"], unquote(event.url), event.url))
    link = archive_link(event, archive_url)
    if link:
        rows.append((labels["archive"], link, link))
    if event.kind == "rename":
        rows.append(
            (labels["address"], f"{unquote(event.before or '')} → {unquote(event.after or '')}", None)
        )
    if event.kind in ("removal", "return") and event.before:
        rows.append((labels["removed"], event.before, None))
    if event.kind == "attachment" and event.file:
        rows.append((labels["document"], unquote(event.file["url"]), event.file["url"]))
        rows.append((labels["size"], f"{event.file['previous_size']} → {event.file['size']} bytes", None))
    for label, value, href in rows:
        text.append(f"{label}: {value}")
        shown = f'<a href="{html.escape(href)}">{html.escape(value)}</a>' if href else html.escape(value)
        markup.append(f"<p>{html.escape(label)}: {shown}</p>")
    for change in event.changes:
        name = _FIELD_NAMES[language].get(change.name, change.name)
        plain, rich = _change(change.name, change.old, change.new, labels["empty"], context_words)
        text.append(f"{name}: {plain}")
        markup.append(f"<p><b>{html.escape(name)}</b>: {rich}</p>")
    return "\n".join(text), "\n".join(markup)


def _marked(tag: str, opening: str, closing: str, text: str) -> str:
    """A removed or added passage in HTML, struck or underlined, holding the text form's marks hidden:
    an e-mail's plain-text part is made from the HTML (by apprise), and only text survives that, so the
    marks must be text. Where a client ignores the inline style, the marks simply show."""
    hidden = '<span style="display:none">{}</span>'
    return f"<{tag}>{hidden.format(opening)}{html.escape(text)}{hidden.format(closing)}</{tag}>"


def _removed(text: str) -> str:
    return _marked("del", "[-", "-]", text)


def _added(text: str) -> str:
    return _marked("ins", "{+", "+}", text)


def _change(name: str, old: str, new: str, empty: str, context_words: int) -> tuple[str, str]:
    """A change in both forms: a word diff for text fields, old → new for value fields."""
    if name not in TEXT_FIELDS:
        before, after = old or empty, new or empty
        return f"{before} → {after}", f"<del>{html.escape(before)}</del> → <ins>{html.escape(after)}</ins>"
    runs = word_diff(old, new)
    plain = render_terminal(runs, context_words=context_words)
    rich = render(
        runs,
        removed=_removed,
        added=_added,
        same=html.escape,
        context_words=context_words,
    ).strip()
    if getattr(runs, "coarse", False):
        rich += html.escape(COARSE_NOTE)
    return plain, rich
