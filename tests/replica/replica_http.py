"""HTTP helper for the replica tests (its own module name, so it never clashes with another conftest)."""

import http.client
from urllib.parse import urlsplit


def fetch(url: str, headers: dict | None = None) -> tuple[int, dict, str]:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    conn.request("GET", path, headers=headers or {})
    r = conn.getresponse()
    body = r.read().decode("utf-8", "replace")
    hdrs = {k.lower(): v for k, v in r.getheaders()}
    conn.close()
    return r.status, hdrs, body
