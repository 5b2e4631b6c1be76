"""Every answer of `hepza serve` says ``Referrer-Policy: no-referrer``: a reader who follows a link out of
the archive (to the portal's original article, say) does not tell the other site which archive page, or
which search, they came from.
"""

from __future__ import annotations

HEADER = (b"referrer-policy", b"no-referrer")


def no_referrer(app):
    """An ASGI app that adds the header to every HTTP response of ``app`` (replacing any it set)."""

    async def wrapped(scope, receive, send):
        if scope.get("type") != "http":
            return await app(scope, receive, send)

        async def sending(message):
            if message.get("type") == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers") or [] if k.lower() != HEADER[0]]
                message = {**message, "headers": [*headers, HEADER]}
            await send(message)

        return await app(scope, receive, sending)

    return wrapped
