"""No test reaches beyond 127.0.0.1: tests/conftest.py refuses any other connection or name lookup."""

import socket

import pytest

from tests.conftest import OffLoopback


def test_the_real_portal_cannot_be_reached_from_a_test():
    with pytest.raises(OffLoopback):
        socket.create_connection(("hepza.hochiminhcity.gov.vn", 443), timeout=1)


def test_an_address_beyond_loopback_is_refused_before_any_packet():
    with socket.socket() as sock, pytest.raises(OffLoopback):
        sock.connect(("192.0.2.1", 80))  # TEST-NET-1: never routed, and never tried
    with socket.socket(socket.AF_INET6) as sock, pytest.raises(OffLoopback):
        sock.connect_ex(("2001:db8::1", 80))


def test_loopback_still_works():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        with socket.create_connection(server.getsockname(), timeout=5):
            pass
