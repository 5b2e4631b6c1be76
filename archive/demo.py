"""`hepza demo`: the bundled replica crawled three times, so the archive it leaves has something to browse.

A first crawl alone leaves an archive of first versions: nothing in the change feed, no history to read.
The demo therefore plays a few days of the agency's work on the replica between crawls: one article is
edited (a figure corrected and a paragraph added) and one is taken down. The second crawl (``--full``, as
the README's weekly cron) finds the edit and the first 404; the third (incremental, the six-hourly cron)
confirms the removal. The replica's port is gone when the demo ends, so no hint names it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from replica import Site, serve

# The sentence the demo's edit adds: plain Vietnamese, as an agency's correction note reads.
CORRECTION = "Bài viết đã được cập nhật số liệu theo báo cáo mới nhất của Ban Quản lý."


@dataclass
class DemoResult:
    """What the demo did: one run summary per crawl, and which articles it changed on the replica."""

    summaries: list[dict]
    edited_asset_id: str
    removed_asset_id: str

    @property
    def exit_code(self) -> int:
        """The worst exit code of the three runs (0 when all went well)."""
        return max(summary["exit_code"] for summary in self.summaries)


def run_demo(
    crawl: Callable[[str, bool], dict], *, articles: int | None = None, say: Callable[[str], None] = print
) -> DemoResult:
    """Serve the replica, crawl it, edit one article and remove another, crawl twice more.

    ``crawl(site_url, full)`` runs one crawl into the demo's archive and returns its summary; ``say``
    prints a line for the user.
    """
    site = Site(articles=articles)
    with serve(site) as server:
        say(f"replica of the portal serving at {server.url} (for this demo only)")
        summaries = [crawl(server.url, False)]
        edited, removed = _pick_articles(site)
        site.edit(edited.asset_id, add_paragraph=CORRECTION)
        site.remove(removed.asset_id)
        say(f"the agency edits «{edited.title}» and removes «{removed.title}»")
        summaries.append(crawl(server.url, True))
        summaries.append(crawl(server.url, False))
    return DemoResult(summaries, edited.asset_id, removed.asset_id)


def _pick_articles(site: Site):
    """The newest live article is edited and the oldest one removed: both are plain news articles of the
    hand-written corpus, so the demo is the same on every machine."""
    by_date = sorted(site.live(), key=lambda article: article.date)
    return by_date[-1], by_date[0]
