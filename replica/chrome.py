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
    q = _q(locale)
    combo = "&amp;".join(
        f"{p}:%2Fcss%2Fmain.css"
        for p in (BREADCRUMB, FOOTER, PRODUCT_MENU, SEARCH_BAR, NAV_MENU, ASSET_PUBLISHER, RELATED)
    )
    links = [
        f'<link data-senna-track="temporary" href="/o/frontend-css-web/main.css?{q}&amp;t={T_PORTAL}" id="liferayPortalCSS" rel="stylesheet" type="text/css" />',
        f'<link data-senna-track="permanent" href="/o/frontend-theme-font-awesome-web/css/main.css?{q}&amp;t={T_PORTAL}" id="liferayFontAwesomeCSS" rel="stylesheet" type="text/css" />',
        f'<link data-senna-track="temporary" href="/combo?browserId=other&amp;minifierType=&amp;themeId={THEME_ID}&amp;languageId={LANG_ID[locale]}&amp;b={BUILD}&amp;{combo}&amp;t={T_PORTAL}" id="3f6f7e15" rel="stylesheet" type="text/css" />',
        f'<link data-senna-track="temporary" href="/o/layout-taglib/css/main.css?{q}&amp;t={T_PORTAL}" rel="stylesheet" type="text/css" />',
        f'<link data-senna-track="temporary" href="/o/product-navigation-product-menu-web/css/main.css?{q}&amp;t={T_PORTAL}" rel="stylesheet" type="text/css" />',
        f'<link data-senna-track="temporary" href="/o/site-navigation-menu-web/css/main.css?{q}&amp;t={T_PORTAL}" rel="stylesheet" type="text/css" />',
        f'<link data-senna-track="temporary" href="/o/portal-search-web/css/main.css?{q}&amp;t={T_PORTAL}" rel="stylesheet" type="text/css" />',
        f'<link class="lfr-css-file" data-senna-track="temporary" href="{THEME_ROOT}/css/clay.css?{q}&amp;t={T_THEME}" id="liferayThemeCSS" rel="stylesheet" type="text/css" />',
    ]
    return "\n" + "\n".join(links)


_BROWSER = (
    "acceptsGzip getMajorVersion getRevision getVersion isAir isChrome isEdge isFirefox isGecko isIe "
    "isIphone isLinux isMac isMobile isMozilla isOpera isRtf isSafari isSun isWebKit isWindows"
).split()


def _browser() -> str:
    """Liferay.Browser for a browser Liferay does not sniff (``browserId=other`` in every resource URL)."""
    values = {"acceptsGzip": "true", "getMajorVersion": "0", "getRevision": "''", "getVersion": "''"}
    rows = [f"\t\t\t{n}: function() {{\n\t\t\t\treturn {values.get(n, 'false')};\n\t\t\t}}" for n in _BROWSER]
    return "\n\t\tLiferay.Browser = {\n" + ",\n\n".join(rows) + "\n\t\t};\n"


# (locale id, its own name, direction): Liferay.Language.available as a 7.4 portal prints it.
_LANGUAGES = [
    ("ar_SA", "العربية (المملكة العربية السعودية)", "rtl"),
    ("eu_ES", "euskara (Espainia)", "ltr"),
    ("bg_BG", "български (България)", "ltr"),
    ("ca_ES", "català (Espanya)", "ltr"),
    ("zh_CN", "中文 (中国)", "ltr"),
    ("zh_TW", "中文 (台灣)", "ltr"),
    ("hr_HR", "hrvatski (Hrvatska)", "ltr"),
    ("cs_CZ", "čeština (Česko)", "ltr"),
    ("da_DK", "dansk (Danmark)", "ltr"),
    ("nl_NL", "Nederlands (Nederland)", "ltr"),
    ("en_US", "English (United States)", "ltr"),
    ("et_EE", "eesti (Eesti)", "ltr"),
    ("fi_FI", "suomi (Suomi)", "ltr"),
    ("fr_FR", "français (France)", "ltr"),
    ("gl_ES", "galego (España)", "ltr"),
    ("de_DE", "Deutsch (Deutschland)", "ltr"),
    ("el_GR", "Ελληνικά (Ελλάδα)", "ltr"),
    ("iw_IL", "עברית (ישראל)", "rtl"),
    ("hi_IN", "हिन्दी (भारत)", "ltr"),
    ("hu_HU", "magyar (Magyarország)", "ltr"),
    ("in_ID", "Indonesia (Indonesia)", "ltr"),
    ("it_IT", "italiano (Italia)", "ltr"),
    ("ja_JP", "日本語 (日本)", "ltr"),
    ("ko_KR", "한국어 (대한민국)", "ltr"),
    ("lo_LA", "ລາວ (ລາວ)", "ltr"),
    ("lt_LT", "lietuvių (Lietuva)", "ltr"),
    ("nb_NO", "norsk bokmål (Norge)", "ltr"),
    ("fa_IR", "فارسی (ایران)", "rtl"),
    ("pl_PL", "polski (Polska)", "ltr"),
    ("pt_BR", "português (Brasil)", "ltr"),
    ("pt_PT", "português (Portugal)", "ltr"),
    ("ro_RO", "română (România)", "ltr"),
    ("ru_RU", "русский (Россия)", "ltr"),
    ("sr_RS", "српски (Србија)", "ltr"),
    ("sk_SK", "slovenčina (Slovensko)", "ltr"),
    ("sl_SI", "slovenščina (Slovenija)", "ltr"),
    ("es_ES", "español (España)", "ltr"),
    ("sv_SE", "svenska (Sverige)", "ltr"),
    ("th_TH", "ไทย (ไทย)", "ltr"),
    ("tr_TR", "Türkçe (Türkiye)", "ltr"),
    ("uk_UA", "українська (Україна)", "ltr"),
    ("vi_VN", "Tiếng Việt (Việt Nam)", "ltr"),
]


