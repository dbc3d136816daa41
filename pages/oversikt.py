"""Oversikt: the programme report of the filter to download, the key figures of the whole
selection and per level for the chosen year, the clusters that moved up a level, the trend,
the clusters, and the counties."""

import functools

import streamlit as st

from klynge import metrics
from klynge.domain import LEVEL_CODES, OUTSIDE_LEVEL
from klynge.programme_report import FORMATS
from klynge.ui import charts, components, county_map, data, drill, filters
from klynge.ui import format as fmt
from klynge.ui.pages import require_rows, require_year, start
from klynge.ui.texts import figure_label, language, level_label, sector_label, t

flt, options = start("page.overview")
year = require_year(flt, options)

trend = data.summary_with_derived(flt)
# The key figures need this year and the one before: in the trend, unless the filter starts this year.
if flt.years is None or flt.years[0] < year:
    summary = trend[trend["report_year"] >= year - 1]
else:
    summary = data.summary_with_derived(flt.with_(years=(year - 1, year)))
figures = metrics.key_figures(summary, year)
require_rows(figures[figures["value"].notna()])
st.caption(t("overview.caption", year=year, previous=year - 1))

# The programme report of this filter and year, made when a button is clicked (a few seconds),
# outside the run: in the language of the page, from the engine of the page.
engine, lang = data.engine(), language()


def report_file(kind: str) -> bytes:
    from klynge.programme_report import render

    return render.report(engine, year, flt, lang, kind)[1]


buttons = st.container(horizontal=True, gap="small")
for kind in FORMATS:
    buttons.download_button(
        t(f"report.download_{kind}"), data=functools.partial(report_file, kind), file_name=f"{t('report.file', year=year)}.{kind}",
        mime=FORMATS[kind], key=f"rapport-{kind}", on_click="ignore", icon=":material/description:",
        help=t("report.download_help", year=year))


def tile_value(figure: str, value: float) -> str:
    if figure == "funding_triggered_mnok":
        return fmt.mnok(value, 0 if value >= 100 else 1)
    return fmt.integer(value)


# The whole selection: five tiles, not five per level (25 tiles stack to a long page on a phone).
# Only the key figures are added up over the levels (each is a sum), not every column.
whole = metrics.key_figures(metrics.totals(summary[["report_year", "level", *metrics.KEY_FIGURES]]), year).set_index("figure")
# A level's figures fall when its clusters move up: with only some levels chosen, a change is
# not good or bad in itself, so it is shown without colour.
every_level = not flt.levels or set(flt.levels) >= {*LEVEL_CODES, OUTSIDE_LEVEL}
with st.container(border=True):
    st.markdown(f"**{t('overview.whole')}**")
    for column, figure in zip(st.columns(len(metrics.KEY_FIGURES)), metrics.KEY_FIGURES):
        row = whole.loc[figure]
        unit = "MNOK" if figure == "funding_triggered_mnok" else ""
        column.metric(t(f"metric.{figure}"), tile_value(figure, row["value"]),
                      delta=fmt.metric_delta(row["change"], 1 if unit else 0, unit), help=t(f"help.{figure}"),
                      delta_color="normal" if every_level else "off")
    if not every_level:
        st.caption(t("overview.grey_deltas"))

