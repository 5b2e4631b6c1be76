"""The replica's data files (replica/data/*.json) and page templates (replica/templates/*), read from the package.

A template is text with ``{{ name }}`` placeholders, each filled with a string: no logic, no escaping (the
caller escapes what it puts in). Filling checks that the values name exactly the template's placeholders,
so a template and the code that fills it cannot drift apart silently.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

_PLACEHOLDER = re.compile(r"\{\{ ([a-z_][a-z0-9_]*) \}\}")


class Template:
    """One template file, cut once at its placeholders."""

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        # Even items are literal text, odd items placeholder names.
        self._pieces = _PLACEHOLDER.split(text)
        self.names = frozenset(self._pieces[1::2])

    def fill(self, **values: str) -> str:
        if values.keys() != self.names:
            missing, extra = sorted(self.names - values.keys()), sorted(values.keys() - self.names)
            raise KeyError(f"template {self.name}: missing {missing}, unknown {extra}")
        pieces = self._pieces.copy()
        pieces[1::2] = [values[name] for name in pieces[1::2]]
        return "".join(pieces)


def _read(*parts: str) -> str:
    # Bytes, then UTF-8: text mode would translate line ends, and pages must come out byte for byte.
    return resources.files("replica").joinpath(*parts).read_bytes().decode("utf-8")


@cache
def template(name: str) -> Template:
    """The template replica/templates/<name>."""
    return Template(name, _read("templates", name))


@cache
def data(name: str) -> Any:
    """The parsed data file replica/data/<name>.json (shared: callers must not change it)."""
    return json.loads(_read("data", f"{name}.json"))


def template_names() -> list[str]:
    return sorted(f.name for f in resources.files("replica").joinpath("templates").iterdir() if f.is_file())
