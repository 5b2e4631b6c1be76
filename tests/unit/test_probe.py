"""archive/probe_read.py, archive/probe_profile.py and archive/probe_fetch.py: the probe's pure readings
(tables of real forms), the draft's name, and the fetcher's politeness against a real replica server."""

from __future__ import annotations

import threading
import time
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from archive.config import user_agent
from archive.probe import HOME_LINK, MENU, MENU_XPATH, SITEMAP_PAGE, Report
from archive.probe_fetch import PoliteFetcher
from archive.probe_profile import default_name, draft_hints, write_draft
from archive.probe_read import (
    GEN_62,
    GEN_70_73,
    GEN_74,
    date_pattern,
    instances_on,
    liferay_generation,
    pager_params,
    route_form,
)
from archive.probe_text import time_from_list_card
from archive.profiles import load_profile
from replica import Site, serve
from replica.faults import Faults, Rule

AP = "com_liferay_asset_publisher_web_portlet_AssetPublisherPortlet_INSTANCE_iwwYBC4Hj8wV"


@pytest.mark.parametrize(
    ("line", "locale", "pattern"),
    [
        ("10:56 08/03/2023", "vi", "HH:mm dd/MM/yyyy"),  # HEPZA's article and list pages
        ("2/4/26 8:30 AM", "en", "M/d/yy h:mm a"),  # HEPZA's en pages: 4 February 2026
        ("5/10/23 6:10 AM", "en", "M/d/yy h:mm a"),  # 10 May 2023
        ("15:55 | 10/07/2026", "vi", "HH:mm | dd/MM/yyyy"),  # the city portal's list cards
        ("(Thứ hai, 19/04/2021 15:17)", "vi", "(EEEE, dd/MM/yyyy HH:mm)"),  # moh.gov.vn's template
        ("Monday, 24/05/2021, 22:38", "en", "EEEE, dd/MM/yyyy, HH:mm"),  # the en UI: still day first
        ("Ngày đăng: 25/11/2025 - 12:21", "vi", "Ngày đăng: dd/MM/yyyy - HH:mm"),
        ("12/11/2025", "vi", "dd/MM/yyyy"),  # 6.2's day-only metadata
        ("05/05/2024 08:00", "vi", "dd/MM/yyyy HH:mm"),  # day equals month: the crawl's order
        ("8h30 05/03/2024", "vi", "H'h'mm dd/MM/yyyy"),
        ("08 giờ 00, Thứ Tư, ngày 19 tháng 02 năm 2014", "vi", "HH giờ mm, EEEE, ngày dd tháng MM năm yyyy"),
        ("2023-03-08T03:56:00Z", "vi", "yyyy-MM-ddTHH:mm:ss (ISO 8601)"),  # htmldate's reading
        ("Lượt xem: 123", "vi", None),
        ("", "vi", None),
    ],
)
def test_date_pattern_names_what_the_crawl_reads(line, locale, pattern):
    assert date_pattern(line, locale) == pattern


@pytest.mark.parametrize(
    ("url", "form"),
    [
        ("https://hepza.hochiminhcity.gov.vn/w/th%C3%B4ng-b%C3%A1o", "/w/<slug>"),
        (
            "https://hepza.hochiminhcity.gov.vn/en/w/th%C3%B4ng-b%C3%A1o-s%E1%BB%91-1443/bql",
            "/<lang>/w/<slug>",
        ),
        ("https://danang.gov.vn/vi/w/slug", "/<lang>/w/<slug>"),
        ("https://hochiminhcity.gov.vn/web/hcm/-/slug", "/web/<group>/-/<slug>"),
        ("https://itpc.hochiminhcity.gov.vn/-/slug", "/-/<slug>"),
        ("https://itpc.hochiminhcity.gov.vn/web/en/-/slug", "/web/<group>/-/<slug>"),
        ("https://daklak.gov.vn/-/details/123/slug", "/-/details/<id>/<slug>"),
        (
            "https://x.vn/tin-tuc/-/asset_publisher/Ju9XFNs2SXH8/content/slug",
            "/<page>/-/asset_publisher/<instance>/content/<slug>",
        ),
        (
            "https://sotuphap.hochiminhcity.gov.vn/tin-tuc-su-kien?_101_INSTANCE_emZ19pfF3Yyq_assetEntryId=1782220"
            "&_101_INSTANCE_emZ19pfF3Yyq_struts_action=%2Fasset_publisher%2Fview_content",
            "/<page>?p_p_id=<portlet>&…view_content (query form)",
        ),
        ("https://sbv.gov.vn/w/slug/-/categories/123", None),  # a list filtered by category
        ("https://x.vn/tin-tuc-su-kien", None),
    ],
)
def test_route_form_of_every_liferay_route(url, form):
    assert route_form(url) == form


