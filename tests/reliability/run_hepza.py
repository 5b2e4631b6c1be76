"""`hepza` as cron runs it, plus Scrapy settings for the test (timeouts, retries) from HEPZA_TEST_SETTINGS.

The CLI has no `--set NAME=VALUE` yet (proposed); until it has, this wrapper adds the settings where the
CLI's options become settings (archive.config.crawl_overrides) and runs the unchanged `hepza` command.
"""

from __future__ import annotations

import json
import os

import archive.config
from archive import cli


def _main() -> None:
    extra = json.loads(os.environ.get("HEPZA_TEST_SETTINGS") or "{}")
    original = archive.config.crawl_overrides

    def crawl_overrides(**kwargs):
        return {**original(**kwargs), **extra}

    archive.config.crawl_overrides = crawl_overrides
    cli.main(prog_name="hepza")


if __name__ == "__main__":
    _main()
