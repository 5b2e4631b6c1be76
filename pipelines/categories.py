"""Where the portal files an article: its category keys, from the page's breadcrumb and category links.

A category is named by the key of its list page (``pipelines.urls.category_key``), so the category the
article page names and the list the crawler found the article in reduce to the same value, whatever route
reached the article first.
"""

from __future__ import annotations

from pipelines.urls import category_key


def page_categories(breadcrumb: list[dict], category_links: list[dict]) -> tuple[str | None, list[str]]:
    """(the main category, every category key) the page names, in the page's order, each once.

    The main category is the breadcrumb's deepest category (the list page the article sits under), None
    without a breadcrumb (see :func:`main_category`); the home page and the article itself are not
    categories; an item that links nowhere names no key.
    """
    links = [key for key in (_key(item) for item in category_links) if key]
    trail = _trail_keys(breadcrumb)
    return breadcrumb_category(breadcrumb), list(dict.fromkeys(trail + links))


def breadcrumb_category(breadcrumb: list[dict]) -> str | None:
    """The breadcrumb's deepest category key, or None."""
    trail = _trail_keys(breadcrumb)
    return trail[-1] if trail else None


def _trail_keys(breadcrumb: list[dict]) -> list[str]:
    """The category keys of a breadcrumb's items. A Liferay breadcrumb starts at the site's home page,
    whatever it is called (``/``, ``/web/guest/home``): the first of several items is not a category."""
    items = breadcrumb[1:] if len(breadcrumb) > 1 else breadcrumb
    return [key for key in (_key(item) for item in items) if key]


def main_category(page_main: str | None, categories: list[str]) -> str | None:
    """The page's own main category; else (a page without a breadcrumb) the first key in sorted order,
    so the answer does not depend on which list was crawled first."""
    if page_main:
        return page_main
    return min(categories) if categories else None


def _key(item: dict) -> str | None:
    url = item.get("url")
    return category_key(url) if url else None
