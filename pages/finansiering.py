"""Finansiering: first the money a cluster at each level triggers, in kroner and per
programme krone; then national and EU money triggered per level, the programme money beside
it and the leverage, and the projects by category and financing."""

import streamlit as st

from klynge import metrics
from klynge.ui import charts, components, data
from klynge.ui import format as fmt
from klynge.ui.drawing import draw
from klynge.ui.level_charts import Figure, show_comparison, show_year_bars
from klynge.ui.pages import require_rows, require_year, start
from klynge.ui.texts import figure_label, level_label, source_text, t


def unset_source(rules, level: str, year: int) -> str:
    """The source of the money rule that is not set for `level` in `year`."""
    for key in ("operating_support_mnok", "development_support_mnok"):
        rule = rules.rule(key, level, year)
        if rule is None:
            return t("rule.not_set")
        if rule.value is None:
            return source_text(rule.source)
    return "–"


flt, options = start("page.funding")
year = require_year(flt, options)
rules = data.rules()
year_only = flt.with_(years=(year, year))
# The money of each cluster this year (only what the page shows: at 5,000 clusters, every
# figure would cost more to read than the page to draw).
MONEY = ("funding_national_mnok", "funding_eu_mnok", "funding_triggered_mnok", "programme_money_mnok", "leverage")

# The page opens on what it is about, level by level; its other sections are tabs, drawn only
# when open (a filter change redraws the open one).
sections = components.sections("finansiering", ["levels", "years", "leverage", "projects"])
if sections["levels"].open:
    with sections["levels"]:
        per_cluster = data.reports_with_derived(year_only, MONEY)
        # First what a typical cluster at each level triggers, in kroner and per programme krone;
        # then the totals per level and for the programme.
        show_comparison("finansiering", per_cluster, [Figure("funding_triggered_mnok", "mnok"),
                                      Figure("leverage", "ratio", ("funding_triggered_mnok", "programme_money_mnok"))],
                        year, t("page.funding"), note=t("levels.leverage_note"))

if sections["years"].open:
    with sections["years"]:
        summary = require_rows(data.summary_with_derived(flt))  # per level and year
        st.caption(t("funding.caption"))
        show_year_bars("finansiering", t("page.funding"), summary, [Figure("funding_national_mnok", "mnok"), Figure("funding_eu_mnok", "mnok")],
                       lambda: data.reports_with_derived(flt))

if sections["leverage"].open:
    with sections["leverage"]:
        summary = require_rows(data.summary_with_derived(flt))  # per level and year
        st.subheader(t("funding.leverage", year=year), help=t("definition.programme_money_mnok") + "\n\n" + components.see_glossary())
        st.caption(t("funding.rules"))
        this_year = summary[summary["report_year"] == year].sort_values("level", key=lambda s: s.map(metrics.level_order))
        # Where a rule sets no amount, the figures say "–"; say why, with the rule's source.
        unset = this_year[this_year["programme_money_mnok"].isna()]
        for source, levels in unset.groupby(unset["level"].map(lambda level: unset_source(rules, level, year)))["level"]:
            st.caption(t("funding.not_set", levels=", ".join(level_label(level) for level in levels), source=source))
        beyond = int(this_year["clusters_beyond_limit"].sum()) if "clusters_beyond_limit" in this_year else 0
        if beyond:
            st.caption(t("funding.beyond_limit", count=fmt.integer(beyond)))
        columns = ["clusters", "funding_national_mnok", "funding_eu_mnok", "funding_triggered_mnok", "programme_money_mnok", "leverage"]
        units = {"clusters": "count", "funding_national_mnok": "mnok", "funding_eu_mnok": "mnok", "funding_triggered_mnok": "mnok",
                 "programme_money_mnok": "mnok", "leverage": "ratio"}
        labels = {"level": t("col.level"), "cluster": t("col.cluster"), **{name: figure_label(name) for name in columns}}
        components.table(this_year.assign(level=this_year["level"].map(level_label))[["level", *columns]],
                         t("funding.levels_file", year=year), units=units, labels=labels)
        components.indicator_heading("leverage")
        with_money = summary[summary["programme_money_mnok"] > 0]  # leverage needs programme money
        draw(charts.level_trend, with_money, "leverage", figure_label("leverage"), "ratio")
        charts.note_few_clusters(with_money, "leverage")

        st.markdown(f"**{t('funding.per_cluster', year=year)}**")
        per_cluster = data.reports_with_derived(year_only, MONEY)
        if not per_cluster.empty:
            listing = per_cluster.sort_values("funding_triggered_mnok", ascending=False)
            listing = listing.assign(level=listing["level"].map(level_label))
            components.table(components.with_profile_links(listing[["cluster", "level", *columns[1:]]]),
                             t("funding.clusters_file", year=year), units=units, labels=labels)

if sections["projects"].open:
    with sections["projects"]:
        st.subheader(t("funding.projects", year=year))
        st.caption(t("funding.projects_caption"))
        reports = data.reports(year_only, columns=metrics.fields_for(["projects_total"]))
        if not reports.empty:
            projects = metrics.project_categories(reports, ["level"])
            projects = projects.sort_values("level", key=lambda codes: codes.map(metrics.level_order), kind="stable")
            for column, financing in zip(st.columns(2), ("programme", "other")):
                with column:
                    st.markdown(f"**{t(f'financing.{financing}')}**", help=t("definition.projects_total") + "\n\n" + components.see_glossary())
                    draw(charts.project_bars, projects[projects["financing"] == financing])
            projects["level"] = projects["level"].map(level_label)
            wide = projects.assign(
                financing=projects["financing"].map(lambda f: t(f"financing.{f}")),
                category=projects["category"].map(lambda c: t(f"category.{c}")),
            )
            components.table(wide, t("funding.projects_file", year=year), units={"projects": "count"},
                             labels={"level": t("col.level"), "financing": t("chart.financing"), "category": t("chart.category"),
                                     "projects": t("chart.projects")})
