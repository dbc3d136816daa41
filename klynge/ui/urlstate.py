"""The query parameters a link may carry, and a short notice for those the app ignores.

Streamlit's `bind="query-params"` already drops a value its widget cannot take, but says
nothing; whoever opens a mistyped, outdated or tampered link should see that part of it was
ignored. `notice_ignored_parameters` runs in the entry point before any widget reads the URL.
A value from the URL is never shown in full: it is cut short and escaped, since anyone can
write a link.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import streamlit as st
from streamlit.errors import StreamlitAPIException

from klynge.queries import FilterOptions
from klynge.ui import filters
from klynge.ui.components import PROFILE_KEY
from klynge.ui.safe import plain
from klynge.ui.texts import LANGUAGE_KEY, level_label, t

# Bound widgets of single pages (and the language switch). A page that binds a new widget to
# the URL adds its key here (tests/test_hostile_input.py finds every bound widget and fails
# when one is missing). Those that take cluster names are checked here; for the others the
# page's own widget checks the value.
CLUSTER_PAGE_PARAMETERS: tuple[str, ...] = (PROFILE_KEY, "sammenlign")
PAGE_PARAMETERS: tuple[str, ...] = ("trend", "kart", "indikator", "etter", "beregning", "mal", "rangering", "sok", "faktor", "mot", "ord", LANGUAGE_KEY)

SHOWN_CHARACTERS = 40  # of a name or value in a notice
MAX_NOTICES = 3  # per script run; the rest are counted in one more notice
_NOTICED = "_klynge_url_noticed"
_INVISIBLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]+")


@dataclass(frozen=True)
class Ignored:
    """A query parameter the app does not use: an unknown name (value None), or a known name
    with a value it cannot take."""

    name: str
    value: str | None = None


def allowed_values(options: FilterOptions) -> dict[str, frozenset[str] | None]:
    """Every parameter a link may carry, with the values it can take as written in the URL
    (the labels the widgets show), or None when the page's own widget decides."""
    years = range(options.years[0], options.years[-1] + 1) if options.years else ()  # as filters.sidebar offers them
    year_values = frozenset(str(year) for year in years)
    names = frozenset(name for _, name in options.clusters)
    return {
        filters.KEY_LEVELS: frozenset(level_label(code) for code in filters.LEVEL_OPTIONS),
        filters.KEY_FROM: year_values,
        filters.KEY_TO: year_values,
        filters.KEY_REGIONS: frozenset(options.regions),
        filters.KEY_SECTORS: frozenset(options.sectors),
        filters.KEY_CLUSTERS: names,
        **{name: names for name in CLUSTER_PAGE_PARAMETERS},
        **{name: None for name in PAGE_PARAMETERS},
    }


def ignored_parameters(params: Mapping[str, Sequence[str]], allowed: Mapping[str, frozenset[str] | None]) -> list[Ignored]:
    """The parameters of `params` (name -> every value given) the app ignores: unknown names,
    and the first value of a known name that it cannot take. An empty value is no value."""
    ignored = []
    for name, values in params.items():
        if name not in allowed:
            ignored.append(Ignored(name))
            continue
        choices = allowed[name]
        unknown = [value for value in values if value and choices is not None and value not in choices]
        if unknown:
            ignored.append(Ignored(name, unknown[0]))
    return ignored


def shown(text: str) -> str:
    """`text` as a notice may show it: invisible characters dropped, cut to
    SHOWN_CHARACTERS, escaped for Markdown."""
    visible = " ".join(_INVISIBLE.sub(" ", text).split())
    if len(visible) > SHOWN_CHARACTERS:
        visible = visible[:SHOWN_CHARACTERS - 1] + "…"
    return plain(visible)


def notice_text(item: Ignored) -> str:
    if item.value is None:
        return t("url.unknown_parameter", name=shown(item.name))
    return t("url.unknown_value", name=shown(item.name), value=shown(item.value))


def notice_ignored_parameters(options: FilterOptions) -> list[Ignored]:
    """Show a notice for each parameter of this page's URL that the app ignores, once per
    session; remove unknown names from the URL. Call before the widgets are drawn. Returns
    what was ignored."""
    params = {name: st.query_params.get_all(name) for name in st.query_params}
    ignored = ignored_parameters(params, allowed_values(options))
    for item in ignored:
        if item.value is None:
            try:
                del st.query_params[item.name]
            except (KeyError, StreamlitAPIException):  # bound to a widget this module does not know
                pass
    noticed: set[Ignored] = st.session_state.setdefault(_NOTICED, set())
    fresh = [item for item in ignored if item not in noticed]
    for item in fresh[:MAX_NOTICES]:
        st.toast(notice_text(item), icon=":material/link_off:", duration="long")
    if len(fresh) > MAX_NOTICES:
        st.toast(t("url.more_ignored", count=len(fresh) - MAX_NOTICES), icon=":material/link_off:", duration="long")
    noticed.update(fresh)
    return ignored
