"""HTML of the portal's pages, with plain f-strings.

Pages are built once per (article version, locale, host) with markers for the parts that change on every
request (auth token, view counter, related list) and for the shared blocks of the page chrome
(``replica/chrome.py``); ``segments`` cuts a page at its markers and ``join`` fills them in.
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from urllib.parse import quote

from . import chrome as page_chrome
from . import portal
from .chrome import FULL, NONE, Parts
from .model import SITE_TZ, Article
from .portal import CATEGORIES, MENU, SITE_NAME_EN, SITE_NAME_VI, STATIC_PAGES, THEME_ROOT, Category, Page

# Markers for volatile parts; NUL never occurs in the rendered text.
TOKEN = "\x00token\x00"
VIEWS = "\x00views\x00"
RELATED = "\x00related\x00"

LABELS = {
    "vi": {
        "lang": "vi-VN",
        "lang_id": "vi_VN",
        "prefix": "",
        "site": SITE_NAME_VI,
        "home": "Trang chủ",
        "related": "Bài viết liên quan",
        "views": "Lượt xem",
        "share": "Chia sẻ",
        "prev": "Trước",
        "next": "Tiếp theo",
        "more": "Xem thêm",
        "search": "Tìm kiếm",
        "skip": "Truy cập nội dung luôn",
        "nf_title": "Không tìm thấy trang",
        "nf_text": "Không tìm thấy tài nguyên được yêu cầu.",
        "results": "Hiển thị {a} đến {b} trong {n} kết quả",
        "page": "Trang",
        "latest": "Tin mới nhất",
        "hotline": "Đường dây nóng",
        "other_lang": "English",
    },
    "en": {
        "lang": "en-US",
        "lang_id": "en_US",
        "prefix": "/en",
        "site": SITE_NAME_EN,
        "home": "Home",
        "related": "Related articles",
        "views": "Views",
        "share": "Share",
        "prev": "Previous",
        "next": "Next",
        "more": "More",
        "search": "Search",
        "skip": "Skip to content",
        "nf_title": "Not Found",
        "nf_text": "The requested resource could not be found.",
        "results": "Showing {a} to {b} of {n} entries.",
        "page": "Page",
        "latest": "Latest news",
        "hotline": "Hotline",
        "other_lang": "Tiếng Việt",
    },
}


def esc(s: str) -> str:
    return escape(s, quote=True)


def js_escape(s: str) -> str:
    """Liferay's HtmlUtil.escapeJS: everything but letters, digits and a few marks as \\xHH / \\uHHHH."""
    out = []
    for ch in s:
        if ch.isascii() and (ch.isalnum() or ch in " -_,"):
            out.append(ch)
        elif ord(ch) < 256:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(f"\\u{ord(ch):04x}")
    return "".join(out)


def format_date(dt: datetime, locale: str) -> str:
    """Date line as Liferay prints it for the locale, in the portal's time zone."""
    d = dt.astimezone(SITE_TZ)
    if locale == "en":
        return f"{d.month}/{d.day}/{d:%y} {(d.hour % 12) or 12}:{d:%M} {'AM' if d.hour < 12 else 'PM'}"
    return f"{d:%H:%M %d/%m/%Y}"


