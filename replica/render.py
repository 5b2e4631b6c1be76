"""HTML of the portal's pages: the templates in replica/templates filled in, and small f-strings.

Pages are built once per (article version, locale, host) with markers for the parts that change on every
request (auth token, view counter, related list) and for the shared blocks of the page chrome
(``replica/chrome.py``); ``segments`` cuts a page at its markers and ``join`` fills them in.
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from urllib.parse import quote

from . import chrome as page_chrome
from . import files, portal
from .chrome import FULL, NONE, Parts
from .model import GROUP_ID, SITE_TZ, Article
from .portal import CATEGORIES, MENU, SITE_NAME_VI, STATIC_PAGES, THEME_ROOT, Category, Page

# Markers for volatile parts; NUL never occurs in the rendered text.
TOKEN = "\x00token\x00"
VIEWS = "\x00views\x00"
RELATED = "\x00related\x00"

LABELS = portal.LABELS  # the words pages print, per locale (replica/data/portal.json)


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
    return files.template("head.html").fill(
        lang=lb["lang"],
        title=esc(full_title),
        description_meta=desc,
        canonical=esc(canonical),
        vi_url=esc(vi_url),
        en_url=esc(en_url),
        lang_id=lb["lang_id"],
        site_name=esc(SITE_NAME_VI),
        og_description=og_desc,
        og_image=og_image,
        theme_root=THEME_ROOT,
        base=base,
        chrome_css=ch.css,
        chrome_browser=ch.js_browser,
        chrome_data=ch.js_data,
        plid=plid,
        chrome_layout=ch.theme_layout,
        # The display page's relative URL is /w, whatever the article.
        layout_relative_url=js_escape(lb["prefix"] + (path if plid != portal.DISPLAY_PAGE_PLID else "/w")),
        layout_url=js_escape(base + lb["prefix"] + path),
        canonical_js=js_escape(canonical),
        base_js=js_escape(base),
        company_id=portal.COMPANY_ID,
        group_id=GROUP_ID,
        chrome_theme=ch.theme_more,
        token=TOKEN,
        current_url=js_escape(lb["prefix"] + path),
        chrome_post=ch.js_post,
        chrome_head_tail=ch.head_tail,
        extra=extra,
    )


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
    return files.template("top.html").fill(
        skip=lb["skip"],
        chrome_body_open=ch.body_open,
        portal_kind=lb["portal_kind"],
        other_lang_url=esc(other),
        other_lang=lb["other_lang"],
        base=base,
        contact_url=_menu_url("lien-he", locale),
        hotline=lb["hotline"],
        home_url=_menu_url("", locale),
        site=esc(lb["site"]),
        site_name_vi=esc(SITE_NAME_VI),
        theme_root=THEME_ROOT,
        committee=lb["committee"],
        site_upper=esc(lb["site"].upper()),
        site_title_en=lb["site_title_en"],
        prefix=lb["prefix"],
        search=lb["search"],
        menu_items="".join(items),
        chrome_after_nav=ch.after_nav,
    )


def _bottom(locale: str, base: str, ch: Parts = NONE) -> str:
    lb = LABELS[locale]
    return files.template("bottom.html").fill(
        site_upper=esc(lb["site"].upper()),
        address=lb["address"],
        phone=lb["phone"],
        responsible=lb["responsible"],
        cite=lb["cite"],
        site_name_vi=esc(SITE_NAME_VI),
        cite_tail=lb["cite_tail"],
        chrome_footer=ch.footer,
        chrome_after_footer=ch.after_footer,
        current_encoded=ch.current_encoded,
        chrome_body_end=ch.body_end,
    )


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
        f"{lb['categories']}:</span> {links}</span>\n"
    )
    return trail, summary


def article_page(
    a: Article,
    locale: str,
    base: str,
    layout: str = "liferay",
    chrome: str = FULL,
    breadcrumbs: str = "7.4",
    template: str | None = None,
) -> str:
    if layout != "liferay":
        return redesigned_article_page(a, locale, base, chrome, template)
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
    procedures = STATIC_PAGES["thu-tuc-hanh-chinh"]
    main = files.template("article.html").fill(
        trail=trail,
        **{f"item{i}": uuid for i, uuid in enumerate(u[:7])},
        title=name,
        date_line=format_date(a.date, locale),
        asset_id=a.asset_id,
        body=article_body(a),
        summary=summary,
        share=lb["share"],
        share_url=share_url,
        share_text=quote(a.title, safe=""),
        views_label=lb["views"],
        views=VIEWS,
        related_label=lb["related"],
        related=RELATED,
        hotline=lb["hotline"],
        base=base,
        procedures_url=_menu_url(procedures.key, locale),
        procedures=esc(procedures.name_en if locale == "en" else procedures.name_vi),
        shortlink=vi_url,
    )
    return head + _top(locale, base, cat.key, path, ch) + main + _bottom(locale, base, ch)


def long_date(dt: datetime, with_time: bool = True) -> str:
    """The date in words, as some themes print it: ``08 giờ 05, ngày 19 tháng 02 năm 2014`` (without
    the time for a portal whose article pages print the day only)."""
    d = dt.astimezone(SITE_TZ)
    day = f"ngày {d.day} tháng {d.month:02d} năm {d.year}"
    return f"{d:%H} giờ {d:%M}, {day}" if with_time else day


def redesign_values(a: Article, with_time: bool = True) -> dict[str, str]:
    """What a theme given as template text may print beyond the shipped templates' values."""
    first_p = next((i for i, b in enumerate(a.blocks) if b.kind == "p"), None)
    return {
        "body_blocks": "\n".join(b.html for b in a.blocks),
        # The lead paragraph (sapo) and the other blocks, for a theme that prints the lead apart.
        "lead": a.blocks[first_p].html if first_p is not None else "",
        "blocks_after_lead": "\n".join(b.html for i, b in enumerate(a.blocks) if i != first_p),
        "byline": a.byline_html or "",
        "date_long": long_date(a.date, with_time),
        # A date form no built-in reader knows (year first, slashes): what only a profile's date format reads.
        "date_ymd": f"{a.date:%Y/%m/%d %H:%M}",
        # The time first, a bar, then the day (hochiminhcity.gov.vn's ``HH:mm | dd/MM/yyyy``).
        "date_pipe": f"{a.date:%H:%M | %d/%m/%Y}" if with_time else f"{a.date:%d/%m/%Y}",
        "views_label": LABELS["vi"]["views"],
    }


