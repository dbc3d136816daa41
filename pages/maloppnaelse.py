"""Måloppnåelse: each of the programme's effect and result goals, with the indicators that
measure it, per level and per year, as one chart of small multiples per goal; under it,
each indicator's targets with their status (klynge.targets), and the definition of each
indicator and the figures in a table. All the targets, with their sources, at the end."""

import streamlit as st

from klynge import metrics
from klynge import targets as tg
from klynge.indicators import GOALS, INDICATOR_BY_KEY
from klynge.ui import charts, cluster_charts, components, data, drill, goal_targets
from klynge.ui.pages import require_rows, require_year, start
from klynge.ui.texts import figure_label, level_label, t

flt, options = start("page.goals")
year = require_year(flt, options)
summary = require_rows(data.summary_with_derived(flt))
summary = summary.sort_values(["report_year", "level"], key=lambda c: c.map(metrics.level_order) if c.name == "level" else c)
st.caption(t("goals.caption"))
drill.hint("points")
indicators = [key for goal in GOALS for key in goal.indicators]
note = charts.few_clusters_note(summary[summary[indicators].notna().any(axis=1)])
if note:
    st.caption(note)

# The targets: how many stand where, as of the selection's last year.
held = data.programme_targets()
attainment = goal_targets.attainment(summary, data.rules(), held, flt, year)
with st.container(border=True):
    # (The glossary's link in the heading's help: a link in a caption's grey is too faint to read.)
    st.markdown(f"**{t('goals.targets')}**", help=components.see_glossary())
    if not held:
        st.info(t("goals.no_targets"), icon=":material/flag:")
    else:
        st.markdown(goal_targets.counts(attainment))
        st.caption(t("goals.targets_caption", year=year))
        if not all(tg.covers(flt, scope) for scope in tg.shown_scopes(flt)):
            st.caption(t("goals.targets_part"))


def show_targets(goal) -> None:
    """Under a goal's chart: each of its targets with its status, and the indicators with none."""
    mine = attainment[attainment["indicator"].isin(goal.indicators)]
    for row in mine[mine["status"] != tg.NO_TARGET].to_dict("records"):
        st.markdown(f"{goal_targets.badge(row['status'])} {goal_targets.heading(row)}: {goal_targets.sentence(row)}")
    untargeted = mine.loc[mine["status"] == tg.NO_TARGET, "indicator"]
    if len(untargeted):
        st.caption(t("goals.no_target_for", indicators=", ".join(map(figure_label, untargeted))))

for kind in ("effect", "result"):
    st.header(t(f"goals.{kind}"))
    goals = [goal for goal in GOALS if goal.kind == kind]
    for first in range(0, len(goals), 2):
        row = st.columns(2, gap="large")  # two goals a row; one under the other on a phone
        picks = []
        for place, goal in zip(row, goals[first:first + 2]):
            units = {key: INDICATOR_BY_KEY[key].unit for key in goal.indicators}
            with place:
                st.subheader(t(f"goal.{goal.key}"))
                st.caption(t(f"goal.{goal.key}.how"))
                pick = drill.chart("maloppnaelse", f"mal-{goal.key}", cluster_charts.goal_panels, summary, goal.indicators, units,
                                   pick=True)
                picks.append((goal, units, pick))
                if held:
                    show_targets(goal)
                # Drawn only when opened (a rerun): seven closed tables cost as much as the charts.
                details = st.expander(t("goals.details"), key=f"details-{goal.key}", on_change="rerun")
                with details:
                    if details.open:
                        for key in goal.indicators:
                            components.indicator_heading(key, " (MNOK)" if units[key] == "mnok" else "")
                            st.caption(t(f"definition.{key}"))
                        table = summary.assign(level=summary["level"].map(level_label))[["report_year", "level", *goal.indicators]]
                        components.table(table, t("goals.file", goal=t(f"goal.{goal.key}")), units=units,
                                         labels={"report_year": t("col.year"), "level": t("col.level"),
                                                 **{key: figure_label(key) for key in goal.indicators}})
        # The reports behind a point, under the row and across the page (a half is too narrow for the table).
        for goal, units, pick in picks:
            drill.show("maloppnaelse", pick, lambda: data.reports_with_derived(flt), [(key, units[key]) for key in goal.indicators],
                       t("drill.file", topic=t(f"goal.{goal.key}")), about=t(f"goal.{goal.key}"))

if held:
    # Every target with its source, drawn when opened (as the goals' tables are).
    everything = st.expander(t("goals.all_targets"), key="all-targets", on_change="rerun", icon=":material/flag:")
    with everything:
        if everything.open:
            shown, labels = goal_targets.table(attainment)
            components.table(shown, t("goals.targets_file", year=year), labels=labels, height="content")
