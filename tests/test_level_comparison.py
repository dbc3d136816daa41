"""The comparison the theme pages open with (klynge/ui/level_charts.py): per level every
cluster a dot, the median over the level's clusters, n, and the totals per level and for the
whole programme, checked against values worked out by hand on the hand-made programme of
tests/factories.py (`hand_made`), not against the code that computes them.

The programme in 2024 (members, activities, participants, national + EU MNOK):
  Arena       Delta 20, 7, 70, 3,0 + 0,0 | Epsilon 30, 8, 95, 5,5 + 1,0 | Theta 44, 11, 140, 4,0 + 0,5
  Arena Pro   Alfa 40, 12, 120, 10,0 + 2,0 | Beta 60, 15, 200, 20,0 + 0,5 (past the level's five years)
  Moden       Gamma 100, 22, 450, 30,0 + 5,0
  Tidligfase  Zeta 8, 2, 20, 0,2 + 0,0
  Utenfor     Eta 12, 3, 30, 1,0 + 0,0
Programme money per cluster and year: Arena 2 MNOK, Arena Pro 3 + 3 MNOK, early stage and
outside the programme none, mature clusters not set by the rules.
"""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

from klynge import metrics, queries
from klynge.queries import SUMMED_FIELDS, Filter
from klynge.store.importer import import_paths
from klynge.ui import level_charts
from klynge.ui.level_charts import Figure
from tests.factories import hand_made
from tests.test_pages import charts, open_page, open_section
from tests.test_pages_by_hand import clear_caches, hand_url  # noqa: F401 - the hand-made programme's pages

LEVERAGE = Figure("leverage", "ratio", ("funding_triggered_mnok", "programme_money_mnok"))


@pytest.fixture
def hand(engine, tmp_path):
    import_paths(engine, [hand_made(tmp_path / "hand")])
    return engine


def reports_of(engine, year: int) -> pd.DataFrame:
    return metrics.with_derived(queries.reports(engine, Filter(years=(year, year)), columns=SUMMED_FIELDS), queries.rules(engine))


def by_level(comparison: pd.DataFrame) -> dict[str, tuple]:
    """level -> (clusters, n, median, total), with None for a missing median or total."""
    def value(x):
        return None if pd.isna(x) else round(float(x), 4)
    return {row.level: (row.clusters, row.n, value(row.median), value(row.total)) for row in comparison.itertuples()}


# --- the figures (klynge/metrics.py) ---

def test_members_per_cluster_median_n_and_totals(hand):
    comparison = metrics.level_comparison(reports_of(hand, 2024), "members_total")
    assert list(comparison["level"]) == ["tidligfase", "arena", "arena_pro", "moden", "utenfor", "alle"]
    assert by_level(comparison) == {
        "tidligfase": (1, 1, None, 8),  # Zeta alone: too few for a median
        "arena": (3, 3, 30, 94),  # 20, 30, 44: the middle one; 20 + 30 + 44
        "arena_pro": (2, 2, None, 100),  # Alfa and Beta: too few
        "moden": (1, 1, None, 100),
        "utenfor": (1, 1, None, 12),
        "alle": (8, 8, 35, 314),  # 8 12 20 30 | 40 44 60 100: (30 + 40) / 2
    }


def test_the_year_before_has_four_arena_clusters(hand):
    comparison = by_level(metrics.level_comparison(reports_of(hand, 2023), "members_total"))
    # Alfa 35, Delta 18, Epsilon 25, Theta 50: (25 + 35) / 2; Gamma 90 at Moden
    assert comparison["arena"] == (4, 4, 30, 128)
    assert comparison["moden"] == (1, 1, None, 90)
    assert comparison["alle"] == (5, 5, 35, 218)  # 18 25 35 50 90


