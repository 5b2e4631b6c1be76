"""`hepza serve` keeps answering while a crawl writes to the same archive (WAL), and sees what it wrote."""

from __future__ import annotations

import time

from archive.browse import serving
from archive.datasette import DATABASE
from replica import Site, serve
from tests.browse.conftest import crawl
from tests.browse.support import fetch
from tests.hepza_cli import crawl_argv, popen_hepza


def test_serve_answers_during_a_crawl_and_sees_its_writes(tmp_path):
    db = tmp_path / "live.db"
    site = Site()
    with serve(site) as replica:
        crawl(replica.url, db)
        gold = site.gold()
        for g in gold[:3]:
            site.edit(g["asset_id"], add_paragraph="Đoạn bổ sung trong lúc đang phục vụ.")
        with serving(db) as url:
            count_sql = f"{url}/{DATABASE}.json?sql=select+count(*)+as+n+from+article_versions&_shape=array"
            before = fetch(count_sql).json()[0]["n"]
            process = popen_hepza(*crawl_argv(replica.url, db, "--full", concurrency=16))
            statuses = []
            deadline = time.monotonic() + 120
            while process.poll() is None and time.monotonic() < deadline:
                statuses.append(fetch(f"{url}/{DATABASE}/articles.json?_size=5&_search=khu").status)
                time.sleep(0.05)
            _, stderr = process.communicate(timeout=60)
            assert process.returncode == 0, stderr[-2000:]
            assert statuses and set(statuses) == {200}
            after = fetch(count_sql).json()[0]["n"]
            assert after == before + 3
            changes = fetch(f"{url}/{DATABASE}/recent_changes.json?_shape=array").json()
            assert len(changes) == 3


def test_a_long_article_s_history_is_answered_in_seconds_without_blocking_other_requests(tmp_path):
    # A one-word edit of a 15,000-word article: its pages took 171 s and blocked every other request.
    import re
    import threading

    from replica.faults import Faults, Rule

    db = tmp_path / "long.db"
    site = Site()
    with serve(site) as replica:
        target = "(?i)^" + re.escape(site.live()[0].url) + "$"
        replica.faults = Faults(Rule("long_articles", match=target, words=15_000))
        crawl(replica.url, db)
        replica.faults = Faults(Rule("long_articles", match=target, words=15_000, edit_word=7_500))
        crawl(replica.url, db, "--full")
    with serving(db) as url:
        [row] = fetch(
            f"{url}/{DATABASE}.json?sql=select+article_id+from+article_versions+where+version=2&_shape=array"
        ).json()
        pages = {}

        def long_page() -> None:
            started = time.monotonic()
            pages["history"] = fetch(f"{url}/-/article/{row['article_id']}/history?context=all")
            pages["history_seconds"] = time.monotonic() - started

        worker = threading.Thread(target=long_page)
        worker.start()
        started = time.monotonic()
        other = fetch(f"{url}/{DATABASE}/articles.json?_size=1")
        other_seconds = time.monotonic() - started
        worker.join(timeout=60)
    assert other.status == 200 and other_seconds < 5, other_seconds
    assert pages["history"].status == 200 and pages["history_seconds"] < 10, pages["history_seconds"]
    assert "<ins>sửa7500</ins>" in pages["history"].body.decode()
