"""Learning a redesigned theme (pipelines/learned_layout.py, archive/learning.py) on rendered pages: the
replica's article in its own theme gives the label, the same article in a new theme is learned from."""

from __future__ import annotations

import pytest

from archive.captures import Capture
from archive.protocol import ArticlePage, WriterConfig
from archive.writer import ArchiveWriter
from pipelines.extract import extract_page, parse_html
from pipelines.hashing import content_hash
from pipelines.learned_layout import LAYOUT, Known, LayoutRule, date_in_text, learn_rule
from pipelines.model import LAYER_PORTAL
from pipelines.record import clean_article
from replica import Site, render

BASE = "http://127.0.0.1:8000"
# A theme whose wrappers carry per-fragment UUID classes beside their role classes, the body split in a
# lead and a text apart, the byline in a wrapper of its own, the date after the body in words.
UUID_THEME = """<div class="lfr-layout-structure-item-3f2a9c1e-7b4d-4e8a-9c2f-1a2b3c4d5e6f trang">
<h1 class="x-5e6f7a8b tieu-de">{{ title }}</h1>
<div class="noi-dung-bai c-8d9e0f1a">{{ body_blocks }}</div>
<div class="tac-gia">{{ byline }}</div>
<p class="ngay-dang">{{ date_long }}</p>
<ul class="lien-quan">{{ related }}</ul></div>"""


def _pages(theme: str | None, template: str | None = None, count: int = 6) -> list[tuple]:
    """(new theme's page, what the archive would know, the archived content hash, URL) per article."""
    site = Site()
    out = []
    for gold in site.gold()[:count]:
        a = site.article(gold["asset_id"])
        url = BASE + "/w/" + a.slug
        old = clean_article(extract_page(render.article_page(a, "vi", BASE), url))
        assert all(old.layers[r] == LAYER_PORTAL for r in ("title", "published", "body"))
        known = Known(
            old.title or "",
            old.published_at or "",
            old.body_text,
            old.byline_raw,
            tuple(i["caption"] for i in old.images if i["caption"]),
            old.locale,
        )
        new = render.article_page(a, "vi", BASE, theme or "liferay", template=template)
        out.append((new, known, content_hash(old.content()), url))
    return out


@pytest.mark.parametrize("theme,template", [("redesigned", None), ("uuid", UUID_THEME)])
def test_a_rule_learned_on_two_pages_reads_the_others_exactly(theme, template):
    pages = _pages(theme, template)
    site = Site()
    first = site.article(site.gold()[0]["asset_id"])
    old_layout = extract_page(render.article_page(first, "vi", BASE), BASE + "/w/" + first.slug).layers[
        LAYOUT
    ]
    rule, why = learn_rule([(parse_html(page), known) for page, known, _, _ in pages[:2]])
    assert rule is not None, why
    for page, _, digest, url in pages:
        # The portal layer reads nothing of the new theme, or reads it in another layout than the old
        # theme's (so the run does not trust its reading before checking it: archive/runs.py).
        unlearned = extract_page(page, url).layers
        assert unlearned.get("body") != LAYER_PORTAL or unlearned.get(LAYOUT) != old_layout
        record = clean_article(extract_page(page, url, learned=[rule]))
        assert set(record.layers[r] for r in ("title", "published", "body")) == {"learned"}
        assert record.layers[LAYOUT] == rule.signature()
        assert content_hash(record.content()) == digest, url


def test_a_rule_names_roles_never_uuid_classes():
    pages = _pages("uuid", UUID_THEME)
    rule, _ = learn_rule([(parse_html(page), known) for page, known, _, _ in pages[:2]])
    assert rule == LayoutRule("h1.tieu-de", "p.ngay-dang", ("div.noi-dung-bai", "div.tac-gia"))
    assert LayoutRule.from_json(rule.to_json()) == rule


def test_a_page_without_the_body_teaches_nothing():
    bare = '<div class="bare"><h1 class="t">{{ title }}</h1><p class="d">{{ date_line }}</p></div>'
    pages = _pages("bare", bare, count=2)
    rule, why = learn_rule([(parse_html(page), known) for page, known, _, _ in pages])
    assert rule is None and why == "the body of a known article is nowhere on its page"


def test_a_rule_is_not_applied_where_the_portal_layer_reads_everything():
    site = Site()
    a = site.article(site.gold()[0]["asset_id"])
    page = render.article_page(a, "vi", BASE)
    rule = LayoutRule("div.side-title", "p.hotline", ("div.side-box",))  # finds something on this page
    raw = extract_page(page, BASE + "/w/x", learned=[rule])
    assert {raw.layers[r] for r in ("title", "published", "body")} == {LAYER_PORTAL}


