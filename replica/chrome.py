"""Liferay 7.4 page chrome: what a real portal page carries around its content.

Real Liferay pages weigh 50–80 KB, most of it chrome: stylesheet links, the ``Liferay.Browser`` /
``ThemeDisplay`` / ``Liferay.AUI`` script, the import map and module loader config, ``AUI().applyConfig``
blocks, combo ``<script src>`` tags, layout styles, an icon sprite, the product menu, the mobile menu, the
footer and the ``Liferay.Portlet.register`` / ``onLoad`` calls of every portlet on the page. Modelled on
real Liferay pages (SITE-FACTS.md's ``liferay-samples/``) and Liferay 7.4's page templates, generated here.
``Site(chrome=...)`` picks ``full`` (this) or ``light`` (none: the replica's original, much lighter markup).

The big parts are the same on every page of a locale: built once per process, shared, and put into a page
as a marker (``\\x00chrome:<name>\\x00``) that ``render.segments`` swaps for the shared bytes, so a cached
page holds only its own parts. Nothing here is content: no ``journal-content-article``, no rich-text
fragment, no ``h1``, no ``asset-title``; script and style text sit inside ``<script>`` / ``<style>``; every
URL is on the page's own origin (relative, or ``base``), and the only ``<a href>`` links it adds point at the
menu's pages (or are ``javascript:;``), so a crawl fetches the same pages with or without it.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from functools import cache, lru_cache
from urllib.parse import quote

from . import files
from .portal import ASSET_PUBLISHER, MENU, SITE_NAME_EN, SITE_NAME_VI, THEME_ROOT, instance_id, stable_uuid

FULL, LIGHT = "full", "light"
MODES = (FULL, LIGHT)
MARK = "chrome:"

THEME_ID = "hepzatheme_WAR_hepzatheme"
BUILD = "7413"
T_THEME = "1675137600000"
T_PORTAL = "1708331462000"
LANG_ID = {"vi": "vi_VN", "en": "en_US"}
PREFIX = {"vi": "", "en": "/en"}

PRODUCT_MENU = "com_liferay_product_navigation_product_menu_web_portlet_ProductMenuPortlet"
NAV_MENU = f"com_liferay_site_navigation_menu_web_portlet_SiteNavigationMenuPortlet_INSTANCE_{instance_id('nav:main')}"
SEARCH_BAR = "com_liferay_portal_search_web_search_bar_portlet_SearchBarPortlet_INSTANCE_templateSearch"
BREADCRUMB = "com_liferay_site_navigation_breadcrumb_web_portlet_SiteNavigationBreadcrumbPortlet"
FOOTER = f"com_liferay_journal_content_web_portlet_JournalContentPortlet_INSTANCE_{instance_id('footer')}"
RELATED = f"{ASSET_PUBLISHER.replace('AssetPublisherPortlet', 'RelatedAssetsPortlet')}_INSTANCE_{instance_id('related')}"
COMMON_PORTLETS = (PRODUCT_MENU, NAV_MENU, SEARCH_BAR, FOOTER)

# What the chrome lists (replica/data/chrome.json); its big blocks are replica/templates/chrome-*.
_DATA = files.data("chrome")
_BROWSER: list[str] = _DATA["browser_getters"]
# (locale id, its own name, direction): Liferay.Language.available as a 7.4 portal prints it.
_LANGUAGES: list[list[str]] = _DATA["languages"]
_CLAY: list[str] = _DATA["clay_modules"]
_EXPORTS: list[list[str]] = _DATA["exports"]  # (module name, web bundle)
_AUI_MODULES: list[str] = _DATA["aui_modules"]
_WEB_MODULES: list[str] = _DATA["web_modules"]
# Web modules that register AUI (YUI) modules on every page: (bundle, group, version), and the words and
# requirements their (made-up, seeded) module names and dependencies are drawn from.
_AUI_BUNDLES: list[list[str]] = _DATA["aui_bundles"]
_AUI_WORDS: list[str] = _DATA["aui_words"]
_AUI_REQUIRES: list[str] = _DATA["aui_requires"]
_CSS_PROPS: list[list] = _DATA["css_props"]  # (property, values to pick from)
_SPA_TEXT: dict[str, list[str]] = _DATA["spa_text"]  # locale -> (timeout message, title)
_DDM_EVENTS: list[list[str]] = _DATA["ddm_events"]  # (form event, Analytics event, fields sent)
# The theme's own icons, inlined; Clay's (angle-right, bars, times…) come from its icons.svg.
_ICONS: list[str] = _DATA["icons"]
# locale -> (links title, owner, licence, hotline, back to top)
_FOOTER: dict[str, list[str]] = _DATA["footer"]
# Analytics listeners every 7.4 page registers: (Liferay event, Analytics event, asset type, fields sent).
_LISTENERS: list[list[str]] = _DATA["listeners"]
_SUPPORT: list[list[str]] = _DATA["support"]  # (support module, its variable)


def _template(name: str) -> files.Template:
    return files.template(f"chrome-{name}")


_JS_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_,")
_JS_TABLE = {i: f"\\x{i:02x}" for i in range(256) if chr(i) not in _JS_SAFE}


def js(s: str) -> str:
    """Liferay's HtmlUtil.escapeJS (the same output as ``render.js_escape``, by a table)."""
    out = s.translate(_JS_TABLE)
    if out.isascii():
        return out
    return "".join(ch if ord(ch) < 256 else f"\\u{ord(ch):04x}" for ch in out)


