"""Klyngeprofil: one cluster — its level history, every key figure over the years beside the
median of its level, its members, and its stories and descriptions."""

import pandas as pd
import streamlit as st

from klynge import metrics, peer_medians
from klynge.queries import Filter
from klynge.ui import charts, cluster_charts, components, data
from klynge.ui import format as fmt
from klynge.ui.drawing import draw
from klynge.ui.pages import start
from klynge.ui.safe import plain
from klynge.ui.texts import figure_label, level_label, member_type_label, sector_label, t

flt, options = start("page.profile")
names = dict(options.clusters)
if not names:
    components.empty_database()
    st.stop()
# The clusters chosen in the sidebar come first; the profile can show any cluster.
candidates = list(flt.clusters) + [cid for cid in names if cid not in flt.clusters]
chosen = st.selectbox(t("profile.choose"), candidates, index=None, format_func=lambda cid: names.get(cid, str(cid)),
                      key=components.PROFILE_KEY, bind="query-params", placeholder=t("profile.placeholder"))
if chosen is None:
    # Nothing chosen: the largest cluster of the filter (of the sidebar's clusters, when it names some).
    largest = cluster_charts.default_profile(data.register_counts(flt))
    if largest is None:
        st.info(t("profile.none_chosen"), icon=":material/badge:")
        st.stop()
    st.caption(t("profile.default", members=fmt.integer(largest["members_total"]), year=int(largest["year"])),
               help=t("profile.default_help"))
cluster_id = int(largest["cluster_id"]) if chosen is None else chosen

info = data.clusters(Filter(clusters=(cluster_id,)))
history = metrics.with_derived(data.cluster_history(cluster_id), data.rules())
periods = data.periods(Filter(clusters=(cluster_id,)))
cluster = info.iloc[0]


def esca_text(row) -> str | None:
    if not isinstance(row["esca_label"], str):
        return None
    label = t(f"esca.{row['esca_label']}")
    return f"{label} ({row['esca_year']:.0f})" if row["esca_year"] == row["esca_year"] else label


st.header(plain(cluster["cluster"]))
facts = [
    (t("col.level"), level_label(cluster["level"]) + (f" · {cluster['brand']}" if isinstance(cluster["brand"], str) else "")),
    (t("col.region"), cluster["region"]), (t("col.sector"), sector_label(cluster["sector"])), (t("col.orgnr"), cluster["orgnr"]),
    (t("col.esca"), esca_text(cluster)),
]
for column, (label, value) in zip(st.columns(len(facts)), facts):
    column.markdown(f"**{label}**")
    column.text(value if isinstance(value, str) and value else "–")
if isinstance(cluster["website"], str) and cluster["website"]:
    st.markdown(plain(cluster["website"]))  # not a caption: a link in a caption's grey is below 4.5:1

st.subheader(t("profile.levels"))
if periods.empty:
    st.info(t("profile.no_periods"))
else:
    shown = periods.assign(level=periods["level"].map(level_label), brand=periods["brand"].fillna("–"))[
        ["level", "first_year", "last_year", "brand"]]
    components.table(shown, t("profile.levels_file", name=cluster["cluster"]),
                     labels={"level": t("col.level"), "first_year": t("col.first_year"), "last_year": t("col.last_year"),
                             "brand": t("col.brand")})

st.subheader(t("profile.figures"))
if history.empty:
    st.info(t("profile.no_reports"))
else:
    st.caption(t("profile.figures_caption"))
    figures = list(peer_medians.PROFILE_FIGURES)
    # The median of the other clusters at the level the cluster had in each year.
    medians = data.level_medians((int(history["report_year"].min()), int(history["report_year"].max())), tuple(figures),
                                 exclude=(cluster_id,))
    own_level = history[["report_year", "level"]].merge(medians, on=["report_year", "level"], how="left")
    too_few = sorted(int(y) for y, n in zip(own_level["report_year"], own_level[f"n_{figures[0]}"].fillna(0))
                     if n < metrics.MIN_PEERS)
    if too_few:
        st.caption(t("profile.too_few", years=", ".join(map(str, too_few)), minimum=metrics.MIN_PEERS))
    # Each chart's rows: the cluster's reports, then its level's medians (built from lists,
    # as on Sammenlign).
    years = history["report_year"].tolist() + own_level["report_year"].tolist()
    series = ["cluster"] * len(history) + ["median"] * len(own_level)
    for index, figure in enumerate(figures):
        if index % 2 == 0:
            row = st.columns(2)  # a row at a time: on a phone the charts stay in order
        unit = "mnok" if figure.endswith("_mnok") else "count"
        frame = pd.DataFrame({"report_year": years, "value": history[figure].tolist() + own_level[figure].tolist(),
                              "series": series, "n": [1] * len(history) + own_level[f"n_{figure}"].tolist()})
        with row[index % 2]:
            components.indicator_heading(figure, " (MNOK)" if unit == "mnok" else "")
            draw(cluster_charts.cluster_vs_median, frame, figure_label(figure), unit)
    table = history[["report_year", "level", *figures]].assign(level=history["level"].map(level_label))
    components.table(table, t("profile.figures_file", name=cluster["cluster"]),
                     units={f: ("mnok" if f.endswith("_mnok") else "count") for f in figures},
                     labels={"report_year": t("col.year"), "level": t("col.level"), **{f: figure_label(f) for f in figures}})

st.subheader(t("profile.members"))
last_year = int(history["report_year"].max()) if not history.empty else (options.years[-1] if options.years else None)
register = data.member_register(Filter(clusters=(cluster_id,), years=(last_year, last_year))) if last_year else pd.DataFrame()
if register.empty:
    st.info(t("profile.no_register"))
else:
    counts = data.register_counts(Filter(clusters=(cluster_id,), years=(last_year, last_year)))
    composition = metrics.member_composition(counts, ["cluster"])
    st.caption(t("profile.members_caption", year=last_year, count=len(register)),
               help=t("definition.member_types") + "\n\n" + components.see_glossary())
    draw(charts.composition, composition, "cluster", t("chart.cluster"), horizontal=True)
    shown = register.assign(member_type=register["member_type"].map(member_type_label),
                            core_member=register["core_member"].map(lambda core: t("common.yes") if core else t("common.no")))[
        ["name", "orgnr", "member_type", "core_member", "joined", "left"]]
    components.table(shown, t("profile.register_file", name=cluster["cluster"], year=last_year), height=360,
                     units={"joined": "date", "left": "date"},
                     labels={"name": t("col.member"), "orgnr": t("col.orgnr"), "member_type": t("col.member_type"),
                             "core_member": t("col.core_member"), "joined": t("col.joined"), "left": t("col.left")})

st.subheader(t("profile.texts"))
if not history.empty:
    years = sorted(history["report_year"], reverse=True)
    chosen = st.selectbox(t("profile.text_year"), years, key="tekstaar")
    report = history[history["report_year"] == chosen].iloc[0]
    for field in ("international_activities_description", "story_societal", "story_effect"):
        st.markdown(f"**{figure_label(field)}**")
        st.text(report[field], width="stretch")  # the report's text as written, no Markdown
    goals = report["story_societal_goals"]
    st.markdown(f"**{figure_label('story_societal_goals')}**")
    st.text("\n".join(f"• {goal}" for goal in goals), width="stretch")