def _data() -> str:
    langs = "".join(
        f"\t\t\t\tavailable['{k}'] = '{js(name)}';\n\t\t\t\tdirection['{k}'] = '{d}';\n"
        for k, name, d in _LANGUAGES
    )
    return f"""
		Liferay.Data.ICONS_INLINE_SVG = true;

		Liferay.Data.NAV_SELECTOR_MOBILE = '#navigationCollapse';

		Liferay.Data.isCustomizationView = function() {{
			return false;
		}};

		Liferay.Data.notices = [

		];

		(function () {{
			var available = {{}};

			var direction = {{}};

{langs}
			Liferay.Language = {{
				available,
				direction
			}};
		}})();

		Liferay.PortletKeys = {{
			DOCUMENT_LIBRARY: 'com_liferay_document_library_web_portlet_DLPortlet',
			DYNAMIC_DATA_MAPPING: 'com_liferay_dynamic_data_mapping_web_portlet_DDMPortlet',
			ITEM_SELECTOR: 'com_liferay_item_selector_web_portlet_ItemSelectorPortlet'
		}};

		Liferay.PropsValues = {{
			JAVASCRIPT_SINGLE_PAGE_APPLICATION_TIMEOUT: 0,
			UPLOAD_SERVLET_REQUEST_IMPL_MAX_SIZE: 104857600
		}};
"""


def _layout_getters(locale: str) -> str:
    panel = js(f"{PREFIX[locale]}/group/guest/~/control_panel/manage?p_p_id={PRODUCT_MENU}")
    return f"""
	getLayoutRelativeControlPanelURL: function() {{ return '{panel}'; }},
	getParentLayoutId: function() {{ return '0'; }},
	isControlPanel: function() {{ return false; }},
	isVirtualLayout: function() {{ return false; }},"""


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
    lang = LANG_ID[locale]
    return f"""
Liferay.AUI = {{
	getCombine: function() {{ return true; }},
	getComboPath: function() {{ return '/combo/?browserId=other&minifierType=&languageId={lang}&b={BUILD}&t={T_PORTAL}&'; }},
	getDateFormat: function() {{ return '%d/%m/%Y'; }},
	getEditorCKEditorPath: function() {{ return '/o/frontend-editor-ckeditor-web/ckeditor'; }},
	getFilter: function() {{
		var filter = 'raw';
		filter = 'min';
		return filter;
	}},
	getFilterConfig: function() {{
		var instance = this;
		var filterConfig = null;
		if (!instance.getCombine()) {{
			filterConfig = {{
				replaceStr: '.js' + instance.getStaticResourceURLParams(),
				searchExp: '\\\\.js$'
			}};
		}}
		return filterConfig;
	}},
	getJavaScriptRootPath: function() {{ return '/o/frontend-js-web'; }},
	getPortletRootPath: function() {{ return '/html/portlet'; }},
	getStaticResourceURLParams: function() {{ return '?browserId=other&minifierType=&languageId={lang}&b={BUILD}&t={T_PORTAL}'; }}
}};"""


