"""The pages of the app, and the filter state they share with the entry point."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from klynge.queries import Filter, FilterOptions

_FILTER = "_klynge_filter"
_OPTIONS = "_klynge_options"


@dataclass(frozen=True)
class PageSpec:
    path: str
    title_key: str
    icon: str
    url_path: str
    default: bool = False


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/oversikt.py", "page.overview", ":material/dashboard:", "oversikt", default=True),
    PageSpec("pages/medlemmer.py", "page.members", ":material/groups:", "medlemmer"),
    PageSpec("pages/aktiviteter.py", "page.activities", ":material/event:", "aktiviteter"),
    PageSpec("pages/finansiering.py", "page.funding", ":material/payments:", "finansiering"),
    PageSpec("pages/internasjonalt.py", "page.international", ":material/public:", "internasjonalt"),
    PageSpec("pages/klyngeprofil.py", "page.profile", ":material/badge:", "klyngeprofil"),
)


def store_filter(flt: Filter, options: FilterOptions) -> None:
    """Called by the entry point after drawing the sidebar, before the page runs."""
    st.session_state[_FILTER] = flt
    st.session_state[_OPTIONS] = options


def current() -> tuple[Filter, FilterOptions]:
    """The filter the user chose in the sidebar, and the values the filters could take."""
    return st.session_state[_FILTER], st.session_state[_OPTIONS]
