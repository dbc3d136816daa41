"""Klyngeprofil, Sammenlign and Måloppnåelse on the demo data, driven with AppTest: the
default choice each opens on (worked out here from the data layer's rows), the clusters'
own palette and the labelled medians, one chart of small multiples per goal, and a gap
where a cluster filed no report."""

from __future__ import annotations

import json

import pandas as pd
import pytest
import streamlit as st
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

from klynge import metrics, queries
from klynge.indicators import GOALS, INDICATOR_BY_KEY
from klynge.queries import Filter
from klynge.store.engine import make_engine
from klynge.summary import level_figures
from klynge.ui import format as fmt
from klynge.ui.catalogue_nb import NB
from klynge.ui.charts import CLUSTER_COLOURS, LEVEL_COLOURS
from tests.test_pages import charts, demo_url, open_page  # noqa: F401 - the fixture is shared

LEVEL_NAMES = {"tidligfase": "Tidligfase", "arena": "Arena", "arena_pro": "Arena Pro", "moden": "Moden klynge",
               "utenfor": "Utenfor programmet"}


@pytest.fixture(autouse=True)
def clear_caches():
    st.cache_data.clear()
    st.cache_resource.clear()


def spec(chart) -> dict:
    return json.loads(chart.proto.spec)


def datasets(chart) -> dict[str, pd.DataFrame]:
    return {named.name: convert_arrow_bytes_to_pandas_df(named.data.data) for named in chart.proto.datasets}


def layer_data(chart, layer: dict) -> pd.DataFrame:
    return datasets(chart)[(layer.get("data") or spec(chart)["data"])["name"]]


def largest_by_hand(engine, flt: Filter) -> list[dict]:
    """The filter's clusters, the most members in the register first (a tie by name), from
    the data layer's rows."""
    rows = queries.register_counts(engine, flt).to_dict("records")
    return sorted(rows, key=lambda row: (-row["members_total"], row["cluster"]))


def the_filter(engine, params: dict) -> Filter:
    years = queries.filter_options(engine).years
    first, last = int(params.get("fra", years[0])), int(params.get("til", years[-1]))
    codes = {name: code for code, name in LEVEL_NAMES.items()}
    return Filter(levels=tuple(codes[name] for name in params.get("niva", [])), years=(first, last))


FILTERS = [{}, {"niva": ["Arena"], "fra": "2021", "til": "2023"}]


@pytest.mark.parametrize("params", FILTERS)
def test_the_profile_opens_on_the_largest_cluster_of_the_filter(params, demo_url, monkeypatch):  # noqa: F811
    engine = make_engine(demo_url)
    ranked = largest_by_hand(engine, the_filter(engine, params))
    largest = ranked[0]
    assert largest["members_total"] > ranked[1]["members_total"] or largest["cluster"] < ranked[1]["cluster"]
    at = open_page(demo_url, "pages/klyngeprofil.py", monkeypatch, **params)
    assert at.selectbox(key="profil").value is None  # nothing chosen: the default, not a choice
    assert "profil" not in at.query_params
    assert at.header[0].value.replace("\\", "") == largest["cluster"]
    year = the_filter(engine, params).years[1]
    caption = NB["profile.default"].format(members=fmt.integer(largest["members_total"]), year=year)
    assert caption in [c.value for c in at.caption]
    assert len(charts(at)) == 9  # the eight figures beside the level's median, and members by type


