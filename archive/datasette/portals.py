"""Which archives one ``hepza serve`` serves, under which names and paths.

- One archive (``--db``): one database, always named ``hepza``; its pages at ``/-/article/<id>``,
  ``/-/search``, ``/-/feed.atom``… as ever.
- A folder of portal archives (``--archives``): one database per portal, named by the portal; each
  archive's pages under its name (``/<portal>/-/article/<id>``, ``/<portal>/-/feed.atom``…), and
  ``/-/search`` and ``/-/feed.atom`` across every portal.

The plugin's configuration in the metadata (``plugins: {hepza-archive: {portals: [...]}}``, written by
archive/browse.py) says which: no list, one archive.
"""

from __future__ import annotations

from datasette.utils.asgi import NotFound

from archive.datasette import DATABASE

PLUGIN = "hepza-archive"
# The URL part naming a portal: the portal names of archive/profiles.py (a file stem of the folder).
PORTAL = r"(?P<portal>[a-z0-9][a-z0-9-]*)"


def portals(datasette) -> list[str] | None:
    """The portals served, by name, or None when one archive is (``hepza serve --db``)."""
    config = datasette.plugin_config(PLUGIN) or {}
    names = config.get("portals")
    return list(names) if names is not None else None


def served(datasette) -> list[str]:
    """The names of the databases served: the portals, or the one ``hepza``."""
    names = portals(datasette)
    return [DATABASE] if names is None else names


def prefix(datasette, database: str) -> str:
    """The path our pages of ``database`` start with: nothing for the one archive, ``/<portal>`` else."""
    return "" if portals(datasette) is None else f"/{database}"


def database_for(datasette, request) -> str:
    """The database a page of one archive reads: the portal its path names, else the only one served."""
    names = served(datasette)
    name = request.url_vars.get("portal")
    if name is None:
        if len(names) == 1:
            return names[0]
        raise NotFound("Several portals are served here: this page is under a portal's name, /<portal>/-/…")
    if name not in names:
        raise NotFound(f"No portal named {name} is served here")
    return name
