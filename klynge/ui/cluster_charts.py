"""Charts of single clusters: one cluster against the median of its level (Klyngeprofil),
and a few clusters side by side with their levels' medians (Sammenlign)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from klynge.ui.charts import _axis_format, _finish
from klynge.ui.texts import t


def cluster_vs_median(frame: pd.DataFrame, title: str, unit: str = "count") -> alt.Chart:
    """One cluster's figure over the years (solid) beside the median of its level (dashed),
    in half the page under a heading that names the figure (so no axis title).
    `frame` has `report_year`, `series` ('cluster' or 'median'), `value` and `n` (the
    clusters a median rests on; a median of too few is missing, so a gap)."""
    data = frame.assign(series_label=frame["series"].map(lambda s: t(f"profile.series.{s}")))
    chart = alt.Chart(data).mark_line(point=True).encode(
        x=alt.X("report_year:O", title=t("chart.year"), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("value:Q", title=None, axis=alt.Axis(format=_axis_format(unit))),
        color=alt.Color("series_label:N", title=None,
                        scale=alt.Scale(domain=[t("profile.series.cluster"), t("profile.series.median")], range=["#27476e", "#b5b5b5"])),
        strokeDash=alt.StrokeDash("series_label:N", legend=None,
                                  scale=alt.Scale(domain=[t("profile.series.cluster"), t("profile.series.median")], range=[[1, 0], [5, 4]])),
        tooltip=[alt.Tooltip("report_year:O", title=t("chart.year")), alt.Tooltip("series_label:N", title=" "),
                 alt.Tooltip("value:Q", title=title, format=_axis_format(unit)), alt.Tooltip("n:Q", title="n")],
    )
    return _finish(chart, 2, data["series_label"].nunique(), height=220)


def compare_lines(frame: pd.DataFrame, title: str, unit: str, series_scale: alt.Scale) -> alt.Chart:
    """Clusters (solid) beside the medians of their levels (dashed) over the years. `frame`
    has `report_year`, `series` (a cluster's name or a median's label), `kind` ('cluster' or
    'median'), `value` and `n` (the clusters a value rests on); `series_scale` keeps each
    cluster's colour the same on every chart. In half the page under a heading that names
    the figure (so no axis title)."""
    chart = alt.Chart(frame).mark_line(point=True).encode(
        x=alt.X("report_year:O", title=t("chart.year"), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("value:Q", title=None, axis=alt.Axis(format=_axis_format(unit))),
        color=alt.Color("series:N", scale=series_scale, title=None),
        strokeDash=alt.StrokeDash("kind:N", legend=None, scale=alt.Scale(domain=["cluster", "median"], range=[[1, 0], [5, 4]])),
        tooltip=[alt.Tooltip("report_year:O", title=t("chart.year")), alt.Tooltip("series:N", title=" "),
                 alt.Tooltip("value:Q", title=title, format=_axis_format(unit)), alt.Tooltip("n:Q", title="n")],
    )
    return _finish(chart, 2, frame["series"].nunique(), height=240)
