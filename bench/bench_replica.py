"""Latency of article requests on a 10,000-article replica over loopback (prints figures; not a test)."""

from __future__ import annotations

import http.client
import random
import statistics
import time
from urllib.parse import urlsplit

from replica import Site, serve


def main(articles: int = 10_000, requests: int = 400) -> None:
    t0 = time.perf_counter()
    site = Site(articles=articles, seed=0)
    build = time.perf_counter() - t0
    rng = random.Random(0)
    live = site.live()
    with serve(site) as server:
        parts = urlsplit(server.url)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        times = []
        for i in range(requests):
            a = rng.choice(live)
            path = ("/en" if i % 4 == 0 else "") + a.url
            t = time.perf_counter()
            conn.request("GET", path)
            r = conn.getresponse()
            r.read()
            times.append((time.perf_counter() - t) * 1000)
            assert r.status == 200
        conn.close()
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    print(f"site build: {build:.2f} s for {articles} articles")
    print(
        f"article requests: n={requests} median={statistics.median(times):.2f} ms p95={p95:.2f} ms max={times[-1]:.2f} ms"
    )


if __name__ == "__main__":
    main()
