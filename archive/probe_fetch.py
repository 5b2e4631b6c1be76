"""The probe's fetcher: a handful of polite requests to one origin, in plain Python (no crawler).

``hepza probe`` reads a portal the way the crawl would before any crawl is run: robots.txt first and
obeyed (Protego, the parser Scrapy's robots middleware uses, so both read a robots.txt alike), the
project's user agent, a delay between requests, a cap on the requests of one probe, the crawl's time-out
and body cap, redirects followed only within the origin. Nothing here knows what a page means.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from urllib.parse import urljoin, urlsplit

from protego import Protego

# The crawl's cap on one body (scraper/settings.py DOWNLOAD_MAXSIZE): a page past it is cut, not read whole.
MAX_BODY_BYTES = 16 * 1024 * 1024
# Requests of one probe, robots.txt and redirects included: a handful, never a crawl.
MAX_REQUESTS = 12
_MAX_REDIRECTS = 3
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


@dataclass
class Answer:
    """One URL's answer (after redirects within the origin): status 0 when there was none."""

    url: str  # as asked
    final_url: str
    status: int
    headers: dict[str, str]
    body: bytes
    error: str | None = None

    @property
    def content_type(self) -> str:
        return next((v for k, v in self.headers.items() if k.lower() == "content-type"), "")

    @property
    def charset(self) -> str | None:
        message = Message()
        message["content-type"] = self.content_type
        return message.get_content_charset()

    def text(self) -> str:
        return self.body.decode(self.charset or "utf-8", errors="replace")


@dataclass
class Fetched:
    """What the fetcher did with one URL, for the report: its status, or why it was not asked."""

    url: str
    outcome: str  # "200", "404", "refused by robots.txt", "request cap reached", "off the origin", "error: …"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects come back as answers: the fetcher follows them itself, checking each target."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001, ANN201
        return None


@dataclass
class PoliteFetcher:
    """GETs on one origin: robots.txt read first (``start``), every other URL checked against it."""

    origin: str
    user_agent: str
    delay: float = 1.0
    timeout: float = 30.0
    max_requests: int = MAX_REQUESTS
    sleep: Callable[[float], None] = time.sleep
    requests: int = 0
    log: list[Fetched] = field(default_factory=list)
    robots: Answer | None = None
    _rules: Protego | None = None
    _last: float | None = None

    def __post_init__(self) -> None:
        self._opener = urllib.request.build_opener(_NoRedirects)

    def start(self) -> Answer | None:
        """Fetch robots.txt: a 4xx means no rules (as Scrapy reads it), anything else unreadable too."""
        self.robots = self._request(f"{self.origin}/robots.txt")
        text = self.robots.text() if self.robots and self.robots.status == 200 else ""
        self._rules = Protego.parse(text)
        return self.robots

    def sitemaps(self) -> list[str]:
        """The sitemaps robots.txt names."""
        return list(self._rules.sitemaps) if self._rules is not None else []

    def allowed(self, url: str) -> bool:
        return self._rules is None or self._rules.can_fetch(url, self.user_agent)

    def on_origin(self, url: str) -> bool:
        parts, origin = urlsplit(url), urlsplit(self.origin)
        return (parts.scheme, parts.netloc) == (origin.scheme, origin.netloc)

    def get(self, url: str) -> Answer | None:
        """The answer for ``url``, or None when robots.txt forbids it, it is off the origin, or the cap
        on requests is reached (each is logged)."""
        for _ in range(_MAX_REDIRECTS + 1):
            refusal = self._refusal(url)
            if refusal:
                self.log.append(Fetched(url, refusal))
                return None
            answer = self._request(url)
            if answer is None or answer.status not in _REDIRECTS:
                return answer
            location = next((v for k, v in answer.headers.items() if k.lower() == "location"), "")
            if not location:
                return answer
            url = urljoin(answer.final_url, location)
        return answer

    def _refusal(self, url: str) -> str | None:
        if not self.on_origin(url):
            return "off the origin"
        if not self.allowed(url):
            return "refused by robots.txt"
        if self.requests >= self.max_requests:
            return "request cap reached"
        return None

    def _request(self, url: str) -> Answer | None:
        if self.requests >= self.max_requests:
            self.log.append(Fetched(url, "request cap reached"))
            return None
        if self._last is not None:
            wait = self._last + self.delay - time.monotonic()
            if wait > 0:
                self.sleep(wait)
        self.requests += 1
        request = urllib.request.Request(url, headers={"User-Agent": self.user_agent})
        try:
            try:
                response = self._opener.open(request, timeout=self.timeout)
            except urllib.error.HTTPError as exc:  # 3xx (redirects are not followed here), 4xx, 5xx
                response = exc
            with response:
                body = response.read(MAX_BODY_BYTES)
                answer = Answer(url, response.geturl(), response.status, dict(response.headers), body)
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            answer = Answer(url, url, 0, {}, b"", error=str(reason))
        finally:
            self._last = time.monotonic()
        self.log.append(Fetched(url, str(answer.status) if answer.status else f"error: {answer.error}"))
        return answer
