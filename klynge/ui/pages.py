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
    section_key: str
    default: bool = False


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/oversikt.py", "page.overview", ":material/dashboard:", "oversikt", "section.programme", default=True),
    PageSpec("pages/medlemmer.py", "page.members", ":material/groups:", "medlemmer", "section.programme"),
    PageSpec("pages/aktiviteter.py", "page.activities", ":material/event:", "aktiviteter", "section.programme"),
    PageSpec("pages/finansiering.py", "page.funding", ":material/payments:", "finansiering", "section.programme"),
    PageSpec("pages/internasjonalt.py", "page.international", ":material/public:", "internasjonalt", "section.programme"),
    PageSpec("pages/maloppnaelse.py", "page.goals", ":material/flag:", "maloppnaelse", "section.programme"),
    PageSpec("pages/utforsk.py", "page.explore", ":material/explore:", "utforsk", "section.programme"),
    PageSpec("pages/klyngeprofil.py", "page.profile", ":material/badge:", "klyngeprofil", "section.clusters"),
    PageSpec("pages/sammenlign.py", "page.compare", ":material/compare_arrows:", "sammenlign", "section.clusters"),
    PageSpec("pages/kvalifisering.py", "page.qualification", ":material/verified:", "kvalifisering", "section.clusters"),
    PageSpec("pages/datakvalitet.py", "page.quality", ":material/rule:", "datakvalitet", "section.clusters"),
    PageSpec("pages/ordliste.py", "page.glossary", ":material/menu_book:", "ordliste", "section.help"),
)


_DEMO = "_klynge_demo"


def _run_through_entry_point() -> None:
    """Rerun via dashboard.py when a page was started on its own.

    Until some session has run `st.navigation`, Streamlit treats a folder named `pages/`
    beside the entry point as an old-style multipage folder, and a shared link straight to
    a page (`/medlemmer?...`) runs that file alone, without the sidebar and its filters.
    Switching that mode off and rerunning makes Streamlit start from the entry point, which
    then opens the page the link names.
    """
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False
    st.rerun()


def store_filter(flt: Filter, options: FilterOptions, demo: bool) -> None:
    """Called by the entry point after drawing the sidebar, before the page runs."""
    st.session_state[_FILTER] = flt
    st.session_state[_OPTIONS] = options
    st.session_state[_DEMO] = demo


def start(title_key: str) -> tuple[Filter, FilterOptions]:
    """Begin a page: its title, the demo-data banner when the data are synthetic; returns the
    filter the user chose in the sidebar and the values the filters could take."""
    from klynge.ui import components
    from klynge.ui.texts import t

    if _FILTER not in st.session_state:
        _run_through_entry_point()
    st.title(t(title_key))
    if st.session_state.get(_DEMO):
        components.demo_banner()
    return st.session_state[_FILTER], st.session_state[_OPTIONS]


def require_year(flt: Filter, options: FilterOptions) -> int:
    """The year the page shows (the last of the range); stops the page with a short
    explanation when the database holds no reports."""
    from klynge.ui import components, filters

    year = filters.selected_year(flt, options)
    if year is None:
        components.empty_database()
        st.stop()
    return year


def require_rows(frame):
    """`frame` itself; stops the page with a short explanation when the filters left it empty."""
    from klynge.ui import components

    if frame.empty:
        components.empty_selection()
        st.stop()
    return frame
