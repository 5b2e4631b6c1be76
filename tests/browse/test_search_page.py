"""`hepza serve`'s search page (``/-/search``) over HTTP, on the replica's archive: counts held to the
text itself, snippets, a bad query's sentence, past versions."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from archive.datasette import DATABASE
from pipelines.text import fold_key
from tests.browse.support import count_in_the_text, fetch


def _search(server: str, query: str, *, past: bool = False) -> dict:
    response = fetch(f"{server}/-/search.json?q={quote(query)}" + ("&past=1" if past else ""))
    return {"status": response.status, **response.json()}


def test_dang_finds_every_form_and_dang_with_marks_only_its_letters(server, built):
    loose, exact = _search(server, "dang"), _search(server, "Đảng")
    assert loose["total"] == count_in_the_text(built["db"], "dang", exact=False)
    assert exact["total"] == count_in_the_text(built["db"], "Đảng", exact=True)
    assert 0 < exact["total"] < loose["total"]
    page = fetch(f"{server}/-/search?q={quote('Đảng')}").text
    assert f'data-total="{exact["total"]}"' in page


def test_hits_show_a_snippet_with_the_words_marked(server, built):
    result = _search(server, "xây dựng Đảng")
    marked = [p["text"] for hit in result["hits"] for p in hit["snippet"] if p["match"]]
    assert marked and all(fold_key(m) in ("xay", "dung", "dang") for m in marked)
    page = fetch(f"{server}/-/search?q={quote('xây dựng Đảng')}").text
    assert "<mark>Đảng</mark>" in page and 'class="hepza-snippet"' in page


@pytest.mark.parametrize("query", ['"', "AND", "*"])
def test_a_bad_query_gets_a_sentence_not_invalid_sql(server, query):
    page = fetch(f"{server}/-/search?q={quote(query)}")
    assert page.status == 200
    assert 'id="search-error"' in page.text and "holds no word to search for" in page.text
    assert "Invalid SQL" not in page.text and "fts5" not in page.text
    assert _search(server, query)["status"] == 400
    # The articles table's own search box sends such a query to the search page, not to an SQL error.
    table = fetch(f"{server}/{DATABASE}/articles?_search={quote(query)}")
    assert table.status == 200 and "holds no word to search for" in table.text


def test_past_versions_find_the_title_the_agency_changed(server, built):
    old_title = f'"{built["old_title"]}"'
    now = [h["id"] for h in _search(server, old_title)["hits"]]
    assert built["edited_id"] not in now
    past = _search(server, old_title, past=True)
    [hit] = [h for h in past["hits"] if h["id"] == built["edited_id"]]
    assert (hit["version"], hit["in_current"]) == (1, False)
    page = fetch(f"{server}/-/search?q={quote(old_title)}&past=1").text
    assert "no longer in the current text" in page
