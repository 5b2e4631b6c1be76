"""One way to find settings for every command: the option, then HEPZA_*, then the config file (--config,
else $HEPZA_CONFIG, else ./hepza.toml), then the default (docs/configuration.md).

The commands come from the click group itself: a new command fails ``test_every_command_is_covered`` until
it is listed here, with what it needs to run, or among the commands that read no settings, with why. The
commands run in-process (CliRunner) and stop where they open their archive, so no crawl, server or write
happens: what is checked is which archive, and which value, each one would have used."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

import archive.cli as cli
from archive.cli import main
from archive.config import SETTINGS

# Every command that reads settings or an archive, with the arguments it needs besides them.
READS_SETTINGS = {
    "crawl": ["--site-url=http://127.0.0.1:9"],  # a closed port, should anything slip through
    "reprocess": [],
    "stats": [],
    "history": ["1"],
    "changes": [],
    "export": [],
    "export-warc": ["--output", "out.warc.gz"],
    "export-wacz": ["--output", "out.wacz"],
    "check": [],
    "serve": ["--port", "8999"],
    "backup": ["copy.db"],
    "notify": [],
    "verify": [],
    "proof": ["1", "--output", "proof.json"],
    "stamp": ["--tsa-url", "http://127.0.0.1:9"],  # a closed port, should anything slip through
}
# The commands that read no setting and no archive of the user's, and why.
READS_NO_SETTINGS = {
    "extract": "reads one page (a file or a URL) and prints its record: no archive",
    "sample-site": "serves the replica of the portal: no archive",
    "demo": "makes its own archive (--db, ./hepza.db) from the replica: it must never write into the "
    "archive that HEPZA_DB or hepza.toml name for real crawls",
    "watch": "a group: its commands (add, list, remove) read and write <db>.watches.toml, <db> found as "
    "every command finds it (tests/e2e/test_alerts.py), and open no archive",
    "keys": "a group: init and export read the signing key's file (--path, else the signing_key setting, "
    "tests/unit/test_evidence_cli.py) and open no archive",
    "verify-proof": "reads one proof bundle (a file): no archive, no setting",
    "scale": "a group: enqueue, worker and status read redis_url, portals_dir, archives_dir and backups_dir "
    "through the same resolution, --config included (tests/reliability/test_scale_out.py), and no --db",
    "probe": "reads a site (its delay, timeout and user agent through the same resolution, --config "
    "included) and writes a profile into portals_dir (tests/e2e/test_probe.py): no archive",
}

# Each source of a setting, with every source below it in the precedence present too, so that the value
# expected is the one used only if the precedence holds: (options, environment, config files in the cwd),
# each value named by where it comes from (the label's value is the one the source gives).
SOURCES = {
    "option": lambda flag, env: (
        [f"--{flag}=<option>"],
        {env: "<env>", "HEPZA_CONFIG": "env.toml"},
        {"hepza.toml": "<cwd>", "env.toml": "<envconfig>"},
    ),
    "HEPZA_<NAME>": lambda flag, env: (
        ["--config=other.toml"],
        {env: "<env>"},
        {"hepza.toml": "<cwd>", "other.toml": "<config>"},
    ),
    "--config": lambda flag, env: (
        ["--config=other.toml"],
        {"HEPZA_CONFIG": "env.toml"},
        {"hepza.toml": "<cwd>", "other.toml": "<config>", "env.toml": "<envconfig>"},
    ),
    "$HEPZA_CONFIG": lambda flag, env: (
        [],
        {"HEPZA_CONFIG": "env.toml"},
        {"hepza.toml": "<cwd>", "env.toml": "<envconfig>"},
    ),
    "./hepza.toml": lambda flag, env: ([], {}, {"hepza.toml": "<cwd>"}),
    "default": lambda flag, env: ([], {}, {}),
}
# Which source gives the value used, for each case above.
WINNER = {
    "option": "<option>",
    "HEPZA_<NAME>": "<env>",
    "--config": "<config>",
    "$HEPZA_CONFIG": "<envconfig>",
    "./hepza.toml": "<cwd>",
    "default": "<default>",
}


class Opened(Exception):
    """Raised by the spy where a command opens its archive: the command goes no further."""


def _invoke(tmp_path, monkeypatch, command, source, setting, flag, values):
    """Run ``hepza COMMAND`` in tmp_path with the setting given by SOURCE and every source below it, and no
    other HEPZA_* variable; ``values`` maps each source's label to the value it gives."""
    monkeypatch.chdir(tmp_path)
    options, env, files = SOURCES[source](flag, f"HEPZA_{setting.upper()}")

    def fill(text: str) -> str:
        for label, value in values.items():
            text = text.replace(label, str(value))
        return text

    for name, label in files.items():
        value = values[label]
        literal = f'"{value}"' if isinstance(value, str) else repr(value)
        Path(name).write_text(f"{setting} = {literal}\n", encoding="utf-8")
    environment = {k: None for k in os.environ if k.startswith("HEPZA_")}
    environment.update({k: fill(v) for k, v in env.items()})
    args = [command, *READS_SETTINGS[command], *map(fill, options)]
    return CliRunner(env=environment).invoke(main, args)