_CLAY = (
    "alert autocomplete badge breadcrumb button card charts color-picker core css data-provider date-picker "
    "drop-down empty-state form icon label layout link list loading-indicator localized-input "
    "management-toolbar modal multi-select multi-step-nav nav navigation-bar pagination pagination-bar "
    "panel popover progress-bar provider shared slider sticker table tabs time-picker toolbar tooltip "
    "upper-toolbar"
).split()
_EXPORTS = [
    ("react", "frontend-js-react-web"),
    ("react-dom", "frontend-js-react-web"),
    ("prop-types", "frontend-js-react-web"),
    ("classnames", "frontend-js-react-web"),
    ("formik", "frontend-js-react-web"),
    ("@liferay/frontend-js-react-web", "frontend-js-react-web"),
    ("@liferay/frontend-js-state-web", "frontend-js-state-web"),
    ("@liferay/frontend-js-api-web", "frontend-js-api-web"),
    ("@liferay/frontend-js-web", "frontend-js-web"),
    ("dom-align", "frontend-js-dom-align"),
    ("lodash.escape", "frontend-js-lodash-web"),
    ("lodash.groupby", "frontend-js-lodash-web"),
    ("lodash.isequal", "frontend-js-lodash-web"),
    ("lodash.unescape", "frontend-js-lodash-web"),
    ("@liferay/language/frontend-js-web/all.js", "js-language"),
    ("@liferay/site-navigation-menu-web", "site-navigation-menu-web"),
]


def _import_map() -> str:
    imports = {f"@clayui/{n}": f"/o/frontend-taglib-clay/__liferay__/exports/@clayui${n}.js" for n in _CLAY}
    imports |= {name: f"/o/{web}/__liferay__/exports/{name.replace('/', '$')}.js" for name, web in _EXPORTS}
    scopes = {"/o/frontend-js-react-web/": {"react": "/o/frontend-js-react-web/__liferay__/exports/react.js"}}
    text = json.dumps({"imports": imports, "scopes": scopes}, separators=(",", ":"))
    return f'<script type="importmap">{text}</script>'


def _loader_config(locale: str) -> str:
    return f"""<script data-senna-track="temporary" type="text/javascript">
	// <![CDATA[
		window.__CONFIG__ = {{
			basePath: '',
			combine: true,
			defaultURLParams: null,
			explainResolutions: false,
			exposeGlobal: false,
			logLevel: 'warn',
			moduleType: 'module',
			namespace: 'Liferay',
			reportMismatchedAnonymousModules: 'warn',
			resolvePath: '/o/js_resolve_modules',
			url: '/combo/',
			waitTimeout: 60000
		}};
		__CONFIG__.maps = {{
			'hepza-theme': 'hepza-theme@7.4.0',
			'frontend-js-web': 'frontend-js-web@8.0.0',
			'@liferay/frontend-js-state-web': 'frontend-js-state-web@1.0.17'
		}};
	// ]]>
</script>
<script data-senna-track="permanent" src="/o/frontend-js-loader-modules-extender/loader.js?&amp;mac=9WaMmhziBCkScHZwrrVcOR7VZF4=&amp;browserId=other&amp;languageId={LANG_ID[locale]}&amp;minifierType=js&amp;t={T_PORTAL}" type="text/javascript"></script>"""


