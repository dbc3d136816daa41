"""A theme page's sections (tabs drawn only when open): which one a page opens on, that a
language switch keeps the open one, and that another page opens on its own first section."""

from __future__ import annotations

from klynge.ui.catalogue_en import EN
from klynge.ui.catalogue_nb import NB
from klynge.ui.components import sections_key
from klynge.ui.texts import CHOSEN_KEY
from tests.test_pages import charts, demo_url, open_page, open_section, section_labels  # noqa: F401 - the demo database is shared

ACTIVITIES = "pages/aktiviteter.py"
INTERNATIONAL = "pages/internasjonalt.py"


def open_label(at, page: str) -> str:
    """The label of the open section of `page`, as its tabs hold it."""
    return at.session_state[sections_key(page.removeprefix("pages/").removesuffix(".py"))]


def switch_language(at, language: str) -> None:
    """What the sidebar's language switch does (AppTest loses the sidebar after a first run)."""
    at.session_state[CHOSEN_KEY] = language
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def controls(at) -> list[str]:
    return [control.key for control in at.segmented_control]


def test_a_page_opens_on_its_levels_and_the_reader_can_open_another(demo_url, monkeypatch):
    at = open_page(demo_url, ACTIVITIES, monkeypatch)
    assert section_labels(at) == [NB["tab.levels"], NB["tab.years"], NB["tab.ranking"]]
    assert open_label(at, ACTIVITIES) == NB["tab.levels"]
    assert "rangering" not in controls(at)  # the ranking's choice is not drawn while its section is closed
    open_section(at, ACTIVITIES, "ranking")
    assert open_label(at, ACTIVITIES) == NB["tab.ranking"]
    assert "rangering" in controls(at)


def test_a_language_switch_keeps_the_open_section(demo_url, monkeypatch):
    at = open_page(demo_url, ACTIVITIES, monkeypatch)
    open_section(at, ACTIVITIES, "years")
    years_charts = len(charts(at))
    switch_language(at, "en")
    assert section_labels(at) == [EN["tab.levels"], EN["tab.years"], EN["tab.ranking"]]
    assert open_label(at, ACTIVITIES) == EN["tab.years"]
    assert len(charts(at)) == years_charts
    switch_language(at, "nb")
    assert open_label(at, ACTIVITIES) == NB["tab.years"]


def test_a_link_that_searches_the_descriptions_opens_on_them(demo_url, monkeypatch):
    at = open_page(demo_url, INTERNATIONAL, monkeypatch, sok="messe")
    assert open_label(at, INTERNATIONAL) == NB["tab.descriptions"]
    assert at.text_input(key="sok").value == "messe"
    ranked = open_page(demo_url, ACTIVITIES, monkeypatch, rangering="activities_unique_participants")
    assert open_label(ranked, ACTIVITIES) == NB["tab.ranking"]


def test_another_page_opens_on_its_own_first_section(demo_url, monkeypatch):
    """Both pages have a section called "over the years"; the one open on the first does not
    carry over to the second."""
    at = open_page(demo_url, ACTIVITIES, monkeypatch)
    open_section(at, ACTIVITIES, "years")
    at.switch_page(INTERNATIONAL).run()
    assert not at.exception
    assert open_label(at, INTERNATIONAL) == NB["tab.levels"]
