"""The shared filters, drawn once in the sidebar and bound to the URL.

Every widget has a short key that is also its query parameter, so a view can be shared as
a link and survives a reload: `?niva=arena_pro&fra=2021&til=2024&fylke=Vestland`.
"""

from __future__ import annotations

import streamlit as st

from klynge.domain import LEVEL_CODES, OUTSIDE_LEVEL
from klynge.queries import Filter, FilterOptions
from klynge.ui.texts import level_label, t

LEVEL_OPTIONS: tuple[str, ...] = (*LEVEL_CODES, OUTSIDE_LEVEL)

# Query-parameter names (and session-state keys) of the shared filters.
KEY_LEVELS = "niva"
KEY_FROM = "fra"
KEY_TO = "til"
KEY_REGIONS = "fylke"
KEY_SECTORS = "sektor"
KEY_CLUSTERS = "klynge"
FILTER_KEYS = (KEY_LEVELS, KEY_FROM, KEY_TO, KEY_REGIONS, KEY_SECTORS, KEY_CLUSTERS)


def _reset() -> None:
    for key in FILTER_KEYS:
        st.session_state.pop(key, None)


def sidebar(options: FilterOptions) -> Filter:
    """Draw the filters in the sidebar and return the user's selection."""
    with st.sidebar:
        st.header(t("filters.title"))
        levels = st.multiselect(
            t("filters.levels"), LEVEL_OPTIONS, key=KEY_LEVELS, bind="query-params",
            format_func=level_label, placeholder=t("filters.all_levels"),
        )
        years = None
        if options.years:
            first, last = options.years[0], options.years[-1]
            year_choices = list(range(first, last + 1))
            left, right = st.columns(2)
            start = left.selectbox(t("filters.from"), year_choices, index=0, key=KEY_FROM, bind="query-params")
            end = right.selectbox(t("filters.to"), year_choices, index=len(year_choices) - 1, key=KEY_TO, bind="query-params")
            if start > end:
                st.caption(t("filters.years_swapped"))
                start, end = end, start
            years = (start, end)
        regions = st.multiselect(t("filters.regions"), options.regions, key=KEY_REGIONS, bind="query-params",
                                 placeholder=t("filters.all_regions"))
        sectors = st.multiselect(t("filters.sectors"), options.sectors, key=KEY_SECTORS, bind="query-params",
                                 placeholder=t("filters.all_sectors"))
        names = {cluster_id: name for cluster_id, name in options.clusters}
        chosen = st.multiselect(t("filters.clusters"), list(names), key=KEY_CLUSTERS, bind="query-params",
                                format_func=lambda cluster_id: names.get(cluster_id, str(cluster_id)),
                                placeholder=t("filters.search_clusters"))
        st.button(t("filters.reset"), on_click=_reset, width="stretch")
    return Filter(
        levels=tuple(levels), years=years, regions=tuple(regions), sectors=tuple(sectors), clusters=tuple(sorted(chosen)),
    )


def selected_year(flt: Filter, options: FilterOptions) -> int | None:
    """The year the key figures are shown for: the last of the range."""
    if flt.years is not None:
        return flt.years[1]
    return options.years[-1] if options.years else None
