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
