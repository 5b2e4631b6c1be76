"""Telling a new layout's misreading from the agency's edits (archive/misreadings.py, docs/redesigns.md)."""

from __future__ import annotations

import json

import pytest

from archive.misreadings import GROWN, LOST, SHRUNK, difference, judge

BODY = "Ban Quản lý các khu chế xuất và công nghiệp thành phố tổ chức hội nghị. Tổng vốn đạt 1.200 tỷ đồng."
ARCHIVED = {
    "title": "Hội nghị xúc tiến đầu tư năm 2024",
    "body_text": BODY,
    "authors": json.dumps(["Minh Thư"]),
    "source": "Ban Quản lý",
    "photo_credits": "[]",
    "published_at": "2024-03-05T08:30:00+07:00",
    "event_date": None,
    "images": "[]",
    "attachments": "[]",
    "links": "[]",
}


def _read(**changes) -> dict:
    """A page's content as read: the archived row's, with ``changes``."""
    content = {
        name: json.loads(v) if name in ("authors", "photo_credits", "images", "attachments", "links") else v
        for name, v in ARCHIVED.items()
    }
    return content | changes


def _diff(**changes):
    return difference(ARCHIVED, _read(**changes))


# Ways a page can differ from the archive.
SOURCE_LOST = _diff(source=None)
AUTHORS_LOST = _diff(authors=[])
SOURCE_INTO_BODY = _diff(source="", body_text=BODY + " Nguồn: Ban Quản lý")
PARAGRAPH_ADDED = _diff(body_text=BODY + " Ban Quản lý bổ sung thông tin về tiến độ dự án.")
OTHER_PARAGRAPH_ADDED = _diff(body_text=BODY + " Đơn vị cập nhật thêm kết quả thực hiện trong quý.")
FIGURE_CHANGED = _diff(body_text=BODY.replace("1.200", "1.500"))
OTHER_FIGURE_CHANGED = _diff(body_text=BODY.replace("1.200", "1.350"))
TITLE_CORRECTED = _diff(title="Hội nghị xúc tiến đầu tư năm 2025")
OTHER_TITLE_CORRECTED = _diff(title="Hội nghị xúc tiến đầu tư và thương mại năm 2024")
SUFFIX_READ = _diff(title=ARCHIVED["title"] + " - Cổng thông tin HEPZA")
SHARE_BAR_READ = _diff(body_text=BODY + " Chia sẻ Facebook Zalo")
LEAD_LOST = _diff(body_text="Tổng vốn đạt 1.200 tỷ đồng.")
BYLINE_OTHERWISE = _diff(authors=["Minh Thư - Ban Quản lý"])
DATE_OTHERWISE = _diff(published_at="2024-05-03T08:30:00+07:00")
LEAD_AND_EVENT_DATE_LOST = difference(
    ARCHIVED | {"event_date": "2024-03-04"}, _read(body_text="Tổng vốn đạt 1.200 tỷ đồng.", event_date=None)
)
LEAD_LOST_EVENT_DATE_OTHER = difference(
    ARCHIVED | {"event_date": "2024-03-04"},
    _read(body_text="Tổng vốn đạt 1.200 tỷ đồng.", event_date="2024-03-01"),
)
SENTENCE_CUT_AND_TITLE_CORRECTED = _diff(
    body_text="Tổng vốn đạt 1.200 tỷ đồng.", title="Hội nghị xúc tiến thương mại năm 2024"
)
BYLINE_CORRECTED_AND_PARAGRAPH = _diff(authors=["Minh Thư", "Hoàng Anh"], body_text=BODY + " Thêm một đoạn.")


def test_the_difference_names_each_field_and_how_it_changed():
    assert SOURCE_LOST == {"source": SOURCE_LOST["source"]} and SOURCE_LOST["source"].kind == LOST
    assert PARAGRAPH_ADDED["body_text"].kind == GROWN and PARAGRAPH_ADDED["body_text"].removed == ()
    assert LEAD_LOST["body_text"].kind == SHRUNK
    assert set(SOURCE_INTO_BODY) == {"source", "body_text"}
    assert FIGURE_CHANGED["body_text"].removed == ("1.200",) and FIGURE_CHANGED["body_text"].added == (
        "1.500",
    )
    assert difference(ARCHIVED, _read()) == {}  # the JSON of the row and the record's lists compare as equal


