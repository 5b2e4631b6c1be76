"""docs/library.md's worked example runs: its Python blocks, in order, in one namespace, in a folder
holding an archive named hepza.db (tests/unit/sample_archive.py builds it in-process)."""

import contextlib
import io
import re
from pathlib import Path

from tests.unit.sample_archive import build_sample_archive

DOC = Path(__file__).resolve().parents[2] / "docs" / "library.md"
_PYTHON_BLOCK_RE = re.compile(r"^```python\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def python_blocks(text: str) -> list[str]:
    return _PYTHON_BLOCK_RE.findall(text)


def test_the_page_has_a_worked_example():
    blocks = python_blocks(DOC.read_text(encoding="utf-8"))
    assert len(blocks) >= 4 and "archive.open(" in blocks[0]


def test_the_worked_example_runs_against_an_archive(tmp_path, monkeypatch):
    build_sample_archive(tmp_path / "hepza.db")
    monkeypatch.chdir(tmp_path)
    printed = io.StringIO()
    namespace: dict = {}
    with contextlib.redirect_stdout(printed):
        for number, block in enumerate(python_blocks(DOC.read_text(encoding="utf-8")), 1):
            exec(compile(block, f"docs/library.md block {number}", "exec"), namespace)
    output = printed.getvalue()
    # What the example says it shows: the figures, the edited article, its diff, its captures, the runs.
    assert "3 articles, 1 of them edited" in output
    assert "Hội nghị sơ kết quý I (2 versions)" in output
    assert "title: -0 +2 words" in output and "{+ quý I+}" in output
    assert "22 bytes" in output
    assert "failed-pages exit 1" in output and "failed: http://127.0.0.1:9/w/loi HttpError HTTP 500" in output
