"""The project's own pages in Vietnamese or English, the reader choosing (datasette's chrome stays English).

The language of a request: ``?lang=vi|en`` (remembered in a cookie by :func:`language_wrapper`), else the
cookie, else the browser's ``Accept-Language`` (a Vietnamese browser gets Vietnamese), else
:data:`DEFAULT`. English is the default so that a page asked for by a script or a test without any
preference reads as it always has; every Vietnamese reader's browser asks for ``vi`` anyway.

Templates write English and ask for it translated: ``{{ t("History and changes") }}``,
``{{ t("{n} versions", n=3) }}``; the English text is the key of :data:`MESSAGES`, so a page reads in
English where a translation is missing (tests/unit/test_display.py checks every key the templates use has
one).
"""

from __future__ import annotations

from collections.abc import Callable
from http.cookies import CookieError, SimpleCookie
from urllib.parse import parse_qs, urlencode

from archive.datasette.display import vn_time

LANGUAGES = ("vi", "en")
DEFAULT = "en"
COOKIE = "hepza_lang"

# English text → Vietnamese. Placeholders in braces are filled with str.format.
MESSAGES: dict[str, str] = {
    # shared
    "HEPZA news archive": "Kho lưu trữ tin tức HEPZA",
    "home": "trang chủ",
    "articles": "bài viết",
    "article {id}": "bài {id}",
    "history": "lịch sử",
    "search": "tìm kiếm",
    "Language": "Ngôn ngữ",
    "version": "phiên bản",
    "captured": "lưu lúc",
    "kind": "loại",
    "changed": "thay đổi",
    "permalink": "liên kết cố định",
    "diff": "so sánh",
    "{n} version": "{n} phiên bản",
    "{n} versions": "{n} phiên bản",
    "No difference in content.": "Nội dung không khác nhau.",
    "HEPZA archive: new and changed articles": "Kho HEPZA: bài mới và bài được sửa",
    # article page
    "Article {id}": "Bài {id}",
    "History and changes": "Lịch sử và thay đổi",
    "On the portal": "Trên cổng thông tin",
    "All fields": "Mọi trường",
    "By": "Tác giả",
    "Source": "Nguồn",
    "Removed from the portal on {when}; last seen {seen}.": (
        "Đã bị gỡ khỏi cổng thông tin lúc {when}; thấy lần cuối lúc {seen}."
    ),
    "Missing from the portal since {when} (not yet confirmed).": (
        "Không còn trên cổng thông tin từ {when} (chưa xác nhận)."
    ),
    "The portal's date is probably the day old content was migrated, not the publication day.": (
        "Ngày trên cổng thông tin có lẽ là ngày chuyển dữ liệu cũ, không phải ngày đăng."
    ),
    "Images": "Hình ảnh",
    "Attachments": "Tệp đính kèm",
    "Links": "Liên kết",
    "Versions": "Các phiên bản",
    "What changed in version {n}": "Thay đổi trong phiên bản {n}",
    "About this record": "Về bản ghi này",
    "archive id": "mã trong kho",
    "portal asset id": "mã bài trên cổng",
    "URL": "Địa chỉ (URL)",
    "date line as printed": "dòng ngày như in trên trang",
    "byline as printed": "dòng tác giả như in trên trang",
    "photo credits": "ảnh",
    "event date": "ngày sự kiện",
    "first seen": "thấy lần đầu",
    "last seen": "thấy lần cuối",
    "last checked": "kiểm tra lần cuối",
    "documents cited": "văn bản được dẫn",
    "URLs seen": "các địa chỉ đã gặp",
    # history page
    "History: {title}": "Lịch sử: {title}",
    "Removed words are <del>struck out</del>, added words <ins>highlighted</ins>; names, dates and sources are "
    "shown whole, old → new.": (
        "Từ bị xóa được <del>gạch ngang</del>, từ thêm vào được <ins>tô sáng</ins>; tên, ngày và nguồn được "
        "hiện nguyên vẹn, cũ → mới."
    ),
    "Earliest against latest": "Bản đầu so với bản mới nhất",
    "Timeline chart": "Biểu đồ các phiên bản",
    "archived copy": "bản lưu trữ",
    "compare {a} → {b}": "so sánh {a} → {b}",
    "this against the latest": "bản này so với bản mới nhất",
    "what changed from version {n}": "thay đổi so với phiên bản {n}",
    "Show only the changes": "Chỉ hiện phần thay đổi",
    "Show the whole text": "Hiện toàn văn",
    "Compare version": "So sánh phiên bản",
    "with": "với",
    "Compare": "So sánh",
    "Version {n}": "Phiên bản {n}",
    "Version {a} → {b}": "Phiên bản {a} → {b}",
    "Removed from the portal": "Đã bị gỡ khỏi cổng thông tin",
    "first answered 404 at {when}": "trả về 404 lần đầu lúc {when}",
    "confirmed by run {run} of {when}": "được xác nhận bởi lần thu thập {run} lúc {when}",
    "The archived versions below stay.": "Các phiên bản đã lưu bên dưới vẫn còn.",
    "Pending removal": "Có thể đã bị gỡ",
    "answered 404 at {when}; the next run confirms or clears it.": (
        "trả về 404 lúc {when}; lần thu thập sau sẽ xác nhận hoặc bỏ qua."
    ),
    "captured {when}": "lưu lúc {when}",
    "first captured {when}": "lưu lần đầu lúc {when}",
    "(our extraction changed, not the page)": "(cách trích xuất của kho thay đổi, không phải trang)",
    "changed: {fields}": "thay đổi: {fields}",
    # version page
    "Version {n} of {count}": "Phiên bản {n} trên {count}",
    "published {when}": "đăng lúc {when}",
    "Removed from the portal on {when}.": "Đã bị gỡ khỏi cổng thông tin lúc {when}.",
    "Cite this": "Trích dẫn",
    "Permalink": "Liên kết cố định",
    # search page
    "Search: {q}": "Tìm: {q}",
    "Search the articles": "Tìm trong các bài viết",
    "Search the articles of every portal": "Tìm trong bài viết của mọi cổng thông tin",
    "Words to search for": "Từ cần tìm",
    "Portal": "Cổng thông tin",
    "all portals": "mọi cổng thông tin",
    "search past versions": "tìm cả phiên bản cũ",
    "Search": "Tìm",
    "Without diacritics a word finds every accented form (<em>dang</em>: đang, đăng, Đảng); typed with "
    "them it finds those letters (<em>Đảng</em>). Quotes find words side by side. Past versions find text "
    "the agency later removed. A URL finds its article.": (
        "Gõ không dấu, một từ tìm mọi cách viết có dấu (<em>dang</em>: đang, đăng, Đảng); gõ có dấu, "
        "chỉ tìm đúng các chữ đó (<em>Đảng</em>). Dấu ngoặc kép tìm các từ đứng liền nhau. Phiên bản cũ "
        "tìm cả đoạn mà cơ quan đã xóa sau đó. Một địa chỉ URL tìm bài của nó."
    ),
    "{n} article": "{n} bài",
    "{n} articles": "{n} bài",
    "in {portal}": "trong {portal}",
    "(every version searched)": "(đã tìm mọi phiên bản)",
    "removed from the portal": "đã bị gỡ khỏi cổng thông tin",
    "Found in": "Tìm thấy trong",
    "version {n}": "phiên bản {n}",
    "; no longer in the current text.": "; không còn trong bản hiện tại.",
    "← previous": "← trước",
    "next →": "sau →",
    "This URL is the archived article": "Địa chỉ này là bài đã lưu",
    # the articles table's compact listing
    "Showing the main columns.": "Đang hiện các cột chính.",
    "Show all {n} columns": "Hiện cả {n} cột",
    "CSV for Excel": "CSV cho Excel",
    # lookup page
    "lookup": "tra cứu",
    "Find an article from its URL": "Tìm bài từ địa chỉ URL",
    "Find": "Tìm",
    "Any URL of the article: from the address bar or a message, encoded or not, with tracking parameters, "
    "http or https, the portal's host or the archive's; or its id.": (
        "Bất kỳ địa chỉ nào của bài: chép từ thanh địa chỉ hay từ tin nhắn, mã hóa hay không, có tham số "
        "theo dõi, http hay https, tên miền của cổng hay của kho; hoặc mã của bài."
    ),
    "No archived article matches {ref}.": "Không có bài nào đã lưu ứng với {ref}.",
    # change desk (and its labels of kinds, archive/changefeed.py KIND_LABELS, translated in desk.py)
    "Change desk": "Bảng theo dõi thay đổi",
    "Change desk of every portal": "Bảng theo dõi thay đổi của mọi cổng thông tin",
    "changes": "thay đổi",
    "changes of every portal": "thay đổi của mọi cổng thông tin",
    "every portal": "mọi cổng thông tin",
    "Atom feed of these changes": "Nguồn tin Atom của các thay đổi này",
    "Atom feed of this list": "Nguồn tin Atom của danh sách này",
    "Everything the agency did that the archive saw: new articles, edits, dates and bylines changed, removals "
    "(pending and confirmed), returns, new addresses, documents replaced. Each change has a significance "
    "score (0–100) and the factors that make it.": (
        "Mọi việc cơ quan đã làm mà kho ghi nhận được: bài mới, bài được sửa, ngày đăng và tác giả thay đổi, "
        "bài bị gỡ (đang chờ xác nhận và đã xác nhận), bài đăng lại, địa chỉ mới, văn bản được thay thế. Mỗi "
        "thay đổi có điểm mức độ quan trọng (0–100) và các yếu tố tạo nên điểm đó."
    ),
    "Kind": "Loại",
    "Category": "Chuyên mục",
    "all categories": "mọi chuyên mục",
    "Since": "Từ ngày",
    "Until": "Đến ngày",
    "Significance at least": "Mức độ quan trọng từ",
    "Words": "Từ khóa",
    "Sort": "Sắp xếp",
    "newest first": "mới nhất trước",
    "most significant first": "quan trọng nhất trước",
    "Show": "Xem",
    "{n} change": "{n} thay đổi",
    "{n} changes": "{n} thay đổi",
    "significance": "mức độ quan trọng",
    "template · {n} articles": "mẫu trang · {n} bài",
    "article": "bài viết",
    "diff of version {n}": "so sánh phiên bản {n}",
    "The same edit in:": "Cùng một chỉnh sửa trong:",
    "No change matches these filters.": "Không có thay đổi nào khớp với các điều kiện lọc này.",
    "new article": "bài mới",
    "edit": "chỉnh sửa",
    "date changed": "đổi ngày",
    "byline changed": "đổi tác giả",
    "removal pending": "có thể đã bị gỡ",
    "removal confirmed": "đã xác nhận bị gỡ",
    "back on the portal": "đăng lại trên cổng thông tin",
    "new address": "địa chỉ mới",
    "document replaced": "văn bản bị thay thế",
    # compare page (with the kinds of version, archive/articles.py) and the diff of a field (_hepza_diff.html, archive/datasette/diff_views.py)
    "Compare versions {a} and {b}: {title}": "So sánh phiên bản {a} và {b}: {title}",
    "first": "bản đầu",
    "extraction": "trích xuất lại",
    "reprocess": "xử lý lại",
    "versions": "các phiên bản",
    "← previous change": "← thay đổi trước",
    "next change →": "thay đổi sau →",
    "earliest against latest": "bản đầu so với bản mới nhất",
    "show only the changes": "chỉ hiện phần thay đổi",
    "show the whole text": "hiện toàn văn",
    "inline": "trong dòng",
    "side by side": "hai cột song song",
    "View:": "Cách xem:",
    "No difference in content between these versions.": "Nội dung hai phiên bản này không khác nhau.",
    "before": "trước",
    "after": "sau",
    "coarse diff: a changed passage too long to compare word by word is shown whole": (
        "so sánh thô: đoạn thay đổi quá dài để so từng từ nên được hiện nguyên vẹn"
    ),
    "{n} unchanged paragraph": "{n} đoạn không đổi",
    "{n} unchanged paragraphs": "{n} đoạn không đổi",
    "(none)": "(không có)",
    "changed to": "đổi thành",
    "removed": "đã xóa",
    "added": "thêm vào",
    "the same items in another order": "các mục như cũ, thứ tự khác",
    "tone mark moved": "dấu thanh đổi chỗ",
    "diacritics changed": "dấu thay đổi",
    "capitals changed": "chữ hoa thay đổi",
    "The same letters and marks, the tone mark on another vowel (hòa / hoà: the old and the new placement "
    "rule): the same word.": (
        "Cùng chữ cái và dấu, dấu thanh đặt trên nguyên âm khác (hòa / hoà: cách bỏ dấu cũ và mới): "
        "vẫn là một từ."
    ),
    "The same letters with other marks (Hà / Hạ, Đảng / Đăng): another word.": (
        "Cùng chữ cái nhưng dấu khác (Hà / Hạ, Đảng / Đăng): là từ khác."
    ),
    "The same word with other capitals.": "Cùng một từ, viết hoa khác.",
    # charts page (and the labels charts.js puts on the charts)
    "Charts": "Biểu đồ",
    "Months are Vietnam's (Asia/Ho_Chi_Minh, UTC+7). <em>published</em>: articles by their publication date; "
    "<em>edited</em>: versions after the first, by the time the crawl saw them; <em>removed</em>: removals the "
    "crawl confirmed. Each chart's menu (⋯) saves it as SVG or PNG. The tables under the charts hold the same "
    "figures.": (
        "Tháng tính theo giờ Việt Nam (Asia/Ho_Chi_Minh, UTC+7). <em>đã đăng</em>: bài theo ngày đăng; "
        "<em>đã sửa</em>: các phiên bản sau bản đầu, theo thời điểm lần thu thập ghi nhận; <em>đã bị gỡ khỏi "
        "cổng thông tin</em>: các lần gỡ bài đã được xác nhận. Trình đơn (⋯) của mỗi biểu đồ cho phép lưu "
        "thành SVG hoặc PNG. Các bảng dưới biểu đồ chứa cùng số liệu."
    ),
    "every category": "mọi chuyên mục",
    "Published, edited and removed per month": "Số bài đăng, sửa và gỡ theo tháng",
    "Per month and category": "Theo tháng và chuyên mục",
    "Per month and portal": "Theo tháng và cổng thông tin",
    "Most edited articles": "Các bài bị sửa nhiều nhất",
    "Versions of this article": "Các phiên bản của bài này",
    "month (Vietnam time)": "tháng (giờ Việt Nam)",
    "what": "nội dung",
    "category": "chuyên mục",
    "portal": "cổng thông tin",
    "edits": "số lần sửa",
    "time (Vietnam)": "thời điểm (giờ Việt Nam)",
    "The chart could not be drawn; the table below holds its figures.": (
        "Không vẽ được biểu đồ; bảng bên dưới chứa số liệu của nó."
    ),
    "Timeline:": "Dòng thời gian:",
    "fields changed": "các trường thay đổi",
    "Per month": "Theo tháng",
    "The figures of these charts ({n} rows)": "Số liệu của các biểu đồ này ({n} dòng)",
    "month": "tháng",
    "count": "số lượng",
    "Nothing archived yet.": "Kho chưa lưu gì.",
    "timeline": "dòng thời gian",
    "chart": "biểu đồ",
    "No article has been edited.": "Chưa có bài nào bị sửa.",
    # the menu of every page (plugin.py menu_links)
    "Portals": "Các cổng thông tin",
    "Search every portal": "Tìm trong mọi cổng thông tin",
    "Changes of every portal": "Thay đổi của mọi cổng thông tin",
    "Atom feed of every portal": "Nguồn tin Atom của mọi cổng thông tin",
    "Articles": "Bài viết",
    "Atom feed": "Nguồn tin Atom",
    "published": "đã đăng",
    "edited": "đã sửa",
}