def _spy_archive(monkeypatch) -> list[str]:
    """The archives the command opens (it is stopped at the first)."""
    opened: list[str] = []

    @contextmanager
    def spy(db, **_kwargs):
        opened.append(db)
        raise Opened(db)
        yield

    monkeypatch.setattr(cli, "_archive", spy)
    return opened


def test_every_command_is_covered():
    assert not set(READS_SETTINGS) & set(READS_NO_SETTINGS)
    assert sorted(main.commands) == sorted({*READS_SETTINGS, *READS_NO_SETTINGS})


@pytest.mark.parametrize("command", sorted(READS_SETTINGS))
def test_every_command_that_reads_settings_has_db_and_config(command):
    names = {param.name for param in main.commands[command].params}
    assert {"db", "config_file"} <= names


DBS = {label: f"{label.strip('<>')}.db" for label in WINNER.values()} | {"<default>": "hepza.db"}


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("command", sorted(READS_SETTINGS))
def test_every_command_opens_the_archive_its_settings_name(tmp_path, monkeypatch, command, source):
    opened = _spy_archive(monkeypatch)
    result = _invoke(tmp_path, monkeypatch, command, source, "db", "db", DBS)
    assert isinstance(result.exception, Opened), (result.exit_code, result.output, result.exception)
    assert opened == [DBS[WINNER[source]]]


def _values(default, option, env, config, envconfig, cwd) -> dict:
    return {
        "<default>": default,
        "<option>": option,
        "<env>": env,
        "<config>": config,
        "<envconfig>": envconfig,
        "<cwd>": cwd,
    }


CRAWL_SETTINGS = {
    "delay": _values(1.0, 6.0, 5.0, 4.0, 3.0, 2.0),
    "concurrency": _values(1, 6, 5, 4, 3, 2),
}


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("setting", CRAWL_SETTINGS)
def test_crawl_takes_each_setting_from_its_source(tmp_path, monkeypatch, setting, source):
    used: list[dict] = []

    def spy(values, **_kwargs):
        used.append(dict(values))
        raise Opened(values["db"])

    monkeypatch.setattr("archive.config.crawl_overrides", spy)
    result = _invoke(tmp_path, monkeypatch, "crawl", source, setting, setting, CRAWL_SETTINGS[setting])
    assert isinstance(result.exception, Opened), (result.exit_code, result.output, result.exception)
    assert used[0][setting] == CRAWL_SETTINGS[setting][WINNER[source]]


ZONES = _values("Asia/Ho_Chi_Minh", "Asia/Tokyo", "UTC", "Europe/Paris", "America/Lima", "Africa/Cairo")


@pytest.mark.parametrize("source", SOURCES)
def test_reprocess_reads_the_time_zone_from_its_source(tmp_path, monkeypatch, source):
    zones: list[str] = []

    @contextmanager
    def archive_of(db, **_kwargs):
        yield db

    def reprocess(_archive, *, tz, migration_rule):
        zones.append(tz)
        raise Opened(tz)

    monkeypatch.setattr(cli, "_archive", archive_of)
    monkeypatch.setattr(cli, "_refuse_damage", lambda _archive: None)
    monkeypatch.setattr("archive.reprocess.reprocess", reprocess)
    result = _invoke(tmp_path, monkeypatch, "reprocess", source, "timezone", "timezone", ZONES)
    assert isinstance(result.exception, Opened), (result.exit_code, result.output, result.exception)
    assert zones == [ZONES[WINNER[source]]]


def test_the_demo_reads_neither_the_environment_nor_a_config_file(tmp_path, monkeypatch):
    """Regression: the demo's crawls read ./hepza.toml (and died on a bad value in it, exit 70)."""
    used: list[dict] = []

    def spy(values, **_kwargs):
        used.append(dict(values))
        raise Opened(values["db"])

    monkeypatch.chdir(tmp_path)
    Path("hepza.toml").write_text('download_images = true\ntimezone = "UTC"\n', encoding="utf-8")
    monkeypatch.setenv("HEPZA_CONFIG", "hepza.toml")
    monkeypatch.setenv("HEPZA_DB", "real.db")
    monkeypatch.setenv("HEPZA_RETRIES", "0")
    monkeypatch.setattr("archive.config.crawl_overrides", spy)
    with pytest.raises(Opened):
        cli._demo_crawl("demo.db", "http://127.0.0.1:9", False)
    assert used[0]["db"] == "demo.db" and used[0]["delay"] == 0 and used[0]["concurrency"] == 16
    defaults = {name: setting.default for name, setting in SETTINGS.items()}
    others = {
        name: value
        for name, value in used[0].items()
        if name not in ("db", "site_url", "delay", "concurrency")
    }
    assert others == {name: defaults[name] for name in others}