@dataclass(frozen=True)
class Parts:
    """The chrome of one page, one string per place in the page (all empty: the light page)."""

    css: str = ""  # after the theme's stylesheet link
    js_browser: str = ""  # top of the ThemeDisplay script
    js_data: str = ""  # after Liferay.Data.NAV_SELECTOR
    theme_layout: str = ""  # ThemeDisplay getters after getLayoutId
    theme_more: str = ""  # ThemeDisplay getters before isSignedIn
    js_post: str = ""  # after Liferay.currentURL
    current_encoded: str = ""  # Liferay.currentURLEncoded, at the end of <body>
    head_tail: str = ""  # the rest of <head>
    body_open: str = ""  # after the quick-access nav
    after_nav: str = ""  # after the main menu, inside the banner
    footer: str = ""  # a column of the footer
    after_footer: str = ""  # between the footer and the end of #wrapper
    body_end: str = ""  # the scripts at the end of <body>


NONE = Parts()


def check_mode(mode: str) -> str:
    if mode not in MODES:
        raise ValueError(f"chrome must be one of {MODES}, not {mode!r}")
    return mode


def marker(name: str) -> str:
    return f"\x00{MARK}{name}\x00"


def parts(
    mode: str,
    *,
    locale: str,
    base: str,
    plid: str,
    path: str,
    active: str,
    portlets: tuple[str, ...] = (),
) -> Parts:
    """The chrome of a page. ``path`` is the page's path without the locale prefix; ``portlets`` are the
    page's own portlets (asset publishers, web content), registered after the theme's."""
    if check_mode(mode) == LIGHT:
        return NONE
    prefix = PREFIX[locale]
    current = js(quote(prefix + path, safe=""))
    return Parts(
        css=marker(f"css/{locale}"),
        js_browser=marker("browser"),
        js_data=marker("data"),
        theme_layout=marker(f"layout/{locale}"),
        theme_more=marker("theme") + _theme_urls(base, prefix, plid),
        js_post=marker(f"aui/{locale}"),
        current_encoded=current,
        head_tail=marker(f"head/{locale}"),
        body_open=marker(f"body/{locale}"),
        after_nav=_mobile_menu(locale, base, active),
        footer=marker(f"footer/{locale}"),
        after_footer=marker("after-footer"),
        body_end=marker("end-open")
        + "".join(_on_load(p, plid, prefix, current) for p in (*COMMON_PORTLETS, *portlets))
        + marker(f"end/{locale}"),
    )


def block(name: str) -> bytes:
    """The shared bytes of a marker's block."""
    return _blocks()[name]


def block_text(name: str) -> str:
    return _texts()[name]


def names() -> list[str]:
    return list(_texts())


@cache
def _blocks() -> dict[str, bytes]:
    return {k: v.encode("utf-8") for k, v in _texts().items()}


@cache
def _texts() -> dict[str, str]:
    out = {
        "browser": _browser(),
        "data": _data(),
        "theme": _theme_static(),
        "end-open": _end_open(),
        "after-footer": _after_footer(),
    }
    for locale in LANG_ID:
        out[f"css/{locale}"] = _css(locale)
        out[f"layout/{locale}"] = _layout_getters(locale)
        out[f"aui/{locale}"] = _aui(locale)
        out[f"head/{locale}"] = _head_tail(locale)
        out[f"body/{locale}"] = _sprite() + _product_menu(locale) + _control_menu(locale)
        out[f"footer/{locale}"] = _footer(locale)
        out[f"end/{locale}"] = _end(locale)
    return out


