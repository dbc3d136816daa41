"""Sammenlign: up to six clusters side by side on every key figure over the years, with the
median of their levels. The choice is kept in the URL."""

import altair as alt
import pandas as pd
import streamlit as st

from klynge import metrics
from klynge.indicators import INDICATOR_BY_KEY
from klynge.queries import Filter
from klynge.ui import charts, cluster_charts, components, data
from klynge.ui.pages import require_rows, start
from klynge.ui.texts import figure_label, level_label, t

MAX_CLUSTERS = 6
FIGURES = ("members_total", "partners_total", "activities_organised", "activities_unique_participants",
           "participants_per_activity", "funding_triggered_mnok", "leverage", "international_activities_new",
           "projects_total", "new_jobs")

flt, options = start("page.compare")
names = dict(options.clusters)
if not names:
    components.empty_database()
    st.stop()
# The clusters chosen in the sidebar come first in the list.
candidates = list(flt.clusters) + [cid for cid in names if cid not in flt.clusters]
chosen = st.multiselect(t("compare.choose", count=MAX_CLUSTERS), candidates, max_selections=MAX_CLUSTERS,
                        format_func=lambda cid: names.get(cid, str(cid)), key="sammenlign", bind="query-params",
                        placeholder=t("compare.placeholder"))
if not chosen:
    st.info(t("compare.none_chosen", count=MAX_CLUSTERS), icon=":material/compare_arrows:")
    st.stop()

years = flt.years
reports = require_rows(metrics.with_derived(data.reports(Filter(clusters=tuple(sorted(chosen)), years=years)), data.rules()))
levels = sorted(set(reports["level"]), key=metrics.level_order)
# The medians of the other clusters at each level: the chosen ones are compared with their peers.
medians = data.level_medians((int(reports["report_year"].min()), int(reports["report_year"].max())), FIGURES,
                             exclude=tuple(sorted(chosen)))
medians = medians[medians["level"].isin(levels)]
st.caption(t("compare.caption", minimum=metrics.MIN_PEERS))

cluster_names = [names[cid] for cid in chosen if cid in set(reports["cluster_id"])]
median_names = [t("compare.median", level=level_label(level)) for level in levels]
palette = ["#27476e", "#e8833a", "#3a9e8f", "#e15759", "#b07aa1", "#9c755f"]
series_scale = alt.Scale(domain=cluster_names + median_names,
                         range=palette[:len(cluster_names)] + ["#8c8c8c", "#b5b5b5", "#cfcfcf", "#a0a0a0", "#d9d9d9"][:len(median_names)])
grid = st.columns(2)
for index, figure in enumerate(FIGURES):
    unit = INDICATOR_BY_KEY[figure].unit
    frame = pd.concat([
        reports[["report_year", "cluster", figure]].rename(columns={"cluster": "series", figure: "value"}).assign(kind="cluster", n=1),
        medians.assign(series=medians["level"].map(lambda level: t("compare.median", level=level_label(level))))[
            ["report_year", "series", figure, f"n_{figure}"]].rename(columns={figure: "value", f"n_{figure}": "n"})
        .assign(kind="median"),
    ])
    with grid[index % 2]:
        components.indicator_heading(figure, " (MNOK)" if unit == "mnok" else "")
        st.altair_chart(cluster_charts.compare_lines(frame, figure_label(figure), unit, series_scale), width="stretch")

table = reports.sort_values(["cluster", "report_year"])[["cluster", "report_year", "level", *FIGURES]]
table = table.assign(level=table["level"].map(level_label))
components.table(table, t("compare.file"),
                 units={figure: INDICATOR_BY_KEY[figure].unit for figure in FIGURES},
                 labels={"cluster": t("col.cluster"), "report_year": t("col.year"), "level": t("col.level"),
                         **{figure: figure_label(figure) for figure in FIGURES}})
