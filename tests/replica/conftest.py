"""Fixtures for the replica tests: a served site per module, and a private one for mutating tests."""

import pytest

from replica import Site, serve


@pytest.fixture(scope="module")
def served():
    site = Site(articles=150, seed=3)
    with serve(site) as server:
        yield site, server


@pytest.fixture()
def fresh():
    """A private site for tests that mutate."""
    site = Site(seed=1)
    with serve(site) as server:
        yield site, server
