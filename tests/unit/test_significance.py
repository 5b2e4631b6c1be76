"""Significance (archive/significance.py, docs/significance.md) on real-shaped edits of portal articles.

The tables assert the documented order of the tiers (every edit of a higher tier outranks every edit of a
lower one), never a score as a number: the weights may be tuned, the order is the contract.
"""

from __future__ import annotations

import pytest

from archive.significance import WEIGHTS, group_changes, names, numbers, significance, tone_key

BODY = (
    "Sáng ngày 12/3/2024, Ban Quản lý các Khu chế xuất và công nghiệp TP.HCM (HEPZA) tổ chức hội nghị "
    "tổng kết công tác năm 2023. Theo báo cáo, tổng vốn đầu tư thu hút đạt 1.284,5 triệu USD, tăng 74,28% "
    "so với cùng kỳ. Ông Nguyễn Văn Hùng, Phó Trưởng ban, cho biết các khu đã giải quyết việc làm cho "
    "hơn 3.500 lao động.\n\n"
    "Hội nghị triển khai Kế hoạch số 1443/KH-BQL ngày 04/7/2023 về cải cách hành chính. Sở Công Thương "
    "đề nghị các doanh nghiệp hoàn thành báo cáo trước ngày 30/6. Công tác phòng cháy chữa cháy tiếp tục "
    "được chú trọng, hòa nhịp với phong trào thi đua của thành phố.\n\n"
    "Phát biểu kết luận, lãnh đạo HEPZA đề nghị các đơn vị tập trung thực hiện tốt nhiệm vụ được giao."
)
TITLE = "HEPZA tổng kết công tác năm 2023"
BASE = {
    "title": TITLE,
    "body_text": BODY,
    "authors": ["Thanh Tâm"],
    "published_at": "2024-03-12T09:15:00+07:00",
    "event_date": "2024-03-12",
    "source": None,
    "attachments": [{"url": "https://hepza.hochiminhcity.gov.vn/documents/kh-1443.pdf", "title": "KH 1443"}],
    "links": [{"url": "https://hepza.hochiminhcity.gov.vn/tin-tuc/hoi-nghi", "text": "hội nghị"}],
    "images": [],
}


def body(old: str, new: str) -> dict:
    assert old in BODY, old
    return {**BASE, "body_text": BODY.replace(old, new, 1)}


def edit(**fields) -> dict:
    return {**BASE, **fields}


# Tiers, highest first (docs/significance.md "Order"). Each edit is (label, new content) against BASE.
TIERS: list[tuple[str, list[tuple[str, dict | None]]]] = [
    ("removal", [("article removed", None)]),
    (
        "facts",
        [
            ("percentage figure", body("74,28%", "72,48%")),
            ("investment figure", body("1.284,5 triệu USD", "1.248,5 triệu USD")),
            ("figure and unit", body("1.284,5 triệu USD", "1.248,5 tỷ đồng")),
            ("unit only", body("1.284,5 triệu USD", "1.284,5 tỷ đồng")),
            ("workers figure", body("hơn 3.500 lao động", "hơn 2.500 lao động")),
            ("year in the title and text", edit(title=TITLE.replace("2023", "2022"))),
            ("cited plan replaced", body("Kế hoạch số 1443/KH-BQL", "Kế hoạch số 1521/KH-BQL")),
            (
                "document cited added",
                body(
                    "về cải cách hành chính.",
                    "về cải cách hành chính, theo Quyết định số 35/2022/QĐ-UBND ngày 28/5/2022.",
                ),
            ),
            ("document citation removed", body(" Kế hoạch số 1443/KH-BQL ngày 04/7/2023", " kế hoạch")),
            ("meeting date", body("Sáng ngày 12/3/2024", "Sáng ngày 13/3/2024")),
            ("deadline", body("trước ngày 30/6", "trước ngày 15/7")),
            ("date written in words", body("Sáng ngày 12/3/2024", "Sáng ngày 12 tháng 4 năm 2024")),
            ("publication date moved", edit(published_at="2024-03-15T09:15:00+07:00")),
        ],
    ),
    (
        "names, title, attachments and links",
        [
            ("official renamed", body("Ông Nguyễn Văn Hùng", "Ông Trần Quốc Hưng")),
            ("person's name respelt", body("Nguyễn Văn Hùng", "Nguyễn Văn Hưng")),
            ("department replaced", body("Sở Công Thương", "Sở Kế hoạch và Đầu tư")),
            ("byline changed", edit(authors=["Minh Khôi"])),
            ("attachment removed", edit(attachments=[])),
            ("link removed", edit(links=[])),
            ("title reworded", edit(title="HEPZA tổng kết hoạt động năm 2023 và triển khai nhiệm vụ mới")),
        ],
    ),
    (
        "wording",
        [
            (
                "sentence added",
                body("tiếp tục được chú trọng,", "tiếp tục được chú trọng và kiểm tra thường xuyên,"),
            ),
            (
                "sentence removed",
                body(
                    " Công tác phòng cháy chữa cháy tiếp tục được chú trọng, hòa nhịp với phong trào thi đua của thành phố.",
                    "",
                ),
            ),
            (
                "paragraph rewritten",
                body(
                    "đề nghị các đơn vị tập trung thực hiện tốt nhiệm vụ được giao",
                    "yêu cầu mỗi đơn vị bám sát chương trình công tác đã đề ra",
                ),
            ),
            ("wording of a clause", body("cho biết các khu", "nhấn mạnh rằng các khu")),
        ],
    ),
    (
        "typos",
        [
            ("letter missing", body("tổ chức hội nghị", "tổ chứ hội nghị")),
            ("typo fixed", body("giải quyết việc làm", "giải quyết viêc làm")),
            ("wrong tone", body("thực hiện tốt", "thực hiện tôt")),
            ("typo in the title", edit(title="HEPZA tổng kết công tác năm 2023".replace("tổng", "tông"))),
            ("letters swapped", body("doanh nghiệp", "doanh nghiêp")),
        ],
    ),
    (
        "cosmetic",
        [
            ("tone placement", body("hòa nhịp", "hoà nhịp")),
            ("comma added", body("Theo báo cáo, tổng vốn", "Theo báo cáo tổng vốn")),
            ("full stop", body("được giao.", "được giao")),
            ("double space", body("tổng kết công tác", "tổng kết  công tác")),
            ("paragraph break", body("lao động.\n\nHội nghị", "lao động.\nHội nghị")),
            ("number reformatted", body("1.284,5 triệu USD", "1284,5 triệu USD")),
            ("case", body("phòng cháy chữa cháy", "Phòng cháy chữa cháy")),
            ("capitals", body("các doanh nghiệp hoàn thành", "các DOANH NGHIỆP hoàn thành")),
            ("quotes", body("(HEPZA)", "(“HEPZA”)")),
        ],
    ),
]