def _head(
    *,
    title: str,
    base: str,
    path: str,
    locale: str,
    plid: str,
    description: str = "",
    image: str | None = None,
    extra: str = "",
    ch: Parts = NONE,
) -> str:
    """<head> as Liferay prints it: <title> before the charset meta, canonical, hreflang, og:*, ThemeDisplay."""
    lb = LABELS[locale]
    vi_url, en_url = f"{base}{path}", f"{base}/en{path}"
    canonical = en_url if locale == "en" else vi_url
    full_title = f"{title} - {SITE_NAME_VI}"
    og_image = f'\n<meta property="og:image" content="{esc(base + image)}">' if image else ""
    desc = f'\n<meta content="{esc(description)}" lang="vi-VN" name="description" />' if description else ""
    og_desc = f'\n<meta property="og:description" content="{esc(description)}">' if description else ""
    return f"""<!DOCTYPE html>
<html class="ltr" dir="ltr" lang="{lb["lang"]}">
<head>
	<title>{esc(full_title)}</title>
	<meta content="initial-scale=1.0, width=device-width" name="viewport" />
<meta content="text/html; charset=UTF-8" http-equiv="content-type" />{desc}
<link data-senna-track="temporary" href="{esc(canonical)}" rel="canonical" />
<link data-senna-track="temporary" href="{esc(vi_url)}" hreflang="vi-VN" rel="alternate" />
<link data-senna-track="temporary" href="{esc(en_url)}" hreflang="en-US" rel="alternate" />
<link data-senna-track="temporary" href="{esc(vi_url)}" hreflang="x-default" rel="alternate" />
<meta property="og:locale" content="{lb["lang_id"]}">
<meta property="og:locale:alternate" content="en_US">
<meta property="og:locale:alternate" content="vi_VN">
<meta property="og:site_name" content="{esc(SITE_NAME_VI)}">
<meta property="og:title" content="{esc(full_title)}">{og_desc}
<meta property="og:type" content="website">
<meta property="og:url" content="{esc(canonical)}">{og_image}
<link href="{THEME_ROOT}/images/favicon.ico" rel="icon" />
<link class="lfr-css-file" data-senna-track="temporary" href="{base}{THEME_ROOT}/css/main.css?browserId=other&amp;themeId=hepzatheme_WAR_hepzatheme&amp;minifierType=css&amp;languageId={lb["lang_id"]}&amp;b=7413&amp;t=1675137600000" id="liferayAUICSS" rel="stylesheet" type="text/css" />{ch.css}
<script data-senna-track="temporary" type="text/javascript">
// <![CDATA[
var Liferay = Liferay || {{}};{ch.js_browser}
Liferay.Data = Liferay.Data || {{}};
Liferay.Data.NAV_SELECTOR = '#navigation';{ch.js_data}
Liferay.ThemeDisplay = {{
	getLayoutId: function() {{ return '{plid}'; }},{ch.theme_layout}
	getLayoutRelativeURL: function() {{ return '{js_escape(lb["prefix"] + (path if plid != portal.DISPLAY_PAGE_PLID else "/w"))}'; }},
	getLayoutURL: function() {{ return '{js_escape(base + lb["prefix"] + path)}'; }},
	isPrivateLayout: function() {{ return 'false'; }},
	getBCP47LanguageId: function() {{ return '{lb["lang"]}'; }},
	getCanonicalURL: function() {{ return '{js_escape(canonical)}'; }},
	getCDNBaseURL: function() {{ return '{js_escape(base)}'; }},
	getCompanyGroupId: function() {{ return '20134'; }},
	getCompanyId: function() {{ return '{portal.COMPANY_ID}'; }},
	getDefaultLanguageId: function() {{ return 'vi_VN'; }},
	getLanguageId: function() {{ return '{lb["lang_id"]}'; }},
	getParentGroupId: function() {{ return '{_group()}'; }},
	getPathContext: function() {{ return ''; }},
	getPathThemeRoot: function() {{ return '{THEME_ROOT}'; }},
	getPlid: function() {{ return '{plid}'; }},
	getPortalURL: function() {{ return '{js_escape(base)}'; }},
	getScopeGroupId: function() {{ return '{_group()}'; }},
	getScopeGroupIdOrLiveGroupId: function() {{ return '{_group()}'; }},
	getSiteGroupId: function() {{ return '{_group()}'; }},
	getUserId: function() {{ return '20101'; }},
	getUserName: function() {{ return ''; }},{ch.theme_more}
	isSignedIn: function() {{ return false; }}
}};
var themeDisplay = Liferay.ThemeDisplay;
Liferay.authToken = '{TOKEN}';
Liferay.currentURL = '{js_escape(lb["prefix"] + path)}';{ch.js_post}
// ]]>
</script>{ch.head_tail}{extra}
</head>
"""


def _group() -> str:
    from .model import GROUP_ID

    return GROUP_ID


def _menu_url(key: str, locale: str) -> str:
    prefix = LABELS[locale]["prefix"]
    return f"{prefix}/{key}" if key else (prefix or "/")


