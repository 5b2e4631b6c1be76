"""Many more articles, composed from phrase banks with a seeded random.Random (never the clock).

The text is original and in the agency's register; the generator also knows each paragraph's plain text,
so gold records need no HTML parsing.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from html import escape

from .model import SITE_TZ, Article, Block
from .portal import stable_uuid

FIRST_ID = 3_000_000
_START = datetime(2012, 1, 3, 8, 0, tzinfo=SITE_TZ)
_END = datetime(2026, 1, 30, 17, 0, tzinfo=SITE_TZ)
# Migrated articles fall among the hand-written batches of those days (10:48-11:04 and 06:10-06:42), at
# most a few minutes from one another: a batch, as on the real portal, not a day spread over hours.
_MIGRATION = (
    (datetime(2023, 3, 8, 10, 40, tzinfo=SITE_TZ), 30),
    (datetime(2023, 5, 10, 6, 0, tzinfo=SITE_TZ), 50),
)

ZONES = [
    "KCX Tân Thuận",
    "KCX Linh Trung I",
    "KCX Linh Trung II",
    "KCN Hiệp Phước",
    "KCN Tân Bình",
    "KCN Lê Minh Xuân",
    "KCN Vĩnh Lộc",
    "KCN Tân Tạo",
    "KCN Cát Lái",
    "KCN Bình Chiểu",
    "KCN Tây Bắc Củ Chi",
    "KCN Đông Nam",
    "KCN Tân Phú Trung",
    "KCN Phong Phú",
    "KCN Tân Thới Hiệp",
    "KCN Cơ khí ô tô",
    "KCN Hiệp Phước giai đoạn 2",
    "KCN Lê Minh Xuân mở rộng",
]
COMPANIES = [
    "Công ty TNHH Điện tử Hoàng Nam",
    "Công ty TNHH May mặc Phú An",
    "Công ty Cổ phần Thực phẩm Sao Việt",
    "Công ty TNHH Cơ khí chính xác Tân Tiến",
    "Công ty TNHH Bao bì Minh Khang",
    "Công ty TNHH Dược phẩm Thiên Phúc",
    "Công ty TNHH Linh kiện Nhật Quang",
    "Công ty Cổ phần Nhựa Đại Thành",
    "Công ty TNHH Giày da Hưng Thịnh",
    "Công ty TNHH Thiết bị y tế An Khang",
    "Công ty TNHH Vật liệu mới Trường Sơn",
    "Công ty TNHH Logistics Cảng Xanh",
]
OFFICIALS = [
    "Trưởng Ban Quản lý",
    "Phó Trưởng Ban Quản lý",
    "Bí thư Đảng ủy Ban Quản lý",
    "Chủ tịch Công đoàn các KCX-KCN",
    "Bí thư Đoàn Thanh niên Ban Quản lý",
    "Chánh Văn phòng Ban Quản lý",
]
PEOPLE = [
    "Nguyễn Văn Thành",
    "Trần Thị Mỹ Hạnh",
    "Lê Quang Vinh",
    "Phạm Thị Ngọc Lan",
    "Võ Minh Tuấn",
    "Huỳnh Thanh Phong",
    "Đặng Thị Thu Trang",
    "Bùi Văn Khải",
    "Hồ Thị Kim Oanh",
    "Đỗ Hữu Nghĩa",
]
WRITERS = [
    "Minh Trí",
    "Ngọc Hân",
    "Thanh Tùng",
    "Hoàng Long",
    "Kim Ngân",
    "Phương Thảo",
    "Đức Trung",
    "Bảo Châu",
    "Hữu Phước",
    "Thu Hà",
]
COUNTRIES = [
    "Nhật Bản",
    "Hàn Quốc",
    "Singapore",
    "Đài Loan (Trung Quốc)",
    "Hoa Kỳ",
    "Đức",
    "Hà Lan",
    "Thái Lan",
]
SOURCES = [
    "Báo Người Lao Động",
    "Báo Sài Gòn Giải Phóng",
    "Báo Pháp Luật TPHCM",
    "Cổng thông tin điện tử Chính phủ",
]

# (category, title template, lead template, extra paragraphs)
TOPICS: list[tuple[str, str, str, list[str]]] = [
    (
        "tin-tuc-su-kien",
        "Diễn tập phương án chữa cháy và cứu nạn, cứu hộ tại {zone} năm {year}",
        "Ngày {d}/{m}, Ban Quản lý phối hợp với Công an Thành phố tổ chức diễn tập phương án chữa cháy và cứu nạn, cứu hộ tại {company}, {zone}.",
        [
            "Buổi diễn tập giả định đám cháy xảy ra tại kho nguyên liệu trong giờ làm việc, có {n} công nhân đang sản xuất tại xưởng.",
            "Lực lượng phòng cháy chữa cháy cơ sở đã kịp thời báo động, hướng dẫn người lao động thoát nạn và sử dụng phương tiện tại chỗ để khống chế đám cháy.",
            "Qua buổi diễn tập, doanh nghiệp rút ra nhiều kinh nghiệm trong việc phối hợp giữa lực lượng tại chỗ và lực lượng chuyên nghiệp.",
            "Ban Quản lý đề nghị các doanh nghiệp thường xuyên kiểm tra hệ thống báo cháy, lối thoát nạn và tổ chức huấn luyện định kỳ cho người lao động.",
        ],
    ),
    (
        "tin-tuc-su-kien",
        "Đoàn công tác {country} thăm và làm việc tại {zone}",
        "Sáng ngày {d}/{m}/{year}, đoàn công tác {country} do ông {person} dẫn đầu đã đến thăm và làm việc tại {zone}.",
        [
            "Tại buổi làm việc, đại diện Ban Quản lý giới thiệu tình hình thu hút đầu tư, hạ tầng kỹ thuật và chính sách ưu đãi tại các KCX, KCN Thành phố.",
            "Đoàn bày tỏ quan tâm đến lĩnh vực công nghiệp hỗ trợ, điện tử và chế biến thực phẩm, đồng thời mong muốn được cung cấp thông tin về quỹ đất sạch.",
            "Hai bên thống nhất duy trì kênh trao đổi thông tin thường xuyên để hỗ trợ nhà đầu tư tìm hiểu cơ hội hợp tác.",
            "Sau buổi làm việc, đoàn đã tham quan dây chuyền sản xuất của {company}.",
        ],
    ),
    (
        "tin-tuc-su-kien",
        "Tập huấn công tác an toàn, vệ sinh lao động cho doanh nghiệp {zone}",
        "Ngày {d}/{m}, Ban Quản lý tổ chức lớp tập huấn về công tác an toàn, vệ sinh lao động cho hơn {n} cán bộ phụ trách của các doanh nghiệp tại {zone}.",
        [
            "Học viên được cập nhật các quy định mới về huấn luyện an toàn lao động, quan trắc môi trường lao động và khai báo tai nạn lao động.",
            "Báo cáo viên cũng hướng dẫn cách nhận diện mối nguy, đánh giá rủi ro và xây dựng kế hoạch ứng cứu khẩn cấp tại nơi làm việc.",
            "Kết thúc lớp tập huấn, các học viên làm bài kiểm tra và được cấp giấy chứng nhận theo quy định.",
        ],
    ),
    (
        "tin-tuc-su-kien",
        "Chăm lo Tết cho công nhân, người lao động {zone} năm {year}",
        "Ngày {d}/{m}, Công đoàn các KCX-KCN phối hợp với Ban Quản lý tổ chức chương trình chăm lo Tết cho công nhân, người lao động tại {zone}.",
        [
            "Chương trình trao {n} phần quà cho công nhân có hoàn cảnh khó khăn, mỗi phần quà trị giá một triệu đồng.",
            "Nhiều doanh nghiệp đã chủ động thưởng Tết, hỗ trợ vé xe cho người lao động về quê đón Tết cùng gia đình.",
            "Đồng chí {person}, {official}, đề nghị các doanh nghiệp quan tâm hơn nữa đến đời sống vật chất và tinh thần của người lao động.",
        ],
    ),
    (
        "tin-tuc-su-kien",
        "Ngày hội việc làm tại {zone} thu hút hơn {n} lao động",
        "Ngày {d}/{m}/{year}, Trung tâm Dịch vụ việc làm phối hợp với Ban Quản lý tổ chức Ngày hội việc làm tại {zone}.",
        [
            "Ngày hội có sự tham gia của nhiều doanh nghiệp với nhu cầu tuyển dụng ở các vị trí lao động phổ thông, kỹ thuật viên và quản lý sản xuất.",
            "Người lao động được tư vấn miễn phí về chính sách bảo hiểm thất nghiệp, học nghề và kỹ năng phỏng vấn.",
            "Nhiều trường hợp đã được doanh nghiệp phỏng vấn và nhận việc ngay tại ngày hội.",
        ],
    ),
    (
        "hoat-dong-dang-doan-the",
        "Đảng ủy Ban Quản lý tổ chức hội nghị sơ kết công tác xây dựng Đảng {half} năm {year}",
        "Ngày {d}/{m}, Đảng ủy Ban Quản lý các Khu Chế xuất và Công nghiệp TPHCM tổ chức hội nghị sơ kết công tác xây dựng Đảng {half} năm {year}.",
        [
            "Hội nghị đánh giá công tác chính trị tư tưởng được quan tâm, cán bộ, đảng viên chấp hành tốt chủ trương, đường lối của Đảng, chính sách, pháp luật của Nhà nước.",
            "Công tác kiểm tra, giám sát được thực hiện theo chương trình đề ra; công tác phát triển đảng viên trong doanh nghiệp tiếp tục được chú trọng.",
            "Đồng chí {person}, {official}, đề nghị các chi bộ tiếp tục đổi mới nội dung sinh hoạt, nâng cao chất lượng đảng viên.",
        ],
    ),
    (
        "hoat-dong-dang-doan-the",
        "Đoàn Thanh niên Ban Quản lý ra quân chiến dịch tình nguyện năm {year}",
        "Sáng ngày {d}/{m}, Đoàn Thanh niên Ban Quản lý tổ chức lễ ra quân chiến dịch tình nguyện tại {zone}.",
        [
            "Chiến dịch tập trung vào các hoạt động vệ sinh môi trường, trồng cây xanh và hỗ trợ thanh niên công nhân có hoàn cảnh khó khăn.",
            "Hơn {n} đoàn viên, thanh niên đã tham gia các công trình, phần việc thiết thực tại khu lưu trú công nhân.",
            "Ban Chấp hành Đoàn kêu gọi các cơ sở Đoàn trong doanh nghiệp hưởng ứng và nhân rộng các mô hình hay.",
        ],
    ),
    (
        "hoat-dong-dang-doan-the",
        "Công đoàn các KCX-KCN tổ chức Tháng Công nhân năm {year}",
        "Ngày {d}/{m}, Công đoàn các KCX-KCN Thành phố tổ chức lễ phát động Tháng Công nhân năm {year} tại {zone}.",
        [
            "Trong Tháng Công nhân, Công đoàn tổ chức nhiều hoạt động như khám sức khỏe miễn phí, hội thao, phiên chợ công nhân và đối thoại với người lao động.",
            "Dịp này, {company} đã được biểu dương vì có nhiều đóng góp trong việc chăm lo đời sống người lao động.",
            "Các hoạt động sẽ được triển khai đồng loạt tại các KCX, KCN đến hết tháng.",
        ],
    ),
    (
        "hoat-dong-dang-doan-the",
        "Hiến máu tình nguyện tại {zone} tiếp nhận {n} đơn vị máu",
        "Ngày {d}/{m}/{year}, Đoàn Thanh niên và Công đoàn các KCX-KCN phối hợp tổ chức ngày hội hiến máu tình nguyện tại {zone}.",
        [
            "Đông đảo công nhân, người lao động và đoàn viên thanh niên đã đăng ký tham gia từ sớm.",
            "Ban tổ chức đã tiếp nhận {n} đơn vị máu, góp phần bổ sung nguồn máu cho các bệnh viện trên địa bàn Thành phố.",
        ],
    ),
    (
        "thong-bao",
        "Thông báo về việc tổ chức lớp bồi dưỡng nghiệp vụ quản lý lao động năm {year}",
        "Ban Quản lý thông báo tổ chức lớp bồi dưỡng nghiệp vụ quản lý lao động cho doanh nghiệp trong các KCX, KCN vào ngày {d}/{m}/{year}.",
        [
            "Đối tượng tham dự là cán bộ phụ trách nhân sự, tiền lương của các doanh nghiệp.",
            "Doanh nghiệp đăng ký danh sách học viên về Phòng Quản lý lao động trước ngày tổ chức lớp học ba ngày làm việc.",
            "Thông tin chi tiết liên hệ Phòng Quản lý lao động, điện thoại (028) 3829 4699.",
        ],
    ),
    (
        "thong-bao",
        "Thông báo lịch tiếp công dân của Trưởng Ban Quản lý tháng {m} năm {year}",
        "Ban Quản lý thông báo lịch tiếp công dân định kỳ của Trưởng Ban Quản lý vào ngày {d}/{m}/{year} tại trụ sở cơ quan.",
        [
            "Công dân có nhu cầu được tiếp đề nghị đăng ký trước tại Văn phòng Ban Quản lý và mang theo giấy tờ tùy thân.",
            "Nội dung tiếp công dân gồm khiếu nại, tố cáo, kiến nghị, phản ánh thuộc thẩm quyền giải quyết của Ban Quản lý.",
        ],
    ),
    (
        "thong-bao",
        "Thông báo kết quả lựa chọn tổ chức đấu giá tài sản năm {year}",
        "Ngày {d}/{m}/{year}, Ban Quản lý thông báo kết quả lựa chọn tổ chức đấu giá tài sản đối với tài sản thanh lý của cơ quan.",
        [
            "Tổ chức được lựa chọn là đơn vị có tổng điểm đánh giá cao nhất theo tiêu chí quy định.",
            "Ban Quản lý cảm ơn các tổ chức đã quan tâm nộp hồ sơ đăng ký tham gia.",
        ],
    ),
    (
        "dau-tu",
        "{zone} thu hút thêm {n} dự án đầu tư mới trong {quarter}",
        "Theo báo cáo của Ban Quản lý, trong {quarter}, {zone} đã thu hút thêm {n} dự án đầu tư mới với tổng vốn đăng ký đạt {money} triệu USD.",
        [
            "Các dự án tập trung vào lĩnh vực điện tử, cơ khí chính xác, chế biến lương thực thực phẩm và hóa dược.",
            "Nhiều nhà đầu tư đến từ {country} tiếp tục mở rộng quy mô sản xuất, nâng vốn đầu tư tại các dự án hiện hữu.",
            "Diện tích đất cho thuê đạt {area} ha, tỷ lệ lấp đầy của khu tiếp tục được cải thiện.",
            "Ban Quản lý sẽ tiếp tục rà soát quỹ đất, đẩy nhanh thủ tục để hỗ trợ nhà đầu tư sớm triển khai dự án.",
        ],
    ),
    (
        "dau-tu",
        "Trao Giấy chứng nhận đăng ký đầu tư cho dự án của {company}",
        "Ngày {d}/{m}/{year}, Ban Quản lý trao Giấy chứng nhận đăng ký đầu tư cho dự án của {company} tại {zone}.",
        [
            "Dự án có tổng vốn đầu tư {money} triệu USD, sản xuất các sản phẩm phục vụ xuất khẩu sang thị trường {country}.",
            "Dự án dự kiến tạo việc làm cho khoảng {n} lao động khi đi vào hoạt động ổn định.",
            "Đại diện doanh nghiệp cảm ơn sự hỗ trợ kịp thời của Ban Quản lý trong quá trình thực hiện thủ tục đầu tư.",
        ],
    ),
    (
        "dau-tu",
        "Xúc tiến đầu tư vào các KCX, KCN Thành phố tại {country}",
        "Từ ngày {d}/{m} đến ngày {d2}/{m}/{year}, đoàn công tác của Ban Quản lý tổ chức chương trình xúc tiến đầu tư tại {country}.",
        [
            "Đoàn đã gặp gỡ, làm việc với các hiệp hội doanh nghiệp và nhiều tập đoàn có nhu cầu mở rộng sản xuất tại Việt Nam.",
            "Tại hội thảo, Ban Quản lý giới thiệu định hướng thu hút các dự án công nghệ cao, ít thâm dụng lao động và thân thiện môi trường.",
            "Nhiều doanh nghiệp đã đăng ký khảo sát thực tế tại {zone} trong thời gian tới.",
        ],
    ),
]

_BYLINE_FORMS = [
    lambda w, r: w[0],
    lambda w, r: f"Tin, ảnh: {w[0]}",
    lambda w, r: f"Bài và ảnh: {w[0]}",
    lambda w, r: f"{w[0]} - {w[1]}",
    lambda w, r: w[0].upper(),
    lambda w, r: "PV",
    lambda w, r: f"Theo {r.choice(SOURCES)}",
    lambda w, r: None,
]


def _byline_html(raw: str, rng: random.Random) -> str:
    style = rng.randrange(3)
    if style == 0:
        return f'<p style="text-align:right"><strong>{escape(raw, quote=False)}</strong></p>'
    if style == 1:
        return f'<p style="text-align: right;"><strong>{escape(raw, quote=False)}</strong>&nbsp;</p>'
    return f"<p>{escape(raw, quote=False)}</p>"


def _random_date(rng: random.Random) -> datetime:
    span = int((_END - _START).total_seconds() // 60)
    d = _START + timedelta(minutes=rng.randrange(span))
    return d.replace(hour=rng.randrange(7, 18))


# Every so many generated articles links the zone its lead names: to the zone's page on the portal
# (root-relative, as Liferay's editor writes it) or to another site. The text stays as it was; only the
# link's target is content the archive must keep. Chosen by asset id, not by the generator's random stream,
# so every other article stays as it was.
_LINK_EVERY = 9


def _link_zone(lead: Block, zone: str, asset_id: str) -> None:
    written = escape(zone, quote=False)
    if int(asset_id) % _LINK_EVERY not in (0, 4) or written not in lead.html:
        return
    if int(asset_id) % _LINK_EVERY == 0:
        href = f"/cac-kcx-kcn?zone={stable_uuid('zone:' + zone)[:8]}"
    else:
        href = f"https://www.google.com/maps/search/?api=1&amp;query={escape(zone.replace(' ', '+'))}"
    lead.html = lead.html.replace(written, f'<a href="{href}">{written}</a>', 1)


def make_article(
    rng: random.Random, *, asset_id: str, when: datetime | None = None, modified: datetime | None = None
) -> Article:
    """One generated article. `when` fixes the date line (used by Site.add_new)."""
    cat, title_t, lead_t, extra = rng.choice(TOPICS)
    event = when.astimezone(SITE_TZ) if when else _random_date(rng)
    date_line, migrated = event, False
    if when is None and event.year <= 2022 and rng.random() < 0.3:
        start, span = rng.choice(_MIGRATION)
        date_line, migrated = start + timedelta(minutes=rng.randrange(0, span + 1)), True
        # Migrated text must carry its year: the date line no longer tells it.
        lead_t = lead_t.replace("{d}/{m},", "{d}/{m}/{year},")
    w = rng.sample(WRITERS, 2)
    v = {
        "zone": rng.choice(ZONES),
        "company": rng.choice(COMPANIES),
        "country": rng.choice(COUNTRIES),
        "person": rng.choice(PEOPLE),
        "official": rng.choice(OFFICIALS),
        "year": event.year,
        "d": event.day,
        "d2": min(event.day + 4, 28),
        "m": event.month,
        "n": rng.randrange(20, 900),
        "money": f"{rng.randrange(2, 180)},{rng.randrange(10, 99)}",
        "area": f"{rng.randrange(1, 40)},{rng.randrange(1, 9)}",
        "half": "6 tháng đầu" if event.month <= 6 else "6 tháng cuối",
        "quarter": f"quý {['I', 'II', 'III', 'IV'][(event.month - 1) // 3]}/{event.year}",
    }
    title = title_t.format(**v)
    paras = [lead_t.format(**v)] + [
        p.format(**v) for p in rng.sample(extra, rng.randrange(min(2, len(extra)), len(extra) + 1))
    ]
    blocks: list[Block] = []
    image = None
    for i, text in enumerate(paras):
        blocks.append(Block("p", f"<p>{escape(text, quote=False)}</p>", text))
        if i == 0 and rng.random() < 0.5:
            fname = f"{cat}-{asset_id}.jpg"
            uid = stable_uuid(f"img:{asset_id}")
            t_ms = int(event.timestamp() * 1000)
            image = f"/documents/20126/{300000 + int(asset_id) % 9000}/{fname}/{uid}?t={t_ms}"
            credit = rng.choice(WRITERS)
            blocks.append(
                Block(
                    "img",
                    f'<figure class="image"><img alt="" src="{image}" /><figcaption>{escape(title, quote=False)} (Ảnh: {credit})</figcaption></figure>',
                )
            )
    _link_zone(blocks[0], v["zone"], asset_id)
    # The date the lead reports: its day, or the quarter it names (its first day).
    event_date, precision = None, None
    if "{d}" in lead_t:
        event_date, precision = event.date().isoformat(), "day"
    elif "{quarter}" in lead_t:
        event_date, precision = date(event.year, (event.month - 1) // 3 * 3 + 1, 1).isoformat(), "quarter"
    raw = rng.choice(_BYLINE_FORMS)(w, rng)
    modified = modified or (date_line + timedelta(minutes=rng.randrange(1, 3000))).astimezone(UTC)
    return Article(
        asset_id=asset_id,
        slug="",
        category=cat,
        title=title,
        date=date_line,
        modified=modified.astimezone(UTC),
        blocks=blocks,
        byline_html=_byline_html(raw, rng) if raw else None,
        event_date=event_date,
        event_precision=precision,
        migrated=migrated,
        image=image,
    )


def generate(n: int, seed: int = 0, first_id: int = FIRST_ID) -> list[Article]:
    """n articles, the same for the same seed."""
    rng = random.Random(f"generator:{seed}")
    return [make_article(rng, asset_id=str(first_id + 7 * i)) for i in range(n)]
