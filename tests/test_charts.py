"""Charts. Streamlit fits a chart and its legend into the chart's height, so a legend below
the chart must get rows of its own, or a long legend squashes the plot to a line (it did on
the comparison page)."""

from __future__ import annotations

import itertools
import math

import altair as alt
import pandas as pd
import pytest

from klynge import metrics
from klynge.ui import charts
from tests import test_chart_specs as check

ROW = charts.LEGEND_ROW


def _spec(chart: alt.TopLevelMixin | dict) -> dict:
    """The chart's Vega-Lite spec with its data as records: an Altair chart's own, or a spec
    written as a dict (its frames under `datasets`, as records, empty cells None)."""
    if not isinstance(chart, dict):
        return chart.to_dict()
    return {**chart, "datasets": {name: frame.astype(object).where(frame.notna(), None).to_dict("records")
                                  for name, frame in chart.get("datasets", {}).items()}}


def _height(chart: alt.TopLevelMixin | dict) -> int:
    return _spec(chart)["height"]


def test_level_charts_make_room_for_their_legend_by_how_many_stand_side_by_side():
    summary = pd.DataFrame([{"report_year": year, "level": level, "members_total": 10}
                            for year in (2022, 2023) for level in ("tidligfase", "arena", "arena_pro", "moden", "utenfor")])
    # Two columns of five levels: three rows, and the title's (a phone has room for two).
    assert _height(charts.level_trend(summary, "members_total", "Medlemmer")) == charts.HEIGHT + ROW * (3 + 1)
    assert _height(charts.level_trend(summary, "members_total", "Medlemmer", beside=2)) == charts.HEIGHT + ROW * (3 + 1)
    assert _height(charts.level_year_bars(summary, "members_total", "Medlemmer", beside=4)) == charts.HEIGHT + ROW * (5 + 1)


# -- issue 12: charts that never mislead (the spec checks of tests/test_chart_specs.py on
# small hand-made frames) ---------------------------------------------------------------

def _trend_frame(points: dict[str, dict[int, float]], clusters: dict[tuple[str, int], int] | None = None) -> pd.DataFrame:
    rows = [{"report_year": year, "level": level, "value": value, **({"clusters": (clusters or {}).get((level, year), 5)}
                                                                     if clusters is not None else {})}
            for level, years in points.items() for year, value in years.items()]
    return pd.DataFrame(rows)


def _drawn(chart: alt.TopLevelMixin | dict) -> tuple[dict, list[dict]]:
    """The spec and the records of its (one) dataset."""
    spec = _spec(chart)
    (records,) = spec["datasets"].values()
    return spec, records


def test_a_line_breaks_over_missing_years_and_keeps_a_lone_point():
    # Arena has 2022 and 2025 only; Moden klynge every year; Tidligfase 2023 alone.
    frame = _trend_frame({"arena": {2022: 4, 2025: 6}, "moden": {y: 10.0 for y in range(2021, 2026)}, "tidligfase": {2023: 1}})
    chart = charts.level_trend(frame, "value", "Medlemmer")
    spec, records = _drawn(chart)
    assert check.gap_problems(spec) == []
    arena = {r["report_year"]: r["value"] for r in records if r["level_label"] == "Arena"}
    # Every year of the span, empty where Arena has no figure: the line stops at 2022.
    assert sorted(arena) == [2021, 2022, 2023, 2024, 2025]
    assert arena[2023] is None and arena[2024] is None and arena[2022] == 4
    line, points = spec["layer"]
    assert line["mark"]["type"] == "line" and line["mark"]["invalid"] != "filter"
    # The lone year of Tidligfase is a point of its own.
    assert points["mark"]["type"] == "point"
    assert [r["report_year"] for r in records if r["level_label"] == "Tidligfase" and r["value"] is not None] == [2023]


