"""`hepza crawl` with the farm benchmark's instrument: when each request was handed to the socket.

bench/farm.py runs ``python -m bench.farm_probe SENDS_FILE crawl --all …`` instead of ``hepza crawl --all
…``: the same command line, the same code, with one download handler swapped for a subclass that notes
the monotonic time at which each HTTP request starts its download (after the download slot let it go, as
the connection is asked for) and appends ``{"url", "sent", "answered"}`` lines to SENDS_FILE. The farm
compares these with the servers' arrival times (bench/farm_server.py): a gap the crawler kept between two
sends that the server saw shorter is the machine's doing; a gap already short at the crawler is the
crawler's. It also notes when the run reaches each stage, as ``{"event", "at"}`` lines: each portal's
archive run opened by its writer (``opened``, with the writer's pid), and every portal's crawl over
(``crawls_over``: the reactor has stopped, the seals and alerts follow), from which bench/farm.py tells
the run's start-up and shut-down from its steady state. The product carries none of this.
"""

from __future__ import annotations

import atexit
import json
import sys
import time
from typing import TextIO

from scraper import archive_writer
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


def _note(event: str, **more: object) -> None:
    if TimedHandler.sends is not None:
        TimedHandler.sends.write(json.dumps({"event": event, "at": time.monotonic(), **more}) + "\n")


def _noting_stages() -> None:
    """Wrap the writer's open and the crawls' runner so that each notes when it is done."""
    import scraper.run

    opened = archive_writer.ProcessWriter.open

    def open_noted(self, config):
        def note(run_id):
            _note("opened", writer=self.process.transport.pid if self.process else None)
            return run_id

        return opened(self, config).addCallback(note)

    run_crawls = scraper.run.run_crawls

    def run_crawls_noted(*args, **kwargs):
        try:
            return run_crawls(*args, **kwargs)
        finally:
            _note("crawls_over")

    archive_writer.ProcessWriter.open = open_noted  # type: ignore[method-assign]
    scraper.run.run_crawls = run_crawls_noted


def main() -> None:
    # (run as __main__: Scrapy loads the handler from bench.farm_probe, another module object)
    from bench.farm_probe import TimedHandler as Loaded
    from bench.farm_probe import _noting_stages

    Loaded.sends = open(sys.argv[1], "a", encoding="utf-8")  # noqa: SIM115 (closed at exit)
    atexit.register(Loaded.sends.close)
    _noting_stages()
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
