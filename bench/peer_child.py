"""One crawl by a whole-crawler peer of hepza, for bench/peers.py: news-please or trafilatura.

Runs in the peers' own virtualenv (``.venv-peers``: news-please pins its own Scrapy and extractors), so it
imports nothing of this project. It crawls the replica portal at BASE, a ``.localhost`` name, because
trafilatura refuses IP addresses and ``localhost``: news-please gets ``http://hepza.localhost`` (no port:
it drops every URL of a host with a port as offsite) through ``http_proxy=http://127.0.0.1:PORT``
(bench/static_server.py answers as a proxy); trafilatura gets ``http://hepza.localhost:PORT``, the name
resolved to 127.0.0.1 in its process (its downloads take only SOCKS proxies). It writes each
article it found as one JSON line to OUT (``url``, ``title``, ``published_at``, ``authors``, ``text``) and
prints one JSON line of figures: wall seconds and the records written.

    http_proxy=http://127.0.0.1:PORT .venv-peers/bin/python -P bench/peer_child.py \
        newsplease|newsplease-tuned http://hepza.localhost OUT WORKDIR
    .venv-peers/bin/python -P bench/peer_child.py trafilatura http://hepza.localhost:PORT OUT WORKDIR

- news-please: its own command (``news-please -c CONFIG -no-confirm``) with its SitemapCrawler (the
  portal's robots.txt names its sitemap) and its default extractors and heuristics, JSON file storage;
  the config is the package's own, with the working path, log level and per-domain concurrency (16, as
  ``hepza crawl --concurrency 16``) changed.
- trafilatura: its sitemap discovery (``sitemaps.sitemap_search``) then, for each URL found,
  ``fetch_url`` and ``extract`` with metadata: the documented path of "sitemap/feed discovery +
  extraction" (its focused crawler follows links breadth-first and stops at a page budget; the sitemap
  path finds every article of a portal that lists them, as this one does).
"""

from __future__ import annotations

import configparser
import glob
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit


def _only_localhost_names(url: str) -> None:
    if not (urlsplit(url).hostname or "").endswith(".localhost"):
        raise SystemExit(f"refusing {url}: the peers crawl .localhost names only")


def _through_the_replica_proxy(url: str) -> None:
    """news-please: every request goes to the replica's server on 127.0.0.1, as the proxy."""
    _only_localhost_names(url)
    if urlsplit(os.environ.get("http_proxy", "")).hostname != "127.0.0.1":
        raise SystemExit("refusing to crawl for news-please without http_proxy on 127.0.0.1")


def _resolve_localhost_names() -> None:
    """trafilatura: names under ``.localhost`` resolve to 127.0.0.1, as RFC 6761 reserves them to (glibc
    without systemd-resolved does not); its downloads take only a SOCKS proxy, so it connects itself."""
    import socket

    real = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):  # type: ignore[no-untyped-def]
        name = host.decode() if isinstance(host, bytes) else host
        if isinstance(name, str) and name.rstrip(".").endswith(".localhost"):
            host = "127.0.0.1"
        return real(host, *args, **kwargs)

    socket.getaddrinfo = getaddrinfo  # type: ignore[assignment]


