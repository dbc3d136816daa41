"""Every page, driven through the real entry point with AppTest, on the demo data and on an
empty database; key figures and chart counts checked against the data layer."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from klynge import metrics, queries
from klynge.queries import Filter
from klynge.store.engine import ensure_schema, make_engine
from klynge.store.importer import load_demo
from klynge.summary import level_figures
from klynge.ui import format as fmt
from klynge.ui.catalogue_nb import NB
from klynge.ui.components import sections_key
from klynge.ui.pages import PAGES
from klynge.ui.texts import CATALOGUES, CHOSEN_KEY
from tests.conftest import REPO_ROOT

DASHBOARD = str(REPO_ROOT / "dashboard.py")
PAGE_PATHS = [page.path for page in PAGES]
# Charts each page draws on the demo data with no filter; a page with sections (tabs drawn
# only when open) draws those of the open section alone, first the one it opens on.
CHARTS_PER_PAGE: dict[str, int | dict[str, int]] = {
    "pages/oversikt.py": {"trend": 1, "clusters": 0, "map": 1},
    "pages/medlemmer.py": {"levels": 1, "composition": 2, "five_point": 0, "partners_gender": 3},
    "pages/aktiviteter.py": {"levels": 2, "years": 3, "ranking": 1},
    "pages/finansiering.py": {"levels": 2, "years": 2, "leverage": 1, "projects": 2},
    "pages/internasjonalt.py": {"levels": 2, "years": 4, "descriptions": 0},
    "pages/klyngeprofil.py": 9,  # the largest cluster until one is chosen: eight figures and its members
    "pages/maloppnaelse.py": 7,  # one per goal, a panel per indicator
    "pages/sammenlign.py": 10,  # the largest cluster and its peers (mature: no leverage) until some are chosen: the legend and nine figures
    "pages/utforsk.py": 1,  # the chart of the choice (members by level until chosen)
    "pages/kvalifisering.py": 0,
    "pages/datakvalitet.py": 0,
    "pages/ordliste.py": {"indicators": 0, "terms": 0, "rules": 0},
}


def charts_on_opening(page: str) -> int:
    """The charts `page` draws when it opens (its first section's, on a page with sections)."""
    counts = CHARTS_PER_PAGE[page]
    return counts if isinstance(counts, int) else next(iter(counts.values()))


# Pages whose tables can be downloaded with no choice made on the page.
TABLE_PAGES = list(PAGE_PATHS)


@pytest.fixture(scope="session")
def demo_url(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    engine = make_engine(f"sqlite:///{path}")
    ensure_schema(engine)
    load_demo(engine)
    engine.dispose()
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def empty_url(tmp_path_factory):
    path = tmp_path_factory.mktemp("empty") / "empty.db"
    engine = make_engine(f"sqlite:///{path}")
    ensure_schema(engine)
    engine.dispose()
    return f"sqlite:///{path}"


@pytest.fixture(autouse=True)
def clear_caches():
    st.cache_data.clear()
    st.cache_resource.clear()
    yield


def open_page(url: str, page: str, monkeypatch, **params) -> AppTest:
    monkeypatch.setenv("KLYNGE_DATABASE_URL", url)
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page != PAGE_PATHS[0]:
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def charts(at: AppTest) -> list:
    return list(at.get("arrow_vega_lite_chart")) + list(at.get("vega_lite_chart"))


def section_labels(at: AppTest) -> list[str]:
    """The labels of the page's sections (its tabs), in order; none on a page without."""
    return [tab.label for tab in at.tabs]


def open_section(at: AppTest, page: str, name: str) -> None:
    """Opens the section `name` (its code, e.g. "years") of `page` (its file, e.g.
    "pages/aktiviteter.py") as a reader's click on its tab would."""
    at.session_state[sections_key(Path(page).stem)] = CATALOGUES[at.session_state[CHOSEN_KEY]][f"tab.{name}"]
    at.run()
    assert not at.exception, [e.value for e in at.exception]


@pytest.mark.parametrize("page", PAGE_PATHS)
def test_every_page_renders_on_the_demo_data(page, demo_url, monkeypatch):
    at = open_page(demo_url, page, monkeypatch)
    assert len(at.title) == 1
    assert len(charts(at)) == charts_on_opening(page)
    # The synthetic data is labelled as such on every page.
    assert any("Demodata" in w.value for w in at.warning)
    sections = CHARTS_PER_PAGE[page]
    if isinstance(sections, dict):
        # Each section draws its own charts and none of the others'.
        assert section_labels(at) == [NB[f"tab.{name}"] for name in sections]
        for name, count in sections.items():
            open_section(at, page, name)
            assert len(charts(at)) == count, name
            assert len(at.title) == 1 and any("Demodata" in w.value for w in at.warning)


@pytest.mark.parametrize("page", PAGE_PATHS)
def test_every_page_explains_an_empty_database(page, empty_url, monkeypatch):
    at = open_page(empty_url, page, monkeypatch)
    assert len(charts(at)) == 0
    if page != "pages/ordliste.py":  # the glossary needs no data
        assert any("python -m klynge" in info.value for info in at.info)
    assert not any("Demodata" in w.value for w in at.warning)


@pytest.mark.parametrize("page", TABLE_PAGES)
def test_pages_with_tables_offer_csv_and_excel_downloads(page, demo_url, monkeypatch):
    at = open_page(demo_url, page, monkeypatch)
    if page == "pages/maloppnaelse.py":
        open_goal_details(at)
    labels = [button.proto.label for button in at.get("download_button")]
    assert labels.count("Last ned CSV") >= 1
    assert labels.count("Last ned CSV") == labels.count("Last ned Excel")


def open_goal_details(at: AppTest) -> None:
    """Opens every goal's details on Måloppnåelse (drawn only when opened)."""
    from klynge.indicators import GOALS

    for goal in GOALS:
        at.session_state[f"details-{goal.key}"] = True
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def number_in(cell) -> float:
    """A table cell as a number, whether the grid got the number or its Norwegian text."""
    if isinstance(cell, str):
        return float(cell.replace("\xa0MNOK", "").replace("\xa0", "").replace(" ", "").replace(",", ".").replace("−", "-"))
    return float(cell)


def test_overview_key_figures_match_the_data_layer(demo_url, monkeypatch):
    at = open_page(demo_url, PAGE_PATHS[0], monkeypatch, niva=["Arena", "Arena Pro"], fra="2022", til="2023")
    engine = make_engine(demo_url)
    flt = Filter(levels=("arena", "arena_pro"), years=(2022, 2023))
    expected = metrics.key_figures(level_figures(engine, flt), 2023)
    # The tiles: the two levels together, the change without colour (only some levels are chosen).
    shown = [(m.label, m.value, m.delta) for m in at.metric]
    assert len(shown) == len(metrics.KEY_FIGURES)
    both = expected.groupby("figure")[["value", "change"]].sum()
    assert shown[0] == ("Klynger", fmt.integer(both.loc["clusters", "value"]), fmt.metric_delta(both.loc["clusters", "change"]))
    assert shown[1] == ("Medlemmer", fmt.integer(both.loc["members_total", "value"]),
                        fmt.metric_delta(both.loc["members_total", "change"]))
    assert [m.proto.color for m in at.metric if m.delta] == [2] * sum(1 for m in at.metric if m.delta)  # grey
    # The table: one row per level, each figure as the data layer has it.
    table = at.dataframe[0].value.set_index("Nivå")
    for code, label in (("arena", "Arena"), ("arena_pro", "Arena Pro")):
        level = expected[expected["level"] == code].set_index("figure")
        assert number_in(table.loc[label, "Klynger"]) == level.loc["clusters", "value"]
        assert number_in(table.loc[label, "Medlemmer"]) == level.loc["members_total", "value"]
        assert number_in(table.loc[label, "Unike deltagere"]) == level.loc["activities_unique_participants", "value"]
        assert abs(number_in(table.loc[label, "Utløste midler"]) - level.loc["funding_triggered_mnok", "value"]) < 0.05


def test_query_parameters_set_the_filters(demo_url, monkeypatch):
    at = open_page(demo_url, PAGE_PATHS[0], monkeypatch, niva=["Moden klynge"], fra="2024", til="2024", fylke=["Vestland"])
    assert at.multiselect(key="niva").value == ["moden"]
    assert (at.selectbox(key="fra").value, at.selectbox(key="til").value) == (2024, 2024)
    assert at.multiselect(key="fylke").value == ["Vestland"]
    engine = make_engine(demo_url)
    clusters = queries.register_counts(engine, Filter(levels=("moden",), years=(2024, 2024), regions=("Vestland",)))
    open_section(at, PAGE_PATHS[0], "clusters")
    table = at.dataframe[-1].value  # the clusters, after the key figures per level
    assert len(table) == len(clusters) > 0


def test_an_unknown_query_parameter_value_is_ignored(demo_url, monkeypatch):
    at = open_page(demo_url, PAGE_PATHS[0], monkeypatch, niva=["<script>alert(1)</script>"], fra="1066")
    assert at.multiselect(key="niva").value == []
    assert at.selectbox(key="fra").value == queries.filter_options(make_engine(demo_url)).years[0]


def test_a_filter_that_matches_nothing_explains_itself(demo_url, monkeypatch):
    at = open_page(demo_url, PAGE_PATHS[1], monkeypatch, niva=["Tidligfase"], fylke=["Oslo"], sektor=["Tre"])
    assert any("Ingen rapporter passer" in info.value for info in at.info)
    assert len(charts(at)) == 0


def test_every_section_of_the_members_page_explains_a_filter_that_matches_nothing(demo_url, monkeypatch):
    """Each section reads what it shows (the five-point model the register, the others the
    year's reports), and each says so when the filter selects nothing."""
    page = "pages/medlemmer.py"
    at = open_page(demo_url, page, monkeypatch, niva=["Tidligfase"], fylke=["Oslo"], sektor=["Tre"])
    for name in CHARTS_PER_PAGE[page]:
        open_section(at, page, name)
        assert any("Ingen rapporter passer" in info.value for info in at.info), name
        assert len(charts(at)) == 0, name


def test_profile_shows_one_cluster_against_its_level(demo_url, monkeypatch):
    engine = make_engine(demo_url)
    cluster_id, name = queries.filter_options(engine).clusters[0]
    at = open_page(demo_url, "pages/klyngeprofil.py", monkeypatch, profil=name)
    assert at.header[0].value.replace("\\", "") == name
    history = queries.cluster_history(engine, cluster_id)
    # 8 figures beside the level median, and members by type.
    assert len(charts(at)) == 9
    figures_table = at.dataframe[1].value
    assert list(figures_table["År"]) == list(history["report_year"])


def test_qualification_shows_each_cluster_against_the_data_layers_assessment(demo_url, monkeypatch):
    from klynge import qualification

    at = open_page(demo_url, "pages/kvalifisering.py", monkeypatch, fra="2024", til="2024", mot="Arena Pro")
    engine = make_engine(demo_url)
    flt = Filter(years=(2024, 2024))
    facts = qualification.cluster_facts(queries.register_counts(engine, flt, qualification.BESIDE_REGISTER))
    rules = queries.rules(engine)
    expected = qualification.assess(facts, rules, 2024, ("arena_pro",))
    tables = [frame.value for frame in at.dataframe]
    matrix = tables[-1].set_index("Klynge")
    assert len(matrix) == facts["cluster_id"].nunique()
    outcome = qualification.outcomes(expected).set_index("cluster")["outcome"]
    words = {qualification.READY: "Klar", qualification.CHECK: "Sjekkes", qualification.NOT_READY: "Ikke klar"}
    for cluster, row in matrix.iterrows():
        assert row["Vurdering"] == words[outcome[cluster]]
    core = expected[expected["criterion"] == "core_companies"].set_index("cluster")
    for cluster, row in matrix.iterrows():
        status = core.loc[cluster]
        cell = row["Kjernemedlemsbedrifter"]
        if status["status"] == qualification.MET:
            assert cell == f"✓ {int(status['actual'])}"
        elif status["status"] == qualification.MISSED:
            assert cell == f"✗ {int(status['actual'])} (mangler {int(status['gap'])})"
        else:
            assert cell == "? mangler data"
    assessment = qualification.assess(facts, rules, 2024)
    ready, check = qualification.ready_for_next_level(assessment), qualification.to_check(assessment)
    assert set(tables[1]["Klynge"]) == set(ready["cluster"]) and len(ready) > 0
    assert set(tables[2]["Klynge"]) == set(check["cluster"]) and len(check) > 0


def test_data_quality_follows_the_jump_factor_in_the_url(demo_url, monkeypatch):
    from klynge import quality

    engine = make_engine(demo_url)
    jumps = []
    for factor in (2, 10):
        st.cache_data.clear()
        at = open_page(demo_url, "pages/datakvalitet.py", monkeypatch, faktor=str(factor))
        findings = quality.findings(engine, Filter(), factor)
        tiles = {m.label: m.value for m in at.metric}
        assert tiles["Store hopp"] == str(int((findings["kind"] == "jump").sum()))
        assert tiles["Manglende rapporter"] == str(int((findings["kind"] == "missing_report").sum()))
        jumps.append(int((findings["kind"] == "jump").sum()))
    assert jumps[0] > jumps[1]  # the factor took effect


def test_compare_keeps_the_chosen_clusters_in_the_url(demo_url, monkeypatch):
    engine = make_engine(demo_url)
    names = [name for _, name in queries.filter_options(engine).clusters[:3]]
    at = open_page(demo_url, "pages/sammenlign.py", monkeypatch, sammenlign=names)
    assert [at.multiselect(key="sammenlign").format_func(v) for v in at.multiselect(key="sammenlign").value] == names
    assert len(charts(at)) == 11  # the legend of the clusters and ten figures
    table = at.dataframe[0].value
    assert set(table["Klynge"]) == set(names)


def test_goal_attainment_shows_every_goal_with_its_indicators_defined(demo_url, monkeypatch):
    from klynge.indicators import GOALS
    from klynge.ui.catalogue_nb import NB

    at = open_page(demo_url, "pages/maloppnaelse.py", monkeypatch)
    subheaders = [h.value for h in at.subheader]
    assert subheaders == [NB[f"goal.{goal.key}"] for goal in GOALS]
    # The details of a goal (definitions and table) are drawn when opened, not before.
    captions = {c.value for c in at.caption}
    assert not any(NB[f"definition.{key}"] in captions for goal in GOALS for key in goal.indicators)
    assert len(at.dataframe) == 0
    open_goal_details(at)
    captions = {c.value for c in at.caption}
    for goal in GOALS:
        for key in goal.indicators:
            assert NB[f"definition.{key}"] in captions
    assert len(at.dataframe) == len(GOALS)


def test_glossary_lists_every_indicator(demo_url, monkeypatch):
    from klynge.indicators import INDICATORS
    from klynge.ui.catalogue_nb import NB

    at = open_page(demo_url, "pages/ordliste.py", monkeypatch)
    shown = " ".join(m.value for m in at.markdown)
    for indicator in INDICATORS:
        assert NB[f"figure.{indicator.key}"] in shown and NB[f"definition.{indicator.key}"] in shown