def _rng(label: str) -> random.Random:
    return random.Random(f"hepza-replica:chrome:{label}")


def _q(locale: str) -> str:
    return (
        f"browserId=other&amp;themeId={THEME_ID}&amp;minifierType=css&amp;languageId={LANG_ID[locale]}"
        f"&amp;b={BUILD}"
    )


# --- <head> ------------------------------------------------------------------------------------------------


def _css(locale: str) -> str:
    combo = "&amp;".join(
        f"{p}:%2Fcss%2Fmain.css"
        for p in (BREADCRUMB, FOOTER, PRODUCT_MENU, SEARCH_BAR, NAV_MENU, ASSET_PUBLISHER, RELATED)
    )
    return _template("css.html").fill(
        query=_q(locale),
        t_portal=T_PORTAL,
        t_theme=T_THEME,
        theme_id=THEME_ID,
        lang_id=LANG_ID[locale],
        build=BUILD,
        combo=combo,
        theme_root=THEME_ROOT,
    )


def _browser() -> str:
    """Liferay.Browser for a browser Liferay does not sniff (``browserId=other`` in every resource URL)."""
    values = {"acceptsGzip": "true", "getMajorVersion": "0", "getRevision": "''", "getVersion": "''"}
    rows = [f"\t\t\t{n}: function() {{\n\t\t\t\treturn {values.get(n, 'false')};\n\t\t\t}}" for n in _BROWSER]
    return "\n\t\tLiferay.Browser = {\n" + ",\n\n".join(rows) + "\n\t\t};\n"


def _data() -> str:
    langs = "".join(
        f"\t\t\t\tavailable['{k}'] = '{js(name)}';\n\t\t\t\tdirection['{k}'] = '{d}';\n"
        for k, name, d in _LANGUAGES
    )
    return _template("data.js").fill(langs=langs)


def _layout_getters(locale: str) -> str:
    panel = js(f"{PREFIX[locale]}/group/guest/~/control_panel/manage?p_p_id={PRODUCT_MENU}")
    return _template("layout.js").fill(control_panel=panel)


def _theme_static() -> str:
    getters = [
        ("getCDNDynamicResourcesHost", "''"),
        ("getCDNHost", "''"),
        ("getDoAsUserIdEncoded", "''"),
        ("getPathImage", "'\\x2fimage'"),
        ("getPathJavaScript", "'\\x2fo\\x2ffrontend-js-web'"),
        ("getPathMain", "'\\x2fc'"),
        ("getPathThemeImages", f"'{js(THEME_ROOT + '/images')}'"),
        ("getPathThemeSpritemap", f"'{js(THEME_ROOT + '/images/clay/icons.svg')}'"),
        ("getRealUserId", "'20101'"),
        ("getRemoteAddr", "'127.0.0.1'"),
        ("getRemoteHost", "'127.0.0.1'"),
        ("getSessionId", "''"),
        ("getUserEmailAddress", "''"),
        ("isAddSessionIdToURL", "false"),
        ("isImpersonated", "false"),
        ("isStateExclusive", "false"),
        ("isStateMaximized", "false"),
        ("isStatePopUp", "false"),
    ]
    return "".join(f"\n\t{name}: function() {{ return {value}; }}," for name, value in getters)


def _theme_urls(base: str, prefix: str, plid: str) -> str:
    control_panel = js(f"{base}/group/control_panel?refererPlid={plid}")
    home, site = js(f"{base}{prefix}/web/guest"), js(f"{base}{prefix}/group/guest/~/control_panel/manage")
    return (
        f"\n\tgetURLControlPanel: function() {{ return '{control_panel}'; }},"
        f"\n\tgetURLHome: function() {{ return '{home}'; }},"
        f"\n\tgetSiteAdminURL: function() {{ return '{site}'; }},"
    )


def _aui(locale: str) -> str:
    return _template("aui.js").fill(lang=LANG_ID[locale], build=BUILD, t_portal=T_PORTAL)


