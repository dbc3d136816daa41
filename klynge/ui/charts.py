"""Charts with the same colours on every page: one per level, one per member type.

Each builder takes a tidy frame with codes (level, member_type) and does the labelling
itself, so that colours and legends cannot drift between pages. The charts keep a few
promises, checked on every page by tests/test_chart_specs.py: a missing year is a gap in a
line, never a straight segment over it; a count's axis has whole ticks; every bar has room
for its label; a legend lists every entry and fits a phone's width (390 px).

Every builder writes its chart as a Vega-Lite dict, its data frames under `datasets`
(`drawing` turns them into Arrow): Altair spent 10 to 25 ms building each chart in Python,
on every filter change. `drawing` checks each builder's spec against Vega-Lite's schema.
"""

from __future__ import annotations

import pandas as pd

from klynge.domain import LEVEL_CODES, MEMBER_TYPE_CODES, OUTSIDE_LEVEL
from klynge.metrics import MIN_PEERS
from klynge.ui import drill
from klynge.ui.format import vega_locale
from klynge.ui.texts import level_label, member_type_label, t

# Checked under simulated deuteranopia, protanopia and tritanopia (tests/test_charts.py):
# any two colours of a palette stay apart in each, and clusters stay apart from levels.
LEVEL_COLOURS = {
    "tidligfase": "#9db4d6",
    "arena": "#3a9e8f",
    "arena_pro": "#e8833a",
    "moden": "#27476e",
    OUTSIDE_LEVEL: "#c0c0c0",
}
MEMBER_TYPE_COLOURS = {
    "established": "#3c78cc",
    "startup": "#f28e2b",
    "investor": "#c02424",
    "rnd": "#84c0b4",
    "public": "#9cb484",
    "innovation_company": "#fcd86c",
    "association": "#b07aa1",
    "cluster": "#846c60",
}
# Clusters side by side (Sammenlign, Klyngeprofil): a categorical palette of its own, so a
# cluster is never read as a level (Okabe & Ito's set, moved just enough to stay apart from
# the level colours for colour-blind readers too).
CLUSTER_COLOURS: tuple[str, ...] = ("#9c606c", "#cc4800", "#0072b2", "#24cc90", "#000000", "#fcc024")
CATEGORY_COLOURS = {"competence": "#4e79a7", "internationalisation": "#c06078", "innovation": "#59a14f", "custom": "#b5b5b5"}
HEIGHT = 300
# Charts with a bar per cluster draw at most this many (the largest); tables have them all.
MAX_CLUSTER_BARS = 40
# A categorical axis gets this much height per bar, so that every bar carries its label.
BAR_ROW = 24  # pixels
BARS_MIN_HEIGHT = 150
# Streamlit fits the whole chart into its height: the value axis, its labels and title take
# this much of it, on top of the bars' rows.
AXIS_ROOM = 60
LEGEND_ROW = 24  # pixels
CATEGORY_LABEL_LIMIT = 150  # pixels: the names of bars in rows
# A legend below the chart in two columns of labels at most this wide fits a phone (390 px,
# about 358 px for the chart): 2 x (140 + symbol and padding) < 358.
LEGEND_LABEL_LIMIT = 140
# Legend columns by how many charts share the page's width (side by side on a wide screen,
# one under the other on a phone, so never more than a phone has room for). A legend below
# bars in rows starts where the bars do, right of their names: one column.
_LEGEND_COLUMNS = {1: 2, 2: 2, 3: 2}
# The mark that draws a line: a missing value breaks it (Vega-Lite 6's default for lines,
# stated so that a change of default cannot join the years beside a gap).
_LINE_INVALID = "break-paths-show-domains"


def _level_scale_dict() -> dict:
    """Every level's colour, in the programme's order (the same on every chart)."""
    codes = [*LEVEL_CODES, OUTSIDE_LEVEL]
    return {"domain": [level_label(c) for c in codes], "range": [LEVEL_COLOURS[c] for c in codes]}


