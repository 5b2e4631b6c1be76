"""Hand-checked gold for the tricky corpus articles, and invariants over every gold record."""

import time
import unicodedata
from datetime import timedelta
from pathlib import Path

import pytest

from replica import Site
from replica.generator import generate
from replica.slugs import MAX_LENGTH

SEED_TEXT = Path("/work/shared/seed/000_2cb25058135a4795.txt")


@pytest.fixture(scope="module")
def site():
    return Site()


def by_title(site, start):
    return [a for a in site.live() if unicodedata.normalize("NFC", a.title).startswith(start)]


def test_corpus_size_and_years(site):
    years = {a.date.year for a in site.live()} | {int(a.event_date[:4]) for a in site.live() if a.event_date}
    assert len(site.live()) >= 60 and min(years) == 2012 and max(years) == 2026


def test_seed_article(site):
    (a,) = by_title(site, "Hội nghị sơ kết công tác xây dựng Đảng quý I")
    g = a.gold()
    assert (
        g["published_at"] == "2023-03-08T10:56:00+07:00" and g["migrated"] and g["event_date"] == "2022-04-07"
    )
    assert g["authors"] == ["Minh Trí"] and g["source"] is None
    assert "<span>đoàn</span><span>viên</span>" in a.blocks[3].html
    if SEED_TEXT.exists():
        lines = [x.strip() for x in SEED_TEXT.read_text(encoding="utf-8").splitlines() if x.strip()]
        assert lines[0] == g["title"]
        body = lines[lines.index("10:56 08/03/2023") + 1 : lines.index("Minh Trí")]
        assert site.expected_body(a.asset_id) == "\n\n".join(body)


def test_glued_and_spaced_inline_tags(site):
    (a,) = by_title(site, "Đoàn viên thanh niên ra quân")
    body = site.expected_body(a.asset_id)
    assert "200 đoàn viên thanh niên" in body and "trồng cây xanh" in body


def test_byline_forms(site):
    seen = {}
    for a in site.live():
        raw = a.byline_raw()
        if raw:
            seen[raw] = a.gold()
    assert seen["THANH DUNG"]["authors"] == ["Thanh Dung"]
    assert seen["B.NG"]["authors"] == ["B.NG"]
    assert seen["PV"]["authors"] == [] and seen["NHÓM PV"]["authors"] == []
    assert seen["Hoàng Long - Minh Thư"]["authors"] == ["Hoàng Long", "Minh Thư"]
    assert seen["Theo Báo Người Lao Động"]["source"] == "Báo Người Lao Động"
    assert seen["Theo Báo Người Lao Động"]["authors"] == []
    assert seen["Nguồn: Cổng thông tin điện tử Thành phố"]["source"] == "Cổng thông tin điện tử Thành phố"
    assert (
        seen["Tin, ảnh: Bảo Châu"]["authors"] == ["Bảo Châu"] == seen["Tin, ảnh: Bảo Châu"]["photo_credits"]
    )
    assert seen["Bài và ảnh: Thanh Tùng"]["photo_credits"][-1] == "Thanh Tùng"
    assert seen["Bài, ảnh: Bảo Châu"]["authors"] == ["Bảo Châu"]
    assert any("&nbsp;" in (a.byline_html or "") for a in site.live())


def test_no_byline_with_theo_ke_hoach_last_paragraph(site):
    hits = [
        a
        for a in site.live()
        if a.byline_html is None
        and a.gold()["body_last"]
        and site.expected_body(a.asset_id).split("\n\n")[-1].startswith("Theo kế hoạch")
    ]
    assert hits and all(a.gold()["source"] is None for a in hits)


def test_nfd_articles(site):
    nfd = [a for a in site.live() if unicodedata.normalize("NFC", a.title) != a.title]
    assert len(nfd) >= 2
    for a in nfd:
        g = a.gold()
        assert g["title"] == unicodedata.normalize("NFC", a.title)
        assert "%CC%" in a.slug  # combining marks give another slug
        assert unicodedata.is_normalized("NFC", g["body_first"])


def test_invisible_characters_are_cleaned(site):
    (a,) = by_title(site, "Đẩy mạnh chuyển đổi số")
    html = "".join(b.html for b in a.blocks)
    assert "\u00a0" in html and "\u00ad" in html and "\u200b" in html
    body = site.expected_body(a.asset_id)
    assert "\u00a0" not in body and "giảiquyết" in body and "trựctuyến" in body
    assert a.gold()["body_last"] == "Doanh nghiệp được khuyến khích sử dụng chữ ký số khi nộp hồ sơ."


def test_lists_tables_br_and_captions(site):
    (plan,) = by_title(site, "Đảng bộ Ban Quản lý tổng kết")
    assert "\n- Nâng cao chất lượng sinh hoạt chi bộ.\n" in site.expected_body(plan.asset_id)
    (invest,) = by_title(site, "Kết quả thu hút đầu tư vào các khu chế xuất, khu công nghiệp năm 2025")
    assert "Vốn đầu tư nước ngoài | 842,3 triệu USD | 112%" in site.expected_body(invest.asset_id)
    (conf,) = by_title(site, "Thông báo tổ chức Hội nghị tổng kết công tác năm 2013")
    assert "năm 2014.\nĐịa điểm" in site.expected_body(conf.asset_id)
    assert conf.gold()["event_date"] == "2014-02-19" and conf.gold()["migrated"]
    (medal,) = by_title(site, "Đón nhận Huân chương")
    assert medal.gold()["photo_credits"] == ["Minh Trí", "Ngọc Hân"]
    assert "Ảnh:" not in site.expected_body(medal.asset_id)


