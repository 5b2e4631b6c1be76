"""Sites of other platforms, for the crawl's "not a Liferay portal" check (pipelines/platform.py).

Some of the city's agency portals are not Liferay (OTHER-PORTALS.md: shtp, medinet, sgtvt, dost and the old
dpi run ASP/ASP.NET or other CMSs; Bình Dương hosts run DotNetNuke). These two sites are built from what
those platforms print by default, with Vietnamese news, and nothing of Liferay's:

- ``aspnet``: an ASP.NET WebForms site on IIS: ``/Default.aspx``, articles at ``/TinTuc/ChiTiet.aspx?id=N``,
  a ``__VIEWSTATE`` form around every page, ``WebResource.axd`` scripts, ``X-AspNet-Version`` headers, a
  robots.txt without a sitemap and an IIS 404 page for ``/sitemap.xml``.
- ``wordpress``: a WordPress 6 site: ``/wp-content/`` themes, a ``generator`` meta, ``/?p=N`` shortlinks and
  ``/YYYY/MM/<slug>/`` permalinks, robots.txt naming ``/wp-sitemap.xml`` (WordPress's own sitemap since 5.5),
  ``/sitemap.xml`` redirected there.

They are not in ``portal_names()`` (the Liferay portals the end-to-end tests crawl):
``hepza sample-site --portal aspnet`` serves one.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from html import escape
from urllib.parse import parse_qs, urlsplit

NAMES = ("aspnet", "wordpress")
Response = tuple[int, list[tuple[str, str]], bytes]
_TITLES = (
    "Hội nghị triển khai nhiệm vụ năm 2026 của Khu Công nghệ cao",
    "Thông báo lịch tiếp công dân tháng 3/2026",
    "Doanh nghiệp Nhật Bản tìm hiểu cơ hội đầu tư tại Thành phố",
    "Kết quả thu hút đầu tư quý I/2026",
    "Hướng dẫn thủ tục cấp giấy phép lao động cho người nước ngoài",
    "Tập huấn chuyển đổi số cho cán bộ, công chức",
)


class ForeignSite:
    """A small news site of another platform: a handful of articles, no mutations."""

    def __init__(self, portal: str = "aspnet") -> None:
        if portal not in NAMES:
            raise ValueError(f"unknown site {portal!r}; the replica's other platforms are {', '.join(NAMES)}")
        self.portal = portal
        self.request_count = 0
        self._lock = threading.RLock()
        start = datetime(2026, 3, 2, 8, 30, tzinfo=UTC)
        self.articles = [
            (str(1200 + i), title, start - timedelta(days=3 * i, minutes=17 * i))
            for i, title in enumerate(_TITLES)
        ]

    def live(self) -> list[tuple[str, str, datetime]]:
        return list(self.articles)


def _body(title: str) -> str:
    return (
        f"<p><strong>{escape(title)}.</strong> Sáng 02/3, đơn vị đã tổ chức hội nghị với sự tham dự của 120 đại biểu.</p>"
        "<p>Phát biểu tại hội nghị, lãnh đạo đơn vị đề nghị các phòng, ban đẩy nhanh tiến độ thực hiện.</p>"
        '<p style="text-align:right"><strong>Minh Anh</strong></p>'
    )


# --- ASP.NET WebForms -------------------------------------------------------------------------------------

_ASPNET_HEADERS = [
    ("Server", "Microsoft-IIS/10.0"),
    ("X-AspNet-Version", "4.0.30319"),
    ("X-Powered-By", "ASP.NET"),
    ("Cache-Control", "private"),
]
_VIEWSTATE = "/wEPDwUKLTk1NTk2NzY0Mg9kFgJmD2QWAgIDD2QWBAIBDw8WAh4EVGV4dAUQVGluIHThu6ljIHPhu7Ega2nhu4duZGQ="


def _aspnet_page(base: str, title: str, main: str) -> str:
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head id="Head1"><meta http-equiv="Content-Type" content="text/html; charset=utf-8" /><title>
	{escape(title)} - Khu Công nghệ cao TP.HCM
</title><link href="{base}/App_Themes/Default/style.css" type="text/css" rel="stylesheet" /></head>
<body>
<form method="post" action="./Default.aspx" id="form1">
<div class="aspNetHidden">
<input type="hidden" name="__EVENTTARGET" id="__EVENTTARGET" value="" />
<input type="hidden" name="__EVENTARGUMENT" id="__EVENTARGUMENT" value="" />
<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="{_VIEWSTATE}" />
</div>
<script type="text/javascript">
//<![CDATA[
var theForm = document.forms['form1'];
function __doPostBack(eventTarget, eventArgument) {{ theForm.__EVENTTARGET.value = eventTarget; theForm.submit(); }}
//]]>
</script>
<script src="/WebResource.axd?d=pynGkmcFUV13He1Qd6_TZA2&amp;t=638250000000000000" type="text/javascript"></script>
<div id="header"><a id="ctl00_hlLogo" href="{base}/Default.aspx"><img src="{base}/Images/logo.png" alt="SHTP" /></a>
<ul id="menu"><li><a href="{base}/Default.aspx">Trang chủ</a></li><li><a href="{base}/TinTuc/DanhSach.aspx?cat=1">Tin tức</a></li>
<li><a href="javascript:__doPostBack('ctl00$lbtnEnglish','')">English</a></li></ul></div>
<div id="ctl00_ContentPlaceHolder1_pnlMain" class="noidung">
{main}
</div>
<div id="footer">Bản quyền © Ban Quản lý Khu Công nghệ cao TP.HCM</div>
<div class="aspNetHidden"><input type="hidden" name="__VIEWSTATEGENERATOR" id="__VIEWSTATEGENERATOR" value="CA0B0334" />
<input type="hidden" name="__EVENTVALIDATION" id="__EVENTVALIDATION" value="/wEdAAO5rZpx0e8+9mN1a2" /></div>
</form>
</body>
</html>
"""