def _top(locale: str, base: str, active: str, path: str, ch: Parts = NONE) -> str:
    lb = LABELS[locale]
    items = []
    for key, vi, en in MENU:
        cls = "nav-item active" if key == active else "nav-item"
        label = en if locale == "en" else vi
        items.append(
            f'<li class="{cls}"><a class="nav-link" href="{base}{_menu_url(key, locale)}"><span>{esc(label)}</span></a></li>'
        )
    other = f"{base}{path}" if locale == "en" else f"{base}/en{path}"
    return f"""<body class="controls-visible guest-site signed-out public-page site">
<nav class="quick-access-nav" id="qfkd_quickAccessNav"><h1 class="hide-accessible">Navigation</h1><ul><li><a href="#main-content">{lb["skip"]}</a></li></ul></nav>{ch.body_open}
<div class="container-fluid" id="wrapper">
<header id="banner" role="banner">
	<div class="top-bar"><div class="container"><span class="top-date">{"Cổng thông tin điện tử" if locale == "vi" else "Web portal"}</span>
		<span class="top-links"><a href="{esc(other)}" class="lang-switch">{lb["other_lang"]}</a> | <a href="{base}{_menu_url("lien-he", locale)}">{lb["hotline"]}: (028) 3829 4699</a></span></div></div>
	<div class="banner-main"><div class="container banner-inner">
		<a class="logo custom-logo" href="{base}{_menu_url("", locale)}" title="{esc(lb["site"])}">
			<img alt="{esc(SITE_NAME_VI)}" height="84" src="{THEME_ROOT}/images/logo.svg" width="84" />
		</a>
		<div class="site-title"><div class="site-title-sub">{"ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH" if locale == "vi" else "HO CHI MINH CITY PEOPLE&#39;S COMMITTEE"}</div>
			<div class="site-title-main">{esc(lb["site"].upper())}</div>
			<div class="site-title-en">{"HO CHI MINH CITY EXPORT PROCESSING AND INDUSTRIAL ZONES AUTHORITY" if locale == "vi" else "HEPZA"}</div></div>
		<form class="search-box" action="{base}{lb["prefix"]}/search" method="get"><input name="q" placeholder="{lb["search"]}..." type="text" /></form>
	</div></div>
	<nav class="navbar navbar-expand-lg main-menu" id="navigation" role="navigation"><div class="container">
		<ul aria-label="Site pages" class="navbar-nav" role="menubar">
			{"".join(items)}
		</ul></div></nav>{ch.after_nav}
</header>
<section id="content"><a id="main-content"></a>
"""


def _bottom(locale: str, base: str, ch: Parts = NONE) -> str:
    lb = LABELS[locale]
    return f"""</section>
<footer id="footer" role="contentinfo"><div class="container footer-inner">
	<div class="footer-col"><div class="footer-title">{esc(lb["site"].upper())}</div>
		<p>{"Địa chỉ" if locale == "vi" else "Address"}: 35 Nguyễn Bỉnh Khiêm, phường Sài Gòn, TP. Hồ Chí Minh<br>
		{"Điện thoại" if locale == "vi" else "Phone"}: (028) 3829 4699 - Fax: (028) 3829 4271<br>
		Email: hepza@tphcm.gov.vn</p></div>
	<div class="footer-col"><p>{"Chịu trách nhiệm chính: Trưởng Ban Quản lý" if locale == "vi" else "Responsible: Head of the Authority"}<br>
		{"Ghi rõ nguồn" if locale == "vi" else "Please cite"} &quot;{esc(SITE_NAME_VI)}&quot; {"khi phát hành lại thông tin từ website này." if locale == "vi" else "when republishing."}</p>
		<p class="copyright">© 2026 HEPZA. Powered by Liferay</p></div>{ch.footer}
</div></footer>{ch.after_footer}
</div>
<script type="text/javascript">
// <![CDATA[
Liferay.currentURLEncoded = '{ch.current_encoded}';
// ]]>
</script>{ch.body_end}
</body>
</html>
"""