# The factors of significance (archive/significance.py WEIGHTS) in Vietnamese, for the change desk: in
# English the page shows their names as docs/significance.md and the JSON spell them.
FACTORS_VI: dict[str, str] = {
    "removed": "bài bị gỡ",
    "numbers": "số liệu",
    "documents": "văn bản được dẫn",
    "dates": "ngày tháng",
    "names": "tên người, cơ quan",
    "attachments_removed": "tệp đính kèm bị gỡ",
    "title": "tiêu đề",
    "links_removed": "liên kết bị gỡ",
    "text_share": "tỷ lệ văn bản thay đổi",
    "wording": "câu chữ",
    "attachments_added": "tệp đính kèm thêm",
    "source": "nguồn",
    "links_added": "liên kết thêm",
    "images": "hình ảnh",
    "typo": "lỗi chính tả",
    "cosmetic": "trình bày",
}


def factor_name(name: str, lang: str) -> str:
    """A factor of significance as the page's language names it."""
    return FACTORS_VI.get(name, name) if lang == "vi" else name


def choose(query_string: str | bytes = "", cookie_header: str = "", accept_language: str = "") -> str:
    """The language of a request: ``?lang=``, else the cookie, else ``Accept-Language``, else DEFAULT."""
    if isinstance(query_string, bytes):
        query_string = query_string.decode("latin-1")
    asked = (parse_qs(query_string).get("lang") or [""])[0]
    if asked in LANGUAGES:
        return asked
    cookie = SimpleCookie()
    try:
        cookie.load(cookie_header or "")
    except CookieError:  # a malformed Cookie header is no preference, not an error page
        cookie = SimpleCookie()
    if COOKIE in cookie and cookie[COOKIE].value in LANGUAGES:
        return cookie[COOKIE].value
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower().split("-")[0]
        if code in LANGUAGES:
            return code
    return DEFAULT


