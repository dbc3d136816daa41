"""Oversikt: key figures per level for the chosen year, the trend, and the clusters."""

import streamlit as st

from klynge import metrics
from klynge.ui import charts, components, data
from klynge.ui import format as fmt
from klynge.ui.pages import require_rows, require_year, start
from klynge.ui.texts import figure_label, level_label, t

flt, options = start("page.overview")
year = require_year(flt, options)

trend = data.summary_with_derived(flt)
# The key figures need this year and the one before: in the trend, unless the filter starts this year.
if flt.years is None or flt.years[0] < year:
    summary = trend[trend["report_year"] >= year - 1]
else:
    summary = data.summary_with_derived(flt.with_(years=(year - 1, year)))
figures = metrics.key_figures(summary, year)
this_year = require_rows(figures[figures["value"].notna()])

st.caption(t("overview.caption", year=year, previous=year - 1))
FORMAT = {"funding_triggered_mnok": lambda v: fmt.mnok(v, 0 if v >= 100 else 1)}
for level in sorted(this_year["level"].unique(), key=metrics.level_order):
    rows = figures[figures["level"] == level].set_index("figure")
    with st.container(border=True):
        st.markdown(f"**{level_label(level)}**")
        for column, figure in zip(st.columns(len(metrics.KEY_FIGURES)), metrics.KEY_FIGURES):
            row = rows.loc[figure]
            unit = "MNOK" if figure == "funding_triggered_mnok" else ""
            column.metric(t(f"metric.{figure}"), FORMAT.get(figure, fmt.integer)(row["value"]),
                          delta=fmt.metric_delta(row["change"], 1 if unit else 0, unit), help=t(f"help.{figure}"))

st.subheader(t("overview.trend"), help=t("overview.trend_help") + "\n\n" + t("glossary.see"))
choice = st.segmented_control(t("overview.trend_figure"), metrics.KEY_FIGURES, default=metrics.KEY_FIGURES[0],
                              format_func=figure_label, key="trend", bind="query-params")
choice = choice or metrics.KEY_FIGURES[0]
unit = "mnok" if choice == "funding_triggered_mnok" else "count"
st.altair_chart(charts.level_trend(trend, choice, figure_label(choice) + (" (MNOK)" if unit == "mnok" else ""), unit),
                width="stretch")

st.subheader(t("overview.clusters", year=year))
clusters = data.register_counts(flt.with_(years=(year, year)) if flt.years is None else flt)
if clusters.empty:
    components.empty_selection()
    st.stop()
listing = clusters.assign(
    level=clusters["level"].map(level_label),
    reported=clusters["reported"].map({True: t("common.yes"), False: t("common.no")}),
)[["cluster", "level", "region", "sector", "members_total", "core_members", "reported"]]
components.table(
    components.with_profile_links(listing),
    t("overview.clusters_file", year=year),
    units={"members_total": "count", "core_members": "count"},
    labels={"cluster": t("col.cluster"), "level": t("col.level"), "region": t("col.region"), "sector": t("col.sector"),
            "members_total": t("col.register_members"), "core_members": t("col.core_members"),
            "reported": t("col.reported", year=year)},
)
