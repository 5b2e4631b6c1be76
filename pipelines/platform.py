"""Is this site a Liferay portal? The markers Liferay prints, read from a crawl's first answers.

A crawl pointed at a site of another platform (ASP.NET, WordPress, DotNetNuke: some of the city's agency
portals are, see ../shared/OTHER-PORTALS.md) must say so and stop, not archive whatever its pages hold. The
crawler (scraper/platform_check.py) hands this module the home page, robots.txt and sitemap answers; any one
marker below makes the site Liferay. No marker in all of them, each a real answer, makes it another
platform. Anything less sure (an error page, a site answering every URL with one page) decides nothing, and
the crawl goes on as before.

Each marker says whether it was **seen** (in the real Liferay pages of ../shared/liferay-samples/, or in URLs
of real portals listed in OTHER-PORTALS.md and SITE-FACTS.md) or **inferred** (from Liferay's source and
documentation). docs/portals.md, "Not a Liferay portal", lists them for users.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

# The close reason of a crawl stopped by this check: the ledger maps it to exit code 2 (EXIT_USAGE).
CLOSE_REASON = "not-liferay"
# The status such a run is recorded with (crawl_runs.status); archive.runs and hepza verify read it here.
RUN_STATUS = "not-liferay"
LIFERAY, OTHER, UNKNOWN = "liferay", "other", "unknown"

# What a probe is, by the path it asked for (its first URL, before redirects).
HOME, ROBOTS, SITEMAP = "home page", "robots.txt", "sitemap"


@dataclass(frozen=True)
class Marker:
    name: str  # as the message and docs name it
    where: str  # "body" (HTML, XML or text of the answer) or "header"
    pattern: re.Pattern[str]
    seen: bool  # True: seen on real portals; False: inferred from Liferay's source
    why: str


def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


MARKERS: tuple[Marker, ...] = (
    Marker(
        "Liferay.ThemeDisplay / themeDisplay",
        "body",
        _re(r"\bLiferay\.ThemeDisplay\b|\bvar\s+themeDisplay\b"),
        True,
        "every Liferay layout sets it in an inline script (the 7.3 samples; 6.2 names it themeDisplay)",
    ),
    Marker(
        "/o/<module>/ resources",
        "body",
        _re(r"""(?:src|href)\s*=\s*["'][^"']*/o/[a-z0-9][a-z0-9._-]*/"""),
        True,
        "7.x serves theme and module files under /o/ (/o/portal-home-multi-theme/, /o/corona-theme-guest/)",
    ),
    Marker(
        "/html/js/ and /html/themes/ resources",
        "body",
        _re(r"""(?:src|href)\s*=\s*["'][^"']*/html/(?:js|themes)/"""),
        False,
        "6.x serves its scripts (barebone.jsp, everything.jsp) and themes from /html/",
    ),
    Marker(
        "/combo? bundles",
        "body",
        _re(r"""(?:src|href)\s*=\s*["'][^"']*/combo\?[^"']*(?:browserId|minifierType)="""),
        True,
        "Liferay's combo servlet joins scripts and styles: /combo?browserId=…&minifierType=… (the 7.3 samples)",
    ),
    Marker(
        "p_p_id= portlet parameters",
        "body",
        _re(r"[?&;]p_p_id=|[?&;]p_l_id="),
        True,
        "portlet URLs (pagers, 6.2 article links) and 7.x sitemap children (?p_l_id=…&layoutUuid=…)",
    ),
    Marker(
        "portlet-boundary",
        "body",
        _re(r"""class\s*=\s*["'][^"']*\bportlet-boundary"""),
        True,
        "every portlet is wrapped in div.portlet-boundary (the samples' Asset Publisher)",
    ),
    Marker(
        "/c/portal/ links",
        "body",
        _re(r"/c/portal/(?:login|layout|logout|update_language)"),
        False,
        "the portal's own actions (sign in, language switch) live under /c/portal/",
    ),
    Marker(
        "AUI and lfr-* classes",
        "body",
        _re(r"""\bAUI\(\)\.use\(|\byui3-skin-sam\b|class\s*=\s*["'][^"']*\blfr-[a-z]"""),
        True,
        "AlloyUI (AUI().use(…), the yui3-skin-sam body class) and Liferay's lfr-* classes (lfr-pagination)",
    ),
    Marker(
        "Liferay-Portal header",
        "header",
        _re(r"^liferay-portal$"),
        False,
        "Liferay announces itself in a Liferay-Portal response header unless the portal turns it off",
    ),
)