def _scored(changes):
    return [(label, significance(BASE, new, removed=new is None)) for label, new in changes]


def test_the_tables_hold_thirty_edits_or_more():
    assert sum(len(changes) for _, changes in TIERS) >= 30


@pytest.mark.parametrize("index", range(len(TIERS) - 1), ids=[t[0] for t in TIERS[:-1]])
def test_every_edit_of_a_tier_outranks_every_edit_of_the_next(index):
    higher, lower = TIERS[index], TIERS[index + 1]
    weakest = min(_scored(higher[1]), key=lambda x: x[1].score)
    strongest = max(_scored(lower[1]), key=lambda x: x[1].score)
    assert weakest[1].score > strongest[1].score, (
        f"{higher[0]}: {weakest[0]} ({weakest[1].text()}) should outrank "
        f"{lower[0]}: {strongest[0]} ({strongest[1].text()})"
    )


@pytest.mark.parametrize(
    "label, new, factor",
    [
        ("percentage figure", body("74,28%", "72,48%"), "numbers"),
        ("investment figure", body("1.284,5 triệu USD", "1.248,5 triệu USD"), "numbers"),
        ("cited plan replaced", body("Kế hoạch số 1443/KH-BQL", "Kế hoạch số 1521/KH-BQL"), "documents"),
        ("meeting date", body("Sáng ngày 12/3/2024", "Sáng ngày 13/3/2024"), "dates"),
        ("official renamed", body("Ông Nguyễn Văn Hùng", "Ông Trần Quốc Hưng"), "names"),
        ("department replaced", body("Sở Công Thương", "Sở Kế hoạch và Đầu tư"), "names"),
        ("byline changed", edit(authors=["Minh Khôi"]), "names"),
        ("attachment removed", edit(attachments=[]), "attachments_removed"),
        ("link removed", edit(links=[]), "links_removed"),
        ("typo fixed", body("giải quyết việc làm", "giải quyết viêc làm"), "typo"),
        ("tone placement", body("hòa nhịp", "hoà nhịp"), "cosmetic"),
    ],
)
def test_each_edit_names_the_factor_that_ranks_it(label, new, factor):
    result = significance(BASE, new)
    assert result.factors[0].name == factor, result.text()
    assert result.score == min(100, sum(f.weight for f in result.factors))


def test_a_figure_change_shows_both_figures_the_vietnamese_way():
    result = significance(BASE, body("1.284,5 triệu USD", "1.248,5 triệu USD"))
    assert result.factors[0].detail == "1.284,5 triệu USD → 1.248,5 triệu USD"