def test_generation_from_build_number_then_resources_and_routes():
    assert liferay_generation(['<link href="/combo?browserId=other&b=7303">'], []).name == GEN_70_73
    assert liferay_generation(['<script src="/html/js/x.js?b=6210">'], []).name == GEN_62
    assert liferay_generation(['<link href="/o/theme/css/main.css?b=7413">'], []).name == GEN_74
    # No build number: 6.x's /html/ resources and portlet 101 against 7.x's /o/ modules.
    six = liferay_generation(
        ['<script src="/html/js/barebone.jsp">', "p_p_id_101_INSTANCE_abcdefghijkl_"], []
    )
    assert six.name == GEN_62 and "portlet 101" in six.evidence
    seven = ['<link href="/o/portal-home-multi-theme/css/main.css">']
    assert liferay_generation(seven, ["/web/<group>/-/<slug>"]).name == GEN_70_73
    assert liferay_generation(seven, ["/<lang>/w/<slug>"]).name == GEN_74
    assert liferay_generation(['<p class="x">no marker</p>'], []).name is None


def test_pager_parameters_and_instances_of_a_list_page():
    link = f"https://x.vn/tin?p_p_id={AP}&_{AP}_delta=10&p_r_p_resetCur=false&_{AP}_cur=2"
    assert pager_params(link) == {AP: {f"_{AP}_delta": "10", f"_{AP}_cur": "2"}}
    six = "https://x.vn/tin?p_p_id=101_INSTANCE_uEWEGb3pZBuI&_101_INSTANCE_uEWEGb3pZBuI_cur=3&_101_INSTANCE_uEWEGb3pZBuI_delta=5"
    found = instances_on(
        [f"p_p_id_{AP}_", "p_p_id_com_liferay_journal_content_web_portlet_JournalContentPortlet_"],
        [link, six],
    )
    assert [(i.portlet, i.delta, i.pages_linked, i.asset_publisher) for i in found] == [
        (AP, "10", 1, True),
        ("101_INSTANCE_uEWEGb3pZBuI", "5", 1, True),
    ]
    calendar = "https://x.vn/?_com_liferay_calendar_web_portlet_CalendarPortlet_cur=2"
    assert [i.asset_publisher for i in instances_on([], [calendar])] == [False]


@pytest.mark.parametrize(
    ("origin", "name"),
    [
        ("https://hepza.hochiminhcity.gov.vn", "hepza"),
        ("https://www.sbv.gov.vn", "sbv"),
        ("http://127.0.0.1:8000", "127-0-0-1-8000"),
        ("https://So_Tu_Phap.example", "so-tu-phap"),
    ],
)
def test_default_name_from_the_host(origin, name):
    assert default_name(origin) == name


def test_the_menus_are_those_the_spider_follows():
    from scraper.spiders.hepza import _MENU_XPATH

    assert MENU_XPATH == _MENU_XPATH


def test_fetcher_reads_robots_first_obeys_it_waits_and_stops_at_its_cap():
    with serve(Site()) as server:
        server.faults = Faults(
            Rule(
                "content_type",
                match=r"^/robots\.txt$",
                body="User-agent: *\nDisallow: /gioi-thieu\n",
                content_type="text/plain",
            )
        )
        waits: list[float] = []
        fetcher = PoliteFetcher(
            server.url, "hepza-archive/test", delay=0.5, max_requests=3, sleep=waits.append
        )
        fetcher.start()
        assert fetcher.get(server.url + "/gioi-thieu") is None  # disallowed: never asked
        assert fetcher.get("http://192.0.2.1/") is None  # off the origin: never asked
        assert fetcher.get(server.url + "/").status == 200
        assert fetcher.get(server.url + "/tin-tuc-su-kien").status == 200
        assert fetcher.get(server.url + "/lien-he") is None  # the cap of 3, robots.txt included
        assert server.request_count == 3 and "/gioi-thieu" not in server.requests_by_path
        assert len(waits) == 2 and all(0 < w <= 0.5 for w in waits)  # a wait before each but the first
        assert [f.outcome for f in fetcher.log] == [
            "200",
            "refused by robots.txt",
            "off the origin",
            "200",
            "200",
            "request cap reached",
        ]


