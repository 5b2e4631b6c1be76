"""Fault injection for the replica: a switchable set of rules that make the portal misbehave.

A server runs normally while ``server.faults`` is None (one attribute check per request). A test switches
faults on for some or all URLs::

    with serve(Site()) as server:
        server.faults = Faults(Rule("status", match=ARTICLES, rate=0.3, status=503))
        ...  # crawl, then assert on the archive
        server.faults = None  # healthy again

Each ``Rule`` picks requests by a regex over the request target (path and query), by a deterministic share
of the matching URLs (``rate``; the same URLs every run), and optionally only the first ``times``
requests of each URL (a transient fault that a retry gets past; with ``per_path=True`` the count is per path,
whatever the query: a document that fails once, asked for with or without Liferay's ``?t=``). The first rule that picks a request
decides its fate. Kinds:

``status``       an error status (``status``, or the ``statuses`` in turn: a 500/502/503 burst), with
                 ``headers`` (e.g. ``Retry-After``).
``stall``        nothing for ``seconds``, then the normal answer (the client should time out first).
``drip``         the headers at once, then the body ``chunk`` bytes every ``interval`` s (slow drip).
``reset``        the connection is reset (TCP RST) without an answer.
``truncate``     headers announce the whole body; only ``fraction`` of it is sent, then the socket closes.
``charset``      the body re-encoded or relabelled: ``variant`` is ``cp1258-as-utf8`` (Windows-1258
                 bytes labelled UTF-8), ``utf8-as-cp1258`` (UTF-8 bytes labelled Windows-1258),
                 ``missing`` (no charset at all) or ``cp1258-undeclared`` (Windows-1258, no label).
``huge``         a page of ``size`` bytes (the real page padded with a comment); ``chunked=True`` sends
                 it without a Content-Length.
``gzip_bomb``    ``Content-Encoding: gzip`` over ``size`` bytes of HTML that compress to almost nothing.
``gzip``         the normal answer sent ``Content-Encoding: gzip`` (as Liferay behind a proxy does), with the
                 rule's ``headers`` added (a header given twice is sent twice, in order).
``empty``        200 with an empty body.
``page``         a fixed page with status 200: ``body=MAINTENANCE_PAGE`` or ``LOGIN_PAGE``.
``redirect``     ``status`` (301) to ``location``, a template with ``{path}``, ``{target}`` and ``{host}``
                 (the request's Host: ``http://www.{host}{path}`` is the origin's ``www.`` twin).
``redirect_loop`` a never-ending chain of fresh URLs (``?loop=1``, ``?loop=2``, …).
``redirect_cycle`` A → A?cycle=1 → A (a two-step cycle back to a URL the client has already seen).
``content_type`` the normal body (or ``body``) with ``content_type`` instead of text/html.
``malformed``    the normal page broken in one of several ways (``variant``, or one picked per URL).
``inject``       ``html`` inserted after the first match of ``after`` (a regex) in a text/html body.
``calendar``     a pager-looking link with an ever-new query string appended to every matching page.
``endless``      list pages that never end: each ``_cur=N`` page has fresh article links and a next page.
``portlets``     a page's markup changed the way a black-box attack changed it (``variant``, below); the
                 content stays the same, so nothing of it may make a version:
                 ``banner``: a second web-content portlet (``div.journal-content-article`` with its own
                 asset id and title) above the article on every page; ``date-furniture``: the date line
                 prints furniture around the date (``| Lượt xem: N``, `` - Tin tức``, ``<br>Lượt xem:
                 N``, a leading ``Lượt xem: N |``; one form per URL, the count new on every request);
                 ``session-links``: every body link carries a ``;jsessionid=…`` and a random query
                 parameter, new on every request; ``ab-nodes``: two cluster nodes answer in turn, each
                 with its own ETag, a node marker in the head and ``;jsessionid=….nodeN`` in body links;
                 ``shared-asset-id``: the pages picked (``rate``) all carry one asset id
                 (``SHARED_ASSET_ID``), as if a template printed another asset's id; ``no-asset-id``:
                 the pages print no asset id at all (a template without ``data-analytics-asset-id``, as
                 some portals' are), so an article's identity is its URL and the redirects of its slugs.

Presets: ``mass_404()`` is a ``status`` rule answering 404 to every article page (a misconfigured portal
for a few hours: the lists and the sitemap still name the articles).
``endless_headers`` 200 and then header lines without end (``chunk`` lines of ~100 bytes at a time, as
                 fast as the client reads), until the client hangs up or the faults stop.
``sitemap_chain`` every matching sitemap is an index naming one fresh sitemap (``?chain=N+1``): an
                 endless chain of sitemap indexes.
``sitemap_dead_links`` a sitemap of ``limit`` article URLs (``/w/lien-ket-chet-N``) that all answer 404;
                 their lastmod is newer the higher N.
``long_articles`` ``words`` words of deterministic Vietnamese prose (paragraphs of sentences) added at the
                 start of each matching article's body; with ``edit_word=N`` the N-th word is another
                 word (a one-word edit of a long article, for the diff's cost).

Every applied fault is counted in ``faults.applied`` (kind → count) and ``faults.log`` (kind, target).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import re
import socket
import struct
import threading
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from . import app, files

if TYPE_CHECKING:
    from http.server import BaseHTTPRequestHandler

    from .site import Site

# Handy target patterns.
ARTICLES = r"^/(?:en/)?w/"
LISTS = r"^/(?:en/)?(?:tin-tuc-su-kien|thong-bao|dau-tu|[a-z-]+)(?:\?|$)"
HOME = r"^/(?:en/?)?(?:\?|$)"
EVERYTHING = ""

# Fixed pages for the ``page`` fault (replica/templates/fault-*.html).
MAINTENANCE_PAGE = files.template("fault-maintenance.html").fill()
LOGIN_PAGE = files.template("fault-login.html").fill()

_ERROR_PAGE = (
    "<!DOCTYPE html><html><head><title>{status}</title></head><body><h1>HTTP {status}</h1></body></html>"
)
_MALFORMED_VARIANTS = (
    "unclosed",
    "garbage",
    "nul",
    "comment",
    "nested",
    "no-body",
    "mojibake",
    "optional-end-tags",
    "junk-after-content",
    "comment-after-content",
    "stray-end-tags",
    "invalid-utf8-byte",
)
_CALENDAR = "com_liferay_calendar_web_portlet_CalendarPortlet_cur"

# The ``portlets`` fault: a banner web content placed above every page's content (its asset id is the
# same on every page), and the forms a date line with furniture takes ({date}, {n}: a view count).
BANNER_ASSET_ID = "99000001"
BANNER_PORTLET = files.template("fault-banner.html").fill(asset_id=BANNER_ASSET_ID)
SHARED_ASSET_ID = "99000002"
_ASSET_ID_RE = re.compile(r'data-analytics-asset-id="\d+"')
DATE_FURNITURE = (
    "{date} | Lượt xem: {n}",
    "{date} - Tin tức",
    "{date}<br>Lượt xem: {n}",
    "Lượt xem: {n} | {date}",
)
_DATE_LINE_RE = re.compile(r'(<p class="date-display[^>]*>)([^<]*)(</p>)')
_BODY_LINK_RE = re.compile(r'(<div class="component-paragraph[^>]*>)(.*?)(\n</div>\n</div>)', re.DOTALL)
_HREF_RE = re.compile(r'href="((?:https?://|/)[^"#?;]+)(\?[^"#]*)?"')


@dataclass
class Rule:
    kind: str
    match: str = EVERYTHING
    rate: float = 1.0
    times: int | None = None
    per_path: bool = False
    status: int = 503
    statuses: tuple[int, ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    seconds: float = 5.0
    chunk: int = 64
    interval: float = 0.5
    fraction: float = 0.5
    variant: str = ""
    size: int = 20 * 1024 * 1024
    chunked: bool = False
    body: str = ""
    location: str = ""
    content_type: str = "application/octet-stream"
    html: str = ""
    after: str = r"<body[^>]*>"
    limit: int = 10_000
    words: int = 15_000
    edit_word: int | None = None
    _regex: re.Pattern = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._regex = re.compile(self.match)

    def picks(self, target: str) -> bool:
        if not self._regex.search(target):
            return False
        if self.rate >= 1.0:
            return True
        digest = hashlib.sha1(target.split("?", 1)[0].encode(), usedforsecurity=False).digest()
        return int.from_bytes(digest[:4], "big") / 2**32 < self.rate


class Faults:
    """The fault rules of one server; thread-safe; ``stop()`` ends stalls and drips at once."""

    def __init__(self, *rules: Rule) -> None:
        self.rules = list(rules)
        self.applied: Counter[str] = Counter()
        self.log: list[tuple[str, str]] = []
        self._seen: Counter[tuple[int, str]] = Counter()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._portlet_requests = 0
        for rule in self.rules:
            if rule.kind == "gzip_bomb":
                # Built now, not at the first request: a 1 GiB bomb takes seconds to compress, and a crawl
                # waiting on it would meet its download timeout instead of its size cap.
                gzip_bomb(rule.size)

    def stop(self) -> None:
        self._stop.set()

    def affected(self, kind: str | None = None) -> set[str]:
        """Targets (path and query) a fault was applied to."""
        with self._lock:
            return {t for k, t in self.log if kind is None or k == kind}

    def _pick(self, target: str) -> Rule | None:
        with self._lock:
            for index, rule in enumerate(self.rules):
                if not rule.picks(target):
                    continue
                if rule.times is not None:
                    key = (index, target.split("?", 1)[0] if rule.per_path else target)
                    if self._seen[key] >= rule.times:
                        continue
                    self._seen[key] += 1
                self.applied[rule.kind] += 1
                self.log.append((rule.kind, target))
                return rule
        return None

    # --- the hook ------------------------------------------------------------------------------------

    def serve(
        self,
        handler: BaseHTTPRequestHandler,
        site: Site,
        target: str,
        headers: dict[str, str],
        send_body: bool,
    ) -> bool:
        """Answer the request with a fault and return True, or return False to let it pass."""
        rule = self._pick(target)
        if rule is None:
            return False
        try:
            _APPLY[rule.kind](self, rule, handler, site, target, headers, send_body)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError):
            pass  # the client gave up (as it should, on a stall or a drip)
        handler.close_connection = True
        return True

    # --- delivery ------------------------------------------------------------------------------------

    @staticmethod
    def _send(
        handler,
        status: int,
        headers: list[tuple[str, str]],
        body: bytes,
        send_body: bool,
        length: int | None = None,
    ) -> None:
        handler.send_response(status)
        for k, v in headers:
            if k.lower() != "content-length":
                handler.send_header(k, v)
        if length is not None or status != 304:
            handler.send_header("Content-Length", str(len(body) if length is None else length))
        handler.send_header("Connection", "close")
        handler.end_headers()
        if send_body and status != 304:
            handler.wfile.write(body)

    def _normal(self, site, handler, target, headers) -> app.Response:
        """The healthy answer, never a 304: a fault that breaks a body needs a body to break."""
        plain = {k: v for k, v in headers.items() if k not in ("if-none-match", "if-modified-since")}
        return app.handle(site, handler.command, target, plain)

    # --- kinds ---------------------------------------------------------------------------------------

    def _status(self, rule, handler, site, target, headers, send_body):
        status = rule.status
        if rule.statuses:
            with self._lock:
                status = rule.statuses[(self.applied[rule.kind] - 1) % len(rule.statuses)]
        body = _ERROR_PAGE.format(status=status).encode()
        self._send(handler, status, [("Content-Type", app.HTML), *rule.headers], body, send_body)

    def _stall(self, rule, handler, site, target, headers, send_body):
        if self._stop.wait(rule.seconds):
            _reset(handler)
            return
        status, out, body = self._normal(site, handler, target, headers)
        self._send(handler, status, out, body, send_body)

    def _drip(self, rule, handler, site, target, headers, send_body):
        status, out, body = self._normal(site, handler, target, headers)
        handler.send_response(status)
        for k, v in out:
            handler.send_header(k, v)
        handler.send_header("Content-Length", str(len(body)))
        handler.send_header("Connection", "close")
        handler.end_headers()
        for start in range(0, len(body) if send_body else 0, rule.chunk):
            handler.wfile.write(body[start : start + rule.chunk])
            if self._stop.wait(rule.interval):
                break

    def _endless_headers(self, rule, handler, site, target, headers, send_body):
        handler.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n")
        n = 0
        try:
            while not self._stop.is_set():
                lines = b"".join(b"X-Pad-%d: %s\r\n" % (n + i, b"p" * 80) for i in range(rule.chunk))
                handler.wfile.write(lines)
                n += rule.chunk
        except OSError:
            pass  # the client hung up: what it should do
        handler.close_connection = True

    def _reset(self, rule, handler, site, target, headers, send_body):
        _reset(handler)

    def _truncate(self, rule, handler, site, target, headers, send_body):
        status, out, body = self._normal(site, handler, target, headers)
        cut = body[: int(len(body) * rule.fraction)]
        self._send(handler, status, out, cut, send_body, length=len(body))
        _close(handler)

    def _charset(self, rule, handler, site, target, headers, send_body):
        status, out, body = self._normal(site, handler, target, headers)
        if not _is_html(out):
            self._send(handler, status, out, body, send_body)
            return
        text = body.decode("utf-8")
        label = {
            "cp1258-as-utf8": "text/html;charset=UTF-8",
            "utf8-as-cp1258": "text/html;charset=windows-1258",
            "missing": "text/html",
            "cp1258-undeclared": "text/html",
        }[rule.variant]
        if rule.variant in ("cp1258-as-utf8", "cp1258-undeclared"):
            if rule.variant == "cp1258-undeclared":
                text = re.sub(r'<meta charset="[^"]*"\s*/?>', "", text, flags=re.IGNORECASE)
            body = encode_cp1258(text)
        self._send(handler, status, _with_type(out, label), body, send_body)

    def _huge(self, rule, handler, site, target, headers, send_body):
        status, out, body = self._normal(site, handler, target, headers)
        pad = max(0, rule.size - len(body))
        head, sep, tail = body.partition(b"</body>")
        filler = b"<!-- " + b"x" * max(0, pad - 9) + b" -->"
        if not send_body:
            self._send(handler, status, out, b"", False)
            return
        handler.send_response(status)
        for k, v in out:
            handler.send_header(k, v)
        if rule.chunked:
            handler.send_header("Connection", "close")  # close-delimited: no length announced
        else:
            handler.send_header("Content-Length", str(len(head) + len(filler) + len(sep) + len(tail)))
            handler.send_header("Connection", "close")
        handler.end_headers()
        handler.wfile.write(head)
        view = memoryview(filler)
        for start in range(0, len(view), 1 << 20):
            handler.wfile.write(view[start : start + (1 << 20)])
        handler.wfile.write(sep + tail)
        _close(handler)

    def _gzip_bomb(self, rule, handler, site, target, headers, send_body):
        body = gzip_bomb(rule.size)
        self._send(handler, 200, [("Content-Type", app.HTML), ("Content-Encoding", "gzip")], body, send_body)

    def _gzip(self, rule, handler, site, target, headers, send_body):
        status, out, body = self._normal(site, handler, target, headers)
        encoded = gzip.compress(body, mtime=0)  # (the same page, the same bytes)
        self._send(handler, status, [*out, *rule.headers, ("Content-Encoding", "gzip")], encoded, send_body)

    def _empty(self, rule, handler, site, target, headers, send_body):
        self._send(handler, 200, [("Content-Type", app.HTML)], b"", send_body)

    def _page(self, rule, handler, site, target, headers, send_body):
        self._send(handler, 200, [("Content-Type", app.HTML)], rule.body.encode("utf-8"), send_body)

    def _redirect(self, rule, handler, site, target, headers, send_body):
        host = headers.get("host", "127.0.0.1")
        location = rule.location.format(path=target.split("?", 1)[0], target=target, host=host)
        self._send(
            handler,
            rule.status if rule.status in (301, 302, 303, 307, 308) else 301,
            [("Location", location), ("Content-Type", app.HTML)],
            b"",
            send_body,
        )

    def _redirect_loop(self, rule, handler, site, target, headers, send_body):
        path, _, query = target.partition("?")
        match = re.search(r"(?:^|&)loop=(\d+)", query)
        n = int(match[1]) + 1 if match else 1
        host = headers.get("host", "127.0.0.1")
        self._send(
            handler,
            302,
            [("Location", f"http://{host}{path}?loop={n}"), ("Content-Type", app.HTML)],
            b"",
            send_body,
        )

    def _redirect_cycle(self, rule, handler, site, target, headers, send_body):
        path, _, query = target.partition("?")
        host = headers.get("host", "127.0.0.1")
        location = f"http://{host}{path}" if "cycle=1" in query else f"http://{host}{path}?cycle=1"
        self._send(handler, 302, [("Location", location), ("Content-Type", app.HTML)], b"", send_body)

    def _content_type(self, rule, handler, site, target, headers, send_body):
        status, out, body = self._normal(site, handler, target, headers)
        if rule.body:
            body = rule.body.encode("latin-1")
        self._send(handler, status, _with_type(out, rule.content_type), body, send_body)

    def _malformed(self, rule, handler, site, target, headers, send_body):
        status, out, body = self._normal(site, handler, target, headers)
        if _is_html(out):
            variant = (
                rule.variant
                or _MALFORMED_VARIANTS[
                    int(hashlib.sha1(target.encode(), usedforsecurity=False).hexdigest(), 16)
                    % len(_MALFORMED_VARIANTS)
                ]
            )
            body = malform(body, variant)
        self._send(handler, status, out, body, send_body)

    def _inject(self, rule, handler, site, target, headers, send_body):
        status, out, body = self._normal(site, handler, target, headers)
        if _is_html(out):
            text = body.decode("utf-8")
            html = rule.html.replace("{host}", headers.get("host", "127.0.0.1"))
            text = re.sub(rule.after, lambda m: m[0] + html, text, count=1)
            body = text.encode("utf-8")
        self._send(handler, status, out, body, send_body)

    def _portlets(self, rule, handler, site, target, headers, send_body):
        status, out, body = self._normal(site, handler, target, headers)
        if _is_html(out):
            with self._lock:
                self._portlet_requests += 1
                n = self._portlet_requests
            text = _rewrite_portlets(body.decode("utf-8"), rule.variant, target, n)
            body = text.encode("utf-8")
            if rule.variant == "ab-nodes":  # each node has its own ETag for the same page
                out = [(k, f'{v[:-1]}-node{n % 2 + 1}"' if k.lower() == "etag" else v) for k, v in out]
        self._send(handler, status, out, body, send_body)

    def _calendar(self, rule, handler, site, target, headers, send_body):
        status, out, body = self._normal(site, handler, target, headers)
        if _is_html(out):
            path, _, query = target.partition("?")
            match = re.search(_CALENDAR + r"=(\d+)", query)
            n = int(match[1]) + 1 if match else 1
            day = f"2026-{1 + n // 28 % 12:02d}-{1 + n % 28:02d}"
            link = (
                f'<div class="calendar"><ul class="pagination"><li><a href="{path}?p_p_id=calendar&amp;'
                f'{_CALENDAR}={n}&amp;_calendar_date={day}&amp;t={n * 7919}">›</a></li></ul></div>'
            )
            body = body.replace(b"</body>", link.encode() + b"</body>", 1)
        self._send(handler, status, out, body, send_body)

    def _endless(self, rule, handler, site, target, headers, send_body):
        path, _, query = target.partition("?")
        match = re.search(r"_cur=(\d+)", query)
        n = int(match[1]) if match else 1
        host = headers.get("host", "127.0.0.1")
        base = f"http://{host}"
        links = "".join(
            f'<li><a href="{base}/w/trang-vo-tan-{n}-{i}">Trang {n}.{i}</a></li>' for i in range(10)
        )
        pager = ""
        if n < rule.limit:
            pager = (
                f'<ul class="pagination"><li><a href="{base}{path}?p_p_id=endless&amp;'
                f'_endless_cur={n + 1}">»</a></li></ul>'
            )
        page = (
            f'<!DOCTYPE html><html lang="vi-VN"><head><meta charset="UTF-8"><title>Trang {n}</title></head>'
            f'<body><div id="content"><ul class="list">{links}</ul>{pager}</div></body></html>'
        )
        self._send(handler, 200, [("Content-Type", app.HTML)], page.encode(), send_body)

    def _sitemap_chain(self, rule, handler, site, target, headers, send_body):
        match = re.search(r"chain=(\d+)", target)
        n = int(match[1]) + 1 if match else 1
        base = f"http://{headers.get('host', '127.0.0.1')}"
        xml = (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{base}/sitemap.xml?chain={n}</loc></sitemap></sitemapindex>"
        )
        self._send(handler, 200, [("Content-Type", "application/xml")], xml.encode(), send_body)

    def _sitemap_dead_links(self, rule, handler, site, target, headers, send_body):
        base = f"http://{headers.get('host', '127.0.0.1')}"
        entries = "".join(
            f"<url><loc>{base}/w/lien-ket-chet-{i}</loc>"
            f"<lastmod>{(_DEAD_LINKS_EPOCH + timedelta(minutes=i)).isoformat()}Z</lastmod></url>"
            for i in range(rule.limit)
        )
        xml = (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'
        )
        self._send(handler, 200, [("Content-Type", "application/xml")], xml.encode(), send_body)

    def _long_articles(self, rule, handler, site, target, headers, send_body):
        status, out, body = self._normal(site, handler, target, headers)
        if _is_html(out):
            prose = long_prose(rule.words, rule.edit_word).encode("utf-8")
            body = re.sub(rb'data-lfr-editable-type="rich-text">', lambda m: m[0] + prose, body, count=1)
        self._send(handler, status, out, body, send_body)


_APPLY = {
    "status": Faults._status,
    "stall": Faults._stall,
    "drip": Faults._drip,
    "reset": Faults._reset,
    "truncate": Faults._truncate,
    "charset": Faults._charset,
    "huge": Faults._huge,
    "gzip_bomb": Faults._gzip_bomb,
    "gzip": Faults._gzip,
    "empty": Faults._empty,
    "page": Faults._page,
    "redirect": Faults._redirect,
    "redirect_loop": Faults._redirect_loop,
    "redirect_cycle": Faults._redirect_cycle,
    "content_type": Faults._content_type,
    "malformed": Faults._malformed,
    "inject": Faults._inject,
    "calendar": Faults._calendar,
    "endless": Faults._endless,
    "portlets": Faults._portlets,
    "long_articles": Faults._long_articles,
    "endless_headers": Faults._endless_headers,
    "sitemap_chain": Faults._sitemap_chain,
    "sitemap_dead_links": Faults._sitemap_dead_links,
}
KINDS = frozenset(_APPLY)


# --- helpers -------------------------------------------------------------------------------------------


def _is_html(headers: list[tuple[str, str]]) -> bool:
    return any(k.lower() == "content-type" and v.lower().startswith("text/html") for k, v in headers)


def _with_type(headers: list[tuple[str, str]], content_type: str) -> list[tuple[str, str]]:
    return [(k, v) for k, v in headers if k.lower() != "content-type"] + [("Content-Type", content_type)]


def _close(handler) -> None:
    """Close the socket now (a FIN), so the client sees the body end where we stopped."""
    try:
        handler.wfile.flush()
        handler.request.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


def _reset(handler) -> None:
    """Abort the connection with a TCP RST (SO_LINGER 0) before any answer."""
    sock = handler.request
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        handler.rfile.close()  # drop the makefile reference so close() really closes the descriptor
        sock.close()
    except OSError:
        pass
    # http.server flushes and closes these after the handler returns: give it harmless ones.
    handler.rfile, handler.wfile = io.BytesIO(), io.BytesIO()


_BOMBS: dict[int, bytes] = {}
_BOMB_LOCK = threading.Lock()


def mass_404(match: str = ARTICLES) -> Rule:
    """Every article page answers 404, as from a misconfigured portal: no article was really removed."""
    return Rule("status", match=match, status=404)


_DEAD_LINKS_EPOCH = datetime(2020, 1, 1)
_PROSE_WORDS = (
    "khu chế xuất công nghiệp doanh nghiệp người lao động thành phố Ban Quản lý đầu tư sản xuất hội nghị "
    "triển khai kế hoạch năm tháng công đoàn chính sách hỗ trợ xuất khẩu nhà máy dự án môi trường an toàn"
).split()


def long_prose(words: int, edit_word: int | None = None) -> str:
    """``words`` words of prose as ``<p>`` paragraphs of sentences, the same every call; ``edit_word``
    replaces that word with another."""
    out = [_PROSE_WORDS[(i * 7 + i // 13) % len(_PROSE_WORDS)] for i in range(words)]
    if edit_word is not None:
        out[edit_word] = "sửa" + str(edit_word)
    paragraphs = []
    for start in range(0, words, 120):
        sentences = [
            " ".join(out[s : min(s + 15, start + 120, words)]) + "."
            for s in range(start, min(start + 120, words), 15)
        ]
        paragraphs.append("<p>" + " ".join(sentences) + "</p>")
    return "".join(paragraphs)


def gzip_bomb(size: int) -> bytes:
    """A gzip member of ``size`` bytes of HTML (mostly spaces) that compresses about a thousandfold."""
    with _BOMB_LOCK:
        if size not in _BOMBS:
            out = io.BytesIO()
            with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9, mtime=0) as gz:
                gz.write(b"<!DOCTYPE html><html><head><title>bomb</title></head><body><p>")
                block = b" " * (1 << 20)
                written = 0
                while written < size:
                    gz.write(block[: min(len(block), size - written)])
                    written += len(block)
                gz.write(b"</p></body></html>")
            _BOMBS[size] = out.getvalue()
        return _BOMBS[size]


def encode_cp1258(text: str) -> bytes:
    """Windows-1258 bytes of Vietnamese text: precomposed letters the code page lacks are written as base
    letter plus combining tone mark (as Vietnamese Windows software does); anything else as a character
    reference."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", ch)
        done = False
        # Try base + first mark precomposed (ê, ơ, ư, ă, â, ô), then the remaining marks as combining.
        for split in (2, 1):
            head, rest = unicodedata.normalize("NFC", decomposed[:split]), decomposed[split:]
            try:
                out += head.encode("cp1258") + rest.encode("cp1258")
                done = True
                break
            except UnicodeEncodeError:
                continue
        if not done:
            out += ch.encode("ascii", "xmlcharrefreplace")
    return bytes(out)