def test_a_reformatted_figure_is_the_same_figure():
    assert numbers("1.284,5 triệu USD") == numbers("1284,5 triệu USD")
    assert numbers("74,28%") != numbers("72,48%")
    assert numbers("1.284,5 triệu USD") != numbers("1.284,5 tỷ đồng")
    # Dates and document numbers are not figures.
    assert not numbers("ngày 12/3/2024 theo Kế hoạch số 1443/KH-BQL")


def test_names_are_runs_of_capitalised_words_without_tone_placement():
    found = names(
        "Sáng nay, Ông Nguyễn Văn Hùng gặp Sở Công Thương và UBND TP.HCM. Nguyễn Thị Hoà phát biểu."
    )
    assert tone_key("Hoà") == tone_key("Hòa") != tone_key("Hoa")
    assert set(found) >= {
        "Ông Nguyễn Văn Hùng",
        "Sở Công Thương",
        "UBND TP.HCM",
        f"Nguyễn Thị {tone_key('Hòa')}",
    }
    assert "Sáng" not in " ".join(found)


def test_nothing_changed_scores_nothing():
    assert significance(BASE, dict(BASE)).score == 0


def test_removal_outweighs_everything():
    assert significance(BASE, None).score == WEIGHTS["removed"]


FOOTER = "\n\nBan Quản lý các KCX-KCN TP.HCM"


def test_an_edit_repeated_across_articles_is_one_template_group():
    articles = {
        n: {**BASE, "title": f"Tin số {n}", "body_text": f"Nội dung riêng của bài {n}." + FOOTER}
        for n in range(5)
    }
    changes = [
        (n, a, {**a, "body_text": a["body_text"].replace("KCX-KCN", "Khu chế xuất và công nghiệp")})
        for n, a in articles.items()
    ]
    changes.append((99, articles[0], {**articles[0], "body_text": "Một nội dung khác hẳn." + FOOTER}))
    groups = group_changes(changes, min_articles=3)
    templates = [g for g in groups if g.template]
    assert [g.members for g in templates] == [(0, 1, 2, 3, 4)]
    assert [g.members for g in groups if not g.template] == [(99,)]


def test_an_edit_in_too_few_articles_is_no_template():
    a = {**BASE}
    b = body("74,28%", "72,48%")
    groups = group_changes([(1, a, b), (2, a, b)], min_articles=3)
    assert [(g.members, g.template) for g in groups] == [((1,), False), ((2,), False)]


def test_an_edit_deep_in_a_long_article_is_scored_on_its_own_sentences():
    # Only the edited sentences are compared: the 15,000 words around them hold the same figures, names
    # and dates on both sides, and must neither show up in the factors nor cost their length.
    long = " ".join([BODY] * 60)
    edited = long[: len(long) // 2] + long[len(long) // 2 :].replace("74,28%", "72,48%", 1)
    result = significance({**BASE, "body_text": long}, {**BASE, "body_text": edited})
    assert [(f.name, f.detail) for f in result.factors] == [("numbers", "74,28% → 72,48%")]


def test_a_runs_footer_edit_across_articles_is_one_group_in_the_library(tmp_path):
    import archive
    from archive.store import Archive
    from tests.unit.test_store import capture, make_record

    site = "http://127.0.0.1:9/w"
    store = Archive(tmp_path / "hepza.db")
    try:
        first = store.start_run("full", site)
        for n in range(4):
            url = f"{site}/bai-{n}"
            record = make_record(
                url=url, canonical=url, asset_id=f"70{n}", title=f"Tin {n}", body_text=f"Bài {n}." + FOOTER
            )
            store.save(record, capture(url=url), run_id=first)
        store.finish_run(first, status="ok", exit_code=0, counts={}, alarms=[])
        second = store.start_run("full", site)
        for n in range(4):
            url = f"{site}/bai-{n}"
            text = f"Bài {n}." + FOOTER.replace("KCX-KCN", "Khu chế xuất và công nghiệp")
            if n == 3:
                text = f"Bài {n} đã sửa, vốn 1.284,5 triệu USD." + FOOTER
            record = make_record(
                url=url, canonical=url, asset_id=f"70{n}", title=f"Tin {n}", body_text=text, source_hash="s2"
            )
            store.save(record, capture(b"v2", url=url), run_id=second)
        store.finish_run(second, status="ok", exit_code=0, counts={}, alarms=[])
    finally:
        store.close()
    with archive.open(tmp_path / "hepza.db") as hepza:
        groups = hepza.change_groups(second)
        template = [g for g in groups if g.template]
        assert [len(g.members) for g in template] == [3]
        assert [g.members for g in groups if not g.template] == [((4, 2),)]
        assert hepza.change_groups(first) == []  # first versions are no edits
