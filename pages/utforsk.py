"""Utforsk: a chart of any indicator in the glossary by any breakdown, as a sum, a median per
cluster or a share, over the sidebar's filter; every choice in the URL; the table and its
downloads under the chart."""

import streamlit as st

from klynge import metrics
from klynge.indicators import INDICATORS
from klynge.ui import charts, components, county_map, data, drill, explore, filters
from klynge.ui import format as fmt
from klynge.ui.drawing import draw
from klynge.ui.pages import require_rows, require_year, start
from klynge.ui.texts import figure_label, t

flt, options = start("page.explore")
year = require_year(flt, options)
st.caption(t("explore.caption"))

left, right = st.columns([2, 3])
keys = [indicator.key for indicator in INDICATORS]
indicator = left.selectbox(t("explore.indicator"), keys, index=keys.index("members_total"), format_func=figure_label,
                           key="indikator", bind="query-params", help=components.see_glossary())
by = right.segmented_control(t("explore.by"), explore.BREAKDOWNS, default="level", format_func=lambda b: t(f"explore.by.{b}"),
                             key="etter", bind="query-params") or "level"
allowed = explore.measures(indicator, by)
# A measure that does not suit this indicator or breakdown (left from another choice, or in a
# link) gives way to the first that does.
if st.session_state.get("beregning") not in (None, *allowed):
    del st.session_state["beregning"]
measure = st.segmented_control(t("explore.measure"), allowed, default=allowed[0], format_func=lambda m: t(f"explore.measure.{m}"),
                               key="beregning", bind="query-params") or allowed[0]
why = explore.restriction(indicator, by)
if why:
    st.caption(t(f"explore.only.{why}"))

unit = explore.unit_of(indicator, measure)
title = t(f"explore.title.{measure}", figure=figure_label(indicator)) + (" (MNOK)" if unit == "mnok" else "")
span = flt.years or (options.years[0], options.years[-1])
years = flt.with_(years=span) if by == "report_year" else flt.with_(years=(year, year))
# Only the figure explored (each report's cluster, county, sector, level and year come with it).
reports = require_rows(data.reports_with_derived(years, () if indicator == "clusters" else (indicator,)))
frame = explore.breakdown(reports, indicator, by, measure)
st.subheader(t("explore.heading", title=title, by=t(f"explore.by.{by}").lower(),
               years=f"{span[0]}–{span[1]}" if by == "report_year" else str(year)))

if by == "report_year":
    draw(explore.year_line, frame, title, unit)
elif by == "region":
    drill.chart("utforsk", f"kart-{indicator}-{measure}", county_map.county_map, explore.as_counties(frame), title, unit,
                on_pick=lambda pick: filters.choose_regions(pick.values("region"), options))
    st.caption(t("explore.map_caption_median" if measure == "median" else "map.caption"))
else:
    shown = frame.head(charts.MAX_CLUSTER_BARS) if by == "cluster" else frame
    if len(shown) < len(frame):
        st.caption(t("chart.largest", shown=fmt.integer(len(shown)), total=fmt.integer(len(frame))))
    draw(explore.bars, shown, title, unit, measure == "median")
if measure == "median":
    st.caption(t("explore.median_note", minimum=metrics.MIN_PEERS))

listing = frame[["label", "clusters", *(["n"] if indicator != "clusters" else []), "value"]]
components.table(
    components.with_profile_links(listing, "label") if by == "cluster" else listing,
    t("explore.file", figure=figure_label(indicator), by=t(f"explore.by.{by}").lower()),
    units={"clusters": "count", "n": "count", "value": unit},
    labels={"label": t(f"explore.by.{by}"), "clusters": t("levels.col.clusters"), "n": t("explore.col.n"), "value": title},
)