def _before_end(body: bytes, junk: bytes) -> bytes:
    """``junk`` just before ``</body>`` (after every bit of content), or at the end."""
    head, sep, tail = body.rpartition(b"</body>")
    return head + junk + sep + tail if sep else body + junk


def malform(body: bytes, variant: str) -> bytes:
    """A page broken the way real servers and editors break pages."""
    if variant == "unclosed":  # every closing tag of the content gone
        return re.sub(rb"</(?:div|p|span|section|main|article|ul|li|a)>", b"", body)
    if variant == "garbage":  # random-looking bytes in the middle of the markup
        mid = len(body) // 2
        return body[:mid] + bytes(range(256)) * 4 + b'<<<>>><</ ><a href="\x00\'">' + body[mid:]
    if variant == "nul":
        return body.replace(b"<p>", b"<p>\x00\x01\x02", 5)
    if variant == "comment":  # an unterminated comment swallows the rest
        mid = len(body) * 2 // 3
        return body[:mid] + b"<!-- unterminated " + body[mid:]
    if variant == "nested":  # absurdly deep nesting before the content
        return body.replace(b"<body", b"<div>" * 3000 + b"<body", 1)
    if variant == "no-body":  # the head only, the document cut right after it
        return body.split(b"<body", 1)[0]
    if variant == "mojibake":  # the UTF-8 read as Latin-1 and re-encoded (double encoding)
        return body.decode("utf-8").encode("utf-8").decode("latin-1").encode("utf-8")
    # Damage a browser shrugs off, and so must the extractor: the same page, the same record.
    if variant == "optional-end-tags":  # </p>, </li>, </td>, </tr> are optional in HTML
        return re.sub(rb"</(?:p|li|td|tr)>", b"", body)
    if variant == "junk-after-content":  # stray markup and bytes in the footer
        return _before_end(
            body, b'<<<>>><</ ><a href="\x01\'"><div <p>>' + bytes(range(1, 32)) + b"&#0;&#xD800;&bogus;"
        )
    if variant == "comment-after-content":  # an unterminated comment in the footer
        return _before_end(body, b"<!-- <p>unterminated")
    if variant == "stray-end-tags":  # closing tags that close nothing, after the content
        return _before_end(body, b"</div></div></span></p></table></section></main>")
    # Damage that changes the bytes of the text but not its meaning.
    if variant == "invalid-utf8-byte":  # one byte that is not UTF-8 (a stray Latin-1 byte in the footer)
        return _before_end(body, b"<p>\xa9 2026</p>")
    raise ValueError(f"unknown malformed variant {variant!r}")


