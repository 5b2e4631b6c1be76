"""Docs as tests: every command and option of ``hepza`` is documented, every setting is in
docs/configuration.md's table, and the generated docs are current (``cog -r docs/*.md`` regenerates them)."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import click
import pytest
from cogapp import Cog

from archive.cli import main
from archive.config import SETTINGS

ROOT = Path(__file__).resolve().parents[2]
GENERATED = ["docs/configuration.md", "docs/cli.md", "docs/portals.md"]


def _text(name: str) -> str:
    return (ROOT / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("doc", GENERATED)
def test_generated_docs_are_current(doc, monkeypatch):  # cog runs the docs' code from the root
    monkeypatch.chdir(ROOT)
    assert Cog().main(["cog", "--check", doc]) == 0, f"{doc} is stale: run cog -r {doc}"


def _section(reference: str, command: str) -> str:
    """The part of docs/cli.md about one command: from its heading to the next."""
    match = re.search(rf"^## hepza {re.escape(command)}\n(.*?)(?=^## |\Z)", reference, re.M | re.S)
    assert match, f"docs/cli.md has no section for hepza {command}"
    return match.group(1)


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_and_option_is_in_the_reference(command):
    section = _section(_text("docs/cli.md"), command)
    for param in main.commands[command].params:
        if isinstance(param, click.Option):
            for flag in [*param.opts, *param.secondary_opts]:
                assert re.search(rf"(^|[\s,]){re.escape(flag)}\b", section, re.M), (command, flag)
        else:
            assert param.human_readable_name in section, (command, param.name)


@pytest.mark.parametrize("command", sorted(main.commands))
def test_the_readme_names_every_command(command):
    assert f"hepza {command}" in _text("README.md"), command


@pytest.mark.parametrize("command", [main, *main.commands.values()], ids=lambda c: c.name)
def test_every_help_ends_with_an_example(command):
    last_paragraph = inspect.cleandoc(command.help or "").split("\n\n")[-1]
    assert last_paragraph.startswith("Example: hepza"), (command.name, last_paragraph)


def _table_rows() -> dict[str, list[str]]:
    """docs/configuration.md's table: setting -> environment variable, type, default, least value."""
    cells = r"\| `(\w+)` \| `(\w+)` \| (\w+) \| (`[^`]*`|\(empty\)) \| (`[^`]*`|) \|"
    return {
        name: [env, kind, default.strip("`") if default != "(empty)" else "", least.strip("`")]
        for name, env, kind, default, least in re.findall("^" + cells, _text(GENERATED[0]), re.M)
    }


def test_the_configuration_table_lists_every_setting_with_its_env_type_default_and_minimum():
    expected = {
        name: [
            setting.env,
            setting.type.__name__,
            setting.default_text(),
            "" if setting.minimum is None else str(setting.minimum),
        ]
        for name, setting in SETTINGS.items()
    }
    assert _table_rows() == expected


def test_every_option_of_a_setting_says_its_default_and_variable():
    for command in main.commands.values():
        for param in command.params:
            if param.name in SETTINGS and command.name != "demo":
                setting = SETTINGS[param.name]
                help_text = getattr(param, "help", "") or ""
                assert setting.env in help_text and setting.default_text() in help_text, (
                    command.name,
                    param.name,
                )
