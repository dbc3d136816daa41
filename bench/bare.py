"""What Streamlit itself costs: the floors a page's warm rerun is measured against.

- `hello_ms`: an AppTest rerun of a page with one Altair chart and one 100-row table, the
  least a Streamlit page with a chart costs on this machine under this load.
- `bare_ms` of a page: an AppTest rerun that sends the same elements the page sent (the
  same charts with the same data, the same tables with the same rows and columns, metrics,
  texts, widgets with their options, columns and containers), from specs and frames built
  in advance. What is left of a page's rerun above it is our own work: reading the data,
  pandas, building and validating Altair charts, formatting.

`capture(at)` reads the elements of an AppTest run into replay steps; `replay_app(steps)`
gives an AppTest that sends them on every run.
"""

from __future__ import annotations

import io
import json
import statistics
import time
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

_STEPS: dict[int, list] = {}  # replay steps by id, read by the replay script (same process)

HELLO_SCRIPT = """
import altair as alt
import streamlit as st
from bench.bare import hello_frame

frame = hello_frame()
st.altair_chart(alt.Chart(frame).mark_bar().encode(x="category:N", y="value:Q"), width="stretch")
st.dataframe(frame)
"""

REPLAY_SCRIPT = """
from bench.bare import replay
replay({key})
"""

# Text elements and how to send them again.
TEXTS = ("title", "header", "subheader", "markdown", "caption", "html", "code", "text")
ALERTS = ("warning", "info", "success", "error")


@dataclass
class Step:
    kind: str
    args: dict[str, Any] = field(default_factory=dict)
    children: list[list[Step]] = field(default_factory=list)  # for columns/containers: one list per child


def hello_frame() -> pd.DataFrame:
    return _HELLO


_HELLO = pd.DataFrame({"category": [f"c{i % 10}" for i in range(100)], "value": [float(i) for i in range(100)],
                       "label": [f"row {i}" for i in range(100)]})


def _arrow_frame(data: bytes) -> pd.DataFrame:
    import pyarrow as pa

    return pa.ipc.open_stream(io.BytesIO(data)).read_all().to_pandas()


def _element_step(node) -> Step | None:
    kind = node.type
    proto = node.proto
    if kind in TEXTS:
        return Step("text", {"kind": kind, "body": proto.body})
    if kind in ALERTS:
        return Step("text", {"kind": kind, "body": proto.body})
    if kind == "metric":
        return Step("metric", {"label": proto.label, "value": proto.body, "delta": proto.delta or None})
    if kind == "dataframe":
        return Step("dataframe", {"frame": _arrow_frame(proto.arrow_data.data)})
    if kind in ("vega_lite_chart", "arrow_vega_lite_chart"):
        spec = json.loads(proto.spec)
        datasets = {dataset.name: _arrow_frame(dataset.data.data) for dataset in proto.datasets}
        if datasets:
            spec["datasets"] = {**spec.get("datasets", {}), **datasets}
        return Step("chart", {"spec": spec})
    if kind in ("multiselect", "selectbox"):
        return Step(kind, {"label": proto.label, "options": list(proto.options)})
    if kind == "button_group":
        return Step("segmented", {"label": proto.label or "choice", "options": [o.content for o in proto.options]})
    if kind in ("button", "download_button", "checkbox", "text_input"):
        return Step(kind, {"label": proto.label or kind})
    if kind in ("select_slider", "slider"):
        return Step("select_slider", {"label": proto.label, "options": list(getattr(proto, "options", [])) or ["a", "b"]})
    return Step("unknown", {"kind": kind})


