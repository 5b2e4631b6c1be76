"""Body fragments to text: spaces at inline-tag boundaries, paragraphs, lists, tables, captions."""

import pytest

from pipelines.html_text import blocks_to_text, body_parts

BASE = "https://hepza.hochiminhcity.gov.vn/w/x"


def text_of(html: str) -> str:
    return blocks_to_text(body_parts(html, BASE).blocks)


@pytest.mark.parametrize(
    "html,expected",
    [
        ("<div><p>lực lượng đoàn<span>viên</span>, thanh niên</p></div>", "lực lượng đoànviên, thanh niên"),
        ("<div><p><b>Ban</b> <i>Quản lý</i> các KCX</p></div>", "Ban Quản lý các KCX"),
        ("<div><p>Khu <strong>chế</strong>xuất</p></div>", "Khu chếxuất"),
        ("<div><p>một</p><p>hai</p></div>", "một\n\nhai"),
        ("<div><p>dòng một<br>dòng hai</p></div>", "dòng một\ndòng hai"),
        ("<div><p>A&nbsp;&nbsp;B\u200b C\u00ad D</p></div>", "A B C D"),
        ("<div><ul><li>một</li><li>hai</li></ul></div>", "- một\n- hai"),
        (
            "<div><p>Đầu</p><ol><li><p>một</p></li><li>hai</li></ol><p>Cuối</p></div>",
            "Đầu\n\n- một\n- hai\n\nCuối",
        ),
        (
            "<div><table><tr><th>KCX</th><th>Vốn</th></tr><tr><td>Tân Thuận</td><td>74,28</td></tr></table></div>",
            "KCX | Vốn\nTân Thuận | 74,28",
        ),
        ("<div><p>Xin chào</p><script>alert(1)</script><style>p{}</style></div>", "Xin chào"),
        ("<div>  <p>   </p><p>Nội dung</p>  </div>", "Nội dung"),
        (
            "<div><p>Nội dung</p><figure><img src='/a.jpg'><figcaption>Hội nghị (Ảnh: Minh Trí)</figcaption></figure></div>",
            "Nội dung",
        ),
        (
            "<div><p style='text-align:center'><img src='/a.jpg'></p><p style='text-align:center'><em>Toàn cảnh</em></p>"
            "<p>Đoạn sau ảnh.</p></div>",
            "Đoạn sau ảnh.",
        ),
        (
            "<div><p><img src='/a.jpg'></p><p>Một đoạn văn bình thường sau ảnh.</p></div>",
            "Một đoạn văn bình thường sau ảnh.",
        ),
        ("<div><p>Tho\u0302ng tin</p></div>", "Thông tin"),
    ],
)
def test_text_of_body(html, expected):
    assert text_of(html) == expected


def test_images_keep_captions_and_drop_cache_busters():
    parts = body_parts(
        "<div><figure><img src='/documents/1/0/a.jpg/u?t=123'><figcaption>Toàn cảnh (Ảnh: THANH DUNG)</figcaption>"
        "</figure><p><img src='data:image/png;base64,AAAA'></p></div>",
        BASE,
    )
    assert parts.images == [
        {
            "src": "https://hepza.hochiminhcity.gov.vn/documents/1/0/a.jpg/u",
            "caption": "Toàn cảnh (Ảnh: THANH DUNG)",
            "credit": None,
        }
    ]


def test_attachments_are_listed_once_and_leave_the_body():
    parts = body_parts(
        "<div><p>Xem văn bản:</p><p><a href='/documents/1/0/QD-12.pdf/u?t=9'>Quyết định 12</a></p>"
        "<p>Tải <a href='/documents/1/0/QD-12.pdf/u?t=10'>tại đây</a> và <a href='/w/khac'>bài khác</a></p></div>",
        BASE,
    )
    assert parts.attachments == [
        {"url": "https://hepza.hochiminhcity.gov.vn/documents/1/0/QD-12.pdf/u", "title": "Quyết định 12"}
    ]
    assert blocks_to_text(parts.blocks) == "Xem văn bản:\n\nTải tại đây và bài khác"
    assert parts.links == [{"url": "https://hepza.hochiminhcity.gov.vn/w/khac", "text": "bài khác"}]


