"""Offline replica of the HEPZA news portal (Liferay 7.4), served on 127.0.0.1 for crawler tests.

What the portal says and looks like is data: the hand-written articles (data/corpus.json), the generator's
phrase banks (data/phrases.json), the portal's categories, pages and words (data/portal.json), the chrome's
lists (data/chrome.json) and the page templates (templates/*, ``{{ name }}`` placeholders, see files.py).
The code loads, checks (validate.py), chooses (generator.py, seeded) and fills (render.py, chrome.py).

``Site(portal=NAME)`` serves another portal instead (``portal_names()``): a Liferay 7.3 one, a 6.2 one, a 7.0–7.2 ministry one and a second 7.4 one,
each a data file replica/data/<name>.json and templates replica/templates/<name>-*.html (replica/portals.py).
"""

from .server import ReplicaServer, serve, serve_forever
from .site import Site


def portal_names() -> list[str]:
    """The portals the replica serves (``Site(portal=NAME)``); "hepza", the default, first."""
    from .portals import portal_names as names

    return names()


def e2e_portal_names() -> list[str]:
    """The portals the end-to-end tests crawl (``REPLICA_PORTALS``: default, ``held-out`` or ``all``)."""
    from .portals import e2e_portal_names as names

    return names()


def foreign_names() -> list[str]:
    """Sites of other platforms the replica serves (``hepza sample-site --portal NAME``), for the crawl's
    "not a Liferay portal" check: not portals, so not in ``portal_names()``."""
    from .foreign import NAMES

    return list(NAMES)


__all__ = [
    "ReplicaServer",
    "Site",
    "e2e_portal_names",
    "foreign_names",
    "portal_names",
    "serve",
    "serve_forever",
]