# What another platform looks like, to name it in the message (a guess: it changes no decision).
_PLATFORMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ASP.NET WebForms", _re(r"__VIEWSTATE|\.aspx\b|WebResource\.axd|x-aspnet-version")),
    ("WordPress", _re(r"/wp-content/|/wp-includes/|wp-sitemap|content=\"WordPress")),
    ("DotNetNuke", _re(r"DotNetNuke|/DesktopModules/|dnn_")),
    ("Drupal", _re(r"Drupal\.settings|/sites/default/files/|content=\"Drupal")),
    ("Joomla", _re(r"/media/jui/|content=\"Joomla")),
)


def markers_in(body: str, headers: Mapping[str, str]) -> list[str]:
    """The names of the Liferay markers an answer shows (headers' names in any case)."""
    names = {k.lower() for k in headers}
    found = []
    for m in MARKERS:
        if m.where == "header":
            hit = any(m.pattern.search(n) for n in names)
        else:
            hit = bool(m.pattern.search(body))
        if hit:
            found.append(m.name)
    return found


def probe_kind(url: str, site_url: str) -> str | None:
    """HOME, ROBOTS or SITEMAP for a URL of the crawl's first answers, or None for any other page."""
    path = urlsplit(url).path or "/"
    home = urlsplit(site_url).path or "/"
    if path.rstrip("/") == home.rstrip("/"):
        return HOME
    if path == "/robots.txt":
        return ROBOTS
    if "sitemap" in path.lower() and path.lower().endswith(".xml"):
        return SITEMAP
    return None


def is_real_answer(kind: str, status: int, content_type: str) -> bool:
    """Does this answer say something about the site's platform? A page (200) of the expected type, or a
    plain "not here" (404, 410) for robots.txt and the sitemap. An error, a redirect to a login, or a site
    that answers robots.txt with an HTML page (a maintenance page served for every URL) says nothing."""
    ctype = content_type.lower()
    if kind == HOME:
        return status == 200 and "html" in ctype
    if status in (404, 410):
        return True
    if status != 200:
        return False
    if kind == ROBOTS:
        return "html" not in ctype
    return "xml" in ctype or "text/plain" in ctype


@dataclass
class Evidence:
    """What the crawl's first answers showed: markers found, and which probes answered for real."""

    site_url: str
    markers: list[str] = field(default_factory=list)
    answered: dict[str, bool] = field(default_factory=dict)  # probe -> was a real answer
    texts: list[str] = field(default_factory=list)  # for naming the platform

    def add(self, kind: str, status: int, headers: Mapping[str, str], body: str) -> None:
        """One probe's answer (headers by name, any case; body decoded)."""
        ctype = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
        real = is_real_answer(kind, status, ctype)
        self.answered[kind] = self.answered.get(kind, False) or real
        if status < 500:
            self.markers += [m for m in markers_in(body, headers) if m not in self.markers]
        self.texts.append(" ".join(f"{k}: {v}" for k, v in headers.items()) + "\n" + body[:200_000])

    def verdict(self, *, done: bool) -> str:
        """LIFERAY once a marker is found; OTHER when the probes are ``done`` (none left in flight), the
        home page answered for real, and every probe that answered did so for real; else UNKNOWN."""
        if self.markers:
            return LIFERAY
        if not done:
            return UNKNOWN
        if self.answered.get(HOME) and all(self.answered.values()):
            return OTHER
        return UNKNOWN

    def platform(self) -> str | None:
        """The other platform the answers look like, when one is recognised."""
        text = "\n".join(self.texts)
        return next((name for name, pattern in _PLATFORMS if pattern.search(text)), None)

    def message(self) -> str:
        """The one line the crawl ends with on another platform."""
        looked = ", ".join(m.name for m in MARKERS)
        asked = [k for k in (HOME, ROBOTS, SITEMAP) if k in self.answered]
        probes = " and ".join([", ".join(asked[:-1]), asked[-1]] if len(asked) > 1 else asked)
        guess = self.platform()
        like = f"; it looks like {guess}" if guess else ""
        return (
            f"not a Liferay portal: {self.site_url} shows no Liferay marker in its {probes} "
            f"(looked for {looked}){like}; nothing archived"
        )


def close_reason(message: str) -> str:
    """The crawl's close reason carrying the message (Scrapy's close reason is one string)."""
    return f"{CLOSE_REASON}: {message}"


def message_of(reason: str | None) -> str | None:
    """The message of a close reason made by ``close_reason``, else None."""
    prefix = f"{CLOSE_REASON}: "
    return reason[len(prefix) :] if reason and reason.startswith(prefix) else None


def markers_table() -> str:
    """The markers as a Markdown table (docs/portals.md, generated with cog)."""
    rows = ["| marker | looked for in | seen or inferred | why |", "|---|---|---|---|"]
    for m in MARKERS:
        where = "response headers" if m.where == "header" else "home page, robots.txt, sitemap"
        rows.append(f"| `{m.name}` | {where} | {'seen' if m.seen else 'inferred'} | {m.why} |")
    return "\n".join(rows) + "\n"