def _breadcrumb(locale: str, base: str, trail: list[tuple[str, str | None]]) -> str:
    lb = LABELS[locale]
    items = [
        f'<li class="breadcrumb-item"><a class="breadcrumb-link" href="{base}{_menu_url("", locale)}"><span class="breadcrumb-text-truncate">{lb["home"]}</span></a></li>'
    ]
    for label, href in trail:
        if href:
            items.append(
                f'<li class="breadcrumb-item"><a class="breadcrumb-link" href="{base}{href}"><span class="breadcrumb-text-truncate">{esc(label)}</span></a></li>'
            )
        else:
            items.append(
                f'<li class="breadcrumb-item active"><span class="breadcrumb-text-truncate">{esc(label)}</span></li>'
            )
    return f'<nav aria-label="Breadcrumb" class="container breadcrumb-bar"><ol class="breadcrumb">{"".join(items)}</ol></nav>\n'


# --- article display page ------------------------------------------------------------------------------


def article_body(a: Article) -> str:
    parts = [b.html for b in a.blocks]
    if a.byline_html:
        parts.append(a.byline_html)
    return "\n".join(parts)


def _article_chrome(a: Article, locale: str, base: str, chrome: str) -> Parts:
    return page_chrome.parts(
        chrome,
        locale=locale,
        base=base,
        plid=portal.DISPLAY_PAGE_PLID,
        path=f"/w/{a.slug}",
        active=a.category,
        portlets=(page_chrome.RELATED,),
    )


def _breadcrumbs_62(a: Article, locale: str, base: str) -> tuple[str, str]:
    """Liferay 6.2's trail (``ul.breadcrumbs``, the article itself last, linked) and the asset categories
    summary naming every category the article is filed under."""
    cat = CATEGORIES[a.category]
    lb = LABELS[locale]

    def name(c: Category) -> str:
        return c.name_en if locale == "en" else c.name_vi

    trail = (
        '<ul class="breadcrumbs breadcrumbs-horizontal lfr-component">'
        f'<li class="first"><span><a href="{base}{_menu_url("", locale)}">{lb["home"]}</a></span></li>'
        f'<li><span><a href="{base}{_menu_url(cat.key, locale)}">{esc(name(cat))}</a></span></li>'
        f'<li class="last active"><span><a href="{base}{lb["prefix"]}/w/{a.slug}">{esc(a.title)}</a></span></li></ul>\n'
    )
    links = "".join(
        f'<a class="asset-category" href="{base}{_menu_url(key, locale)}">{esc(name(CATEGORIES[key]))}</a> '
        for key in (a.category, *a.also_in)
    )
    summary = (
        '<span class="taglib-asset-categories-summary"><span class="asset-vocabulary">'
        f"{'Chuyên mục' if locale == 'vi' else 'Categories'}:</span> {links}</span>\n"
    )
    return trail, summary