@pytest.mark.parametrize(
    ("differences", "reads", "misread"),
    [
        # One page alone is an edit, whatever it lost.
        ([SOURCE_LOST], 63, set()),
        ([AUTHORS_LOST], 10, set()),
        # The same field lost on several pages is a misreading, even far below a tenth.
        ([SOURCE_LOST, SOURCE_LOST], 63, {0, 1}),
        ([SOURCE_LOST] * 4, 63, {0, 1, 2, 3}),
        ([SOURCE_LOST, SOURCE_INTO_BODY], 63, {0, 1}),  # lost, and printed into the text
        ([AUTHORS_LOST, AUTHORS_LOST, PARAGRAPH_ADDED], 63, {0, 1}),  # the edit beside them stays one
        # Different fields changed: edits.
        ([SOURCE_LOST, AUTHORS_LOST], 63, set()),
        ([TITLE_CORRECTED, PARAGRAPH_ADDED], 63, set()),
        ([BYLINE_OTHERWISE, FIGURE_CHANGED, TITLE_CORRECTED], 63, set()),
        # The agency's body edits on several pages below a tenth: edits (each its own words).
        ([PARAGRAPH_ADDED, OTHER_PARAGRAPH_ADDED, FIGURE_CHANGED], 63, set()),
        ([FIGURE_CHANGED, OTHER_FIGURE_CHANGED], 63, set()),
        ([TITLE_CORRECTED, OTHER_TITLE_CORRECTED], 63, set()),
        ([BYLINE_CORRECTED_AND_PARAGRAPH, BYLINE_CORRECTED_AND_PARAGRAPH], 63, set()),
        # The very same words put in or taken out on each page: the layout reads something else.
        ([SUFFIX_READ, SUFFIX_READ], 63, {0, 1}),
        ([SHARE_BAR_READ, PARAGRAPH_ADDED, SHARE_BAR_READ], 63, {0, 2}),
        # Text that only lost words, on two pages: a part of the page no longer read.
        ([LEAD_LOST, LEAD_LOST, PARAGRAPH_ADDED], 63, {0, 1}),
        ([LEAD_LOST, LEAD_AND_EVENT_DATE_LOST], 63, {0, 1}),  # (and what was derived from the lead)
        ([LEAD_LOST_EVENT_DATE_OTHER, LEAD_AND_EVENT_DATE_LOST], 63, {0, 1}),
        ([LEAD_LOST, SENTENCE_CUT_AND_TITLE_CORRECTED], 63, set()),  # an edit that also changed the title
        # A byline or date alone read otherwise on two pages: how a misreading of the theme looks.
        ([BYLINE_OTHERWISE, BYLINE_OTHERWISE], 63, {0, 1}),
        ([DATE_OTHERWISE, DATE_OTHERWISE, TITLE_CORRECTED], 63, {0, 1}),
        # More than a tenth (and at least two): too many to be edits, whatever they are.
        ([PARAGRAPH_ADDED, FIGURE_CHANGED], 19, {0, 1}),
        ([PARAGRAPH_ADDED, OTHER_PARAGRAPH_ADDED, FIGURE_CHANGED, TITLE_CORRECTED], 30, {0, 1, 2, 3}),
        ([], 63, set()),
    ],
)
def test_pages_that_differ_in_the_same_way_are_a_misreading_and_the_others_edits(differences, reads, misread):
    assert judge(differences, reads).misread == misread


def test_the_verdict_says_which_way_the_pages_differ_and_whether_they_were_too_many():
    verdict = judge([SOURCE_LOST] * 4 + [PARAGRAPH_ADDED], 63)
    assert verdict.why == "source lost on 4" and not verdict.too_many
    assert judge([PARAGRAPH_ADDED, FIGURE_CHANGED], 19).too_many
    assert judge([PARAGRAPH_ADDED, FIGURE_CHANGED], 20).why == ""