def test_duplicate_titles_and_long_title(site):
    dups = by_title(site, "Tổng kết công tác Công đoàn")
    assert len(dups) == 2
    older, newer = sorted(dups, key=lambda a: a.date)
    assert newer.slug == older.slug + "-1"
    long = max(site.live(), key=lambda a: len(a.slug))
    assert len(long.slug) <= MAX_LENGTH and len(long.slug) > MAX_LENGTH - 12
    assert any(a.title.startswith("Đ") and a.slug.startswith("%C4%90") for a in site.live())


def test_event_dates_of_the_issue(site):
    """docs/record-conventions.md, "Event date": the date the article reports, and what the record says."""

    def gold(start):
        (a,) = by_title(site, start)
        g = a.gold()
        return g["event_date"], g["event_precision"], g["migrated"]

    assert gold("Hội nghị sơ kết công tác xây dựng Đảng quý I") == ("2022-04-07", "day", True)
    # `Ngày 6/1` on a portal date of 06/01/2026 is that day, though the review is of 2025
    assert gold("Đảng bộ Ban Quản lý tổng kết") == ("2026-01-06", "day", False)
    # quarters and years give the period's first day
    assert gold("Quý I/2025: các khu chế xuất") == ("2025-01-01", "quarter", False)
    assert gold("Đầu tư vào các KCX, KCN năm 2014") == ("2014-01-01", "year", True)
    # a range counts from its first day
    assert gold("Kiểm tra công tác bảo vệ môi trường") == ("2025-08-11", "day", False)
    # a notice reports the first date it announces, even a future one
    assert gold("Thông báo lịch nghỉ Tết Nguyên đán Bính Ngọ") == ("2026-02-14", "day", False)
    # a deadline only when nothing else dates the article; the title's period comes first
    assert gold("Thông báo về việc thu thập thông tin") == ("2024-09-30", "day", False)
    assert gold("Thông báo kết quả kiểm tra công tác an toàn") == ("2024-01-01", "quarter", False)
    # an event less than 180 days before a migration day: flagged by the batch rule alone
    (a,) = by_title(site, "Kiểm tra công tác phòng cháy chữa cháy cuối năm 2022")
    assert a.event_date == "2022-12-05" and a.in_batch and a.gold()["migrated"]


def test_the_batch_rule_reads_batches_not_busy_days():
    site = Site()
    day = [a for a in site.articles if a.date_local.date().isoformat() == "2023-03-08"]
    (fire,) = [a for a in day if a.event_date == "2022-12-05"]
    assert len(day) == 8 and site.gold_for(fire.asset_id)["migrated"]
    # removed articles still count: a batch stays a batch when some of its articles are taken down
    for a in day[:3]:
        if a is not fire:
            site.remove(a.asset_id)
    assert fire.in_batch and site.gold_for(fire.asset_id)["migrated"]
    # moved out of the batch to an ordinary afternoon time, its own dates do not say migration
    site.edit(fire.asset_id, date_line=fire.date_local.replace(hour=15, minute=30))
    assert not fire.in_batch and site.gold_for(fire.asset_id)["migrated"] is False
    # a busy ordinary day (eight articles an hour apart) is no batch; eight minutes apart are
    busy = site.add_new(8)
    start = site.article(busy[0]).date_local.replace(hour=8, minute=0)
    for i, asset_id in enumerate(busy):
        site.edit(asset_id, date_line=start + timedelta(hours=i))
    assert not any(site.gold_for(a)["migrated"] for a in busy)
    for i, asset_id in enumerate(busy):
        site.edit(asset_id, date_line=start + timedelta(minutes=i))
    assert all(site.article(a).in_batch for a in busy)


def test_migration_days_shared(site):
    days = {}
    for a in site.live():
        if a.migrated:
            days.setdefault(a.date.date().isoformat(), []).append(a)
            assert a.event_date is None or a.event_date < "2023"
    assert len(days["2023-03-08"]) >= 5 and len(days["2023-05-10"]) >= 5


def check_gold(site):
    for a in site.live():
        g = a.gold()
        body = site.expected_body(a.asset_id)
        assert set(g) == {
            "asset_id",
            "url",
            "lang",
            "title",
            "published_at",
            "authors",
            "source",
            "photo_credits",
            "body_first",
            "body_last",
            "event_date",
            "event_precision",
            "migrated",
            "category",
            "categories",
        }
        assert g["category"] in g["categories"] and g["categories"] == sorted(set(g["categories"]))
        assert g["asset_id"].isdigit() and g["url"] == f"/w/{a.slug}" and g["lang"] == "vi"
        assert body.startswith(g["body_first"]) and body.endswith(g["body_last"]) and g["body_first"]
        assert g["published_at"].endswith("+07:00")
        assert unicodedata.is_normalized("NFC", body)
        assert (g["event_date"] is None) == (g["event_precision"] is None)
        assert g["event_precision"] in (None, "day", "month", "quarter", "year")
        if a.migrated:
            assert g["migrated"]  # the two rules find every article carrying a migration time


def test_gold_invariants_corpus(site):
    check_gold(site)


def test_generator_is_deterministic_and_fast():
    a = [
        (x.asset_id, x.title, x.date, [b.html for b in x.blocks], x.byline_html)
        for x in generate(300, seed=7)
    ]
    b = [
        (x.asset_id, x.title, x.date, [b.html for b in x.blocks], x.byline_html)
        for x in generate(300, seed=7)
    ]
    c = [(x.asset_id, x.title) for x in generate(300, seed=8)]
    assert a == b and [(x[0], x[1]) for x in a] != c
    assert Site(articles=400, seed=5).gold() == Site(articles=400, seed=5).gold()
    t = time.perf_counter()
    big = Site(articles=10_000, seed=0)
    assert len(big.live()) == 10_000
    assert time.perf_counter() - t < 15
    assert len({a.slug for a in big.live()}) == 10_000
    check_gold(big)