def article_page(
    a: Article,
    locale: str,
    base: str,
    layout: str = "liferay",
    chrome: str = FULL,
    breadcrumbs: str = "7.4",
) -> str:
    if layout != "liferay":
        return redesigned_article_page(a, locale, base, chrome)
    lb = LABELS[locale]
    cat = CATEGORIES[a.category]
    path = f"/w/{a.slug}"
    vi_url = f"{base}{path}"
    page_url = f"{base}{lb['prefix']}{path}"
    u = [portal.stable_uuid(f"fragment:{a.asset_id}:{i}") for i in range(8)]
    ch = _article_chrome(a, locale, base, chrome)
    head = _head(
        title=a.title,
        base=base,
        path=path,
        locale=locale,
        plid=portal.DISPLAY_PAGE_PLID,
        description=a.summary(),
        image=a.image,
        ch=ch,
    )
    share_url = quote(page_url, safe="")
    name = esc(a.title)
    cat_name = cat.name_en if locale == "en" else cat.name_vi
    if breadcrumbs == "6.2":
        trail, summary = _breadcrumbs_62(a, locale, base)
    else:
        trail, summary = (
            _breadcrumb(locale, base, [(cat_name, _menu_url(cat.key, locale)), (a.title, None)]),
            "",
        )
    main = f"""{trail}<div class="container layout-content">
<div class="row"><div class="col-lg-9 main-column">
<div class="lfr-layout-structure-item-container lfr-layout-structure-item-{u[0]} article-detail">
<div class="lfr-layout-structure-item-{u[1]} lfr-layout-structure-item-com-liferay-fragment-renderer-react-internal-heading">
<div class="component-heading-wrapper"><h1 class="component-heading mb-2 text-break article-title" data-lfr-editable-id="element-text" data-lfr-editable-type="text">{name}</h1></div>
</div>
<div class="lfr-layout-structure-item-{u[2]} ">
<div class="component-text text-break article-meta"><p class="date-display text-secondary mb-3" data-lfr-editable-id="element-text" data-lfr-editable-type="text">{format_date(a.date, locale)}</p></div>
</div>
<div class="lfr-layout-structure-item-{u[3]} ">
<div class="journal-content-article " data-analytics-asset-id="{a.asset_id}" data-analytics-asset-title="{name}" data-analytics-asset-type="web-content">
<div class="component-paragraph text-break article-body" data-lfr-editable-id="element-text" data-lfr-editable-type="rich-text">
{article_body(a)}
</div>
</div>
</div>
<div class="lfr-layout-structure-item-{u[4]} ">{summary}
<div class="share-bar social-share"><span class="share-label">{lb["share"]}:</span>
<a class="share-facebook" href="https://www.facebook.com/sharer/sharer.php?u={share_url}" rel="noopener" target="_blank">Facebook</a>
<a class="share-zalo" href="https://sp.zalo.me/share_inline?url={share_url}" rel="noopener" target="_blank">Zalo</a>
<a class="share-twitter" href="https://twitter.com/intent/tweet?url={share_url}&amp;text={quote(a.title, safe="")}" rel="noopener" target="_blank">Twitter</a>
<a class="share-print" href="javascript:window.print();">In bài</a>
</div>
</div>
<div class="lfr-layout-structure-item-{u[5]} ">
<div class="view-count-box"><span class="view-count">{lb["views"]}: {VIEWS}</span></div>
</div>
<div class="lfr-layout-structure-item-{u[6]} related-articles">
<h2 class="related-title">{lb["related"]}</h2>
<ul class="related-list">{RELATED}</ul>
</div>
</div>
</div>
<div class="col-lg-3 side-column"><div class="side-box"><div class="side-title">{lb["hotline"]}</div><p class="hotline">(028) 3829 4699</p>
<p><a href="{base}{_menu_url("thu-tuc-hanh-chinh", locale)}">{esc(STATIC_PAGES["thu-tuc-hanh-chinh"].name_en if locale == "en" else STATIC_PAGES["thu-tuc-hanh-chinh"].name_vi)}</a></p></div></div>
</div>
</div>
<link rel="shortlink" href="{vi_url}" />
"""
    return head + _top(locale, base, cat.key, path, ch) + main + _bottom(locale, base, ch)


def redesigned_article_page(a: Article, locale: str, base: str, chrome: str = FULL) -> str:
    """The same article in a new theme: no fragments, no journal-content-article, no date-line element of
    its own (the date sits inside a sentence of the meta bar). What a redesign does to a scraper."""
    path = f"/w/{a.slug}"
    ch = _article_chrome(a, locale, base, chrome)
    head = _head(
        title=a.title,
        base=base,
        path=path,
        locale=locale,
        plid=portal.DISPLAY_PAGE_PLID,
        description=a.summary(),
        image=a.image,
        ch=ch,
    )
    main = f"""<div class="container"><article class="news-detail-v2">
<div class="nd-title">{esc(a.title)}</div>
<div class="nd-meta">Đăng lúc {format_date(a.date, locale)} bởi Ban biên tập</div>
<section class="nd-content">
{article_body(a)}
</section>
<aside class="nd-views">{LABELS[locale]["views"]}: {VIEWS}</aside>
<ul class="nd-related">{RELATED}</ul>
</article></div>
"""
    return head + _top(locale, base, a.category, path, ch) + main + _bottom(locale, base, ch)


def related_items(items: list[Article], locale: str, base: str) -> str:
    prefix = LABELS[locale]["prefix"]
    return "".join(
        f'<li class="related-item"><a href="{base}{prefix}/w/{a.slug}">{esc(a.title)}</a> '
        f'<span class="related-date">({format_date(a.date, locale)})</span></li>'
        for a in items
    )


