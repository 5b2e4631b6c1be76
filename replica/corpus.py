"""The hand-written corpus: the seed article and original articles covering every known oddity.

Each entry is structured (blocks, byline, event date), so the gold record follows from the data; the
tricky cases are also checked by hand in tests/replica/test_corpus.py.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime, timedelta

from .model import MIGRATION_DAYS, SITE_TZ, Article, Block
from .portal import stable_uuid

TT, DANG, TB, DT = "tin-tuc-su-kien", "hoat-dong-dang-doan-the", "thong-bao", "dau-tu"
FIRST_ID = 1_201_315


def P(html: str) -> Block:  # noqa: N802 (short builders read like markup)
    return Block("p", f"<p>{html}</p>")


def RAW(html: str) -> Block:  # noqa: N802
    return Block("p", html)


def _doc(name: str, key: str) -> str:
    return f"/documents/20126/{1300000 + len(key) * 97}/{name}/{stable_uuid('doc:' + key)}?t={1_600_000_000_000 + len(key) * 7919}"


def FIG(name: str, caption: str) -> Block:  # noqa: N802
    return Block(
        "img",
        f'<figure class="image"><img alt="" src="{_doc(name, name)}" /><figcaption>{caption}</figcaption></figure>',
    )


def OLDIMG(name: str, caption: str) -> Block:  # noqa: N802
    src = _doc(name, name)
    return Block(
        "img",
        f'<p style="text-align:center"><img alt="" src="{src}" style="width: 600px; height: 400px;" /></p>\n'
        f'<p style="text-align:center"><em>{caption}</em></p>',
    )


def ATT(label: str, *files: tuple[str, str]) -> Block:  # noqa: N802
    links = ", ".join(f'<a href="{_doc(fname, fname)}">{text}</a>' for fname, text in files)
    return Block("attach", f"<p>{label} {links}</p>")


def BY(raw: str) -> str:  # noqa: N802 (the usual right-aligned bold byline)
    return f'<p style="text-align:right"><strong>{raw}</strong></p>'


def BYP(raw: str) -> str:  # noqa: N802
    return f"<p>{raw}</p>"


def _when(line: str) -> datetime:
    return datetime.strptime(line, "%H:%M %d/%m/%Y").replace(tzinfo=SITE_TZ)


# (category, date line, title, blocks, byline html or None, event, options). The event is the date the article
# reports (docs/record-conventions.md, "Event date"): an ISO day, or (first day, "month" | "quarter" |
# "year") for a coarser period, or None.
_SEED_BODY = [
    P(
        "Ngày 07/4, Đảng ủy Ban Quản lý các Khu Chế xuất và Công nghiệp TPHCM (Đảng ủy Ban Quản lý) tổ chức hội nghị sơ kết công tác xây dựng Đảng quý I và triển khai phương hướng, nhiệm vụ trọng tâm quý II/2022. Tham dự hội nghị có đồng chí Vương Kiến Quốc, Phó Phòng Tuyên truyền, nghiên cứu dư luận xã hội, Ban Tuyên giáo Thành ủy TPHCM; đồng chí Võ Cao Sơn, Phó Bí thư Thường trực Đảng ủy Ban Quản lý; đồng chí Phạm Thanh Trực, Phó Bí thư Đảng ủy, Phó Trưởng Ban Quản lý."
    ),
    P(
        "Trong quý I/2022, với phương châm “Thích ứng an toàn, linh hoạt, kiểm soát hiệu quả dịch Covid-19” Đảng ủy Ban Quản lý đã tập trung lãnh đạo, chỉ đạo thực hiện tốt các chương trình, kế hoạch đề ra. Theo đó, công tác quản lý nhà nước và sản xuất kinh doanh được quan tâm lãnh đạo, chỉ đạo theo phương châm “Thích ứng an toàn, linh hoạt, kiểm soát có hiệu quả dịch Covid-19”. Tính đến 31/3/2022, tổng vốn đầu tư thu hút kể cả cấp mới và điều chỉnh đạt 74,28 triệu USD (14,86%) kế hoạch; diện tích đất cho thuê đạt 14,3 ha, diện tích nhà xưởng cho thuê đạt 8.881 m2. Tiếp tục triển khai ký kết kế hoạch phối hợp về việc đảm bảo các biện pháp phòng, chống dịch Covid-19 và từng bước phục hồi, phát triển kinh tế - xã hội tại các Khu Chế xuất (KCX), Khu Công nghiệp (KCN) với Ủy ban nhân dân các quận, huyện nơi có KCX, KCN. Công tác giữ gìn an ninh trật tự, phòng cháy chữa cháy tại các KCX, KCN được duy trì ổn định, hầu hết các doanh nghiệp hoạt động bình thường, tỷ lệ người lao động quay trở lại làm việc sau Tết đạt 96%."
    ),
    P(
        "Lãnh đạo, chỉ đạo thực hiện có hiệu quả công tác xây dựng Đảng và các đoàn thể chính trị - xã hội, thực hiện tốt công tác tuyên truyền các chủ trương, đường lối của Đảng, chính sách, pháp luật của Nhà nước, các Nghị quyết, Chỉ thị đến mọi tầng lớp cán bộ, đảng viên, công nhân, người lao động; tiếp tục thực hiện Kết luận số 01-KL/TW ngày 18/5/2021 của Bộ Chính trị về tiếp tục thực hiện Chỉ thị số 05-CT/TW ngày 15/5/2016 về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh; kịp thời nắm bắt tư tưởng dư luận xã hội. Công tác kiểm tra, giám sát được thực hiện thường xuyên; duy trì việc thực hiện Quy định 1374-QĐ/TU, ngày 01/12/2017 của Ban Thường vụ Thành ủy về quy trình giải quyết thông tin phản ánh liên quan các tập thể, cá nhân suy thoái về tư tưởng chính trị, đạo đức, lối sống, vi phạm quy định của Đảng, pháp luật nhà nước."
    ),
    P(
        "Công tác chăm lo Tết Nguyên đán Nhâm Dần năm 2022 cho công nhân, người lao động được chú trọng quan tâm, tạo động lực và gắn kết công nhân, người lao động trở lại làm việc tại các doanh nghiệp sau tết đạt tỷ lệ cao. Công đoàn và Đoàn Thanh niên duy trì thực hiện tốt công tác phối hợp, các hoạt động đi vào chiều sâu; chủ động tổ chức các phong trào thu hút ngày càng nhiều lực lượng <span>đoàn</span><span>viên</span>, thanh niên công nhân và người lao động tham gia."
    ),
    P(
        "Phát biểu chỉ đạo kết luận hội nghị, đồng chí Võ Cao Sơn, Phó Bí thư Thường trực Đảng ủy Ban Quản lý, chủ trì hội nghị đã đánh giá cao những kết quả Đảng bộ đã đạt được trong quý I, đồng thời đồng chí cũng nêu lên một số nội dung Đảng bộ cần quan tâm và thực hiện trong thời gian tới đó là tập trung công tác xây dựng Đảng và kiện toàn hệ thống bộ máy các cấp, tổ chức các hoạt động Tháng Công nhân năm 2022, nâng cao hơn nữa chất lượng công tác nắm bắt dư luận xã hội, lãnh đạo thực hiện tốt kế hoạch tổ chức các hoạt động chào mừng kỷ niệm 30 năm xây dựng và phát triển các KCX, KCN TPHCM."
    ),
]

SEED_TITLE = "Hội nghị sơ kết công tác xây dựng Đảng quý I và triển khai phương hướng, nhiệm vụ quý II/2022"

LONG_TITLE = (
    "Hội nghị triển khai kế hoạch phối hợp giữa Ban Quản lý các Khu chế xuất và công nghiệp Thành phố "
    "Hồ Chí Minh với Ủy ban nhân dân các quận, huyện về công tác bảo đảm an ninh trật tự, phòng cháy chữa "
    "cháy và bảo vệ môi trường tại các khu chế xuất, khu công nghiệp trên địa bàn"
)

DUP_TITLE = "Tổng kết công tác Công đoàn và phong trào công nhân, viên chức, lao động"

ENTRIES: list[tuple] = [
    (DANG, "10:56 08/03/2023", SEED_TITLE, _SEED_BODY, BY("Minh Trí"), "2022-04-07", {}),
    (
        TB,
        "06:10 10/05/2023",
        "Thông báo số 1443/BQL-KCN-HCM ngày 04/7/2012 của Ban Quản lý về việc triển khai thực hiện Chỉ thị số 07/CT-TTg của Thủ tướng Chính phủ",
        [
            P(
                "Ngày 04/7/2012, Ban Quản lý các Khu chế xuất và công nghiệp Thành phố ban hành Thông báo số 1443/BQL-KCN-HCM về việc triển khai thực hiện Chỉ thị số 07/CT-TTg ngày 2/3/2012 của Thủ tướng Chính phủ về chấn chỉnh công tác quản lý và nâng cao hiệu quả hoạt động của các khu kinh tế, khu công nghiệp, cụm công nghiệp."
            ),
            P(
                "Thực hiện văn bản số 2479/BKHĐT-QLKKT ngày 11/4/2012 của Bộ Kế hoạch và Đầu tư, Ban Quản lý đề nghị các công ty phát triển hạ tầng rà soát quy hoạch, tiến độ đầu tư xây dựng hạ tầng kỹ thuật và báo cáo tình hình cho thuê đất."
            ),
            P(
                "Các doanh nghiệp gửi báo cáo về Phòng Quản lý đầu tư trước ngày 31/7/2012 để Ban Quản lý tổng hợp, báo cáo Ủy ban nhân dân Thành phố."
            ),
            ATT("Tải về:", ("TB-1443-BQL-KCN-HCM.pdf", "Thông báo 1443")),
        ],
        None,
        "2012-07-04",
        {},
    ),
    (
        TB,
        "06:12 10/05/2023",
        "Thông báo tổ chức Hội nghị tổng kết công tác năm 2013 và triển khai nhiệm vụ năm 2014",
        [
            P(
                "Ban Quản lý các Khu chế xuất và công nghiệp Thành phố tổ chức Hội nghị tổng kết công tác năm 2013 và triển khai nhiệm vụ năm 2014."
            ),
            P(
                "Thời gian: 08 giờ 00, Thứ Tư, ngày 19 tháng 02 năm 2014.<br>Địa điểm: Hội trường Ban Quản lý, 35 Nguyễn Bỉnh Khiêm, Quận 1."
            ),
            P(
                "Thành phần tham dự gồm đại diện lãnh đạo các sở, ngành, Ủy ban nhân dân các quận, huyện có KCX, KCN, các công ty phát triển hạ tầng và doanh nghiệp tiêu biểu."
            ),
            P(
                "Đề nghị các đơn vị cử đại diện tham dự đúng thành phần và xác nhận danh sách về Văn phòng Ban Quản lý trước ngày 17/02/2014."
            ),
        ],
        None,
        "2014-02-19",
        {},
    ),
    (
        TT,
        "08:30 04/02/2026",
        "Lãnh đạo Thành phố thăm, chúc Tết công nhân các khu chế xuất, khu công nghiệp Xuân Bính Ngọ 2026",
        [
            P(
                "Sáng 4/2, đoàn lãnh đạo Thành phố đã đến thăm, chúc Tết và tặng quà công nhân, người lao động đang làm việc tại KCX Tân Thuận và KCN Hiệp Phước."
            ),
            FIG(
                "chuc-tet-2026.jpg",
                "Lãnh đạo Thành phố tặng quà Tết cho công nhân KCX Tân Thuận (Ảnh: Ngọc Hân)",
            ),
            P(
                "Tại các doanh nghiệp, đoàn ghi nhận nỗ lực của người lao động trong năm 2025, khi các KCX, KCN vừa hoàn thành việc sắp xếp bộ máy sau khi hợp nhất với Bình Dương và Bà Rịa – Vũng Tàu."
            ),
            P(
                "Dịp này, Công đoàn các KCX-KCN trao 2.026 phần quà cho công nhân có hoàn cảnh khó khăn không có điều kiện về quê đón Tết."
            ),
        ],
        BY("Tin, ảnh: Ngọc Hân"),
        "2026-02-04",
        {},
    ),
    (
        DT,
        "14:05 28/01/2026",
        "Kết quả thu hút đầu tư vào các khu chế xuất, khu công nghiệp năm 2025",
        [
            P(
                "Năm 2025, các KCX, KCN Thành phố thu hút vốn đầu tư kể cả cấp mới và điều chỉnh đạt 1.284,5 triệu USD, tăng 18,2% so với cùng kỳ."
            ),
            RAW(
                '<table class="table"><tbody><tr><td>Chỉ tiêu</td><td>Kết quả</td><td>So với kế hoạch</td></tr><tr><td>Vốn đầu tư nước ngoài</td><td>842,3 triệu USD</td><td>112%</td></tr><tr><td>Vốn đầu tư trong nước</td><td>9.861 tỷ đồng</td><td>104%</td></tr><tr><td>Diện tích đất cho thuê</td><td>126,4 ha</td><td>98%</td></tr></tbody></table>'
            ),
            P(
                "Các dự án mới tập trung vào lĩnh vực bán dẫn, thiết bị điện tử, dược phẩm và logistics, phù hợp định hướng thu hút đầu tư có chọn lọc."
            ),
            P(
                "Năm 2026, Ban Quản lý đặt mục tiêu thu hút 1,5 tỷ USD, ưu tiên dự án công nghệ cao, tiết kiệm đất và thân thiện môi trường."
            ),
        ],
        BY("Phương Thảo"),
        ("2025-01-01", "year"),
        {},
    ),
    (
        TT,
        "16:20 15/01/2026",
        "Diễn tập phương án chữa cháy và cứu nạn, cứu hộ tại KCN Hiệp Phước",
        [
            P(
                "Chiều 15/1, Ban Quản lý phối hợp Công an Thành phố tổ chức diễn tập phương án chữa cháy và cứu nạn, cứu hộ tại Công ty TNHH Bao bì Minh Khang, KCN Hiệp Phước."
            ),
            P(
                "Tình huống giả định đám cháy phát sinh từ khu vực kho giấy cuộn lúc 14 giờ, khi có 320 công nhân đang làm việc trong xưởng."
            ),
            P(
                "Lực lượng tại chỗ đã báo động, ngắt điện, hướng dẫn công nhân thoát nạn theo lối thoát hiểm và dùng bình chữa cháy, lăng vòi để khống chế đám cháy ban đầu."
            ),
            FIG(
                "dien-tap-pccc-hiep-phuoc.jpg",
                "Lực lượng chữa cháy chuyên nghiệp tiếp cận hiện trường. Ảnh: Thanh Tùng",
            ),
            P(
                "Buổi diễn tập giúp doanh nghiệp kiểm tra phương án, nâng cao kỹ năng xử lý sự cố của đội phòng cháy chữa cháy cơ sở."
            ),
        ],
        BY("Bài và ảnh: Thanh Tùng"),
        "2026-01-15",
        {},
    ),
    (
        DANG,
        "09:15 06/01/2026",
        "Đảng bộ Ban Quản lý tổng kết công tác xây dựng Đảng năm 2025",
        [
            P(
                "Ngày 6/1, Đảng bộ Ban Quản lý tổ chức hội nghị tổng kết công tác xây dựng Đảng năm 2025 và triển khai nhiệm vụ năm 2026."
            ),
            P(
                "Năm qua, Đảng bộ đã kết nạp 126 đảng viên mới, trong đó 84 đảng viên là công nhân trực tiếp sản xuất."
            ),
            P("Hội nghị thống nhất năm nhiệm vụ trọng tâm:"),
            RAW(
                "<ol><li>Tiếp tục sắp xếp, kiện toàn tổ chức cơ sở đảng sau hợp nhất.</li><li>Nâng cao chất lượng sinh hoạt chi bộ.</li><li>Phát triển đảng viên trong doanh nghiệp ngoài nhà nước.</li><li>Đẩy mạnh chuyển đổi số trong công tác đảng.</li><li>Thực hiện tốt công tác kiểm tra, giám sát.</li></ol>"
            ),
            P(
                "Đồng chí Bí thư Đảng ủy đề nghị các chi bộ, đảng bộ cơ sở cụ thể hóa nhiệm vụ bằng chương trình hành động của đơn vị."
            ),
        ],
        BY("B.NG"),
        "2026-01-06",
        {},
    ),
    (
        TB,
        "10:00 30/12/2025",
        "Thông báo lịch nghỉ Tết Nguyên đán Bính Ngọ năm 2026",
        [
            P(
                "Căn cứ thông báo của Ủy ban nhân dân Thành phố, Ban Quản lý thông báo lịch nghỉ Tết Nguyên đán Bính Ngọ năm 2026 đối với cán bộ, công chức, viên chức như sau."
            ),
            RAW(
                "<ul><li>Thời gian nghỉ: từ thứ Bảy, ngày 14/02/2026 đến hết Chủ nhật, ngày 22/02/2026.</li><li>Bộ phận tiếp nhận hồ sơ trực tuyến vẫn hoạt động trong thời gian nghỉ.</li></ul>"
            ),
            P(
                "Đề nghị các doanh nghiệp chủ động sắp xếp lịch nghỉ Tết cho người lao động theo quy định của Bộ luật Lao động và thông báo cho Ban Quản lý trước ngày 20/01/2026."
            ),
        ],
        None,
        "2026-02-14",
        {},
    ),
    (
        DT,
        "15:40 18/12/2025",
        "Trao Giấy chứng nhận đăng ký đầu tư cho dự án sản xuất linh kiện bán dẫn tại KCX Linh Trung I",
        [
            P(
                "Chiều 18/12, Ban Quản lý trao Giấy chứng nhận đăng ký đầu tư cho dự án sản xuất linh kiện bán dẫn của Công ty TNHH Linh kiện Nhật Quang tại KCX Linh Trung I."
            ),
            P(
                "Dự án có tổng vốn đầu tư 65 triệu USD, công suất 120 triệu sản phẩm mỗi năm, dự kiến tạo việc làm cho khoảng 900 lao động."
            ),
            P(
                "Đây là một trong những dự án được cấp phép trong thời gian ngắn nhờ cơ chế một cửa liên thông tại Ban Quản lý."
            ),
        ],
        BY("Hoàng Long - Minh Thư"),
        "2025-12-18",
        {},
    ),
    (
        TT,
        "08:45 05/12/2025",
        "Đoàn công tác tỉnh Kanagawa (Nhật Bản) làm việc với Ban Quản lý",
        [
            P("Sáng 5/12, đoàn công tác tỉnh Kanagawa (Nhật Bản) đã đến thăm và làm việc với Ban Quản lý."),
            P(
                "Hai bên trao đổi về xu hướng dịch chuyển đầu tư của doanh nghiệp vừa và nhỏ Nhật Bản, nhu cầu nhà xưởng xây sẵn và nguồn nhân lực kỹ thuật."
            ),
            OLDIMG("doan-kanagawa.jpg", "Quang cảnh buổi làm việc (Ảnh: Kim Ngân)"),
            P(
                "Ban Quản lý cam kết hỗ trợ nhà đầu tư Nhật Bản tìm hiểu địa điểm, thủ tục đầu tư tại các KCX, KCN."
            ),
        ],
        BY("Kim Ngân"),
        "2025-12-05",
        {},
    ),
    (
        DANG,
        "19:30 21/11/2025",
        DUP_TITLE,
        [
            P(
                "Ngày 21/11/2025, Công đoàn các KCX-KCN tổng kết công tác Công đoàn và phong trào công nhân, viên chức, lao động năm 2025."
            ),
            P(
                "Trong năm, Công đoàn đã phát triển thêm 12.480 đoàn viên, thành lập mới 38 công đoàn cơ sở tại các doanh nghiệp."
            ),
            P("Hội nghị khen thưởng 45 tập thể và 120 cá nhân có thành tích xuất sắc."),
        ],
        BY("THANH DUNG"),
        "2025-11-21",
        {},
    ),
    (
        TT,
        "10:10 12/11/2025",
        "Khai giảng lớp đào tạo kỹ năng quản lý sản xuất cho tổ trưởng, chuyền trưởng",
        [
            P(
                "Ngày 12/11, Trung tâm Đào tạo và Hỗ trợ doanh nghiệp khai giảng lớp đào tạo kỹ năng quản lý sản xuất cho 60 tổ trưởng, chuyền trưởng."
            ),
            P(
                "Chương trình gồm các chuyên đề: giao tiếp và giải quyết xung đột tại nơi làm việc, quản lý năng suất, chất lượng và an toàn lao động."
            ),
            P("Học viên hoàn thành khóa học được cấp chứng chỉ của Trung tâm."),
        ],
        BY("PV"),
        "2025-11-12",
        {},
    ),
    (
        DT,
        "11:25 30/10/2025",
        "Hội thảo xúc tiến đầu tư vào ngành công nghiệp bán dẫn tại các khu công nghiệp",
        [
            P(
                "Ngày 30/10, Ban Quản lý phối hợp Hiệp hội Doanh nghiệp điện tử tổ chức hội thảo xúc tiến đầu tư vào ngành công nghiệp bán dẫn."
            ),
            P(
                "Hội thảo thu hút hơn 200 đại biểu là nhà đầu tư, chuyên gia và đại diện các trường đại học kỹ thuật."
            ),
            P(
                "Các ý kiến cho rằng Thành phố cần quỹ đất sạch, nguồn điện ổn định và nhân lực kỹ thuật cao để đón dòng vốn bán dẫn."
            ),
        ],
        BY("NHÓM PV"),
        "2025-10-30",
        {},
    ),
    (
        TT,
        "14:50 17/10/2025",
        "Ra mắt mô hình “Nhà trọ an toàn” cho công nhân KCN Tân Bình",
        [
            P(
                "Chiều 17/10, Ban Quản lý phối hợp chính quyền địa phương ra mắt mô hình “Nhà trọ an toàn” dành cho công nhân KCN Tân Bình."
            ),
            P(
                "Mô hình hướng dẫn chủ nhà trọ trang bị bình chữa cháy, lối thoát hiểm thứ hai và niêm yết số điện thoại khẩn cấp."
            ),
            P("Bước đầu có 35 nhà trọ với hơn 1.200 công nhân tham gia mô hình."),
        ],
        '<p style="text-align:right"><strong>Tin, ảnh:</strong>&nbsp;Bảo Châu</p>',
        "2025-10-17",
        {},
    ),
    (
        TT,
        "09:05 03/10/2025",
        "Bảo đảm quyền lợi người lao động khi doanh nghiệp thiếu đơn hàng",
        [
            P(
                "Trong quý III/2025, một số doanh nghiệp dệt may, da giày tại các KCX, KCN gặp khó khăn do thiếu đơn hàng, phải giảm giờ làm."
            ),
            P(
                "Ban Quản lý đã làm việc với các doanh nghiệp, yêu cầu thực hiện đầy đủ chế độ tiền lương ngừng việc và đóng bảo hiểm xã hội cho người lao động."
            ),
            P("Các doanh nghiệp có nhu cầu tuyển dụng được kết nối để tiếp nhận lao động dôi dư."),
        ],
        BYP("Theo Báo Người Lao Động"),
        ("2025-07-01", "quarter"),
        {},
    ),
    (
        TB,
        "16:00 22/09/2025",
        "Thông báo về việc tiếp nhận hồ sơ trực tuyến toàn trình",
        [
            P(
                "Từ ngày 01/10/2025, Ban Quản lý tiếp nhận hồ sơ trực tuyến toàn trình đối với 42 thủ tục hành chính thuộc lĩnh vực đầu tư, lao động và xây dựng."
            ),
            P(
                "Tổ chức, cá nhân nộp hồ sơ tại Cổng dịch vụ công Thành phố, theo dõi tình trạng xử lý và nhận kết quả điện tử."
            ),
            ATT(
                "Danh mục thủ tục:",
                ("danh-muc-thu-tuc-truc-tuyen.doc", "Danh mục 42 thủ tục"),
                ("huong-dan-nop-ho-so.pdf", "Hướng dẫn nộp hồ sơ"),
            ),
        ],
        None,
        "2025-10-01",
        {},
    ),
    (
        DANG,
        "08:00 02/09/2025",
        "Đoàn Thanh niên Ban Quản lý tổ chức chương trình “Tiếp sức thanh niên công nhân”",
        [
            P(
                "Ngày 31/8, Đoàn Thanh niên Ban Quản lý tổ chức chương trình “Tiếp sức thanh niên công nhân” tại KCX Linh Trung II."
            ),
            P(
                "Chương trình trao 150 suất học bổng cho con công nhân và tổ chức khám sức khỏe miễn phí cho 500 thanh niên công nhân."
            ),
            P(
                "Theo kế hoạch, chương trình sẽ được tổ chức định kỳ mỗi quý tại các KCX, KCN có đông thanh niên công nhân, kết hợp tư vấn pháp luật, hướng nghiệp và giới thiệu việc làm, nhằm giúp thanh niên công nhân yên tâm gắn bó lâu dài với doanh nghiệp."
            ),
        ],
        None,
        "2025-08-31",
        {},
    ),
    (
        TT,
        "13:30 15/08/2025",
        "Kiểm tra công tác bảo vệ môi trường tại các doanh nghiệp KCN Lê Minh Xuân",
        [
            P(
                "Từ ngày 11 đến ngày 15/8, đoàn kiểm tra của Ban Quản lý đã làm việc với 24 doanh nghiệp tại KCN Lê Minh Xuân về công tác bảo vệ môi trường."
            ),
            P(
                "Qua kiểm tra, phần lớn doanh nghiệp thực hiện đúng quy định về đấu nối nước thải và quản lý chất thải nguy hại."
            ),
            P("Đoàn yêu cầu 3 doanh nghiệp khắc phục tồn tại về lưu giữ chất thải trước ngày 30/9/2025."),
        ],
        BY("Hữu Phước"),
        "2025-08-11",
        {},
    ),
    (
        DT,
        "10:45 25/07/2025",
        "Ban Quản lý tiếp nhận nhiệm vụ quản lý các khu công nghiệp Bình Dương và Bà Rịa – Vũng Tàu",
        [
            P(
                "Ngày 1/7/2025, thực hiện Nghị quyết về sắp xếp đơn vị hành chính cấp tỉnh, Ban Quản lý chính thức tiếp nhận nhiệm vụ quản lý các khu công nghiệp của Bình Dương và Bà Rịa – Vũng Tàu."
            ),
            P(
                "Sau hợp nhất, Ban Quản lý quản lý hơn 100 KCX, KCN với tổng diện tích hàng chục nghìn ha, thu hút hàng nghìn dự án đầu tư trong và ngoài nước."
            ),
            P(
                "Ban Quản lý đã ban hành quy chế làm việc mới, bảo đảm thủ tục hành chính của doanh nghiệp không bị gián đoạn."
            ),
        ],
        BY("Đức Trung"),
        "2025-07-01",
        {},
    ),
    (
        TT,
        "09:20 20/06/2025",
        "Ngày hội việc làm KCX Tân Thuận thu hút hơn 3.000 lượt người lao động",
        [
            P(
                "Ngày 20/6, Ngày hội việc làm KCX Tân Thuận năm 2025 thu hút hơn 3.000 lượt người lao động tham gia."
            ),
            P(
                "Có 46 doanh nghiệp tham gia tuyển dụng với gần 4.000 vị trí việc làm, mức lương từ 6 đến 25 triệu đồng mỗi tháng."
            ),
            P("Nhiều lao động trung niên được giới thiệu đến các doanh nghiệp dịch vụ, logistics."),
        ],
        BY("Tin, ảnh: Thu Hà"),
        "2025-06-20",
        {},
    ),
    (
        DANG,
        "15:00 14/05/2025",
        "Khai mạc Tháng Công nhân năm 2025 tại các khu chế xuất, khu công nghiệp",
        [
            P(
                "Tối 3/5, Công đoàn các KCX-KCN khai mạc Tháng Công nhân năm 2025 với chủ đề “Công nhân chủ động, sáng tạo, phát triển”."
            ),
            P(
                "Trong tháng, Công đoàn tổ chức phiên chợ công nhân, khám sức khỏe, hội thao và các buổi đối thoại giữa người lao động với người sử dụng lao động."
            ),
            P("Dịp này, 30 công nhân tiêu biểu được tuyên dương vì có sáng kiến cải tiến kỹ thuật."),
        ],
        BY("Minh Trí"),
        "2025-05-03",
        {},
    ),
    (
        TB,
        "08:15 02/04/2025",
        "Thông báo tuyển dụng viên chức Trung tâm Đào tạo và Hỗ trợ doanh nghiệp năm 2025",
        [
            P("Trung tâm Đào tạo và Hỗ trợ doanh nghiệp thông báo tuyển dụng 6 viên chức năm 2025."),
            RAW(
                "<table><tr><td>Vị trí</td><td>Số lượng</td></tr><tr><td>Giảng viên kỹ năng</td><td>3</td></tr><tr><td>Chuyên viên tư vấn doanh nghiệp</td><td>2</td></tr><tr><td>Kế toán viên</td><td>1</td></tr></table>"
            ),
            P("Hồ sơ nộp trực tiếp tại Trung tâm từ ngày 02/4 đến hết ngày 02/5/2025 trong giờ hành chính."),
            ATT(
                "Tải về:",
                ("thong-bao-tuyen-dung-2025.pdf", "Thông báo tuyển dụng"),
                ("mau-phieu-dang-ky.doc", "Mẫu phiếu đăng ký"),
            ),
        ],
        None,
        "2025-04-02",
        {},
    ),
    (
        DT,
        "17:10 20/03/2025",
        "Quý I/2025: các khu chế xuất, khu công nghiệp thu hút 286 triệu USD",
        [
            P(
                "Theo báo cáo của Ban Quản lý, trong quý I/2025 các KCX, KCN thu hút vốn đầu tư đạt 286 triệu USD, bằng 21% kế hoạch năm."
            ),
            P(
                "Kim ngạch xuất khẩu đạt 2,4 tỷ USD, tăng 9,1% so với cùng kỳ; tổng số lao động đạt 301.250 người."
            ),
            P(
                "Ban Quản lý tiếp tục tháo gỡ vướng mắc về đất đai, phòng cháy chữa cháy cho các dự án đã được cấp phép."
            ),
        ],
        BY("Phương Thảo"),
        ("2025-01-01", "quarter"),
        {},
    ),
    (
        TT,
        "10:30 17/02/2025",
        "Công nhân trở lại làm việc sau Tết Ất Tỵ đạt tỷ lệ cao",
        [
            P(
                "Theo ghi nhận của Ban Quản lý, đến ngày 10/2/2025 tỷ lệ công nhân trở lại làm việc sau Tết Ất Tỵ tại các KCX, KCN đạt 97,5%."
            ),
            P(
                "Nhiều doanh nghiệp tổ chức lì xì đầu năm, đưa đón công nhân và tặng quà khuyến khích người lao động quay lại đúng hạn."
            ),
            P(
                "Nhu cầu tuyển dụng sau Tết khoảng 6.500 lao động, tập trung ở các ngành may mặc, điện tử và chế biến thực phẩm."
            ),
        ],
        BY("Ngọc Hân"),
        "2025-02-10",
        {},
    ),
    (
        DANG,
        "09:00 10/01/2025",
        "Đại hội Đoàn Thanh niên Ban Quản lý nhiệm kỳ 2024 – 2027",
        [
            P(
                "Ngày 9 và 10/1/2025, Đoàn Thanh niên Ban Quản lý tổ chức Đại hội đại biểu lần thứ VII, nhiệm kỳ 2024 – 2027."
            ),
            P(
                "Đại hội đã bầu Ban Chấp hành gồm 25 đồng chí và thông qua chương trình hành động với ba khâu đột phá."
            ),
            P("Nhiệm kỳ qua, các cơ sở Đoàn đã giới thiệu 420 đoàn viên ưu tú cho Đảng xem xét kết nạp."),
        ],
        BY("Bài, ảnh: Bảo Châu"),
        "2025-01-09",
        {},
    ),
    (
        TT,
        "14:00 05/12/2024",
        "Đưa vào sử dụng Trung tâm thông tin KCX Linh Trung",
        [
            P(
                "Chiều 5/12, Trung tâm thông tin KCX Linh Trung chính thức được đưa vào sử dụng sau thời gian cải tạo."
            ),
            P("Trung tâm có thư viện, phòng tư vấn pháp luật và khu sinh hoạt văn hóa cho công nhân."),
            P("Mỗi tháng, Trung tâm dự kiến phục vụ khoảng 5.000 lượt công nhân, người lao động."),
        ],
        BY("Tin, ảnh: Hữu Phước"),
        "2024-12-05",
        {},
    ),
    (
        DT,
        "11:00 08/10/2024",
        "Điều chỉnh quy hoạch KCN Phong Phú để thu hút dự án công nghệ cao",
        [
            P(
                "Ngày 8/10, Ban Quản lý tổ chức lấy ý kiến về đồ án điều chỉnh quy hoạch chi tiết KCN Phong Phú."
            ),
            P(
                "Theo đồ án, diện tích đất công nghiệp được bố trí lại để hình thành phân khu dành cho các dự án công nghệ cao, công nghiệp hỗ trợ."
            ),
            P(
                "Ý kiến góp ý được tổng hợp, trình Ủy ban nhân dân Thành phố xem xét phê duyệt trong quý IV/2024."
            ),
        ],
        BY("Đức Trung"),
        "2024-10-08",
        {},
    ),
    (
        TB,
        "09:30 15/08/2024",
        "Thông báo về việc thu thập thông tin doanh nghiệp phục vụ xây dựng cơ sở dữ liệu",
        [
            P(
                'Thực hiện <a href="https://vanban.chinhphu.vn/?pageid=27160&amp;docid=205965" target="_blank">Nghị định số 35/2022/NĐ-CP</a> ngày 28/5/2022 của Chính phủ quy định về quản lý khu công nghiệp và khu kinh tế, Ban Quản lý xây dựng cơ sở dữ liệu doanh nghiệp trong các KCX, KCN.'
            ),
            P(
                'Đề nghị các doanh nghiệp cập nhật thông tin về dự án, lao động, môi trường trên <a href="/dich-vu-cong">hệ thống trực tuyến</a> trước ngày 30/9/2024.'
            ),
            P("Mọi vướng mắc liên hệ Phòng Quản lý doanh nghiệp để được hướng dẫn."),
        ],
        None,
        "2024-09-30",
        {},
    ),
    (
        DANG,
        "16:45 27/07/2024",
        "Hội thi tìm hiểu lịch sử Đảng dành cho đảng viên trẻ",
        [
            P(
                "Ngày 27/7, Đảng ủy Ban Quản lý tổ chức vòng chung kết Hội thi tìm hiểu lịch sử Đảng dành cho đảng viên trẻ."
            ),
            P(
                "Mười đội thi đến từ các chi bộ doanh nghiệp đã trải qua phần thi kiến thức, xử lý tình huống và thuyết trình."
            ),
            P("Giải nhất thuộc về đội Chi bộ Công ty TNHH Điện tử Hoàng Nam."),
        ],
        BY("Kim Ngân"),
        "2024-07-27",
        {},
    ),
    (
        TT,
        "10:05 11/06/2024",
        "Ứng phó sự cố tràn hóa chất: diễn tập tại KCN Tân Tạo",
        [
            P(
                "Ngày 11/6, Ban Quản lý tổ chức diễn tập ứng phó sự cố tràn hóa chất tại Công ty Cổ phần Nhựa Đại Thành, KCN Tân Tạo."
            ),
            P(
                "Tình huống giả định bồn chứa dung môi bị rò rỉ trong lúc sang chiết, gây nguy cơ cháy nổ và ô nhiễm môi trường."
            ),
            P(
                "Đội ứng cứu của doanh nghiệp đã cô lập khu vực, dùng vật liệu thấm hút và thông báo cho cơ quan chức năng."
            ),
            P(
                "Qua diễn tập, các doanh nghiệp sử dụng hóa chất được nhắc nhở rà soát kế hoạch phòng ngừa, ứng phó sự cố."
            ),
        ],
        BY("Thanh Tùng"),
        "2024-06-11",
        {},
    ),
    (
        DT,
        "15:15 22/04/2024",
        "Đối thoại doanh nghiệp về thủ tục đầu tư và xây dựng",
        [
            P(
                "Chiều 22/4, Ban Quản lý tổ chức hội nghị đối thoại với doanh nghiệp về thủ tục đầu tư, xây dựng và phòng cháy chữa cháy."
            ),
            P(
                "Doanh nghiệp phản ánh thời gian thẩm duyệt thiết kế phòng cháy kéo dài, ảnh hưởng tiến độ dự án."
            ),
            P(
                "Lãnh đạo Ban Quản lý tiếp thu và cam kết phối hợp với các sở, ngành rút ngắn thời gian giải quyết hồ sơ."
            ),
        ],
        BY("Nguồn: Cổng thông tin điện tử Thành phố"),
        "2024-04-22",
        {},
    ),
    (
        TT,
        "08:40 08/03/2024",
        "Tọa đàm “Nữ công nhân với cuộc sống và việc làm” nhân ngày Quốc tế Phụ nữ",
        [
            P(
                "Sáng 8/3, Công đoàn các KCX-KCN tổ chức tọa đàm “Nữ công nhân với cuộc sống và việc làm” tại KCX Tân Thuận."
            ),
            P(
                "Nhiều nữ công nhân chia sẻ khó khăn khi vừa làm việc theo ca vừa chăm sóc con nhỏ, mong muốn có thêm nhà trẻ gần khu công nghiệp."
            ),
            P("Dịp này, Công đoàn trao 100 phần quà cho nữ công nhân có hoàn cảnh khó khăn."),
        ],
        BY("Ngọc Hân"),
        "2024-03-08",
        {},
    ),
    (
        DANG,
        "10:00 20/12/2023",
        DUP_TITLE,
        [
            P(
                "Ngày 20/12/2023, Công đoàn các KCX-KCN tổ chức hội nghị tổng kết công tác Công đoàn và phong trào công nhân, viên chức, lao động năm 2023."
            ),
            P(
                "Trong năm, Công đoàn đã ký kết 125 thỏa ước lao động tập thể, chăm lo cho hơn 80.000 lượt đoàn viên."
            ),
            P("Hội nghị đề ra chỉ tiêu phát triển 15.000 đoàn viên mới trong năm 2024."),
        ],
        BY("THANH DUNG"),
        "2023-12-20",
        {},
    ),
    (
        TT,
        "14:25 14/09/2023",
        LONG_TITLE,
        [
            P(
                "Ngày 14/9, Ban Quản lý tổ chức hội nghị triển khai kế hoạch phối hợp với Ủy ban nhân dân 12 quận, huyện có KCX, KCN."
            ),
            P(
                "Theo kế hoạch, các bên phối hợp kiểm tra định kỳ công tác phòng cháy chữa cháy, bảo vệ môi trường và giải quyết kịp thời các vụ việc phức tạp về an ninh trật tự."
            ),
            P("Hội nghị thống nhất chế độ giao ban hằng quý giữa Ban Quản lý và chính quyền địa phương."),
        ],
        BY("Hoàng Long"),
        "2023-09-14",
        {},
    ),
    (
        DT,
        "09:50 26/07/2023",
        "Đầu tư vào các KCX, KCN 6 tháng đầu năm 2023 vượt khó",
        [
            P("Sáu tháng đầu năm 2023, các KCX, KCN thu hút 412 triệu USD vốn đầu tư, đạt 45% kế hoạch năm."),
            P(
                "Nhiều nhà đầu tư hiện hữu tăng vốn để mở rộng sản xuất, trong khi số dự án mới giảm do khó khăn chung của kinh tế thế giới."
            ),
            P(
                "Ban Quản lý kiến nghị Thành phố sớm giao đất cho các khu công nghiệp mới để có quỹ đất đón nhà đầu tư."
            ),
        ],
        BY("Phương Thảo"),
        ("2023-01-01", "year"),
        {},
    ),
    # --- migrated on 10/05/2023: events of 2012–2022 ------------------------------------------------------
    (
        TT,
        "06:15 10/05/2023",
        "Hội thao công nhân các khu chế xuất, khu công nghiệp năm 2015",
        [
            P(
                "Trong hai ngày 16 và 17/5/2015, Công đoàn các KCX-KCN tổ chức Hội thao công nhân năm 2015 tại Nhà văn hóa Lao động."
            ),
            P(
                "Hội thao thu hút 1.200 vận động viên là công nhân của 85 doanh nghiệp, thi đấu các môn bóng đá, kéo co, cầu lông và bóng bàn."
            ),
            P(
                "Giải được tổ chức hằng năm nhằm rèn luyện sức khỏe và tăng cường giao lưu giữa công nhân các doanh nghiệp."
            ),
        ],
        BY("PV"),
        "2015-05-16",
        {},
    ),
    (
        DANG,
        "06:18 10/05/2023",
        "Học tập, quán triệt Nghị quyết Đại hội Đảng bộ Thành phố lần thứ X",
        [
            P(
                "Ngày 25/11/2015, Đảng ủy Ban Quản lý tổ chức hội nghị học tập, quán triệt Nghị quyết Đại hội Đảng bộ Thành phố lần thứ X, nhiệm kỳ 2015 – 2020."
            ),
            P("Hơn 300 cán bộ, đảng viên đã tham dự hội nghị tại điểm cầu chính và các điểm cầu trực tuyến."),
            P("Sau hội nghị, các chi bộ xây dựng chương trình hành động cụ thể để thực hiện nghị quyết."),
        ],
        BY("Tin, ảnh: Minh Trí"),
        "2015-11-25",
        {},
    ),
    (
        TB,
        "06:21 10/05/2023",
        "Thông báo về việc đăng ký tham gia Hội chợ triển lãm sản phẩm công nghiệp năm 2016",
        [
            P(
                "Ban Quản lý thông báo đến các doanh nghiệp về việc đăng ký tham gia Hội chợ triển lãm sản phẩm công nghiệp năm 2016, dự kiến tổ chức từ ngày 20-23/10/2016."
            ),
            P(
                "Doanh nghiệp tham gia được hỗ trợ một phần chi phí thuê gian hàng theo chương trình xúc tiến thương mại của Thành phố."
            ),
            P("Phiếu đăng ký gửi về Phòng Quản lý doanh nghiệp trước ngày 15/9/2016."),
        ],
        None,
        "2016-10-20",
        {},
    ),
    (
        DT,
        "06:24 10/05/2023",
        "KCN Hiệp Phước đón nhà đầu tư từ Hàn Quốc năm 2017",
        [
            P("Ngày 12/4/2017, đoàn doanh nghiệp Hàn Quốc đã khảo sát hạ tầng KCN Hiệp Phước giai đoạn 2."),
            P(
                "Đoàn quan tâm đến khả năng tiếp nhận tàu trọng tải lớn của cảng Hiệp Phước và nguồn cung cấp điện cho sản xuất."
            ),
            P(
                "Công ty phát triển hạ tầng giới thiệu các lô đất có diện tích từ 1 đến 10 ha sẵn sàng bàn giao."
            ),
        ],
        BY("B.NG"),
        "2017-04-12",
        {},
    ),
    (
        TT,
        "06:27 10/05/2023",
        "Tuyên dương công nhân tiêu biểu các KCX, KCN năm 2018",
        [
            P(
                "Tối 28/4/2018, Ban Quản lý và Công đoàn các KCX-KCN tổ chức lễ tuyên dương 120 công nhân tiêu biểu."
            ),
            P(
                "Đây là những công nhân có thành tích xuất sắc trong lao động sản xuất, có sáng kiến làm lợi cho doanh nghiệp hàng tỷ đồng."
            ),
            P("Lễ tuyên dương là hoạt động mở đầu Tháng Công nhân năm 2018."),
        ],
        BY("Tin, ảnh: Ngọc Hân"),
        "2018-04-28",
        {},
    ),
    (
        DANG,
        "06:30 10/05/2023",
        "Chi bộ doanh nghiệp ngoài nhà nước: kinh nghiệm từ KCX Tân Thuận",
        [
            P(
                "Ngày 14/8/2019, Đảng ủy Ban Quản lý tổ chức tọa đàm trao đổi kinh nghiệm xây dựng chi bộ trong doanh nghiệp ngoài nhà nước tại KCX Tân Thuận."
            ),
            P(
                "Nhiều ý kiến cho rằng sự đồng thuận của chủ doanh nghiệp là yếu tố quyết định để thành lập và duy trì hoạt động của chi bộ."
            ),
            P(
                "Đảng ủy đề ra mục tiêu đến năm 2020 mỗi doanh nghiệp có trên 500 lao động đều có tổ chức đảng."
            ),
        ],
        BY("Hoàng Long - Kim Ngân"),
        "2019-08-14",
        {},
    ),
    (
        TT,
        "06:33 10/05/2023",
        "Phòng, chống dịch Covid-19 tại các khu chế xuất, khu công nghiệp năm 2020",
        [
            P(
                "Ngày 3/2/2020, Ban Quản lý triển khai khẩn cấp các biện pháp phòng, chống dịch Covid-19 tại các KCX, KCN."
            ),
            P(
                "Các doanh nghiệp được yêu cầu đo thân nhiệt, trang bị khẩu trang và dung dịch sát khuẩn cho người lao động.<br>Người lao động trở về từ vùng dịch phải khai báo y tế."
            ),
            P("Ban Quản lý thành lập tổ công tác thường trực để nắm tình hình tại từng doanh nghiệp."),
        ],
        BY("Nguồn: Ban Quản lý"),
        "2020-02-03",
        {},
    ),
    (
        DT,
        "06:36 10/05/2023",
        "Sáu tháng đầu năm 2021: thu hút đầu tư vào KCX, KCN đạt 52% kế hoạch",
        [
            P(
                "Theo số liệu của Ban Quản lý, 6 tháng đầu năm 2021 các KCX, KCN thu hút 384,6 triệu USD vốn đầu tư."
            ),
            P(
                "Kim ngạch xuất khẩu 6 tháng đạt 3,2 tỷ USD, tăng 8% so với cùng kỳ, dù dịch bệnh diễn biến phức tạp từ cuối tháng 5."
            ),
            P("Ban Quản lý hướng dẫn doanh nghiệp thực hiện phương án “3 tại chỗ” để duy trì sản xuất."),
        ],
        BY("Phương Thảo"),
        ("2021-01-01", "year"),
        {},
    ),
    (
        TT,
        "06:39 10/05/2023",
        "Tiêm vắc xin Covid-19 cho công nhân các khu chế xuất, khu công nghiệp",
        [
            P(
                "Ngày 20-21/5/2021, Ban Quản lý phối hợp Sở Y tế tổ chức tiêm vắc xin phòng Covid-19 đợt đầu cho công nhân các KCX, KCN."
            ),
            P(
                "Đợt này ưu tiên công nhân làm việc tại các doanh nghiệp có đông lao động và khu vực có nguy cơ cao."
            ),
            P(
                "Ban Quản lý đề nghị doanh nghiệp lập danh sách, bố trí thời gian để người lao động đi tiêm an toàn."
            ),
        ],
        BY("NHÓM PV"),
        "2021-05-20",
        {},
    ),
    (
        DANG,
        "06:42 10/05/2023",
        "Công đoàn hỗ trợ công nhân gặp khó khăn do dịch Covid-19 năm 2021",
        [
            P(
                "Ngày 15/9/2021, Công đoàn các KCX-KCN trao 5.000 túi an sinh cho công nhân đang lưu trú tại các khu nhà trọ."
            ),
            P("Mỗi túi gồm gạo, mì, dầu ăn và nhu yếu phẩm thiết yếu, trị giá 500.000 đồng."),
            P("Công đoàn tiếp tục tiếp nhận thông tin qua đường dây nóng để hỗ trợ kịp thời."),
        ],
        BY("Thu Hà"),
        "2021-09-15",
        {},
    ),
    # --- migrated on 08/03/2023 --------------------------------------------------------------------------
    (
        DANG,
        "10:48 08/03/2023",
        "Đảng ủy Ban Quản lý triển khai Chỉ thị số 05-CT/TW năm 2016",
        [
            P(
                "Ngày 10/8/2016, Đảng ủy Ban Quản lý tổ chức hội nghị triển khai Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh."
            ),
            P(
                "Hội nghị yêu cầu mỗi cán bộ, đảng viên đăng ký nội dung học tập và làm theo gắn với nhiệm vụ được giao."
            ),
            P("Các chi bộ đưa nội dung làm theo Bác vào sinh hoạt chuyên đề hằng quý."),
        ],
        BY("Minh Trí"),
        "2016-08-10",
        {},
    ),
    (
        TT,
        "10:50 08/03/2023",
        "Lớp bồi dưỡng kiến thức pháp luật lao động cho doanh nghiệp năm 2013",
        [
            P(
                "Từ ngày 14 đến 16/5/2013, Ban Quản lý tổ chức lớp bồi dưỡng kiến thức pháp luật lao động cho 150 cán bộ nhân sự các doanh nghiệp."
            ),
            P(
                "Học viên được giới thiệu những điểm mới của Bộ luật Lao động năm 2012, có hiệu lực từ ngày 01/5/2013."
            ),
            P("Lớp học giúp doanh nghiệp xây dựng nội quy lao động, thang bảng lương phù hợp quy định mới."),
        ],
        BY("PV"),
        "2013-05-14",
        {},
    ),
    (
        TB,
        "10:52 08/03/2023",
        "Thông báo về việc hướng dẫn báo cáo tình hình sử dụng lao động năm 2012",
        [
            P(
                "Thực hiện văn bản số 2479/BKHĐT-QLKKT ngày 11/4/2012 của Bộ Kế hoạch và Đầu tư và hướng dẫn của Sở Lao động – Thương binh và Xã hội, Ban Quản lý hướng dẫn doanh nghiệp báo cáo tình hình sử dụng lao động năm 2012."
            ),
            P(
                "Doanh nghiệp báo cáo theo mẫu đính kèm và gửi về Phòng Quản lý lao động trước ngày 15/12/2012."
            ),
            ATT("File đính kèm:", ("mau-bao-cao-lao-dong-2012.doc", "Mẫu báo cáo")),
        ],
        None,
        ("2012-01-01", "year"),
        {},
    ),
    (
        DT,
        "10:54 08/03/2023",
        "Đầu tư vào các KCX, KCN năm 2014 tăng mạnh",
        [
            P("Năm 2014, các KCX, KCN Thành phố thu hút 780 triệu USD vốn đầu tư, tăng 32% so với năm 2013."),
            P(
                "Các dự án tập trung vào ngành cơ khí, điện tử và chế biến thực phẩm, phù hợp định hướng chuyển dịch cơ cấu công nghiệp của Thành phố."
            ),
            P("Tỷ lệ lấp đầy bình quân các KCX, KCN đang hoạt động đạt 72%."),
        ],
        BY("Đức Trung"),
        ("2014-01-01", "year"),
        {},
    ),
    (
        TT,
        "10:58 08/03/2023",
        "Đón Tết Bính Thân 2016 cùng công nhân xa quê",
        [
            P(
                "Tối 7/2/2016, Ban Quản lý và Công đoàn các KCX-KCN tổ chức chương trình “Tết sum vầy” cho công nhân không về quê đón Tết."
            ),
            OLDIMG("tet-sum-vay-2016.jpg", "Công nhân cùng gói bánh chưng đón Tết (Ảnh: Thanh Tùng)"),
            P("Hơn 2.000 công nhân được thưởng thức văn nghệ, nhận quà và cùng nhau đón giao thừa."),
            P("Chương trình được tổ chức hằng năm, trở thành điểm hẹn quen thuộc của công nhân xa quê."),
        ],
        BY("Bài và ảnh: Thanh Tùng"),
        "2016-02-07",
        {},
    ),
    (
        DANG,
        "11:01 08/03/2023",
        "Kết nạp đảng viên là công nhân trực tiếp sản xuất năm 2019",
        [
            P(
                "Ngày 19/5/2019, nhân kỷ niệm 129 năm Ngày sinh Chủ tịch Hồ Chí Minh, Đảng ủy Ban Quản lý tổ chức lễ kết nạp 35 đảng viên là công nhân trực tiếp sản xuất."
            ),
            P(
                "Các đảng viên mới đều là công nhân có tay nghề giỏi, nhiệt tình trong các phong trào thi đua của doanh nghiệp."
            ),
            P("Đảng ủy giao các chi bộ phân công đảng viên chính thức giúp đỡ đảng viên dự bị."),
        ],
        BY("Tin, ảnh: Ngọc Hân"),
        "2019-05-19",
        {},
    ),
    (
        TT,
        "11:04 08/03/2023",
        "Kiểm tra công tác phòng cháy chữa cháy cuối năm 2022",
        [
            P(
                "Từ ngày 5 đến 9/12/2022, Ban Quản lý kiểm tra công tác phòng cháy chữa cháy tại 40 doanh nghiệp có nguy cơ cháy nổ cao."
            ),
            P(
                "Đoàn kiểm tra lưu ý doanh nghiệp không để hàng hóa lấn chiếm lối thoát nạn, kiểm tra hệ thống điện trước khi nghỉ Tết."
            ),
            P("Kết quả kiểm tra được thông báo đến chính quyền địa phương để phối hợp giám sát."),
        ],
        None,
        "2022-12-05",
        {},
    ),
    # --- the odd ones: NFD, glued/spaced inline tags, invisible characters --------------------------------
    (
        TT,
        "09:30 10/04/2023",
        "Tập huấn sơ cấp cứu cho an toàn vệ sinh viên các doanh nghiệp",
        [
            P(
                "Ngày 10/4, Ban Quản lý tổ chức tập huấn sơ cấp cứu ban đầu cho 120 an toàn vệ sinh viên của các doanh nghiệp."
            ),
            P(
                "Học viên được hướng dẫn cách xử trí vết thương chảy máu, gãy xương, bỏng và hồi sức tim phổi."
            ),
            P("Kết thúc lớp học, các học viên thực hành trên mô hình dưới sự hướng dẫn của bác sĩ."),
        ],
        BY("Kim Ngân"),
        "2023-04-10",
        {"nfd": True},
    ),
    (
        DT,
        "15:30 22/05/2023",
        "Doanh nghiệp Singapore tìm hiểu môi trường đầu tư tại KCN Tây Bắc Củ Chi",
        [
            P("Ngày 22/5, đoàn doanh nghiệp Singapore đã khảo sát môi trường đầu tư tại KCN Tây Bắc Củ Chi."),
            P(
                "Đoàn quan tâm đến hạ tầng xử lý nước thải, giá thuê đất và chính sách ưu đãi dành cho dự án công nghệ cao."
            ),
            P(
                "Ban Quản lý hẹn tổ chức buổi làm việc chuyên sâu khi doanh nghiệp hoàn thiện phương án đầu tư."
            ),
        ],
        BY("Hữu Phước"),
        "2023-05-22",
        {"nfd_title": True},
    ),
    (
        DANG,
        "16:10 19/06/2023",
        "Đoàn viên thanh niên ra quân “Ngày chủ nhật xanh” tại khu lưu trú công nhân",
        [
            P(
                "Sáng <b>18/6</b>, hơn 200 <b>đoàn</b> <i>viên</i> thanh niên Ban Quản lý ra quân “Ngày chủ nhật xanh” tại khu lưu trú công nhân KCX Linh Trung."
            ),
            P(
                "Các bạn trẻ dọn vệ sinh, khơi thông cống rãnh và trồng <span>cây</span><span> xanh</span> quanh khu nhà trọ."
            ),
            P("Chương trình nhằm nâng cao ý thức bảo vệ môi trường trong thanh niên công nhân."),
        ],
        BY("Bảo Châu"),
        "2023-06-18",
        {},
    ),
    (
        TT,
        "11:15 07/08/2023",
        "Đẩy mạnh chuyển đổi số trong quản lý các khu chế xuất, khu công nghiệp",
        [
            P(
                "Ngày 7/8, Ban Quản lý tổ chức hội nghị chuyển đổi số với sự tham dự của lãnh đạo các phòng, đơn vị và doanh nghiệp."
            ),
            P(
                "Hệ thống quản lý\u00a0hồ sơ điện tử đã giúp rút ngắn thời gian giải quyết thủ tục hành chính từ 15 ngày xuống còn 7\u00a0ngày."
            ),
            P(
                "Ban Quản lý đặt mục tiêu đến hết năm 2023 có 100% hồ sơ thủ tục được số hóa kết quả giải\u00adquyết, hỗ trợ doanh nghiệp tra cứu trực\u200btuyến."
            ),
            P("Doanh nghiệp được khuyến khích sử dụng chữ ký số khi nộp hồ sơ.\u00a0"),
        ],
        BY("Phương Thảo"),
        "2023-08-07",
        {},
    ),
    (
        TB,
        "08:00 01/11/2023",
        "Đăng ký tham gia chương trình “Tri ân công nhân” năm 2023",
        [
            P(
                "Công đoàn các KCX-KCN thông báo chương trình “Tri ân công nhân” năm 2023 dành cho công nhân có thâm niên trên 10 năm."
            ),
            P(
                "Hồ sơ đăng ký gồm:<br>- Đơn đăng ký có xác nhận của công đoàn cơ sở;<br>- Bản sao hợp đồng lao động."
            ),
            P("Thời hạn nhận hồ sơ đến hết ngày 30/11/2023."),
        ],
        None,
        ("2023-01-01", "year"),
        {},
    ),
    (
        DANG,
        "14:30 02/02/2024",
        "Đón nhận Huân chương Lao động hạng Nhì của Công đoàn các KCX-KCN",
        [
            P(
                "Ngày 2/2, Công đoàn các KCX-KCN long trọng tổ chức lễ đón nhận Huân chương Lao động hạng Nhì."
            ),
            FIG("huan-chuong-2024.jpg", "Lễ đón nhận Huân chương Lao động hạng Nhì (Ảnh: Minh Trí)"),
            P(
                "Phần thưởng ghi nhận những đóng góp của tổ chức Công đoàn trong chăm lo, bảo vệ quyền lợi người lao động giai đoạn 2018 – 2022."
            ),
            FIG("huan-chuong-2024-2.jpg", "Các đại biểu chụp ảnh lưu niệm (Ảnh: Ngọc Hân)"),
        ],
        BY("Minh Trí"),
        "2024-02-02",
        {},
    ),
    (
        TT,
        "09:00 12/12/2022",
        "Tổng kết 30 năm xây dựng và phát triển các khu chế xuất, khu công nghiệp Thành phố",
        [
            P(
                "Ngày 12/12/2022, Ban Quản lý tổ chức lễ kỷ niệm 30 năm xây dựng và phát triển các KCX, KCN Thành phố."
            ),
            P(
                "Sau 30 năm, các KCX, KCN đã thu hút hơn 1.600 dự án với tổng vốn đầu tư trên 11 tỷ USD, tạo việc làm cho gần 300.000 lao động."
            ),
            P(
                "Các KCX, KCN đóng góp quan trọng vào kim ngạch xuất khẩu và chuyển dịch cơ cấu kinh tế của Thành phố."
            ),
            RAW(
                "<ul><li>KCX Tân Thuận là khu chế xuất đầu tiên của cả nước.</li><li>KCX Linh Trung I thu hút nhiều nhà đầu tư điện tử.</li><li>KCN Hiệp Phước gắn với cảng biển nước sâu.</li></ul>"
            ),
            P("Lễ kỷ niệm cũng là dịp tôn vinh các nhà đầu tư, doanh nghiệp đã đồng hành cùng Thành phố."),
            P(
                "Phát biểu tại buổi lễ, lãnh đạo Thành phố đề nghị Ban Quản lý tiếp tục đổi mới mô hình phát triển khu công nghiệp theo hướng sinh thái và công nghệ cao."
            ),
            P(
                "Thành phố sẽ tập trung giải quyết các vướng mắc về quy hoạch, đất đai để các khu công nghiệp mới sớm đi vào hoạt động."
            ),
            P(
                "Đồng thời, Thành phố quan tâm xây dựng nhà ở xã hội, nhà trẻ và các thiết chế văn hóa cho công nhân."
            ),
            P(
                "Các doanh nghiệp cam kết tiếp tục đầu tư công nghệ, nâng cao năng suất và chăm lo tốt hơn cho người lao động."
            ),
            P("Chương trình nghệ thuật chủ đề “30 năm – Một chặng đường” đã khép lại buổi lễ."),
        ],
        BY("Bài và ảnh: Thanh Tùng"),
        "2022-12-12",
        {},
    ),
    (
        DT,
        "10:20 14/03/2024",
        "Đồng Nai và TPHCM trao đổi kinh nghiệm quản lý khu công nghiệp",
        [
            P(
                "Ngày 14/3, đoàn công tác Ban Quản lý các khu công nghiệp Đồng Nai đến trao đổi kinh nghiệm với Ban Quản lý."
            ),
            P(
                "Hai bên chia sẻ kinh nghiệm về cải cách thủ tục hành chính, thu hút đầu tư có chọn lọc và quản lý môi trường."
            ),
            P("Hai đơn vị thống nhất duy trì cơ chế trao đổi thông tin định kỳ."),
        ],
        BY("Hoàng Long"),
        "2024-03-14",
        {},
    ),
    (
        TT,
        "16:00 29/09/2024",
        "Đường dây nóng tiếp nhận phản ánh của người lao động hoạt động hiệu quả",
        [
            P(
                "Sau một năm triển khai, đường dây nóng của Ban Quản lý đã tiếp nhận và xử lý hơn 1.300 cuộc gọi phản ánh của người lao động."
            ),
            P("Nội dung phản ánh chủ yếu liên quan đến tiền lương, bảo hiểm xã hội và điều kiện làm việc."),
            P(
                "Theo kế hoạch, từ quý IV/2024 Ban Quản lý sẽ bổ sung kênh tiếp nhận qua ứng dụng nhắn tin và cổng thông tin điện tử, đồng thời công khai kết quả xử lý định kỳ hằng tháng để người lao động và doanh nghiệp cùng theo dõi, giám sát."
            ),
        ],
        None,
        ("2024-10-01", "quarter"),
        {},
    ),
    (
        DANG,
        "09:40 16/10/2024",
        "Đảng ủy Ban Quản lý học tập chuyên đề năm 2024",
        [
            P(
                "Sáng 16/10, Đảng ủy Ban Quản lý tổ chức hội nghị học tập chuyên đề năm 2024 về xây dựng văn hóa công vụ."
            ),
            P(
                "Báo cáo viên phân tích yêu cầu về tác phong, thái độ phục vụ của cán bộ, công chức khi tiếp xúc với doanh nghiệp, người dân."
            ),
            P("Các chi bộ sẽ thảo luận chuyên đề trong kỳ sinh hoạt tháng 11."),
        ],
        BY("Nguồn: Đảng ủy Ban Quản lý"),
        "2024-10-16",
        {},
    ),
    (
        TB,
        "14:00 03/06/2024",
        "Thông báo kết quả kiểm tra công tác an toàn vệ sinh lao động quý I/2024",
        [
            P(
                "Ban Quản lý thông báo kết quả kiểm tra công tác an toàn vệ sinh lao động quý I/2024 tại 30 doanh nghiệp."
            ),
            P(
                "Đa số doanh nghiệp thực hiện đúng quy định; một số doanh nghiệp chưa tổ chức quan trắc môi trường lao động định kỳ."
            ),
            P("Các doanh nghiệp có tồn tại phải báo cáo kết quả khắc phục trước ngày 30/6/2024."),
        ],
        None,
        ("2024-01-01", "quarter"),
        {},
    ),
]


def build() -> list[Article]:
    """Fresh article objects for the hand-written corpus (mutations on one Site never leak to another)."""
    out: list[Article] = []
    for i, (cat, line, title, blocks, byline, event, opts) in enumerate(ENTRIES):
        when = _when(line)
        blocks = [Block(b.kind, b.html, b.text) for b in blocks]
        if opts.get("nfd"):
            # Pasted from a decomposed-Unicode source: title and every block.
            title = unicodedata.normalize("NFD", title)
            blocks = [Block(b.kind, unicodedata.normalize("NFD", b.html)) for b in blocks]
            byline = unicodedata.normalize("NFD", byline) if byline else byline
        elif opts.get("nfd_title"):
            title = unicodedata.normalize("NFD", title)
        image = next((b.html.split('src="', 1)[1].split('"', 1)[0] for b in blocks if b.kind == "img"), None)
        event, precision = (event, "day") if isinstance(event, str) else (event or (None, None))
        out.append(
            Article(
                asset_id=str(FIRST_ID + 211 * i),
                slug="",
                category=cat,
                title=title,
                date=when,
                modified=(when + timedelta(minutes=5 + (i * 37) % 900)).astimezone(UTC),
                blocks=blocks,
                byline_html=byline,
                event_date=event,
                event_precision=precision,
                migrated=when.date() in MIGRATION_DAYS,
                image=image,
            )
        )
    return out