# Per level: one row each, with the clusters that moved up between the two years.
moves = metrics.level_moves(data.level_change_reports(flt, year), year)
st.markdown(f"**{t('overview.per_level')}**")
wide = figures.pivot(index="level", columns="figure", values="value").reset_index()
wide = wide.sort_values("level", key=lambda codes: codes.map(metrics.level_order))
change = figures[figures["figure"] == "clusters"].set_index("level")["change"]
per_level = wide.assign(
    change=wide["level"].map(change),
    moved_up=wide["level"].map(moves["moved_up"]),
    moved_in=wide["level"].map(moves["moved_in"]),
    level=wide["level"].map(level_label),
)[["level", "clusters", "change", "moved_up", "moved_in", *metrics.KEY_FIGURES[1:]]]
components.table(
    per_level, t("overview.levels_file", year=year),
    units={"clusters": "count", "change": "count", "moved_up": "count", "moved_in": "count", "members_total": "count",
           "activities_unique_participants": "count", "funding_triggered_mnok": "mnok", "international_activities_new": "count"},
    labels={"level": t("col.level"), "change": t("overview.col.change", previous=year - 1),
            "moved_up": t("overview.col.moved_up"), "moved_in": t("overview.col.moved_in"),
            **{figure: t(f"metric.{figure}") for figure in metrics.KEY_FIGURES}},
)
moved = int(moves["moved_up"].sum())
if moved:
    st.caption(t("overview.moves", count=moved, previous=year - 1, year=year))

# Then, in tabs drawn only when open: the trend, the clusters, the counties.
# A link that names the map's figure opens on the map.
sections = components.sections("oversikt", ["trend", "clusters", "map"], opens_on="map" if "kart" in st.query_params else None)
if sections["trend"].open:
    with sections["trend"]:
        st.subheader(t("overview.trend"), help=t("overview.trend_help") + "\n\n" + components.see_glossary())
        choice = st.segmented_control(t("overview.trend_figure"), metrics.KEY_FIGURES, default=metrics.KEY_FIGURES[0],
                                      format_func=figure_label, key="trend", bind="query-params")
        choice = choice or metrics.KEY_FIGURES[0]
        unit = "mnok" if choice == "funding_triggered_mnok" else "count"
        pick = drill.chart("oversikt", f"trend-{choice}", charts.level_trend, trend, choice,
                           figure_label(choice) + (" (MNOK)" if unit == "mnok" else ""), unit, pick=True)
        charts.note_few_clusters(trend, choice)
        drill.hint("points")
        # Behind a level's point: its reports that year (the count of clusters is the count of rows).
        drill.show("oversikt", pick, lambda: data.reports_with_derived(flt), [(choice, unit)] if choice != "clusters" else [],
                   t("drill.file", topic=t("page.overview")))

if sections["clusters"].open:
    with sections["clusters"]:
        st.subheader(t("overview.clusters", year=year))
        clusters = data.register_counts(flt.with_(years=(year, year)) if flt.years is None else flt)
        if clusters.empty:
            components.empty_selection()
        else:
            listing = clusters.assign(
                level=clusters["level"].map(level_label),
                sector=clusters["sector"].map(sector_label),
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

if sections["map"].open:
    with sections["map"]:
        st.subheader(t("map.heading", year=year), help=t("map.help") + "\n\n" + components.see_glossary())
        shown = st.segmented_control(t("map.figure"), list(county_map.FIGURES), default="clusters", format_func=figure_label,
                                     key="kart", bind="query-params") or "clusters"
        unit = county_map.FIGURES[shown]
        # Only the figure shown (each cluster's count and county come with every report).
        this_year = data.reports_with_derived(flt.with_(years=(year, year)), () if shown == "clusters" else (shown,))
        if this_year.empty:
            components.empty_selection()
        else:
            counties = county_map.per_county(this_year, shown)
            title = figure_label(shown) + (" (MNOK)" if unit == "mnok" else "")
            drill.chart("oversikt", f"kart-{shown}", county_map.county_map, counties, title, unit,
                        on_pick=lambda pick: filters.choose_regions(pick.values("region"), options))
            st.caption(t("map.caption"))
            outside = this_year.loc[~this_year["region"].isin(county_map.REGIONS), "cluster_id"].nunique()
            if outside:
                st.caption(t("map.outside", n=fmt.integer(outside)))
            components.table(
                counties[["region", "clusters", *(["value"] if shown != "clusters" else [])]],
                t("map.file", figure=figure_label(shown), year=year),
                units={"clusters": "count", "value": unit},
                labels={"region": t("col.region"), "clusters": t("levels.col.clusters"), "value": title},
            )