def _import_map() -> str:
    imports = {f"@clayui/{n}": f"/o/frontend-taglib-clay/__liferay__/exports/@clayui${n}.js" for n in _CLAY}
    imports |= {name: f"/o/{web}/__liferay__/exports/{name.replace('/', '$')}.js" for name, web in _EXPORTS}
    scopes = {"/o/frontend-js-react-web/": {"react": "/o/frontend-js-react-web/__liferay__/exports/react.js"}}
    text = json.dumps({"imports": imports, "scopes": scopes}, separators=(",", ":"))
    return f'<script type="importmap">{text}</script>'


def _loader_config(locale: str) -> str:
    return _template("loader.html").fill(lang_id=LANG_ID[locale], t_portal=T_PORTAL)


def _combo_scripts(locale: str) -> str:
    files = [f"/o/frontend-js-aui-web/{m}" for m in _AUI_MODULES] + [
        f"/o/frontend-js-web/{m}" for m in _WEB_MODULES
    ]
    head = f"/combo?browserId=other&amp;minifierType=js&amp;languageId={LANG_ID[locale]}&amp;b={BUILD}&amp;t={T_PORTAL}"
    tags = [
        f'<script data-senna-track="permanent" src="{head}&amp;{"&amp;".join(files[i : i + 34])}" type="text/javascript"></script>'
        for i in range(0, len(files), 34)
    ]
    tags.append(
        f'<script data-senna-track="temporary" src="/o/js_loader_modules?t={T_PORTAL}" type="text/javascript"></script>'
    )
    tags.append(
        f'<script data-senna-track="temporary" src="/o/js_bundle_config?t={T_PORTAL}" type="text/javascript"></script>'
    )
    return "\n".join(tags)


def _apply_configs() -> str:
    out = []
    for bundle, group, version in _AUI_BUNDLES:
        rng = _rng(f"aui:{bundle}")
        words = _AUI_WORDS.copy()
        rng.shuffle(words)
        modules = []
        for w in words[: rng.randint(2, 5)]:
            name = f"liferay-{group.lower()}-{w}"
            req = sorted(rng.sample(_AUI_REQUIRES, rng.randint(2, 6)))
            cond = (
                f'\n\t\t\t\t\t\t\tcondition: {{\n\t\t\t\t\t\t\t\ttrigger: "{rng.choice(_AUI_REQUIRES)}"\n\t\t\t\t\t\t\t}},'
                if rng.random() < 0.25
                else ""
            )
            modules.append(
                f'\t\t\t\t\t\t"{name}": {{{cond}\n\t\t\t\t\t\t\tpath: "{w}.js",\n'
                f"\t\t\t\t\t\t\trequires: [{', '.join(json.dumps(r) for r in req)}]\n\t\t\t\t\t\t}}"
            )
        body = ",\n".join(modules)
        out.append(_template("aui-group.js").fill(bundle=bundle, version=version, group=group, body=body))
    return '<script data-senna-track="temporary" type="text/javascript">\n' + "".join(out) + "</script>"


def _layout_styles() -> str:
    rules = []
    for i in range(6):
        rng = _rng(f"style:{i}")
        props = rng.sample(_CSS_PROPS, rng.randint(8, 14))
        body = "".join(f"\t{name}: {rng.choice(values)};\n" for name, values in props)
        rules.append(f".lfr-layout-structure-item-{stable_uuid(f'master:{i}')} {{\n{body}}}")
    portlet_css = "".join(
        f"#p_p_id_{p}_ .portlet-content {{\n\tbackground-color: #;\n\tborder-top-color: #;\n\tborder-right-color: #;\n"
        f"\tborder-bottom-color: #;\n\tborder-left-color: #;\n\tcolor: #\n}}\n"
        for p in (NAV_MENU, FOOTER, SEARCH_BAR)
    )
    return (
        '<style data-senna-track="temporary" type="text/css">\n'
        + "\n".join(rules)
        + "\n</style>\n"
        + '<style data-senna-track="temporary" type="text/css">\n'
        + portlet_css
        + "</style>"
    )


def _spa(locale: str) -> str:
    message, title = _SPA_TEXT[locale]
    blacklist = json.dumps(
        {
            k: True
            for k in (
                "com_liferay_nested_portlets_web_portlet_NestedPortletsPortlet",
                "com_liferay_site_navigation_directory_web_portlet_SitesDirectoryPortlet",
                "com_liferay_questions_web_internal_portlet_QuestionsPortlet",
                "com_liferay_account_admin_web_internal_portlet_AccountUsersRegistrationPortlet",
                "com_liferay_login_web_portlet_LoginPortlet",
                "com_liferay_login_web_portlet_FastLoginPortlet",
            )
        },
        separators=(",", ":"),
    )
    return _template("spa.html").fill(message=js(message), title=js(title), blacklist=blacklist)


