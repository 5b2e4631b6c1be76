"""`hepza scale`'s failures before any job: Redis unreachable is one line and exit 69 for every command;
no enabled portal is a usage error (exit 2)."""

from __future__ import annotations

import socket

import pytest
from click.testing import CliRunner

from archive.cli import main


def _closed_port() -> int:
    with socket.socket() as s:  # (bound, never listening: a connection is refused at once)
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("command", ["status", "enqueue", "worker"])
def test_redis_unreachable_is_one_line_and_exit_69(tmp_path, command):
    (tmp_path / "one.toml").write_text('origin = "http://127.0.0.1:9"\n')
    url = f"redis://127.0.0.1:{_closed_port()}/0"
    folders = {
        "status": ["--archives", str(tmp_path)],
        "enqueue": ["--portals", str(tmp_path)],
        "worker": ["--portals", str(tmp_path), "--archives", str(tmp_path), "--backups", str(tmp_path)],
    }
    result = CliRunner().invoke(main, ["scale", command, "--redis-url", url, *folders[command]])
    assert result.exit_code == 69, result.output
    [line] = result.output.splitlines()
    assert line.startswith(f"hepza: cannot reach Redis at {url}: "), line


def test_enqueue_without_an_enabled_portal_is_a_usage_error(tmp_path):
    (tmp_path / "off.toml").write_text('origin = "http://127.0.0.1:9"\nenabled = false\n')
    result = CliRunner().invoke(main, ["scale", "enqueue", "--portals", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert "no enabled portal profile in" in result.output
