"""Alerts' rules, messages and backoff: tables of inputs and what must come out (no network, no archive)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from archive.alerts.compose import archive_link, compose, headline
from archive.alerts.delivery import Options, retry_delay
from archive.alerts.events import Event, FieldChange
from archive.alerts.watches import Subject, Watch, WatchError, matches, parse_watch
from archive.config import ConfigError, resolve

HOOK = "json://127.0.0.1:9/hook"
ARTICLE = "https://hepza.hochiminhcity.gov.vn/w/hoi-nghi-tan-thuan"


def _subject(**fields) -> Subject:
    values = {
        "kind": "edit",
        "url": ARTICLE,
        "url_keys": {"/w/hoi-nghi-tan-thuan", "/w/ten-cu"},
        "categories": {"tin-tuc-su-kien"},
        "texts": ["Hội nghị tại KCX Tân Thuận", "Thực hiện Chỉ thị số 05-CT/TW của Bộ Chính trị."],
        "authors": ["Thanh Dung"],
        "documents": ["05-CT/TW"],
    }
    values.update(fields)
    return Subject(**values)


RULES = [
    # (the watch's conditions, the event's fields, matches?)
    ({}, {}, True),
    ({"events": ("new",)}, {}, False),
    ({"events": ("new", "edit")}, {}, True),
    ({"portal": "hepza.hochiminhcity.gov.vn"}, {}, True),
    ({"portal": "https://hepza.hochiminhcity.gov.vn"}, {}, True),
    ({"portal": "moh.gov.vn"}, {}, False),
    ({"category": "tin-tuc-su-kien"}, {}, True),
    ({"category": "thong-bao"}, {}, False),
    ({"words": ("tan thuan",)}, {}, True),  # folded: marks and case ignored
    ({"words": ("TÂN THUẬN",)}, {}, True),
    ({"words": ("Tân Thuận",), "exact": True}, {}, True),
    ({"words": ("tan thuan",), "exact": True}, {}, False),  # exact: as written
    ({"words": ("Tân",)}, {"texts": ["Tânthuận"]}, False),  # whole words only
    ({"words": ("Linh Trung", "Tân Thuận")}, {}, True),  # any of them
    ({"words": ("Linh Trung",)}, {}, False),
    ({"document": "05-ct/tw"}, {}, True),
    ({"document": "05-CT/TW"}, {"documents": [], "texts": ["theo 05-CT/TW"]}, True),
    ({"document": "24-CT/TW"}, {}, False),
    ({"author": "thanh dung"}, {}, True),
    ({"author": "Hoàng Yến"}, {}, False),
    ({"url": "https://hepza.hochiminhcity.gov.vn/w/ten-cu"}, {}, True),  # any of its addresses
    ({"url": "https://hepza.hochiminhcity.gov.vn/w/khac"}, {}, False),
    ({"words": ("Tân Thuận",), "category": "thong-bao"}, {}, False),  # every condition must hold
]


@pytest.mark.parametrize(("conditions", "event", "expected"), RULES)
def test_a_watch_matches_exactly_the_events_its_conditions_name(conditions, event, expected):
    assert matches(Watch(name="w", notify=(HOOK,), **conditions), _subject(**event)) is expected


BAD_WATCHES = [
    ({"notify": [HOOK]}, "name must be"),
    ({"name": "a b", "notify": [HOOK]}, "name must be"),
    ({"name": "w"}, "notify needs at least one apprise URL"),
    ({"name": "w", "notify": ["nosuch://x"]}, "is not an apprise URL"),
    ({"name": "w", "notify": [HOOK], "events": ["edited"]}, "events must be among"),
    ({"name": "w", "notify": [HOOK], "colour": "red"}, "unknown field(s) colour"),
    ({"name": "w", "notify": [HOOK], "exact": "yes"}, "exact must be true or false"),
    ({"name": "w", "notify": [HOOK], "url": "https://example.org/about"}, "is not an article's URL"),
    ({"name": "w", "notify": [HOOK], "words": [""]}, "words must be a string or a list"),
]


@pytest.mark.parametrize(("table", "message"), BAD_WATCHES)
def test_a_watch_that_cannot_work_is_refused_in_one_line(table, message):
    with pytest.raises(WatchError, match=None) as caught:
        parse_watch(table, "hepza.toml")
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_a_watch_round_trips_through_its_toml():
    import tomllib

    watch = parse_watch(
        {"name": "w", "notify": [HOOK], "events": ["removal"], "words": ['Tân "Thuận"'], "exact": True},
        "x",
    )
    again = parse_watch(tomllib.loads(watch.to_toml())["watch"][0], "x")
    assert (again.events, again.words, again.exact, again.notify) == (
        ("removal",),
        ('Tân "Thuận"',),
        True,
        (HOOK,),
    )


def _event(kind: str, **fields) -> Event:
    values = {"id": 7, "run_id": 2, "kind": kind, "at": "2026-01-01T00:00:00+00:00", "article_id": 12}
    values.update(
        {"title": "Hội nghị Tân Thuận", "url": ARTICLE, "published_at": "2026-01-01T09:00:00+07:00"}
    )
    values.update(fields)
    return Event(**values)


HEADLINES = [
    ("new", "vi", "Bài mới", "Bài mới trên cổng thông tin: «Hội nghị Tân Thuận»."),
    ("edit", "vi", "Đã sửa", "Bài «Hội nghị Tân Thuận» đã được sửa (tiêu đề, nội dung)."),
    ("removal", "vi", "Đã gỡ", "Bài «Hội nghị Tân Thuận» đã bị gỡ khỏi cổng thông tin."),
    ("return", "vi", "Đăng lại", "Bài «Hội nghị Tân Thuận» đã được đăng lại sau khi bị gỡ."),
    ("rename", "vi", "Đổi địa chỉ", "Bài «Hội nghị Tân Thuận» đã chuyển sang địa chỉ mới."),
    (
        "attachment",
        "vi",
        "Thay tài liệu",
        "Tài liệu đính kèm bài «Hội nghị Tân Thuận» đã được thay bằng bản khác.",
    ),
    ("new", "en", "New", "New on the portal: “Hội nghị Tân Thuận”."),
    ("edit", "en", "Edited", "“Hội nghị Tân Thuận” was edited (title, body)."),
    ("removal", "en", "Removed", "“Hội nghị Tân Thuận” was removed from the portal."),
    ("return", "en", "Back", "“Hội nghị Tân Thuận” is back on the portal after its removal."),
    ("rename", "en", "New address", "“Hội nghị Tân Thuận” moved to a new address."),
    (
        "attachment",
        "en",
        "Document replaced",
        "A document of “Hội nghị Tân Thuận” was replaced by another version.",
    ),
]
EDITS = [FieldChange("title", "Hội nghị", "Hội nghị Tân Thuận"), FieldChange("body_text", "a b c", "a B c")]


@pytest.mark.parametrize(("kind", "language", "head", "line"), HEADLINES)
def test_subject_and_first_line_say_what_happened_to_which_article(kind, language, head, line):
    event = _event(kind, changes=EDITS if kind == "edit" else [])
    assert headline(event, language) == (head, line)
    message = compose([event], language=language)
    assert message.subject == f"[hepza] {head}: Hội nghị Tân Thuận"
    assert message.text.splitlines()[0] == line


CHANGES = [
    # (field, old, new, text form, HTML form)
    (
        "body_text",
        "giao ban quý I",
        "giao ban quý II",
        "giao ban quý [-I-]{+II+}",
        "giao ban quý <del>I</del><ins>II</ins>",
    ),
    (
        "title",
        "Tin <mới>",
        "Tin <cũ>",
        "Tin <[-mới-]{+cũ+}>",  # the word changed, not the brackets around it
        "Tin &lt;<del>mới</del><ins>cũ</ins>&gt;",
    ),
    (
        "authors",
        "Thanh Dung",
        "Hoàng Yến",
        "Thanh Dung → Hoàng Yến",
        "<del>Thanh Dung</del> → <ins>Hoàng Yến</ins>",
    ),
    ("published_at", "", "2026-01-02", "(empty) → 2026-01-02", "<del>(empty)</del> → <ins>2026-01-02</ins>"),
]


_HIDDEN_MARK = re.compile(r'<span style="display:none">[^<]*</span>')


@pytest.mark.parametrize(("field", "old", "new", "text", "markup"), CHANGES)
def test_an_edit_carries_a_word_diff_for_text_and_old_to_new_for_values(field, old, new, text, markup):
    message = compose([_event("edit", changes=[FieldChange(field, old, new)])], language="en")
    name = {"body_text": "body", "title": "title", "authors": "authors", "published_at": "portal date"}[field]
    assert f"{name}: {text}" in message.text.splitlines()
    assert f"<p><b>{name}</b>: {markup}</p>" in _HIDDEN_MARK.sub("", message.html)  # what a reader sees


@pytest.mark.parametrize(("field", "old", "new", "text", "markup"), CHANGES)
def test_an_e_mails_plain_part_made_from_the_html_keeps_the_diff_marks(field, old, new, text, markup):
    # Regression: apprise makes an e-mail's text/plain part from its HTML, which dropped <del>/<ins> and
    # with them the diff ("quý III" for "quý [-I-]{+II+}").
    from apprise.common import NotifyFormat
    from apprise.conversion import convert_between

    message = compose([_event("edit", changes=[FieldChange(field, old, new)])], language="en")
    assert text in convert_between(NotifyFormat.HTML, NotifyFormat.TEXT, message.html)


def test_a_digest_shows_the_first_events_then_and_n_more():
    events = [_event("new", id=i, title=f"Bài {i}") for i in range(1, 8)]
    vi = compose(events, language="vi", limit=3)
    assert vi.subject == "[hepza] 7 thay đổi: Bài mới: Bài 1 và 6 thay đổi khác"
    assert vi.text.startswith("7 thay đổi. Bài mới trên cổng thông tin: «Bài 1».")
    assert "«Bài 3»" in vi.text and "«Bài 4»" not in vi.text and "… và 4 thay đổi khác" in vi.text
    en = compose(events, language="en", limit=10)
    assert en.subject == "[hepza] 7 changes: New: Bài 1 and 6 more" and "more" not in en.text


LINKS = [
    ("edit", 3, "https://a.example/", "https://a.example/-/article/12/history#v3"),
    ("new", 1, "https://a.example", "https://a.example/-/article/12"),
    ("removal", None, "https://a.example", "https://a.example/-/article/12/history"),
    ("edit", 3, "", None),
]


@pytest.mark.parametrize(("kind", "version", "base", "link"), LINKS)
def test_the_archive_link_is_the_version_page_of_an_edit(kind, version, base, link):
    assert archive_link(_event(kind, version=version), base) == link
    if link:
        assert link in compose([_event(kind, version=version)], archive_url=base).text


@pytest.mark.parametrize(
    ("failures", "wait"),
    [
        (1, timedelta(minutes=10)),
        (2, timedelta(minutes=20)),
        (4, timedelta(minutes=80)),
        (20, timedelta(days=1)),
    ],
)
def test_a_failing_destination_waits_longer_each_time_up_to_the_cap(failures, wait):
    assert retry_delay(failures, Options()) == wait


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"HEPZA_ALERTS_LANGUAGE": "fr"}, "alerts_language must be 'vi' or 'en'"),
        ({"HEPZA_ALERTS_DIGEST": "weekly"}, "alerts_digest must be 'run' or 'daily'"),
        ({"HEPZA_ALERTS_RETRY_BACKOFF": "soon"}, "alerts_retry_backoff: bad duration"),
        ({"HEPZA_ALERTS_DIGEST_LIMIT": "0"}, "alerts_digest_limit must be at least 1"),
    ],
)
def test_bad_alert_settings_are_refused(env, message):
    with pytest.raises(ConfigError, match=message):
        resolve({}, env=env)


def test_a_config_file_may_hold_watches_beside_its_settings(tmp_path):
    from archive.alerts.watches import load_watches

    config = tmp_path / "hepza.toml"
    config.write_text(f'delay = 2.0\n\n[[watch]]\nname = "w"\nnotify = "{HOOK}"\n', encoding="utf-8")
    assert resolve({}, env={}, config_file=str(config))["delay"] == 2.0
    assert [w.name for w in load_watches(config, str(tmp_path / "x.db"))] == ["w"]
