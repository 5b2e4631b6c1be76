"""Table tests for pipelines.docrefs: document citations, issuers and issuing dates."""

import unicodedata

import pytest

from pipelines.docrefs import DocumentRef, find_document_refs, issuer_of


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


# (text, [(kind, number, issuer, issued_on)])
REF_CASES = [
    (
        "tiếp tục thực hiện Kết luận số 01-KL/TW ngày 18/5/2021 của Bộ Chính trị",
        [("Kết luận", "01-KL/TW", "TW", "2021-05-18")],
    ),
    ("Chỉ thị số 05-CT/TW ngày 15/5/2016 về đẩy mạnh học tập", [("Chỉ thị", "05-CT/TW", "TW", "2016-05-15")]),
    (
        "duy trì việc thực hiện Quy định 1374-QĐ/TU, ngày 01/12/2017 của Ban Thường vụ Thành ủy",
        [("Quy định", "1374-QĐ/TU", "TU", "2017-12-01")],
    ),
    ("Chỉ thị số 07/CT-TTg ngày 2/3/2012 của Thủ tướng", [("Chỉ thị", "07/CT-TTg", "TTg", "2012-03-02")]),
    (
        "theo văn bản số 2479/BKHĐT-QLKKT ngày 11/4/2012",
        [("Văn bản", "2479/BKHĐT-QLKKT", "BKHĐT", "2012-04-11")],
    ),
    (
        "Nghị định số 35/2022/NĐ-CP ngày 28/5/2022 của Chính phủ",
        [("Nghị định", "35/2022/NĐ-CP", "CP", "2022-05-28")],
    ),
    (
        "Thông báo số 1443/BQL-KCN-HCM ngày 04/7/2012 của Ban Quản lý",
        [("Thông báo", "1443/BQL-KCN-HCM", "BQL-KCN-HCM", "2012-07-04")],
    ),
    ("quán triệt Nghị quyết 57-NQ/TW.", [("Nghị quyết", "57-NQ/TW", "TW", None)]),
    ("Quyết định số 2100/QĐ-UBND ngày 19-6-2020", [("Quyết định", "2100/QĐ-UBND", "UBND", "2020-06-19")]),
    ("Thông tư 01/2021/TT-BKHĐT", [("Thông tư", "01/2021/TT-BKHĐT", "BKHĐT", None)]),
    ("Luật số 61/2020/QH14", [("Luật", "61/2020/QH14", "QH14", None)]),
    ("Kế hoạch số 15/KH-BQL ngày 19 tháng 02 năm 2014", [("Kế hoạch", "15/KH-BQL", "BQL", "2014-02-19")]),
    ("KẾ HOẠCH SỐ 15/KH-BQL NGÀY 19/02/2014", [("Kế hoạch", "15/KH-BQL", "BQL", "2014-02-19")]),
    (nfd("Hướng dẫn số 12-HD/BTGTU ngày 3/3/2021"), [("Hướng dẫn", "12-HD/BTGTU", "BTGTU", "2021-03-03")]),
    ("Công văn số 123 ngày 5/6/2020", [("Công văn", "123", None, "2020-06-05")]),
    ("Tờ trình số 45/TTr-BQL\u00a0ngày\u00a01/7/2023", [("Tờ trình", "45/TTr-BQL", "BQL", "2023-07-01")]),
    (
        "Thông tư liên tịch số 03/2014/TTLT-BKHĐT-BNV",
        [("Thông tư liên tịch", "03/2014/TTLT-BKHĐT-BNV", "BKHĐT-BNV", None)],
    ),
    (
        "Quyết định số 12/QĐ-BQL ngày 31/02/2020",
        [("Quyết định", "12/QĐ-BQL", "BQL", None)],
    ),  # impossible date
    # two in one sentence, and a repeat (listed once, with the date it was given)
    (
        "thực hiện Kết luận số 01-KL/TW ngày 18/5/2021 về tiếp tục thực hiện Chỉ thị số 05-CT/TW ngày 15/5/2016; "
        "Kết luận 01-KL/TW là cơ sở",
        [("Kết luận", "01-KL/TW", "TW", "2021-05-18"), ("Chỉ thị", "05-CT/TW", "TW", "2016-05-15")],
    ),
    (
        "Nghị quyết 57-NQ/TW đã nêu. Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị",
        [("Nghị quyết", "57-NQ/TW", "TW", "2024-12-22")],
    ),
    # letters that (?i:…) matches beyond plain upper and lower case: dotless ı, İ, long ſ, the Kelvin sign
    ("Công đıện số 12/CĐ-TTg", [("Công đıện", "12/CĐ-TTg", "TTg", None)]),
    ("CÔNG ĐİỆN SỐ 12/CĐ-TTg", [("Công điện", "12/CĐ-TTg", "TTg", None)]),
    ("Chỉ thị ſố 5/CT-TTg", [("Chỉ thị", "5/CT-TTg", "TTg", None)]),
    ("\u212aế hoạch 12/KH-BQL", [("Kế hoạch", "12/KH-BQL", "BQL", None)]),
    # prose, not citations
    ("số lượng doanh nghiệp tăng, trụ sở tại số 3 đường Lê Lợi", []),
    ("Kế hoạch 5-năm của doanh nghiệp", []),
    ("văn bản số 3 gửi các doanh nghiệp", []),
    ("Luật Đất đai năm 2024 có hiệu lực", []),
    ("các Nghị quyết, Chỉ thị đến mọi tầng lớp", []),
    ("", []),
]


@pytest.mark.parametrize(("text", "expected"), REF_CASES)
def test_find_document_refs(text, expected):
    refs = find_document_refs(text)
    assert [(r.kind, r.number, r.issuer, r.issued_on) for r in refs] == expected
    assert all(isinstance(r, DocumentRef) and r.raw for r in refs)


def test_raw_is_the_citation_as_written():
    [ref] = find_document_refs("duy trì Quy định 1374-QĐ/TU, ngày 01/12/2017 của Ban Thường vụ")
    assert ref.raw == "Quy định 1374-QĐ/TU, ngày 01/12/2017"


@pytest.mark.parametrize(
    ("number", "issuer"),
    [
        ("01-KL/TW", "TW"),
        ("07/CT-TTg", "TTg"),
        ("35/2022/NĐ-CP", "CP"),
        ("2479/BKHĐT-QLKKT", "BKHĐT"),
        ("1443/BQL-KCN-HCM", "BQL-KCN-HCM"),
        ("123", None),
    ],
)
def test_issuer_of(number, issuer):
    assert issuer_of(number) == issuer