_AUI_MODULES = (
    "aui/aui/aui.js liferay/modules.js liferay/aui_sandbox.js aui/attribute-base/attribute-base.js "
    "aui/attribute-complex/attribute-complex.js aui/attribute-core/attribute-core.js "
    "aui/attribute-observable/attribute-observable.js aui/attribute-extras/attribute-extras.js "
    "aui/event-custom-base/event-custom-base.js aui/event-custom-complex/event-custom-complex.js aui/oop/oop.js "
    "aui/aui-base-lang/aui-base-lang.js liferay/dependency.js liferay/util.js aui/arraylist-add/arraylist-add.js "
    "aui/arraylist-filter/arraylist-filter.js aui/arraylist/arraylist.js aui/array-extras/array-extras.js "
    "aui/array-invoke/array-invoke.js aui/base-base/base-base.js aui/base-pluginhost/base-pluginhost.js "
    "aui/classnamemanager/classnamemanager.js aui/datatype-xml-format/datatype-xml-format.js "
    "aui/datatype-xml-parse/datatype-xml-parse.js aui/dom-base/dom-base.js aui/dom-core/dom-core.js "
    "aui/dom-screen/dom-screen.js aui/dom-style/dom-style.js aui/event-base/event-base.js "
    "aui/event-delegate/event-delegate.js aui/event-focus/event-focus.js aui/event-hover/event-hover.js "
    "aui/event-key/event-key.js aui/event-mouseenter/event-mouseenter.js aui/event-mousewheel/event-mousewheel.js "
    "aui/event-outside/event-outside.js aui/event-resize/event-resize.js aui/event-simulate/event-simulate.js "
    "aui/event-synthetic/event-synthetic.js aui/intl/intl.js aui/io-base/io-base.js aui/io-form/io-form.js "
    "aui/io-queue/io-queue.js aui/io-upload-iframe/io-upload-iframe.js aui/io-xdr/io-xdr.js "
    "aui/json-parse/json-parse.js aui/json-stringify/json-stringify.js aui/node-base/node-base.js "
    "aui/node-core/node-core.js aui/node-event-delegate/node-event-delegate.js "
    "aui/node-event-simulate/node-event-simulate.js aui/node-focusmanager/node-focusmanager.js "
    "aui/node-pluginhost/node-pluginhost.js aui/node-screen/node-screen.js aui/node-style/node-style.js "
    "aui/plugin/plugin.js aui/pluginhost-base/pluginhost-base.js aui/pluginhost-config/pluginhost-config.js "
    "aui/querystring-stringify-simple/querystring-stringify-simple.js aui/queue-promote/queue-promote.js "
    "aui/selector-css2/selector-css2.js aui/selector-css3/selector-css3.js aui/selector-native/selector-native.js "
    "aui/selector/selector.js aui/widget-base/widget-base.js aui/widget-htmlparser/widget-htmlparser.js "
    "aui/widget-skin/widget-skin.js aui/widget-uievents/widget-uievents.js aui/yui-throttle/yui-throttle.js "
    "aui/aui-base-core/aui-base-core.js aui/aui-classnamemanager/aui-classnamemanager.js "
    "aui/aui-component/aui-component.js aui/aui-debounce/aui-debounce.js "
    "aui/aui-delayed-task-deprecated/aui-delayed-task-deprecated.js aui/aui-event-base/aui-event-base.js "
    "aui/aui-event-input/aui-event-input.js aui/aui-form-validator/aui-form-validator.js "
    "aui/aui-node-base/aui-node-base.js aui/aui-node-html5/aui-node-html5.js aui/aui-selector/aui-selector.js "
    "aui/aui-timer/aui-timer.js liferay/browser_selectors.js liferay/form.js liferay/form_placeholders.js "
    "liferay/icon.js liferay/menu.js liferay/notice.js liferay/poller.js aui/async-queue/async-queue.js "
    "aui/base-build/base-build.js aui/cookie/cookie.js aui/event-touch/event-touch.js aui/overlay/overlay.js "
    "aui/querystring-stringify/querystring-stringify.js aui/widget-child/widget-child.js "
    "aui/widget-position-align/widget-position-align.js aui/widget-position-constrain/widget-position-constrain.js "
    "aui/widget-position/widget-position.js aui/widget-stack/widget-stack.js aui/widget-stdmod/widget-stdmod.js "
    "aui/aui-aria/aui-aria.js aui/aui-io-plugin-deprecated/aui-io-plugin-deprecated.js "
    "aui/aui-io-request/aui-io-request.js aui/aui-loading-mask-deprecated/aui-loading-mask-deprecated.js "
    "aui/aui-overlay-base-deprecated/aui-overlay-base-deprecated.js "
    "aui/aui-overlay-context-deprecated/aui-overlay-context-deprecated.js "
    "aui/aui-overlay-manager-deprecated/aui-overlay-manager-deprecated.js "
    "aui/aui-overlay-mask-deprecated/aui-overlay-mask-deprecated.js aui/aui-parse-content/aui-parse-content.js "
    "liferay/session.js liferay/deprecated.js"
).split()
_WEB_MODULES = (
    "loader/config.js loader/loader.js misc/svg4everybody.js liferay/dom_task_runner.js liferay/events.js "
    "liferay/lazy_load.js liferay/liferay.js liferay/global.bundle.js liferay/portlet.js liferay/workflow.js"
).split()


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


