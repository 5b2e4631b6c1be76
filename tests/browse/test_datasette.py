"""`hepza serve` over HTTP: metadata, exports, folded search, facets, article pages, diffs, feed, safety."""

from __future__ import annotations

import re
import sqlite3
import urllib.parse
from html.parser import HTMLParser
from xml.etree import ElementTree as ET

import pytest

from archive.browse import load_metadata, make_datasette
from archive.datasette import DATABASE
from archive.store import Archive
from tests.browse.support import ADDED_PARAGRAPH, HOSTILE_ASSET, fetch

ATOM = "{http://www.w3.org/2005/Atom}"


def q(text: str) -> str:
    return urllib.parse.quote(text)


# --- metadata: docs as tests ---------------------------------------------------------------------------


def schema_objects(tmp_path) -> dict[str, list[str]]:
    """Every table and view of a freshly made archive, with its columns (FTS shadow tables excluded)."""
    Archive(tmp_path / "fresh.db").close()
    conn = sqlite3.connect(tmp_path / "fresh.db")
    try:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' "
                "AND name NOT LIKE 'articles_fts_%' AND name NOT LIKE 'versions_fts_%' ORDER BY name"
            )
        ]
        return {n: [c[1] for c in conn.execute(f"PRAGMA table_info([{n}])")] for n in names}
    finally:
        conn.close()


def test_metadata_describes_the_archive_and_every_table_and_column(tmp_path):
    metadata = load_metadata()
    for key in ("title", "description_html", "source", "source_url", "license", "license_url"):
        assert metadata.get(key), f"metadata has no {key}"
    tables = metadata["databases"][DATABASE]["tables"]
    objects = schema_objects(tmp_path)
    for required in (
        "articles",
        "article_urls",
        "article_versions",
        "captures",
        "capture_bodies",
        "crawl_runs",
        "crawl_errors",
        "document_refs",
        "articles_fts",
    ):
        assert required in objects
    missing = []
    for name, columns in objects.items():
        described = tables.get(name) or {}
        if not (described.get("description") or "").strip():
            missing.append(name)
        for column in columns:
            if not str((described.get("columns") or {}).get(column) or "").strip():
                missing.append(f"{name}.{column}")
    assert not missing, f"describe these in archive/datasette/metadata.yaml: {', '.join(missing)}"
    stale = [
        f"{t}.{c}"
        for t, d in tables.items()
        for c in (d.get("columns") or {})
        if t not in objects or c not in objects[t]
    ]
    assert not stale, f"described but not in the schema: {', '.join(stale)}"


def test_articles_table_is_configured_for_browsing():
    articles = load_metadata()["databases"][DATABASE]["tables"]["articles"]
    assert articles["fts_table"] == "articles_fts" and articles["fts_pk"] == "id"
    assert articles["sort_desc"] == "published_at"
    assert articles["facets"] == [
        "category",
        {"array": "authors"},
        {"year": "published_at"},
        "lang",
        {"removed": "removed_at"},
    ]


def test_the_served_database_is_opened_read_only(built):
    ds = make_datasette(built["db"])
    conn = ds.get_database(DATABASE).connect()
    try:
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            conn.execute("CREATE TABLE intruder (x)")
    finally:
        conn.close()


# --- the server ------------------------------------------------------------------------------------------


def test_serve_listens_on_loopback_only(server):
    port = int(server.rsplit(":", 1)[1])
    listening = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = open(table).read().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.rsplit(":", 1)
            if state == "0A" and int(hex_port, 16) == port:
                listening.append(address)
    assert listening == ["0100007F"], f"hepza serve listens on {listening}, not only 127.0.0.1"


def test_writes_are_refused(server):
    response = fetch(f"{server}/{DATABASE}.json?sql={q('delete from articles')}")
    assert response.status == 400
    assert fetch(f"{server}/{DATABASE}/articles.json?_size=1").json()["rows"]


def canned_query_params(built) -> dict[str, dict]:
    return {
        "latest_articles": {"category": ""},
        "article_history": {"article": str(built["edited_id"])},
        "articles_citing_document": {"number": "07/CT-TTg"},
        "search": {"q": "xay dung dang"},
    }


def test_every_table_and_canned_query_exports_json_and_csv(server, built, tmp_path):
    tables = list(schema_objects(tmp_path))
    queries = list(load_metadata()["databases"][DATABASE]["queries"])
    assert len(queries) >= 7
    params = canned_query_params(built)
    failures = []
    for name in tables + queries:
        query = urllib.parse.urlencode(params.get(name, {}))
        for ext in ("json", "csv"):
            url = f"{server}/{DATABASE}/{name}.{ext}" + (f"?{query}" if query else "")
            response = fetch(url)
            if response.status != 200:
                failures.append(f"{url}: {response.status} {response.text[:200]}")
            elif ext == "json":
                assert "rows" in response.json(), url
            else:
                assert response.headers.get("content-type", "").startswith(
                    "text/plain"
                ) or response.headers.get("content-type", "").startswith("text/csv"), url
    assert not failures, "\n".join(failures)


