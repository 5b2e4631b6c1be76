"""A learned rule that misreads a kind of page its checks did not show is withdrawn (docs/redesigns.md, "A
rule that misreads pages its checks did not show"), on every replica portal, through the archive writer
over loopback as tests/e2e/test_redesign_portals.py runs it (the pages in an order the test chooses, so
that the rule is learned and checked on pages of one kind only).

The new theme prints the articles of one category with a display page template of its own (Liferay lets
a category have one): the lead paragraph in a block apart, above the text. A rule learned and checked on
the other categories' pages reads the text block only, so on that category's pages it loses the lead.
"""

from __future__ import annotations

import collections
import re

import pytest

from archive.learning import verified_rules
from archive.store import Archive
from replica import Site, e2e_portal_names, serve
from tests.e2e.conftest import rows
from tests.e2e.test_redesign_portals import _run

# The title in a <div>, not a heading: a theme the portal layer does not read (it takes a title from a
# heading), so the crawl has to learn it; the layer reads a byline and a date line after the body.
THEME = """<main class="trang-chi-tiet"><div class="khung">
<header class="dau-bai"><div class="ten-bai">{{ title }}</div></header>
<div class="bai-noi-dung">
{{ body_blocks }}
</div>
<div class="tac-gia-bai">{{ byline }}</div>
<div class="thoi-gian">Cập nhật lúc {{ date_long }}</div>
</div></main>
"""
# The same theme's template for one category: the lead (sapo) printed apart, above the text.
LEAD_APART = """<main class="trang-chi-tiet"><div class="khung">
<header class="dau-bai"><div class="ten-bai">{{ title }}</div></header>
<div class="tom-tat">{{ lead }}</div>
<div class="bai-noi-dung">
{{ blocks_after_lead }}
</div>
<div class="tac-gia-bai">{{ byline }}</div>
<div class="thoi-gian">Cập nhật lúc {{ date_long }}</div>
</div></main>
"""
MISREAD_ALARM = re.compile(
    r"learning: the layout learned in this run reads (\d+) of (\d+) known pages otherwise than archived; "
    r"nothing was written from them"
)


def _state(db) -> list[dict]:
    return rows(db, "SELECT asset_id, content_hash, version_count FROM articles ORDER BY id")


@pytest.mark.parametrize("portal", e2e_portal_names())
def test_a_rule_that_misreads_unchecked_pages_is_withdrawn_and_not_used_again(tmp_path, portal):
    site = Site(portal=portal)
    gold = site.gold()
    # The category of its own: the smallest, still more than a tenth of the articles (not a few edits).
    sizes = collections.Counter(g["category"] for g in gold)
    odd = min(sizes, key=lambda c: (sizes[c], c))
    assert 2 <= sizes[odd] and sizes[odd] * 10 > len(gold), sizes
    db = tmp_path / "x.db"
    with serve(site) as server:
        # The other categories' pages first: the rule is learned and checked on them only.
        ordered = sorted(gold, key=lambda g: g["category"] == odd)
        urls = [server.url + g["url"] for g in ordered]
        assert _run(server.url, db, urls)["exit_code"] == 0
        before = _state(db)
        site.redesign("two-templates", THEME, by_category={odd: LEAD_APART})

        learned = _run(server.url, db, urls)
        again = _run(server.url, db, urls)

    # The run that learned it: verified on the first pages, then withdrawn at the end, exit 3 (what
    # ``hepza crawl`` exits with: the writer's summary), one line.
    assert learned["exit_code"] == 3 and learned["status"] == "alarm", learned
    misread = [m for m in map(MISREAD_ALARM.fullmatch, learned["alarms"]) if m]
    assert len(misread) == 1 and all("\n" not in alarm for alarm in learned["alarms"]), learned["alarms"]
    differ, read = map(int, misread[0].groups())
    assert differ == sizes[odd] and differ < read <= len(urls), learned["alarms"]
    # (Candidates the learner tried and its checks refused before the one it verified come first.)
    statuses = [e["status"] for e in learned["learned_layouts"]]
    assert statuses[-1] == "verified" and set(statuses[:-1]) <= {"rejected"}, learned["learned_layouts"]
    rule = learned["learned_layouts"][-1]["rule"]
    assert not any("tom-tat" in part for part in rule["body"]), rule  # learned from the other template
    recorded = rows(db, "SELECT run_id, status, reason, rule FROM learned_layouts ORDER BY id")
    tried = len(statuses)  # the learning run's rows: its attempts, then the withdrawal
    assert [(r["run_id"], r["status"]) for r in recorded[tried - 1 : tried + 1]] == [
        (learned["run_id"], "verified"),
        (learned["run_id"], "rejected"),
    ]
    verified_row, withdrawal = recorded[tried - 1], recorded[tried]
    assert withdrawal["rule"] == verified_row["rule"]
    assert withdrawal["reason"] == "read known pages otherwise than archived"
    # Nothing written from the misreading: the category's pages are errors, not versions; the others
    # read exactly, unchanged.
    assert learned["changed"] == learned["new"] == 0, learned
    assert learned["unchanged"] == len(urls) - sizes[odd] and learned["errors"] == sizes[odd], learned
    assert _state(db) == before

    # The next run does not use it: not loaded from the archive, and learned anew from the same pages it
    # is refused, not verified again. What cannot be learned stops the run as before: exit 3, no version.
    assert again["exit_code"] == 3 and again["changed"] == again["new"] == 0, again
    assert not any(MISREAD_ALARM.fullmatch(alarm) for alarm in again["alarms"]), again["alarms"]
    later = [r for r in recorded if r["run_id"] == again["run_id"]]
    assert len(recorded) == tried + 1 + len(later), recorded
    assert later and {r["status"] for r in later} == {"rejected"}, later
    assert all(r["rule"] != verified_row["rule"] or "was withdrawn" in r["reason"] for r in later), later
    assert [e["status"] for e in again["learned_layouts"]] == ["rejected"] * len(later)
    assert any("could not learn the new layout" in alarm for alarm in again["alarms"]), again["alarms"]
    stored = Archive(db, readonly=True)
    try:
        assert verified_rules(stored) == []  # what later runs and ``hepza reprocess`` load
    finally:
        stored.close()
    assert _state(db) == before