def _analytics() -> str:
    handlers = "".join(
        _template("ddm-handler.js").fill(event=event, action=action, fields=fields)
        for event, action, fields in _DDM_EVENTS
    )
    return (
        '<script data-senna-track="temporary" type="text/javascript">\n\tif (window.Analytics) {\n'
        "\t\twindow._com_liferay_document_library_analytics_isViewFileEntry = false;\n\t}\n</script>\n"
        f'<script type="text/javascript">\n// <![CDATA[\n{handlers}// ]]>\n</script>'
    )


def _theme_module() -> str:
    return _template("theme-module.html").fill()


def _head_tail(locale: str) -> str:
    return "\n".join(
        [
            "",
            _import_map(),
            _loader_config(locale),
            _combo_scripts(locale),
            _apply_configs(),
            _theme_module(),
            _layout_styles(),
            _spa(locale),
            _analytics(),
        ]
    )


# --- <body> ------------------------------------------------------------------------------------------------


def _path_data(rng: random.Random) -> str:
    x, y = rng.randint(32, 480), rng.randint(32, 480)
    parts = [f"M{x} {y}"]
    for _ in range(rng.randint(3, 6)):
        parts.append(
            "c" + " ".join(str(rng.randint(-120, 120) / (10 if rng.random() < 0.5 else 1)) for _ in range(6))
        )
        if rng.random() < 0.3:
            parts.append(f"l{rng.randint(-64, 64)} {rng.randint(-64, 64)}")
    return "".join(parts) + "z"


def _sprite() -> str:
    symbols = []
    for name in _ICONS:
        rng = _rng(f"icon:{name}")
        paths = "".join(f'<path class="lexicon-icon-outline" d="{_path_data(rng)}"></path>' for _ in range(1))
        symbols.append(f'<symbol id="{name}" viewBox="0 0 512 512">{paths}</symbol>')
    return (
        '\n<svg aria-hidden="true" class="lexicon-icon-sprite" style="display: none;" xmlns="http://www.w3.org/2000/svg">'
        + "".join(symbols)
        + "</svg>"
    )


def icon(name: str, extra: str = "") -> str:
    """A Clay icon (from the theme's icons.svg), or one of the theme's own (from the inline sprite)."""
    href = f"#{name}" if name in _ICONS else f"{THEME_ROOT}/images/clay/icons.svg#{name}"
    return (
        f'<svg aria-hidden="true" class="lexicon-icon lexicon-icon-{name}{extra}" focusable="false" role="presentation">'
        f'<use href="{href}"></use></svg>'
    )


def _product_menu(locale: str) -> str:
    return _template("product-menu.html").fill(
        portlet=PRODUCT_MENU,
        menu_label="Product Menu" if locale == "en" else "Menu sản phẩm",
        theme_root=THEME_ROOT,
        site=SITE_NAME_EN if locale == "en" else SITE_NAME_VI,
        close="Close" if locale == "en" else "Đóng",
        close_icon=icon("times"),
    )


def _control_menu(locale: str) -> str:
    """The control menu's frame, as the page prints it for a guest: no tools, no links."""
    categories = "".join(
        f'\n\t\t\t\t<li class="control-menu-nav-category {c}-control-group" role="presentation">'
        f'<ul class="control-menu-nav" role="menu"></ul></li>'
        for c in ("sites", "tools", "user")
    )
    return _template("control-menu.html").fill(
        ns="_com_liferay_product_navigation_control_menu_web_portlet_ProductNavigationControlMenuPortlet_",
        label="Control Menu" if locale == "en" else "Menu điều khiển",
        categories=categories,
    )


@lru_cache(maxsize=64)
def _mobile_menu(locale: str, base: str, active: str) -> str:
    """The menu again, for small screens: the same links as the main menu (no page a crawler has not seen)."""
    prefix = PREFIX[locale]
    items = []
    for key, vi, en in MENU:
        href = f"{base}{prefix}/{key}" if key else f"{base}{prefix or '/'}"
        cls = " active" if key == active else ""
        items.append(
            f'\t\t\t<li class="lfr-nav-item nav-item{cls}" role="presentation">'
            f'<a class="nav-link text-truncate" href="{href}" role="menuitem"><span class="text-truncate">'
            f"{en if locale == 'en' else vi}</span></a></li>\n"
        )
    label = "Menu" if locale == "en" else "Danh mục"
    return _template("mobile-menu.html").fill(label=label, menu_icon=icon("bars"), items="".join(items))