def test_canned_queries_answer_the_questions(server, built):
    def rows(name, **params):
        url = f"{server}/{DATABASE}/{name}.json?_shape=array&" + urllib.parse.urlencode(params)
        response = fetch(url)
        assert response.status == 200, response.text[:500]
        return response.json()

    changed = rows("recent_changes")
    assert [r["article_id"] for r in changed] == [built["edited_id"]]
    assert "<ins>" in changed[0]["body_diff_html"] and "<del>" in changed[0]["title_diff_html"]
    history = rows("article_history", article=str(built["edited_id"]))
    assert [(r["version"], r["change_kind"]) for r in history] == [(1, "first"), (2, "edit")]
    by_url = rows(
        "article_history",
        article=fetch(f"{server}/{DATABASE}/articles/{built['edited_id']}.json?_shape=array").json()[0][
            "url"
        ],
    )
    assert [r["version"] for r in by_url] == [1, 2]
    latest = rows("latest_articles", category="")
    assert latest and latest == sorted(latest, key=lambda r: r["published_at"], reverse=True)
    runs = rows("crawl_runs_and_errors")
    assert [r["mode"] for r in runs] == ["full", "incremental"]
    cited = rows("cited_documents")
    assert cited
    number = cited[0]["number"]
    citing = rows("articles_citing_document", number=number)
    assert len(citing) == cited[0]["articles"] and all(r["number"] == number for r in citing)
    assert rows("removed_articles") == []
    found = rows("search", q="XAY DUNG ĐANG")
    assert built["edited_id"] in [r["id"] for r in found]
    assert rows("search", q="") == [] and rows("search", q='"') == []


# --- search -------------------------------------------------------------------------------------------


def search_ids(server, text: str, **extra) -> list[int]:
    query = urllib.parse.urlencode({"_search": text, "_shape": "array", "_col": "title", **extra})
    response = fetch(f"{server}/{DATABASE}/articles.json?{query}")
    assert response.status == 200, response.text[:500]
    return [r["id"] for r in response.json()]


def test_search_finds_words_with_or_without_diacritics(server, built):
    typed = search_ids(server, "xây dựng Đảng")
    assert built["edited_id"] in typed
    for variant in ("xay dung dang", "XAY DUNG DANG", "xây dựng đảng", "xa\u0302y du\u031bng Đa\u0309ng"):
        assert search_ids(server, variant) == typed, variant
    assert search_ids(server, "hoà") == search_ids(server, "hòa") != []
    assert search_ids(server, "hoa binh") == search_ids(server, "hòa bình") != []
    assert search_ids(server, "Đảng", _searchmode="raw") == search_ids(server, "dang")
    assert set(search_ids(server, "xây AND Đảng", _searchmode="raw")) == set(typed)
    assert search_ids(server, "xay dung dang", _search_title="xay dung dang") != []


def test_search_results_show_text_as_written(server, built):
    rows = fetch(f"{server}/{DATABASE}/articles.json?_search=xay+dung+dang&_shape=array").json()
    edited = next(r for r in rows if r["id"] == built["edited_id"])
    assert edited["title"] == built["new_title"] and "Đảng" in edited["title"]
    page = fetch(f"{server}/{DATABASE}/articles?_search=xay+dung+dang").text
    assert built["new_title"] in page
    typed = fetch(f"{server}/{DATABASE}/articles?_search={q('xây dựng Đảng')}").text
    assert 'value="xây dựng Đảng"' in typed


def test_default_facets_and_sort(server):
    data = fetch(f"{server}/{DATABASE}/articles.json").json()
    assert set(data["facet_results"]) >= {"category", "authors", "published_at", "lang", "removed_at"}
    years = [r["value"] for r in data["facet_results"]["published_at"]["results"]]
    assert years == sorted(years, reverse=True) and all(re.fullmatch(r"\d{4}", y) for y in years)
    removed = {r["value"]: r["count"] for r in data["facet_results"]["removed_at"]["results"]}
    assert removed.get("online") == data["filtered_table_rows_count"]
    authors = data["facet_results"]["authors"]["results"]
    assert authors and all(not r["value"].startswith("[") for r in authors)
    dates = [r["published_at"] for r in fetch(f"{server}/{DATABASE}/articles.json?_shape=array").json()]
    assert dates == sorted(dates, reverse=True)
    year = years[0]
    filtered = fetch(f"{server}/{DATABASE}/articles.json?_shape=array&published_at__startswith={year}").json()
    assert filtered and all(r["published_at"].startswith(year) for r in filtered)
    compact = fetch(f"{server}/{DATABASE}/articles").text
    assert 'data-column="content_hash"' not in compact and 'data-column="title"' in compact
    everything = fetch(f"{server}/{DATABASE}/articles?_all_columns=1").text
    assert 'data-column="content_hash"' in everything


# --- article pages, history, feed ---------------------------------------------------------------------------


