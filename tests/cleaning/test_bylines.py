"""Table tests for pipelines.bylines: bylines, sources, roles, photo credits and name casing."""

import unicodedata

import pytest

from pipelines.bylines import (
    Byline,
    is_byline_block,
    names_a_place,
    normalize_name,
    parse_byline,
    photo_credit,
    split_byline,
)


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


def B(authors=(), source=None, roles=(), photos=()):  # noqa: N802 - table shorthand
    return Byline(tuple(authors), source, tuple(roles), tuple(photos))


BYLINE_CASES = [
    # bare names
    ("Minh Trí", B(["Minh Trí"])),
    ("Minh Trí.", B(["Minh Trí"])),
    ("  Minh\u00a0Trí\u00a0", B(["Minh Trí"])),
    (nfd("Minh Trí"), B(["Minh Trí"])),
    ("Nguyễn Thị Thanh Thủy", B(["Nguyễn Thị Thanh Thủy"])),
    ("Hoàng Hà", B(["Hoàng Hà"])),
    # labelled
    ("Tin, ảnh: Minh Trí", B(["Minh Trí"], photos=["Minh Trí"])),
    ("Tin,\u00a0ảnh:\u00a0Minh Trí", B(["Minh Trí"], photos=["Minh Trí"])),
    ("Tin, ảnh : Minh Trí", B(["Minh Trí"], photos=["Minh Trí"])),
    ("**Tin, ảnh:**\u00a0Minh Trí.", B(["Minh Trí"], photos=["Minh Trí"])),
    ("TIN, ẢNH: MINH TRÍ", B(["Minh Trí"], photos=["Minh Trí"])),
    ("Bài và ảnh: Thanh Dung", B(["Thanh Dung"], photos=["Thanh Dung"])),
    ("Bài, ảnh: Đức Anh", B(["Đức Anh"], photos=["Đức Anh"])),
    ("Bài - ảnh: Đức Anh", B(["Đức Anh"], photos=["Đức Anh"])),
    ("Tin và ảnh: B.NG", B(["B.NG"], photos=["B.NG"])),
    ("Tin: Minh Trí", B(["Minh Trí"])),
    ("Bài: Thanh Dung", B(["Thanh Dung"])),
    ("Bài: Minh Trí - Ảnh: THANH DUNG", B(["Minh Trí"], photos=["Thanh Dung"])),
    ("Bài: Minh Trí; ảnh: Thanh Dung", B(["Minh Trí"], photos=["Thanh Dung"])),
    ("Bài: Minh Trí. Ảnh: Thanh Dung", B(["Minh Trí"], photos=["Thanh Dung"])),
    ("Ng. Hùng", B(["Ng. Hùng"])),
    (nfd("Bài và ảnh: ĐỨC ANH"), B(["Đức Anh"], photos=["Đức Anh"])),
    # two writers
    ("Minh Trí - Thanh Dung", B(["Minh Trí", "Thanh Dung"])),
    ("Minh Trí – Thanh Dung", B(["Minh Trí", "Thanh Dung"])),
    ("Minh Trí, Thanh Dung", B(["Minh Trí", "Thanh Dung"])),
    ("Minh Trí và Thanh Dung", B(["Minh Trí", "Thanh Dung"])),
    ("Tin: Minh Trí - B.NG", B(["Minh Trí", "B.NG"])),
    ("MINH TRÍ - THANH DUNG", B(["Minh Trí", "Thanh Dung"])),
    # all caps
    ("THANH DUNG", B(["Thanh Dung"])),
    ("ĐỨC ANH", B(["Đức Anh"])),
    ("NGUYỄN VĂN ƯỚC", B(["Nguyễn Văn Ước"])),
    ("HUỲNH NGỌC PHƯỢNG", B(["Huỳnh Ngọc Phượng"])),
    (nfd("ĐỨC ANH"), B(["Đức Anh"])),
    # initials
    ("B.NG", B(["B.NG"])),
    ("T.H", B(["T.H"])),
    ("N.T.H", B(["N.T.H"])),
    ("Tin: T.H.", B(["T.H"])),
    # roles
    ("PV", B(roles=["PV"])),
    ("NHÓM PV", B(roles=["Nhóm PV"])),
    ("Nhóm PV", B(roles=["Nhóm PV"])),
    ("Nhóm phóng viên", B(roles=["Nhóm PV"])),
    ("Tin, ảnh: PV", B(roles=["PV"])),
    ("Minh Trí - PV", B(["Minh Trí"], roles=["PV"])),
    # sources
    ("Theo Báo Người Lao Động", B(source="Báo Người Lao Động")),
    ("Theo TTXVN", B(source="TTXVN")),
    ("(Theo TTXVN)", B(source="TTXVN")),
    ("Nguồn: Báo Sài Gòn Giải Phóng", B(source="Báo Sài Gòn Giải Phóng")),
    ("Nguồn:\u00a0Cổng thông tin điện tử Chính phủ", B(source="Cổng thông tin điện tử Chính phủ")),
    ("Theo VnExpress.net", B(source="VnExpress.net")),
    ("TTXVN", B(source="TTXVN")),
    ("Minh Trí (Theo TTXVN)", B(["Minh Trí"], source="TTXVN")),
    # a bare photo credit as the last line
    ("Ảnh: Minh Trí", B(photos=["Minh Trí"])),
]


