"""Aktiviteter: activities and unique participants per cluster at each level, then per level
over the years, participants per activity, and the clusters ranked."""

import streamlit as st

from klynge.ui import charts, components, data
from klynge.ui import format as fmt
from klynge.ui.drawing import draw
from klynge.ui.level_charts import Figure, show_comparison, show_year_bars
from klynge.ui.pages import require_rows, require_year, start
from klynge.ui.texts import figure_label, level_label, t

flt, options = start("page.activities")
year = require_year(flt, options)
# Only what it shows: at 5,000 clusters, reading every figure would cost more than the page.
FIGURES = ("activities_organised", "activities_unique_participants", "participants_per_activity")
reports = data.reports_with_derived(flt.with_(years=(year, year)), FIGURES)

# The page opens on what it is about, level by level; its other sections are tabs, drawn only
# when open (a filter change redraws the open one).
sections = components.sections("aktiviteter", ["levels", "years", "ranking"], opens_on="ranking" if "rangering" in st.query_params else None)
if sections["levels"].open:
    with sections["levels"]:
        # First what a typical cluster at each level does, then the totals per level and for the programme.
        show_comparison("aktiviteter", reports, [Figure("activities_organised"), Figure("activities_unique_participants")], year, t("page.activities"))

if sections["years"].open:
    with sections["years"]:
        summary = require_rows(data.summary_with_derived(flt))  # per level and year
        st.caption(t("activities.caption"))
        show_year_bars("aktiviteter", t("page.activities"), summary, [Figure("activities_organised"), Figure("activities_unique_participants")],
                       lambda: data.reports_with_derived(flt))

        st.subheader(figure_label("participants_per_activity"), help=t("definition.participants_per_activity") + "\n\n" + components.see_glossary())
        draw(charts.level_trend, summary, "participants_per_activity", figure_label("participants_per_activity"), "ratio")
        charts.note_few_clusters(summary, "participants_per_activity")

if sections["ranking"].open:
    with sections["ranking"]:
        st.subheader(t("activities.ranking", year=year), help=components.see_glossary())
        reports = require_rows(reports)
        ranked_by = FIGURES
        choice = st.segmented_control(t("activities.rank_by"), ranked_by, default=ranked_by[0], format_func=figure_label,
                                      key="rangering", bind="query-params") or ranked_by[0]
        top = reports.nlargest(charts.MAX_CLUSTER_BARS, choice)
        if len(reports) > len(top):
            st.caption(t("chart.largest", shown=fmt.integer(len(top)), total=fmt.integer(len(reports))))
        draw(charts.cluster_ranking, top, choice, figure_label(choice), "ratio" if choice == ranked_by[2] else "count")
        listing = reports.sort_values(choice, ascending=False).assign(level=reports["level"].map(level_label))[
            ["cluster", "level", *ranked_by]]
        components.table(
            components.with_profile_links(listing), t("activities.file", year=year),
            units={"activities_organised": "count", "activities_unique_participants": "count", "participants_per_activity": "decimal"},
            labels={"cluster": t("col.cluster"), "level": t("col.level"), **{name: figure_label(name) for name in ranked_by}},
        )
