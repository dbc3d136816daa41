"""Måloppnåelse: each of the programme's effect and result goals, with the indicators that
measure it, per level and per year, and the definition of each indicator."""

import streamlit as st

from klynge import metrics
from klynge.indicators import GOALS, INDICATOR_BY_KEY
from klynge.ui import charts, components, data
from klynge.ui.pages import require_rows, require_year, start
from klynge.ui.texts import figure_label, level_label, t

flt, options = start("page.goals")
require_year(flt, options)
summary = require_rows(data.summary_with_derived(flt))
summary = summary.sort_values(["report_year", "level"], key=lambda c: c.map(metrics.level_order) if c.name == "level" else c)
st.caption(t("goals.caption"))

for kind in ("effect", "result"):
    st.header(t(f"goals.{kind}"))
    for goal in (g for g in GOALS if g.kind == kind):
        st.subheader(t(f"goal.{goal.key}"))
        st.caption(t(f"goal.{goal.key}.how"))
        columns = st.columns(len(goal.indicators))
        for column, key in zip(columns, goal.indicators):
            unit = INDICATOR_BY_KEY[key].unit
            with column:
                components.indicator_heading(key, " (MNOK)" if unit == "mnok" else "")
                st.caption(t(f"definition.{key}"))
                frame = summary if key != "leverage" else summary[summary["programme_money_mnok"] > 0]
                st.altair_chart(charts.level_trend(frame, key, figure_label(key), unit, beside=len(goal.indicators)),
                                width="stretch")
        table = summary.assign(level=summary["level"].map(level_label))[["report_year", "level", *goal.indicators]]
        with st.expander(t("goals.table")):
            components.table(table, t("goals.file", goal=t(f"goal.{goal.key}")),
                             units={key: INDICATOR_BY_KEY[key].unit for key in goal.indicators},
                             labels={"report_year": t("col.year"), "level": t("col.level"),
                                     **{key: figure_label(key) for key in goal.indicators}})