def _member_type_scale_dict() -> dict:
    """Every member type's colour, in the register's order (the same on every chart)."""
    return {"domain": [member_type_label(c) for c in MEMBER_TYPE_CODES], "range": [MEMBER_TYPE_COLOURS[c] for c in MEMBER_TYPE_CODES]}


# Axis and legend texts: Streamlit's grey (#808495) reaches only 3.7:1 on white; this one 7.1:1.
CHART_TEXT = "#555867"


SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"  # of the specs written as dicts


def chart_config(legend_columns: int = 2, **settings) -> dict:
    """Vega-Lite `config` of every chart: the reader's number formats, and legends below the
    chart in rows that wrap instead of running off the edge, narrow enough for a phone;
    `settings`, more of it (e.g. `view`)."""
    return {
        "locale": vega_locale(),
        "legend": {"orient": "bottom", "title": None, "labelLimit": LEGEND_LABEL_LIMIT, "columns": legend_columns,
                   "symbolLimit": 0, "labelColor": CHART_TEXT, "titleColor": CHART_TEXT},
        "axis": {"labelColor": CHART_TEXT, "titleColor": CHART_TEXT},
        **settings,
    }


def legend_height(height: int, legend_entries: int, legend_columns: int = 2) -> int:
    """A chart's height: `height` of plot, and a row more for each row of a legend below it
    (with its title)."""
    rows = -(-legend_entries // legend_columns) + 1 if legend_entries else 0
    return height + LEGEND_ROW * rows


def _bar_chart(data: pd.DataFrame, encoding: dict, kind: str, legend_columns: int = 2, legend_entries: int = 0,
               height: int = HEIGHT) -> dict:
    """The spec of a bar chart of `data` (written as a Vega-Lite dict: Altair spent 10 to 20
    ms building each). Streamlit fits a chart with its legend into its height, so a legend
    below the chart gets rows of its own on top of `height`: the plot keeps its size
    whatever the legend's length."""
    return {"$schema": SCHEMA, "data": {"name": "bars"}, "mark": {"type": "bar"}, "encoding": encoding,
            "config": chart_config(legend_columns), "height": legend_height(height, legend_entries, legend_columns),
            "usermeta": {"klynge": {"chart": kind}}, "datasets": {"bars": data}}


def _axis_format(unit: str) -> str:
    """The d3 format of a figure in `unit`; "~" drops trailing zeros ("400", not "400,0")."""
    return {"mnok": ",.1~f", "percent": ".0%", "ratio": ",.1~f"}.get(unit, ",.0f")


def _category_axis(**properties) -> dict:
    """The axis of the bars' names: every name shown; only a very long one is cut short (the
    tooltip has it whole), so that a phone keeps room for the bars and the legend."""
    return {"labelLimit": CATEGORY_LABEL_LIMIT, "labelOverlap": False, **properties}


def _bars_height(bars: int) -> int:
    """The height of a chart of `bars` rows, without its legend."""
    return max(BARS_MIN_HEIGHT, BAR_ROW * bars) + AXIS_ROOM


def _level_colour_dict(data: pd.DataFrame, legend: bool = True) -> dict:
    """Colour by level, the same on every chart; the legend lists only the levels shown."""
    present = [label for label in level_label_order() if label in set(data["level_label"])]
    return {"field": "level_label", "type": "nominal", "title": t("chart.level"),
            "legend": {"values": present} if legend else None, "scale": _level_scale_dict()}


def _type_colour(data: pd.DataFrame) -> dict:
    """Colour by member type; the legend lists only the types shown."""
    shown = set(data["type_label"].unique())
    present = [member_type_label(c) for c in MEMBER_TYPE_CODES if member_type_label(c) in shown]
    return {"field": "type_label", "type": "nominal", "title": t("chart.member_type"), "legend": {"values": present},
            "scale": _member_type_scale_dict()}


def level_label_order() -> list[str]:
    return [level_label(c) for c in [*LEVEL_CODES, OUTSIDE_LEVEL]]


def _with_level_labels(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """The `columns` a chart draws (and `level`), with the level's name. A chart carries its
    data to the browser: only what it shows, not every figure of the summary (a tenth of
    the time to build and send the chart)."""
    data = frame[list(dict.fromkeys(["level", *columns]))]
    return data.assign(level_label=data["level"].map(level_label))


def _level_rows(frame: pd.DataFrame, value: str, *columns: str) -> dict[str, list]:
    """The rows of `frame` with a `value`, as lists: `level`, `columns` and `level_label`,
    as `_with_level_labels` gives them (for `year_rows`: a level chart's few dozen rows cost
    more in pandas' steps than in their values)."""
    kept = [row for row, gap in enumerate(frame[value].isna().tolist()) if not gap]
    rows = {name: [values[row] for row in kept] for name, values in
            ((name, frame[name].tolist()) for name in dict.fromkeys(["level", *columns]))}
    labels = {code: level_label(code) for code in dict.fromkeys(rows["level"])}
    rows["level_label"] = [labels[code] for code in rows["level"]]
    return rows


def with_year_gaps(data: pd.DataFrame, series: str, year: str = "report_year",
                   span: tuple[int, int] | None = None) -> pd.DataFrame:
    """`data` with a row for every year of `span` (else its first to last year) in every
    `series`, its other columns empty where the series has no figure, so that a line breaks
    over a missing year instead of joining the years beside it (and the year stays on the
    axis). For any chart that draws lines over the years."""
    if data.empty:
        return data
    first, last = span or (int(data[year].min()), int(data[year].max()))
    names = list(dict.fromkeys(data[series]))
    grid = [(name, each) for name in names for each in range(first, last + 1)]
    at = {key: position for position, key in enumerate(zip(data[series].tolist(), data[year].tolist()))}
    if len(at) < len(data):  # a series with two rows in a year: a merge keeps every one
        full = pd.DataFrame(grid, columns=[series, year]).merge(data, on=[series, year], how="left")
        return full[list(data.columns)]
    # Each row of the grid taken from `data` by its place (a missing year: an empty row), the
    # same frame as the merge above gives, in a quarter of its time (Sammenlign draws nine).
    full = data.reset_index(drop=True).reindex([at.get(key, -1) for key in grid]).reset_index(drop=True)
    full[series] = pd.Series([name for name, _ in grid], dtype=data[series].dtype)
    full[year] = pd.Series([each for _, each in grid], dtype=data[year].dtype)
    return full


def year_rows(columns: dict[str, list], series: str, span: tuple[int, int], year: str = "report_year") -> pd.DataFrame:
    """`with_year_gaps` of rows given as lists (one per column, only rows with a figure): the
    same frame, made from the lists without pandas' steps, which cost more than a chart's few
    dozen rows (Sammenlign, Klyngeprofil and Måloppnåelse draw nine to twenty-five such
    lines on a filter change). A series with two rows in a year, or no row at all, goes
    through `with_year_gaps` itself."""
    names, years = columns[series], columns[year]
    at = {key: row for row, key in enumerate(zip(names, years))}
    if not names or len(at) < len(names):
        return with_year_gaps(pd.DataFrame(columns), series, year, span)
    grid = [(name, each) for name in dict.fromkeys(names) for each in range(span[0], span[1] + 1)]
    taken = [at.get(key) for key in grid]
    filled = {name: [values[row] if row is not None else None for row in taken] for name, values in columns.items()}
    return pd.DataFrame(filled | {series: [name for name, _ in grid], year: [each for _, each in grid]})


def few_clusters(frame: pd.DataFrame, value: str | None = None) -> pd.DataFrame:
    """The rows of a per-level frame whose figure rests on fewer than `MIN_PEERS` clusters
    (its `clusters` column); none when the figure is the count of clusters itself."""
    if "clusters" not in frame or value == "clusters":
        return frame.iloc[0:0]
    rows = frame[frame["clusters"] < MIN_PEERS]
    return rows[rows[value].notna()] if value is not None and value in rows else rows


def few_clusters_note(frame: pd.DataFrame, value: str | None = None) -> str | None:
    """The one-line note a page shows under a level chart of `frame` when some of its points
    rest on fewer than `MIN_PEERS` clusters (drawn hollow); None when none do."""
    rows = few_clusters(frame, value)
    if rows.empty:
        return None
    codes = set(rows["level"])
    levels = ", ".join(level_label(c) for c in [*LEVEL_CODES, OUTSIDE_LEVEL] if c in codes)
    return t("chart.few_clusters", minimum=MIN_PEERS, levels=levels)


def note_few_clusters(frame: pd.DataFrame, value: str | None = None) -> None:
    """Show `few_clusters_note` under a chart, when there is one."""
    import streamlit as st

    note = few_clusters_note(frame, value)
    if note:
        st.caption(note)


def level_bars(frame: pd.DataFrame, value: str, title: str, unit: str = "count") -> dict:
    """One bar per level, across the page (a level's name never collides with the next,
    even on a phone). `frame` has `level` and `value`."""
    data = _with_level_labels(frame, value)
    encoding = {
        "y": {"field": "level_label", "type": "nominal", "title": None, "sort": level_label_order(), "axis": _category_axis()},
        "x": _value_encoding(value, title, unit),
        "color": _level_colour_dict(data, legend=False),
        "tooltip": [{"field": "level_label", "type": "nominal", "title": t("chart.level")},
                    {"field": value, "type": "quantitative", "title": title, "format": _axis_format(unit)}],
    }
    return _bar_chart(data, encoding, "level_bars", height=_bars_height(data["level_label"].nunique()))


def _year_encoding() -> dict:
    """The years of a line chart, one place per year, labels upright (a spec written as a dict)."""
    return {"field": "report_year", "type": "ordinal", "title": t("chart.year"), "axis": {"labelAngle": 0}}


def _value_encoding(field: str, title: str | None, unit: str, y_domain: list[float] | None = None) -> dict:
    """A figure's value axis and scale (`_value_axis`, `_value_scale`) for a spec written as a dict."""
    encoding = {"field": field, "type": "quantitative", "title": title,
                "axis": {"format": _axis_format(unit), **({"tickMinStep": 1} if unit == "count" else {})}}
    domain = y_domain or ([0, 1] if unit == "percent" else None)
    if domain:
        encoding["scale"] = {"domain": domain}
    return encoding


# The layers a click picks a level's year from, and their selection (`drill`).
_POINTS, _BARS, PICK_YEARS = "punkter", "stolper", "aar"


def level_trend(frame: pd.DataFrame, value: str, title: str, unit: str = "count", beside: int = 1,
                y_domain: list[float] | None = None, pick: bool = False) -> dict:
    """One line per level over the years. `frame` has `report_year`, `level` and `value`.
    `y_domain`: the value axis, when charts side by side must share one scale. `beside`: how
    many charts share the page's width. Side by side, each stands under a
    heading that names its figure, so its axis has no title (it would not fit).

    A year a level has no figure for is a gap in its line; a figure that rests on fewer
    than `MIN_PEERS` clusters (when `frame` has `clusters`) is a hollow point, with n in
    the tooltip (see `few_clusters_note` for the page's note). With `pick`, a click on a
    point picks its level and year (`drill`).

    Written as a Vega-Lite dict (as `level_charts.level_distribution` is): the overview and
    every "over the years" section draw one on each filter change, and Altair spent 20-25 ms
    building each."""
    narrow = beside > 1
    # n: the clusters a level's figure rests on (per-level sums have it), in the tooltip.
    counted = ["clusters"] if "clusters" in frame and value != "clusters" else []
    rows = _level_rows(frame, value, "report_year", value, *counted)
    if rows["report_year"]:
        data = year_rows(rows, "level_label", span=(int(min(rows["report_year"])), int(max(rows["report_year"]))))
    else:  # nothing to draw: the frame's own (empty) columns
        data = _with_level_labels(frame, "report_year", value, *counted).iloc[0:0]
    colour = _level_colour_dict(data)
    fill = {"field": "level_label", "type": "nominal", "legend": None, "scale": _level_scale_dict()}
    if counted:
        fill["condition"] = {"test": f"datum.clusters != null && datum.clusters < {MIN_PEERS}", "value": "white"}
    x = _year_encoding()
    y = _value_encoding(value, None if narrow else title, unit, y_domain)
    tooltip = [{"field": "report_year", "type": "ordinal", "title": t("chart.year")},
               {"field": "level_label", "type": "nominal", "title": t("chart.level")},
               {"field": value, "type": "quantitative", "title": title, "format": _axis_format(unit)},
               *[{"field": "clusters", "type": "quantitative", "title": t("chart.n_clusters")} for _ in counted]]
    layers = [
        {"data": {"name": "levels"}, "mark": {"type": "line", "invalid": _LINE_INVALID},
         "encoding": {"x": x, "y": y, "color": colour}},
        {"name": _POINTS, "data": {"name": "levels"},
         "mark": {"type": "point", "filled": False, "size": 50, "strokeWidth": 2, "opacity": 1},
         "encoding": {"x": x, "y": y, "color": colour, "fill": fill, "tooltip": tooltip}},
    ]
    if pick:
        layers[1]["params"] = [drill.select_on(PICK_YEARS, [_POINTS], ["level", "report_year"])]
        layers[1]["mark"] |= {"size": 70, "cursor": "pointer"}
        layers[1]["encoding"]["opacity"] = drill.highlight([PICK_YEARS], 1)
    columns = _LEGEND_COLUMNS.get(beside, 1)
    height = legend_height(HEIGHT, data["level_label"].nunique(), columns)
    return {"$schema": SCHEMA, "config": chart_config(columns), "layer": layers, "height": height,
            "usermeta": {"klynge": {"chart": "level_trend"}}, "datasets": {"levels": data}}


def level_year_bars(frame: pd.DataFrame, value: str, title: str, unit: str = "count", beside: int = 1,
                    y_domain: list[float] | None = None, pick: bool = False) -> dict:
    """Bars per year, stacked by level; `beside` as for `level_trend`. A year with no
    report stays on the axis, empty. With `pick`, a click on a bar picks its level and year
    (`drill`). Written as a Vega-Lite dict, as `level_trend` is: Finansiering, Medlemmer
    and the "over the years" sections draw several on each filter change."""
    rows = _level_rows(frame, value, "report_year", value)
    data = pd.DataFrame(rows) if rows["level"] else _with_level_labels(frame, "report_year", value).iloc[0:0]
    year_axis = _year_encoding()
    # Every year of the span on the axis, by the scale's domain, not by rows without a figure:
    # Vega-Lite's stack turns a year's bars into nothing when one of its levels has none.
    if len(data):
        year_axis["scale"] = {"domain": list(range(int(data["report_year"].min()), int(data["report_year"].max()) + 1))}
    total = {"aggregate": "sum", "field": value}
    encoding = {
        "x": year_axis,
        "y": {**_value_encoding(value, title, unit, y_domain), **total},
        "color": _level_colour_dict(data),
        "tooltip": [{"field": "report_year", "type": "ordinal", "title": t("chart.year")},
                    {"field": "level_label", "type": "nominal", "title": t("chart.level")},
                    {**total, "type": "quantitative", "title": title, "format": _axis_format(unit)}],
    }
    if pick:
        encoding |= {"detail": {"field": "level", "type": "nominal"}, "opacity": drill.highlight([PICK_YEARS], 1)}
    columns = _LEGEND_COLUMNS.get(beside, 1)
    spec = _bar_chart(data, encoding, "level_year_bars", columns, data["level_label"].nunique())
    spec["name"] = _BARS
    if pick:
        spec["mark"]["cursor"] = "pointer"
        spec["params"] = [drill.select_on(PICK_YEARS, [_BARS], ["level", "report_year"])]
    return spec


def composition(frame: pd.DataFrame, group: str, group_title: str, value: str = "members", horizontal: bool | None = None,
                order: list[str] | None = None) -> dict:
    """Stacked bars of members by type per group (level or cluster), as counts (`members`)
    or shares (`share`, from 0 to 100 %), with the groups in `order` (else as they come).
    Horizontal unless `horizontal=False`: a bar per row, every name beside its bar, also on
    a phone (upright, the names are turned so that they do not run into each other)."""
    data = frame.assign(type_label=frame["member_type"].map(member_type_label))
    horizontal = horizontal is not False
    unit = "percent" if value == "share" else "count"
    upright = {} if horizontal else {"labelAngle": -35, "labelLimit": 120}
    # `sort` null, when no order is given: the groups as they come.
    groups = {"field": group, "type": "nominal", "title": group_title, "sort": order, "axis": _category_axis(**upright)}
    values = {**_value_encoding(value, t("chart.share") if value == "share" else t("chart.members"), unit), "stack": "zero"}
    encoding = {
        ("y" if horizontal else "x"): groups,
        ("x" if horizontal else "y"): values,
        "color": _type_colour(data),
        "order": {"field": "member_type_order", "type": "quantitative"},
        "tooltip": [{"field": group, "type": "nominal", "title": group_title},
                    {"field": "type_label", "type": "nominal", "title": t("chart.member_type")},
                    {"field": "members", "type": "quantitative", "title": t("chart.members"), "format": ",.0f"},
                    {"field": "share", "type": "quantitative", "title": t("chart.share"), "format": ".0%"}],
    }
    data["member_type_order"] = data["member_type"].map({c: i for i, c in enumerate(MEMBER_TYPE_CODES)})
    height = _bars_height(data[group].nunique()) if horizontal else HEIGHT
    return _bar_chart(data, encoding, "composition", 1 if horizontal else 2, data["type_label"].nunique(), height)


def project_bars(frame: pd.DataFrame) -> dict:
    """New projects per level, stacked by category, a bar per level with its name, and the
    legend of every category below. `frame` has `level` (a code), `category` and
    `projects` (see `metrics.project_categories`)."""
    data = _with_level_labels(frame, "category", "projects")
    data = data.assign(category_label=frame["category"].map(lambda c: t(f"category.{c}")))
    categories = [c for c in CATEGORY_COLOURS if c in set(frame["category"])]
    labels = [t(f"category.{c}") for c in categories]
    data["category_order"] = data["category"].map({c: i for i, c in enumerate(CATEGORY_COLOURS)})
    projects = {"aggregate": "sum", "field": "projects"}
    encoding = {
        "y": {"field": "level_label", "type": "nominal", "title": None, "sort": level_label_order(), "axis": _category_axis()},
        "x": {**_value_encoding("projects", t("chart.projects"), "count"), **projects},
        "color": {"field": "category_label", "type": "nominal", "title": t("chart.category"), "legend": {"values": labels},
                  "scale": {"domain": labels, "range": [CATEGORY_COLOURS[c] for c in categories]}},
        "order": {"field": "category_order", "type": "quantitative"},
        "tooltip": [{"field": "level_label", "type": "nominal", "title": t("chart.level")},
                    {"field": "category_label", "type": "nominal", "title": t("chart.category")},
                    {**projects, "type": "quantitative", "title": t("chart.projects"), "format": ",.0f"}],
    }
    # Room for every category, so that the charts side by side keep plots of one height.
    return _bar_chart(data, encoding, "project_bars", 1, len(CATEGORY_COLOURS), _bars_height(data["level_label"].nunique()))


def cluster_ranking(frame: pd.DataFrame, value: str, title: str, unit: str = "count") -> dict:
    """Horizontal bars, one per cluster, coloured by level, largest first."""
    data = _with_level_labels(frame, "cluster", value)
    encoding = {
        "y": {"field": "cluster", "type": "nominal", "title": None, "sort": "-x", "axis": _category_axis()},
        "x": _value_encoding(value, title, unit),
        "color": _level_colour_dict(data),
        "tooltip": [{"field": "cluster", "type": "nominal", "title": t("chart.cluster")},
                    {"field": "level_label", "type": "nominal", "title": t("chart.level")},
                    {"field": value, "type": "quantitative", "title": title, "format": _axis_format(unit)}],
    }
    return _bar_chart(data, encoding, "cluster_ranking", 1, data["level_label"].nunique(),
                      _bars_height(data["cluster"].nunique()))