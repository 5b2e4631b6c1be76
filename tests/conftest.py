"""Tiers: every test is marked by where it lives, so a tier runs on its own (``pytest -m unit``, ``make
test-fast``) and no test is left unmarked. The tiers are registered in pyproject.toml.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import tempfile
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent

# The tier of each folder of tests.
TIER_OF_FOLDER = {
    "unit": "unit",
    "cleaning": "unit",
    "scraper": "unit",
    "replica": "replica",
    "e2e": "e2e",
    "reliability": "reliability",
    "browse": "browser",
}
# Files whose tests read the saved pages in tests/files (parsers on real and replica markup).
SAVED_PAGE_FILES = {"unit/test_extract_saved_pages.py", "scraper/test_hepza_spider.py"}


def pytest_configure(config: pytest.Config) -> None:
    """The ledger's signing key defaults to $XDG_CONFIG_HOME/hepza (archive/evidence/keys.py): the tests,
    and every hepza process they start, share one key of their own, never the user's. Set once, in the
    main process, before the xdist workers (which inherit it) start."""
    if "PYTEST_XDIST_WORKER" not in os.environ:
        os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="hepza-tests-config-")


def tier_of(path: Path) -> str:
    """The tier of a test file; an error for a file in a folder without one (so no test goes unmarked)."""
    relative = path.resolve().relative_to(TESTS).as_posix()
    if relative in SAVED_PAGE_FILES:
        return "saved_pages"
    folder = relative.split("/", 1)[0]
    if folder not in TIER_OF_FOLDER:
        raise pytest.UsageError(f"{relative}: its folder has no tier (tests/conftest.py TIER_OF_FOLDER)")
    return TIER_OF_FOLDER[folder]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        item.add_marker(tier_of(Path(item.path)))


# --- nothing leaves 127.0.0.1 ------------------------------------------------------------------------
# Some tests name the real portal (a spider configured for it, requests built for it): they must only build
# and inspect, never fetch. A connection or a name lookup of anything but loopback fails the test at once,
# in pytest's own processes (its xdist workers too); the `hepza` subprocesses a test starts are pointed at
# the replica on 127.0.0.1 by their --site-url, and their crawl never leaves that origin.


class OffLoopback(AssertionError):
    """A test tried to reach an address beyond 127.0.0.1."""


def _is_loopback(host: object) -> bool:
    if not isinstance(host, str):
        return True  # AF_UNIX paths and the like: not the network
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False  # a name, not an address: it would need a lookup


def _guarded(connect):
    def guarded(self, address, *args):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address[0]):
            raise OffLoopback(f"a test tried to connect to {address!r}: only 127.0.0.1 may be reached")
        return connect(self, address, *args)

    return guarded


_real_getaddrinfo = socket.getaddrinfo


def _getaddrinfo(host, *args, **kwargs):
    name = host.decode() if isinstance(host, bytes) else host
    if name is not None and not _is_loopback(name):
        raise OffLoopback(f"a test tried to look up {name!r}: only 127.0.0.1 may be reached")
    return _real_getaddrinfo(host, *args, **kwargs)


socket.socket.connect = _guarded(socket.socket.connect)  # type: ignore[method-assign]
socket.socket.connect_ex = _guarded(socket.socket.connect_ex)  # type: ignore[method-assign]
socket.getaddrinfo = _getaddrinfo
