"""Charts: Streamlit fits a chart and its legend into the chart's height, so a legend below
the chart must get rows of its own, or a long legend squashes the plot to a line (it did on
the comparison page)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from klynge.ui import charts, cluster_charts

ROW = charts.LEGEND_ROW


def _lines(series: list[str]) -> pd.DataFrame:
    return pd.DataFrame([{"report_year": year, "series": name, "kind": "median" if name.startswith("Median") else "cluster",
                          "value": float(index + year - 2020)} for index, name in enumerate(series) for year in (2020, 2021)])


def _height(chart: alt.TopLevelMixin) -> int:
    return chart.to_dict()["height"]


def test_the_comparison_makes_room_for_every_row_of_its_legend():
    names = [f"Klynge {n}" for n in range(6)] + ["Median Arena", "Median Arena Pro", "Median Moden klynge"]
    scale = alt.Scale(domain=names, range=["#000000"] * len(names))
    nine = cluster_charts.compare_lines(_lines(names), "Medlemmer", "count", scale)
    two = cluster_charts.compare_lines(_lines(names[:2]), "Medlemmer", "count", scale)
    assert _height(nine) == 240 + ROW * (5 + 1)  # two columns: five rows, and the title's
    assert _height(two) == 240 + ROW * (1 + 1)
    assert "title" not in nine.to_dict()["encoding"]["y"] or nine.to_dict()["encoding"]["y"]["title"] is None


def test_level_charts_make_room_for_their_legend_by_how_many_stand_side_by_side():
    summary = pd.DataFrame([{"report_year": year, "level": level, "members_total": 10}
                            for year in (2022, 2023) for level in ("tidligfase", "arena", "arena_pro", "moden", "utenfor")])
    assert _height(charts.level_trend(summary, "members_total", "Medlemmer")) == charts.HEIGHT + ROW * (2 + 1)
    assert _height(charts.level_trend(summary, "members_total", "Medlemmer", beside=2)) == charts.HEIGHT + ROW * (3 + 1)
    assert _height(charts.level_year_bars(summary, "members_total", "Medlemmer", beside=3)) == charts.HEIGHT + ROW * (5 + 1)
