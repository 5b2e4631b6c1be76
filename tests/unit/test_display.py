"""What people read: times in Vietnam time with the zone named, URLs decoded, names not JSON, our pages'
two languages (archive/datasette/display.py, i18n.py)."""

from __future__ import annotations

import re

import pytest

from archive.articles import KIND_EDIT, KIND_EXTRACTION, KIND_FIRST, KIND_REPROCESS
from archive.changefeed import KIND_LABELS
from archive.datasette import TEMPLATES, i18n
from archive.datasette.diff_views import NOTE_MEANINGS
from archive.datasette.display import display_url, name_list, names, vn_time
from archive.export import JSON_COLUMNS, json_row
from archive.significance import WEIGHTS


@pytest.mark.parametrize(
    "stored,vi,en",
    [
        # the site's own offset: the wall clock as printed on the portal
        (
            "2026-12-02T14:05:00+07:00",
            "02/12/2026 14:05 (giờ Việt Nam, UTC+7)",
            "02/12/2026 14:05 (Vietnam time, UTC+7)",
        ),
        # a UTC capture time late in the evening is the next morning in Vietnam: the day changes too
        (
            "2026-12-31T20:30:15+00:00",
            "01/01/2027 03:30 (giờ Việt Nam, UTC+7)",
            "01/01/2027 03:30 (Vietnam time, UTC+7)",
        ),
        (
            "2026-02-28T17:00:00Z",
            "01/03/2026 00:00 (giờ Việt Nam, UTC+7)",
            "01/03/2026 00:00 (Vietnam time, UTC+7)",
        ),
        (
            "2026-12-02T06:59:59.123456+00:00",
            "02/12/2026 13:59 (giờ Việt Nam, UTC+7)",
            "02/12/2026 13:59 (Vietnam time, UTC+7)",
        ),
        # another offset is converted, not relabelled
        (
            "2026-06-01T09:00:00+02:00",
            "01/06/2026 14:00 (giờ Việt Nam, UTC+7)",
            "01/06/2026 14:00 (Vietnam time, UTC+7)",
        ),
        # a day alone is a day; what says no zone is shown as stored, not guessed
        ("2026-12-02", "02/12/2026", "02/12/2026"),
        ("2026-12-02T14:05:00", "2026-12-02T14:05:00", "2026-12-02T14:05:00"),
        ("hôm qua", "hôm qua", "hôm qua"),
        ("", "", ""),
        (None, "", ""),
    ],
)
def test_times_read_in_vietnam_time_with_the_zone_named(stored, vi, en):
    assert vn_time(stored, "vi") == vi
    assert vn_time(stored, "en") == en


def test_a_table_cell_names_the_zone_briefly():
    assert vn_time("2026-12-31T20:30:15+00:00", zone="short") == "01/01/2027 03:30 UTC+7"


@pytest.mark.parametrize(
    "url,shown",
    [
        (
            "https://hepza.hochiminhcity.gov.vn/w/th%C3%B4ng-tin-v%E1%BB%81-h%E1%BB%99i-ngh%E1%BB%8B",
            "https://hepza.hochiminhcity.gov.vn/w/thông-tin-về-hội-nghị",
        ),
        ("https://h/w/%c4%90%e1%ba%a3ng-%e1%bb%a7y", "https://h/w/Đảng-ủy"),  # lower-case codes
        # NFD-typed letters are shown composed
        ("https://h/w/d%C6%B0%CC%A3-an", "https://h/w/dự-an"),
        # ASCII codes keep their meaning: an encoded / ? & % stays encoded
        ("https://h/w/a%2Fb%3Fc%26d%25e", "https://h/w/a%2Fb%3Fc%26d%25e"),
        # a space, an invisible or a direction mark cannot hide in what is shown
        ("https://h/w/a%20b%E2%80%AEc%C2%A0d", "https://h/w/a%20b%E2%80%AEc%C2%A0d"),
        # bytes that are not UTF-8 stay as they are
        ("https://h/w/%FF%FEx-%C3", "https://h/w/%FF%FEx-%C3"),
        ("https://h/w/đã-là-unicode/", "https://h/w/đã-là-unicode/"),
        ("https://h/tim?q=x%C3%A2y+d%E1%BB%B1ng&utm_source=fb", "https://h/tim?q=xây+dựng&utm_source=fb"),
    ],
)
def test_urls_are_shown_with_their_letters(url, shown):
    assert display_url(url) == shown


