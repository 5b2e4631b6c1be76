"""The commands hepza prints as hints name a way to run it that works from where the user is."""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

import pytest

from archive.cli import how_to_run_hepza


def _script(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    script = directory / "hepza"
    script.write_text("#!/bin/sh\n", encoding="utf-8")
    script.chmod(0o755)
    return script


@pytest.mark.parametrize(
    ("argv0", "on_path", "expected"),
    [
        ("venv", True, "hepza"),  # the venv is activated: `hepza` on the PATH is this script
        ("venv", False, "{script}"),  # run by its path (as `make demo` runs `.venv/bin/hepza`)
        ("other", True, "{script}"),  # another hepza first on the PATH: name this one
        ("module", True, "{python} -m archive.cli"),  # `python -m archive.cli`
    ],
)
def test_how_to_run_hepza(tmp_path, monkeypatch, argv0, on_path, expected):
    script = _script(tmp_path / "my venv" / "bin")
    other = _script(tmp_path / "other" / "bin")
    path_dirs = [str((other if argv0 == "other" else script).parent)] if on_path else []
    monkeypatch.setenv("PATH", os.pathsep.join(path_dirs + ["/nonexistent"]))
    argv = {"venv": script, "other": script, "module": Path("/src/archive/cli.py")}[argv0]
    monkeypatch.setattr(sys, "argv", [str(argv), "demo"])
    assert how_to_run_hepza() == expected.format(script=f"'{script}'", python=shlex.quote(sys.executable))