def _rewrite_portlets(text: str, variant: str, target: str, n: int) -> str:
    """The page with the ``portlets`` fault's change (see the module docstring); ``n`` counts requests."""
    if variant == "banner":
        return text.replace('<section id="content">', '<section id="content">' + BANNER_PORTLET, 1)
    if variant == "shared-asset-id":
        return _ASSET_ID_RE.sub(f'data-analytics-asset-id="{SHARED_ASSET_ID}"', text, count=1)
    if variant == "no-asset-id":
        return _ASSET_ID_RE.sub("", text)
    if variant == "date-furniture":
        form = DATE_FURNITURE[int(hashlib.sha1(target.encode()).hexdigest(), 16) % len(DATE_FURNITURE)]
        return _DATE_LINE_RE.sub(lambda m: m[1] + form.format(date=m[2], n=100 + n) + m[3], text, count=1)
    if variant in ("session-links", "ab-nodes"):
        node = n % 2 + 1
        token = hashlib.sha1(f"session:{n}".encode()).hexdigest()[:16].upper()
        if variant == "ab-nodes":
            text = text.replace("</head>", f'<meta name="cluster-node" content="node{node}"></head>', 1)

        def volatile(m: re.Match) -> str:
            if variant == "ab-nodes":
                return f'href="{m[1]};jsessionid={token}.node{node}{m[2] or ""}"'
            query = (m[2] + "&" if m[2] else "?") + f"_={n}"
            return f'href="{m[1]};jsessionid={token}{query}"'

        return _BODY_LINK_RE.sub(lambda m: m[1] + _HREF_RE.sub(volatile, m[2]) + m[3], text, count=1)
    raise ValueError(f"unknown portlets variant {variant!r}")