@pytest.mark.parametrize(
    "stored,shown",
    [
        ('["Minh Anh", "Thu Hà"]', "Minh Anh, Thu Hà"),
        ('["Nguyễn Văn A"]', "Nguyễn Văn A"),
        ("[]", ""),
        (["Lan"], "Lan"),
        (None, ""),
        ('[{"src": "a.jpg"}]', '[{"src": "a.jpg"}]'),  # not a list of names: as stored
        ("Ban biên tập", "Ban biên tập"),
        ("[không phải JSON", "[không phải JSON"),
    ],
)
def test_names_read_as_names(stored, shown):
    assert names(stored) == shown


def test_only_a_list_of_strings_is_a_list_of_names():
    assert name_list('["a", "b"]') == ["a", "b"]
    assert name_list('["a", 1]') is None and name_list("{}") is None and name_list(3) is None


def test_json_lines_rows_have_lists_where_the_archive_stores_json():
    row = json_row({"id": 1, "authors": '["Minh Anh"]', "images": '[{"src": "a.jpg"}]', "title": '["x"]'})
    assert row == {"id": 1, "authors": ["Minh Anh"], "images": [{"src": "a.jpg"}], "title": '["x"]'}
    assert json_row({"authors": "not json"}) == {"authors": "not json"}


def test_every_column_the_metadata_calls_a_json_list_is_decoded():
    import yaml

    from archive.datasette import METADATA

    tables = yaml.safe_load(METADATA.read_text(encoding="utf-8"))["databases"]["hepza"]["tables"]
    described = {
        column
        for table in tables.values()
        for column, text in (table.get("columns") or {}).items()
        if "JSON list" in str(text)
    }
    assert described and described <= JSON_COLUMNS, described - JSON_COLUMNS


@pytest.mark.parametrize(
    "query,cookie,accept,lang",
    [
        ("", "", "", i18n.DEFAULT),
        ("lang=vi", "", "", "vi"),
        ("lang=en", "hepza_lang=vi", "vi", "en"),  # the link chosen wins
        ("", "hepza_lang=vi", "en-US,en", "vi"),  # then the choice remembered
        ("", "", "vi-VN,vi;q=0.9,en;q=0.8", "vi"),  # then the browser's language
        ("", "", "fr-FR,en;q=0.5", "en"),
        ("lang=fr", "hepza_lang=xx", "de", i18n.DEFAULT),  # nothing known: the default
        ("", 'bad"cookie;;=', "", i18n.DEFAULT),
    ],
)
def test_the_reader_chooses_the_language(query, cookie, accept, lang):
    assert i18n.choose(query, cookie, accept) == lang


def test_every_text_our_templates_ask_for_has_a_vietnamese_translation():
    asked = set()
    # (the templates, and the menu plugin.py gives every page)
    for template in [*TEMPLATES.glob("*.html"), TEMPLATES.parent / "plugin.py"]:
        text = template.read_text(encoding="utf-8")
        asked |= set(re.findall(r"""\bt\(\s*"((?:[^"\\]|\\.)*)"\s*[,)]""", text))
        asked |= set(re.findall(r"""\bt\(\s*'((?:[^'\\]|\\.)*)'\s*[,)]""", text))
        asked |= set(re.findall(r"""\bt\(\s*"((?:[^"\\]|\\.)*)"\s+if\b""", text))
        asked |= set(re.findall(r"""\belse\s+"((?:[^"\\]|\\.)*)"\s*,\s*n=""", text))
    assert len(asked) > 40
    # texts the pages get from Python and translate at render time: the desk's kinds, the diff's notes
    asked |= set(KIND_LABELS.values()) | set(NOTE_MEANINGS) | set(NOTE_MEANINGS.values())
    asked |= {KIND_FIRST, KIND_EDIT, KIND_EXTRACTION, KIND_REPROCESS}  # the kinds of version
    missing = sorted(asked - set(i18n.MESSAGES))
    assert set(i18n.FACTORS_VI) == set(WEIGHTS)  # every factor of significance named in Vietnamese
    assert not missing, missing
    t = i18n.translator("vi")
    assert (
        t("{n} versions", n=3) == "3 phiên bản" and i18n.translator("en")("{n} versions", n=3) == "3 versions"
    )
