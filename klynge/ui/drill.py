"""Drill-down: a click on a chart's dot, bar or point picks it, and the page shows the
clusters and reports behind it, their figures and links to their profiles.

A chart that can be picked from has point selections in its spec (`select_on`). Streamlit
sends back, for each selection, the field values of the marks picked (`cluster_id`,
`level`, `report_year`); `Pick` keeps them, and `Pick.rows` takes the reports that match
any one of them from the same frame the chart was drawn from, so the rows are the ones the
mark stands for. A click on another mark picks that one instead, a shift-click adds to the
pick, a double click in the chart or the panel's button clears it; a change of filter or
year draws a new chart, with nothing picked.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from klynge.ui import components
from klynge.ui import format as fmt
from klynge.ui.drawing import spec_of
from klynge.ui.safe import plain
from klynge.ui.texts import figure_label, level_label, t

# The fields a mark can be picked by, in the order a pick is described.
FIELDS = ("cluster_id", "region", "level", "report_year")
PREFIX = "utvalg"  # with the page's url path: the state keys of a page's charts
GOAL_PICK = "punkt"  # the selection of the goals' small multiples (cluster_charts.goal_panels)


def select_on(name: str, layers: Sequence[str], fields: Sequence[str], others: Sequence[str] = ()) -> dict:
    """A Vega-Lite point selection `name` of the marks of the layers named `layers` (a
    layer's `name`; Vega-Lite names its marks `<layer>_marks`) by `fields`. Only a click on
    those marks picks (a click on a line would otherwise pick the line's first point); a
    click on the marks of the layers `others`, which have selections of their own, or a
    double click clears it, so that one kind of thing at a time is picked."""
    clicks = ", ".join(f"@{layer}_marks:click" for layer in layers)
    clear = ", ".join([*(f"@{other}_marks:click" for other in others), "dblclick"])
    return {"name": name, "select": {"type": "point", "fields": list(fields), "on": clicks, "clear": clear}}


def highlight(names: Sequence[str], value: float, faded: float = 0.25) -> dict:
    """An opacity that fades the marks outside the pick while one of the selections `names`
    holds something (with nothing picked, every mark has `value`)."""
    test = {"or": [{"param": name, "empty": False} for name in names]} if len(names) > 1 else {"param": names[0], "empty": False}
    anything = " || ".join(f"length(data('{name}_store'))" for name in names)
    return {"condition": [{"test": test, "value": value}, {"test": anything, "value": faded}], "value": value}


@dataclass(frozen=True)
class Pick:
    """The marks a reader picked, each as its field values (`FIELDS`): a cluster, a level, a
    level in a year."""
    marks: tuple[tuple[tuple[str, Any], ...], ...] = ()

    @classmethod
    def of(cls, selection: Mapping[str, Any]) -> Pick:
        """The marks in Streamlit's selection state (each selection's list of picked marks).
        A dot picks its cluster; a mark without a cluster (a level's median) its level."""
        marks = []
        for picked in selection.values():
            for mark in picked if isinstance(picked, list) else ():
                values = tuple((field, mark[field]) for field in FIELDS if mark.get(field) is not None)
                if values:
                    marks.append(values)
        return cls(tuple(dict.fromkeys(marks)))

    def __bool__(self) -> bool:
        return bool(self.marks)

    def __or__(self, other: Pick) -> Pick:
        return Pick(tuple(dict.fromkeys(self.marks + other.marks)))

    def rows(self, reports: pd.DataFrame) -> pd.DataFrame:
        """The reports that one of the marks stands for."""
        chosen = pd.Series(False, index=reports.index)
        for mark in self.marks:
            matches = pd.Series(True, index=reports.index)
            for field, value in mark:
                matches &= reports[field] == value
            chosen |= matches
        return reports[chosen]

    def values(self, field: str) -> list:
        """The values of `field` among the marks picked, each once, in order."""
        return list(dict.fromkeys(value for mark in self.marks for name, value in mark if name == field))

    def describe(self, names: Mapping[int, str]) -> str:
        """The marks in words: "Arena 2024; Arena Pro 2025", or the clusters' `names` (by
        id; an id not there is left out)."""
        texts = []
        for mark in self.marks:
            values = dict(mark)
            if "cluster_id" in values:
                texts.append(names.get(values["cluster_id"], ""))
            else:
                words = [values["region"]] if "region" in values else []
                words += [level_label(values["level"])] if "level" in values else []
                texts.append(" ".join([*words, *([str(values["report_year"])] if "report_year" in values else [])]))
        return "; ".join(text for text in texts if text) or "–"


def _generation_key(page: str) -> str:
    return f"{PREFIX}-{page}-runde"


def chart(page: str, name: str, build: Callable[..., dict], *args, on_pick: Callable[[Pick], None] | None = None,
          **kwargs) -> Pick:
    """Draw `build(*args, **kwargs)` (a spec with selections) so that its marks can be
    picked, and return what is picked; with `on_pick`, that is called with the pick before
    the page reruns (where it may set other widgets' state, as a filter). The chart's key
    holds its data's names (hashes of the data), so a chart of other data starts with
    nothing picked, and the page's round (`clear`), so the panel's button can start every
    chart of the page afresh."""
    spec = spec_of(build, *args, **kwargs)
    data = hashlib.blake2b("".join(sorted(spec.get("datasets", {}))).encode(), digest_size=6).hexdigest()
    key = f"{PREFIX}-{page}-{name}-{st.session_state.get(_generation_key(page), 0)}-{data}"

    def picked() -> None:
        on_pick(Pick.of(st.session_state[key]["selection"]))

    state = st.vega_lite_chart(spec, width="stretch", on_select=picked if on_pick else "rerun", key=key)
    return Pick.of(state.selection)


def clear(page: str) -> None:
    """Start the page's charts afresh, with nothing picked (a button's callback)."""
    st.session_state[_generation_key(page)] = st.session_state.get(_generation_key(page), 0) + 1


def hint(kind: str) -> None:
    """How to pick in the charts above: `kind` is levels (dots and medians), bars or points."""
    st.caption(t(f"drill.hint.{kind}"), help=t("drill.hint_help"))


def show(page: str, pick: Pick, reports: pd.DataFrame | Callable[[], pd.DataFrame], figures: Iterable[tuple[str, str]],
         file_name: str, about: str | None = None) -> None:
    """Under the charts of `page`: the reports behind `pick` (from `reports`, or the frame a
    function gives, read only when something is picked), one row per report, with the
    cluster's level, the year, the `figures` (key, unit) and a link to its profile; its
    downloads hold exactly those rows, in a file named `file_name` (which names the list's
    widgets too: two lists on a page need two names); `about` names the chart, where the
    list is not right under it. Nothing when nothing is picked."""
    if not pick:
        return
    rows = pick.rows(reports() if callable(reports) else reports)
    figures = [(key, unit) for key, unit in figures if key in rows]
    with st.container(border=True):
        top, button = st.columns([3, 1], vertical_alignment="center")
        names = dict(zip(rows["cluster_id"], rows["cluster"]))
        described = plain(pick.describe(names))
        top.markdown(f"**{t('drill.heading')}**: {f'{plain(about)} · ' if about else ''}{described}", help=t("drill.hint_help"))
        button.button(t("drill.clear"), on_click=clear, args=(page,), key=f"{PREFIX}-{page}-{components.slug(file_name)}-fjern",
                      icon=":material/close:", width="stretch")
        if rows.empty:
            st.caption(t("drill.none"))
            return
        st.caption(t("drill.caption", reports=fmt.integer(len(rows)), clusters=fmt.integer(rows["cluster_id"].nunique())))
        listing = rows.sort_values(["report_year", "cluster"]).assign(level=lambda frame: frame["level"].map(level_label))
        listing = listing[["cluster", "level", "report_year", *(key for key, _ in figures)]]
        components.table(
            components.with_profile_links(listing), file_name,
            units=dict(figures),
            labels={"cluster": t("col.cluster"), "level": t("col.level"), "report_year": t("col.year"),
                    **{key: figure_label(key) + (" (MNOK)" if unit == "mnok" else "") for key, unit in figures}},
        )
