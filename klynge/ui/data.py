"""Cached access to the data layer for the pages.

The engine is one per process (`st.cache_resource`); query results are cached per filter
(`st.cache_data`, keyed on the small, hashable `Filter`) for a few minutes, so a rerun with
a filter already seen costs a dictionary lookup.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from klynge import metrics, quality, queries
from klynge.queries import Filter
from klynge.store.engine import database_url, has_schema, is_demo, open_database

TTL_SECONDS = 300
MAX_ENTRIES = 256


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    return open_database(url)


def engine() -> Engine:
    return _engine(database_url())


def _level_medians(engine: Engine, years: tuple[int, int], figures: tuple[str, ...]) -> pd.DataFrame:
    # Only the figures are read (not the texts), and only the small answer is cached.
    peers = queries.reports(engine, Filter(years=years), columns=queries.SUMMED_FIELDS)
    return metrics.level_medians(metrics.with_derived(peers), list(figures))


def _summary_with_derived(engine: Engine, flt: Filter) -> pd.DataFrame:
    summary = queries.level_summary(engine, flt)
    return metrics.with_derived(summary) if not summary.empty else summary


# The read functions the pages may call, by name. One cached runner serves them all, with
# the name in its cache key.
QUERIES = {
    "reports": queries.reports,
    "level_summary": queries.level_summary,
    "summary_with_derived": _summary_with_derived,
    "cluster_history": queries.cluster_history,
    "periods": queries.periods,
    "member_register": queries.member_register,
    "register_counts": queries.register_counts,
    "clusters": queries.clusters,
    "warnings": queries.warnings,
    "findings": quality.findings,
    "level_medians": _level_medians,
    "report_texts": queries.report_texts,
}


@st.cache_data(ttl=TTL_SECONDS, max_entries=MAX_ENTRIES, show_spinner=False)
def _run(url: str, name: str, *args) -> pd.DataFrame:
    return QUERIES[name](_engine(url), *args)


def reports(flt: Filter, columns: tuple[str, ...] | None = None) -> pd.DataFrame:
    """The reports the filter selects; with `columns`, only those canonical fields (and the
    cluster, its level and the year): far cheaper for many years of reports."""
    return _run(database_url(), "reports", flt, None if columns is None else tuple(columns))


def level_medians(years: tuple[int, int], figures: tuple[str, ...]) -> pd.DataFrame:
    """Per year and level: the median of each figure (derived figures too) over every
    report in `years`, to set a cluster beside its peers."""
    return _run(database_url(), "level_medians", years, tuple(figures))


def report_texts(flt: Filter, number_field: str, text_field: str, search: str = "", limit: int | None = None) -> pd.DataFrame:
    """The reports' `text_field` beside `number_field`, newest first, searched in the
    database; at most `limit`, with the number of matches in `matches`."""
    return _run(database_url(), "report_texts", flt, number_field, text_field, search, limit)


def level_summary(flt: Filter) -> pd.DataFrame:
    return _run(database_url(), "level_summary", flt)


def cluster_history(cluster_id: int) -> pd.DataFrame:
    return _run(database_url(), "cluster_history", cluster_id)


def periods(flt: Filter) -> pd.DataFrame:
    return _run(database_url(), "periods", flt)


def member_register(flt: Filter) -> pd.DataFrame:
    return _run(database_url(), "member_register", flt)


def register_counts(flt: Filter) -> pd.DataFrame:
    return _run(database_url(), "register_counts", flt)


def clusters(flt: Filter) -> pd.DataFrame:
    return _run(database_url(), "clusters", flt)


def warnings(flt: Filter) -> pd.DataFrame:
    return _run(database_url(), "warnings", flt)


def findings(flt: Filter, jump_factor: float = 3.0) -> pd.DataFrame:
    return _run(database_url(), "findings", flt, jump_factor)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _options(url: str) -> queries.FilterOptions:
    return queries.filter_options(_engine(url))


def filter_options() -> queries.FilterOptions:
    return _options(database_url())


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _demo(url: str) -> bool:
    engine = _engine(url)
    return has_schema(engine) and is_demo(engine)


def holds_demo_data() -> bool:
    return _demo(database_url())


def summary_with_derived(flt: Filter) -> pd.DataFrame:
    """Per level and year: the sums and the derived figures (leverage, shares ...), cached
    with them (not derived again on every rerun)."""
    return _run(database_url(), "summary_with_derived", flt)