# --- lists -----------------------------------------------------------------------------------------------


def entry_href(a: Article, cat: Category, locale: str, base: str, list_url: str) -> str:
    prefix = LABELS[locale]["prefix"]
    if cat.link_style == "dash":
        return f"{base}{prefix}/-/{a.slug}"
    if cat.link_style == "redirect":
        return f"{base}{prefix}/w/{a.slug}?_{cat.portlet_id}_redirect={quote(list_url, safe='')}"
    return f"{base}{prefix}/w/{a.slug}"


def _entry(a: Article, href: str, locale: str, with_summary: bool = True) -> str:
    thumb = f'<div class="news-thumb"><img alt="" src="{esc(a.image)}" /></div>' if a.image else ""
    summary = f'<p class="news-summary">{esc(a.summary(180))}</p>' if with_summary else ""
    return (
        f'<div class="news-item clearfix">{thumb}<div class="news-info">'
        f'<h3 class="news-title"><a class="asset-title" href="{esc(href)}">{esc(a.title)}</a></h3>'
        f'<span class="date-info">{format_date(a.date, locale)}</span>{summary}</div></div>\n'
    )


def _page_url(cat: Category, locale: str, base: str, cur: int, delta: int) -> str:
    p = cat.portlet_id
    return (
        f"{base}{_menu_url(cat.key, locale)}?p_p_id={p}&p_p_lifecycle=0&p_p_state=normal&p_p_mode=view"
        f"&_{p}_delta={delta}&p_r_p_resetCur=false&_{p}_cur={cur}"
    )


def _numbered_pager(cat: Category, locale: str, base: str, cur: int, pages: int, delta: int) -> str:
    lb = LABELS[locale]
    shown = sorted({1, pages, *range(max(1, cur - 2), min(pages, cur + 2) + 1)})
    items = []
    if cur > 1:
        items.append(
            f'<li class="page-item"><a class="page-link" href="{esc(_page_url(cat, locale, base, cur - 1, delta))}" aria-label="{lb["prev"]}">«</a></li>'
        )
    else:
        items.append(
            '<li class="page-item disabled"><a class="page-link" href="javascript:;" tabindex="-1">«</a></li>'
        )
    last = 0
    for n in shown:
        if n - last > 1:
            items.append('<li class="page-item disabled"><span class="page-link">…</span></li>')
        if n == cur:
            items.append(
                f'<li class="page-item active"><a class="page-link" href="{esc(_page_url(cat, locale, base, n, delta))}" aria-current="page">{n}</a></li>'
            )
        else:
            items.append(
                f'<li class="page-item"><a class="page-link" href="{esc(_page_url(cat, locale, base, n, delta))}">{n}</a></li>'
            )
        last = n
    if cur < pages:
        items.append(
            f'<li class="page-item"><a class="page-link" href="{esc(_page_url(cat, locale, base, cur + 1, delta))}" aria-label="{lb["next"]}">»</a></li>'
        )
    else:
        items.append(
            '<li class="page-item disabled"><a class="page-link" href="javascript:;" tabindex="-1">»</a></li>'
        )
    return f'<div class="pagination-bar"><ul class="pagination">{"".join(items)}</ul></div>'


def _simple_pager(cat: Category, locale: str, base: str, cur: int, pages: int, delta: int) -> str:
    lb = LABELS[locale]

    def li(label: str, target: int, enabled: bool) -> str:
        if not enabled:
            return f'<li class="disabled"><a href="javascript:;" onclick="" tabIndex="-1" target="_self">{label}</a></li>'
        return f'<li class=""><a href="{esc(_page_url(cat, locale, base, target, delta))}" onclick="" tabIndex="0" target="_self">{label}</a></li>'

    return (
        f'<div class="clearfix lfr-pagination"><ul class="lfr-pagination-buttons pager">'
        f"{li(lb['prev'], cur - 1, cur > 1)}{li(lb['next'], cur + 1, cur < pages)}</ul></div>"
    )


