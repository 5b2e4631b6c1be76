"""Portal profiles: the shipped ones load, and every kind of bad profile is one line naming file and key."""

from pathlib import Path

import pytest

from archive.profiles import HINT_KEYS, KEYS, ProfileError, load_profile, load_profiles

SHIPPED = Path(__file__).resolve().parents[2] / "portals"


def test_the_shipped_profiles_load_and_only_hepza_is_enabled():
    profiles = load_profiles(SHIPPED)
    assert "hepza" in [p.name for p in profiles]
    assert [p.name for p in profiles if p.enabled] == ["hepza"]
    for profile in profiles:
        assert profile.seen, f"{profile.path} says nothing of what was seen"


def test_a_profile_gives_its_portals_settings_and_archive(tmp_path):
    path = tmp_path / "city.toml"
    path.write_text(
        'origin = "https://hochiminhcity.gov.vn/"\ndelay = 2\nconcurrency = 1\n'
        '[hints]\ndate_formats = ["%H:%M | %d/%m/%Y"]\n[hints.selectors]\ntitle = "h1.title"\n',
        encoding="utf-8",
    )
    profile = load_profile(path)
    values = profile.setting_values(tmp_path / "archives")
    assert values["site_url"] == "https://hochiminhcity.gov.vn"  # (the trailing slash dropped)
    assert values["db"] == str(tmp_path / "archives" / "city.db")
    assert values["delay"] == 2.0 and isinstance(values["delay"], float)
    assert profile.hints.as_setting()["selectors"] == {"title": "h1.title"}


BAD = [
    ("no origin", "delay = 1\n", "origin: missing"),
    ("origin with a path", 'origin = "https://a.gov.vn/web/guest"\n', "origin: must be an origin only"),
    ("origin not http", 'origin = "ftp://a.gov.vn"\n', "origin: must be an http(s) origin"),
    ("unknown key", 'origin = "https://a.gov.vn"\nspeed = 3\n', "unknown key 'speed'"),
    ("negative delay", 'origin = "https://a.gov.vn"\ndelay = -1\n', "delay: must be a number of at least 0"),
    ("delay as text", 'origin = "https://a.gov.vn"\ndelay = "1"\n', "delay: must be a number"),
    ("zero concurrency", 'origin = "https://a.gov.vn"\nconcurrency = 0\n', "concurrency: must be a whole"),
    ("boolean concurrency", 'origin = "https://a.gov.vn"\nconcurrency = true\n', "concurrency: must be"),
    ("enabled as text", 'origin = "https://a.gov.vn"\nenabled = "yes"\n', "enabled: must be true or false"),
    (
        "bad zone",
        'origin = "https://a.gov.vn"\ntimezone = "Asia/Saigon City"\n',
        "timezone: 'Asia/Saigon City'",
    ),
    ("bad schedule", 'origin = "https://a.gov.vn"\nrecheck_schedule = "soon"\n', "recheck_schedule: is not"),
    ("bad locale", 'origin = "https://a.gov.vn"\nlocales = ["vietnamese"]\n', "locales: 'vietnamese'"),
    ("empty locales", 'origin = "https://a.gov.vn"\nlocales = []\n', "locales: must name at least one"),
    ("bad name", 'origin = "https://a.gov.vn"\nname = "Sở Tư pháp"\n', "name: must be lowercase"),
    (
        "bad regex",
        'origin = "https://a.gov.vn"\n[hints]\narticle_routes = ["/w/("]\n',
        "hints.article_routes:",
    ),
    ("bad selector", 'origin = "https://a.gov.vn"\n[hints.selectors]\ntitle = "h1[["\n', "title: 'h1[['"),
    (
        "unknown role",
        'origin = "https://a.gov.vn"\n[hints.selectors]\nauthor = ".a"\n',
        "unknown role(s) author",
    ),
    ("unknown hint", 'origin = "https://a.gov.vn"\n[hints]\nsitemap = "/s.xml"\n', "hints.sitemap: unknown"),
    ("date format without year", 'origin = "https://a.gov.vn"\n[hints]\ndate_formats = ["%d/%m"]\n', "year"),
    ("hints not a table", 'origin = "https://a.gov.vn"\nhints = 3\n', "hints: must be a table"),
    ("not TOML", 'origin = "https://a.gov.vn\n', "not valid TOML"),
    ("unknown note", 'origin = "https://a.gov.vn"\n[notes]\nguessed = ["x"]\n', "notes.guessed: unknown"),
]


@pytest.mark.parametrize(("case", "text", "problem"), BAD, ids=[b[0] for b in BAD])
def test_a_bad_profile_is_one_line_naming_the_file_and_the_key(tmp_path, case, text, problem):
    path = tmp_path / "portal.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    assert problem in message
    assert "\n" not in message


def test_a_profile_not_in_utf8_is_refused_in_one_line(tmp_path):
    path = tmp_path / "portal.toml"
    path.write_bytes('origin = "https://a.gov.vn"\n# Tư pháp\n'.encode("cp1258"))
    with pytest.raises(ProfileError, match="not UTF-8"):
        load_profile(path)


def test_two_profiles_of_one_name_are_refused(tmp_path):
    (tmp_path / "a.toml").write_text('origin = "https://a.gov.vn"\nname = "same"\n', encoding="utf-8")
    (tmp_path / "b.toml").write_text('origin = "https://b.gov.vn"\nname = "same"\n', encoding="utf-8")
    with pytest.raises(ProfileError, match="'same' is also"):
        load_profiles(tmp_path)


def test_every_key_is_documented_in_docs_portals():
    doc = (SHIPPED.parent / "docs" / "portals.md").read_text(encoding="utf-8")
    for key in [*KEYS, *(f"hints.{k}" for k in HINT_KEYS), "notes.seen", "notes.inferred"]:
        assert f"`{key}`" in doc, key