def test_activities_participants_and_money_per_cluster(hand):
    reports = reports_of(hand, 2024)
    activities = by_level(metrics.level_comparison(reports, "activities_organised"))
    assert activities["arena"] == (3, 3, 8, 26)  # 7, 8, 11
    assert activities["alle"] == (8, 8, 9.5, 80)  # 2 3 7 8 | 11 12 15 22
    participants = by_level(metrics.level_comparison(reports, "activities_unique_participants"))
    assert participants["arena"] == (3, 3, 95, 305)  # 70, 95, 140
    money = by_level(metrics.level_comparison(reports, "funding_triggered_mnok"))
    assert money["arena"] == (3, 3, 4.5, 14.0)  # 3,0, 4,5, 6,5
    assert money["arena_pro"] == (2, 2, None, 32.5)  # 12,0 + 20,5
    assert money["alle"] == (8, 8, 5.5, 82.7)  # 0,2 1,0 3,0 4,5 | 6,5 12,0 20,5 35,0


def test_leverage_per_cluster_only_where_the_rules_give_programme_money(hand):
    comparison = by_level(metrics.level_comparison(reports_of(hand, 2024), "leverage", LEVERAGE.ratio_of))
    # Arena: 3,0 / 2, 6,5 / 2, 4,5 / 2 = 1,5, 3,25, 2,25; the level: 14,0 / 6
    assert comparison["arena"] == (3, 3, 2.25, round(14 / 6, 4))
    # Arena Pro: Alfa 12,0 / 6 = 2; Beta past the time limit gets none, so has no leverage (not 0);
    # the level's: 32,5 / 6, as the per-level table of the funding page has it
    assert comparison["arena_pro"] == (2, 1, None, round(32.5 / 6, 4))
    # Mature: the rules set no amount; early stage and outside: no programme money
    assert comparison["moden"] == (1, 0, None, None)
    assert comparison["tidligfase"] == (1, 0, None, None)
    assert comparison["utenfor"] == (1, 0, None, None)
    # The programme: the median of 1,5 2,0 2,25 3,25; no total, the mature clusters' money is not set
    assert comparison["alle"] == (8, 4, 2.125, None)


def test_cluster_values_leave_out_clusters_without_a_value(hand):
    values = metrics.cluster_values(reports_of(hand, 2024), "leverage")
    assert list(zip(values["cluster"], values["level"], values["value"])) == [
        ("Delta", "arena", 1.5), ("Theta", "arena", 2.25), ("Epsilon", "arena", 3.25), ("Alfa", "arena_pro", 2.0)]


def test_cluster_values_go_by_level_then_value_then_name():
    reports = pd.DataFrame({"cluster_id": [1, 2, 3, 4, 5, 6], "cluster": ["Ø", "Bø", "Ås", "Berg", "Aa", "Ny"],
                            "level": ["moden", "arena", "arena", "arena", None, "arena_pro"],
                            "members_total": [1.0, 7.0, 7.0, 2.0, 0.0, None]})
    values = metrics.cluster_values(reports, "members_total")
    # Arena before mature, a report without a level last; at Arena 2, then the two at 7 by
    # name (B before Å); Ny has no value and is left out.
    assert values["cluster"].tolist() == ["Berg", "Bø", "Ås", "Ø", "Aa"]
    assert values["cluster_id"].tolist() == [4, 2, 3, 1, 5]
    assert values["value"].tolist() == [2.0, 7.0, 7.0, 1.0, 0.0]


def test_a_comparison_is_of_one_year():
    two_years = pd.DataFrame({"cluster_id": [1, 1], "cluster": ["A", "A"], "level": ["arena", "arena"],
                              "report_year": [2023, 2024], "members_total": [1, 2]})
    with pytest.raises(ValueError):
        metrics.level_comparison(two_years, "members_total")


# --- the chart and the table (klynge/ui/level_charts.py) ---

def layers(spec: dict) -> dict[str, pd.DataFrame]:
    """The data of each layer of a distribution chart (a spec whose datasets are Arrow
    tables), by its mark, as frames."""
    frames = {}
    for layer in spec["layer"]:
        mark = layer["mark"]["type"]
        frames[mark if mark not in frames else f"{mark}-2"] = spec["datasets"][layer["data"]["name"]].to_pandas()
    return frames


