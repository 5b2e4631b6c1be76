"""What a crawl imports before it fetches anything: every `hepza crawl` (and so ~100 tests) pays it twice, in
the crawler and in its writer process. Each check runs in a fresh interpreter, as a crawl starts."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _fresh_python(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_the_writer_process_imports_no_reading_side_nor_crawl_framework():
    # bs4 only for legacy bytes (pipelines.text), the library's reading side only when asked for.
    out = _fresh_python(
        """
        import sys
        import archive.writer
        print(sorted({m.split(".")[0] for m in sys.modules} & {"bs4", "soupsieve", "scrapy", "twisted"}))
        print("archive.history" in sys.modules, "archive.library" in sys.modules)
        """
    )
    assert out.split("\n")[:2] == ["[]", "False False"]


def test_the_library_names_still_come_with_the_package():
    out = _fresh_python(
        """
        import archive
        print(archive.open.__module__, archive.ArticleHistory.__module__, "open" in dir(archive))
        """
    )
    assert out.split() == ["archive.library", "archive.history", "True"]


def test_the_crawl_loads_no_component_it_has_turned_off_nor_reads_the_stack_sources():
    # Scrapy imports every listed extension and middleware before asking it whether it is enabled: the
    # remote control's module imports aiohttp's web server, the cookies middleware tldextract. And it names
    # its deprecated TLS classes' module through inspect.stack(), which reads every frame's source: the
    # download handler's import gives it the frames alone, and the classes keep their module's name.
    out = _fresh_python(
        """
        import inspect, sys
        calls = []
        real = inspect.getframeinfo
        inspect.getframeinfo = lambda *a, **k: calls.append(1) or real(*a, **k)
        from scrapy.utils.conf import build_component_list
        from scrapy.utils.misc import load_object
        from scraper.run import crawl_settings

        settings = crawl_settings({})
        for name in ("EXTENSIONS", "DOWNLOADER_MIDDLEWARES", "SPIDER_MIDDLEWARES", "ITEM_PIPELINES"):
            for path in build_component_list(settings.getwithbase(name)):
                load_object(path)
        for scheme in ("http", "https"):
            load_object(settings.getwithbase("DOWNLOAD_HANDLERS")[scheme])
        print(sorted({m.split(".")[0] for m in sys.modules} & {"aiohttp", "tldextract"}))
        from scrapy.core.downloader import contextfactory
        import scrapy.utils.deprecate
        print(len(calls), contextfactory.ScrapyClientContextFactory.__module__)
        print(scrapy.utils.deprecate.inspect is inspect)
        """
    )
    assert out.split() == ["[]", "0", "scrapy.core.downloader.contextfactory", "True"]


def test_importing_the_crawler_s_modules_installs_no_reactor():
    # Scrapy installs the asyncio reactor when a crawl starts; a module that imports
    # twisted.internet.reactor at import installs the default one first, and a process that imported it
    # (the test zygote, a library user) could then not crawl (the bug: scraper/platform_check.py).
    out = _fresh_python(
        """
        import pkgutil, importlib, sys
        import scraper, scraper.spiders
        for package in (scraper, scraper.spiders):
            for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
                importlib.import_module(info.name)
        print("twisted.internet.reactor" in sys.modules)
        """
    )
    assert out.strip() == "False"
