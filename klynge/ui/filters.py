"""The shared filters, drawn once in the sidebar and bound to the URL.

Every widget has a short key that is also its query parameter, so a view can be shared as
a link and survives a reload: `?niva=arena_pro&fra=2021&til=2024&fylke=Vestland`.

The sectors are shown in the reader's language but kept in the URL by their stored names
(`?sektor=Havbruk`), so a link means the same in both languages: Streamlit's
`bind="query-params"` would put the shown name in the URL, so that filter is kept by hand.
"""

from __future__ import annotations

import streamlit as st

from klynge.domain import LEVEL_CODES, OUTSIDE_LEVEL
from klynge.queries import Filter, FilterOptions
from klynge.ui.texts import level_label, sector_label, t

LEVEL_OPTIONS: tuple[str, ...] = (*LEVEL_CODES, OUTSIDE_LEVEL)

# Query-parameter names (and session-state keys) of the shared filters.
KEY_LEVELS = "niva"
KEY_FROM = "fra"
KEY_TO = "til"
KEY_REGIONS = "fylke"
KEY_SECTORS = "sektor"
KEY_CLUSTERS = "klynge"
FILTER_KEYS = (KEY_LEVELS, KEY_FROM, KEY_TO, KEY_REGIONS, KEY_SECTORS, KEY_CLUSTERS)
# The filters of this run as the URL writes them, for links that keep the view (see link_parameters).
_LINK_PARAMETERS = "_klynge_link_parameters"


def _reset() -> None:
    for key in FILTER_KEYS:
        st.session_state.pop(key, None)
    st.session_state[KEY_SECTORS] = []  # else the next run would take them from the URL again


def choose_regions(regions: list[str], options: FilterOptions) -> None:
    """Set the county filter to `regions` (those the data have: the widget refuses others),
    from a callback, before the sidebar is drawn again (a click on the county map)."""
    offered = [region for region in regions if region in options.regions]
    if offered:
        st.session_state[KEY_REGIONS] = offered


def _sectors_from_url(options: FilterOptions) -> None:
    """Seed the sector filter from the URL on a session's first run; drop any sector the
    database no longer has (the widget refuses a value it does not offer)."""
    if KEY_SECTORS not in st.session_state:
        st.session_state[KEY_SECTORS] = list(dict.fromkeys(st.query_params.get_all(KEY_SECTORS)))
    st.session_state[KEY_SECTORS] = [name for name in st.session_state[KEY_SECTORS] if name in options.sectors]


def _sectors_to_url(sectors: list[str]) -> None:
    if sectors:
        st.query_params[KEY_SECTORS] = sectors
    else:
        st.query_params.pop(KEY_SECTORS, None)


def sidebar(options: FilterOptions) -> Filter:
    """Draw the filters in the sidebar and return the user's selection."""
    with st.sidebar:
        st.header(t("filters.title"))
        levels = st.multiselect(
            t("filters.levels"), LEVEL_OPTIONS, key=KEY_LEVELS, bind="query-params",
            format_func=level_label, placeholder=t("filters.all_levels"),
        )
        years = start_chosen = end_chosen = None
        if options.years:
            first, last = options.years[0], options.years[-1]
            year_choices = list(range(first, last + 1))
            left, right = st.columns(2)
            start = left.selectbox(t("filters.from"), year_choices, index=0, key=KEY_FROM, bind="query-params")
            end = right.selectbox(t("filters.to"), year_choices, index=len(year_choices) - 1, key=KEY_TO, bind="query-params")
            start_chosen, end_chosen = start, end
            if start > end:
                st.caption(t("filters.years_swapped"))
                start, end = end, start
            years = (start, end)
        regions = st.multiselect(t("filters.regions"), options.regions, key=KEY_REGIONS, bind="query-params",
                                 placeholder=t("filters.all_regions"))
        _sectors_from_url(options)
        sectors = st.multiselect(t("filters.sectors"), options.sectors, key=KEY_SECTORS, format_func=sector_label,
                                 placeholder=t("filters.all_sectors"))
        _sectors_to_url(sectors)
        names = {cluster_id: name for cluster_id, name in options.clusters}
        # Streamlit names each option on every rerun (5,000 at europe scale): the dict's own
        # lookup, not a Python function around it.
        chosen = st.multiselect(t("filters.clusters"), list(names), key=KEY_CLUSTERS, bind="query-params",
                                format_func=names.__getitem__, placeholder=t("filters.search_clusters"))
        st.button(t("filters.reset"), on_click=_reset, width="stretch")
    # As Streamlit writes them in the URL: the shown names, and no year left at its default.
    years_changed = []
    if years is not None:
        if start_chosen != options.years[0]:
            years_changed.append((KEY_FROM, str(start_chosen)))
        if end_chosen != options.years[-1]:
            years_changed.append((KEY_TO, str(end_chosen)))
    st.session_state[_LINK_PARAMETERS] = (
        *((KEY_LEVELS, level_label(code)) for code in levels), *years_changed, *((KEY_REGIONS, region) for region in regions),
        *((KEY_SECTORS, sector) for sector in sectors),
        *((KEY_CLUSTERS, names.get(cluster_id, str(cluster_id))) for cluster_id in chosen),
    )
    return Filter(
        levels=tuple(levels), years=years, regions=tuple(regions), sectors=tuple(sectors), clusters=tuple(sorted(chosen)),
    )


def selected_year(flt: Filter, options: FilterOptions) -> int | None:
    """The year the key figures are shown for: the last of the range."""
    if flt.years is not None:
        return flt.years[1]
    return options.years[-1] if options.years else None


def link_parameters() -> tuple[tuple[str, str], ...]:
    """The shared filters of this view as (query parameter, value) pairs, written as its URL
    writes them: the chosen values, none for a filter left at its default.

    Made from the widgets' values when the sidebar is drawn, not read back from
    `st.query_params`: Streamlit refreshes the backend's copy of the URL only when a page is
    opened, so after a filter changes on the same page it still holds the old values
    (`streamlit/runtime/state/session_state.py`, "not refreshed on same-page reruns"). Before
    the sidebar has been drawn in this session, the URL's own filter parameters."""
    kept = st.session_state.get(_LINK_PARAMETERS)
    if kept is not None:
        return kept
    return tuple((key, value) for key in FILTER_KEYS for value in st.query_params.get_all(key))