def _portlet(cat: Category, inner: str, title: str) -> str:
    p = cat.portlet_id
    return f"""<div class="portlet-boundary portlet-boundary_{portal.ASSET_PUBLISHER}_  portlet-static portlet-static-end decorate portlet-asset-publisher " id="p_p_id_{p}_">
<span id="p_{p}"></span>
<section class="portlet" id="portlet_{p}">
<div class="portlet-content"><div class="autofit-float autofit-row portlet-header"><div class="autofit-col autofit-col-expand"><h2 class="portlet-title-text">{esc(title)}</h2></div></div>
<div class=" portlet-content-container"><div class="portlet-body">
{inner}
</div></div></div>
</section>
</div>
"""


def list_page(
    cat: Category,
    entries: list[Article],
    locale: str,
    base: str,
    cur: int,
    pages: int,
    delta: int,
    total: int,
    chrome: str = FULL,
) -> str:
    lb = LABELS[locale]
    name = cat.name_en if locale == "en" else cat.name_vi
    path = f"/{cat.key}"
    list_url = _page_url(cat, locale, base, cur, delta) if cur > 1 else f"{base}{_menu_url(cat.key, locale)}"
    rows = "".join(_entry(a, entry_href(a, cat, locale, base, list_url), locale) for a in entries)
    pager = (_numbered_pager if cat.pager == "numbered" else _simple_pager)(
        cat, locale, base, cur, pages, delta
    )
    first = (cur - 1) * delta + 1 if total else 0
    results = f'<p class="pagination-results">{lb["results"].format(a=first, b=(cur - 1) * delta + len(entries), n=total)}</p>'
    inner = f'<div class="news-list">\n{rows}</div>\n{pager}{results if cat.pager == "numbered" else ""}'
    body = (
        _breadcrumb(locale, base, [(name, None)])
        + f'<div class="container layout-content"><div class="row"><div class="col-lg-12">{_portlet(cat, inner, name)}</div></div></div>\n'
    )
    ch = page_chrome.parts(
        chrome, locale=locale, base=base, plid=cat.plid, path=path, active=cat.key, portlets=(cat.portlet_id,)
    )
    head = _head(title=name, base=base, path=path, locale=locale, plid=cat.plid, ch=ch)
    return head + _top(locale, base, cat.key, path, ch) + body + _bottom(locale, base, ch)


def home_page(
    sections: list[tuple[Category, list[Article]]], locale: str, base: str, chrome: str = FULL
) -> str:
    lb = LABELS[locale]
    boxes = []
    for cat, entries in sections:
        name = cat.name_en if locale == "en" else cat.name_vi
        rows = "".join(
            _entry(a, f"{base}{lb['prefix']}/w/{a.slug}", locale, with_summary=i == 0)
            for i, a in enumerate(entries)
        )
        more = f'<a class="more-link" href="{base}{_menu_url(cat.key, locale)}">{lb["more"]} »</a>'
        boxes.append(
            f'<div class="col-lg-6 home-box">{_portlet(cat, f"<div class=news-list>{rows}</div>{more}", name)}</div>'
        )
    body = f'<div class="container layout-content home"><div class="row">{"".join(boxes)}</div></div>\n'
    ch = page_chrome.parts(
        chrome,
        locale=locale,
        base=base,
        plid=portal.HOME.plid,
        path="/",
        active="",
        portlets=tuple(cat.portlet_id for cat, _ in sections),
    )
    head = _head(title=lb["home"], base=base, path="/", locale=locale, plid=portal.HOME.plid, ch=ch)
    return (
        head.replace(f'{base}/en/"', f'{base}/en"')
        + _top(locale, base, "", "/", ch)
        + body
        + _bottom(locale, base, ch)
    )