def test_the_gap_check_finds_a_line_drawn_over_missing_years():
    frame = _trend_frame({"arena": {2022: 4, 2025: 6}})
    joined = alt.Chart(frame.assign(level_label="Arena")).mark_line().encode(
        x="report_year:O", y="value:Q", color="level_label:N")
    assert check.gap_problems(joined.to_dict()) == ["series ('Arena',): a line joins 2022 to 2025 over missing years"]
    filtered = alt.Chart(charts.with_year_gaps(frame, "level")).mark_line(invalid="filter").encode(
        x="report_year:O", y="value:Q", color="level:N")
    assert check.gap_problems(filtered.to_dict())  # nulls filtered out: joined again


def test_year_bars_keep_a_year_without_reports_on_the_axis():
    frame = _trend_frame({"arena": {2020: 4, 2023: 6}})
    spec, records = _drawn(charts.level_year_bars(frame, "value", "Medlemmer"))
    assert spec["encoding"]["x"]["scale"]["domain"] == [2020, 2021, 2022, 2023]
    assert sorted(r["report_year"] for r in records) == [2020, 2023]


def test_a_year_bar_is_drawn_when_one_of_its_levels_has_no_figure():
    # Moden klynge has no figure in 2021. A row without one in the data of a stacked bar made
    # Vega-Lite's stack draw none of 2021's bars (the demo's funding showed 2019-2020 and
    # 2023-2024 empty): the bars' data hold only figures.
    frame = _trend_frame({"arena": {2020: 4, 2021: 5}, "moden": {2020: 10}})
    spec, records = _drawn(charts.level_year_bars(frame, "value", "Medlemmer"))
    assert all(record["value"] is not None for record in records)
    assert sorted((r["level"], r["report_year"], r["value"]) for r in records) == [
        ("arena", 2020, 4), ("arena", 2021, 5), ("moden", 2020, 10)]
    assert spec["encoding"]["x"]["scale"]["domain"] == [2020, 2021]


def test_count_axes_have_whole_ticks_and_decimals_lose_their_trailing_zeros():
    frame = _trend_frame({"arena": {2022: 1, 2023: 2}, "moden": {2022: 0, 2023: 2}})
    for chart in (charts.level_trend(frame, "value", "Klynger"), charts.level_year_bars(frame, "value", "Klynger"),
                  charts.level_bars(frame[frame["report_year"] == 2023], "value", "Klynger")):
        spec = _spec(chart)
        assert check.integer_axis_problems(spec) == []
        axes = [layer["encoding"][name]["axis"] for layer in spec.get("layer", [spec])
                for name in ("x", "y") if spec.get("layer", [spec])[0]["encoding"][name]["type"] == "quantitative"]
        assert all(axis["tickMinStep"] == 1 and axis["format"] == ",.0f" for axis in axes)
    assert charts._axis_format("mnok") == ",.1~f" and charts._axis_format("ratio") == ",.1~f"
    # And the check finds the faults it is there for.
    bare = alt.Chart(frame).mark_bar().encode(x="level:N", y=alt.Y("value:Q", axis=alt.Axis(format=",.0f")))
    assert "without whole ticks" in check.integer_axis_problems(bare.to_dict())[0]
    forced = alt.Chart(frame).mark_bar().encode(x="level:N", y=alt.Y("value:Q", axis=alt.Axis(format=",.1f", tickMinStep=1)))
    assert "forced decimals" in check.integer_axis_problems(forced.to_dict())[0]


def test_a_share_is_drawn_from_0_to_100_percent():
    frame = _trend_frame({"arena": {2022: 0.2, 2023: 0.3}})
    spec = _spec(charts.level_trend(frame, "value", "Andel kvinner", "percent"))
    y = spec["layer"][0]["encoding"]["y"]
    assert y["scale"]["domain"] == [0, 1] and y["axis"]["format"] == ".0%" and "tickMinStep" not in y["axis"]
    # A shared scale still wins.
    assert _spec(charts.level_trend(frame, "value", "Andel", "percent", y_domain=[0, 0.5]))["layer"][0]["encoding"]["y"][
        "scale"]["domain"] == [0, 0.5]


