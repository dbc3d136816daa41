"""Every chart on every page keeps the promises of issue 12 ("charts that never mislead"),
read from the Vega-Lite spec the page sends to the browser, so a chart added tomorrow is
checked too:

(a) no line joins two years that are not next to each other (a missing year is a gap);
(b) an axis of whole numbers has whole ticks and no pointless decimals;
(c) a categorical axis has room for every label (a row per bar, names that fit a phone);
(d) a legend lists every entry and fits the chart and a phone's width.

The checks work on a plain spec (`problems(spec, datasets)`), so tests/test_charts.py uses
them on single charts as well.
"""

from __future__ import annotations

import json
import math
import re

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from klynge import queries
from klynge.store.engine import make_engine
from klynge.ui import charts
from klynge.ui.pages import PAGES
from tests.conftest import REPO_ROOT
from tests.test_pages import demo_url  # noqa: F401 - one demo database for the module

DASHBOARD = str(REPO_ROOT / "dashboard.py")
LANGUAGES = ("nb", "en")
# A bar (a row of a categorical y axis) needs at least this many pixels to carry its label.
MIN_ROW = 20
# A phone: 390 px wide, about 358 px for a chart; an axis label's character about 6.5 px.
PHONE_CHART = 358
PHONE_PLOT = 300
CHAR = 6.5
# Vega-Lite's own defaults, when a spec does not say.
DEFAULT_LEGEND_LABEL_LIMIT = 160
DEFAULT_AXIS_LABEL_LIMIT = 180
LEGEND_SYMBOL = 30  # symbol, its offset and the padding between columns
LEGEND_ROW_PX = 20  # a legend row is at least this tall
AXIS_PX = 50  # a value axis below the bars: its labels and title
YEAR = re.compile(r"year|år", re.IGNORECASE)
CHECKS = ("gaps", "integer_axes", "categorical_rows", "legends")


# -- reading a spec ---------------------------------------------------------------------

def _records(data: dict | None, datasets: dict[str, list[dict]], inherited: list[dict]) -> list[dict]:
    if not data:
        return inherited
    if "values" in data:
        return list(data["values"])
    return datasets.get(data.get("name"), inherited)


def views(spec: dict, datasets: dict[str, list[dict]] | None = None) -> list[dict]:
    """The unit views of a spec (layers and concatenations unfolded), each as
    {mark, encoding, records, transform}, with what a layer passes on to its children."""
    datasets = {**(datasets or {}), **spec.get("datasets", {})}
    found: list[dict] = []

    def walk(node: dict, encoding: dict, records: list[dict], transform: list) -> None:
        records = _records(node.get("data"), datasets, records)
        encoding = {**encoding, **node.get("encoding", {})}
        transform = [*transform, *node.get("transform", [])]
        if "layer" in node:
            for child in node["layer"]:
                walk(child, encoding, records, transform)
        for key in ("hconcat", "vconcat", "concat"):
            for child in node.get(key, []):
                walk(child, {}, records, transform)
        if "mark" in node:
            mark = node["mark"] if isinstance(node["mark"], dict) else {"type": node["mark"]}
            found.append({"mark": mark, "encoding": encoding, "records": records, "transform": transform})

    walk(spec, {}, datasets.get("__main__", []), [])
    return found


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _field(channel: dict | None) -> str | None:
    if not isinstance(channel, dict):
        return None
    field = channel.get("field")
    return field if isinstance(field, str) else None


def _is_years(channel: dict | None, records: list[dict]) -> bool:
    field = _field(channel)
    if field is None:
        return False
    values = [r.get(field) for r in records if not _missing(r.get(field))]
    whole = values and all(isinstance(v, (int, float)) and float(v).is_integer() and 1900 <= v <= 2100 for v in values)
    return bool(whole and (YEAR.search(field) or channel.get("type") in ("ordinal", "temporal")))


def _describe(spec: dict, datasets: dict) -> str:
    """A chart named by what it draws: its marks and fields."""
    parts = []
    for view in views(spec, datasets):
        fields = {ch: _field(view["encoding"].get(ch)) for ch in ("x", "y", "color")}
        parts.append(f"{view['mark'].get('type')}({', '.join(f'{k}={v}' for k, v in fields.items() if v)})")
    return " + ".join(dict.fromkeys(parts))


def _config(spec: dict, *path: str):
    node = spec.get("config", {})
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


# -- the checks -------------------------------------------------------------------------