def _aspnet(site: ForeignSite, base: str, path: str, params: dict[str, str]) -> Response:
    html = [("Content-Type", "text/html; charset=utf-8"), *_ASPNET_HEADERS]
    if path == "/robots.txt":
        return (
            200,
            [("Content-Type", "text/plain"), *_ASPNET_HEADERS],
            b"User-agent: *\r\nDisallow: /Admin/\r\n",
        )
    if path in ("/", "/Default.aspx", "/TinTuc/DanhSach.aspx"):
        items = "".join(
            f'<div class="tin"><a id="ctl00_ContentPlaceHolder1_rptTin_ctl0{i}_hlTieuDe" '
            f'href="{base}/TinTuc/ChiTiet.aspx?id={aid}">{escape(t)}</a> <span class="ngay">({d:%d/%m/%Y})</span></div>'
            for i, (aid, t, d) in enumerate(site.live())
        )
        return 200, html, _aspnet_page(base, "Trang chủ", items).encode()
    if path == "/TinTuc/ChiTiet.aspx":
        for aid, title, when in site.live():
            if params.get("id") == aid:
                main = f'<h1 id="ctl00_ContentPlaceHolder1_lblTieuDe">{escape(title)}</h1><span class="ngay">{when:%d/%m/%Y %H:%M}</span>{_body(title)}'
                return 200, html, _aspnet_page(base, title, main).encode()
    # IIS's own 404 page (no custom errors): what /sitemap.xml answers too.
    page = (
        "<!DOCTYPE html><html><head><title>404 - File or directory not found.</title></head><body>"
        '<div id="header"><h1>Server Error</h1></div><div id="content"><div class="content-container"><fieldset>'
        "<h2>404 - File or directory not found.</h2></fieldset></div></div></body></html>"
    )
    return 404, html, page.encode()


# --- WordPress --------------------------------------------------------------------------------------------


def _wp_slug(title: str) -> str:
    from .portals import slugify  # WordPress's sanitize_title folds accents as Liferay 6.2 does

    return slugify(title, {"d": "d", "max": 200})


def _wp_url(base: str, aid: str, title: str, when: datetime) -> str:
    return f"{base}/{when:%Y/%m}/{_wp_slug(title)}/"


def _wp_page(base: str, title: str, main: str, shortlink: str = "") -> str:
    short = f'<link rel="shortlink" href="{shortlink}" />' if shortlink else ""
    return f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="UTF-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>{escape(title)} &#8211; Sở Khoa học và Công nghệ</title>