def _projects(levels: list[str]) -> pd.DataFrame:
    return pd.DataFrame([{"level": level, "category": category, "projects": 3}
                         for level in levels for category in charts.CATEGORY_COLOURS])


def test_project_bars_give_every_level_its_row_and_list_every_category_below():
    levels = ["tidligfase", "arena", "arena_pro", "moden", "utenfor"]
    spec = _spec(charts.project_bars(_projects(levels)))
    assert check.categorical_problems(spec) == [] and check.legend_problems(spec) == []
    legend_rows = 4 + 1  # four categories in one column (right of the levels' names), and the title
    assert spec["height"] >= len(levels) * charts.BAR_ROW + legend_rows * ROW + charts.AXIS_ROOM
    assert spec["encoding"]["y"]["axis"]["labelOverlap"] is False
    colour = spec["encoding"]["color"]
    assert colour["legend"]["values"] == ["Kompetanse", "Internasjonalisering", "Innovasjon", "Egendefinert"]
    assert spec["config"]["legend"]["orient"] == "bottom" and spec["config"]["legend"]["columns"] == 1
    # The check finds a squashed chart: five levels in 200 pixels with their legend (as it was).
    squashed = {**spec, "height": 200}
    assert check.categorical_problems(squashed)


def test_bars_per_cluster_grow_with_their_number():
    frame = pd.DataFrame({"cluster": [f"Klynge {i}" for i in range(30)], "level": "arena", "members_total": range(30)})
    spec = _spec(charts.cluster_ranking(frame, "members_total", "Medlemmer"))
    assert check.categorical_problems(spec) == []
    assert spec["height"] >= 30 * charts.BAR_ROW


def _composition(groups: list[str]) -> pd.DataFrame:
    return pd.DataFrame([{"level": g, "member_type": m, "members": 2, "share": 1 / 8}
                         for g in groups for m in charts.MEMBER_TYPE_COLOURS])


def test_level_names_never_collide_on_a_phone():
    names = charts.level_label_order()
    # By default a bar per row, the name beside it.
    spec = _spec(charts.composition(_composition(names), "level", "Nivå", "share", order=names))
    assert spec["encoding"]["y"]["field"] == "level"
    assert check.categorical_problems(spec) == [] and check.legend_problems(spec) == []
    assert spec["encoding"]["x"]["scale"]["domain"] == [0, 1]
    # Upright bars turn the names.
    upright = _spec(charts.composition(_composition(names), "level", "Nivå", horizontal=False, order=names))
    assert upright["encoding"]["x"]["axis"]["labelAngle"] != 0
    assert check.categorical_problems(upright) == []
    # The check finds names side by side that do not fit.
    crowded = alt.Chart(_composition(names)).mark_bar().encode(x=alt.X("level:N", axis=alt.Axis(labelAngle=0)), y="members:Q")
    assert "more than a phone has" in check.categorical_problems(crowded.to_dict())[0]


def test_legends_list_every_level_and_fit_a_phone():
    frame = _trend_frame({code: {2022: 1, 2023: 2} for code in ("tidligfase", "arena", "arena_pro", "moden", "utenfor")})
    for beside in (1, 2, 3):
        spec = _spec(charts.level_trend(frame, "value", "Medlemmer", beside=beside))
        assert check.legend_problems(spec) == []
        assert spec["layer"][0]["encoding"]["color"]["legend"]["values"] == charts.level_label_order()
    # The check finds a legend that leaves a level out, or runs wider than a phone.
    spec = _spec(charts.level_trend(frame, "value", "Medlemmer"))
    spec["layer"][0]["encoding"]["color"]["legend"]["values"] = ["Arena"]
    assert "leave out" in check.legend_problems(spec)[0]
    wide = _spec(charts.level_trend(frame, "value", "Medlemmer"))
    wide["config"]["legend"]["columns"] = 5
    assert "more than a phone" in check.legend_problems(wide)[0]