def capture(block) -> list[Step]:
    """The replay steps of an AppTest block (e.g. `at.main`, `at.sidebar`), in order."""
    steps = []
    for node in block.children.values():
        children = getattr(node, "children", None)
        if children is None:
            step = _element_step(node)
            if step is not None:
                steps.append(step)
        elif node.type == "flex_container" and children and all(getattr(c, "type", None) == "column" for c in children.values()):
            steps.append(Step("columns", children=[capture(column) for column in children.values()]))
        elif node.type == "expander":
            steps.append(Step("expander", {"label": node.label or "more"}, [capture(node)]))
        elif children and all(getattr(c, "type", None) == "tab" for c in children.values()):
            steps.append(Step("tabs", {"labels": [c.label or "tab" for c in children.values()]},
                              [capture(tab) for tab in children.values()]))
        else:
            steps.append(Step("container", children=[capture(node)]))
    return steps


def unknown_kinds(steps: list[Step]) -> list[str]:
    """Elements the replay does not send (so a bare floor names what it leaves out)."""
    found = []
    for step in steps:
        if step.kind == "unknown":
            found.append(step.args["kind"])
        for child in step.children:
            found += unknown_kinds(child)
    return found


def _send(steps: list[Step], counter: list[int]) -> None:
    import streamlit as st

    for step in steps:
        counter[0] += 1
        key = f"bare-{counter[0]}"
        args = step.args
        if step.kind == "text":
            {"html": st.html, "code": st.code, "text": st.text}.get(args["kind"], getattr(st, args["kind"], st.markdown))(args["body"])
        elif step.kind == "metric":
            st.metric(args["label"], args["value"], delta=args["delta"])
        elif step.kind == "dataframe":
            st.dataframe(args["frame"], width="stretch")
        elif step.kind == "chart":
            spec = dict(args["spec"])
            if "datasets" in spec:
                spec["datasets"] = dict(spec["datasets"])  # Streamlit takes them out of the dict it is given
            st.vega_lite_chart(spec=spec, width="stretch")
        elif step.kind == "multiselect":
            st.multiselect(args["label"], args["options"], key=key)
        elif step.kind == "selectbox":
            st.selectbox(args["label"], args["options"], key=key)
        elif step.kind == "segmented":
            st.segmented_control(args["label"], args["options"], key=key)
        elif step.kind == "select_slider":
            st.select_slider(args["label"], args["options"], key=key)
        elif step.kind == "download_button":
            st.download_button(args["label"], data=b"", key=key, on_click="ignore")
        elif step.kind in ("button", "checkbox", "text_input"):
            getattr(st, step.kind)(args["label"], key=key)
        elif step.kind == "columns":
            for column, child in zip(st.columns(len(step.children)), step.children):
                with column:
                    _send(child, counter)
        elif step.kind == "expander":
            with st.expander(args["label"]):
                _send(step.children[0], counter)
        elif step.kind == "tabs":
            for tab, child in zip(st.tabs(args["labels"]), step.children):
                with tab:
                    _send(child, counter)
        elif step.kind == "container":
            with st.container():
                _send(step.children[0], counter)


def replay(key: int) -> None:
    """The replay script's body: send the steps stored under `key`."""
    import streamlit as st

    main, sidebar = _STEPS[key]
    counter = [0]
    with st.sidebar:
        _send(sidebar, counter)
    _send(main, counter)


def replay_app(main: list[Step], sidebar: list[Step]):
    from streamlit.testing.v1 import AppTest

    key = len(_STEPS)
    _STEPS[key] = (main, sidebar)
    return AppTest.from_string(REPLAY_SCRIPT.format(key=key), default_timeout=600)


def median_rerun_ms(at, runs: int) -> float:
    """The median of `runs` timed reruns of `at`, after one untimed run."""
    at.run()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def hello_ms(runs: int = 10) -> float:
    from streamlit.testing.v1 import AppTest

    return median_rerun_ms(AppTest.from_string(HELLO_SCRIPT, default_timeout=600), runs)


def bare_ms(at, runs: int = 10) -> tuple[float, list[str]]:
    """The bare floor of the page `at` last ran: its elements sent again from what it sent;
    and the kinds of elements not sent again."""
    main, sidebar = capture(at.main), capture(at.sidebar)
    return median_rerun_ms(replay_app(main, sidebar), runs), unknown_kinds(main) + unknown_kinds(sidebar)