# Web modules that register AUI (YUI) modules on every page: (bundle, group, [(module, file, requires)]).
_AUI_WORDS = (
    "asset calendar comment ddm dl form export import item journal layout message portlet preview rating "
    "search selector session staging tag translation upload workflow"
).split()
_AUI_REQUIRES = (
    "aui-base aui-component aui-datatype aui-form-validator aui-io-request aui-modal aui-parse-content "
    "aui-tooltip aui-tree-view event-outside json liferay-form liferay-item-selector-dialog liferay-portlet-base "
    "liferay-portlet-url liferay-search-container liferay-store liferay-util-list-fields liferay-util-window "
    "node-event-simulate querystring-parse-simple uploader"
).split()
_AUI_BUNDLES = [
    ("calendar-web", "calendar", "5.0.77"),
    ("dynamic-data-mapping-web", "ddm", "5.0.96"),
    ("journal-web", "journal", "5.0.139"),
    ("layout-taglib", "layouttaglib", "9.0.24"),
    ("portal-search-web", "search", "6.0.117"),
]


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
        out.append(
            f"""	try {{
		var MODULE_MAIN='{bundle}@{version}/index';
		var MODULE_PATH='/o/{bundle}';
		AUI().applyConfig({{
			groups: {{
				{group}: {{
					base: MODULE_PATH + "/js/legacy/",
					combine: Liferay.AUI.getCombine(),
					filter: Liferay.AUI.getFilterConfig(),
					modules: {{
{body}
					}},
					root: MODULE_PATH + "/js/legacy/"
				}}
			}}
		}});
	}} catch (error) {{
		console.error(error);
	}}
"""
        )
    return '<script data-senna-track="temporary" type="text/javascript">\n' + "".join(out) + "</script>"


_CSS_PROPS = [
    ("margin-bottom", ["0", "1rem", "1.5rem", "2rem"]),
    ("margin-top", ["0", "0.5rem", "1rem"]),
    ("padding-top", ["0", "0.5rem", "1rem", "1.5rem"]),
    ("padding-bottom", ["0", "0.5rem", "1rem", "1.5rem"]),
    ("padding-left", ["0", "1rem", "15px"]),
    ("padding-right", ["0", "1rem", "15px"]),
    ("background-color", ["#ffffff", "#063b73", "#0b5cad", "#eef1f5", "#f7fafd", "transparent"]),
    ("color", ["#222222", "#ffffff", "#0b4a8b", "inherit"]),
    ("border-width", ["0", "1px"]),
    ("border-style", ["solid", "none"]),
    ("border-color", ["#d5dfea", "#c8d3df", "transparent"]),
    ("border-radius", ["0", "2px", "4px"]),
    ("box-shadow", ["none", "0 1px 3px rgba(0, 0, 0, 0.08)"]),
    ("font-size", ["inherit", "13px", "15px"]),
    ("text-align", ["left", "center", "inherit"]),
    ("opacity", ["1"]),
    ("overflow", ["visible", "hidden"]),
    ("max-width", ["100%", "none"]),
    ("min-height", ["auto", "0"]),
    ("width", ["auto", "100%"]),
]


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


_SPA_TEXT = {
    "vi": ("Có vẻ như việc này mất nhiều thời gian hơn dự kiến.", "Rất tiếc"),
    "en": ("It looks like this is taking longer than expected.", "Oops"),
}


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
    return f"""<script type="text/javascript">
// <![CDATA[
Liferay.SPA = Liferay.SPA || {{}};
Liferay.SPA.cacheExpirationTime = -1;
Liferay.SPA.clearScreensCache = false;
Liferay.SPA.debugEnabled = false;
Liferay.SPA.excludedPaths = ["/c/document_library","/documents","/image"];
Liferay.SPA.loginRedirect = '';
Liferay.SPA.navigationExceptionSelectors = ':not([target="_blank"]):not([data-senna-off]):not([data-resource-href]):not([data-cke-saved-href]):not([data-cke-saved-href])';
Liferay.SPA.requestTimeout = 0;
Liferay.SPA.userNotification = {{
	message: '{js(message)}',
	timeout: 30000,
	title: '{js(title)}'
}};
// ]]>
</script><script type="text/javascript">
// <![CDATA[
Liferay.Loader.require('frontend-js-spa-web@5.0.44/init', function(frontendJsSpaWebInit) {{
try {{
(function() {{
frontendJsSpaWebInit.default.init(
	function(app) {{
		app.setPortletsBlacklist({blacklist});
		app.setValidStatusCodes([221,490,494,499,491,492,493,495,220]);
	}}
);
}})();
}} catch (err) {{
	console.error(err);
}}
}});
// ]]>
</script>"""


_DDM_EVENTS = [
    (
        "ddmFieldBlur",
        "fieldBlurred",
        "fieldName: event.fieldName,\n\t\t\t\t\tfocusDuration: event.focusDuration,",
    ),
    ("ddmFieldFocus", "fieldFocused", "fieldName: event.fieldName,"),
    ("ddmFormPageShow", "pageViewed", "page: event.page,\n\t\t\t\t\ttitle: event.title,"),
    ("ddmFormSubmit", "formSubmitted", ""),
    ("ddmFormView", "formViewed", "title: event.title,"),
]