def test_figures_of_fewer_than_three_clusters_are_hollow_with_n_and_a_note():
    frame = _trend_frame({"tidligfase": {2022: 0.5, 2023: 1.0}, "arena": {2022: 0.4, 2023: 0.45}},
                         clusters={("tidligfase", 2022): 2, ("tidligfase", 2023): 1, ("arena", 2022): 8, ("arena", 2023): 9})
    spec = _spec(charts.level_trend(frame, "value", "Andel", "percent"))
    points = spec["layer"][1]
    fill = points["encoding"]["fill"]
    assert fill["condition"]["value"] == "white" and f"< {metrics.MIN_PEERS}" in fill["condition"]["test"]
    assert {"field": "clusters", "title": "n (klynger)", "type": "quantitative"} in points["encoding"]["tooltip"]
    assert charts.few_clusters_note(frame, "value") == (
        "Hule punkter bygger på færre enn 3 klynger (Tidligfase) og kan svinge mye fra år til år.")
    assert charts.few_clusters_note(frame[frame["level"] == "arena"], "value") is None
    # The count of clusters itself is no figure "of too few".
    assert charts.few_clusters_note(frame.assign(value=frame["clusters"]), "clusters") is None
    # Without counts, every point is filled.
    assert "condition" not in _spec(charts.level_trend(frame.drop(columns="clusters"), "value", "Andel"))["layer"][1][
        "encoding"]["fill"]


# -- colours for colour-blind readers --------------------------------------------------
# Simulated with the matrices of Machado, Oliveira & Fernandes (2009), severity 1, applied to
# linear sRGB; colours compared by CIEDE2000 in CIELAB (D65).

MACHADO = {
    "normal": ((1, 0, 0), (0, 1, 0), (0, 0, 1)),
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602), (0.004733, 0.691367, 0.303900)),
}
MIN_DELTA_E = 10


def _linear(hex_colour: str) -> list[float]:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    return [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]


def _lab(linear: list[float]) -> tuple[float, float, float]:
    r, g, b = (min(max(c, 0.0), 1.0) for c in linear)
    xyz = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b, 0.2126729 * r + 0.7151522 * g + 0.0721750 * b,
           0.0193339 * r + 0.1191920 * g + 0.9503041 * b)
    f = [(v / w) ** (1 / 3) if v / w > (6 / 29) ** 3 else v / w / (3 * (6 / 29) ** 2) + 4 / 29
         for v, w in zip(xyz, (0.95047, 1.0, 1.08883))]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def simulate(hex_colour: str, vision: str) -> tuple[float, float, float]:
    """The colour as a reader with `vision` sees it, in CIELAB."""
    linear = _linear(hex_colour)
    return _lab([sum(m * c for m, c in zip(row, linear)) for row in MACHADO[vision]])


