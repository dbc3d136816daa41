"""Utforsk (klynge/ui/explore.py, pages/utforsk.py): the measures each indicator and
breakdown allows; the figures by hand on the hand-made programme; a sum by level is the
per-level summary's figure for every summed indicator (one definition); the page draws the
chart its choices call for, from a link."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from klynge import metrics, queries
from klynge.indicators import INDICATORS
from klynge.queries import SUMMED_FIELDS, Filter
from klynge.summary import level_figures
from klynge.ui import explore
from klynge.ui.texts import CATALOGUES
from tests.test_level_comparison import hand  # noqa: F401 - the hand-made programme
from tests.test_pages import charts, open_page
from tests.test_pages_by_hand import clear_caches, hand_url  # noqa: F401 - the hand-made programme's pages

NB = CATALOGUES["nb"]


def test_a_ratio_is_never_summed_the_clusters_have_no_median_and_the_years_no_share():
    assert explore.measures("members_total", "level") == ("sum", "median", "share")
    assert explore.measures("funding_triggered_mnok", "region") == ("sum", "median", "share")
    assert explore.measures("leverage", "level") == ("median",)
    assert explore.measures("rnd_share", "sector") == ("median",)
    assert explore.measures("clusters", "level") == ("sum", "share")
    assert explore.measures("members_total", "report_year") == ("sum", "median")
    assert explore.measures("clusters", "report_year") == ("sum",)
    assert explore.measures("leverage", "cluster") == ("sum",)  # a cluster's own value
    assert explore.restriction("members_total", "level") is None
    assert explore.restriction("leverage", "region") == "ratio"
    assert explore.unit_of("members_total", "share") == "percent" and explore.unit_of("leverage", "median") == "ratio"
    # Every indicator of the glossary can be explored, with a unit the table knows.
    assert {indicator.key for indicator in INDICATORS} == set(explore.UNITS)
    assert set(explore.UNITS.values()) <= {"count", "mnok", "percent", "ratio"}


def _reports(engine, first: int, last: int) -> pd.DataFrame:
    return metrics.with_derived(queries.reports(engine, Filter(years=(first, last)), columns=SUMMED_FIELDS), queries.rules(engine))


def _values(frame: pd.DataFrame) -> dict:
    return {label: (None if math.isnan(value) else value) for label, value in zip(frame["label"], frame["value"])}


def test_members_by_hand_by_level_county_sector_and_year(hand):  # noqa: F811
    reports = _reports(hand, 2024, 2024)
    # 2024: Zeta 8 (early stage); Delta 20, Epsilon 30, Theta 44 (Arena); Alfa 40, Beta 60 (Arena Pro);
    # Gamma 100 (mature); Eta 12 (outside the programme).
    by_level = explore.breakdown(reports, "members_total", "level", "sum")
    assert _values(by_level) == {"Tidligfase": 8, "Arena": 94, "Arena Pro": 100, "Moden klynge": 100, "Utenfor programmet": 12}
    assert list(by_level["label"]) == ["Tidligfase", "Arena", "Arena Pro", "Moden klynge", "Utenfor programmet"]
    medians = explore.breakdown(reports, "members_total", "level", "median")
    assert _values(medians) == {"Tidligfase": None, "Arena": 30, "Arena Pro": None, "Moden klynge": None, "Utenfor programmet": None}
    assert medians["n"].tolist() == [1, 3, 2, 1, 1]
    shares = explore.breakdown(reports, "members_total", "level", "share")
    assert shares["value"].tolist() == pytest.approx([8 / 314, 94 / 314, 100 / 314, 100 / 314, 12 / 314])
    # Counties, in the list's order: Agder (Epsilon, Zeta), Oslo (Gamma, Delta), Troms (Eta, Theta), Vestland (Alfa, Beta).
    assert _values(explore.breakdown(reports, "members_total", "region", "sum")) == {
        "Agder": 38, "Oslo": 120, "Troms": 56, "Vestland": 100}
    # Sectors, largest first: IKT (Gamma, Eta), Sjømat (Alfa, Delta, Theta), Helse (Beta, Zeta), Energi (Epsilon).
    sectors = explore.breakdown(reports, "members_total", "sector", "sum")
    assert list(zip(sectors["group"], sectors["value"])) == [("IKT", 112), ("Sjømat", 104), ("Helse", 68), ("Energi", 30)]
    assert explore.breakdown(reports, "members_total", "sector", "median")["value"].iloc[0] == 40  # Sjømat: 20, 40, 44
    # Over the years: 2023 has Alfa 35, Gamma 90, Delta 18, Epsilon 25, Theta 50.
    years = explore.breakdown(_reports(hand, 2023, 2024), "members_total", "report_year", "sum")
    assert list(zip(years["group"], years["value"], years["clusters"])) == [(2023, 218, 5), (2024, 314, 8)]
    # The number of clusters, per county.
    assert _values(explore.breakdown(reports, "clusters", "region", "sum")) == {"Agder": 2, "Oslo": 2, "Troms": 2, "Vestland": 2}


def test_a_median_of_a_ratio_leaves_out_the_clusters_without_it(hand):  # noqa: F811
    # Leverage 2024 (tests/test_level_comparison.py): Alfa 2.0, Delta 1.5, Epsilon 3.25, Theta 2.25.
    frame = explore.breakdown(_reports(hand, 2024, 2024), "leverage", "level", "median").set_index("group")
    assert frame.loc["arena", "value"] == 2.25 and frame.loc["arena", "n"] == 3
    assert math.isnan(frame.loc["arena_pro", "value"]) and frame.loc["arena_pro", "n"] == 1


@pytest.mark.parametrize("year", [2023, 2024])
def test_a_sum_by_level_is_the_per_level_summarys_figure_for_every_summed_indicator(year, hand):  # noqa: F811
    summary = level_figures(hand, Filter(years=(year, year))).set_index("level")
    reports = _reports(hand, year, year)
    additive = [indicator.key for indicator in INDICATORS if indicator.unit in explore.ADDITIVE]
    assert len(additive) > 20
    for key in additive:
        explored = explore.breakdown(reports, key, "level", "sum").set_index("group")["value"]
        for level, value in explored.items():
            expected = summary.loc[level, key]
            assert (math.isnan(value) and pd.isna(expected)) or value == pytest.approx(float(expected)), (key, level)


def _spec(chart) -> dict:
    return json.loads(chart.proto.spec)


@pytest.mark.parametrize(("params", "kind", "rows"), [
    ({}, "explore_bars", {"Tidligfase": 8, "Arena": 94, "Arena Pro": 100, "Moden klynge": 100, "Utenfor programmet": 12}),
    ({"etter": NB["explore.by.region"], "indikator": NB["figure.members_total"]}, "county_map",
     {"Agder": 38, "Oslo": 120, "Troms": 56, "Vestland": 100}),
    ({"etter": NB["explore.by.report_year"], "fra": "2023"}, "explore_years", {"2023": 218, "2024": 314}),
    ({"indikator": NB["figure.leverage"], "beregning": NB["explore.measure.sum"]}, "explore_bars",  # a sum asked, a median given
     {"Tidligfase": None, "Arena": 2.25, "Arena Pro": None, "Moden klynge": None, "Utenfor programmet": None}),
])
def test_the_page_draws_what_its_link_asks_for(params, kind, rows, hand_url, monkeypatch):  # noqa: F811
    at = open_page(hand_url, "pages/utforsk.py", monkeypatch, **{"fra": "2024", "til": "2024", **params})
    [chart] = charts(at)
    assert _spec(chart)["usermeta"]["klynge"]["chart"] == kind
    table = at.dataframe[-1].value
    values = table[table.columns[-1]]
    assert {str(label): (None if value == float("-inf") else value) for label, value in zip(table[table.columns[0]], values)} == rows


def test_a_bar_without_a_value_says_why():
    frame = pd.DataFrame({"group": ["a", "b", "c"], "label": ["A", "B", "C"], "clusters": [4, 2, 3], "n": [4, 2, 0],
                          "value": [3.0, float("nan"), float("nan")]})
    medians = explore.bars(frame, "Medlemmer, median per klynge", "count", median=True)["datasets"]
    assert medians["groups"]["text"].tolist() == ["3"]
    assert medians["missing"][["label", "text"]].values.tolist() == [["B", "for få (n = 2)"], ["C", "ingen verdi"]]
    # A share of a whole that is 0 has no value, whatever n.
    shares = explore.bars(frame, "Andel", "percent")["datasets"]["missing"]
    assert shares["text"].tolist() == ["ingen verdi", "ingen verdi"]
    assert explore.bars(frame, "Andel", "percent")["datasets"]["groups"]["description"].tolist() == ["A: 300\xa0%"]


def test_by_cluster_each_row_links_to_its_profile(hand_url, monkeypatch):  # noqa: F811
    at = open_page(hand_url, "pages/utforsk.py", monkeypatch, fra="2024", til="2024", etter=NB["explore.by.cluster"])
    table = at.dataframe[-1].value
    assert table["Klynge"].tolist()[:2] == ["Gamma", "Beta"]  # largest first: 100, 60 members
    assert table["profile_link"].tolist()[:2] == ["klyngeprofil?profil=Gamma&fra=2024", "klyngeprofil?profil=Beta&fra=2024"]