def _analytics() -> str:
    handlers = "".join(
        f"""Liferay.on(
	'{event}', function(event) {{
		if (window.Analytics) {{
			Analytics.send(
				'{action}',
				'Form',
				{{
					{fields}
					formId: event.formId
				}}
			);
		}}
	}}
);
"""
        for event, action, fields in _DDM_EVENTS
    )
    return (
        '<script data-senna-track="temporary" type="text/javascript">\n\tif (window.Analytics) {\n'
        "\t\twindow._com_liferay_document_library_analytics_isViewFileEntry = false;\n\t}\n</script>\n"
        f'<script type="text/javascript">\n// <![CDATA[\n{handlers}// ]]>\n</script>'
    )


def _theme_module() -> str:
    return """<script type="text/javascript">
// <![CDATA[
Liferay.Loader.define('hepza-theme@7.4.0/js/main', ['module', 'exports', 'require', 'frontend-js-web'], function (module, exports, require) {
	var define = undefined;
	'use strict';

	Object.defineProperty(exports, '__esModule', {value: true});

	var STICKY_OFFSET = 120;

	function onScroll() {
		var banner = document.getElementById('banner');

		if (banner) {
			banner.classList.toggle('is-sticky', window.pageYOffset > STICKY_OFFSET);
		}
	}

	function toggleMobileMenu(event) {
		var target = document.getElementById('navigationCollapse');

		if (target) {
			event.preventDefault();
			target.classList.toggle('show');
		}
	}

	exports.default = function init() {
		window.addEventListener('scroll', onScroll, {passive: true});

		document.querySelectorAll('[data-target="#navigationCollapse"]').forEach(function (button) {
			button.addEventListener('click', toggleMobileMenu);
		});
	};
});
// ]]>
</script>"""


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

# The theme's own icons, inlined; Clay's (angle-right, bars, times…) come from its icons.svg.
_ICONS = "envelope-closed fax home-full map-marker phone print search arrow-up".split()


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
    site = SITE_NAME_EN if locale == "en" else SITE_NAME_VI
    close = "Close" if locale == "en" else "Đóng"
    p = PRODUCT_MENU
    return f"""
<div class="closed d-print-none lfr-product-menu-panel sidenav-fixed sidenav-menu-slider" id="_{p}_sidenavSliderId"><div class="product-menu sidebar sidenav-menu">
	<div class="portlet-boundary portlet-boundary_{p}_  portlet-static portlet-static-end decorate  " id="p_p_id_{p}_">
		<span id="p_{p}"></span>
<div class="lfr-product-menu-sidebar" id="productMenuSidebar">
	<div class="sidebar-header">
		<span class="sr-only">{"Product Menu" if locale == "en" else "Menu sản phẩm"}</span>
		<div class="autofit-row">
			<div class="autofit-col autofit-col-expand">
				<span class="company-details text-truncate">
					<img alt="" class="company-logo" height="32" src="{THEME_ROOT}/images/logo.svg" width="32" />
					<span class="company-name">{site}</span>
				</span>
			</div>
			<div class="autofit-col">
				<a aria-label="{close}" class="d-inline-block d-md-none icon-monospaced sidenav-close" href="javascript:;" id="_{p}_closeButton" title="{close}">{icon("times")}</a>
			</div>
		</div>
	</div>
	<div class="sidebar-body">
	</div>
</div>
	</div>
</div></div>"""


def _control_menu(locale: str) -> str:
    """The control menu's frame, as the page prints it for a guest: no tools, no links."""
    ns = "_com_liferay_product_navigation_control_menu_web_portlet_ProductNavigationControlMenuPortlet_"
    label = "Control Menu" if locale == "en" else "Menu điều khiển"
    categories = "".join(
        f'\n\t\t\t\t<li class="control-menu-nav-category {c}-control-group" role="presentation">'
        f'<ul class="control-menu-nav" role="menu"></ul></li>'
        for c in ("sites", "tools", "user")
    )
    return f"""
<div class="control-menu-container d-none">
	<div class="cadmin control-menu control-menu-level-1 d-print-none" data-qa-id="controlMenu" id="{ns}controlMenu">
		<div class="container-fluid container-fluid-max-xl">
			<ul aria-label="{label}" class="control-menu-level-1-nav control-menu-nav" data-namespace="{ns}" data-qa-id="header" role="menubar">{categories}
			</ul>
		</div>
		<div class="control-menu-body">
			<div id="{ns}controlMenuAlertsContainer"></div>
		</div>
	</div>
</div>"""


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
    return f"""
	<div class="mobile-menu d-lg-none">
		<button aria-controls="navigationCollapse" aria-expanded="false" aria-label="{label}" class="btn btn-unstyled navbar-toggler" data-target="#navigationCollapse" data-toggle="liferay-collapse" type="button">{icon("bars")}<span class="sr-only">{label}</span></button>
		<div class="collapse" id="navigationCollapse"><ul aria-label="{label}" class="nav nav-stacked" role="menubar">
{"".join(items)}		</ul></div>
	</div>"""


