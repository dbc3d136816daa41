"""Charts of the cluster pages: one cluster against the median of its level (Klyngeprofil),
a few clusters side by side with their levels' medians under one legend for the page
(Sammenlign), the indicators of each goal as small multiples (Måloppnåelse); and the
clusters those pages open on when none is chosen.

A missing year is a gap in a line (`charts.with_year_gaps`), never a segment joining the
years beside it; a lone year is still drawn, as a point.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from klynge.metrics import MIN_PEERS
from klynge.ui.charts import (
    _LINE_INVALID,
    CLUSTER_COLOURS,
    SCHEMA,
    _axis_format,
    _level_scale_dict,
    _value_encoding,
    _year_encoding,
    chart_config,
    legend_height,
    level_label_order,
    year_rows,
)
from klynge.ui import drill
from klynge.ui.texts import figure_label, level_label, t

# The medians are reference lines, not clusters: grey (colour is the clusters' on these
# pages), a darker tone and a longer dash the more mature the level, and a label on the line.
MEDIAN_GREYS = {"tidligfase": "#8f8f8f", "arena": "#6f6f6f", "arena_pro": "#525252", "moden": "#2e2e2e", "utenfor": "#a8a8a8"}
MEDIAN_DASHES = {"tidligfase": [2, 2], "arena": [5, 3], "arena_pro": [8, 3, 2, 3], "moden": [12, 4], "utenfor": [1, 3]}
SOLID = [1, 0]
# Klyngeprofil: one median, of whichever level the cluster had each year.
PROFILE_MEDIAN_GREY, PROFILE_MEDIAN_DASH = "#525252", [5, 3]
LINE_HEIGHT = 220  # pixels of plot, the charts of Sammenlign and Klyngeprofil
LEGEND_ROW_HEIGHT = 26  # pixels, a row of the page's legend of clusters
LABEL_PX = 13  # the least distance between two median labels, in pixels
# Måloppnåelse: the plot of one indicator in a goal's small multiples.
PANEL_HEIGHT = 72
# A hollow ring (Vega's symbol space runs from -1 to 1): a figure that rests on fewer than
# MIN_PEERS clusters. The inner circle winds the other way, so it is a hole.
RING = "M-1,0A1,1,0,1,1,1,0A1,1,0,1,1,-1,0ZM-0.5,0A0.5,0.5,0,1,0,0.5,0A0.5,0.5,0,1,0,-0.5,0Z"


def largest_first(counts: pd.DataFrame) -> pd.DataFrame:
    """The clusters of `counts` (`data.register_counts`: members in the register at the end
    of the filter's last year) with the most members first; a tie by name."""
    return counts.sort_values(["members_total", "cluster"], ascending=[False, True], kind="stable")


def default_profile(counts: pd.DataFrame) -> pd.Series | None:
    """The cluster Klyngeprofil opens on: the largest of `counts`; None when there is none."""
    ranked = largest_first(counts)
    return None if ranked.empty else ranked.iloc[0]


def default_comparison(counts: pd.DataFrame, peers: int = 3) -> pd.DataFrame:
    """The clusters Sammenlign opens on: the largest of `counts` and the `peers` largest
    others at its level that year (fewer when the level has fewer)."""
    ranked = largest_first(counts)
    if ranked.empty:
        return ranked
    return ranked[ranked["level"] == ranked.iloc[0]["level"]].head(1 + peers)


def _spread(values: list[float], gap: float) -> list[float]:
    """Positions for labels beside `values`: each as near its value as it can be, at least
    `gap` above the one below it (labels that would overlap are pushed up)."""
    order = sorted(range(len(values)), key=lambda index: values[index])
    placed = [0.0] * len(values)
    floor = None
    for index in order:
        placed[index] = values[index] if floor is None else max(values[index], floor + gap)
        floor = placed[index]
    return placed


def _line_layers(labels: list[str], colours: list[str], dashes: list[list[int]], title: str, unit: str,
                 legend: bool = False) -> list[dict]:
    """A line per `label` of the dataset "lines" (a gap where a year has no value) and its
    points, with tooltips; with `legend`, a legend of the lines below (colour and dash in one).

    Written as Vega-Lite dicts, as `level_charts.level_distribution` is: Sammenlign draws nine
    of these charts on each filter change, and Altair spent 15-20 ms building each."""
    shown = {"values": labels, "symbolType": "stroke", "symbolStrokeWidth": 2, "labelLimit": 220} if legend else None
    colour = {"field": "label", "type": "nominal", "legend": shown, "scale": {"domain": labels, "range": colours}}
    x, y = _year_encoding(), _value_encoding("value", None, unit)
    lines = {"data": {"name": "lines"}, "mark": {"type": "line", "invalid": _LINE_INVALID, "strokeWidth": 2},
             "encoding": {"x": x, "y": y, "color": colour,
                          "strokeDash": {"field": "label", "type": "nominal", "legend": shown,
                                         "scale": {"domain": labels, "range": dashes}}}}
    points = {"data": {"name": "lines"}, "mark": {"type": "point", "filled": True, "size": 36, "opacity": 1},
              "encoding": {"x": x, "y": y, "color": {**colour, "legend": None},
                           "tooltip": [{"field": "report_year", "type": "ordinal", "title": t("chart.year")},
                                       {"field": "label", "type": "nominal", "title": " "},
                                       {"field": "value", "type": "quantitative", "title": title, "format": _axis_format(unit)},
                                       {"field": "n", "type": "quantitative", "title": t("chart.n_clusters")}]}}
    return [lines, points]


def _line_chart(layers: list[dict], datasets: dict[str, pd.DataFrame], legend_entries: int = 0, kind: str = "lines") -> dict:
    """The spec of a chart of `layers`, `LINE_HEIGHT` of plot (and a row more per row of its
    legend, as `charts._finish` gives them)."""
    return {"$schema": SCHEMA, "config": chart_config(), "layer": layers, "height": legend_height(LINE_HEIGHT, legend_entries),
            "usermeta": {"klynge": {"chart": kind}}, "datasets": datasets}


def _lines_data(frame: pd.DataFrame, labels: list[str]) -> pd.DataFrame:
    """The dataset of a chart of lines over the years: `frame`'s rows with a value, as
    `report_year`, `label` (`labels`, one per row of `frame`), `value` and `n`, with every
    year of `frame`'s span in every line (`with_year_gaps`). Made from lists: the charts of
    Klyngeprofil and Sammenlign have a few dozen rows each, which cost more in pandas' steps
    than in their values."""
    years = frame["report_year"].tolist()
    kept = [row for row, gap in enumerate(frame["value"].isna().tolist()) if not gap]
    columns = {"report_year": years, "label": labels, "value": frame["value"].tolist(), "n": frame["n"].tolist()}
    return year_rows({name: [values[row] for row in kept] for name, values in columns.items()}, "label",
                     span=(int(min(years)), int(max(years))))


def cluster_vs_median(frame: pd.DataFrame, title: str, unit: str = "count") -> dict:
    """One cluster's figure over the years (solid, in the first cluster colour) beside the
    median of its level (dashed grey), in half the page under a heading that names the
    figure (so no axis title). `frame` has `report_year`, `series` ('cluster' or 'median'),
    `value` and `n` (the clusters a median rests on; a median of too few is missing). A
    year without a value is a gap in its line."""
    names = {"cluster": t("profile.series.cluster"), "median": t("profile.series.median")}
    data = _lines_data(frame, [names[series] for series in frame["series"].tolist()])
    labels = [names["cluster"], names["median"]]
    layers = _line_layers(labels, [CLUSTER_COLOURS[0], PROFILE_MEDIAN_GREY], [SOLID, PROFILE_MEDIAN_DASH], title, unit,
                          legend=True)
    return _line_chart(layers, {"lines": data}, len(labels), "cluster_vs_median")


def cluster_colours(clusters: Sequence[str]) -> list[str]:
    """The colour of each cluster, by its place in the page's choice (the same on every chart)."""
    return [CLUSTER_COLOURS[index % len(CLUSTER_COLOURS)] for index in range(len(clusters))]


def compare_lines(frame: pd.DataFrame, title: str, unit: str, clusters: Sequence[str]) -> dict:
    """Clusters (solid, in `CLUSTER_COLOURS` by their place in `clusters`, so the same on
    every chart of the page) beside the medians of their levels (dashed greys, each labelled
    at its line's end: no legend; the page has one, `cluster_legend`). `frame` has
    `report_year`, `kind` ('cluster' or 'median'), `series` (a cluster's name, or a median's
    level code), `value` and `n` (the clusters a value rests on). A year without a value is
    a gap. In half the page under a heading that names the figure (so no axis title)."""
    kinds, series = frame["kind"].tolist(), frame["series"].tolist()
    levels = list(dict.fromkeys(code for kind, code in zip(kinds, series) if kind == "median"))
    median_label = {code: t("compare.median", level=level_label(code)) for code in levels}
    data = _lines_data(frame, [median_label[code] if kind == "median" else code for kind, code in zip(kinds, series)])
    labels = [*clusters, *median_label.values()]
    colours = [*cluster_colours(clusters), *(MEDIAN_GREYS.get(code, MEDIAN_GREYS["utenfor"]) for code in levels)]
    dashes = [*([SOLID] * len(clusters)), *(MEDIAN_DASHES.get(code, MEDIAN_DASHES["utenfor"]) for code in levels)]
    layers = _line_layers(labels, colours, dashes, title, unit)
    datasets = {"lines": data}
    ends = _median_ends(data, list(median_label.values()))
    if not ends.empty:
        datasets["ends"] = ends
        layers.append({"data": {"name": "ends"},
                       "mark": {"type": "text", "align": "left", "baseline": "middle", "dx": 7, "fontSize": 11},
                       "encoding": {"x": _year_encoding(), "y": {"field": "label_y", "type": "quantitative"},
                                    "text": {"field": "label", "type": "nominal"},
                                    "color": {"field": "label", "type": "nominal", "legend": None,
                                              "scale": {"domain": labels, "range": colours}}}})
    return _line_chart(layers, datasets, kind="compare_lines")


def _median_ends(data: pd.DataFrame, labels: list[str]) -> pd.DataFrame:
    """Where each median's label goes: beside its last value, pushed apart so that no two
    labels overlap on a plot `LINE_HEIGHT` high. One row per median with a value, the last
    of each, in the order of their years (and of `data` within a year)."""
    wanted = set(labels)
    values, gaps, years = data["value"].tolist(), data["value"].isna().tolist(), data["report_year"].tolist()
    last: dict[str, int] = {}
    for position, (label, year, gap) in enumerate(zip(data["label"].tolist(), years, gaps)):
        if label in wanted and not gap and (label not in last or year >= years[last[label]]):
            last[label] = position
    ends = data.iloc[sorted(last.values(), key=lambda position: (years[position], position))].reset_index(drop=True)
    if ends.empty:
        return ends.assign(label_y=[])
    present = [value for value, gap in zip(values, gaps) if not gap]
    # The plot is the chart's height less its axis (about 60 px), and its scale runs a
    # little past the largest value (Vega-Lite rounds it up): a gap a bit wider than needed.
    span = 1.2 * max(max(present), 0) - min(min(present), 0)
    gap = span * LABEL_PX / (LINE_HEIGHT - 60) if span > 0 else 1.0
    return ends.assign(label_y=_spread([float(value) for value in ends["value"].tolist()], gap))


def cluster_legend(clusters: Sequence[str]) -> dict:
    """The page's one legend of the clusters, in their colours, two to a row (a phone has
    room for two names side by side)."""
    data = pd.DataFrame({"cluster": list(clusters), "colour": cluster_colours(clusters)})
    data["column"] = [index % 2 for index in range(len(data))]
    data["row"] = [index // 2 for index in range(len(data))]
    place = {"x": {"field": "column", "type": "quantitative", "scale": {"domain": [0, 2]}, "axis": None},
             "y": {"field": "row", "type": "ordinal", "axis": None, "scale": {"paddingInner": 0, "paddingOuter": 0}}}
    swatches = {"mark": {"type": "point", "filled": True, "size": 90, "opacity": 1},
                "encoding": {**place, "color": {"field": "cluster", "type": "nominal", "legend": None,
                                                "scale": {"domain": list(clusters), "range": data["colour"].tolist()}}}}
    # A name may take its half of the width, less the swatch.
    names = {"mark": {"type": "text", "align": "left", "baseline": "middle", "dx": 10, "fontSize": 13,
                      "limit": {"expr": "width / 2 - 24"}},
             "encoding": {**place, "text": {"field": "cluster", "type": "nominal"}}}
    rows = int(data["row"].max()) + 1 if len(data) else 1
    return {"$schema": SCHEMA, "data": {"name": "legend"}, "layer": [swatches, names], "height": LEGEND_ROW_HEIGHT * rows,
            "padding": {"top": 4, "bottom": 4, "left": 4, "right": 4}, "config": chart_config(view={"stroke": None}),
            "usermeta": {"klynge": {"chart": "cluster_legend"}}, "datasets": {"legend": data}}


def goal_panels(summary: pd.DataFrame, indicators: Sequence[str], units: dict[str, str], pick: bool = False) -> dict:
    """A goal's indicators as small multiples: one short panel each, titled with the
    indicator and its unit, on its own value axis, one above the other over the same years,
    one line per level and one legend of the levels. `summary` has `report_year`, `level`,
    `clusters` and the indicators (per level and year); a missing value is a gap, a figure
    that rests on fewer than `MIN_PEERS` clusters a hollow ring (n in the tooltip). With
    `pick`, a click on a point picks its level and year in every panel (`drill`).

    Written as a Vega-Lite dict, as `level_charts.level_distribution` is: Måloppnåelse draws
    seven of these on a filter change, and Altair spent 40-60 ms building and writing each."""
    span = (int(summary["report_year"].min()), int(summary["report_year"].max()))
    names = {code: level_label(code) for code in summary["level"].unique()}
    present = set(names.values())
    legend_values = [label for label in level_label_order() if label in present]
    colour = {"field": "level_label", "type": "nominal", "title": None, "scale": _level_scale_dict(),
              "legend": {"values": legend_values, "rowPadding": 2, "symbolSize": 60, "labelFontSize": 11}}
    shape = {"field": "few", "type": "nominal", "legend": None, "scale": {"domain": ["ok", "few"], "range": ["circle", RING]}}
    panels, datasets = [], {}
    years, levels, clusters = (summary[column].tolist() for column in ("report_year", "level", "clusters"))
    for position, key in enumerate(indicators):
        unit = units[key]
        values = summary[key].tolist()
        kept = [row for row, gap in enumerate(summary[key].isna().tolist()) if not gap]
        name = f"panel_{position}"
        datasets[name] = year_rows({
            "report_year": [years[row] for row in kept], "level": [levels[row] for row in kept],
            "clusters": [clusters[row] for row in kept], "value": [values[row] for row in kept],
            "level_label": [names[levels[row]] for row in kept],
            "few": ["few" if clusters[row] < MIN_PEERS else "ok" for row in kept]}, "level_label", span=span)
        y = {"field": "value", "type": "quantitative", "title": None,
             "axis": {"format": _axis_format(unit), **({"tickMinStep": 1} if unit == "count" else {}), "tickCount": 3}}
        if unit == "percent":
            y["scale"] = {"domain": [0, 1]}
        last = position == len(indicators) - 1
        panels.append({
            "name": name, "data": {"name": name},
            "mark": {"type": "line", "invalid": _LINE_INVALID, "strokeWidth": 2, "point": {"filled": True, "size": 40, "opacity": 1}},
            "encoding": {
                "x": {"field": "report_year", "type": "ordinal", "title": None, "axis": {"labelAngle": 0} if last else None},
                "y": y, "color": colour, "shape": shape,
                "tooltip": [{"field": "report_year", "type": "ordinal", "title": t("chart.year")},
                            {"field": "level_label", "type": "nominal", "title": t("chart.level")},
                            {"field": "value", "type": "quantitative", "title": figure_label(key), "format": _axis_format(unit)},
                            {"field": "clusters", "type": "quantitative", "title": t("chart.n_clusters")}]},
            "height": PANEL_HEIGHT,
            "title": {"text": t("goals.panel_title", figure=figure_label(key), unit=t(f"unit.{unit}")), "anchor": "start",
                      "frame": "bounds", "fontSize": 12, "offset": 4},
        })
    spec = {"$schema": SCHEMA, "config": chart_config(), "vconcat": panels, "spacing": 14,
            "resolve": {"scale": {"y": "independent", "x": "shared", "color": "shared", "shape": "shared"}},
            "usermeta": {"klynge": {"chart": "goal_panels"}}, "datasets": datasets}
    if pick:
        # One selection of every panel (`views`: the panels' names); only a click on a point
        # picks (on a line, Vega would give the line's first point).
        spec["params"] = [{"name": drill.GOAL_PICK, "views": [panel["name"] for panel in panels],
                           "select": {"type": "point", "fields": ["level", "report_year"], "clear": "dblclick",
                                      "on": "click[event.item && event.item.mark.marktype === 'symbol']"}}]
    return spec