def _footer(locale: str) -> str:
    links_title, owner, licence, hotline, _ = _FOOTER[locale]
    prefix = PREFIX[locale]
    links = "".join(
        f'<li>{icon("angle-right")}<a href="{prefix}/{key}">{en if locale == "en" else vi}</a></li>'
        for key, vi, en in MENU
        if key
    )
    return _template("footer.html").fill(
        links_item=stable_uuid("master:footer-links"),
        links_title=links_title,
        links=links,
        contact_item=stable_uuid("master:footer-contact"),
        phone_icon=icon("phone"),
        hotline=hotline,
        fax_icon=icon("fax"),
        email_icon=icon("envelope-closed"),
        owner=owner.replace("'", "&#39;"),
        licence=licence,
    )


def _after_footer() -> str:
    return _template("after-footer.html").fill(top_icon=icon("arrow-up"))


def _listener(event: str, action: str, asset: str, fields: str) -> str:
    sent = "".join(f"\t\t\t\t{f}: data.{f},\n" for f in fields.split())
    return _template("listener.js").fill(event=event, action=action, asset=asset, sent=sent)


def _end_open() -> str:
    return _template("end-open.html").fill(listeners="".join(_listener(*row) for row in _LISTENERS))


def _on_load(portlet: str, plid: str, prefix: str, current: str) -> str:
    """Liferay.Portlet.register / onLoad of one portlet, as every Liferay page prints them."""
    if portlet in COMMON_PORTLETS:  # in the theme, not in a column
        column, static = "\\x26p_p_col_id\\x3dnull\\x26p_p_col_pos\\x3dnull\\x26p_p_col_count\\x3dnull", True
    else:
        column, static = "\\x26p_p_col_id\\x3dcolumn-1\\x26p_p_col_pos\\x3d0\\x26p_p_col_count\\x3d1", False
    url = (
        f"{js(prefix)}\\x2fc\\x2fportal\\x2frender_portlet\\x3fp_l_id\\x3d{plid}\\x26p_p_id\\x3d{portlet}"
        f"\\x26p_p_lifecycle\\x3d0\\x26p_t_lifecycle\\x3d0\\x26p_p_state\\x3dnormal\\x26p_p_mode\\x3dview"
        + column
        + ("\\x26p_p_static\\x3d1" if static else "")
        + f"\\x26p_p_isolated\\x3d1\\x26currentURL\\x3d{current}"
        + ("\\x26settingsScope\\x3dportletInstance" if static else "")
    )
    return _template("on-load.js").fill(portlet=portlet, url=url)


def _end(locale: str) -> str:
    lang = LANG_ID[locale]
    support = "".join(
        _template("support.html").fill(module=module, variable=_var(module), name=name)
        for module, name in _SUPPORT
    )
    return _template("end.html").fill(
        product_menu=PRODUCT_MENU,
        theme_root=THEME_ROOT,
        lang=lang,
        build=BUILD,
        t_theme=T_THEME,
        support=support,
    )


def _var(module: str) -> str:
    words = module.replace("@", "-").replace("/", "-").replace(".", "").split("-")
    return words[0] + "".join(w[:1].upper() + w[1:] for w in words[1:])


# --- static resources the chrome links to -------------------------------------------------------------------

_RESOURCE_PREFIXES = (
    "/o/frontend-",
    "/o/js_",
    "/o/layout-taglib/",
    "/o/product-navigation-",
    "/o/site-navigation-",
    "/o/portal-search-web/",
)


def resource(path: str, query: str = "") -> tuple[str, bytes] | None:
    """(content type, body) of a platform file the chrome links to (a small stand-in), or None."""
    if path in ("/combo", "/combo/"):
        if "minifierType=js" in query:
            return "text/javascript;charset=UTF-8", b"/* replica stand-in */\n"
        return "text/css", b"/* replica stand-in */\n"
    if not path.startswith(_RESOURCE_PREFIXES):
        return None
    if path.endswith(".css"):
        return "text/css", b"/* replica stand-in */\n"
    return "text/javascript;charset=UTF-8", b"/* replica stand-in */\n"