def redesigned_article_page(
    a: Article, locale: str, base: str, chrome: str = FULL, template: str | None = None
) -> str:
    """The same article in a new theme: no fragments, no journal-content-article, no date-line element of
    its own (the date sits inside a sentence of the meta bar). What a redesign does to a scraper.
    ``template``: another theme's markup, as template text (``Site.redesign``)."""
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
    values = dict(
        title=esc(a.title),
        date_line=format_date(a.date, locale),
        body=article_body(a),
        views_label=LABELS[locale]["views"],
        views=VIEWS,
        related=RELATED,
    )
    if template is None:
        main = files.template("article-redesigned.html").fill(**values)
    else:
        tpl = files.Template("custom-theme", template)
        offered = redesign_values(a) | values
        main = tpl.fill(**{k: v for k, v in offered.items() if k in tpl.names})
    return head + _top(locale, base, a.category, path, ch) + main + _bottom(locale, base, ch)


def related_items(items: list[Article], locale: str, base: str) -> str:
    prefix = LABELS[locale]["prefix"]
    return "".join(
        f'<li class="related-item"><a href="{base}{prefix}/w/{a.slug}">{esc(a.title)}</a> '
        f'<span class="related-date">({format_date(a.date, locale)})</span></li>'
        for a in items
    )


# --- lists -----------------------------------------------------------------------------------------------


def entry_href(
    a: Article, cat: Category, locale: str, base: str, list_url: str, route: str | None = None
) -> str:
    prefix = LABELS[locale]["prefix"]
    if route:  # ``Site.list_route``: a route of no Liferay form the portal also answers
        return f"{base}{prefix}{route.format(slug=a.slug)}"
    if cat.link_style == "dash":
        return f"{base}{prefix}/-/{a.slug}"
    if cat.link_style == "redirect":
        return f"{base}{prefix}/w/{a.slug}?_{cat.portlet_id}_redirect={quote(list_url, safe='')}"
    return f"{base}{prefix}/w/{a.slug}"


def _entry(a: Article, href: str, locale: str, with_summary: bool = True) -> str:
    thumb = f'<div class="news-thumb"><img alt="" src="{esc(a.image)}" /></div>' if a.image else ""
    summary = f'<p class="news-summary">{esc(a.summary(180))}</p>' if with_summary else ""
    return files.template("news-item.html").fill(
        thumb=thumb,
        href=esc(href),
        title=esc(a.title),
        date_line=format_date(a.date, locale),
        summary=summary,
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
    return files.template("portlet.html").fill(
        asset_publisher=portal.ASSET_PUBLISHER, portlet_id=p, title=esc(title), inner=inner
    )


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
    route: str | None = None,
) -> str:
    lb = LABELS[locale]
    name = cat.name_en if locale == "en" else cat.name_vi
    path = f"/{cat.key}"
    list_url = _page_url(cat, locale, base, cur, delta) if cur > 1 else f"{base}{_menu_url(cat.key, locale)}"
    rows = "".join(_entry(a, entry_href(a, cat, locale, base, list_url, route), locale) for a in entries)
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


def static_page(page: Page, locale: str, base: str, chrome: str = FULL) -> str:
    name = page.name_en if locale == "en" else page.name_vi
    paras = "".join(f"<p>{esc(t)}</p>" for t in portal.STATIC_TEXT[page.key])
    inst = portal.instance_id(f"page:{page.key}")
    body = _breadcrumb(locale, base, [(name, None)]) + files.template("static-page.html").fill(
        instance=inst, title=esc(name), paragraphs=paras
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
    body = files.template("not-found.html").fill(
        title=lb["nf_title"], text=lb["nf_text"], url=esc(base + path)
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
    return b"".join(p if isinstance(p, bytes) else values[p] for p in parts)
