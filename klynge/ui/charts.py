"""Altair charts with the same colours on every page: one per level, one per member type.

Each builder takes a tidy frame with codes (level, member_type) and does the labelling
itself, so that colours and legends cannot drift between pages.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from klynge.domain import LEVEL_CODES, MEMBER_TYPE_CODES, OUTSIDE_LEVEL
from klynge.ui.format import vega_locale
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
# Clusters side by side (Sammenlign, Klyngeprofil): a categorical palette of its own, so a
# cluster is never read as a level (Okabe & Ito's colour-blind-safe set, without the hues of
# the level colours).
CLUSTER_COLOURS: tuple[str, ...] = ("#cc79a7", "#d55e00", "#0072b2", "#009e73", "#000000", "#e69f00")
HEIGHT = 300
# Charts with a bar per cluster draw at most this many (the largest); tables have them all.
MAX_CLUSTER_BARS = 40


def _level_scale() -> alt.Scale:
    codes = [*LEVEL_CODES, OUTSIDE_LEVEL]
    return alt.Scale(domain=[level_label(c) for c in codes], range=[LEVEL_COLOURS[c] for c in codes])


def _member_type_scale() -> alt.Scale:
    return alt.Scale(domain=[member_type_label(c) for c in MEMBER_TYPE_CODES],
                     range=[MEMBER_TYPE_COLOURS[c] for c in MEMBER_TYPE_CODES])


def _configure(chart: alt.Chart, legend_columns: int = 4) -> alt.Chart:
    """The reader's number formats, and legends below the chart in rows that wrap instead
    of running off the edge (fewer columns for narrow charts)."""
    return chart.configure(locale=vega_locale()).configure_legend(
        orient="bottom", title=None, labelLimit=180 if legend_columns == 2 else 220, columns=legend_columns)


LEGEND_ROW = 24  # pixels
# Legend columns by how many charts share the page's width.
_LEGEND_COLUMNS = {1: 4, 2: 2}


def _finish(chart: alt.Chart, legend_columns: int = 4, legend_entries: int = 0, height: int = HEIGHT) -> alt.Chart:
    """The chart's height and configuration. Streamlit fits a chart with its legend into its
    height, so a legend below the chart gets rows of its own on top of `height`: the plot
    keeps its size whatever the legend's length."""
    rows = -(-legend_entries // legend_columns) + 1 if legend_entries else 0  # + its title
    return _configure(chart.properties(height=height + LEGEND_ROW * rows), legend_columns)


def _axis_format(unit: str) -> str:
    return {"mnok": ",.1f", "percent": ".0%", "ratio": ",.1f"}.get(unit, ",.0f")


def _level_colour(data: pd.DataFrame, legend: bool = True) -> alt.Color:
    """Colour by level, the same on every chart; the legend lists only the levels shown."""
    present = [label for label in level_label_order() if label in set(data["level_label"])]
    return alt.Color("level_label:N", scale=_level_scale(), title=t("chart.level"),
                     legend=alt.Legend(values=present) if legend else None)


def _type_colour(data: pd.DataFrame) -> alt.Color:
    """Colour by member type; the legend lists only the types shown."""
    shown = set(data["type_label"].unique())
    present = [member_type_label(c) for c in MEMBER_TYPE_CODES if member_type_label(c) in shown]
    return alt.Color("type_label:N", scale=_member_type_scale(), title=t("chart.member_type"), legend=alt.Legend(values=present))


def level_label_order() -> list[str]:
    return [level_label(c) for c in [*LEVEL_CODES, OUTSIDE_LEVEL]]


def _with_level_labels(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """The `columns` a chart draws (and `level`), with the level's name. A chart carries its
    data to the browser: only what it shows, not every figure of the summary (a tenth of
    the time to build and send the chart)."""
    data = frame[list(dict.fromkeys(["level", *columns]))]
    return data.assign(level_label=data["level"].map(level_label))


def level_bars(frame: pd.DataFrame, value: str, title: str, unit: str = "count") -> alt.Chart:
    """One bar per level. `frame` has `level` and `value`."""
    data = _with_level_labels(frame, value)
    order = [level_label(c) for c in [*LEVEL_CODES, OUTSIDE_LEVEL]]
    chart = alt.Chart(data).mark_bar().encode(
        x=alt.X("level_label:N", title=None, sort=order, axis=alt.Axis(labelAngle=0)),
        y=alt.Y(f"{value}:Q", title=title, axis=alt.Axis(format=_axis_format(unit))),
        color=_level_colour(data, legend=False),
        tooltip=[alt.Tooltip("level_label:N", title=t("chart.level")),
                 alt.Tooltip(f"{value}:Q", title=title, format=_axis_format(unit))],
    )
    return _finish(chart)


def level_trend(frame: pd.DataFrame, value: str, title: str, unit: str = "count", beside: int = 1,
                y_domain: list[float] | None = None) -> alt.Chart:
    """One line per level over the years. `frame` has `report_year`, `level` and `value`.
    `y_domain`: the value axis, when charts side by side must share one scale. `beside`: how
    many charts share the page's width. Side by side, each stands under a
    heading that names its figure, so its axis has no title (it would not fit), and its
    legend has fewer columns."""
    narrow = beside > 1
    # n: the clusters a level's figure rests on (per-level sums have it), in the tooltip.
    counted = ["clusters"] if "clusters" in frame and value != "clusters" else []
    data = _with_level_labels(frame, "report_year", value, *counted)
    chart = alt.Chart(data).mark_line(point=True).encode(
        x=alt.X("report_year:O", title=t("chart.year"), axis=alt.Axis(labelAngle=0)),
        y=alt.Y(f"{value}:Q", title=None if narrow else title, axis=alt.Axis(format=_axis_format(unit)),
                scale=alt.Scale(domain=y_domain) if y_domain else alt.Undefined),
        color=_level_colour(data),
        tooltip=[alt.Tooltip("report_year:O", title=t("chart.year")),
                 alt.Tooltip("level_label:N", title=t("chart.level")),
                 alt.Tooltip(f"{value}:Q", title=title, format=_axis_format(unit)),
                 *[alt.Tooltip("clusters:Q", title=t("chart.n_clusters")) for _ in counted]],
    )
    return _finish(chart, _LEGEND_COLUMNS.get(beside, 1), data["level_label"].nunique())


def level_year_bars(frame: pd.DataFrame, value: str, title: str, unit: str = "count", beside: int = 1,
                    y_domain: list[float] | None = None) -> alt.Chart:
    """Bars per year, stacked by level; `beside` as for `level_trend`."""
    data = _with_level_labels(frame, "report_year", value)
    chart = alt.Chart(data).mark_bar().encode(
        x=alt.X("report_year:O", title=t("chart.year"), axis=alt.Axis(labelAngle=0)),
        y=alt.Y(f"sum({value}):Q", title=title, axis=alt.Axis(format=_axis_format(unit)),
                scale=alt.Scale(domain=y_domain) if y_domain else alt.Undefined),
        color=_level_colour(data),
        tooltip=[alt.Tooltip("report_year:O", title=t("chart.year")),
                 alt.Tooltip("level_label:N", title=t("chart.level")),
                 alt.Tooltip(f"sum({value}):Q", title=title, format=_axis_format(unit))],
    )
    return _finish(chart, _LEGEND_COLUMNS.get(beside, 1), data["level_label"].nunique())


def composition(frame: pd.DataFrame, group: str, group_title: str, value: str = "members", horizontal: bool = False,
                order: list[str] | None = None) -> alt.Chart:
    """Stacked bars of members by type per group (level or cluster), as counts (`members`)
    or shares (`share`), with the groups in `order` (else as they come)."""
    data = frame.assign(type_label=frame["member_type"].map(member_type_label))
    unit = "percent" if value == "share" else "count"
    value_title = t("chart.share") if value == "share" else t("chart.members")
    group_axis = alt.Y if horizontal else alt.X
    value_axis = alt.X if horizontal else alt.Y
    encoding = {
        ("y" if horizontal else "x"): group_axis(f"{group}:N", title=group_title, sort=order,
                                                 axis=alt.Axis(labelLimit=260, labelOverlap=False, **({} if horizontal else {"labelAngle": 0}))),
        ("x" if horizontal else "y"): value_axis(f"{value}:Q", title=value_title, stack="zero",
                                                 axis=alt.Axis(format=_axis_format(unit))),
        "color": _type_colour(data),
        "order": alt.Order("member_type_order:Q"),
        "tooltip": [alt.Tooltip(f"{group}:N", title=group_title), alt.Tooltip("type_label:N", title=t("chart.member_type")),
                    alt.Tooltip("members:Q", title=t("chart.members"), format=",.0f"),
                    alt.Tooltip("share:Q", title=t("chart.share"), format=".0%")],
    }
    data["member_type_order"] = data["member_type"].map({c: i for i, c in enumerate(MEMBER_TYPE_CODES)})
    chart = alt.Chart(data).mark_bar().encode(**encoding)
    if horizontal:
        chart = chart.properties(height=max(HEIGHT, 22 * data[group].nunique()))
        return _configure(chart)
    return _finish(chart, legend_entries=data["type_label"].nunique())


CATEGORY_COLOURS = {"competence": "#4e79a7", "internationalisation": "#e15759", "innovation": "#59a14f", "custom": "#b5b5b5"}


def project_bars(frame: pd.DataFrame) -> alt.Chart:
    """New projects per level, stacked by category. `frame` has `level` (a code),
    `category` and `projects` (see `metrics.project_categories`)."""
    data = _with_level_labels(frame, "category", "projects").assign(category_label=frame["category"].map(lambda c: t(f"category.{c}")))
    categories = [c for c in CATEGORY_COLOURS if c in set(frame["category"])]
    data["category_order"] = data["category"].map({c: i for i, c in enumerate(CATEGORY_COLOURS)})
    chart = alt.Chart(data).mark_bar().encode(
        y=alt.Y("level_label:N", title=None, sort=level_label_order(), axis=alt.Axis(labelLimit=200)),
        x=alt.X("sum(projects):Q", title=t("chart.projects"), axis=alt.Axis(format=",.0f")),
        color=alt.Color("category_label:N", title=t("chart.category"),
                        scale=alt.Scale(domain=[t(f"category.{c}") for c in categories],
                                        range=[CATEGORY_COLOURS[c] for c in categories])),
        order=alt.Order("category_order:Q"),
        tooltip=[alt.Tooltip("level_label:N", title=t("chart.level")), alt.Tooltip("category_label:N", title=t("chart.category")),
                 alt.Tooltip("sum(projects):Q", title=t("chart.projects"), format=",.0f")],
    )
    return _configure(chart.properties(height=200))


def cluster_ranking(frame: pd.DataFrame, value: str, title: str, unit: str = "count") -> alt.Chart:
    """Horizontal bars, one per cluster, coloured by level, largest first."""
    data = _with_level_labels(frame, "cluster", value)
    chart = alt.Chart(data).mark_bar().encode(
        y=alt.Y("cluster:N", title=None, sort="-x", axis=alt.Axis(labelLimit=260, labelOverlap=False)),
        x=alt.X(f"{value}:Q", title=title, axis=alt.Axis(format=_axis_format(unit))),
        color=_level_colour(data),
        tooltip=[alt.Tooltip("cluster:N", title=t("chart.cluster")), alt.Tooltip("level_label:N", title=t("chart.level")),
                 alt.Tooltip(f"{value}:Q", title=title, format=_axis_format(unit))],
    ).properties(height=max(HEIGHT, 22 * len(data)))
    return _configure(chart)
