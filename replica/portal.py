"""The portal's fixed structure: pages, news categories, portlet instances, layout ids.

Everything here is inferred (SITE-FACTS "Inferred"); the names, categories, pages and menu are in
replica/data/portal.json, to be easy to change.
"""

from __future__ import annotations

import random
import string
import uuid
from dataclasses import dataclass

from . import validate

_PORTAL = validate.loaded("portal", validate.check_portal)
SITE_NAME_VI: str = _PORTAL["site"]["name_vi"]
SITE_NAME_EN: str = _PORTAL["site"]["name_en"]
SITE_SHORT: str = _PORTAL["site"]["short"]
COMPANY_ID = "20097"
THEME_ROOT = "/o/hepza-theme"
ASSET_PUBLISHER = "com_liferay_asset_publisher_web_portlet_AssetPublisherPortlet"


def _stable_rng(label: str) -> random.Random:
    return random.Random(f"hepza-replica:{label}")


def instance_id(label: str) -> str:
    """12-character portlet instance id, like Liferay's random ones, but fixed per label."""
    rng = _stable_rng(label)
    return "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(12))


def stable_uuid(label: str) -> str:
    return str(uuid.UUID(int=_stable_rng(label).getrandbits(128), version=4))


@dataclass(frozen=True)
class Category:
    key: str  # friendly URL of its page, without the leading slash
    name_vi: str
    name_en: str
    pager: str  # "numbered" or "simple"
    link_style: str  # "w" (/w/<slug>), "dash" (/-/<slug>) or "redirect" (/w/<slug>?_<portlet>_redirect=…)
    plid: str

    @property
    def instance(self) -> str:
        return instance_id(f"category:{self.key}")

    @property
    def portlet_id(self) -> str:
        return f"{ASSET_PUBLISHER}_INSTANCE_{self.instance}"


CATEGORIES: dict[str, Category] = {c["key"]: Category(**c) for c in _PORTAL["categories"]}


@dataclass(frozen=True)
class Page:
    key: str  # "" for home
    name_vi: str
    name_en: str
    plid: str


HOME = Page(**_PORTAL["home"])
STATIC_PAGES: dict[str, Page] = {
    p["key"]: Page(p["key"], p["name_vi"], p["name_en"], p["plid"]) for p in _PORTAL["pages"]
}
# The text of each static page, one string a paragraph.
STATIC_TEXT: dict[str, list[str]] = {p["key"]: p["paragraphs"] for p in _PORTAL["pages"]}


def _menu_item(key: str) -> tuple[str, str, str]:
    page = HOME if key == HOME.key else STATIC_PAGES.get(key) or CATEGORIES[key]
    return key, page.name_vi, page.name_en


# Menu order as a visitor sees it: (key, Vietnamese name, English name).
MENU: list[tuple[str, str, str]] = [_menu_item(key) for key in _PORTAL["menu"]]
# The words pages print, per locale.
LABELS: dict[str, dict[str, str]] = {
    locale: {**words, "site": SITE_NAME_EN if locale == "en" else SITE_NAME_VI}
    for locale, words in _PORTAL["labels"].items()
}

# Sitemap children: (p_l_id, layoutUuid) of the pages layout set and of the articles' display page.
DISPLAY_PAGE_PLID = "131"
SITEMAP_CHILDREN = {
    "pages": (HOME.plid, stable_uuid("layout:home")),
    "articles": (DISPLAY_PAGE_PLID, stable_uuid("layout:display-page")),
}
