"""Charts drawn from specs built once per data answer.

Building an Altair chart and turning it into a Vega-Lite spec cost 20 to 90 ms a chart in
Python (half of it Altair checking the spec against the Vega-Lite schema), and
`st.altair_chart` pays that on every rerun, even when the data and the language are the same
as a moment ago. `draw(builder, *args)` keeps the finished spec, with its data already in
Arrow, per builder, arguments and language (`st.cache_data`: shared by the sessions, so a
second reader of the same view pays nothing), and sends it with `st.vega_lite_chart`: the
same element, the same bytes as `st.altair_chart` would send.

Every builder of the dashboard writes its spec as a Vega-Lite dict with its data frames under
`datasets` (`_from_dict`): building the same chart with Altair's classes cost 10 to 90 ms a
chart. Altair still checks those dicts against the schema (`alt.TopLevel*Spec.validate`), and
`vega_lite_spec` still takes an Altair chart (the tests build some to check the checks).

A builder's specs are checked against the schema the first time the builder runs in a
process, and every time when `KLYNGE_CHECK_CHARTS` is set (the tests set it): what the code
builds has the same shape whatever the data, so checking every rerun only spends time.
Without that setting, Altair's checks of each piece of a chart as it is made are off too
(for the whole process).

The key names the builder, not its code: while developing, an edited builder still gives the
specs it kept until the cache is cleared ("Clear cache" in the app's menu) or the server
restarts.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable
from contextlib import nullcontext
from typing import Any

import altair as alt
import numpy as np
import pandas as pd
import pyarrow as pa
import streamlit as st
from streamlit.dataframe_util import convert_anything_to_arrow_bytes

from klynge.ui import format as fmt
from klynge.ui.kept import keep
from klynge.ui.texts import language, speaking

CHECK_ENV = "KLYNGE_CHECK_CHARTS"
_TRANSFORMER = "klynge_arrow"
# Altair's data transformer and theme are settings of the whole process: one conversion at a
# time sets and restores them.
_altair_settings = threading.Lock()
_checked: set[str] = set()


_NUMBERS = (np.dtype("int64"), np.dtype("float64"), np.dtype("bool"))


def arrow_table(frame: pd.DataFrame) -> pa.Table | None:
    """A chart's frame as an Arrow table, a column at a time: the columns and types pyarrow's
    `Table.from_pandas` gives (a gap in a number column null), without pandas' metadata and
    index, which no chart reads. None where a column is of another type (or its name is not
    a text, or not the only one): such a frame goes through Streamlit's conversion. For a chart's few dozen rows,
    `from_pandas` costs more in its own steps (0.5 ms a table) than this does in all (0.2)."""
    if not frame.columns.is_unique:
        return None
    arrays = []
    for name, column in frame.items():
        if not isinstance(name, str):
            return None
        if fmt.is_text(column):
            arrays.append(column.array.__arrow_array__())
        elif column.dtype in _NUMBERS:
            arrays.append(pa.array(column.to_numpy(), from_pandas=True))
        else:
            return None
    return pa.Table.from_arrays(arrays, names=list(frame.columns))


def _as_table(frame: pd.DataFrame | pa.Table) -> pd.DataFrame | pa.Table:
    """A dict spec's dataset as `arrow_table` makes it, where it can."""
    if isinstance(frame, pd.DataFrame):
        table = arrow_table(frame)
        return frame if table is None else table
    return frame


def _to_arrow(data: Any, datasets: dict[str, bytes]) -> dict[str, str]:
    """Altair data transformer: a chart's table as Arrow bytes under a name that is the
    hash of those bytes (so equal tables are sent once)."""
    data_bytes = convert_anything_to_arrow_bytes(data)
    name = hashlib.blake2b(data_bytes, digest_size=16).hexdigest()
    datasets[name] = data_bytes
    return {"name": name}


alt.data_transformers.register(_TRANSFORMER, _to_arrow)
# Altair also checks every piece of a chart against the schema as it is made: 0.2 to 1.3 ms
# a scale, legend or axis, 5 to 20 ms a chart. Where every spec is checked whole (the
# tests), that stays on; elsewhere each builder's first spec is checked whole instead.
if not os.environ.get(CHECK_ENV):
    alt.utils.schemapi.disable_debug_mode()


def vega_lite_spec(chart: alt.TopLevelMixin | dict, validate: bool) -> dict:
    """`chart` as the Vega-Lite spec Streamlit sends: no Altair theme, the data as named
    Arrow datasets. `chart` is an Altair chart, or a spec written as a dict whose
    `datasets` are frames or Arrow tables (see `level_charts.level_distribution`)."""
    if isinstance(chart, dict):
        return _from_dict(chart, validate)
    datasets: dict[str, bytes] = {}
    with _altair_settings:
        plain = alt.theme.enable("none") if alt.theme.active == "default" else nullcontext()
        with plain, alt.data_transformers.enable(_TRANSFORMER, datasets=datasets):
            spec = chart.to_dict(validate=validate)
    spec["datasets"] = {**spec.get("datasets", {}), **datasets}
    return spec


def _from_dict(spec: dict, validate: bool) -> dict:
    """A spec written as a dict: checked against the schema (without its data), its frames
    (or Arrow tables) turned into Arrow datasets named by their hash (a frame a column at a
    time where it can, `arrow_table`), and the layers pointed at those names."""
    frames: dict[str, pd.DataFrame | pa.Table] = spec.get("datasets", {})
    if validate:
        top = (alt.TopLevelVConcatSpec if "vconcat" in spec else alt.TopLevelLayerSpec if "layer" in spec
               else alt.TopLevelUnitSpec)
        top.validate({**spec, "datasets": {name: [] for name in frames}})
    datasets: dict[str, bytes] = {}
    renamed = {name: _to_arrow(_as_table(frame), datasets)["name"] for name, frame in frames.items()}

    def point(node):
        if isinstance(node, dict):
            data = node.get("data")
            if isinstance(data, dict) and data.get("name") in renamed:
                node = {**node, "data": {"name": renamed[data["name"]]}}
            return {key: point(value) if key != "data" else value for key, value in node.items()}
        if isinstance(node, list):
            return [point(value) for value in node]
        return node

    return {**point({key: value for key, value in spec.items() if key != "datasets"}), "datasets": datasets}


def _check(name: str) -> bool:
    return bool(os.environ.get(CHECK_ENV)) or name not in _checked


@keep
def _spec(name: str, lang: str, args: tuple, kwargs: dict, _build: Callable[..., alt.TopLevelMixin | dict]) -> dict:
    """The spec of `_build(*args, **kwargs)` in `lang` (`name` and `lang` are in the key
    because the builder is not hashed and its texts follow the session's language)."""
    validate = _check(name)
    # Built in `lang` throughout: its texts and numbers need not ask the session for the
    # language each (a chart of 5,000 clusters labels every dot).
    with speaking(lang):
        built = _build(*args, **kwargs)
    spec = vega_lite_spec(built, validate)
    if validate:
        _checked.add(name)
    return spec


def spec_of(build: Callable[..., alt.TopLevelMixin | dict], *args, **kwargs) -> dict:
    """The spec `draw` sends for `build(*args, **kwargs)` (a copy: change it freely)."""
    return _spec(f"{build.__module__}.{build.__qualname__}", language(), args, kwargs, build)


def draw(build: Callable[..., alt.TopLevelMixin | dict], *args, **kwargs) -> None:
    """Draw `build(*args, **kwargs)` at the container's width, from the spec kept for these
    arguments in this language when there is one."""
    st.vega_lite_chart(spec_of(build, *args, **kwargs), width="stretch")