_FOOTER = {
    "vi": (
        "Liên kết",
        "Cơ quan chủ quản: Ủy ban nhân dân Thành phố Hồ Chí Minh",
        "Giấy phép thiết lập trang thông tin điện tử tổng hợp trên mạng do Sở Thông tin và Truyền thông Thành phố Hồ Chí Minh cấp.",
        "Đường dây nóng",
        "Lên đầu trang",
    ),
    "en": (
        "Links",
        "Governing body: Ho Chi Minh City People's Committee",
        "Licensed as a general information website by the Ho Chi Minh City Department of Information and Communications.",
        "Hotline",
        "Back to top",
    ),
}


def _footer(locale: str) -> str:
    links_title, owner, licence, hotline, _ = _FOOTER[locale]
    prefix = PREFIX[locale]
    links = "".join(
        f'<li>{icon("angle-right")}<a href="{prefix}/{key}">{en if locale == "en" else vi}</a></li>'
        for key, vi, en in MENU
        if key
    )
    return f"""
	<div class="footer-col footer-links lfr-layout-structure-item-{stable_uuid("master:footer-links")}"><div class="footer-title">{links_title}</div>
		<ul class="list-unstyled footer-menu">{links}</ul></div>
	<div class="footer-col footer-contact lfr-layout-structure-item-{stable_uuid("master:footer-contact")}">
		<p>{icon("phone")} {hotline}: (028) 3829 4699<br>
		{icon("fax")} Fax: (028) 3829 4271<br>
		{icon("envelope-closed")} hepza@tphcm.gov.vn</p>
		<p class="footer-owner">{owner.replace("'", "&#39;")}<br>{licence}</p></div>"""


def _after_footer() -> str:
    return f"""
<button aria-label="top" class="btn btn-unstyled scroll-top-wrapper" data-senna-off="true" type="button">{icon("arrow-up")}</button>
<div class="lfr-spa-loading-bar"></div>"""


# Analytics listeners every 7.4 page registers: (Liferay event, Analytics event, asset type, fields sent).
_LISTENERS = [
    ("messagePosted", "posted", "Comment", "className classPK commentId text"),
    ("ratings:vote", "VOTE", "Ratings", "className classPK ratingType score"),
    ("socialBookmarks:share", "shared", "SocialBookmarks", "className classPK type url"),
]


def _listener(event: str, action: str, asset: str, fields: str) -> str:
    sent = "".join(f"\t\t\t\t{f}: data.{f},\n" for f in fields.split())
    return f"""(function() {{var $ = AUI.$;var _ = AUI._;
	var onEvent = function (data) {{
		if (window.Analytics) {{
			Analytics.send('{action}', '{asset}', {{
{sent}			}});
		}}
	}};

	var onDestroyPortlet = function () {{
		Liferay.detach('{event}', onEvent);
		Liferay.detach('destroyPortlet', onDestroyPortlet);
	}};

	Liferay.on('{event}', onEvent);
	Liferay.on('destroyPortlet', onDestroyPortlet);
}})();"""


_DOWNLOADS = """(function() {var $ = AUI.$;var _ = AUI._;
	var pathnameRegexp = /\\/documents\\/(\\d+)\\/(\\d+)\\/(.+?)\\/([^&]+)/;

	function handleDownloadClick(event) {
		var anchor = event.target.closest && event.target.closest('a');

		if (!anchor || !window.Analytics) {
			return;
		}

		var match = pathnameRegexp.exec(anchor.pathname);
		var fileEntryId = anchor.dataset.analyticsFileEntryId ||
			(anchor.parentElement && anchor.parentElement.dataset.analyticsFileEntryId);

		if (fileEntryId && match) {
			var params = new URLSearchParams(anchor.search);

			Analytics.send('documentDownloaded', 'Document', {
				groupId: match[1],
				fileEntryId: fileEntryId,
				preview: !!window._com_liferay_document_library_analytics_isViewFileEntry,
				title: decodeURIComponent(match[3].replace(/\\+/gi, ' ')),
				version: params.get('version'),
			});
		}
	}

	document.addEventListener('DOMContentLoaded', function () {
		document.body.addEventListener('click', handleDownloadClick);
	});
})();"""


