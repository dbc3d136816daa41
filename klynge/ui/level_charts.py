"""The comparison each theme page opens with: per maturity level, every cluster a dot, the
level's median marked and labelled, n in the level's label; beside it the totals per level
and for the whole programme.

A level's total mostly measures how many clusters it has (19 mature clusters against 2 in
early stage); the dots and the median show what a typical cluster at the level has, and how
far apart the clusters are.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa
import streamlit as st

from klynge import metrics
from klynge.ui import charts, components, drill
from klynge.ui import format as fmt
from klynge.ui.charts import LEVEL_COLOURS, SCHEMA, _axis_format, chart_config
from klynge.ui.kept import keep
from klynge.ui.texts import figure_label, level_label, t

# Pixels per level: room for the dots, the median's tick and its label above them.
STEP = 60
# Streamlit fits the whole chart into its height: the value axis, its title and the padding
# get this much on top of the levels' rows.
AXIS_ROOM = 90
# Dots closer than a dot's width stand side by side across their row, in the first free of
# these places (units of the offset scale, a row being 4 units: the middle half of it); the
# later ones, between them, overlapping a little.
_SLOTS = (0.0, 0.5, -0.5, 1.0, -1.0, 0.25, -0.25, 0.75, -0.75)
# A dot's width as a part of the largest value (a chart of 200 to 800 pixels).
_RESOLUTION = 1 / 40
MEDIAN_COLOUR = "#1a1a1a"
# What the chart is, for tests and tools (Vega-Lite's `usermeta`, ignored by the renderer).
KIND = "level_distribution"
# The layers a reader clicks to pick a cluster or a level, and their selections (drill.py).
DOTS, MEDIAN_LAYERS = "prikker", ("median_kant", "median")
PICK_CLUSTERS, PICK_LEVELS = "klynger", "nivaer"


@dataclass(frozen=True)
class Figure:
    """A figure compared per cluster: a column of the reports (as `metrics.with_derived`
    gives them), its unit (count, mnok, ratio) and, for a ratio, the numerator and
    denominator whose sums make the level's own figure."""
    key: str
    unit: str = "count"
    ratio_of: tuple[str, str] | None = None

    @property
    def title(self) -> str:
        return figure_label(self.key) + (" (MNOK)" if self.unit == "mnok" else "")


def value_text(value: float, unit: str) -> str:
    """A value as the reader writes it: a count with a decimal only where it has one (a
    median of an even number of clusters), money in MNOK, a ratio with one decimal, a share
    in whole per cent."""
    if unit == "mnok":
        return fmt.mnok(value)
    if unit == "ratio":
        return fmt.ratio(value)
    if unit == "percent":
        return fmt.percent(value)
    return fmt.number(value, 0 if float(value).is_integer() else 1)


