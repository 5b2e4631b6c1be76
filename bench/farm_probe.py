"""`hepza crawl` with the farm benchmark's instrument: when each request was handed to the socket.

bench/farm.py runs ``python -m bench.farm_probe SENDS_FILE crawl --all …`` instead of ``hepza crawl --all
…``: the same command line, the same code, with one download handler swapped for a subclass that notes
the monotonic time at which each HTTP request starts its download (after the download slot let it go, as
the connection is asked for) and appends ``{"url", "sent", "answered"}`` lines to SENDS_FILE. The farm
compares these with the servers' arrival times (bench/farm_server.py): a gap the crawler kept between two
sends that the server saw shorter is the machine's doing; a gap already short at the crawler is the
crawler's. The product carries none of this.
"""

from __future__ import annotations

import atexit
import json
import sys
import time
from typing import TextIO

from scraper.download import CappedHTTP11DownloadHandler


class TimedHandler(CappedHTTP11DownloadHandler):
    """The product's HTTP handler, noting each request's start and end (monotonic seconds)."""

    sends: TextIO | None = None

    async def download_request(self, request):
        sent = time.monotonic()
        try:
            return await super().download_request(request)
        finally:
            if self.sends is not None:
                line = {"url": request.url, "sent": sent, "answered": time.monotonic()}
                self.sends.write(json.dumps(line) + "\n")


def main() -> None:
    # (run as __main__: Scrapy loads the handler from bench.farm_probe, another module object)
    from bench.farm_probe import TimedHandler as Loaded

    Loaded.sends = open(sys.argv[1], "a", encoding="utf-8")  # noqa: SIM115 (closed at exit)
    atexit.register(Loaded.sends.close)
    import scraper.settings

    # (crawl_settings reads the module's attributes when a crawl starts: the swap reaches every crawler)
    scraper.settings.DOWNLOAD_HANDLERS = {
        "http": "bench.farm_probe.TimedHandler",
        "https": "bench.farm_probe.TimedHandler",
    }
    from archive.cli import run

    sys.argv = ["hepza", *sys.argv[2:]]
    run()


if __name__ == "__main__":
    main()