def delta_e_2000(lab1, lab2) -> float:
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    c_mean = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_mean ** 7 / (c_mean ** 7 + 25 ** 7)))
    a1, a2 = (1 + g) * a1, (1 + g) * a2
    c1, c2 = math.hypot(a1, b1), math.hypot(a2, b2)
    h1, h2 = math.degrees(math.atan2(b1, a1)) % 360, math.degrees(math.atan2(b2, a2)) % 360
    dh = 0.0 if c1 * c2 == 0 else (h2 - h1 - 360 if h2 - h1 > 180 else h2 - h1 + 360 if h2 - h1 < -180 else h2 - h1)
    d_l, d_c, d_h = l2 - l1, c2 - c1, 2 * math.sqrt(c1 * c2) * math.sin(math.radians(dh) / 2)
    l_mean, c_mean = (l1 + l2) / 2, (c1 + c2) / 2
    if c1 * c2 == 0:
        h_mean = h1 + h2
    elif abs(h1 - h2) <= 180:
        h_mean = (h1 + h2) / 2
    else:
        h_mean = (h1 + h2 + 360) / 2 if h1 + h2 < 360 else (h1 + h2 - 360) / 2
    t = (1 - 0.17 * math.cos(math.radians(h_mean - 30)) + 0.24 * math.cos(math.radians(2 * h_mean))
         + 0.32 * math.cos(math.radians(3 * h_mean + 6)) - 0.20 * math.cos(math.radians(4 * h_mean - 63)))
    s_l = 1 + 0.015 * (l_mean - 50) ** 2 / math.sqrt(20 + (l_mean - 50) ** 2)
    s_c, s_h = 1 + 0.045 * c_mean, 1 + 0.015 * c_mean * t
    r_t = (-math.sin(math.radians(60 * math.exp(-(((h_mean - 275) / 25) ** 2))))
           * 2 * math.sqrt(c_mean ** 7 / (c_mean ** 7 + 25 ** 7)))
    return math.sqrt((d_l / s_l) ** 2 + (d_c / s_c) ** 2 + (d_h / s_h) ** 2 + r_t * (d_c / s_c) * (d_h / s_h))


def _too_close(pairs) -> list[str]:
    return [f"{a} and {b} under {vision}: ΔE {delta_e_2000(simulate(a, vision), simulate(b, vision)):.1f}"
            for vision in MACHADO for a, b in pairs
            if delta_e_2000(simulate(a, vision), simulate(b, vision)) < MIN_DELTA_E]


def test_the_colour_difference_follows_published_values():
    # Sharma, Wu & Dalal (2005), test pairs 1 and 17 of the CIEDE2000 data.
    assert round(delta_e_2000((50, 2.6772, -79.7751), (50, 0, -82.7485)), 4) == 2.0425
    assert round(delta_e_2000((50, 2.5, 0), (73, 25, -18)), 4) == 27.1492
    # Tableau's red and green (the member types' old colours) look alike without green cones.
    assert delta_e_2000(simulate("#e15759", "deuteranopia"), simulate("#59a14f", "deuteranopia")) < 2
    assert delta_e_2000(simulate("#e15759", "normal"), simulate("#59a14f", "normal")) > 30
    assert delta_e_2000(simulate("#000000", "deuteranopia"), simulate("#ffffff", "deuteranopia")) == pytest.approx(100, abs=0.1)


@pytest.mark.parametrize("palette", ["LEVEL_COLOURS", "CLUSTER_COLOURS", "MEMBER_TYPE_COLOURS", "CATEGORY_COLOURS"])
def test_colour_blind_readers_tell_every_colour_of_a_palette_apart(palette):
    colours = getattr(charts, palette)
    colours = list(colours.values()) if isinstance(colours, dict) else list(colours)
    assert _too_close(itertools.combinations(colours, 2)) == []


def test_clusters_are_never_coloured_like_a_level():
    assert _too_close(itertools.product(charts.CLUSTER_COLOURS, charts.LEVEL_COLOURS.values())) == []
    assert charts.LEVEL_COLOURS["moden"] == "#27476e"  # navy, as readers know it


def test_year_gaps_fill_every_year_of_every_series_in_order():
    frame = pd.DataFrame({"label": ["A", "B", "A"], "report_year": [2023, 2022, 2021], "value": [3.0, 2.0, 1.0]},
                         index=[9, 5, 7])  # out of order, and not the default index
    full = charts.with_year_gaps(frame, "label", span=(2021, 2023))
    assert list(full.columns) == ["label", "report_year", "value"]
    assert list(zip(full["label"], full["report_year"])) == [("A", 2021), ("A", 2022), ("A", 2023),
                                                             ("B", 2021), ("B", 2022), ("B", 2023)]
    assert full["value"].dropna().tolist() == [1.0, 3.0, 2.0]
    assert full["value"].isna().tolist() == [False, True, False, True, False, True]
    assert full.loc[4, "value"] == 2.0 and full["report_year"].dtype == frame["report_year"].dtype
    # Two rows of a series in one year are both kept (the chart sums or shows them).
    twice = charts.with_year_gaps(pd.concat([frame, frame.iloc[[0]]]), "label", span=(2021, 2023))
    assert len(twice) == 7 and (twice["label"].eq("A") & twice["report_year"].eq(2023)).sum() == 2