def _report_with_lists(*hows: str) -> Report:
    report = Report(url="https://x.gov.vn/", origin="https://x.gov.vn", platform="liferay", generation=GEN_74)
    report.lists = [
        {"url": f"https://x.gov.vn/list-{n}?a=1", "how": how, "article_links": 5, "instances": []}
        for n, how in enumerate(hows)
    ]
    report.locales = ["vi", "en"]
    # A note with what TOML must escape: quotes, a backslash, a tab.
    report.locale_evidence = ['home page lang="vi-VN" \\ \t.']
    return report


def test_draft_hints_only_lists_the_crawl_would_not_find(tmp_path):
    # Menus and the sitemap's pages are followed by the crawl: no hint. A list only a home-page link
    # leads to is one the crawl would miss: a list_pages hint, as a path on the origin.
    assert draft_hints(_report_with_lists(MENU, SITEMAP_PAGE)) == {}
    report = _report_with_lists(MENU, HOME_LINK)
    assert draft_hints(report) == {"list_pages": ["/list-1?a=1"]}
    path = write_draft(report, tmp_path, "x", date(2026, 1, 2))
    profile = load_profile(path)
    assert profile.hints.list_pages == ("/list-1?a=1",)
    assert profile.locales == ("vi", "en") and profile.origin == "https://x.gov.vn"
    assert profile.seen[0].startswith("probed 2026-01-02") and 'lang="vi-VN" \\ \t.' in profile.seen[-1]
    with pytest.raises(FileExistsError):
        write_draft(report, tmp_path, "x", date(2026, 1, 2))
    assert (
        load_profile(write_draft(report, tmp_path, "x", date(2026, 1, 3), force=True))
        .seen[0]
        .startswith("probed 2026-01-03")
    )


def test_fetcher_waits_its_delay_between_requests_in_real_time():
    with serve(Site()) as server:
        fetcher = PoliteFetcher(server.url, "hepza-archive/test", delay=0.2)
        started = time.monotonic()
        fetcher.start()
        fetcher.get(server.url + "/")
        fetcher.get(server.url + "/lien-he")
        assert time.monotonic() - started >= 0.4  # two waits of 0.2 s: after robots.txt, after the home page
        assert server.request_count == 3


def test_fetcher_sends_its_user_agent_and_follows_redirects_only_within_the_origin():
    agents: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            agents.append(self.headers.get("User-Agent", ""))
            moves = {"/in": "/robots-free", "/out": "http://192.0.2.1/elsewhere"}
            self.send_response(301 if self.path in moves else 200)
            if self.path in moves:
                self.send_header("Location", moves[self.path])
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        origin = f"http://127.0.0.1:{server.server_address[1]}"
        fetcher = PoliteFetcher(origin, user_agent("https://example.org/contact"), delay=0)
        fetcher.start()
        moved = fetcher.get(origin + "/in")
        assert moved.status == 200 and moved.final_url == origin + "/robots-free"
        assert fetcher.get(origin + "/out") is None  # the redirect leaves the origin: not followed
    finally:
        server.shutdown()
        server.server_close()
    assert agents == [user_agent("https://example.org/contact")] * 4  # robots.txt, /in, its target, /out
    assert fetcher.log[-1].outcome == "off the origin"


def test_atime_from_list_card_date_line_says_the_list_card_gives_the_time():
    report = _report_with_lists(MENU)
    report.lists[0]["list_date"] = {"line": "12/11/2025 17:29", "pattern": "dd/MM/yyyy HH:mm"}
    assert time_from_list_card(
        {"line": "12/11/2025"}, report
    )  # 6.2: the day on the article, the minute on the card
    assert not time_from_list_card({"line": "17:29 12/11/2025"}, report)
    report.lists[0]["list_date"] = {"line": "12/11/2025", "pattern": "dd/MM/yyyy"}
    assert not time_from_list_card({"line": "12/11/2025"}, report)  # nowhere a time: nothing to take
