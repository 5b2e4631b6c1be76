"""`hepza serve` says when it exposes the archive, does not show where the file lives, and restarts on the
same port at once (issue 19)."""

from __future__ import annotations

import asyncio
import socket

from archive.browse import _port_free, is_loopback, make_datasette
from archive.store import Archive


def test_databases_json_names_the_file_not_its_absolute_path(tmp_path):
    db = tmp_path / "secret-folder" / "a.db"
    db.parent.mkdir()
    Archive(db).close()
    ds = make_datasette(db)

    async def databases():
        await ds.invoke_startup()
        return (await ds.client.get("/-/databases.json")).text

    text = asyncio.run(databases())
    assert '"a.db"' in text and "secret-folder" not in text


def test_a_port_whose_connections_linger_in_time_wait_is_free_for_a_restart():
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen()
    port = server.getsockname()[1]
    client = socket.create_connection(("127.0.0.1", port))
    accepted, _ = server.accept()
    accepted.close()  # the server side closes first: its end of the connection stays in TIME_WAIT
    client.close()
    server.close()
    assert _port_free("127.0.0.1", port)


def test_only_loopback_addresses_count_as_private():
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.2") and not is_loopback("example.org")