def _newsplease_config(base: str, work: Path, tuned: bool) -> Path:
    """A config folder for news-please: its own config.cfg with our few changes, and the site list."""
    import newsplease

    package = Path(newsplease.__file__).parent / "config"
    config_dir = work / "newsplease-config"
    config_dir.mkdir(parents=True, exist_ok=True)
    parser = configparser.RawConfigParser()
    parser.optionxform = str  # keep the keys' case (Scrapy's settings are upper case)
    parser.read(package / "config.cfg", encoding="utf-8")
    parser["Files"]["working_path"] = str(work / "newsplease-repo")
    parser["Files"]["local_data_directory"] = (
        "%working_path/data/%appendmd5_full_domain(32)/%appendmd5_url_directory_string(60)_"
        "%appendmd5_max_url_file_name_%timestamp_download.html"
    )
    parser["Crawler"]["default"] = "SitemapCrawler"
    parser["Crawler"]["number_of_parallel_crawlers"] = "1"
    parser["Scrapy"]["LOG_LEVEL"] = os.environ.get("PEER_LOG_LEVEL", "WARNING")
    parser["Scrapy"]["CONCURRENT_REQUESTS_PER_DOMAIN"] = "16"
    parser["Scrapy"]["ITEM_PIPELINES"] = (
        "{'newsplease.pipeline.pipelines.ArticleMasterExtractor':100, "
        "'newsplease.pipeline.pipelines.JsonFileStorage':300}"
    )
    with open(config_dir / "config.cfg", "w", encoding="utf-8") as f:
        parser.write(f)
    site: dict = {"url": base + "/"}
    if tuned:
        # What its docs tell a user to do for a site its defaults miss: HEPZA's pages say og:type
        # "website" (SITE-FACTS.md), so the default condition (og_type and …) refuses every article.
        site["overwrite_heuristics"] = {"og_type": False}
        site["pass_heuristics_condition"] = "linked_headlines or self_linked_headlines"
    (config_dir / "sitelist.hjson").write_text(json.dumps({"base_urls": [site]}), encoding="utf-8")
    return config_dir


def run_newsplease(base: str, out: Path, work: Path, tuned: bool = False) -> int:
    _through_the_replica_proxy(base)
    config_dir = _newsplease_config(base, work, tuned)
    # (-c names the folder of config.cfg and sitelist.hjson, with its trailing slash)
    command = [str(Path(sys.executable).parent / "news-please"), "-c", f"{config_dir}/", "-no-confirm"]
    subprocess.run(command, check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, timeout=3600)
    written = 0
    with open(out, "w", encoding="utf-8") as f:
        for path in sorted(
            glob.glob(str(work / "newsplease-repo" / "data" / "**" / "*.json"), recursive=True)
        ):
            record = json.loads(Path(path).read_text(encoding="utf-8"))
            f.write(
                json.dumps(
                    {
                        "url": record.get("url"),
                        "title": record.get("title"),
                        "published_at": record.get("date_publish"),
                        "authors": record.get("authors") or [],
                        "text": record.get("maintext"),
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
            written += 1
    return written


def run_trafilatura(base: str, out: Path, work: Path) -> int:
    _only_localhost_names(base)
    _resolve_localhost_names()
    from trafilatura import extract, fetch_url
    from trafilatura.settings import use_config
    from trafilatura.sitemaps import sitemap_search

    # Its defaults, but for a replica on loopback: no SSRF guard (it refuses 127.0.0.1) and no sleep
    # between requests (hepza crawls with --delay 0 in this benchmark too).
    config = use_config()
    config.set("DEFAULT", "SSRF_PROTECTION", "off")
    config.set("DEFAULT", "SLEEP_TIME", "0")
    urls = sitemap_search(base + "/", sleep_time=0, config=config)
    written = 0
    with open(out, "w", encoding="utf-8") as f:
        for url in urls:
            _only_localhost_names(url)
            html = fetch_url(url, config=config)
            if not html:
                continue
            found = extract(html, url=url, output_format="json", with_metadata=True, config=config)
            if not found:
                continue
            record = json.loads(found)
            author = record.get("author")
            f.write(
                json.dumps(
                    {
                        "url": url,
                        "title": record.get("title"),
                        "published_at": record.get("date"),
                        "authors": [a.strip() for a in author.split(";")] if author else [],
                        "text": record.get("text"),
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
            written += 1
    return written


def main() -> None:
    tool, base, out, work = sys.argv[1], sys.argv[2].rstrip("/"), Path(sys.argv[3]), Path(sys.argv[4])
    os.environ.pop("https_proxy", None)
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    runs = {
        "newsplease": run_newsplease,
        "newsplease-tuned": lambda *a: run_newsplease(*a, tuned=True),
        "trafilatura": run_trafilatura,
    }
    written = runs[tool](base, out, work)
    print(json.dumps({"tool": tool, "wall_s": time.perf_counter() - started, "records": written}))


if __name__ == "__main__":
    main()
