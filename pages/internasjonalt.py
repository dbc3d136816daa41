"""Internasjonalt: first the international activities and projects of a cluster at each
level; then new international activities, internationalisation projects, projects
with international partners, collaborations with international clusters, and the
activity descriptions as searchable text."""

import streamlit as st

from klynge import metrics
from klynge.domain import LEVEL_CODES, OUTSIDE_LEVEL
from klynge.ui import charts, components, data
from klynge.ui import format as fmt
from klynge.ui.drawing import draw
from klynge.ui.level_charts import Figure, show_comparison, show_year_bars
from klynge.ui.pages import require_rows, require_year, start
from klynge.ui.safe import plain
from klynge.ui.texts import figure_label, level_label, t

flt, options = start("page.international")
year = require_year(flt, options)

# The newest SHOWN matches are read; the database searches and counts them all.
SHOWN = 30
FIELDS = ("international_activities_new", "international_activities_description")
labels = {"cluster": t("col.cluster"), "report_year": t("col.year"), "level": t("col.level"),
          "international_activities_new": figure_label("international_activities_new"),
          "international_activities_description": t("col.description")}
levels = {code: level_label(code) for code in (*LEVEL_CODES, OUTSIDE_LEVEL)}


def every_match():
    """All the matches, for the download (made when it is clicked, in the labels of now)."""
    rows = data.report_texts(flt, *FIELDS, query or "")
    return rows.assign(level=rows["level"].map(levels))[list(labels)].rename(columns=labels)


# The page opens on what it is about, level by level; its other sections are tabs, drawn only
# when open (a filter change redraws the open one).
sections = components.sections("internasjonalt", ["levels", "years", "descriptions"], opens_on="descriptions" if "sok" in st.query_params else None)
if sections["levels"].open:
    with sections["levels"]:
        # First what a typical cluster at each level does abroad, then the totals per level and for the programme.
        figures = [Figure("international_activities_new"), Figure("intl_projects")]
        per_cluster = data.reports_with_derived(flt.with_(years=(year, year)), tuple(figure.key for figure in figures))
        show_comparison("internasjonalt", per_cluster, figures, year, t("page.international"))

if sections["years"].open:
    with sections["years"]:
        summary = require_rows(data.summary_with_derived(flt))  # per level and year
        for figures in ([Figure("international_activities_new")], [Figure("intl_projects"), Figure("with_international_partners")]):
            show_year_bars("internasjonalt", t("page.international"), summary, figures, lambda: data.reports_with_derived(flt))
        components.indicator_heading("international_cluster_collaborations")
        draw(charts.level_trend, summary, "international_cluster_collaborations", figure_label("international_cluster_collaborations"))
        charts.note_few_clusters(summary, "international_cluster_collaborations")

        columns = ["international_activities_new", "intl_projects", "with_international_partners", "international_cluster_collaborations"]
        table = summary.sort_values(["report_year", "level"], key=lambda c: c.map(metrics.level_order) if c.name == "level" else c)
        table = table.assign(level=table["level"].map(level_label))[["report_year", "level", *columns]]
        components.table(table, t("international.levels_file"), units={c: "count" for c in columns},
                         labels={"report_year": t("col.year"), "level": t("col.level"), **{c: figure_label(c) for c in columns}})

if sections["descriptions"].open:
    with sections["descriptions"]:
        st.subheader(t("international.descriptions"))
        query = st.text_input(t("international.search"), key="sok", bind="query-params", placeholder=t("international.search_placeholder"))
        found = data.report_texts(flt, *FIELDS, query or "", SHOWN)
        matches = int(found["matches"].iloc[0]) if not found.empty else 0
        st.caption(t("international.matches", count=fmt.integer(matches)))
        for row in found.itertuples():
            with st.expander(f"{plain(row.cluster)} · {row.report_year} · {level_label(row.level)}", expanded=bool(query)):
                st.text(row.international_activities_description, width="stretch")  # as written, no Markdown
        if matches > SHOWN:
            st.caption(t("international.more", count=fmt.integer(matches - SHOWN)))
        components.downloads(every_match, t("international.descriptions_file"))