def request_language(request) -> str:
    if request is None:
        return DEFAULT
    return choose(
        request.query_string,
        request.headers.get("cookie", ""),
        request.headers.get("accept-language", ""),
    )


def translator(lang: str) -> Callable[..., str]:
    """``t(english, **values)``: the text in ``lang``, its placeholders filled."""

    def t(text: str, **values: object) -> str:
        out = MESSAGES.get(text, text) if lang == "vi" else text
        return out.format(**values) if values else out

    return t


def template_vars(request) -> dict:
    """What our templates get: ``lang``, ``t`` and ``when`` (a stored time in Vietnam time, zone named in
    the page's language), and the links of the language toggle."""
    lang = request_language(request)
    args = [(k, v) for k, v in parse_qs(request.query_string if request else "").items() if k != "lang"]
    path = request.path if request is not None else ""

    def toggle(code: str) -> str:
        return path + "?" + urlencode([*((k, x) for k, vs in args for x in vs), ("lang", code)])

    return {
        "lang": lang,
        "t": translator(lang),
        "when": lambda value: vn_time(value, lang),
        "lang_links": [
            {"code": code, "label": label, "chosen": code == lang, "href": toggle(code)}
            for code, label in (("vi", "Tiếng Việt"), ("en", "English"))
        ],
    }


def language_wrapper(app):
    """ASGI middleware: a request with ``?lang=vi|en`` gets a cookie remembering it, so the reader's next
    pages are in the language they chose."""

    async def wrapped(scope, receive, send):
        if scope.get("type") != "http":
            await app(scope, receive, send)
            return
        asked = (parse_qs(scope.get("query_string", b"").decode("latin-1")).get("lang") or [""])[0]
        if asked not in LANGUAGES:
            await app(scope, receive, send)
            return

        async def remembering(message):
            if message.get("type") == "http.response.start":
                cookie = f"{COOKIE}={asked}; Path=/; Max-Age=31536000; SameSite=Lax".encode("latin-1")
                message = {**message, "headers": [*message.get("headers", []), (b"set-cookie", cookie)]}
            await send(message)

        await app(scope, receive, remembering)

    return wrapped