# Two pages of a new theme, the byline apart from the body; each case gives the first page's body as
# printed and as the archive holds it (its paragraphs, its captions, its attachments' link texts).
TRICKY_THEME = (
    '<main class="trang"><h2 class="ten">{title}</h2><div class="noi-dung">{body}</div>'
    '<div class="tac-gia"><p><strong>Kim Ngân</strong></p></div>'
    '<div class="ngay">Cập nhật lúc 08 giờ 45, ngày 5 tháng 12 năm 2025</div></main>'
)


@pytest.mark.parametrize(
    "printed,paragraphs,captions,attachments",
    [
        # A caption that credits the writer: "Kim Ngân" in it must not pass for the byline printed apart.
        (
            "<p>Sáng 5/12, đoàn công tác đến thăm Ban Quản lý.</p>"
            "<p><em>Quang cảnh buổi làm việc (Ảnh: Kim Ngân)</em></p><p>Hai bên trao đổi về đầu tư.</p>",
            "Sáng 5/12, đoàn công tác đến thăm Ban Quản lý.\n\nHai bên trao đổi về đầu tư.",
            ("Quang cảnh buổi làm việc (Ảnh: Kim Ngân)",),
            (),
        ),
        # A soft hyphen and a zero-width space inside words, which the cleaner drops from the archived text.
        (
            "<p>Kết quả giải\u00adquyết được tra cứu trực\u200btuyến.</p><p>Hai bên trao đổi về đầu tư.</p>",
            "Kết quả giảiquyết được tra cứu trựctuyến.\n\nHai bên trao đổi về đầu tư.",
            (),
            (),
        ),
        # The attachments' paragraph, label and links, which the archive keeps out of the body text (a
        # short body: its few words are more than the slack allowed for stray words).
        (
            "<p>Doanh nghiệp báo cáo theo mẫu.</p><p>Hai bên trao đổi về đầu tư.</p>"
            '<p>Danh mục thủ tục: <a href="/documents/20126/1/dm.pdf/u1">Danh mục 42 thủ tục</a>, '
            '<a href="/documents/20126/1/hd.doc/u2">Hướng dẫn nộp hồ sơ</a></p>',
            "Doanh nghiệp báo cáo theo mẫu.\n\nHai bên trao đổi về đầu tư.",
            (),
            ("Danh mục 42 thủ tục", "Hướng dẫn nộp hồ sơ"),
        ),
    ],
)
def test_a_body_the_archive_holds_otherwise_than_printed_is_still_found(
    printed, paragraphs, captions, attachments
):
    first = Known(
        "Đoàn công tác tỉnh Kanagawa làm việc với Ban Quản lý",
        "2025-12-05T08:45:00+07:00",
        paragraphs,
        "Kim Ngân",
        captions,
        attachments,
    )
    second = Known(
        "Hội nghị chuyển đổi số trong quản lý các khu công nghiệp",
        "2025-12-05T08:45:00+07:00",
        "Ban Quản lý tổ chức hội nghị.\n\nCác doanh nghiệp dự.",
        "Kim Ngân",
    )
    pages = [
        (
            parse_html(
                TRICKY_THEME.format(
                    title="Đoàn công tác tỉnh Kanagawa làm việc với Ban Quản lý", body=printed
                )
            ),
            first,
        ),
        (
            parse_html(
                TRICKY_THEME.format(
                    title="Hội nghị chuyển đổi số trong quản lý các khu công nghiệp",
                    body="<p>Ban Quản lý tổ chức hội nghị.</p><p>Các doanh nghiệp dự.</p>",
                )
            ),
            second,
        ),
    ]
    rule, why = learn_rule(pages)
    assert rule == LayoutRule("h2.ten", "div.ngay", ("div.noi-dung", "div.tac-gia")), why


@pytest.mark.parametrize(
    "text,date",
    [
        ("Đăng lúc 06:33 10/05/2023 bởi Ban biên tập", "Đăng lúc 06:33 10/05/2023"),
        (
            "Cập nhật lúc 08 giờ 05, ngày 19 tháng 02 năm 2014",
            "Cập nhật lúc 08 giờ 05, ngày 19 tháng 02 năm 2014",
        ),
        ("Ngày đăng: 19/04/2021 | Tin tức", "Ngày đăng: 19/04/2021"),
        ("Lượt xem: 123", None),
    ],
)
def test_the_date_line_inside_a_sentence(text, date):
    assert date_in_text(text) == date


def _writer_run(db, site, urls_and_pages) -> dict:
    writer = ArchiveWriter(WriterConfig(db_path=str(db), site_url=BASE, mode="full"))
    for url, page in urls_and_pages:
        capture = Capture(url=url, status=200, body=page.encode(), fetched_at="2026-11-25T00:00:00+00:00")
        writer.handle(ArticlePage(capture, (url,), None, {}, "utf-8"))
    return writer.finish(len(urls_and_pages), 0, None)