def member_shares_by_level(reports: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Members by type per level (`metrics.member_composition`) for `charts.composition`, each
    level named with its n (the clusters whose members make its shares), and those names in
    the levels' order."""
    by_level = metrics.member_composition(reports, ["level"])
    by_level = by_level.sort_values("level", key=lambda codes: codes.map(metrics.level_order), kind="stable")
    clusters = reports.groupby("level").size()
    with_n = {code: t("levels.axis_label", level=level_label(code), n=fmt.integer(clusters[code])) for code in clusters.index}
    by_level["level_code"], by_level["level"] = by_level["level"], by_level["level"].map(with_n)
    return by_level, [with_n[code] for code in sorted(with_n, key=metrics.level_order)]


def _offsets(levels: list, values: list[float]) -> list[float]:
    """Each dot's place across its level's row (a simple beeswarm), for dots of `levels`
    with `values`: from the smallest value up, a dot takes the first place of `_SLOTS` that
    no dot less than a dot's width away holds, so that ten clusters at "3" read as ten, not
    one. The same data always give the same picture."""
    largest = max((abs(value) for value in values), default=0.0)
    width = (largest or 1.0) * _RESOLUTION
    places = [0.0] * len(values)
    rows: dict = {}
    for position, level in enumerate(levels):
        rows.setdefault(level, []).append(position)
    for positions in rows.values():
        near: deque[tuple[float, int]] = deque()  # (value, slot) of the dots within a width
        # How many of those hold each slot (thousands may, at europe scale), by the slot's
        # index: the first free one is `held.index(0)`, a search in C.
        held = [0] * len(_SLOTS)
        for position in sorted(positions, key=values.__getitem__):  # a stable sort
            value = values[position]
            while near and value - near[0][0] >= width:
                held[near.popleft()[1]] -= 1
            slot = held.index(0) if 0 in held else len(near) % len(_SLOTS)
            places[position] = _SLOTS[slot]
            near.append((value, slot))
            held[slot] += 1
    return places


def _value_texts(values: list[float], unit: str) -> list[str]:
    """`value_text` of each value, each distinct value written once (the clusters of a count
    share few values). A zero's sign is in the key: -0.0 equals 0.0 but may be written
    otherwise."""
    written: dict[tuple[float, float], str] = {}
    texts = []
    for value in values:
        key = (value, math.copysign(1.0, value))
        text = written.get(key)
        if text is None:
            text = written[key] = value_text(value, unit)
        texts.append(text)
    return texts


@keep
def _level_comparison(reports: pd.DataFrame, figure: str, ratio_of: tuple[str, str] | None) -> pd.DataFrame:
    """`metrics.level_comparison`, kept: the chart and the table of a figure both need it."""
    return metrics.level_comparison(reports, figure, ratio_of)


def _axis_labels(levels: pd.DataFrame) -> dict[str, str]:
    """The label of each level's row: its name and n, the clusters with a value."""
    return {level: t("levels.axis_label", level=level_label(level), n=fmt.integer(n))
            for level, n in zip(levels["level"].tolist(), levels["n"].tolist())}


# The Arrow types of a chart's columns, and those of `metrics.level_comparison`'s.
INTEGER, NUMBER, TEXT = pa.int64(), pa.float64(), pa.string()
LEVEL_COLUMNS = {"level": TEXT, "clusters": INTEGER, "n": INTEGER, "median": NUMBER, "total": NUMBER}


def _arrow(columns: dict[str, tuple[pa.DataType, list]]) -> pa.Table:
    """A chart's table straight from its columns (name: (type, values)), NaN as a gap as
    pandas sends it: for 45 clusters, the pandas steps of a frame and its conversion to Arrow
    cost several times the texts in it."""
    return pa.table({name: pa.array(values, type=kind, from_pandas=True) for name, (kind, values) in columns.items()})


def level_distribution(reports: pd.DataFrame, figure: Figure) -> dict:
    """One row per level of `reports` (one year's reports with `cluster`, `cluster_id`,
    `level` and the figure's column): a dot per cluster with a value, the level's median as
    a tick labelled with its value, or, for a level with fewer than `metrics.MIN_PEERS`
    clusters with a value, no tick but a note that they are too few (or that none has it).
    Every level of the reports has its row, so that charts side by side line up.

    The Vega-Lite spec is written as a dict, with the data as Arrow tables under `datasets`
    (`drawing.draw` sends them as they are): Altair took 60 ms to build these five layers,
    most of it copying the chart on every method call; the dict takes well under one."""
    dots = metrics.cluster_values(reports, figure.key)
    levels = _level_comparison(reports, figure.key, figure.ratio_of)
    levels = levels[levels["level"] != metrics.WHOLE_PROGRAMME]
    labels = _axis_labels(levels)
    order = [labels[code] for code in levels["level"]]
    # Each dataset is made as lists and turned into an Arrow table at once (`_arrow`): the
    # pandas steps of three small frames and their conversion cost more than the chart.
    dot_levels, dot_values = dots["level"].tolist(), dots["value"].tolist()
    present = set(dot_levels)
    names = {code: level_label(code) for code in present}
    dot_names = [names[code] for code in dot_levels]
    # What a screen reader says of a dot and a median (Vega-Lite's `description`), in words:
    # one text per cluster, its pattern looked up once.
    name = figure_label(figure.key)
    described = t("levels.dot_description")
    clusters = dots["cluster"].tolist()
    dots = _arrow({
        "cluster_id": (INTEGER, dots["cluster_id"].tolist()), "cluster": (TEXT, clusters), "level": (TEXT, dot_levels),
        "value": (NUMBER, dot_values), "row": (TEXT, [labels.get(code) for code in dot_levels]),
        "level_label": (TEXT, dot_names), "offset": (NUMBER, _offsets(dot_levels, dot_values)),
        "description": (TEXT, [described.format(cluster=cluster, level=level, figure=name, value=text)
                               for cluster, level, text in zip(clusters, dot_names, _value_texts(dot_values, figure.unit))])})
    # The levels' own columns (`metrics.level_comparison`'s), for the levels with a median and
    # for those without.
    own = {column: levels[column].tolist() for column in LEVEL_COLUMNS}
    has_median = [not math.isnan(median) for median in own["median"]]
    medians, too_few = ({column: (LEVEL_COLUMNS[column], [value for value, has in zip(values, has_median) if has == wanted])
                         for column, values in own.items()} for wanted in (True, False))
    median_levels = [level_label(code) for code in medians["level"][1]]
    texts = [value_text(value, figure.unit) for value in medians["median"][1]]
    medians = _arrow({
        **medians, "row": (TEXT, [labels[code] for code in medians["level"][1]]), "level_label": (TEXT, median_levels),
        "text": (TEXT, texts), "label": (TEXT, [t("levels.median_label", value=text) for text in texts]),
        "description": (TEXT, [t("levels.median_description", level=level, figure=name, value=text, n=fmt.integer(n))
                               for level, text, n in zip(median_levels, texts, medians["n"][1])])})
    too_few = _arrow({
        **too_few, "row": (TEXT, [labels[code] for code in too_few["level"][1]]), "zero": (NUMBER, [0.0] * len(too_few["n"][1])),
        "label": (TEXT, [t("levels.too_few", minimum=metrics.MIN_PEERS) if n else t("levels.no_values")
                         for n in too_few["n"][1]])})

    value_format = _axis_format(figure.unit)
    y = {"field": "row", "type": "nominal", "title": None, "sort": order,
         "scale": {"type": "band", "domain": order, "paddingInner": 0, "paddingOuter": 0},
         "axis": {"labelLimit": 220, "labelFontSize": 12, "labelOverlap": False, "grid": False, "ticks": False, "domain": False}}
    x = {"field": "value", "type": "quantitative", "title": figure.title, "scale": {"zero": True, "nice": True},
         "axis": {"format": value_format, "labelFlush": True, **({"tickMinStep": 1} if figure.unit == "count" else {})}}
    codes = [code for code in LEVEL_COLOURS if code in present]
    colour = {"field": "level_label", "type": "nominal", "legend": None,
              "scale": {"domain": [level_label(c) for c in codes], "range": [LEVEL_COLOURS[c] for c in codes]}}
    level_tip = {"field": "level_label", "type": "nominal", "title": t("chart.level")}
    points = {"name": DOTS, "data": {"name": "dots"},
              "mark": {"type": "circle", "size": 70, "cursor": "pointer"},
              # A click on a dot picks its cluster, on a median its level (drill.py).
              "params": [drill.select_on(PICK_CLUSTERS, [DOTS], ["cluster_id"], others=MEDIAN_LAYERS)],
              "encoding": {"x": x, "y": y, "color": colour, "opacity": drill.highlight([PICK_CLUSTERS, PICK_LEVELS], 0.8),
                           # a picked dot ringed in the median's colour
                           "stroke": {"condition": {"param": PICK_CLUSTERS, "empty": False, "value": MEDIAN_COLOUR},
                                      "value": "white"},
                           "strokeWidth": {"condition": {"param": PICK_CLUSTERS, "empty": False, "value": 2}, "value": 0.8},
                           "yOffset": {"field": "offset", "type": "quantitative", "scale": {"domain": [-2, 2]}},
                           "description": {"field": "description"},
                           "tooltip": [{"field": "cluster", "type": "nominal", "title": t("chart.cluster")}, level_tip,
                                       {"field": "value", "type": "quantitative", "title": figure.title,
                                        "format": value_format}]}}
    median_x = {"field": "median", "type": "quantitative"}
    median_tooltip = [level_tip,
                      # the median as its label writes it: "29,5", not "30"
                      {"field": "text", "type": "nominal", "title": t("levels.median")},
                      {"field": "n", "type": "quantitative", "title": t("chart.n_clusters")}]
    above = {"dy": -STEP * 0.38, "baseline": "bottom", "fontSize": 11}
    layers = [
        points,
        # The median over the dots, with a white edge so that it shows over dots of a dark level.
        {"name": MEDIAN_LAYERS[0], "data": {"name": "medians"},
         "mark": {"type": "tick", "color": "white", "thickness": 5, "size": STEP * 0.72 + 2, "cursor": "pointer"},
         "params": [drill.select_on(PICK_LEVELS, MEDIAN_LAYERS, ["level"], others=[DOTS])],
         "encoding": {"x": median_x, "y": y}},
        {"name": MEDIAN_LAYERS[1], "data": {"name": "medians"},
         "mark": {"type": "tick", "color": MEDIAN_COLOUR, "thickness": 2.5, "size": STEP * 0.72, "cursor": "pointer"},
         "encoding": {"x": median_x, "y": y, "tooltip": median_tooltip, "description": {"field": "description"}}},
        {"data": {"name": "medians"}, "mark": {"type": "text", **above, "color": MEDIAN_COLOUR},
         "encoding": {"x": median_x, "y": y, "text": {"field": "label", "type": "nominal"}, "tooltip": median_tooltip}},
        {"data": {"name": "too_few"},
         "mark": {"type": "text", **above, "align": "left", "fontStyle": "italic", "color": "#555555"},
         "encoding": {"x": {"field": "zero", "type": "quantitative"}, "y": y, "text": {"field": "label", "type": "nominal"}}},
    ]
    return {"$schema": SCHEMA, "config": chart_config(), "layer": layers, "height": STEP * max(len(order), 1) + AXIS_ROOM,
            "usermeta": {"klynge": {"chart": KIND, "figure": figure.key}},
            "datasets": {"dots": dots, "medians": medians, "too_few": too_few}}


def comparison_table(reports: pd.DataFrame, figures: list[Figure]) -> tuple[pd.DataFrame, dict[str, str]]:
    """Per level and for the whole programme: the clusters (n), and for each figure its
    total (the level as a whole) and the median per cluster, the median written with its n
    where fewer clusters have the figure than the level has, and "too few" below
    `metrics.MIN_PEERS`. Returns the table (labelled columns) and the units of its number
    columns, for `components.table`."""
    columns: dict[str, list] = {}
    units: dict[str, str] = {}
    for index, figure in enumerate(figures):
        levels = _level_comparison(reports, figure.key, figure.ratio_of)
        if index == 0:
            columns[t("col.level")] = [t("levels.whole_programme") if code == metrics.WHOLE_PROGRAMME else level_label(code)
                                       for code in levels["level"]]
            columns[t("levels.col.clusters")] = levels["clusters"].tolist()
            units[t("levels.col.clusters")] = "count"
        # The cells carry the unit ("4,5 MNOK"), so the header does not.
        name = figure_label(figure.key)
        total = t("levels.col.overall" if figure.ratio_of else "levels.col.total", figure=name)
        columns[total] = levels["total"].tolist()
        units[total] = figure.unit
        columns[t("levels.col.median", figure=name)] = [_median_cell(row, figure.unit) for row in levels.itertuples()]
    return pd.DataFrame(columns), units


def _median_cell(row, unit: str) -> str:
    if row.n == 0:
        return "–"  # no cluster has the figure (a ratio whose denominator is 0 or not set)
    if row.n < metrics.MIN_PEERS:
        return t("levels.too_few_cell", n=fmt.integer(row.n))
    text = value_text(row.median, unit)
    return text if row.n == row.clusters else t("levels.median_of", value=text, n=fmt.integer(row.n))


def show_year_bars(page: str, topic: str, summary: pd.DataFrame, figures: list[Figure],
                   reports: Callable[[], pd.DataFrame]) -> None:
    """Each figure's sums per level and year (`summary`) as bars stacked by level, each under
    its heading, side by side (one under the other on a phone). A click on a bar lists the
    reports behind it, from `reports` (read only then: every year's reports of the filter,
    with the figures); `topic` is the page's name, for the download's file name."""
    pick = drill.Pick()
    for place, figure in zip(st.columns(len(figures)), figures):
        with place:
            components.indicator_heading(figure.key, " (MNOK)" if figure.unit == "mnok" else "")
            title = t("unit.mnok") if figure.unit == "mnok" else figure_label(figure.key)
            pick |= drill.chart(page, f"ar-{figure.key}", charts.level_year_bars, summary, figure.key, title, figure.unit,
                                beside=len(figures), pick=True)
    drill.hint("bars")
    named = f"{topic}, {', '.join(figure_label(figure.key) for figure in figures)}"  # a page may have two of these
    drill.show(page, pick, reports, [(figure.key, figure.unit) for figure in figures], t("drill.file", topic=named))


def show_comparison(page: str, reports: pd.DataFrame, figures: list[Figure], year: int, topic: str,
                    note: str | None = None) -> None:
    """The section a theme page (url path `page`) opens with: its heading, how to read it, a
    distribution per figure (side by side when there are two, one under the other on a
    phone), the clusters picked in them (`drill`), and under them the table of totals per
    level and for the whole programme. `topic`: the page's name, for the download's file
    name; `note`: a caption under the charts."""
    st.subheader(t("levels.comparison", year=year), help=components.see_glossary())
    if reports.empty:  # the filters select reports of other years, not of this one
        components.empty_selection()
        return
    st.caption(t("levels.caption", minimum=metrics.MIN_PEERS))
    pick = drill.Pick()
    for place, figure in zip(st.columns(len(figures), gap="medium"), figures):
        with place:
            components.indicator_heading(figure.key, " (MNOK)" if figure.unit == "mnok" else "")
            pick |= drill.chart(page, f"nivaer-{figure.key}", level_distribution, reports, figure)
    if note:
        st.caption(note)
    drill.hint("levels")
    drill.show(page, pick, reports, [(figure.key, figure.unit) for figure in figures], t("drill.file", topic=topic))
    table, units = comparison_table(reports, figures)
    components.table(table, t("levels.file", topic=topic, year=year), units=units)