def gap_problems(spec: dict, datasets: dict | None = None) -> list[str]:
    """(a) Each line series, in year order: two drawn points in a row are a year apart."""
    found = []
    for view in views(spec, datasets):
        mark, enc, records = view["mark"], view["encoding"], view["records"]
        if mark.get("type") not in ("line", "area", "trail") or not _is_years(enc.get("x"), records):
            continue
        if view["transform"]:
            found.append(f"line over years with transforms {view['transform']}: cannot be checked, draw it without")
            continue
        year, value = _field(enc["x"]), _field(enc.get("y"))
        invalid = mark.get("invalid", _config(spec, "mark", "invalid") or _config(spec, mark["type"], "invalid"))
        dropped = invalid == "filter"  # Vega-Lite then joins the points beside a missing value
        series_fields = [f for f in (_field(enc.get(ch)) for ch in ("color", "detail", "strokeDash", "stroke")) if f]
        series: dict[tuple, list[dict]] = {}
        for record in records:
            series.setdefault(tuple(record.get(f) for f in series_fields), []).append(record)
        for key, rows in series.items():
            rows = sorted((r for r in rows if not (dropped and _missing(r.get(value)))), key=lambda r: r[year])
            for before, after in zip(rows, rows[1:]):
                if _missing(before.get(value)) or _missing(after.get(value)):
                    continue  # the line breaks here
                if after[year] - before[year] > 1:
                    found.append(f"series {key or '(one)'}: a line joins {before[year]} to {after[year]} over missing years")
    return found


def _forced_decimals(fmt: str | None) -> bool:
    match = re.search(r"\.(\d+)([a-z%]?)$", fmt or "")
    return bool(match and int(match.group(1)) > 0 and "~" not in fmt and match.group(2) in ("f", "", "e", "g", "r", "s"))


def _values(view: dict, channel: dict) -> list[float]:
    field = _field(channel)
    if channel.get("aggregate") == "count":
        return [1.0]
    if field is None:
        return []
    values = [r.get(field) for r in view["records"]]
    return [float(v) for v in values if not _missing(v) and isinstance(v, (int, float)) and not isinstance(v, bool)]


def integer_axis_problems(spec: dict, datasets: dict | None = None) -> list[str]:
    """(b) A quantitative axis of whole numbers (counts) has whole ticks (tickMinStep >= 1)
    and no forced decimals; a decimal figure drops its trailing zeros (d3 "~"). Layers share
    an axis per channel: its values are all the layers' values, its settings any layer's."""
    found = []
    for name in ("x", "y"):
        values: list[float] = []
        axis: dict = {}
        fields = []
        drawn = False
        for view in views(spec, datasets):
            channel = view["encoding"].get(name)
            if not isinstance(channel, dict) or channel.get("type") != "quantitative" or channel.get("bin"):
                continue
            if channel.get("aggregate") not in (None, "sum", "count", "min", "max"):
                values.append(0.5)  # a mean or median: not a count
            if channel.get("axis", {}) is not None:
                drawn = True
                axis = {**(channel.get("axis") or {}), **axis}
            values += _values(view, channel)
            fields.append(_field(channel) or channel.get("aggregate"))
        fmt = axis.get("format") or _config(spec, "axis", "format")
        if not drawn or not values or not all(v.is_integer() for v in values) or (fmt and "%" in fmt):
            continue
        label = f"{name} axis of {', '.join(dict.fromkeys(str(f) for f in fields))}"
        if _forced_decimals(fmt):
            found.append(f"{label}: whole numbers with forced decimals (format {fmt!r})")
        elif fmt is None or "~" not in fmt:
            step = axis.get("tickMinStep", _config(spec, "axis", "tickMinStep"))
            explicit = axis.get("values")
            if not ((step is not None and step >= 1) or (explicit and all(float(v).is_integer() for v in explicit))):
                found.append(f"{label}: whole numbers without whole ticks (no tickMinStep >= 1), so ticks can repeat")
    return found