def test_too_few_known_articles_to_check_a_rule_is_the_alarm(tmp_path):
    site = Site()
    articles = [site.article(g["asset_id"]) for g in site.gold()[:4]]  # 2 to learn from + 2 checks < 3
    db = tmp_path / "a.db"
    old = [(BASE + "/w/" + a.slug, render.article_page(a, "vi", BASE)) for a in articles]
    assert _writer_run(db, site, old)["new"] == 4
    new = [(BASE + "/w/" + a.slug, render.article_page(a, "vi", BASE, "redesigned")) for a in articles]
    summary = _writer_run(db, site, new)
    assert summary["exit_code"] == 3 and summary["unchanged"] == 0 and summary["learned_layouts"] == []
    assert summary["errors"] == 4


def test_held_pages_are_settled_with_the_rule_and_later_runs_use_it(tmp_path):
    site = Site()
    articles = [site.article(g["asset_id"]) for g in site.gold()[:6]]
    db = tmp_path / "a.db"
    old = [(BASE + "/w/" + a.slug, render.article_page(a, "vi", BASE)) for a in articles]
    assert _writer_run(db, site, old)["new"] == 6
    new = [(BASE + "/w/" + a.slug, render.article_page(a, "vi", BASE, "redesigned")) for a in articles]
    summary = _writer_run(db, site, new)
    assert summary["exit_code"] == 0 and summary["unchanged"] == 6, summary
    assert [e["status"] for e in summary["learned_layouts"]] == ["verified"]
    again = _writer_run(db, site, new)  # read with the archive's rule from the first page on
    assert again["unchanged"] == 6 and again["learned_layouts"] == [] and again["exit_code"] == 0


def test_the_human_summary_says_what_was_learned(capsys):
    from archive.cli import _print_summary
    from archive.runs import run_summary

    summary = run_summary(4, "ok", 0, {"unchanged": 6}, alarms=[], failed_urls=[])
    summary["learned_layouts"] = [
        {"status": "rejected", "rule": None, "checked_on": 5, "message": "could not learn the new layout: x"},
        {
            "status": "verified",
            "rule": {},
            "checked_on": 5,
            "message": "learned the new layout (y), checked on 5",
        },
    ]
    _print_summary(summary, as_json=False)
    out = capsys.readouterr().out.splitlines()
    assert out[1:] == ["learned the new layout (y), checked on 5"]


_SIGNED_ABOVE = """<html><body><div class="bai"><h2 class="ten">Tiêu đề bài</h2>
<p class="ngay">10:00 | 05/03/2025</p>
<article class="noi-dung">{first}<p>Đoạn thứ nhất của bài viết.</p><p>Đoạn thứ hai của bài viết.</p></article>
</div></body></html>"""


@pytest.mark.parametrize(
    ("first", "byline"),
    [
        ('<p style="text-align:right"><strong>Đức Trung</strong></p>', "Đức Trung"),
        ("<p><strong>Theo Báo Đà Nẵng</strong></p>", "Theo Báo Đà Nẵng"),
        ("", None),
    ],
)
def test_a_writers_name_printed_above_the_text_is_the_byline(first, byline):
    rule = LayoutRule("h2.ten", "p.ngay", ("article.noi-dung",))
    record = clean_article(
        extract_page(_SIGNED_ABOVE.format(first=first).encode(), BASE + "/w/x", "utf-8", learned=[rule])
    )
    assert record.body_text == "Đoạn thứ nhất của bài viết.\n\nĐoạn thứ hai của bài viết."
    assert record.byline_raw == byline


def test_a_short_first_paragraph_that_names_no_one_stays_in_the_text():
    rule = LayoutRule("h2.ten", "p.ngay", ("article.noi-dung",))
    page = _SIGNED_ABOVE.format(first="<p>Thông báo khẩn.</p>").encode()
    record = clean_article(extract_page(page, BASE + "/w/x", "utf-8", learned=[rule]))
    assert record.body_text.startswith("Thông báo khẩn.") and record.byline_raw is None


def test_a_withdrawn_rule_is_not_loaded_but_one_rejected_before_it_was_verified_is(tmp_path):
    from archive import learning
    from archive.store import Archive

    withdrawn = LayoutRule("h2.a", "p.a", ("div.a",))
    relearned = LayoutRule("h2.b", "p.b", ("div.b",))
    archive = Archive(tmp_path / "a.db")
    try:
        # The rows as runs write them (no run of the ledger here): a rule rejected by its checks (an
        # article edited since, say), another verified and then withdrawn, the first verified later.
        learning._record(archive, learning.Attempt(relearned, False, (1, 2), "misreads a page"), None)
        learning._record(archive, learning.Attempt(withdrawn, True, (1, 2, 3, 4, 5)), None)
        learning.withdraw(archive, withdrawn, None, "read known pages otherwise than archived")
        learning._record(archive, learning.Attempt(relearned, True, (3, 4, 5, 6, 7)), None)
        assert learning.withdrawn_rules(archive) == {withdrawn.to_json()}
        assert learning.verified_rules(archive) == [relearned]
    finally:
        archive.close()
