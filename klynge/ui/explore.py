"""Utforsk, the explorer: any indicator of the glossary by any breakdown (level, county,
sector, year or cluster), as a sum, a median per cluster or a share, over the sidebar's
filter. The figures are `metrics.group_comparison`'s, the one definition of a group's
figures that the theme pages' levels and the county map use; the charts follow the
breakdown (a line over the years, a map of the counties, bars for the rest).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from klynge import metrics
from klynge.domain import REGIONS
from klynge.indicators import INDICATORS
from klynge.ui import charts
from klynge.ui import format as fmt
from klynge.ui.charts import SCHEMA, _value_encoding, _year_encoding, chart_config
from klynge.ui.level_charts import value_text
from klynge.ui.texts import level_label, sector_label, t

BREAKDOWNS = ("level", "region", "sector", "report_year", "cluster")
MEASURES = ("sum", "median", "share")
UNITS = {indicator.key: indicator.unit for indicator in INDICATORS}
ADDITIVE = ("count", "mnok")  # a sum and a share mean something; a ratio's or a percentage's do not
BAR_ROW = 26
BAR_COLOUR = "#27476e"  # the theme's navy: one figure, one colour (the levels' colours mean a level)


def measures(indicator: str, by: str) -> tuple[str, ...]:
    """The measures that mean something for `indicator` by `by`: a ratio or a percentage is
    never summed (only its median per cluster); the number of clusters has no median; a
    cluster is a group of one (its own value, as a sum); the years have no share (a year's
    share of all the years is not a figure anyone reports)."""
    if by == "cluster":
        return ("sum",)
    if UNITS[indicator] not in ADDITIVE:
        return ("median",)
    allowed = ("sum", "share") if indicator == "clusters" else MEASURES
    return tuple(measure for measure in allowed if not (by == "report_year" and measure == "share"))


def restriction(indicator: str, by: str) -> str | None:
    """Why `measures` offers fewer than all three (a key of the "explore.only" texts), or None."""
    if by == "cluster":
        return "cluster"
    if UNITS[indicator] not in ADDITIVE:
        return "ratio"
    if indicator == "clusters":
        return "clusters"
    return "years" if by == "report_year" else None


def unit_of(indicator: str, measure: str) -> str:
    return "percent" if measure == "share" else UNITS[indicator]


def breakdown(reports: pd.DataFrame, indicator: str, by: str, measure: str) -> pd.DataFrame:
    """Per group of `by` in `reports` (the reports of the filter, with the derived figures):
    `group` (its value), `label` (as the page shows it), `clusters` (the reports), `n` (those
    with the figure) and `value`: the group's total (`sum`), its median per cluster
    (`median`, missing where n < `metrics.MIN_PEERS`) or its total as a share of the whole
    selection's (`share`: the figure summed over every report of the filter, those without a
    county or sector included, so shares of the counties need not add up to 100 %)."""
    if indicator == "clusters":
        reports = reports.assign(clusters=1.0)
    groups = metrics.group_comparison(reports, indicator, by).rename(columns={by: "group"})
    if measure == "median":
        value = groups["median"]
    elif measure == "share":
        whole = reports[indicator].astype(float).sum(min_count=1)
        value = groups["total"] / whole if whole and not np.isnan(whole) else groups["total"] * np.nan
    else:
        value = groups["total"]
    frame = groups.assign(value=value.astype(float), label=[_label(by, group) for group in groups["group"]])
    return _ordered(frame, by)[["group", "label", "clusters", "n", "value"]].reset_index(drop=True)


def _label(by: str, group) -> str:
    if by == "level":
        return level_label(group)
    if by == "sector":
        return sector_label(group)
    return str(group)


def _ordered(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """Levels in their order, counties as the list has them, years in time; sectors and
    clusters largest first (then by name)."""
    if by == "level":
        return frame.sort_values("group", key=lambda codes: codes.map(metrics.level_order), kind="stable")
    if by == "region":
        order = {name: index for index, name in enumerate(REGIONS)}
        return frame.sort_values("group", key=lambda names: names.map(lambda name: order.get(name, len(order))), kind="stable")
    if by == "report_year":
        return frame.sort_values("group")
    return frame.sort_values(["value", "label"], ascending=[False, True], na_position="last", kind="stable")


def as_counties(frame: pd.DataFrame) -> pd.DataFrame:
    """A breakdown by county in the columns `county_map.county_map` draws."""
    return frame.rename(columns={"group": "region", "n": "with_value"})[["region", "clusters", "value", "with_value"]]


def bars(frame: pd.DataFrame, title: str, unit: str, median: bool = False) -> dict:
    """One horizontal bar per group (`breakdown`'s rows, in their order), each labelled with
    its value; n in the tooltip. A group without a value has no bar, and its label says why
    (`median`: the values are medians, missing where too few clusters have the figure)."""
    data = frame.assign(text=[value_text(value, unit) if pd.notna(value) else _missing(n, median)
                              for value, n in zip(frame["value"], frame["n"])], zero=0.0)
    data["description"] = data["label"] + ": " + data["text"]  # what a screen reader says of a bar
    order = list(data["label"])
    y = {"field": "label", "type": "nominal", "title": None, "sort": order,
         "axis": {"labelLimit": 240, "labelFontSize": 12, "ticks": False, "domain": False}}
    x = {**_value_encoding("value", title, unit), "scale": {"zero": True, **({"domain": [0, 1]} if unit == "percent" else {})}}
    x["axis"] = {**x["axis"], "orient": "top"}
    tooltip = [{"field": "label", "type": "nominal", "title": t("explore.group")},
               {"field": "text", "type": "nominal", "title": title},
               {"field": "n", "type": "quantitative", "title": t("chart.n_clusters")}]
    layers = [
        {"data": {"name": "groups"}, "mark": {"type": "bar", "color": BAR_COLOUR, "height": {"band": 0.7}},
         "encoding": {"x": x, "y": y, "tooltip": tooltip, "description": {"field": "description", "type": "nominal"}}},
        {"data": {"name": "groups"}, "mark": {"type": "text", "align": "left", "dx": 4, "fontSize": 11, "color": "#333333"},
         "encoding": {"x": {"field": "value", "type": "quantitative"}, "y": y, "text": {"field": "text", "type": "nominal"}}},
        # A group without a value: its note from the axis, where the bar would start.
        {"data": {"name": "missing"}, "mark": {"type": "text", "align": "left", "dx": 4, "fontSize": 11, "fontStyle": "italic",
                                               "color": "#555555"},
         "encoding": {"x": {"field": "zero", "type": "quantitative"}, "y": y, "text": {"field": "text", "type": "nominal"}}},
    ]
    # Room on the right for the longest bar's label.
    return {"$schema": SCHEMA, "config": chart_config(), "layer": layers, "height": BAR_ROW * max(len(order), 1) + 60,
            "padding": {"left": 5, "top": 5, "right": 36, "bottom": 5},
            "usermeta": {"klynge": {"chart": "explore_bars"}},
            "datasets": {"groups": data[data["value"].notna()], "missing": data[data["value"].isna()]}}


def _missing(n: int, median: bool) -> str:
    """Why a group has no value: too few of its clusters have the figure for a median, or
    none has it (or, for a share, the whole selection's sum is 0)."""
    return t("levels.too_few_cell", n=fmt.integer(n)) if median and n > 0 else t("explore.no_value")


def year_line(frame: pd.DataFrame, title: str, unit: str) -> dict:
    """The figure over the years (`breakdown` by year): a line with a point a year, a gap
    where a year has no figure (too few clusters for a median, or none with the figure)."""
    data = frame.rename(columns={"group": "report_year"}).assign(series="all")
    data = charts.with_year_gaps(data[data["value"].notna()], "series") if data["value"].notna().any() else data.iloc[0:0]
    data = data.assign(text=[value_text(value, unit) if pd.notna(value) else "–" for value in data["value"]])
    # The heading above names the figure: the axis has its unit's ticks, not a title too long to stand.
    x, y = _year_encoding(), _value_encoding("value", None, unit)
    tooltip = [{"field": "report_year", "type": "ordinal", "title": t("chart.year")},
               {"field": "text", "type": "nominal", "title": title},
               {"field": "n", "type": "quantitative", "title": t("chart.n_clusters")}]
    colour = BAR_COLOUR
    layers = [
        {"data": {"name": "years"}, "mark": {"type": "line", "color": colour, "invalid": charts._LINE_INVALID},
         "encoding": {"x": x, "y": y}},
        {"data": {"name": "years"}, "mark": {"type": "point", "filled": True, "size": 60, "color": colour},
         "encoding": {"x": x, "y": y, "tooltip": tooltip}},
    ]
    return {"$schema": SCHEMA, "config": chart_config(), "layer": layers, "height": charts.HEIGHT,
            "usermeta": {"klynge": {"chart": "explore_years"}}, "datasets": {"years": data}}
