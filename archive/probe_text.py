"""``hepza probe``'s findings as a person reads them: one finding a line (``--json`` prints the report
itself)."""

from __future__ import annotations

from archive.probe import Report
from pipelines.dates import gives_time_of_day
from pipelines.platform import LIFERAY, OTHER


def report_lines(report: Report) -> list[str]:
    """The report for a person: one line per finding."""
    refused = report.refused
    lines = [
        f"probe of {report.url}: {report.requests} requests, robots.txt obeyed"
        + (f" ({len(refused)} URL(s) it disallows left alone)" if refused else "")
    ]
    if report.platform == OTHER:
        lines.append(f"platform: not Liferay ({report.platform_message})")
        return lines
    if report.platform != LIFERAY:
        lines.append("platform: unknown (the home page, robots.txt and sitemap answers decided nothing)")
        return lines
    generation = report.generation or "unknown generation"
    lines.append(f"platform: Liferay {generation} ({'; '.join(report.generation_evidence) or 'no evidence'})")
    sitemap = report.sitemap
    where = ", ".join(sitemap.get("articles_in", [])) or "none"
    lines.append(
        f"sitemap: {sitemap.get('kind')} at {sitemap.get('url')}"
        + (f" ({sitemap.get('children')} children)" if str(sitemap.get("kind")).startswith("index") else "")
        + (
            f"; {sitemap.get('article_urls', 0)} article URLs (in {where}), {sitemap.get('page_urls', 0)} pages"
            if "article_urls" in sitemap
            else f"; {sitemap.get('note', '')}"
        )
    )
    for entry in report.lists or [
        {"url": "none found", "how": "-", "article_links": 0, "instances": [], "pager": None, "list_date": {}}
    ]:
        instances = (
            "; ".join(
                f"{'Asset Publisher ' if i['asset_publisher'] else ''}{i['portlet']}"
                + (f" paged by {', '.join(i['pager_params'])}" if i["pager_params"] else "")
                + (f" (delta {i['delta']})" if i["delta"] else "")
                for i in entry["instances"]
            )
            or "no paged portlet"
        )
        date = entry["list_date"] or {}
        lines.append(
            f"list: {entry['url']} (from the {entry['how']}): {entry['article_links']} articles; {instances}"
            + (f"; {entry['pager']} pager" if entry["pager"] else "")
            + (f"; card date {date['line']!r} = {date['pattern']}" if date.get("line") else "")
        )
    routes = ", ".join(f"{form} ({n})" for form, n in report.routes.items()) or "none seen"
    lines.append(f"article routes: {routes}")
    if not report.articles:
        lines.append("articles: none read (robots.txt, errors or the request cap kept them out)")
    for article in report.articles:
        if article.get("status") != 200:
            lines.append(f"article: {article['url']} answered {article.get('status')}")
            continue
        title, date, body = article["title"], article["date"], article["body"]
        lines.append(
            f"article: {article['url']} ({article['form']}; {article['page_kind']}; locale {article['locale']})"
        )
        lines.append(f"  title: {title['where']} [{title['layer']} layer]")
        lines.append(
            f"  date: {date['line']!r} = {date['pattern']} in {date['where']} [{date['layer']} layer]"
            + (
                "; a day only: the crawl takes the time of day from the list card"
                if time_from_list_card(date, report)
                else ""
            )
            if date["line"]
            else "  date: none found"
        )
        lines.append(f"  body: {body['where']} [{body['layer']} layer]")
    untrusted = report.untrusted
    if untrusted:
        lines.append(
            f"warning: the portal layer did not read {len(untrusted)} of {len(report.articles)} article pages "
            "whole (see the layers above): a crawl would not trust them and would raise its layout alarm; "
            'the profile may need [hints.selectors] (docs/portals.md, "Profiles")'
        )
    lines.append(
        f"locales: {', '.join(report.locales) or 'unknown'} ({'; '.join(report.locale_evidence) or 'no lang'})"
    )
    for url in refused:
        lines.append(f"refused by robots.txt: {url}")
    return lines


def time_from_list_card(date: dict, report: Report) -> bool:
    """An article's date line without a time of day, where the lists print one (6.2's asset metadata):
    pipelines.record then keeps the list card's minute for that day."""
    listed = [e["list_date"]["line"] for e in report.lists if (e.get("list_date") or {}).get("line")]
    return not gives_time_of_day(date["line"], "vi") and any(gives_time_of_day(line) for line in listed)
