"""Extraction on saved pages: the replica's article and a real Liferay page of another theme."""

from pathlib import Path

from pipelines.extract import extract_page
from pipelines.record import clean_article

FILES = Path(__file__).resolve().parents[1] / "files"


def record_of(name: str, url: str, charset: str | None = None):
    return clean_article(extract_page((FILES / name).read_bytes(), url, charset))


def test_seed_article_page():
    record = record_of("hepza_article_seed.html", "http://127.0.0.1:8000/w/h%E1%BB%99i-ngh%E1%BB%8B", "utf-8")
    assert (
        record.title
        == "Hội nghị sơ kết công tác xây dựng Đảng quý I và triển khai phương hướng, nhiệm vụ quý II/2022"
    )
    assert record.published_at == "2023-03-08T10:56:00+07:00"
    assert record.authors == ["Minh Trí"]
    assert record.body_text.startswith("Ngày 07/4, Đảng ủy Ban Quản lý các Khu Chế xuất và Công nghiệp TPHCM")
    assert record.body_text.endswith("chào mừng kỷ niệm 30 năm xây dựng và phát triển các KCX, KCN TPHCM.")
    assert "Minh Trí" not in record.body_text and "Bài viết liên quan" not in record.body_text
    assert "lượng đoànviên, thanh niên" in record.body_text  # glued as the real page has it
    assert (record.event_date, record.published_is_migration) == ("2022-04-07", True)
    assert [r["number"] for r in record.document_refs] == ["01-KL/TW", "05-CT/TW", "1374-QĐ/TU"]
    assert record.layers == {
        "asset_id": "metadata",
        "title": "portal",
        "published": "portal",
        "body": "portal",
    }


def test_seed_article_en_page_has_the_same_record():
    vi = record_of("hepza_article_seed.html", "http://127.0.0.1:8000/w/x", "utf-8")
    en = record_of("hepza_article_seed_en.html", "http://127.0.0.1:8000/en/w/x", "utf-8")
    assert en.published_raw == "3/8/23 10:56 AM" and en.locale == "en" and en.lang == "vi"
    assert en.content() == vi.content()


def test_moh_article_in_another_theme_without_a_charset_header():
    # <title> comes before <meta charset>: decoding must not take the title for Latin-1.
    record = record_of("moh_article_liferay73.html", "https://moh.gov.vn/-/6848045-2")
    assert record.title == "Phản ứng thông thường sau tiêm vắc xin phòng COVID-19"
    assert record.published_raw == "(Thứ hai, 19/04/2021 15:17)"
    assert record.published_at == "2021-04-19T15:17:00+07:00"
    assert record.asset_id == "7282213"
    assert "Tin đọc nhiều" not in record.body_text and "(Thứ hai" not in record.body_text


def test_an_nfd_page_reads_as_its_nfc_twin():
    # The extractor normalises the fields it takes, not the whole page: the result must not tell them apart.
    import unicodedata

    page = (FILES / "hepza_article_seed.html").read_bytes().decode("utf-8")
    url = "http://127.0.0.1:8000/w/x"
    nfc = extract_page(unicodedata.normalize("NFC", page).encode("utf-8"), url, "utf-8")
    nfd = extract_page(unicodedata.normalize("NFD", page).encode("utf-8"), url, "utf-8")
    assert nfd.to_dict() == nfc.to_dict()
    assert nfc.title_raw.startswith("Hội nghị sơ kết") and nfc.description
    assert clean_article(nfd).to_dict() == clean_article(nfc).to_dict()
