"""Search folding: the archive indexes *folded* text (``pipelines.text.fold_key``: no diacritics, ``đ`` → ``d``,
tone placement folded), so an ASGI wrapper folds the ``_search`` / ``_search_<column>`` parameters the same
way before datasette sees them: ``xây dựng Đảng``, ``XAY DUNG DANG`` and ``xay dung dang`` find the same
articles, in the HTML pages and in the JSON/CSV API alike. The search box still shows what was typed.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from urllib.parse import parse_qsl, quote, urlencode

from archive.searching import BadQuery, parse_query
from pipelines.text import fold_key

_FTS_OPERATOR_RE = re.compile(r"(\bAND\b|\bOR\b|\bNOT\b|\bNEAR\b)")
_SCOPE_KEY = "hepza.search_as_typed"


def fold_query(text: str, *, raw: bool = False) -> str:
    """A search query folded like the index. In raw FTS5 mode the operators (AND, OR, NOT, NEAR) stay."""
    if not raw:
        return fold_key(text)
    pieces = _FTS_OPERATOR_RE.split(text)
    out = []
    for piece in pieces:
        if _FTS_OPERATOR_RE.fullmatch(piece):
            out.append(piece)
        elif piece.strip():
            lead = " " if piece[:1].isspace() else ""
            trail = " " if piece[-1:].isspace() else ""
            out.append(lead + fold_key(piece) + trail)
        else:
            out.append(piece)
    return "".join(out)


def fold_search_params(query_string: bytes) -> tuple[bytes, dict[str, str]]:
    """The query string with every ``_search`` / ``_search_<col>`` value folded, and the values as typed."""
    text = query_string.decode("latin-1")
    if "_search" not in text:
        return query_string, {}
    pairs = parse_qsl(text, keep_blank_values=True)
    raw = any(k == "_searchmode" and v == "raw" for k, v in pairs)
    typed: dict[str, str] = {}
    folded = []
    for key, value in pairs:
        if key.startswith("_search") and key != "_searchmode":
            typed.setdefault(key, value)
            value = fold_query(value, raw=raw)
        folded.append((key, value))
    if not typed:
        return query_string, {}
    return urlencode(folded, quote_via=quote).encode("ascii"), typed


def _typed_redirects(send, typed: dict[str, str]):
    """Datasette redirects some form submissions (filters, sort order) to a URL rebuilt from the folded
    parameters: put the search back as typed in such a Location, so the search box keeps it."""

    async def sending(message):
        if message.get("type") == "http.response.start" and 300 <= message.get("status", 200) < 400:
            headers = []
            for name, value in message.get("headers", []):
                if name.lower() == b"location" and b"?" in value:
                    path, _, query = value.decode("latin-1").partition("?")
                    pairs = [(k, typed.get(k, v)) for k, v in parse_qsl(query, keep_blank_values=True)]
                    value = (path + "?" + urlencode(pairs, quote_via=quote)).encode("latin-1")
                headers.append((name, value))
            message = dict(message, headers=headers)
        await send(message)

    return sending


def has_no_word(typed: dict[str, str], query_string: bytes) -> str | None:
    """The search typed when it holds no word to search for (a lone ``"``, ``AND``, ``*``): FTS5 would
    answer it with a syntax error, which datasette shows as "Invalid SQL". None otherwise (and in raw
    mode, where the reader writes FTS5 on purpose)."""
    if b"_searchmode=raw" in query_string:
        return None
    for value in typed.values():
        if value.strip():
            try:
                parse_query(value)
            except BadQuery:
                return value
    return None


async def _to_search_page(send, path: str, typed: str, portals: Collection[str]) -> None:
    """Send the reader to the search page, which answers a query without words with a sentence: the page
    of the portal whose table was searched, when a folder of portals is served."""
    first = path.strip("/").split("/", 1)[0]
    target = (f"/{first}" if first in portals else "") + "/-/search"
    target += ".json" if path.endswith(".json") else ""
    location = f"{target}?{urlencode({'q': typed}, quote_via=quote)}"
    await send({"type": "http.response.start", "status": 302, "headers": [(b"location", location.encode())]})
    await send({"type": "http.response.body", "body": b""})


def folding_wrapper(app, portals: Collection[str] = ()):
    """The ASGI app that folds the search parameters of each HTTP request before ``app`` sees them, and
    sends a search with no word to the search page (its sentence, not "Invalid SQL"). ``portals``: the
    databases served by portal name (none for the one archive)."""

    async def folding_app(scope, receive, send):
        if scope.get("type") == "http" and scope.get("query_string"):
            folded, typed = fold_search_params(scope["query_string"])
            wordless = has_no_word(typed, scope["query_string"]) if typed else None
            if wordless is not None:
                await _to_search_page(send, scope.get("path", ""), wordless, portals)
                return
            if typed:
                scope = dict(scope, query_string=folded)
                scope[_SCOPE_KEY] = typed
                send = _typed_redirects(send, typed)
        await app(scope, receive, send)

    return folding_app


def search_as_typed(request, view_name) -> dict:
    """Show the search box with the query as typed, not as folded."""
    typed = request.scope.get(_SCOPE_KEY) if request is not None else None
    if view_name == "table" and typed:
        return {"search": typed.get("_search") or next(iter(typed.values()))}
    return {}