def test_article_page_shows_body_metadata_and_versions(server, built):
    response = fetch(f"{server}/-/article/{built['edited_id']}")
    assert response.status == 200
    assert "script-src 'none'" in response.headers["content-security-policy"]
    page = response.text
    assert f">{built['new_title']}</h1>" in page
    assert f"<p>{ADDED_PARAGRAPH}</p>" in page
    assert 'class="hepza-versions"' in page and ">edit<" in page and ">first<" in page
    assert "<ins>" in page  # the latest change, highlighted
    assert fetch(f"{server}/-/article/999999").status == 404


def test_history_highlights_removed_and_added_words(server, built):
    page = fetch(f"{server}/-/article/{built['edited_id']}/history").text
    assert "<del>tổng</del>" in page and "<ins>sơ</ins>" in page
    assert re.search(r"<ins>\s*" + re.escape(ADDED_PARAGRAPH) + r"</ins>", page)
    compared = fetch(f"{server}/-/article/{built['edited_id']}/history?from=1&to=2&context=all").text
    assert 'id="compare"' in compared and "<ins>sơ</ins>" in compared


def test_feed_is_valid_atom_with_new_and_changed_articles(server, built):
    response = fetch(f"{server}/-/feed.atom")
    assert response.status == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(response.body)
    assert root.tag == f"{ATOM}feed"
    for tag in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{tag}") is not None, tag
    entries = root.findall(f"{ATOM}entry")
    assert 1 < len(entries) <= 50
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids) and all(i.startswith("urn:uuid:") for i in ids)
    for entry in entries:
        assert entry.findtext(f"{ATOM}title")
        assert re.fullmatch(
            r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d([+-]\d\d:\d\d|Z)", entry.findtext(f"{ATOM}updated")
        )
        links = [link for link in entry.findall(f"{ATOM}link") if link.get("rel") == "alternate"]
        assert links and links[0].get("href").startswith(server)
    edit = next(e for e in entries if e.findtext(f"{ATOM}title").endswith(built["new_title"]))
    assert "<ins>" in edit.findtext(f"{ATOM}content")
    target = next(link.get("href") for link in edit.findall(f"{ATOM}link") if link.get("rel") == "alternate")
    assert fetch(target).status == 200
    assert fetch(f"{server}/-/feed.atom").body == response.body  # stable ids and dates


# --- hostile content -------------------------------------------------------------------------------------


class ActiveContent(HTMLParser):
    """Finds what could run in a page: event-handler attributes, javascript:/data: URLs, embedding tags,
    and any script that is not datasette's own (its static files, or inline code without the payload)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        if tag in ("iframe", "object", "embed", "frame", "base"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if (
                name in ("href", "src", "action", "data", "formaction", "xlink:href")
                and value
                and re.match(r"\s*(javascript|data|vbscript):", value, re.I)
            ):
                self.found.append(f"<{tag} {name}={value!r}>")
        if tag == "script":
            src = dict(attrs).get("src")
            if src is not None and not src.startswith("/-/static/"):
                self.found.append(f"<script src={src!r}>")
            self._in_script = True

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and "__hepzaPwned" in data:
            self.found.append(f"<script>{data[:80]}")


def active_content(page: str) -> list[str]:
    parser = ActiveContent()
    parser.feed(page)
    parser.close()
    return parser.found


def hostile_pages(base: str, article_id: int) -> list[str]:
    return [
        f"{base}/-/article/{article_id}",
        f"{base}/-/article/{article_id}/history",
        f"{base}/{DATABASE}/articles/{article_id}",
        f"{base}/{DATABASE}/articles?_all_columns=1&asset_id={HOSTILE_ASSET}",
        f"{base}/{DATABASE}/articles?_search=hoa+binh",
        f"{base}/{DATABASE}/latest_articles?category=",
    ]


@pytest.mark.parametrize("which", ["server", "hostile_server"])
def test_hostile_bodies_and_titles_render_inert(which, request, built):
    base = request.getfixturevalue(which)
    for url in hostile_pages(base, built["hostile_id"]):
        response = fetch(url)
        assert response.status == 200, url
        assert active_content(response.text) == [], url
        assert "&lt;img src=x onerror=" in response.text, f"{url} does not show the title as text"


def test_article_page_lists_the_body_links_and_only_web_ones_are_clickable(server, built):
    page = fetch(f"{server}/-/article/{built['hostile_id']}").text
    links = page.split("<h2>Links</h2>", 1)[1].split("</ul>", 1)[0]
    assert '<a href="https://example.org/van-ban" rel="noopener noreferrer nofollow">' in links
    assert "văn bản: " in links
    assert "javascript:window.__hepzaPwned" in links and 'href="javascript' not in links  # shown, as text
    assert active_content(links) == []


def test_a_body_with_a_malformed_link_renders_without_that_link():
    # "//[x" cannot be parsed; it once made the article's page answer 500.
    from archive.datasette.cells import render_body

    shown = render_body(
        '<p><a href="//[x">x</a> <a href="/b">y</a> <img src="//h]/i.jpg"></p>', "https://h/w/a"
    )
    assert 'href="https://h/b"' in shown and "[" not in shown and "]" not in shown
