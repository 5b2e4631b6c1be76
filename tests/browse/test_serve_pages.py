"""`hepza serve` for people (#24 points 5 and 8): times in Vietnam time with the zone named, URLs with
their letters, names not JSON, canned queries without their SQL, our pages in Vietnamese or English, CSV
that Excel opens with Vietnamese intact (?_bom=1), JSON Lines with lists, and an article found from any
URL form `hepza history` takes."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import sqlite3
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone
from urllib.parse import quote, unquote, urlsplit

import pytest

from archive.datasette import DATABASE
from tests.browse.support import fetch

BOM = b"\xef\xbb\xbf"
# Vietnam's clock: UTC+7 all year (no daylight saving since 1975), computed here without the code's help.
_VN = timezone(timedelta(hours=7))


def _one(db, sql: str, params=()):
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute(sql, params).fetchone()
    finally:
        conn.close()


def _vietnam_clock(iso: str) -> str:
    return datetime.fromisoformat(iso).astimezone(_VN).strftime("%d/%m/%Y %H:%M")


def test_article_page_reads_times_in_vietnam_time_with_the_zone_named(server, built):
    published, first_seen = _one(
        built["db"], "SELECT published_at, first_seen_at FROM articles WHERE id = ?", [built["edited_id"]]
    )
    assert first_seen.endswith("+00:00")  # stored in UTC: what the page must not show as it is
    page = fetch(f"{server}/-/article/{built['edited_id']}").text
    assert f"{_vietnam_clock(published)} (Vietnam time, UTC+7)" in page
    assert f"{_vietnam_clock(first_seen)} (Vietnam time, UTC+7)" in page
    assert f'datetime="{first_seen}"' in page  # the stored time stays, for machines
    vi = fetch(f"{server}/-/article/{built['edited_id']}?lang=vi").text
    assert f"{_vietnam_clock(first_seen)} (giờ Việt Nam, UTC+7)" in vi


def test_table_cells_show_times_urls_and_names_for_people(server, built):
    article_id = built["edited_id"]
    url, authors, published = _one(
        built["db"], "SELECT url, authors, published_at FROM articles WHERE id = ?", [article_id]
    )
    assert "%" in url and json.loads(authors)  # an encoded Vietnamese slug and a JSON list of names
    page = fetch(f"{server}/{DATABASE}/articles?id={article_id}&_all_columns=1").text
    assert f"{_vietnam_clock(published)} UTC+7</time>" in page
    assert f">{unquote(url)}</a>" in page and f'href="{url}"' in page  # shown decoded, link as stored
    assert f'<span class="hepza-names">{", ".join(json.loads(authors))}</span>' in page
    assert authors not in page  # no JSON list in the cell
    # the exports keep what is stored
    [row] = fetch(f"{server}/{DATABASE}/articles.json?id={article_id}&_shape=array").json()
    assert row["url"] == url and row["authors"] == authors and row["published_at"] == published


def test_canned_queries_hide_their_sql_unless_asked(server):
    page = fetch(f"{server}/{DATABASE}/recent_changes").text
    assert "Recently changed articles" in page
    assert "from article_versions" not in page.lower()
    shown = fetch(f"{server}/{DATABASE}/recent_changes?_show_sql=1").text
    assert "from article_versions" in shown.lower()


def test_our_pages_speak_the_readers_language_and_remember_it(server, built):
    page = f"{server}/-/article/{built['edited_id']}"
    assert "History and changes" in fetch(page).text
    request = urllib.request.Request(page + "?lang=vi")
    with urllib.request.urlopen(request, timeout=20) as response:
        vi = response.read().decode()
        cookie = response.headers["set-cookie"]
    assert "Lịch sử và thay đổi" in vi and "History and changes" not in vi
    remembered = urllib.request.Request(page, headers={"Cookie": cookie.split(";")[0]})
    with urllib.request.urlopen(remembered, timeout=20) as response:
        assert "Lịch sử và thay đổi" in response.read().decode()
    browser_vi = urllib.request.Request(f"{server}/-/search?q=dang", headers={"Accept-Language": "vi-VN,vi"})
    with urllib.request.urlopen(browser_vi, timeout=20) as response:
        assert "Tìm trong các bài viết" in response.read().decode()
    for path in ("/history", ""):
        assert "phiên bản" in fetch(f"{page}{path}?lang=vi").text
    listing = fetch(f"{server}/{DATABASE}/articles?lang=vi").text
    assert "CSV cho Excel" in listing and "Hiện cả" in listing


def test_the_desk_compare_and_charts_pages_speak_the_readers_language(server, built):
    compare = f"/-/article/{built['edited_id']}/compare?from=1&to=2"
    pages = {
        "/-/changes": ("<h1>Change desk", "<h1>Bảng theo dõi thay đổi", "newest first", "mới nhất trước"),
        compare: ("<h2>Version 1 → 2</h2>", "<h2>Phiên bản 1 → 2</h2>", "(first)", "(bản đầu)"),
        "/-/charts": (
            "<h2>Most edited articles</h2>",
            "<h2>Các bài bị sửa nhiều nhất</h2>",
            "Per month</h2>",
            "Theo tháng</h2>",
        ),
    }
    for path, (en_heading, vi_heading, en_text, vi_text) in pages.items():
        joiner = "&" if "?" in path else "?"
        vi = fetch(f"{server}{path}{joiner}lang=vi").text
        en = fetch(f"{server}{path}{joiner}lang=en").text
        assert vi_heading in vi and vi_text in vi and en_heading not in vi, path
        assert en_heading in en and en_text in en and vi_heading not in en, path
        assert 'id="hepza-lang"' in vi and 'id="hepza-lang"' in en, path  # the toggle on every one
        assert ">Biểu đồ</a>" in vi and ">Charts</a>" in en, path  # and the menu of our links
    # the diff's macros (_hepza_diff.html) see the page's language too
    side = fetch(f"{server}{compare}&view=side&lang=vi").text
    assert "Cách xem:" in side and "<th>trước</th><th>sau</th>" in side
    # the labels charts.js draws on the charts, in the page's language
    for lang, title in (
        ("vi", "Số bài đăng, sửa và gỡ theo tháng"),
        ("en", "Published, edited and removed per month"),
    ):
        labels = re.search(r"data-labels='([^']*)'", fetch(f"{server}/-/charts?lang={lang}").text)
        assert labels and json.loads(html.unescape(labels.group(1)))["perMonth"] == title
    # the desk's labels of kinds are the page's language; its JSON stays English
    assert ">chỉnh sửa</span>" in fetch(f"{server}/-/changes?lang=vi").text
    assert ">edit</span>" in fetch(f"{server}/-/changes?lang=en").text
    events = fetch(f"{server}/-/changes.json?lang=vi").json()["events"]
    assert "edit" in {e["label"] for e in events}
    # and its factors: the edited title is "tiêu đề" on the Vietnamese page, "title" in the JSON
    [edit] = [e for e in events if e["kind"] == "edit" and e["article_id"] == built["edited_id"]]
    assert "title" in {f["name"] for f in edit["factors"]}
    assert "tiêu đề +" in fetch(f"{server}/-/changes?lang=vi&kind=edit").text
    assert "title +" in fetch(f"{server}/-/changes?lang=en&kind=edit").text


@pytest.mark.parametrize(
    "path",
    [
        f"/{DATABASE}/articles.csv?_size=max",
        f"/{DATABASE}/articles.csv?_size=max&_stream=1",
        f"/{DATABASE}/recent_changes.csv?_dl=1",
    ],
)
def test_csv_for_excel_starts_with_the_byte_order_mark(server, path):
    plain = fetch(f"{server}{path}").body
    marked = fetch(f"{server}{path}&_bom=1").body
    assert not plain.startswith(BOM)
    assert marked == BOM + plain  # only the mark added: every row and byte as before
    rows = list(csv.reader(io.StringIO(marked.decode("utf-8-sig"))))
    assert len(rows) > 1 and any("Đảng" in cell for row in rows for cell in row)


def test_json_lines_export_has_lists_for_list_fields(server, built):
    body = fetch(f"{server}/{DATABASE}/articles.jsonl?_size=max").text
    lines = [json.loads(line) for line in body.splitlines()]
    count = _one(built["db"], "SELECT count(*) FROM articles")[0]
    assert len(lines) == count
    assert all(isinstance(r["authors"], list) and isinstance(r["images"], list) for r in lines)
    edited = next(r for r in lines if r["id"] == built["edited_id"])
    stored = _one(built["db"], "SELECT authors FROM articles WHERE id = ?", [built["edited_id"]])[0]
    assert edited["authors"] == json.loads(stored) and edited["title"] == built["new_title"]


def _url_forms(url: str) -> list[str]:
    """Every way a journalist may paste the URL of one article."""
    path = urlsplit(url).path
    return [
        url,  # as archived (percent-encoded, the replica's host)
        unquote(url),  # as a browser's address bar shows it
        url + "/",
        url + "?utm_source=zalo&utm_medium=social&fbclid=IwAR0abc",
        url + "#top",
        url.replace("http://", "https://", 1),
        url.lower(),  # lower-case percent codes
        "https://hepza.hochiminhcity.gov.vn" + path,  # the real portal's host
        "https://www.hepza.hochiminhcity.gov.vn/en" + unquote(path) + "/",  # English locale, www, Unicode
    ]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_lookups_find_the_article_from_any_url_form(server, built):
    article_id = built["edited_id"]
    url = _one(built["db"], "SELECT url FROM articles WHERE id = ?", [article_id])[0]
    forms = _url_forms(url)
    assert len(set(forms)) == len(forms) >= 6
    opener = urllib.request.build_opener(_NoRedirect)
    for form in forms:
        rows = fetch(f"{server}/{DATABASE}/article_history.json?article={quote(form)}&_shape=array").json()
        assert {r["article_id"] for r in rows} == {article_id}, form
        assert [r["version"] for r in rows] == [1, 2], form
        with pytest.raises(urllib.error.HTTPError) as redirect:
            opener.open(f"{server}/-/lookup?url={quote(form)}", timeout=20)
        assert redirect.value.code == 302 and redirect.value.headers["location"] == f"/-/article/{article_id}"
        search = fetch(f"{server}/-/search?q={quote(form)}").text
        assert (
            f'id="found-by-url">This URL is the archived article: <a href="/-/article/{article_id}"' in search
        )
        answer = fetch(f"{server}/-/search.json?q={quote(form)}").json()
        assert answer["article_by_url"]["id"] == article_id, form
    rows = fetch(f"{server}/{DATABASE}/article_history.json?article={article_id}&_shape=array").json()
    assert {r["article_id"] for r in rows} == {article_id}


def test_a_lookup_of_an_unknown_url_is_one_sentence(server):
    missing = fetch(f"{server}/-/lookup?url={quote('https://hepza.hochiminhcity.gov.vn/w/khong-co-bai-nay')}")
    assert missing.status == 404 and "No archived article matches" in missing.text
    assert 'id="lookup-error"' in missing.text and 'name="url"' in missing.text  # and the form to try again
    form = fetch(f"{server}/-/lookup?lang=vi")
    assert (
        form.status == 200 and "Tìm bài từ địa chỉ URL" in form.text and 'id="lookup-error"' not in form.text
    )
    assert fetch(f"{server}/{DATABASE}/article_history.json?article=nothing&_shape=array").json() == []


def test_serving_a_folder_a_url_finds_its_portals_article_and_queries_hide_their_sql(
    portals_server, portals_folder
):
    from tests.browse.conftest import OTHER_PORTALS

    portal = OTHER_PORTALS[0]
    article_id, url = _one(
        portals_folder / f"{portal}.db", "SELECT id, url FROM articles ORDER BY id LIMIT 1"
    )
    opener = urllib.request.build_opener(_NoRedirect)
    for form in (url, unquote(url) + "/", url + "?utm_source=zalo"):
        for base in (portals_server, f"{portals_server}/{portal}"):  # every portal, or that one's archive
            with pytest.raises(urllib.error.HTTPError) as redirect:
                opener.open(f"{base}/-/lookup?url={quote(form)}", timeout=20)
            assert redirect.value.headers["location"] == f"/{portal}/-/article/{article_id}", form
    page = fetch(f"{portals_server}/{portal}/recent_changes").text
    assert "<title>Recently changed articles" in page and "from article_versions" not in page.lower()
    # the list of portals in the reader's language
    home = fetch(f"{portals_server}/?lang=vi").text
    intro = home.split('id="hepza-portals-intro"')[1].split("</div>")[0]
    assert "Kho lưu trữ của 3 cổng thông tin" in intro and all(
        f'href="/{p}"' in intro for p in (portal, "hepza")
    )
    assert 'id="hepza-portals-intro"' not in fetch(f"{portals_server}/").text


def test_hepza_export_writes_csv_for_excel_and_json_lines_with_lists(built, tmp_path):
    from tests.hepza_cli import run_hepza

    plain, marked = tmp_path / "a.csv", tmp_path / "b.csv"
    assert run_hepza("export", "--db", str(built["db"]), "--format", "csv", "-o", str(plain)).returncode == 0
    made = run_hepza("export", "--db", str(built["db"]), "--format", "csv", "--bom", "-o", str(marked))
    assert made.returncode == 0, made.stderr
    assert marked.read_bytes() == BOM + plain.read_bytes() and not plain.read_bytes().startswith(BOM)
    lines = run_hepza("export", "--db", str(built["db"])).stdout.splitlines()
    records = [json.loads(line) for line in lines]
    assert records and all(
        isinstance(r["authors"], list) and isinstance(r["links"], (list, type(None))) for r in records
    )
    assert any(r["authors"] for r in records)
    wrong = run_hepza("export", "--db", str(built["db"]), "--bom")
    assert (
        wrong.returncode == 2
        and "--bom is for --format csv" in wrong.stderr
        and "Traceback" not in wrong.stderr
    )