STATIC_TEXT = {
    "gioi-thieu": [
        "Ban Quản lý các Khu chế xuất và công nghiệp Thành phố Hồ Chí Minh được thành lập năm 1992, là cơ quan trực thuộc Ủy ban nhân dân Thành phố, thực hiện chức năng quản lý nhà nước trực tiếp đối với các khu chế xuất, khu công nghiệp trên địa bàn.",
        "Ban Quản lý có các phòng chuyên môn: Văn phòng, Phòng Quản lý đầu tư, Phòng Quản lý doanh nghiệp, Phòng Quản lý quy hoạch và xây dựng, Phòng Quản lý lao động, Phòng Quản lý môi trường và các đơn vị sự nghiệp trực thuộc.",
    ],
    "thu-tuc-hanh-chinh": [
        "Danh mục thủ tục hành chính thuộc thẩm quyền giải quyết của Ban Quản lý được công khai tại Bộ phận tiếp nhận và trả kết quả và trên Cổng dịch vụ công của Thành phố.",
        "Tổ chức, cá nhân có thể nộp hồ sơ trực tiếp, qua dịch vụ bưu chính công ích hoặc nộp trực tuyến đối với các thủ tục đã cung cấp dịch vụ công trực tuyến.",
    ],
    "lien-he": [
        "Địa chỉ: 35 Nguyễn Bỉnh Khiêm, phường Sài Gòn, Thành phố Hồ Chí Minh.",
        "Điện thoại: (028) 3829 4699. Email: hepza@tphcm.gov.vn.",
    ],
}


def static_page(page: Page, locale: str, base: str, chrome: str = FULL) -> str:
    name = page.name_en if locale == "en" else page.name_vi
    paras = "".join(f"<p>{esc(t)}</p>" for t in STATIC_TEXT[page.key])
    inst = portal.instance_id(f"page:{page.key}")
    body = (
        _breadcrumb(locale, base, [(name, None)])
        + f'<div class="container layout-content"><div class="portlet-boundary portlet-boundary_com_liferay_journal_content_web_portlet_JournalContentPortlet_ portlet-journal-content" id="p_p_id_com_liferay_journal_content_web_portlet_JournalContentPortlet_INSTANCE_{inst}_">'
        f'<h2 class="portlet-title-text">{esc(name)}</h2><div class="journal-content-article">{paras}</div></div></div>\n'
    )
    path = f"/{page.key}"
    ch = page_chrome.parts(
        chrome,
        locale=locale,
        base=base,
        plid=page.plid,
        path=path,
        active=page.key,
        portlets=(f"com_liferay_journal_content_web_portlet_JournalContentPortlet_INSTANCE_{inst}",),
    )
    return (
        _head(title=name, base=base, path=path, locale=locale, plid=page.plid, ch=ch)
        + _top(locale, base, page.key, path, ch)
        + body
        + _bottom(locale, base, ch)
    )


def not_found_page(path: str, locale: str, base: str, chrome: str = FULL) -> str:
    lb = LABELS[locale]
    body = (
        f'<div class="container layout-content"><div class="portlet-boundary portlet-boundary_com_liferay_portal_kernel_portlet_PortletResponseUtil_ status-page">'
        f'<h2 class="status-title">{lb["nf_title"]}</h2><div class="alert alert-danger">{lb["nf_text"]}</div>'
        f'<div class="status-url">{esc(base + path)}</div></div></div>\n'
    )
    ch = page_chrome.parts(chrome, locale=locale, base=base, plid="0", path="/", active="-")
    return (
        _head(title=lb["nf_title"], base=base, path="/", locale=locale, plid="0", ch=ch)
        + _top(locale, base, "-", "/", ch)
        + body
        + _bottom(locale, base, ch)
    )


# --- assembly --------------------------------------------------------------------------------------------


def segments(page: str) -> list[bytes | str]:
    """A rendered page cut at its markers: UTF-8 bytes to send as they are (the chrome's blocks are shared
    by every page), and between them the names of the volatile parts (``token``, ``views``, ``related``)."""
    out: list[bytes | str] = []
    for i, piece in enumerate(page.split("\x00")):
        if not i % 2:
            if piece:
                out.append(piece.encode("utf-8"))
        elif piece.startswith(page_chrome.MARK):
            out.append(page_chrome.block(piece[len(page_chrome.MARK) :]))
        else:
            out.append(piece)
    return out


def join(parts: list[bytes | str], values: dict[str, bytes]) -> bytes:
    """The bytes of a page: its segments with the volatile parts filled in from ``values``."""
    return b"".join(p if p.__class__ is bytes else values[p] for p in parts)
