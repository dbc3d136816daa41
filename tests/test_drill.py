"""Drill-down (klynge/ui/drill.py): what Streamlit sends back of a click becomes a pick, a
pick takes the reports behind it, worked out by hand on the hand-made programme; the charts
that can be picked from name fields their data have; the list under the charts shows the
rows and can be cleared. tests/browser/test_drill.py clicks the marks in Chromium."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from klynge.ui import charts, cluster_charts, drill, level_charts
from klynge.ui.drill import Pick
from klynge.ui.level_charts import Figure
from tests.test_level_comparison import hand, reports_of  # noqa: F401 - the hand-made programme

# --- what a click sends back (shapes seen from Streamlit 1.67 in Chromium) ---


def test_a_dot_picks_its_cluster_and_a_median_its_level():
    # A click on a dot: its cluster; the medians' selection, cleared by the click, is empty.
    assert Pick.of({"klynger": [{"cluster_id": 4}], "nivaer": {}}) == Pick(((("cluster_id", 4),),))
    # A click on a median: the dots' selection holds a mark without fields.
    assert Pick.of({"klynger": [{}], "nivaer": [{"level": "arena"}]}) == Pick(((("level", "arena"),),))
    # A bar: its level and year; a shift-click adds a second one; nothing picked is no pick.
    assert Pick.of({"aar": [{"level": "arena", "report_year": 2024}, {"report_year": 2023, "level": "moden"}]}).marks == (
        (("level", "arena"), ("report_year", 2024)), (("level", "moden"), ("report_year", 2023)))
    assert not Pick.of({"klynger": {}, "nivaer": {}}) and not Pick.of({}) and not Pick()
    # Fields that are not a cluster, level or year are not picked by.
    assert Pick.of({"aar": [{"level": "arena", "vlPoint": {"or": []}}]}) == Pick(((("level", "arena"),),))


def test_picks_of_two_charts_together_hold_each_mark_once():
    arena = Pick(((("level", "arena"),),))
    alfa = Pick(((("cluster_id", 1),),))
    assert (arena | alfa | arena).marks == ((("level", "arena"),), (("cluster_id", 1),))


def _both_years(engine) -> pd.DataFrame:
    return pd.concat([reports_of(engine, 2023), reports_of(engine, 2024)], ignore_index=True)


def _picked(rows: pd.DataFrame, figure: str = "members_total") -> list[tuple]:
    return sorted(zip(rows["cluster"], rows["report_year"], rows[figure]))


def test_a_level_in_a_year_takes_the_reports_of_that_level_that_year(hand):  # noqa: F811
    reports = _both_years(hand)
    # Arena in 2023: Alfa (Arena 2021-2023), Delta, Epsilon and Theta; not Alfa's 2024 report
    # (Arena Pro by then), nor Zeta (early stage) or Eta (outside the programme).
    arena_2023 = Pick(((("level", "arena"), ("report_year", 2023)),))
    assert _picked(arena_2023.rows(reports)) == [("Alfa", 2023, 35), ("Delta", 2023, 18), ("Epsilon", 2023, 25),
                                                 ("Theta", 2023, 50)]
    # And Arena Pro in 2024 beside it (a shift-click): Alfa and Beta; the sum is the bar's.
    both = arena_2023 | Pick(((("level", "arena_pro"), ("report_year", 2024)),))
    rows = both.rows(reports)
    assert _picked(rows) == [("Alfa", 2023, 35), ("Alfa", 2024, 40), ("Beta", 2024, 60), ("Delta", 2023, 18),
                             ("Epsilon", 2023, 25), ("Theta", 2023, 50)]
    assert _picked(rows, "funding_national_mnok")[1][2] == 10.0
    assert both.rows(reports)["funding_triggered_mnok"].sum() == pytest.approx(4.0 + 12.0 + 20.5 + 2.0 + 4.0 + 3.0)


def test_a_cluster_takes_its_reports_and_a_level_alone_every_year(hand):  # noqa: F811
    reports = _both_years(hand)
    assert _picked(Pick(((("cluster_id", 1),),)).rows(reports)) == [("Alfa", 2023, 35), ("Alfa", 2024, 40)]
    # On one year's reports (the distribution), a level is that year's.
    assert _picked(Pick(((("level", "arena"),),)).rows(reports_of(hand, 2024))) == [
        ("Delta", 2024, 20), ("Epsilon", 2024, 30), ("Theta", 2024, 44)]
    # A mark matching nothing in the frame takes nothing.
    assert Pick(((("level", "moden"), ("report_year", 2019)),)).rows(reports).empty


def test_a_pick_is_described_by_its_levels_and_years_or_its_clusters_names():
    assert Pick(((("level", "arena"), ("report_year", 2024)), (("level", "moden"), ("report_year", 2023)))).describe({}) == \
        "Arena 2024; Moden klynge 2023"
    assert Pick(((("cluster_id", 1),), (("cluster_id", 2),))).describe({1: "Alfa", 2: "Beta"}) == "Alfa; Beta"
    assert Pick(((("cluster_id", 9),),)).describe({}) == "–"  # a cluster the filter no longer has


# --- the charts' selections ---

def _layers_with_data(spec: dict) -> list[tuple[dict, pd.DataFrame]]:
    """Each unit of a spec whose datasets are frames (or an Altair chart's, as records), with its data."""
    datasets = spec["datasets"]
    units = spec.get("layer", [spec])
    return [(unit, pd.DataFrame(datasets[(unit.get("data") or spec["data"])["name"]])) for unit in units]


def _pickable(spec: dict) -> dict[str, tuple[list[str], list[str]]]:
    """Each selection: the layers whose marks a click picks from, and its fields."""
    found = {}
    for unit in spec.get("layer", [spec]):
        for param in unit.get("params", spec.get("params", []) if unit is spec else []):
            select = param["select"]
            layers = [event.strip().removeprefix("@").removesuffix("_marks:click") for event in select["on"].split(",")]
            found[param["name"]] = (layers, select["fields"])
    return found


def _spec_with_frames(chart) -> dict:
    if isinstance(chart, dict):  # its datasets frames, or Arrow tables (the level distribution's)
        return {**chart, "datasets": {name: data if isinstance(data, pd.DataFrame) else data.to_pandas()
                                      for name, data in chart["datasets"].items()}}
    spec = chart.to_dict()
    return {**spec, "datasets": {name: pd.DataFrame(records) for name, records in spec["datasets"].items()}}


@pytest.mark.parametrize("build", ["distribution", "trend", "year_bars"])
def test_every_selection_picks_from_named_layers_by_fields_their_data_have(build, hand):  # noqa: F811
    reports = _both_years(hand)
    summary = reports.groupby(["level", "report_year"], as_index=False)["members_total"].sum()
    chart = {"distribution": lambda: level_charts.level_distribution(reports_of(hand, 2024), Figure("members_total")),
             "trend": lambda: charts.level_trend(summary, "members_total", "Medlemmer", pick=True),
             "year_bars": lambda: charts.level_year_bars(summary, "members_total", "Medlemmer", pick=True)}[build]()
    spec = _spec_with_frames(chart)
    selections = _pickable(spec)
    expected = {"distribution": {"klynger": ["cluster_id"], "nivaer": ["level"]},
                "trend": {"aar": ["level", "report_year"]}, "year_bars": {"aar": ["level", "report_year"]}}[build]
    assert {name: fields for name, (_, fields) in selections.items()} == expected
    named = {unit.get("name"): (unit, data) for unit, data in _layers_with_data(spec)}
    for layers, fields in selections.values():
        for layer in layers:
            unit, data = named[layer]
            assert set(fields) <= set(data.columns), (layer, fields)
            # Every mark drawn (a row with its values; a line's gap draws none) has the fields.
            values = [unit["encoding"][axis]["field"] for axis in ("x", "y") if unit["encoding"][axis]["type"] == "quantitative"]
            drawn = data.dropna(subset=values)
            assert len(drawn) and drawn[fields].notna().all().all()
    if build == "year_bars":  # summed per level: the level must be one of the sum's groups
        assert spec["encoding"]["detail"]["field"] == "level"


def test_without_pick_the_line_and_bar_charts_have_no_selection():
    summary = pd.DataFrame({"level": ["arena"], "report_year": [2024], "members_total": [10]})
    assert not _pickable(charts.level_trend(summary, "members_total", "Medlemmer"))
    assert not _pickable(charts.level_year_bars(summary, "members_total", "Medlemmer"))


# --- the list under the charts ---

def _list_app():
    import pandas as pd
    import streamlit as st

    from klynge.ui import drill
    from klynge.ui.drill import Pick

    reports = pd.DataFrame({"cluster_id": [1, 4, 5, 8], "cluster": ["Alfa", "Delta", "Epsilon", "Theta"],
                            "level": ["arena_pro", "arena", "arena", "arena"], "report_year": [2024] * 4,
                            "members_total": [40, 20, 30, 44], "unused": [1, 2, 3, 4]})
    pick = Pick(((("level", "arena"),),)) if st.session_state.get("pick", True) else Pick()
    drill.show("testside", pick, lambda: reports, [("members_total", "count")], "Test, valgt")


def test_the_list_shows_the_picked_rows_their_figures_and_profile_links_and_clears():
    at = AppTest.from_function(_list_app).run()
    assert not at.exception
    [table] = at.dataframe
    shown = table.value
    assert list(shown.columns) == ["Klynge", "Nivå", "År", "Medlemmer", "profile_link"]
    assert shown[["Klynge", "Medlemmer"]].values.tolist() == [["Delta", 20], ["Epsilon", 30], ["Theta", 44]]
    assert shown["profile_link"].tolist() == [f"klyngeprofil?profil={name}" for name in ("Delta", "Epsilon", "Theta")]
    assert "Arena" in at.markdown[0].value and "3" in at.caption[0].value
    assert [button.label for button in at.button] == ["Fjern utvalget"]
    at.button[0].click().run()
    assert at.session_state[drill._generation_key("testside")] == 1  # the page's charts start afresh

    at.session_state["pick"] = False
    at.run()
    assert not at.dataframe and not at.button  # nothing picked: no list


def test_the_goals_panels_share_one_selection_of_a_level_in_a_year(hand):  # noqa: F811
    reports = _both_years(hand)
    summary = reports.groupby(["level", "report_year"], as_index=False)[["members_total", "new_jobs"]].sum()
    summary["clusters"] = 5
    units = {"members_total": "count", "new_jobs": "count"}
    spec = cluster_charts.goal_panels(summary, ["members_total", "new_jobs"], units, pick=True)
    [selection] = spec["params"]
    assert selection["name"] == drill.GOAL_PICK and selection["select"]["fields"] == ["level", "report_year"]
    # Every panel is a view of it, and only a click on a point (a symbol) picks.
    assert sorted(selection["views"]) == sorted(panel["name"] for panel in spec["vconcat"])
    assert "marktype === 'symbol'" in selection["select"]["on"]
    for panel in spec["vconcat"]:
        data = spec["datasets"][panel["data"]["name"]]
        drawn = data.dropna(subset=["value"])
        assert len(drawn) and drawn[["level", "report_year"]].notna().all().all()
    assert "params" not in cluster_charts.goal_panels(summary, ["members_total"], units)
