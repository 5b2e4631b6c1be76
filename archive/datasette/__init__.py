"""What `hepza serve` gives datasette: the archive's metadata, the plugin and the templates.

``metadata.yaml`` describes every table and column (a test holds it to the schema), sets the articles
table's facets, sort and full-text search, and holds the canned queries. ``plugin.py`` holds the plugin's
hooks and delegates: ``search.py`` folds search queries like the archive folds its index,
``sqlfunctions.py`` adds SQL functions for canned queries, ``cells.py`` renders bodies and diffs safely,
``facets.py`` adds the year and removed facets, ``pages.py`` the article pages and ``feed.py`` the Atom
feed. ``templates/`` holds the pages of the plugin and the articles table's compact listing.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
METADATA = HERE / "metadata.yaml"
TEMPLATES = HERE / "templates"
# The archive is always served under this name, whatever its file is called, so URLs are stable.
DATABASE = "hepza"