def test_the_chart_draws_every_cluster_and_the_medians_of_levels_of_three_or_more(hand):
    spec = level_charts.level_distribution(reports_of(hand, 2024), Figure("members_total"))
    assert spec["usermeta"]["klynge"] == {"chart": level_charts.KIND, "figure": "members_total"}
    data = layers(spec)
    dots = data["circle"]
    assert sorted(zip(dots["cluster"], dots["level"], dots["value"])) == sorted([
        ("Delta", "arena", 20), ("Epsilon", "arena", 30), ("Theta", "arena", 44), ("Alfa", "arena_pro", 40),
        ("Beta", "arena_pro", 60), ("Gamma", "moden", 100), ("Zeta", "tidligfase", 8), ("Eta", "utenfor", 12)])
    # Each level's row says its n, in the levels' order.
    rows = ["Tidligfase (n = 1)", "Arena (n = 3)", "Arena Pro (n = 2)", "Moden klynge (n = 1)", "Utenfor programmet (n = 1)"]
    assert spec["layer"][0]["encoding"]["y"]["scale"]["domain"] == rows
    assert dict(zip(dots["cluster"], dots["row"]))["Theta"] == "Arena (n = 3)"
    # One median is drawn, Arena's, labelled with its value; the other levels say they are too few.
    ticks = data["tick"]
    assert list(zip(ticks["row"], ticks["median"], ticks["n"])) == [("Arena (n = 3)", 30, 3)]
    assert list(data["text"]["label"]) == ["median 30"]
    notes = data["text-2"]
    assert sorted(notes["row"]) == sorted(row for row in rows if not row.startswith("Arena ("))
    assert set(notes["label"]) == {"for få til en median (færre enn 3)"}


def test_a_level_where_no_cluster_has_the_figure_keeps_its_row_and_says_so(hand):
    data = layers(level_charts.level_distribution(reports_of(hand, 2024), LEVERAGE))
    assert sorted(zip(data["circle"]["cluster"], data["circle"]["value"])) == [
        ("Alfa", 2.0), ("Delta", 1.5), ("Epsilon", 3.25), ("Theta", 2.25)]
    assert list(zip(data["tick"]["row"], data["tick"]["median"])) == [("Arena (n = 3)", 2.25)]
    assert list(data["text"]["label"]) == ["median 2,2"]  # 2,25 to one decimal, rounded half to even
    notes = dict(zip(data["text-2"]["row"], data["text-2"]["label"]))
    assert notes == {"Tidligfase (n = 0)": "ingen av klyngene har tallet", "Arena Pro (n = 1)": "for få til en median (færre enn 3)",
                     "Moden klynge (n = 0)": "ingen av klyngene har tallet", "Utenfor programmet (n = 0)": "ingen av klyngene har tallet"}


def test_the_table_has_the_totals_per_level_and_for_the_whole_programme(hand):
    table, units = level_charts.comparison_table(reports_of(hand, 2024), [Figure("funding_triggered_mnok", "mnok"), LEVERAGE])
    table = table.set_index("Nivå")
    assert list(table.index) == ["Tidligfase", "Arena", "Arena Pro", "Moden klynge", "Utenfor programmet", "Hele programmet"]
    assert table["Klynger (n)"].tolist() == [1, 3, 2, 1, 1, 8]
    assert table["Utløste midler i alt"].round(3).tolist() == [0.2, 14.0, 32.5, 35.0, 1.0, 82.7]
    assert units["Utløste midler i alt"] == "mnok" and units["Utløst per programkrone, samlet"] == "ratio"
    assert table["Utløste midler, median per klynge"].tolist() == [
        "for få (n = 1)", "4,5\xa0MNOK", "for få (n = 2)", "for få (n = 1)", "for få (n = 1)", "5,5\xa0MNOK"]
    overall = table["Utløst per programkrone, samlet"]
    assert overall["Arena"] == pytest.approx(14 / 6) and overall["Arena Pro"] == pytest.approx(32.5 / 6)
    assert math.isnan(overall["Moden klynge"]) and math.isnan(overall["Hele programmet"])
    assert table["Utløst per programkrone, median per klynge"].tolist() == [
        "–", "2,2", "for få (n = 1)", "–", "–", "2,1 (n = 4)"]  # 2,125 of the four with a leverage