<meta name="robots" content="max-image-preview:large" />
<link rel="alternate" type="application/rss+xml" title="Sở Khoa học và Công nghệ &raquo; Dòng thông tin" href="{base}/feed/" />
<link rel="https://api.w.org/" href="{base}/wp-json/" />
<link rel="EditURI" type="application/rsd+xml" title="RSD" href="{base}/xmlrpc.php?rsd" />
<meta name="generator" content="WordPress 6.4.3" />
{short}
<link rel="stylesheet" id="wp-block-library-css" href="{base}/wp-includes/css/dist/block-library/style.min.css?ver=6.4.3" media="all" />
<link rel="stylesheet" id="twentytwentyfour-style-css" href="{base}/wp-content/themes/dost-theme/style.css?ver=1.0" media="all" />
<script src="{base}/wp-includes/js/jquery/jquery.min.js?ver=3.7.1" id="jquery-core-js"></script>
</head>
<body class="home blog wp-embed-responsive">
<div class="wp-site-blocks"><header class="wp-block-template-part"><p class="wp-block-site-title"><a href="{base}/">Sở Khoa học và Công nghệ</a></p>
<nav class="wp-block-navigation"><ul><li class="wp-block-navigation-item"><a href="{base}/category/tin-tuc/">Tin tức</a></li></ul></nav></header>
<main class="wp-block-group">
{main}
</main>
<footer class="wp-block-template-part"><p>Vận hành bởi WordPress</p></footer></div>
<script src="{base}/wp-includes/js/wp-emoji-release.min.js?ver=6.4.3" id="wp-emoji-js"></script>
</body>
</html>
"""


def _wordpress(site: ForeignSite, base: str, path: str, params: dict[str, str]) -> Response:
    html = [
        ("Content-Type", "text/html; charset=UTF-8"),
        ("Server", "nginx"),
        ("Link", f'<{base}/wp-json/>; rel="https://api.w.org/"'),
    ]
    xml = [("Content-Type", "application/xml; charset=UTF-8"), ("Server", "nginx")]
    if path == "/robots.txt":
        text = f"User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n\nSitemap: {base}/wp-sitemap.xml\n"
        return 200, [("Content-Type", "text/plain; charset=utf-8"), ("Server", "nginx")], text.encode()
    if path == "/sitemap.xml":  # WordPress redirects the usual name to its own sitemap
        return 301, [("Location", f"{base}/wp-sitemap.xml"), *html], b""
    if path == "/wp-sitemap.xml":
        body = (
            '<?xml version="1.0" encoding="UTF-8"?><?xml-stylesheet type="text/xsl" href="/wp-sitemap-index.xsl" ?>'
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{base}/wp-sitemap-posts-post-1.xml</loc></sitemap></sitemapindex>"
        )
        return 200, xml, body.encode()
    if path == "/wp-sitemap-posts-post-1.xml":
        rows = "".join(
            f"<url><loc>{_wp_url(base, aid, t, d)}</loc><lastmod>{d.isoformat()}</lastmod></url>"
            for aid, t, d in site.live()
        )
        body = f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{rows}</urlset>'
        return 200, xml, body.encode()
    if path in ("/", "/category/tin-tuc/"):
        items = "".join(
            f'<article class="post-{aid} post type-post status-publish"><h2 class="wp-block-post-title">'
            f'<a href="{_wp_url(base, aid, t, d)}">{escape(t)}</a></h2>'
            f'<div class="wp-block-post-date"><time datetime="{d.isoformat()}">{d:%d/%m/%Y}</time></div></article>'
            for aid, t, d in site.live()
        )
        return 200, html, _wp_page(base, "Trang chủ", items).encode()
    for aid, title, when in site.live():
        if path == urlsplit(_wp_url("", aid, title, when)).path or params.get("p") == aid:
            main = (
                f'<article class="post-{aid} post type-post status-publish"><h1 class="wp-block-post-title">{escape(title)}</h1>'
                f'<div class="wp-block-post-date"><time datetime="{when.isoformat()}">{when:%d/%m/%Y}</time></div>'
                f'<div class="entry-content wp-block-post-content">{_body(title)}</div></article>'
            )
            return 200, html, _wp_page(base, title, main, shortlink=f"{base}/?p={aid}").encode()
    return 404, html, _wp_page(base, "Không tìm thấy trang", "<h1>Không tìm thấy trang</h1>").encode()


def handle(site: ForeignSite, method: str, target: str, headers: dict[str, str]) -> Response:
    """Answer one request for a site of another platform; `headers` keys are lower-case."""
    with site._lock:
        site.request_count += 1
    split = urlsplit(target)
    params = {k: v[0] for k, v in parse_qs(split.query).items()}
    base = f"http://{headers.get('host', '127.0.0.1')}"
    answer = _aspnet if site.portal == "aspnet" else _wordpress
    return answer(site, base, split.path or "/", params)
