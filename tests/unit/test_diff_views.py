"""How the pages show a changed field (archive/datasette/diff_views.py): text as a word diff inline or side
by side, values (bylines, credits, sources, dates) whole old → new, lists of images, files and links as
the items removed and added."""

from __future__ import annotations

import json

import pytest

from archive.datasette.diff_views import field_view, field_views, side_rows
from archive.diffs import word_diff


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


# (field, old as stored, new as stored, old values shown, new values shown, notes)
VALUE_EDITS = [
    (
        "authors",
        _json(["Nguyễn Văn Hòa"]),
        _json(["Nguyễn Văn Hoà"]),
        ["Nguyễn Văn Hòa"],
        ["Nguyễn Văn Hoà"],
        ["tone mark moved"],
    ),
    (
        "authors",
        _json(["Trần Thị Thu Hà"]),
        _json(["Trần Thị Thu Hằng"]),
        ["Trần Thị Thu Hà"],
        ["Trần Thị Thu Hằng"],
        [],
    ),
    (
        "authors",
        _json(["Ngọc Hân"]),
        _json(["Ngọc Hân", "Thanh Tùng"]),
        ["Ngọc Hân"],
        ["Ngọc Hân", "Thanh Tùng"],
        [],
    ),
    ("authors", _json(["Minh Trí"]), _json([]), ["Minh Trí"], [], []),
    (
        "photo_credits",
        _json(["Thanh Dung"]),
        _json(["THANH DUNG"]),
        ["Thanh Dung"],
        ["THANH DUNG"],
        ["capitals changed"],
    ),
    (
        "source",
        "Báo Người Lao Động",
        "Báo Sài Gòn Giải Phóng",
        ["Báo Người Lao Động"],
        ["Báo Sài Gòn Giải Phóng"],
        [],
    ),
    ("source", None, "Theo HEPZA", [], ["Theo HEPZA"], []),
    (
        "published_at",
        "2026-01-02T08:00:00+07:00",
        "2026-01-12T08:00:00+07:00",
        ["2026-01-02T08:00:00+07:00"],
        ["2026-01-12T08:00:00+07:00"],
        [],
    ),
    ("event_date", "2025-12-30", "2025-12-31", ["2025-12-30"], ["2025-12-31"], []),
]


@pytest.mark.parametrize(("name", "old", "new", "shown_old", "shown_new", "notes"), VALUE_EDITS)
def test_a_value_field_is_shown_whole_old_to_new(name, old, new, shown_old, shown_new, notes):
    view = field_view(name, old, new)
    assert view is not None and view.kind == "values"
    assert view.old_values == shown_old and view.new_values == shown_new
    assert view.notes == notes
    assert view.inline is None and view.rows == []  # never a word diff of a name or a JSON list


def test_an_unchanged_field_is_no_change():
    assert field_view("authors", _json(["Ngọc Hân"]), '["Ngọc Hân"]') is None
    assert field_view("title", "Hội nghị", "Hội nghị") is None
    assert field_view("source", None, "") is None


def test_images_attachments_and_links_are_the_items_removed_and_added():
    old = _json(
        [{"src": "https://h.vn/a.jpg", "caption": "Toàn cảnh hội nghị"}, {"src": "https://h.vn/b.jpg"}]
    )
    new = _json([{"src": "https://h.vn/b.jpg"}, {"src": "https://h.vn/c.jpg", "caption": "Trao quà Tết"}])
    view = field_view("images", old, new)
    assert view.kind == "items" and view.summary == "-1 +1 items"
    assert view.removed == ["Toàn cảnh hội nghị — https://h.vn/a.jpg"]
    assert view.added == ["Trao quà Tết — https://h.vn/c.jpg"]
    files = field_view(
        "attachments", _json([{"url": "https://h.vn/qd-12.pdf", "title": "Quyết định 12"}]), _json([])
    )
    assert files.removed == ["Quyết định 12 — https://h.vn/qd-12.pdf"] and files.added == []


def test_a_text_field_is_a_word_diff_inline_and_side_by_side():
    old = "Đoạn một.\nKim ngạch đạt 1.284,5 triệu USD.\nĐoạn ba.\nĐoạn bốn.\nĐoạn năm."
    new = "Đoạn một.\nKim ngạch đạt 1.248,5 triệu USD.\nĐoạn ba.\nĐoạn bốn.\nĐoạn năm."
    view = field_view("body_text", old, new)
    assert view.kind == "text" and view.summary == "-1 +1 words"
    assert "<del>1.284,5</del><ins>1.248,5</ins>" in view.inline
    changed = [r for r in view.rows if r.changed]
    assert len(changed) == 1
    assert "<del>1.284,5</del>" in changed[0].old and "<ins>" not in changed[0].old
    assert "<ins>1.248,5</ins>" in changed[0].new and "<del>" not in changed[0].new
    # one paragraph of context each side, the two far ones folded into one row
    assert [(r.changed, r.folded) for r in view.rows] == [(False, 0), (True, 0), (False, 0), (False, 2)]


def test_side_by_side_with_everything_keeps_every_paragraph_and_escapes_markup():
    runs = word_diff("a <b>\nhai\nba", "a <i>\nhai\nba")
    rows = side_rows(runs, None)
    assert len(rows) == 3 and not any(r.folded for r in rows)
    assert rows[0].old == "a &lt;<del>b</del>&gt;" and rows[0].new == "a &lt;<ins>i</ins>&gt;"


def test_a_retoned_byline_in_a_title_is_named():
    view = field_view("title", "Ông Nguyễn Văn Hòa thăm KCX", "Ông Nguyễn Văn Hoà thăm KCX")
    assert view.notes == ["tone mark moved"]


def test_the_changed_fields_of_two_versions_in_the_record_s_order():
    old = {"title": "Hội nghị", "authors": _json(["Ngọc Hân"]), "body_text": "Một."}
    new = {"title": "Hội nghị sơ kết", "authors": _json(["Ngọc Hằng"]), "body_text": "Một."}
    assert [v.field for v in field_views(old, new)] == ["title", "authors"]
    assert field_views(None, new) == []


def test_the_sql_diff_of_two_json_lists_is_their_items_old_to_new():
    from archive.datasette.sqlfunctions import sql_diff_html

    byline = sql_diff_html(_json(["Nguyễn Văn Hòa"]), _json(["Nguyễn Văn Hoà"]))
    assert byline == "<del>Nguyễn Văn Hòa</del> → <ins>Nguyễn Văn Hoà</ins>"
    assert (
        sql_diff_html("[]", _json(["<b>Người thử</b>"])) == "(none) → <ins>&lt;b&gt;Người thử&lt;/b&gt;</ins>"
    )
    assert sql_diff_html(_json(["Ngọc Hân"]), _json(["Ngọc Hân"])) is None
    assert sql_diff_html("Hội nghị [1]", "Hội nghị [2]") == "Hội nghị [<del>1</del><ins>2</ins>]"
    assert sql_diff_html(None, _json(["Ngọc Hân"])) is None  # no previous version


def test_each_note_says_what_it_means():
    view = field_view("authors", _json(["Nguyễn Văn Hòa"]), _json(["Nguyễn Văn Hoà"]))
    [(note, meaning)] = view.explained
    assert note == "tone mark moved" and "the same word" in meaning