@pytest.mark.parametrize("params", [*FILTERS, {"niva": ["Tidligfase"]}])
def test_the_comparison_opens_on_the_largest_cluster_and_its_largest_peers(params, demo_url, monkeypatch):  # noqa: F811
    engine = make_engine(demo_url)
    flt = the_filter(engine, params)
    ranked = largest_by_hand(engine, flt)
    largest = ranked[0]
    expected = [largest["cluster"]] + [row["cluster"] for row in ranked[1:] if row["level"] == largest["level"]][:3]
    if params.get("niva") == ["Tidligfase"]:
        assert len(expected) == 2  # the level has fewer than four clusters: fewer are shown
    at = open_page(demo_url, "pages/sammenlign.py", monkeypatch, **params)
    assert at.multiselect(key="sammenlign").value == []
    assert "sammenlign" not in at.query_params
    caption = NB["compare.default"].format(name=largest["cluster"], members=fmt.integer(largest["members_total"]),
                                           year=flt.years[1], level=LEVEL_NAMES[largest["level"]], peers=3)
    assert caption in [c.value.replace("\\", "") for c in at.caption]
    legend = spec(charts(at)[0])
    assert legend["layer"][0]["encoding"]["color"]["scale"]["domain"] == expected
    assert list(dict.fromkeys(at.dataframe[0].value["Klynge"])) == sorted(expected)
    # The page's legend and the ten figures: a chart each, or a line saying none has it.
    assert len(charts(at)) + sum(c.value == NB["compare.no_values"] for c in at.caption) == 1 + 10


def test_a_chosen_cluster_wins_over_the_default_and_stays_in_the_url(demo_url, monkeypatch):  # noqa: F811
    engine = make_engine(demo_url)
    smallest = largest_by_hand(engine, the_filter(engine, {}))[-1]["cluster"]
    at = open_page(demo_url, "pages/klyngeprofil.py", monkeypatch, profil=smallest)
    assert at.header[0].value.replace("\\", "") == smallest
    assert not any(c.value.startswith("Standardvalg") for c in at.caption)
    assert at.query_params["profil"] in (smallest, [smallest])


def gap_clusters(engine) -> dict[str, list[int]]:
    """Clusters with a year missing between two reports, and the years they miss."""
    reports = queries.reports(engine, columns=("members_total",))
    gaps = {}
    for name, years in reports.groupby("cluster")["report_year"]:
        missing = sorted(set(range(int(years.min()), int(years.max()) + 1)) - set(int(y) for y in years))
        if missing:
            gaps[name] = missing
    return gaps


def test_the_comparison_colours_clusters_from_their_palette_and_labels_each_median(demo_url, monkeypatch):  # noqa: F811
    engine = make_engine(demo_url)
    reports = queries.reports(engine, columns=("members_total",))
    # Clusters at three different levels in the last year, so that three medians are drawn.
    last = reports[reports["report_year"] == reports["report_year"].max()]
    chosen = [last[last["level"] == level]["cluster"].iloc[0] for level in ("arena", "arena_pro", "moden")]
    chosen.append(next(iter(gap_clusters(engine))))
    at = open_page(demo_url, "pages/sammenlign.py", monkeypatch, sammenlign=chosen)
    assert [at.multiselect(key="sammenlign").format_func(v) for v in at.multiselect(key="sammenlign").value] == chosen
    assert not any(c.value.startswith("Standardvalg") for c in at.caption)
    drawn = charts(at)
    assert len(drawn) == 1 + 10
    palette = dict(zip(chosen, CLUSTER_COLOURS))
    legend = spec(drawn[0])["layer"][0]["encoding"]["color"]["scale"]
    assert dict(zip(legend["domain"], legend["range"])) == palette
    medians_labelled = set()
    for chart in drawn[1:]:
        layers = spec(chart)["layer"]
        line = next(layer for layer in layers if layer["mark"]["type"] == "line")
        colour = line["encoding"]["color"]
        assert colour["legend"] is None  # one legend for the page, not one per chart
        colours = dict(zip(colour["scale"]["domain"], colour["scale"]["range"]))
        assert {name: colours[name] for name in chosen} == palette  # the same colour on every chart
        assert not set(palette.values()) & set(LEVEL_COLOURS.values())
        assert not {colours[name] for name in colours if name.startswith("Median ")} & set(palette.values())
        # A label at the end of every median line that is drawn, named as the catalogue names it.
        values = layer_data(chart, line)
        medians = values[values["label"].str.startswith("Median ") & values["value"].notna()]
        text = next(layer for layer in layers if layer["mark"]["type"] == "text")
        labels = layer_data(chart, text).set_index("label")
        assert set(labels.index) == set(medians["label"])
        for label, rows in medians.groupby("label"):
            assert labels.loc[label, "report_year"] == rows["report_year"].max()
            assert label in {NB["compare.median"].format(level=name) for name in LEVEL_NAMES.values()}
        medians_labelled |= set(labels.index)
    assert len(medians_labelled) >= 3  # each level's median has its own name, dash and grey
    dashes = spec(drawn[1])["layer"][0]["encoding"]["strokeDash"]["scale"]
    median_dashes = [dash for name, dash in zip(dashes["domain"], dashes["range"]) if name.startswith("Median ")]
    assert len({tuple(dash) for dash in median_dashes}) == len(median_dashes)


