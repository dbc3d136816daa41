"""Medlemmer: first the members of a cluster at each level; then composition by member type,
five-point coverage, partners, gender balance."""

import streamlit as st

from klynge import metrics
from klynge.domain import FIVE_POINT_MODEL, MEMBER_COUNT_FIELDS
from klynge.ui import charts, components, data
from klynge.ui import format as fmt
from klynge.ui.drawing import draw
from klynge.ui.level_charts import Figure, member_shares_by_level, show_comparison, show_year_bars
from klynge.ui.pages import require_rows, require_year, start
from klynge.ui.texts import level_label, member_type_label, t

flt, options = start("page.members")
year = require_year(flt, options)
this_year = flt.with_(years=(year, year))
# The figures of the year's reports this page shows, not all of them: 5,000 reports of 16
# columns, not 44. Read by the sections that show them (the five-point model reads the register).
FIGURES = (*MEMBER_COUNT_FIELDS, "members_total", "partners_total", "steering_women_share", "mgmt_women_share")


def year_reports():
    return require_rows(data.reports_with_derived(this_year, FIGURES))


# The page opens on what it is about, level by level; its other sections are tabs, drawn only
# when open (a filter change redraws the open one).
sections = components.sections("medlemmer", ["levels", "composition", "five_point", "partners_gender"])
if sections["levels"].open:
    with sections["levels"]:
        # First what a typical cluster at each level has, then the totals per level and for the programme.
        show_comparison("medlemmer", year_reports(), [Figure("members_total")], year, t("page.members"))

if sections["composition"].open:
    with sections["composition"]:
        reports = year_reports()
        st.subheader(t("members.composition"))
        st.caption(t("members.caption", year=year))
        # Shares first: counts per level mostly show how many clusters a level has.
        measure = st.segmented_control(t("members.measure"), ["share", "members"], default="share",
                                       format_func=lambda m: t(f"members.measure.{m}"), key="mal", bind="query-params") or "share"
        # Each level's name with its n, the clusters whose members make its shares.
        by_level, order = member_shares_by_level(reports)
        st.markdown(f"**{t('members.per_level')}**", help=t("definition.member_types") + "\n\n" + components.see_glossary())
        draw(charts.composition, by_level, "level", t("chart.level"), measure, order=order)
        st.markdown(f"**{t('members.per_cluster')}**", help=t("definition.member_types") + "\n\n" + components.see_glossary())
        # A bar per cluster stops being readable (and fast) beyond a few dozen: the largest are drawn.
        largest = reports.nlargest(charts.MAX_CLUSTER_BARS, "members_total")
        if len(reports) > len(largest):
            st.caption(t("chart.largest", shown=fmt.integer(len(largest)), total=fmt.integer(len(reports))))
        by_cluster = metrics.member_composition(largest, ["cluster"])
        draw(charts.composition, by_cluster, "cluster", t("chart.cluster"), measure, horizontal=True)
        table = by_level.assign(level=by_level["level_code"].map(level_label)).pivot_table(
            index="level", columns="member_type", values="members", aggfunc="sum", sort=False).reset_index()
        table.columns = [t("col.level") if c == "level" else member_type_label(c) for c in table.columns]
        # Beside the types, the one figure for members per level (the reports' totals), as on every page.
        totals = reports.groupby("level")["members_total"].sum()
        table[t("figure.members_total")] = [totals[code] for code in by_level.drop_duplicates("level")["level_code"]]
        components.table(table, t("members.composition_file", year=year),
                         units={c: "count" for c in table.columns if c != t("col.level")})

if sections["five_point"].open:
    with sections["five_point"]:
        st.subheader(t("members.five_point"), help=t("help.five_point") + "\n\n" + components.see_glossary())
        st.caption(t("members.five_point_caption", year=year))
        register = require_rows(data.register_counts(this_year))  # every cluster the filter selects
        register = register[register["members_total"] > 0]
        if register.empty:
            st.info(t("members.no_register"))
        else:
            # The clusters that lack a type first, then by name: those are the ones to look at.
            coverage = metrics.five_point_coverage(register)
            coverage = coverage.sort_values(["covered", "cluster"], key=lambda c: c < len(FIVE_POINT_MODEL) if c.name == "covered" else c,
                                            ascending=[False, True], kind="stable")
            lacking = coverage[coverage["covered"] < len(FIVE_POINT_MODEL)]
            st.metric(t("members.lacking"), f"{fmt.integer(len(lacking))} / {fmt.integer(len(coverage))}", help=t("help.five_point"))
            points = {code: label_key for code, label_key in FIVE_POINT_MODEL}
            shown = coverage.assign(
                level=coverage["level"].map(level_label),
                missing=coverage["missing"].map(lambda codes: ", ".join(t(f"five_point.{c}") for c in codes) or "–"),
                **{code: coverage[code].map(lambda ok: "✓" if ok else "✗") for code in points},
            )[["cluster", "level", *points, "covered", "missing"]]
            components.table(
                components.with_profile_links(shown), t("members.five_point_file", year=year), units={"covered": "count"},
                labels={"cluster": t("col.cluster"), "level": t("col.level"), "covered": t("col.points_covered"),
                        "missing": t("col.points_missing"), **{code: t(f"five_point.{code}") for code in points}},
            )

if sections["partners_gender"].open:
    with sections["partners_gender"]:
        reports = year_reports()
        summary = data.summary_with_derived(flt)  # the partners' heading is the chart's, with its definition
        show_year_bars("medlemmer", t("page.members"), summary, [Figure("partners_total")], lambda: data.reports_with_derived(flt))

        st.subheader(t("members.gender"))
        st.caption(t("members.gender_caption"))
        left, right = st.columns(2)
        with left:
            components.indicator_heading("steering_women_share")
            draw(charts.level_trend, summary, "steering_women_share", t("figure.steering_women_share"), "percent",
                 beside=2, y_domain=[0, 1])
        with right:
            components.indicator_heading("mgmt_women_share")
            draw(charts.level_trend, summary, "mgmt_women_share", t("figure.mgmt_women_share"), "percent", beside=2, y_domain=[0, 1])
        charts.note_few_clusters(summary, "steering_women_share")
        gender = reports.assign(level=reports["level"].map(level_label))[
            ["cluster", "level", "partners_total", "steering_members", "steering_women", "steering_women_share",
             "mgmt_paid_persons", "mgmt_paid_women", "mgmt_women_share"]]
        components.table(
            components.with_profile_links(gender), t("members.gender_file", year=year),
            units={"partners_total": "count", "steering_members": "count", "steering_women": "count", "steering_women_share": "percent",
                   "mgmt_paid_persons": "count", "mgmt_paid_women": "count", "mgmt_women_share": "percent"},
            labels={"cluster": t("col.cluster"), "level": t("col.level"), "partners_total": t("figure.partners_total"),
                    "steering_members": t("figure.steering_members"), "steering_women": t("figure.steering_women"),
                    "steering_women_share": t("figure.steering_women_share"), "mgmt_paid_persons": t("figure.mgmt_paid_persons"),
                    "mgmt_paid_women": t("figure.mgmt_paid_women"), "mgmt_women_share": t("figure.mgmt_women_share")},
        )