@pytest.mark.parametrize(("paragraph", "expected"), BYLINE_CASES)
def test_parse_byline(paragraph, expected):
    assert parse_byline(paragraph) == expected


NOT_BYLINES = [
    "Theo kế hoạch, năm 2024 Ban Quản lý sẽ tổ chức nhiều hoạt động cho công nhân.",
    "Theo kế hoạch",
    "Theo đó, công tác quản lý nhà nước được quan tâm lãnh đạo.",
    "Theo Ban Quản lý, trong năm 2024 sẽ có thêm 3 khu công nghiệp đi vào hoạt động.",
    "Theo Quyết định số 12/QĐ-BQL",
    "Theo Báo Người Lao Động, số công nhân tăng 5% so với cùng kỳ.",
    "Nguồn: Ban Quản lý. Số liệu tính đến tháng 3 năm 2024 cho thấy vốn tăng.",
    "Bài viết liên quan",
    "Tin liên quan",
    "Xem thêm",
    "Ảnh minh họa",
    "Hội nghị",
    "KẾT LUẬN",
    "Công Đoàn Các KCX",
    "Tổng vốn đầu tư đạt 74,28 triệu USD.",
    "Minh Trí phát biểu tại hội nghị.",
    "Đồng chí Võ Cao Sơn, Phó Bí thư Thường trực Đảng ủy Ban Quản lý, chủ trì hội nghị",
    "Minh Trí 2024",
    "Minh Trí. Thanh Dung",
    "Thanh Dung! Hội nghị",
    "Ban Quản Lý Các Khu Chế Xuất Và Công Nghiệp Thành Phố Hồ Chí Minh",
    "",
    "   \u00a0",
    "Tin:",
]


@pytest.mark.parametrize("paragraph", NOT_BYLINES)
def test_not_a_byline(paragraph):
    assert parse_byline(paragraph) is None


# Blocks a theme prints apart from the text (above it, beside the date line): a signature of its own,
# writers, a role or a source alone (an article reprinted from another outlet), or not one.
BYLINE_BLOCKS = [
    ("Minh Thư", True),
    ("Tin, ảnh: Thanh Dung", True),
    ("Nhóm PV", True),
    ("Nguồn: Ban Quản lý", True),
    ("Theo Báo Người Lao Động", True),
    ("Nguồn: Cổng thông tin điện tử Thành phố", True),
    ("Ảnh: Minh Trí", False),  # a photo credit only: no signature
    ("10:43 | 17/07/2023", False),
    ("Tin liên quan", False),
    ("Theo kế hoạch", False),
    ("Theo Ban Quản lý, trong năm 2024 sẽ có thêm 3 khu công nghiệp đi vào hoạt động.", False),
    ("Nguồn: Ban Quản lý các khu chế xuất và công nghiệp Thành phố Hồ Chí Minh", False),  # too long
]


@pytest.mark.parametrize(("text", "expected"), BYLINE_BLOCKS)
def test_a_byline_block_printed_apart(text, expected):
    assert is_byline_block(text) is expected


# A place on a line of its own reads as a bare name; at the top of a body it is a dateline.
PLACES = [
    ("Hà Nội", True),
    ("HÀ NỘI", True),
    ("TP.HCM", True),
    ("TP. Hồ Chí Minh", True),
    ("Đà Nẵng:", True),
    ("Huệ", False),  # a given name that folds like Huế
    ("Tỉnh Long An", True),
    ("Quận 7", True),
    ("Bảo Châu", False),
    ("BẢO CHÂU", False),
    ("Minh Thư - Đức Anh", False),
    ("Theo Báo Đà Nẵng", False),  # a source that names a place is a source
]


@pytest.mark.parametrize(("text", "expected"), PLACES)
def test_a_place_is_told_from_a_writer(text, expected):
    assert names_a_place(text) is expected


@pytest.mark.parametrize("text", ["BẢO CHÂU", "Bảo Châu"])
def test_a_bare_name_in_either_case_is_a_byline_block(text):
    assert is_byline_block(text)
    byline = parse_byline(text)
    assert byline is not None and byline.authors == ("Bảo Châu",)


BODY = [
    "Ngày 07/4, Đảng ủy Ban Quản lý tổ chức hội nghị.",
    "Phát biểu chỉ đạo hội nghị, đồng chí Võ Cao Sơn.",
]