def test_a_missing_year_is_a_gap_on_the_profile(demo_url, monkeypatch):  # noqa: F811
    engine = make_engine(demo_url)
    name, missing = next(iter(gap_clusters(engine).items()))
    at = open_page(demo_url, "pages/klyngeprofil.py", monkeypatch, profil=name)
    figure_charts = charts(at)[:8]
    assert len(figure_charts) == 8
    for chart in figure_charts:
        layers = spec(chart)["layer"]
        line = next(layer for layer in layers if layer["mark"]["type"] == "line")
        # Vega-Lite breaks a line at a missing value unless told to leave the value out.
        assert line["mark"].get("invalid", "break-paths-show-path-domains").startswith("break-paths")
        own = layer_data(chart, line)
        own = own[own["label"] == NB["profile.series.cluster"]].sort_values("report_year")
        years = own["report_year"].astype(int).tolist()
        assert years == list(range(years[0], years[-1] + 1))  # every year has its row ...
        for year in missing:
            assert own.loc[own["report_year"] == year, "value"].isna().all()  # ... a missing one empty: a gap
        # No segment joins two years that are not neighbours: the years with a value beside
        # the gap are separated by an empty row.
        present = own[own["value"].notna()]["report_year"].astype(int).tolist()
        assert any(b - a > 1 for a, b in zip(present, present[1:]))
        assert any(layer["mark"]["type"] == "point" for layer in layers)  # a lone year still shows, as a point


def test_goal_attainment_sends_one_chart_per_goal_with_all_its_indicators(demo_url, monkeypatch):  # noqa: F811
    at = open_page(demo_url, "pages/maloppnaelse.py", monkeypatch)
    drawn = charts(at)
    assert len(drawn) == len(GOALS)
    engine = make_engine(demo_url)
    summary = level_figures(engine, the_filter(engine, {}))
    for goal, chart in zip(GOALS, drawn):
        chart_spec = spec(chart)
        panels = chart_spec["vconcat"]
        titles = [panel["title"]["text"] for panel in panels]
        assert titles == [NB["goals.panel_title"].format(figure=NB[f"figure.{key}"],
                                                         unit=NB[f"unit.{INDICATOR_BY_KEY[key].unit}"])
                          for key in goal.indicators]
        assert chart_spec["resolve"]["scale"]["y"] == "independent"
        legends = [panel["encoding"]["color"].get("legend") for panel in panels]
        assert all(legend is not None for legend in legends)  # one scale shared: Vega-Lite draws one legend
        for key, panel in zip(goal.indicators, panels):
            data = layer_data(chart, panel)
            shown = data[data["value"].notna()]
            expected = summary[summary[key].notna()]
            assert len(shown) == len(expected)
            by_level = {(int(r.report_year), r.level_label): r.value for r in shown.itertuples()}
            for row in expected.itertuples():
                assert by_level[(int(row.report_year), LEVEL_NAMES[row.level])] == pytest.approx(getattr(row, key))
            # Every level has every year: a year without a figure is a gap, not a joined line.
            assert data.groupby("level_label")["report_year"].nunique().eq(data["report_year"].nunique()).all()
            # A figure over fewer than MIN_PEERS clusters is marked.
            assert (shown["few"] == "few").tolist() == (shown["clusters"] < metrics.MIN_PEERS).tolist()
    assert any("færre enn 3 klynger" in c.value for c in at.caption)
