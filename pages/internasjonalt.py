"""Internasjonalt: new international activities, internationalisation projects, projects
with international partners, collaborations with international clusters, and the
activity descriptions as searchable text."""

import streamlit as st

from klynge import metrics
from klynge.ui import charts, components, data
from klynge.ui.pages import require_rows, require_year, start
from klynge.ui.safe import plain
from klynge.ui.texts import figure_label, level_label, t

flt, options = start("page.international")
year = require_year(flt, options)
summary = require_rows(data.summary_with_derived(flt))
components.indicator_heading("international_activities_new")
st.altair_chart(charts.level_year_bars(summary, "international_activities_new", figure_label("international_activities_new")),
                width="stretch")

left, right = st.columns(2)
with left:
    components.indicator_heading("intl_projects")
    st.altair_chart(charts.level_year_bars(summary, "intl_projects", figure_label("intl_projects")), width="stretch")
with right:
    components.indicator_heading("with_international_partners")
    st.altair_chart(charts.level_year_bars(summary, "with_international_partners", figure_label("with_international_partners")),
                    width="stretch")
components.indicator_heading("international_cluster_collaborations")
st.altair_chart(charts.level_trend(summary, "international_cluster_collaborations",
                                   figure_label("international_cluster_collaborations")), width="stretch")

columns = ["international_activities_new", "intl_projects", "with_international_partners", "international_cluster_collaborations"]
table = summary.sort_values(["report_year", "level"], key=lambda c: c.map(metrics.level_order) if c.name == "level" else c)
table = table.assign(level=table["level"].map(level_label))[["report_year", "level", *columns]]
components.table(table, t("international.levels_file"), units={c: "count" for c in columns},
                 labels={"report_year": t("col.year"), "level": t("col.level"), **{c: figure_label(c) for c in columns}})

st.subheader(t("international.descriptions"))
reports = data.reports(flt, columns=("international_activities_new", "international_activities_description"))
query = st.text_input(t("international.search"), key="sok", bind="query-params", placeholder=t("international.search_placeholder"))
texts = reports[["cluster", "report_year", "level", "international_activities_new", "international_activities_description"]]
if query:
    texts = texts[texts["international_activities_description"].str.contains(query, case=False, regex=False)
                  | texts["cluster"].str.contains(query, case=False, regex=False)]
texts = texts.sort_values(["report_year", "cluster"], ascending=[False, True])
texts = texts.assign(level=texts["level"].map(level_label))
st.caption(t("international.matches", count=len(texts)))
for row in texts.head(30).itertuples():
    with st.expander(f"{plain(row.cluster)} · {row.report_year} · {row.level}", expanded=bool(query)):
        st.text(row.international_activities_description, width="stretch")  # as written, no Markdown
if len(texts) > 30:
    st.caption(t("international.more", count=len(texts) - 30))
components.downloads(texts.rename(columns={"cluster": t("col.cluster"), "report_year": t("col.year"), "level": t("col.level"),
                                           "international_activities_new": figure_label("international_activities_new"),
                                           "international_activities_description": t("col.description")}),
                     t("international.descriptions_file"))