def test_a_labelled_paragraph_of_attachment_links_leaves_the_body():
    parts = body_parts(
        "<div><p>Nội dung.</p><p>Danh mục thủ tục: <a href='/documents/1/0/a.doc/u?t=1'>Danh mục 42 thủ tục</a>, "
        "<a href='/documents/1/0/b.pdf/u?t=2'>Hướng dẫn nộp hồ sơ</a></p></div>",
        BASE,
    )
    assert blocks_to_text(parts.blocks) == "Nội dung."
    assert [a["title"] for a in parts.attachments] == ["Danh mục 42 thủ tục", "Hướng dẫn nộp hồ sơ"]


H = "https://hepza.hochiminhcity.gov.vn"


@pytest.mark.parametrize(
    "html,links",
    [
        # Root-relative, as Liferay's editor writes a link to another page of the portal.
        ("<p>Xem <a href='/w/bai-khac'>bài khác</a>.</p>", [{"url": f"{H}/w/bai-khac", "text": "bài khác"}]),
        # Another site, its query kept as written (order, spelling, repeated keys).
        (
            "<p><a href='https://vanban.chinhphu.vn/?pageid=27160&amp;docid=205965&amp;a=1&amp;a=2'>Nghị định</a></p>",
            [{"url": "https://vanban.chinhphu.vn/?pageid=27160&docid=205965&a=1&a=2", "text": "Nghị định"}],
        ),
        # Liferay's session token and numeric cache-buster change between renderings: dropped.
        (
            "<p><a href='/c/portal/x?p_auth=Ab12Cd34&amp;id=7&amp;t=1699999999'>liên kết</a></p>",
            [{"url": f"{H}/c/portal/x?id=7", "text": "liên kết"}],
        ),
        # A t= that is not a number is another site's own parameter (a search term): kept.
        (
            "<p><a href='https://a.vn/tim?t=khu+che+xuat'>tìm</a></p>",
            [{"url": "https://a.vn/tim?t=khu+che+xuat", "text": "tìm"}],
        ),
        # The text is read like the body: NFC, spaces collapsed, across inline tags.
        (
            "<p><a href=' /w/x '>Ban  <b>Quản</b>\n lý</a></p>",
            [{"url": f"{H}/w/x", "text": "Ban Quản lý"}],
        ),
        ("<p><a href='/w/x'>Tho\u0302ng tin</a></p>", [{"url": f"{H}/w/x", "text": "Thông tin"}]),
        # A link around an image has no text.
        (
            "<p><a href='https://a.vn/anh-lon'><img src='/a.jpg'></a></p>",
            [{"url": "https://a.vn/anh-lon", "text": ""}],
        ),
        # The same link twice is listed once; the same target under other words is another link.
        (
            "<p><a href='/w/x'>một</a> <a href='/w/x'>một</a> <a href='/w/x'>hai</a></p>",
            [{"url": f"{H}/w/x", "text": "một"}, {"url": f"{H}/w/x", "text": "hai"}],
        ),
        (
            "<p><a href='mailto:bql@hepza.gov.vn'>thư</a></p>",
            [{"url": "mailto:bql@hepza.gov.vn", "text": "thư"}],
        ),
        # Not links a reader follows out of the page: in-page anchors, scripts, inline data, no href.
        ("<p><a href='#muc-2'>mục 2</a><a href='  #top'>lên</a></p>", []),
        ("<p><a href='javascript:void(0)'>x</a><a href=' JavaScript:alert(1)'>y</a></p>", []),
        ("<p><a href='data:text/html,hi'>x</a><a href='vbscript:x'>y</a></p>", []),
        ("<p><a name='muc-2'>mục 2</a><a href=''>rỗng</a><a href='   '>trắng</a></p>", []),
        # An address Python cannot parse costs the link, not the page.
        (
            "<p><a href='http://[nope'>hỏng</a> <a href='/w/x'>tốt</a></p>",
            [{"url": f"{H}/w/x", "text": "tốt"}],
        ),
        # A document is an attachment, not a link; a link inside a skipped tag is not read.
        ("<p><a href='/documents/1/0/a.pdf/u?t=1'>Tải</a></p><noscript><a href='/w/y'>y</a></noscript>", []),
    ],
)
def test_body_links(html, links):
    assert body_parts(f"<div>{html}</div>", BASE).links == links
