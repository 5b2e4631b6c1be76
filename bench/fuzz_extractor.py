"""A short coverage-guided fuzz run of the extractor and the cleaners (atheris), bounded in time and runs.

Not part of the test suite. Needs ``pip install atheris`` (a test-only dependency)::

    .venv/bin/python bench/fuzz_extractor.py                    # 60 s or 20 000 inputs, whichever first
    .venv/bin/python bench/fuzz_extractor.py -max_total_time=300 -runs=200000
    .venv/bin/python bench/fuzz_extractor.py corpus_dir/        # keep and reuse interesting inputs

The seeds are the saved pages in tests/files and a few replica pages, so mutations start from real
Liferay markup. Any exception escaping ``extract_page`` → ``clean_article`` (or ``body_parts``) is a crash:
atheris prints the input and writes it to ``crash-<sha1>``. Known crash (docs/reliability.md, finding 7):
C0 control characters make lxml raise ValueError; pass ``--skip-known`` to filter it out while that is open.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULTS = ["-max_total_time=60", "-runs=20000", "-max_len=65536", "-rss_limit_mb=2048", "-timeout=20"]
CHARSETS = (None, "utf-8", "windows-1258", "cp1252", "latin-1", "utf-16", "bogus")
URL = "https://hepza.hochiminhcity.gov.vn/w/bai-viet"
SKIP_KNOWN = "--skip-known" in sys.argv


def seed_corpus() -> Path:
    """A temporary directory of seed inputs: saved pages and replica pages."""
    from replica import Site, app

    folder = Path(tempfile.mkdtemp(prefix="hepza-fuzz-seeds-"))
    for path in (ROOT / "tests" / "files").glob("*.html"):
        folder.joinpath(path.name).write_bytes(path.read_bytes())
    site = Site()
    for i, article in enumerate(site.live()[:8]):
        _, _, body = app.handle(site, "GET", f"/w/{article.slug}", {"host": "127.0.0.1"})
        folder.joinpath(f"replica-{i}.html").write_bytes(body)
    return folder


def main() -> None:
    import atheris

    with atheris.instrument_imports():
        from pipelines.extract import extract_page
        from pipelines.html_text import body_parts
        from pipelines.record import clean_article

    def one_input(data: bytes) -> None:
        if not data:
            return
        charset = CHARSETS[data[0] % len(CHARSETS)]
        body = data[1:]
        try:
            raw = extract_page(body, URL, charset)
            clean_article(raw)
            if raw.body_html_raw and raw.body_html_raw.strip():
                body_parts(raw.body_html_raw, URL)
        except ValueError as exc:
            if SKIP_KNOWN and "XML compatible" in str(exc):
                return  # finding 7, known
            raise

    args = [a for a in sys.argv if a != "--skip-known"]
    flags = [a for a in args[1:] if a.startswith("-")]
    dirs = [a for a in args[1:] if not a.startswith("-")]
    given = {f.split("=", 1)[0] for f in flags}
    flags += [d for d in DEFAULTS if d.split("=", 1)[0] not in given]
    atheris.Setup([args[0], *flags, *(dirs or [str(seed_corpus())])], one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