SPLIT_CASES = [
    (BODY + ["Minh Trí"], BODY, "Minh Trí", B(["Minh Trí"])),
    (BODY + ["Minh Trí", ""], BODY, "Minh Trí", B(["Minh Trí"])),
    (BODY + ["Minh Trí", "Theo TTXVN"], BODY, "Minh Trí\nTheo TTXVN", B(["Minh Trí"], source="TTXVN")),
    (
        BODY + ["Theo Báo Người Lao Động", "Minh Trí"],
        BODY,
        "Theo Báo Người Lao Động\nMinh Trí",
        B(["Minh Trí"], source="Báo Người Lao Động"),
    ),
    (BODY + ["Tin, ảnh: THANH DUNG"], BODY, "Tin, ảnh: THANH DUNG", B(["Thanh Dung"], photos=["Thanh Dung"])),
    (BODY + ["NHÓM PV"], BODY, "NHÓM PV", B(roles=["Nhóm PV"])),
    (BODY + [nfd("Theo TTXVN")], BODY, "Theo TTXVN", B(source="TTXVN")),
    (BODY + ["Minh Trí\u00a0"], BODY, "Minh Trí", B(["Minh Trí"])),
    # not bylines: nothing removed
    (BODY, BODY, None, None),
    (
        BODY + ["Theo kế hoạch, năm 2024 Ban Quản lý sẽ tổ chức hội nghị."],
        BODY + ["Theo kế hoạch, năm 2024 Ban Quản lý sẽ tổ chức hội nghị."],
        None,
        None,
    ),
    ([], [], None, None),
    # two writers' lines in a row: only the last is the byline
    (BODY + ["Thanh Dung", "Minh Trí"], BODY + ["Thanh Dung"], "Minh Trí", B(["Minh Trí"])),
    # two sources in a row: only the last
    (
        BODY + ["Theo TTXVN", "Nguồn: Báo Sài Gòn Giải Phóng"],
        BODY + ["Theo TTXVN"],
        "Nguồn: Báo Sài Gòn Giải Phóng",
        B(source="Báo Sài Gòn Giải Phóng"),
    ),
    # only a byline
    (["Minh Trí"], [], "Minh Trí", B(["Minh Trí"])),
]


@pytest.mark.parametrize(("paragraphs", "body", "raw", "byline"), SPLIT_CASES)
def test_split_byline(paragraphs, body, raw, byline):
    assert split_byline(paragraphs) == (body, raw, byline)


@pytest.mark.parametrize(
    ("caption", "expected"),
    [
        ("(Ảnh: Minh Trí)", "Minh Trí"),
        ("Ảnh: THANH DUNG", "Thanh Dung"),
        ("Lãnh đạo Ban Quản lý thăm doanh nghiệp. Ảnh: Minh Trí", "Minh Trí"),
        ("Toàn cảnh hội nghị (Ảnh: MINH TRÍ - THANH DUNG)", "Minh Trí - Thanh Dung"),
        ("Toàn cảnh hội nghị.\u00a0(Ảnh:\u00a0Minh Trí).", "Minh Trí"),
        (nfd("Toàn cảnh hội nghị (Ảnh: ĐỨC ANH)"), "Đức Anh"),
        ("Ảnh: Internet", "Internet"),
        ("(Ảnh: TL)", "TL"),
        ("Ảnh: TTXVN", "TTXVN"),
        ("ẢNH: B.NG", "B.NG"),
        ("Ảnh minh họa", None),
        ("Toàn cảnh hội nghị", None),
        ("", None),
    ],
)
def test_photo_credit(caption, expected):
    assert photo_credit(caption) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("THANH DUNG", "Thanh Dung"),
        ("ĐỨC", "Đức"),
        ("ĐỨC ANH", "Đức Anh"),
        ("ƯNG HOÀNG PHÚC", "Ưng Hoàng Phúc"),
        ("ƠN", "Ơn"),
        ("NGUYỄN THỊ HUỲNH NGA", "Nguyễn Thị Huỳnh Nga"),
        ("KHƯƠNG QUYẾT THẮNG", "Khương Quyết Thắng"),
        (nfd("ĐỖ THỊ ƯỚC"), "Đỗ Thị Ước"),
        ("B.NG", "B.NG"),
        ("NGUYỄN B.NG", "Nguyễn B.NG"),
        ("TTXVN", "TTXVN"),
        ("Minh Trí", "Minh Trí"),
        ("minh trí", "minh trí"),  # mixed or lower case: as written
        ("Nguyễn thị Hoa", "Nguyễn thị Hoa"),
        ("  Minh\u00a0 Trí ", "Minh Trí"),
    ],
)
def test_normalize_name(name, expected):
    assert normalize_name(name) == expected