def _end_open() -> str:
    listeners = "".join(_listener(*row) for row in _LISTENERS)
    return f"""
<script type="text/javascript">
// <![CDATA[
{listeners}{_DOWNLOADS}
	if (Liferay.Data.ICONS_INLINE_SVG) {{
		svg4everybody(
			{{
				attributeName: 'data-href',
				polyfill: true
			}}
		);
	}}
"""


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
    return f"""		Liferay.Portlet.register('{portlet}');

	Liferay.Portlet.onLoad(
		{{
			canEditTitle: false,
			columnPos: 0,
			isStatic: 'end',
			namespacedId: 'p_p_id_{portlet}_',
			portletId: '{portlet}',
			refreshURL: '{url}',
			refreshURLData: {{}}
		}}
	);
"""


_SUPPORT = [
    ("frontend-js-collapse-support-web@1.0.12/index", "CollapseProvider"),
    ("frontend-js-dropdown-support-web@1.0.11/index", "DropdownProvider"),
    ("frontend-js-tooltip-support-web@4.0.24/index", "TooltipSupport"),
    ("frontend-js-alert-support-web@1.0.10/index", "AlertProvider"),
    ("frontend-js-tabs-support-web@1.0.11/index", "TabsProvider"),
]


def _end(locale: str) -> str:
    lang = LANG_ID[locale]
    support = "".join(
        f"""<script type="text/javascript">
// <![CDATA[
Liferay.Loader.require('{module}', function({_var(module)}) {{
try {{
(function() {{
var {name} = {_var(module)};
{name}.default();
}})();
}} catch (err) {{
	console.error(err);
}}
}});
// ]]>
</script>"""
        for module, name in _SUPPORT
    )
    return f"""Liferay.Loader.require('frontend-js-web/liferay/dom_task_runner', 'hepza-theme@7.4.0/js/main', function(domTaskRunner, hepzaThemeMain) {{
try {{
(function() {{
var $ = AUI.$;var _ = AUI._;
	hepzaThemeMain.default();

	var focusInPortletHandler = domTaskRunner.delegate(
		document,
		'focusin',
		'.portlet',
		function(event) {{
			domTaskRunner.addClasses(domTaskRunner.closest(event.delegateTarget, '.portlet'), 'open');
		}}
	);

	var focusOutPortletHandler = domTaskRunner.delegate(
		document,
		'focusout',
		'.portlet',
		function(event) {{
			domTaskRunner.removeClasses(domTaskRunner.closest(event.delegateTarget, '.portlet'), 'open');
		}}
	);
}})();
}} catch (err) {{
	console.error(err);
}}
}});AUI().use('liferay-icon', 'liferay-menu', 'liferay-notice', 'aui-base', 'liferay-session', 'liferay-poller', function(A) {{(function() {{var $ = AUI.$;var _ = AUI._;
	if (A.UA.mobile) {{
		Liferay.Util.addInputCancel();
	}}
}})();(function() {{var $ = AUI.$;var _ = AUI._;
	new Liferay.Menu();

	var liferayNotices = Liferay.Data.notices;

	for (var i = 0; i < liferayNotices.length; i++) {{
		Liferay.Util.openToast(liferayNotices[i]);
	}}
}})();(function() {{var $ = AUI.$;var _ = AUI._;
			Liferay.Session = new Liferay.SessionBase(
				{{
					autoExtend: true,
					redirectOnExpire: false,
					redirectUrl: '\\x2fweb\\x2fguest',
					sessionLength: 1500,
					sessionTimeoutOffset: 70,
					warningLength: 0
				}}
			);
		}})();(function() {{var $ = AUI.$;var _ = AUI._;
		Liferay.Icon.register(
			{{
				forcePost: true,
				id: '_{PRODUCT_MENU}_closeButton',
				useDialog: false
			}}
		);
	}})();}});
// ]]>
</script>
<script src="{THEME_ROOT}/js/main.js?browserId=other&amp;minifierType=js&amp;languageId={lang}&amp;b={BUILD}&amp;t={T_THEME}" type="text/javascript"></script>
<script type="text/javascript">
	// <![CDATA[
		AUI().use(
			'aui-base',
			function(A) {{
				var frameElement = window.frameElement;

				if (frameElement && frameElement.getAttribute('id') === 'simulationDeviceIframe') {{
					A.getBody().addClass('lfr-has-simulation-panel');
				}}
			}}
		);
	// ]]>
</script>{support}"""


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
)
_RESOURCE_PREFIXES += ("/o/portal-search-web/",)


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
