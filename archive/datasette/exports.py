"""Exports a spreadsheet and a script can use: CSV that Excel opens with its Vietnamese letters intact, and
JSON Lines whose list fields are lists.

- ``?_bom=1`` on any ``.csv`` URL (a table, a canned query, SQL): the file starts with the UTF-8 byte
  order mark. Excel reads a CSV without one in the computer's ANSI code page, so ``Đảng`` shows as
  ``Ä\x90áº£ng``; with it, as ``Đảng``. Datasette (0.65) has no such option, so an ASGI wrapper adds the
  three bytes before the first byte of the body (streamed or not).
- ``.jsonl`` on any table or query: one JSON object per row, the JSON columns (authors, images…) decoded
  the way ``hepza export`` writes them (archive/export.py).
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs

from datasette.utils.asgi import Response

from archive.export import json_row

BOM = "\ufeff".encode()


def _asks_for_bom(scope) -> bool:
    if not scope.get("path", "").endswith(".csv"):
        return False
    asked = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("_bom") or [""]
    return asked[0] not in ("", "0")


def bom_wrapper(app):
    """ASGI middleware: a ``.csv`` response asked for with ``?_bom=1`` starts with the UTF-8 BOM."""

    async def wrapped(scope, receive, send):
        if scope.get("type") != "http" or not _asks_for_bom(scope):
            await app(scope, receive, send)
            return
        state = {"csv": False, "sent": False}

        async def with_bom(message):
            if message.get("type") == "http.response.start":
                headers = list(message.get("headers", []))
                # (datasette sends its CSV as text/plain unless ?_dl=1 asks for a download)
                state["csv"] = message.get("status") == 200 and any(
                    k.lower() == b"content-type" and v.split(b";")[0] in (b"text/csv", b"text/plain")
                    for k, v in headers
                )
                if state["csv"]:
                    # A length given before the BOM would cut the file's last three bytes.
                    headers = [
                        (k, str(int(v) + len(BOM)).encode()) if k.lower() == b"content-length" else (k, v)
                        for k, v in headers
                    ]
                    message = {**message, "headers": headers}
            elif message.get("type") == "http.response.body" and state["csv"] and not state["sent"]:
                state["sent"] = True
                message = {**message, "body": BOM + message.get("body", b"")}
            await send(message)

        await app(scope, receive, with_bom)

    return wrapped


def render_jsonl(columns, rows) -> Response:
    """The rows as JSON Lines, JSON columns decoded."""
    lines = (json.dumps(json_row(dict(zip(columns, row, strict=False))), ensure_ascii=False) for row in rows)
    body = "".join(line + "\n" for line in lines)
    return Response(body, content_type="application/x-ndjson; charset=utf-8")


JSONL_RENDERER = {"extension": "jsonl", "render": render_jsonl, "can_render": lambda: True}
