"""Sammenlign: up to six clusters side by side on every key figure over the years, with the
median of their levels. The choice is kept in the URL; with none, the page opens on the
largest cluster of the filter and its largest peers."""

import pandas as pd
import streamlit as st

from klynge import metrics, peer_medians
from klynge.indicators import INDICATOR_BY_KEY
from klynge.queries import Filter
from klynge.ui import cluster_charts, components, data
from klynge.ui import format as fmt
from klynge.ui.drawing import draw
from klynge.ui.pages import require_rows, start
from klynge.ui.safe import plain
from klynge.ui.texts import figure_label, level_label, t

MAX_CLUSTERS = 6
PEERS = 3  # the default: the largest cluster and this many of its largest peers
FIGURES = peer_medians.COMPARE_FIGURES

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
    default = cluster_charts.default_comparison(data.register_counts(flt), PEERS)
    if default.empty:
        st.info(t("compare.none_chosen", count=MAX_CLUSTERS), icon=":material/compare_arrows:")
        st.stop()
    largest = default.iloc[0]
    st.caption(t("compare.default", name=plain(largest["cluster"]), members=fmt.integer(largest["members_total"]),
                 year=int(largest["year"]), level=level_label(largest["level"]), peers=PEERS))
    chosen = [int(cid) for cid in default["cluster_id"]]

years = flt.years
reports = require_rows(metrics.with_derived(data.reports(Filter(clusters=tuple(sorted(chosen)), years=years)), data.rules()))
levels = sorted(set(reports["level"]), key=metrics.level_order)
# The medians of the other clusters at each level: the chosen ones are compared with their peers.
medians = data.level_medians((int(reports["report_year"].min()), int(reports["report_year"].max())), FIGURES,
                             exclude=tuple(sorted(chosen)))
medians = medians[medians["level"].isin(levels)]
st.caption(t("compare.lines_caption", minimum=metrics.MIN_PEERS))

# Each cluster keeps its colour on every chart: its place in the choice.
shown = set(reports["cluster_id"])
clusters = [names[cid] for cid in chosen if cid in shown]
draw(cluster_charts.cluster_legend, clusters)
# Each chart's rows: the clusters' reports, then their levels' medians (built from lists: nine
# frames of a few dozen rows cost more in pandas' steps than in their values).
ours, theirs = len(reports), len(medians)
years_and_series = {"report_year": reports["report_year"].tolist() + medians["report_year"].tolist(),
                    "series": reports["cluster"].tolist() + medians["level"].tolist()}
kinds = ["cluster"] * ours + ["median"] * theirs
for index, figure in enumerate(FIGURES):
    if index % 2 == 0:
        row = st.columns(2)  # a row at a time: on a phone the charts stay in order
    unit = INDICATOR_BY_KEY[figure].unit
    frame = pd.DataFrame({**years_and_series, "value": reports[figure].tolist() + medians[figure].tolist(),
                          "kind": kinds, "n": [1] * ours + medians[f"n_{figure}"].tolist()})
    with row[index % 2]:
        components.indicator_heading(figure, " (MNOK)" if unit == "mnok" else "")
        if frame["value"].notna().any():
            draw(cluster_charts.compare_lines, frame, figure_label(figure), unit, clusters)
        else:  # an empty chart says nothing (and its empty marks have no text for a screen reader)
            st.caption(t("compare.no_values"))

table = reports.sort_values(["cluster", "report_year"])[["cluster", "report_year", "level", *FIGURES]]
table = table.assign(level=table["level"].map(level_label))
components.table(table, t("compare.file"),
                 units={figure: INDICATOR_BY_KEY[figure].unit for figure in FIGURES},
                 labels={"cluster": t("col.cluster"), "report_year": t("col.year"), "level": t("col.level"),
                         **{figure: figure_label(figure) for figure in FIGURES}})
