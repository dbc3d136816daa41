"""Altair charts with the same colours on every page: one per level, one per member type.

Each builder takes a tidy frame with codes (level, member_type) and does the labelling
itself, so that colours and legends cannot drift between pages.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from klynge.domain import LEVEL_CODES, MEMBER_TYPE_CODES, OUTSIDE_LEVEL
from klynge.ui.format import VEGA_LOCALE
from klynge.ui.texts import level_label, member_type_label, t

LEVEL_COLOURS = {
    "tidligfase": "#9db4d6",
    "arena": "#3a9e8f",
    "arena_pro": "#e8833a",
    "moden": "#27476e",
    OUTSIDE_LEVEL: "#b5b5b5",
}
MEMBER_TYPE_COLOURS = {
    "established": "#4e79a7",
    "startup": "#f28e2b",
    "investor": "#e15759",
    "rnd": "#76b7b2",
    "public": "#59a14f",
    "innovation_company": "#edc948",
    "association": "#b07aa1",
    "cluster": "#9c755f",
}
FINANCING_COLOURS = {"programme": "#27476e", "other": "#9db4d6"}
HEIGHT = 300


def _level_scale() -> alt.Scale:
    codes = [*LEVEL_CODES, OUTSIDE_LEVEL]
    return alt.Scale(domain=[level_label(c) for c in codes], range=[LEVEL_COLOURS[c] for c in codes])


def _member_type_scale() -> alt.Scale:
    return alt.Scale(domain=[member_type_label(c) for c in MEMBER_TYPE_CODES],
                     range=[MEMBER_TYPE_COLOURS[c] for c in MEMBER_TYPE_CODES])


def _finish(chart: alt.Chart) -> alt.Chart:
    return chart.properties(height=HEIGHT).configure(locale=VEGA_LOCALE).configure_legend(
        orient="bottom", title=None, labelLimit=220)


def _axis_format(unit: str) -> str:
    return {"mnok": ",.1f", "percent": ".0%", "ratio": ",.1f"}.get(unit, ",.0f")


def _with_level_labels(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(level_label=frame["level"].map(level_label))


def level_bars(frame: pd.DataFrame, value: str, title: str, unit: str = "count") -> alt.Chart:
    """One bar per level. `frame` has `level` and `value`."""
    data = _with_level_labels(frame)
    order = [level_label(c) for c in [*LEVEL_CODES, OUTSIDE_LEVEL]]
    chart = alt.Chart(data).mark_bar().encode(
        x=alt.X("level_label:N", title=None, sort=order, axis=alt.Axis(labelAngle=0)),
        y=alt.Y(f"{value}:Q", title=title, axis=alt.Axis(format=_axis_format(unit))),
        color=alt.Color("level_label:N", scale=_level_scale(), legend=None),
        tooltip=[alt.Tooltip("level_label:N", title=t("chart.level")),
                 alt.Tooltip(f"{value}:Q", title=title, format=_axis_format(unit))],
    )
    return _finish(chart)


def level_trend(frame: pd.DataFrame, value: str, title: str, unit: str = "count") -> alt.Chart:
    """One line per level over the years. `frame` has `report_year`, `level` and `value`."""
    data = _with_level_labels(frame)
    chart = alt.Chart(data).mark_line(point=True).encode(
        x=alt.X("report_year:O", title=t("chart.year"), axis=alt.Axis(labelAngle=0)),
        y=alt.Y(f"{value}:Q", title=title, axis=alt.Axis(format=_axis_format(unit))),
        color=alt.Color("level_label:N", scale=_level_scale(), title=t("chart.level")),
        tooltip=[alt.Tooltip("report_year:O", title=t("chart.year")),
                 alt.Tooltip("level_label:N", title=t("chart.level")),
                 alt.Tooltip(f"{value}:Q", title=title, format=_axis_format(unit))],
    )
    return _finish(chart)


def level_year_bars(frame: pd.DataFrame, value: str, title: str, unit: str = "count") -> alt.Chart:
    """Bars per year, stacked by level."""
    data = _with_level_labels(frame)
    chart = alt.Chart(data).mark_bar().encode(
        x=alt.X("report_year:O", title=t("chart.year"), axis=alt.Axis(labelAngle=0)),
        y=alt.Y(f"sum({value}):Q", title=title, axis=alt.Axis(format=_axis_format(unit))),
        color=alt.Color("level_label:N", scale=_level_scale(), title=t("chart.level")),
        tooltip=[alt.Tooltip("report_year:O", title=t("chart.year")),
                 alt.Tooltip("level_label:N", title=t("chart.level")),
                 alt.Tooltip(f"sum({value}):Q", title=title, format=_axis_format(unit))],
    )
    return _finish(chart)


def composition(frame: pd.DataFrame, group: str, group_title: str, value: str = "members", horizontal: bool = False) -> alt.Chart:
    """Stacked bars of members by type per group (level or cluster), as counts (`members`)
    or shares (`share`)."""
    data = frame.assign(type_label=frame["member_type"].map(member_type_label))
    unit = "percent" if value == "share" else "count"
    value_title = t("chart.share") if value == "share" else t("chart.members")
    group_axis = alt.Y if horizontal else alt.X
    value_axis = alt.X if horizontal else alt.Y
    encoding = {
        ("y" if horizontal else "x"): group_axis(f"{group}:N", title=group_title, sort=None,
                                                 axis=alt.Axis(labelLimit=260, **({} if horizontal else {"labelAngle": 0}))),
        ("x" if horizontal else "y"): value_axis(f"{value}:Q", title=value_title, stack="zero",
                                                 axis=alt.Axis(format=_axis_format(unit))),
        "color": alt.Color("type_label:N", scale=_member_type_scale(), title=t("chart.member_type")),
        "order": alt.Order("member_type_order:Q"),
        "tooltip": [alt.Tooltip(f"{group}:N", title=group_title), alt.Tooltip("type_label:N", title=t("chart.member_type")),
                    alt.Tooltip("members:Q", title=t("chart.members"), format=",.0f"),
                    alt.Tooltip("share:Q", title=t("chart.share"), format=".0%")],
    }
    data["member_type_order"] = data["member_type"].map({c: i for i, c in enumerate(MEMBER_TYPE_CODES)})
    chart = alt.Chart(data).mark_bar().encode(**encoding)
    if horizontal:
        chart = chart.properties(height=max(HEIGHT, 22 * data[group].nunique()))
        return chart.configure(locale=VEGA_LOCALE).configure_legend(orient="bottom", title=None, labelLimit=220)
    return _finish(chart)


def financing_bars(frame: pd.DataFrame, group: str, group_title: str) -> alt.Chart:
    """New projects by category, side by side for programme-financed and other."""
    data = frame.assign(
        financing_label=frame["financing"].map(lambda f: t(f"financing.{f}")),
        category_label=frame["category"].map(lambda c: t(f"category.{c}")),
    )
    chart = alt.Chart(data).mark_bar().encode(
        x=alt.X("category_label:N", title=None, axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("financing_label:N"),
        y=alt.Y("projects:Q", title=t("chart.projects"), axis=alt.Axis(format=",.0f")),
        color=alt.Color("financing_label:N", title=t("chart.financing"),
                        scale=alt.Scale(domain=[t("financing.programme"), t("financing.other")],
                                        range=[FINANCING_COLOURS["programme"], FINANCING_COLOURS["other"]])),
        column=alt.Column(f"{group}:N", title=group_title, header=alt.Header(labelOrient="bottom")) if group else alt.Undefined,
        tooltip=[alt.Tooltip("category_label:N", title=t("chart.category")),
                 alt.Tooltip("financing_label:N", title=t("chart.financing")),
                 alt.Tooltip("projects:Q", title=t("chart.projects"), format=",.0f")],
    )
    return chart.properties(height=HEIGHT - 40).configure(locale=VEGA_LOCALE).configure_legend(orient="bottom", title=None)


def cluster_ranking(frame: pd.DataFrame, value: str, title: str, unit: str = "count") -> alt.Chart:
    """Horizontal bars, one per cluster, coloured by level, largest first."""
    data = _with_level_labels(frame)
    chart = alt.Chart(data).mark_bar().encode(
        y=alt.Y("cluster:N", title=None, sort="-x", axis=alt.Axis(labelLimit=260)),
        x=alt.X(f"{value}:Q", title=title, axis=alt.Axis(format=_axis_format(unit))),
        color=alt.Color("level_label:N", scale=_level_scale(), title=t("chart.level")),
        tooltip=[alt.Tooltip("cluster:N", title=t("chart.cluster")), alt.Tooltip("level_label:N", title=t("chart.level")),
                 alt.Tooltip(f"{value}:Q", title=title, format=_axis_format(unit))],
    ).properties(height=max(HEIGHT, 20 * len(data)))
    return chart.configure(locale=VEGA_LOCALE).configure_legend(orient="bottom", title=None)


def cluster_vs_median(frame: pd.DataFrame, title: str, unit: str = "count") -> alt.Chart:
    """One cluster's figure over the years (solid) beside the median of its level (dashed).
    `frame` has `report_year`, `series` ('cluster' or 'median') and `value`."""
    data = frame.assign(series_label=frame["series"].map(lambda s: t(f"profile.series.{s}")))
    chart = alt.Chart(data).mark_line(point=True).encode(
        x=alt.X("report_year:O", title=t("chart.year"), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("value:Q", title=title, axis=alt.Axis(format=_axis_format(unit))),
        color=alt.Color("series_label:N", title=None,
                        scale=alt.Scale(domain=[t("profile.series.cluster"), t("profile.series.median")], range=["#27476e", "#b5b5b5"])),
        strokeDash=alt.StrokeDash("series_label:N", legend=None,
                                  scale=alt.Scale(domain=[t("profile.series.cluster"), t("profile.series.median")], range=[[1, 0], [5, 4]])),
        tooltip=[alt.Tooltip("report_year:O", title=t("chart.year")), alt.Tooltip("series_label:N", title=" "),
                 alt.Tooltip("value:Q", title=title, format=_axis_format(unit))],
    ).properties(height=220)
    return chart.configure(locale=VEGA_LOCALE).configure_legend(orient="bottom", title=None)
