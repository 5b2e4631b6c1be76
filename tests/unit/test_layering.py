"""Imports follow the data flow: only scraper/ imports Scrapy; pipelines/ and archive/ work without it.

scraper → pipelines → archive, the CLI on top: pipelines/ (cleaning) imports nothing of the project's
other packages, archive/ (storage) imports no scraper/ but in its two top-level commands (which start a
crawl lazily), and the spider asks the archive through archive.crawl_plan, never through its SQL. The
imports are read from each module's syntax tree, so an import inside a function counts as much as one at
the top (a lazy import is still an import).
"""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("scraper", "pipelines", "archive", "replica")
CRAWL_FRAMEWORKS = ("scrapy", "twisted")
# The top-level commands may start a crawl (lazily, inside the command that runs it).
ARCHIVE_COMMANDS = ("archive/cli.py", "archive/demo.py")
# What the spider may not reach: the archive's storage, and SQLite itself.
SPIDER_FORBIDDEN = ("archive.store", "sqlite3", "sqlite_utils")


def modules_of(package: str) -> list[str]:
    return [f"{package}.{m.name}" for m in pkgutil.iter_modules([str(ROOT / package)])]


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, root: Path = ROOT) -> set[str]:
    """Every module a source file imports, wherever in the file (functions and classes included), with
    relative imports resolved; ``importlib.import_module("x")`` of a literal name counts too."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    name = _module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names if alias.name != "*")
        elif (
            isinstance(node, ast.Call)
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and (
                (isinstance(node.func, ast.Attribute) and node.func.attr == "import_module")
                or (isinstance(node.func, ast.Name) and node.func.id in ("import_module", "__import__"))
            )
        ):
            names.add(node.args[0].value)
    return names


def _is_under(module: str, packages: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


def layering_violations(root: Path = ROOT) -> list[str]:
    """Every import against the layering, as ``path: module``."""
    found = []
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            where = path.relative_to(root).as_posix()
            for module in sorted(imported_modules(path, root)):
                if package != "scraper" and _is_under(module, CRAWL_FRAMEWORKS):
                    found.append(f"{where}: {module} (only scraper/ imports Scrapy or Twisted)")
                if package == "pipelines" and _is_under(module, ("archive", "scraper", "replica")):
                    found.append(f"{where}: {module} (pipelines/ imports none of the other packages)")
                if package == "archive" and where not in ARCHIVE_COMMANDS and _is_under(module, ("scraper",)):
                    found.append(f"{where}: {module} (archive/ does not import the crawler)")
                if where.startswith("scraper/spiders/") and _is_under(module, SPIDER_FORBIDDEN):
                    found.append(f"{where}: {module} (the spider asks archive.crawl_plan instead)")
    return found


def test_no_module_imports_against_the_data_flow():
    assert layering_violations() == []


def test_the_check_sees_lazy_and_relative_imports(tmp_path):
    # A copy of the tree with one violation of each rule, all of them out of sight of a top-level scan.
    for package in PACKAGES:
        (tmp_path / package).mkdir()
    (tmp_path / "pipelines" / "text.py").write_text("def f():\n    from archive.store import Archive\n")
    (tmp_path / "archive" / "export.py").write_text(
        "class C:\n    def m(self):\n        import scraper.run\n\n\ndef g():\n    import twisted.internet\n"
    )
    (tmp_path / "archive" / "cli.py").write_text("def crawl():\n    from scraper.run import run_crawl\n")
    (tmp_path / "replica" / "app.py").write_text(
        "import importlib\n\n\ndef h():\n    importlib.import_module('scrapy.http')\n"
    )
    (tmp_path / "scraper" / "spiders").mkdir()
    (tmp_path / "scraper" / "spiders" / "hepza.py").write_text("if True:\n    import sqlite3\n")
    (tmp_path / "pipelines" / "urls.py").write_text("from ..replica import corpus\n")
    assert [v.split(" (")[0] for v in layering_violations(tmp_path)] == [
        "scraper/spiders/hepza.py: sqlite3",
        "pipelines/text.py: archive.store",
        "pipelines/text.py: archive.store.Archive",
        "pipelines/urls.py: replica",
        "pipelines/urls.py: replica.corpus",
        "archive/export.py: scraper.run",
        "archive/export.py: twisted.internet",
        "replica/app.py: scrapy.http",
    ]


def test_pipelines_and_archive_never_import_scrapy():
    modules = modules_of("pipelines") + modules_of("archive")
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'scrapy' or m.startswith(('scrapy.', 'twisted')))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.strip() == ""
    assert len(modules) > 10
