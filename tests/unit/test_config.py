"""Configuration: one precedence (CLI, environment, file, defaults), one documented list."""

from pathlib import Path

import pytest

from archive.config import SETTINGS, ConfigError, crawl_overrides, resolve, user_agent

DOCS = Path(__file__).resolve().parents[2] / "docs" / "configuration.md"


def test_cli_beats_environment_beats_file_beats_default(tmp_path):
    config = tmp_path / "hepza.toml"
    config.write_text('db = "file.db"\ndelay = 5\nconcurrency = 3\ntimezone = "UTC"\n')
    values = resolve(
        {"db": "cli.db", "delay": None},
        env={"HEPZA_DELAY": "2.5", "HEPZA_CONCURRENCY": "4"},
        config_file=str(config),
    )
    assert (values["db"], values["delay"], values["concurrency"], values["timezone"]) == (
        "cli.db",
        2.5,
        4,
        "UTC",
    )
    assert values["retries"] == SETTINGS["retries"].default


def test_a_hepza_table_in_the_file_is_read(tmp_path):
    config = tmp_path / "c.toml"
    config.write_text("[hepza]\ndownload_attachments = false\n")
    assert resolve({}, env={}, config_file=str(config))["download_attachments"] is False


@pytest.mark.parametrize(
    "cli,env,text,message",
    [
        ({"site_url": "ftp://x"}, {}, None, "site_url"),
        ({"concurrency": 0}, {}, None, "concurrency"),
        ({}, {"HEPZA_DELAY": "soon"}, None, "HEPZA_DELAY"),
        ({}, {"HEPZA_DOWNLOAD_ATTACHMENTS": "maybe"}, None, "true or false"),
        ({}, {"HEPZA_TIMEZONE": "Mars/Base"}, None, "time zone"),
        ({}, {"HEPZA_RECHECK_SCHEDULE": "1d"}, None, "recheck_schedule"),
        ({}, {"HEPZA_ALARM_MIN_PAGES": "0"}, None, "alarm_min_pages"),
        ({}, {"HEPZA_MIGRATION_BATCH_MIN_ARTICLES": "2"}, None, "migration_batch_min_articles"),
        ({}, {"HEPZA_MIGRATION_SAME_MINUTE_MIN": "1"}, None, "migration_same_minute_min"),
        ({}, {"HEPZA_MIGRATION_BATCH_GAP_MINUTES": "0"}, None, "migration_batch_gap_minutes"),
        ({}, {}, "dealy = 1\n", "unknown setting"),
        ({}, {}, "delay = [\n", "not valid TOML"),
    ],
)
def test_bad_settings_are_refused_with_a_message(tmp_path, cli, env, text, message):
    config = None
    if text is not None:
        config = tmp_path / "c.toml"
        config.write_text(text)
    with pytest.raises(ConfigError, match=message):
        resolve(cli, env=env, config_file=str(config) if config else None)


def test_overrides_become_scrapy_settings():
    values = resolve({"site_url": "http://127.0.0.1:9/x?y", "delay": 0, "concurrency": 16}, env={})
    overrides = crawl_overrides(values, full=True)
    assert overrides["HEPZA_SITE_URL"] == "http://127.0.0.1:9"
    assert overrides["DOWNLOAD_DELAY"] == 0 and overrides["AUTOTHROTTLE_ENABLED"] is False
    assert overrides["CONCURRENT_REQUESTS_PER_DOMAIN"] == 16 and overrides["HEPZA_MODE"] == "full"
    assert values["contact_url"] in overrides["USER_AGENT"]


def test_every_setting_is_documented():
    text = DOCS.read_text(encoding="utf-8")
    for name, setting in SETTINGS.items():
        assert f"| `{name}` |" in text, name
        assert setting.help
        assert setting.doc and setting.env == f"HEPZA_{name.upper()}"


def test_scrapys_defaults_are_the_settings_defaults():
    import scraper.settings

    for setting in SETTINGS.values():
        assert getattr(scraper.settings, setting.scrapy) == setting.default, setting.name
    assert scraper.settings.USER_AGENT == user_agent(SETTINGS["contact_url"].default)


def test_no_other_default_disagrees_with_the_settings(tmp_path, monkeypatch, capsys):
    """Regression: the run ledger's own alarm default was min_pages=10 while the setting said 3."""
    import inspect

    from archive import browse, diffs
    from archive.runs import RunLedger
    from archive.writer import WriterConfig
    from pipelines import dates, record

    ledger = inspect.signature(RunLedger).parameters
    assert ledger["min_pages"].default == SETTINGS["alarm_min_pages"].default
    assert ledger["missing_share"].default == SETTINGS["alarm_missing_share"].default
    assert ledger["removal_floor"].default == (
        SETTINGS["removal_floor_share"].default,
        SETTINGS["removal_floor_min"].default,
    )
    writer = WriterConfig("x.db", "http://127.0.0.1:9")
    assert (writer.min_pages, writer.timezone) == (
        SETTINGS["alarm_min_pages"].default,
        SETTINGS["timezone"].default,
    )
    assert diffs.MAX_DIFF_TOKENS == SETTINGS["diff_max_tokens"].default
    # pipelines/ imports nothing from archive/, so its time zone default is its own: it must agree.
    assert record.DEFAULT_TZ == SETTINGS["timezone"].default
    assert inspect.signature(dates.parse_portal_date).parameters["tz"].default == SETTINGS["timezone"].default
    monkeypatch.chdir(tmp_path)  # python -m archive.browse, without --db, looks for the default archive
    assert browse.main([]) == 2
    assert f"no archive at {SETTINGS['db'].default}" in capsys.readouterr().err