def _legend_allowance(spec: dict, datasets: dict | None) -> int:
    """The pixels a legend below the chart takes of its height (as `charts._finish` counts)."""
    rows = 0
    for legend in _legends(spec, datasets):
        if legend["orient"] in ("bottom", "top"):
            rows = max(rows, -(-len(legend["entries"]) // legend["columns"]) + 1)
    return rows * charts.LEGEND_ROW


def _label_px(labels: list[str], channel: dict, axis: dict) -> float:
    if "labelExpr" in axis and "split" in axis["labelExpr"]:
        labels = [word for label in labels for word in label.split()]
    limit = axis.get("labelLimit", DEFAULT_AXIS_LABEL_LIMIT)
    return max((min(len(label) * CHAR, limit) for label in labels), default=0)


def categorical_problems(spec: dict, datasets: dict | None = None) -> list[str]:
    """(c) Bars in rows: the chart's height gives every row `MIN_ROW` pixels; and names
    across the x axis fit side by side on a phone (or are turned or wrapped)."""
    found = []
    height = spec.get("height")
    shown_x = any(isinstance(v["encoding"].get("x"), dict) and v["encoding"]["x"].get("axis", {}) is not None
                  for v in views(spec, datasets))
    room = (height or 0) - _legend_allowance(spec, datasets) - (AXIS_PX if shown_x else 0)
    for view in views(spec, datasets):
        enc = view["encoding"]
        y, x = enc.get("y"), enc.get("x")
        if isinstance(y, dict) and y.get("type") in ("nominal", "ordinal") and _field(y):
            rows = len({r.get(_field(y)) for r in view["records"]})
            axis = y.get("axis") or {}
            if not isinstance(height, (int, float)):
                found.append(f"{rows} rows of {_field(y)} in a chart of no fixed height")
            elif room < rows * MIN_ROW:
                found.append(f"{rows} rows of {_field(y)} in {room} px beside the legend and the axis "
                             f"(needs {rows * MIN_ROW})")
            if axis.get("labelOverlap") not in (False, None) or (rows > 8 and axis.get("labelOverlap") is None):
                found.append(f"y axis of {_field(y)}: labels may be hidden (labelOverlap is not false)")
        if isinstance(x, dict) and x.get("type") in ("nominal", "ordinal") and _field(x) and x.get("axis", {}) is not None:
            axis = x.get("axis") or {}
            labels = [str(v) for v in dict.fromkeys(r.get(_field(x)) for r in view["records"]) if not _missing(v)]
            if axis.get("labelAngle", 0) not in (0, None):
                continue
            need = len(labels) * (_label_px(labels, x, axis) + 4)
            if need > PHONE_PLOT:
                found.append(f"x axis of {_field(x)}: {len(labels)} labels need {need:.0f} px side by side, "
                             f"more than a phone has ({PHONE_PLOT})")
    return list(dict.fromkeys(found))


def _legends(spec: dict, datasets: dict | None) -> list[dict]:
    legends = {}
    config = _config(spec, "legend") or {}
    for view in views(spec, datasets):
        for name in ("color", "fill", "stroke", "shape", "strokeDash", "size", "opacity"):
            channel = view["encoding"].get(name)
            field = _field(channel)
            if field is None or channel.get("legend", {}) is None or channel.get("type") == "quantitative":
                continue
            legend = channel.get("legend") or {}
            entries = [v for v in dict.fromkeys(r.get(field) for r in view["records"]) if not _missing(v)]
            known = legends.setdefault(field, {"field": field, "entries": [], "legend": legend, "channel": channel})
            known["entries"] = list(dict.fromkeys([*known["entries"], *entries]))
    for item in legends.values():
        legend = item["legend"]
        item["orient"] = legend.get("orient", config.get("orient", "right"))
        item["columns"] = legend.get("columns", config.get("columns")) or len(item["entries"]) or 1
        item["label_limit"] = legend.get("labelLimit", config.get("labelLimit", DEFAULT_LEGEND_LABEL_LIMIT))
    return list(legends.values())


def _row_labels_px(spec: dict, datasets: dict | None) -> float:
    """The width of the names of a categorical y axis (0 without one)."""
    widest = 0.0
    for view in views(spec, datasets):
        y = view["encoding"].get("y")
        if isinstance(y, dict) and y.get("type") in ("nominal", "ordinal") and _field(y) and y.get("axis", {}) is not None:
            labels = [str(r.get(_field(y))) for r in view["records"] if not _missing(r.get(_field(y)))]
            widest = max(widest, _label_px(labels, y, y.get("axis") or {}) + 10)
    return widest


def legend_problems(spec: dict, datasets: dict | None = None) -> list[str]:
    """(d) Every entry listed; below (or above) the chart, never beside it; as wide as a
    phone at most; and no taller than the plot."""
    found = []
    height = spec.get("height")
    for legend in _legends(spec, datasets):
        field, entries = legend["field"], [str(e) for e in legend["entries"]]
        listed = legend["legend"].get("values")
        domain = (legend["channel"].get("scale") or {}).get("domain")
        for name, shown in (("legend values", listed), ("scale domain", domain)):
            if isinstance(shown, list):
                left_out = [e for e in entries if e not in {str(s) for s in shown}]
                if left_out:
                    found.append(f"legend of {field}: {name} leave out {left_out}")
        if legend["orient"] not in ("bottom", "top", "none"):
            found.append(f"legend of {field}: at the {legend['orient']}, it takes the plot's width on a phone")
            continue
        columns = min(legend["columns"], len(entries))
        widest = [min(len(e) * CHAR, legend["label_limit"]) for e in entries]
        width = sum(sorted(widest, reverse=True)[:columns]) + columns * LEGEND_SYMBOL
        # A legend below the plot starts where the plot does: right of the names of its rows.
        room = PHONE_CHART - _row_labels_px(spec, datasets)
        if width > room:
            found.append(f"legend of {field}: {columns} columns need about {width:.0f} px, more than a phone has "
                         f"beside the rows' names ({room:.0f})")
        rows = -(-len(entries) // max(columns, 1)) + 1
        if isinstance(height, (int, float)) and rows * LEGEND_ROW_PX > height / 2:
            found.append(f"legend of {field}: {rows} rows in a chart {height} px high, larger than its plot")
    return found


CHECK_FUNCTIONS = {"gaps": gap_problems, "integer_axes": integer_axis_problems,
                   "categorical_rows": categorical_problems, "legends": legend_problems}


def problems(spec: dict, datasets: dict | None = None) -> dict[str, list[str]]:
    """Every check's findings for one chart (empty lists when it keeps its promises)."""
    return {name: check(spec, datasets) for name, check in CHECK_FUNCTIONS.items()}


# -- the pages --------------------------------------------------------------------------

def sent_charts(at: AppTest) -> list[tuple[dict, dict]]:
    """Each chart the page sent: its spec and its datasets as records. Streamlit sends an
    Altair chart's data as Arrow tables beside the spec; reading them uses Streamlit's own
    converter (`dataframe_util`, not public API: this fails the day an upgrade moves it)."""
    from streamlit import dataframe_util

    def records(arrow) -> list[dict]:
        frame = dataframe_util.convert_arrow_bytes_to_pandas_df(arrow.data)
        return json.loads(frame.to_json(orient="records"))

    found = []
    for element in [*at.get("arrow_vega_lite_chart"), *at.get("vega_lite_chart")]:
        proto = element.proto
        spec = json.loads(proto.spec)
        datasets = {dataset.name: records(dataset.data) for dataset in proto.datasets}
        if proto.HasField("data") and proto.data.data:
            datasets["__main__"] = records(proto.data)
        found.append((spec, datasets))
    return found


def _choices(url: str) -> dict[str, dict]:
    """The query parameters that make a page draw its charts: a cluster to profile, three to
    compare; the other pages draw with their default widgets."""
    names = [name for _, name in queries.filter_options(make_engine(url)).clusters[:3]]
    return {"pages/klyngeprofil.py": {"profil": names[0]}, "pages/sammenlign.py": {"sammenlign": names}}


@pytest.fixture(scope="module")
def page_charts(demo_url):
    """The charts of a page in a language, from one AppTest run each (kept for every check)."""
    import os

    kept: dict[tuple[str, str], list] = {}
    choices = _choices(demo_url)

    def run(page: str, language: str) -> list[tuple[dict, dict]]:
        if (page, language) not in kept:
            st.cache_data.clear()
            st.cache_resource.clear()
            os.environ["KLYNGE_DATABASE_URL"] = demo_url
            at = AppTest.from_file(DASHBOARD, default_timeout=60)
            at.query_params["lang"] = language
            for key, value in choices.get(page, {}).items():
                at.query_params[key] = value
            at.run()
            if page != PAGES[0].path:
                at.switch_page(page)
                at.run()
            # A page that fails is reported once per check, from this one run.
            kept[(page, language)] = [e.value for e in at.exception] or sent_charts(at)
        if kept[(page, language)] and isinstance(kept[(page, language)][0], str):
            pytest.fail(f"{page} [{language}] raised: {kept[(page, language)]}")
        return kept[(page, language)]

    previous = os.environ.get("KLYNGE_DATABASE_URL")
    yield run
    if previous is None:
        os.environ.pop("KLYNGE_DATABASE_URL", None)
    else:
        os.environ["KLYNGE_DATABASE_URL"] = previous


@pytest.mark.parametrize("check", CHECKS)
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page", [page.path for page in PAGES])
def test_every_chart_on_every_page_keeps_its_promises(page, language, check, page_charts):
    found = []
    for index, (spec, datasets) in enumerate(page_charts(page, language)):
        for problem in CHECK_FUNCTIONS[check](spec, datasets):
            found.append(f"{page} [{language}] chart {index + 1} ({_describe(spec, datasets)}): {problem}")
    assert not found, "\n".join(found)


def test_the_pages_with_a_choice_draw_charts_to_check(page_charts):
    # Otherwise the checks above would pass on pages that drew nothing.
    assert page_charts("pages/klyngeprofil.py", "nb") and page_charts("pages/sammenlign.py", "en")
    assert page_charts(PAGES[0].path, "nb")
