"""The portal's fixed structure: pages, news categories, portlet instances, layout ids.

Everything here is inferred (SITE-FACTS "Inferred"), so it is kept in one place to be easy to change.
"""

from __future__ import annotations

import random
import string
import uuid
from dataclasses import dataclass

SITE_NAME_VI = "Ban Quản lý các Khu chế xuất và công nghiệp Thành phố Hồ Chí Minh"
SITE_NAME_EN = "Ho Chi Minh City Export Processing and Industrial Zones Authority"
SITE_SHORT = "HEPZA"
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


CATEGORIES: dict[str, Category] = {
    c.key: c
    for c in (
        Category("tin-tuc-su-kien", "Tin tức - Sự kiện", "News - Events", "numbered", "w", "112"),
        Category(
            "hoat-dong-dang-doan-the",
            "Hoạt động Đảng - Đoàn thể",
            "Party and union activities",
            "simple",
            "dash",
            "113",
        ),
        Category("thong-bao", "Thông báo", "Announcements", "numbered", "redirect", "114"),
        Category("dau-tu", "Đầu tư", "Investment", "simple", "w", "115"),
    )
}


@dataclass(frozen=True)
class Page:
    key: str  # "" for home
    name_vi: str
    name_en: str
    plid: str


HOME = Page("", "Trang chủ", "Home", "101")
STATIC_PAGES: dict[str, Page] = {
    p.key: p
    for p in (
        Page("gioi-thieu", "Giới thiệu", "About us", "102"),
        Page("thu-tuc-hanh-chinh", "Thủ tục hành chính", "Administrative procedures", "103"),
        Page("lien-he", "Liên hệ", "Contact", "104"),
    )
}

# Menu order as a visitor sees it.
MENU: list[tuple[str, str, str]] = [
    ("", HOME.name_vi, HOME.name_en),
    ("gioi-thieu", "Giới thiệu", "About us"),
    *((c.key, c.name_vi, c.name_en) for c in CATEGORIES.values()),
    ("thu-tuc-hanh-chinh", "Thủ tục hành chính", "Administrative procedures"),
    ("lien-he", "Liên hệ", "Contact"),
]

# Sitemap children: (p_l_id, layoutUuid) of the pages layout set and of the articles' display page.
DISPLAY_PAGE_PLID = "131"
SITEMAP_CHILDREN = {
    "pages": (HOME.plid, stable_uuid("layout:home")),
    "articles": (DISPLAY_PAGE_PLID, stable_uuid("layout:display-page")),
}