# --- the pages ---

def chart_layers(element) -> tuple[dict, dict[str, pd.DataFrame]]:
    """A chart on the page: its Vega-Lite spec and the data of its layers, by mark."""
    spec = json.loads(element.proto.spec)
    datasets = {d.name: convert_arrow_bytes_to_pandas_df(d.data.data) for d in element.proto.datasets}
    frames = {}
    for layer in spec.get("layer", []):
        mark = layer["mark"]["type"]
        frames[mark if mark not in frames else f"{mark}-2"] = datasets[layer["data"]["name"]]
    return spec, frames


@pytest.mark.parametrize(("page", "figures"), [
    ("pages/medlemmer.py", ["members_total"]),
    ("pages/aktiviteter.py", ["activities_organised", "activities_unique_participants"]),
    ("pages/finansiering.py", ["funding_triggered_mnok", "leverage"]),
    ("pages/internasjonalt.py", ["international_activities_new", "intl_projects"]),
])
def test_each_theme_page_opens_with_the_distribution(page, figures, hand_url, monkeypatch):
    at = open_page(hand_url, page, monkeypatch, fra="2024", til="2024")
    drawn = charts(at)
    first = [json.loads(chart.proto.spec).get("usermeta", {}).get("klynge", {}) for chart in drawn[:len(figures)]]
    assert first == [{"chart": level_charts.KIND, "figure": figure} for figure in figures]
    assert at.subheader[0].value == "Klyngene nivå for nivå, 2024"
    # The comparison's table is the page's first, with the whole programme's row.
    table = at.dataframe[0].value
    assert table.iloc[:, 0].tolist()[-1] == "Hele programmet"


def test_the_members_page_shows_the_hand_worked_dots_and_median(hand_url, monkeypatch):
    at = open_page(hand_url, "pages/medlemmer.py", monkeypatch, fra="2024", til="2024")
    spec, data = chart_layers(charts(at)[0])
    assert sorted(zip(data["circle"]["cluster"], data["circle"]["value"])) == [
        ("Alfa", 40), ("Beta", 60), ("Delta", 20), ("Epsilon", 30), ("Eta", 12), ("Gamma", 100), ("Theta", 44), ("Zeta", 8)]
    assert list(zip(data["tick"]["level"], data["tick"]["median"])) == [("arena", 30)]
    assert "Arena (n = 3)" in spec["layer"][0]["encoding"]["y"]["scale"]["domain"]
    table = at.dataframe[0].value.set_index("Nivå")
    assert table.loc["Arena", "Medlemmer, median per klynge"] == "30"
    assert table.loc["Arena Pro", "Medlemmer, median per klynge"] == "for få (n = 2)"
    assert table.loc["Hele programmet", "Medlemmer, median per klynge"] == "35"


def test_the_english_page_writes_numbers_the_english_way(hand_url, monkeypatch):
    at = open_page(hand_url, "pages/finansiering.py", monkeypatch, fra="2024", til="2024", lang="en")
    spec, data = chart_layers(charts(at)[0])
    assert list(data["text"]["label"]) == ["median 4.5\xa0MNOK"]
    assert spec["config"]["locale"]["number"]["decimal"] == "."
    assert at.subheader[0].value == "The clusters level by level, 2024"
    table = at.dataframe[0].value.set_index("Level")
    assert table.loc["Whole programme", "Triggered funding, median per cluster"] == "5.5\xa0MNOK"


def test_the_five_point_table_lists_the_clusters_that_lack_a_type_first(hand_url, monkeypatch):
    at = open_page(hand_url, "pages/medlemmer.py", monkeypatch, fra="2024", til="2024")
    open_section(at, "pages/medlemmer.py", "five_point")
    five_point = next(frame.value for frame in at.dataframe if "Punkter dekket" in frame.value.columns)
    # Delta lacks start-ups; Epsilon capital and start-ups; Zeta capital, public actors and
    # start-ups; Alfa, Beta and Gamma have all five (tests/factories.py, HAND_REGISTERS).
    assert five_point["Klynge"].tolist() == ["Delta", "Epsilon", "Zeta", "Alfa", "Beta", "Gamma"]


