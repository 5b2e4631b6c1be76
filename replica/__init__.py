"""Offline replica of the HEPZA news portal (Liferay 7.4), served on 127.0.0.1 for crawler tests."""

from .server import ReplicaServer, serve, serve_forever
from .site import Site

__all__ = ["ReplicaServer", "Site", "serve", "serve_forever"]