def test_median_labels_sit_at_each_medians_last_value_pushed_apart():
    from klynge.ui.cluster_charts import LABEL_PX, LINE_HEIGHT, _median_ends

    rows = [("A", 2021, 0.0), ("A", 2023, 30.0),
            ("Median Arena", 2021, 10.0), ("Median Arena", 2022, 12.0), ("Median Arena", 2023, None),
            ("Median Moden", 2021, 11.0), ("Median Moden", 2022, 11.5), ("Median Moden", 2023, 12.5)]
    data = pd.DataFrame(rows, columns=["label", "report_year", "value"])
    ends = _median_ends(data, ["Median Arena", "Median Moden"])
    # Arena's last value is 2022's (2023 is a gap); the ends come in the order of their years.
    assert ends[["label", "report_year", "value"]].values.tolist() == [["Median Arena", 2022, 12.0],
                                                                       ["Median Moden", 2023, 12.5]]
    # Every value counts for the scale: 1.2 x 30 over a plot of LINE_HEIGHT - 60 = 160 px,
    # so 13 px is 36 x 13 / 160 = 2.925; Moden's label goes that far above Arena's.
    assert (LABEL_PX, LINE_HEIGHT) == (13, 220)
    assert ends["label_y"].tolist() == pytest.approx([12.0, 14.925])


def test_median_labels_ending_in_one_year_at_one_value_keep_the_order_of_the_data():
    from klynge.ui.cluster_charts import _median_ends

    data = pd.DataFrame([("M2", 2024, 5.0), ("M1", 2024, 5.0), ("M3", 2023, 1.0)], columns=["label", "report_year", "value"])
    ends = _median_ends(data, ["M1", "M2", "M3"])
    assert ends["label"].tolist() == ["M3", "M2", "M1"]
    # span 1.2 x 5 - 0 = 6, so a gap of 6 x 13 / 160 = 0.4875: M1 is pushed above M2.
    assert ends["label_y"].tolist() == pytest.approx([1.0, 5.0, 5.4875])
    assert _median_ends(data, ["M9"]).empty


def test_year_rows_from_lists_give_what_year_gaps_give():
    columns = {"label": ["A", "B", "A"], "report_year": [2023, 2022, 2021], "value": [3.0, 2.0, 1.0], "n": [5, 4, 3]}
    made = charts.year_rows(columns, "label", (2021, 2023))
    assert list(zip(made["label"], made["report_year"], made["value"].fillna(-1), made["n"].fillna(-1))) == [
        ("A", 2021, 1.0, 3), ("A", 2022, -1, -1), ("A", 2023, 3.0, 5), ("B", 2021, -1, -1), ("B", 2022, 2.0, 4),
        ("B", 2023, -1, -1)]
    pd.testing.assert_frame_equal(made, charts.with_year_gaps(pd.DataFrame(columns), "label", span=(2021, 2023)))
    # Every year present: the counts stay whole numbers, as in the frame they came from.
    whole = charts.year_rows({"label": ["A", "A"], "report_year": [2021, 2022], "n": [1, 2]}, "label", (2021, 2022))
    assert whole["n"].dtype == "int64" and whole["n"].tolist() == [1, 2]
    # Two rows of a series in one year are both kept, as by with_year_gaps.
    twice = charts.year_rows({"label": ["A", "A"], "report_year": [2021, 2021], "n": [1, 2]}, "label", (2021, 2022))
    assert twice["n"].fillna(-1).tolist() == [1, 2, -1]