def test_the_gender_charts_side_by_side_share_one_scale(hand_url, monkeypatch):
    at = open_page(hand_url, "pages/medlemmer.py", monkeypatch, fra="2023", til="2024")
    open_section(at, "pages/medlemmer.py", "partners_gender")

    def value_axis(spec: dict) -> dict:  # a chart's own encoding, or its first layer's
        return (spec.get("encoding") or spec.get("layer", [{}])[0].get("encoding", {})).get("y", {})

    axes = [value_axis(json.loads(chart.proto.spec)) for chart in charts(at)]
    shares = [axis for axis in axes if axis.get("field", "").endswith("women_share")]
    assert [axis["field"] for axis in shares] == ["steering_women_share", "mgmt_women_share"]
    assert [axis["scale"]["domain"] for axis in shares] == [[0, 1], [0, 1]]


def test_clusters_of_the_same_value_stand_side_by_side_not_on_top_of_each_other():
    reports = pd.DataFrame({"cluster_id": [1, 2, 3, 4], "cluster": ["A", "B", "C", "D"], "level": ["arena"] * 4,
                            "report_year": [2024] * 4, "members_total": [3, 3, 3, 40]})
    dots = layers(level_charts.level_distribution(reports, Figure("members_total")))["circle"].set_index("cluster")
    assert dots.loc[["A", "B", "C"], "offset"].nunique() == 3  # three at 3: three places across the row
    assert dots.loc["D", "offset"] == 0  # alone at its value: in the middle


def test_more_clusters_at_one_value_than_places_take_the_places_again_in_turn():
    # Eleven at 5, then one at 40 (a dot's width is 40 / 40 = 1 away from the rest).
    values = [5] * 11 + [40]
    places = level_charts._offsets(["arena"] * len(values), [float(v) for v in values])
    # The nine places in their order, then the tenth and eleventh dots start them over.
    assert places[:11] == [0.0, 0.5, -0.5, 1.0, -1.0, 0.25, -0.25, 0.75, -0.75, 0.0, 0.5]
    assert places[11] == 0.0  # far from the others: the middle is free again


def test_each_dots_text_is_its_own_values_even_where_values_repeat():
    values = [3.0, 0.0, 3.0, -0.0, 2.5, 0.0]
    for unit in ("count", "mnok", "ratio", "percent"):
        assert level_charts._value_texts(values, unit) == [level_charts.value_text(value, unit) for value in values]


NBSP = "\u00a0"


@pytest.mark.parametrize("unit, values, nb, en", [
    ("count", [3.0, 1234.0, 2.5, 0.0, math.nan], ["3", f"1{NBSP}234", "2,5", "0", "–"], ["3", "1,234", "2.5", "0", "–"]),
    ("mnok", [4.55, 0.0, 1234.5], [f"4,5{NBSP}MNOK", f"0,0{NBSP}MNOK", f"1{NBSP}234,5{NBSP}MNOK"],
     [f"4.5{NBSP}MNOK", f"0.0{NBSP}MNOK", f"1,234.5{NBSP}MNOK"]),
    ("ratio", [2.345, 10.0], ["2,3", "10,0"], ["2.3", "10.0"]),
    ("percent", [0.234, 1.0, 0.005], [f"23{NBSP}%", f"100{NBSP}%", f"0{NBSP}%"], ["23%", "100%", "0%"]),
])
def test_a_dots_value_is_written_as_the_reader_writes_it(unit, values, nb, en, monkeypatch):
    """Each dot's description names its value: a count with a decimal only where it has one
    (a median of an even number), money in MNOK, a ratio with one decimal, a share in whole
    per cent."""
    from klynge.ui import format as fmt

    for language, expected in (("nb", nb), ("en", en)):
        monkeypatch.setattr(fmt, "language", lambda language=language: language)
        assert [level_charts.value_text(value, unit) for value in values] == expected
