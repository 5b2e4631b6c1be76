"""The replica's data files and templates (replica/data, replica/templates): checked on loading, every
template used and filled, and a broken file refused with a message that says what is wrong."""

import copy

import pytest

from replica import Site, app, chrome, corpus, faults, files, portal_names, validate
from replica.portal import CATEGORIES

HOST = "127.0.0.1:8000"


def test_shipped_data_files_have_no_problems() -> None:
    assert validate.check_corpus(files.data("corpus"), CATEGORIES) == []
    assert validate.check_phrases(files.data("phrases"), CATEGORIES) == []
    assert validate.check_portal(files.data("portal")) == []
    assert len(corpus.build()) == len(files.data("corpus")["articles"])


def _broken(name: str, damage) -> dict:
    doc = copy.deepcopy(files.data(name))
    damage(doc)
    return doc


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        (lambda d: d["articles"][3].update(category="tin-tuc"), "unknown category 'tin-tuc'"),
        (lambda d: d["articles"][0].update(date_line="08/03/2023 10:56"), "is not HH:MM DD/MM/YYYY"),
        (lambda d: d["articles"][1]["blocks"].append({"para": "x"}), "block 4 must have one of"),
        (lambda d: d["articles"][4].update(event="2025-13-01"), "is not an ISO date"),
        (lambda d: d["articles"][2].update(event_precision="week"), "event precision 'week'"),
        (lambda d: d["articles"][5].update(byline_html="<p>x</p>"), "both byline and byline_html"),
        (lambda d: d["articles"][6].update(autor="x"), "unknown key 'autor'"),
        (lambda d: d["articles"][9]["blocks"].append({"figure": "a.jpg"}), "figure without a caption"),
    ],
)
def test_a_broken_corpus_is_refused_naming_the_article(damage, problem, monkeypatch) -> None:
    broken = _broken("corpus", damage)
    problems = validate.check_corpus(broken, CATEGORIES)
    assert len(problems) == 1 and problem in problems[0] and problems[0].startswith("article ")
    monkeypatch.setattr(files, "data", lambda name: broken)
    with pytest.raises(validate.DataError, match="replica/data/corpus.json: article"):
        validate.loaded("corpus", lambda doc: validate.check_corpus(doc, CATEGORIES))


def test_broken_phrases_and_portal_are_refused() -> None:
    def unknown_field(d: dict) -> None:
        d["topics"][0]["more"][0] += " {zone_name}"

    assert validate.check_phrases(_broken("phrases", unknown_field), CATEGORIES) == [
        "topic 0: unknown field {zone_name}"
    ]
    wrong_category = _broken("phrases", lambda d: d["topics"][2].update(category="news"))
    assert validate.check_phrases(wrong_category, CATEGORIES) == ["topic 2: unknown category 'news'"]
    one_writer = _broken("phrases", lambda d: d.update(writers=["Minh Trí"]))
    assert validate.check_phrases(one_writer, CATEGORIES) == ["writers: a byline names two writers"]
    menu = _broken("portal", lambda d: d["menu"].append("tin-tuc"))
    assert validate.check_portal(menu) == ["menu: unknown page 'tin-tuc'"]
    labels = _broken("portal", lambda d: d["labels"]["en"].pop("share"))
    assert validate.check_portal(labels) == ["labels: vi and en must have the same words"]


def test_a_template_is_filled_with_exactly_its_placeholders() -> None:
    template = files.Template("t.html", "<p>{{ title }}</p>{{ body }}{ not_a_placeholder }")
    assert template.names == {"title", "body"}
    assert template.fill(title="A", body="B") == "<p>A</p>B{ not_a_placeholder }"
    with pytest.raises(KeyError, match=r"missing \['body'\], unknown \[\]"):
        template.fill(title="A")
    with pytest.raises(KeyError, match=r"missing \[\], unknown \['extra'\]"):
        template.fill(title="A", body="B", extra="C")


def test_every_template_is_used_and_filled(monkeypatch) -> None:
    """Rendering a page of every kind fills every page and chrome template (a placeholder the code does not
    fill, or a value the template lost, raises); the fault pages are filled when replica.faults loads."""
    used: set[str] = set()
    fill = files.Template.fill

    def recording(self: files.Template, **values: str) -> str:
        used.add(self.name)
        return fill(self, **values)

    monkeypatch.setattr(files.Template, "fill", recording)
    for cached in (chrome._texts, chrome._blocks, chrome._mobile_menu):
        cached.cache_clear()
    try:
        for layout in ("liferay", "redesigned"):
            site = Site(articles=80, seed=4)
            site.redesign(layout)
            a = site.live()[0]
            for target in (a.url, "/en" + a.url, "/", "/tin-tuc-su-kien", "/dau-tu", "/lien-he", "/nowhere"):
                status, _, body = app.handle(site, "GET", target, {"host": HOST})
                assert status in (200, 404) and body.endswith(b"</html>\n")
            # The other portals' templates (replica/portals.py), every page kind of each.
            for name in portal_names()[1:]:
                other = Site(articles=120, portal=name)
                other.redesign(layout)
                b = other.live()[0]
                lists = [c.path for c in other.categories.values()]
                for target in (other.url_of(b), "/", *lists, "/nowhere"):
                    status, _, body = app.handle(other, "GET", target, {"host": HOST})
                    assert status in (200, 404) and body.endswith(b"</html>\n")
    finally:
        for cached in (chrome._texts, chrome._blocks, chrome._mobile_menu):
            cached.cache_clear()
    assert faults.MAINTENANCE_PAGE == files.template("fault-maintenance.html").fill()
    assert faults.LOGIN_PAGE == files.template("fault-login.html").fill()
    assert faults.BANNER_ASSET_ID in faults.BANNER_PORTLET
    used |= {"fault-maintenance.html", "fault-login.html", "fault-banner.html"}
    assert used == set(files.template_names())
