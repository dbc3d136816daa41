"""Cached access to the data layer for the pages.

The engine is one per process (`st.cache_resource`). Query results are cached per filter
(`st.cache_data`, keyed on the small, hashable `Filter`) and per version of the data
(`klynge.store.version`), which is read from the database once per script run: a rerun with
a filter already seen costs one small query and a dictionary lookup, and the first rerun
after an import, on any replica, shows the imported data.
"""

from __future__ import annotations

import threading
import weakref

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

# Internal: Streamlit has no public way to tell one script run from the next (see `_this_run`).
from streamlit.runtime.scriptrunner import get_script_run_ctx

from klynge import peer_medians, quality, queries, summary, targets
from klynge.queries import Filter
from klynge.rules import Rules
from klynge.store.engine import database_url, has_schema, is_demo, open_database
from klynge.store.version import DataVersion, data_version

# The version in the cache key keeps the results fresh; the TTL only frees the memory of
# entries no rerun asks for any more, and bounds how long a change made outside the
# importer (SQL by hand) can go unseen.
TTL_SECONDS = 3600
MAX_ENTRIES = 256


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    return open_database(url)


def engine() -> Engine:
    return _engine(database_url())


# The version each script run has read, per database URL; an entry goes with its run.
_run_versions: weakref.WeakKeyDictionary[object, dict[str, DataVersion]] = weakref.WeakKeyDictionary()
_run_versions_lock = threading.Lock()


def _this_run() -> object | None:
    """An object that lives for the current script run (a full rerun or a fragment's) and
    is new in the next one; None outside a script run.

    Streamlit (1.67) has no public run id. `ScriptRunContext.reset()` creates a new
    `parallel_coordinator` at the start of every run, "single-use ... discarded" after it,
    and the run's parallel fragments share it. Internal API: tests/test_freshness.py
    (`test_each_script_run_has_its_own_marker`) fails when an upgrade changes this.
    """
    ctx = get_script_run_ctx(suppress_warning=True)
    return getattr(ctx, "parallel_coordinator", None)


def _version(url: str) -> DataVersion:
    """The version of the data at `url`, read at the first call of a script run and the same
    for the rest of it (every call, outside a script run)."""
    run = _this_run()
    if run is None:
        return data_version(_engine(url))
    with _run_versions_lock:
        known = _run_versions.setdefault(run, {}).get(url)
    if known is not None:
        return known
    version = data_version(_engine(url))
    # A parallel fragment may have read it meanwhile: the run keeps the first it stored.
    with _run_versions_lock:
        return _run_versions[run].setdefault(url, version)


# The read functions the pages may call, by name. One cached runner serves them all, with
# the name in its cache key.
QUERIES = {
    "reports": queries.reports,
    "reports_with_derived": summary.reports_with_derived,
    "level_summary": queries.level_summary,
    "summary_with_derived": summary.level_figures,
    "cluster_history": queries.cluster_history,
    "periods": queries.periods,
    "member_register": queries.member_register,
    "register_counts": queries.register_counts,
    "clusters": queries.clusters,
    "warnings": queries.warnings,
    "findings": quality.findings,
    "level_medians": peer_medians.level_medians,
    "report_texts": queries.report_texts,
    "level_change_reports": queries.level_change_reports,
}


@st.cache_data(ttl=TTL_SECONDS, max_entries=MAX_ENTRIES, show_spinner=False)
def _cached(url: str, version: DataVersion, name: str, *args) -> pd.DataFrame:
    return QUERIES[name](_engine(url), *args)


def _run(url: str, name: str, *args) -> pd.DataFrame:
    """The answer of `QUERIES[name]`, cached for this version of the data."""
    return _cached(url, _version(url), name, *args)


def reports(flt: Filter, columns: tuple[str, ...] | None = None) -> pd.DataFrame:
    """The reports the filter selects; with `columns`, only those canonical fields (and the
    cluster, its level and the year): far cheaper for many years of reports."""
    return _run(database_url(), "reports", flt, None if columns is None else tuple(columns))


def reports_with_derived(flt: Filter, figures: tuple[str, ...] | None = None) -> pd.DataFrame:
    """The reports the filter selects, with every figure that is summed per level and the
    derived figures (`metrics.with_derived`): the rows behind a level's sums. With `figures`
    (report fields and derived figures), only those and what they read: far cheaper for many
    reports."""
    return _run(database_url(), "reports_with_derived", flt, None if figures is None else tuple(figures))


def level_medians(years: tuple[int, int], figures: tuple[str, ...], exclude: tuple[int, ...] = ()) -> pd.DataFrame:
    """Per year and level: the median of each figure (derived figures too) over every
    report in `years` but those of the clusters in `exclude`, with its count beside it
    (`metrics.level_medians`), to set a cluster beside its peers."""
    return _run(database_url(), "level_medians", years, tuple(figures), tuple(sorted(exclude)))


def report_texts(flt: Filter, number_field: str, text_field: str, search: str = "", limit: int | None = None) -> pd.DataFrame:
    """The reports' `text_field` beside `number_field`, newest first, searched in the
    database; at most `limit`, with the number of matches in `matches`."""
    return _run(database_url(), "report_texts", flt, number_field, text_field, search, limit)


def level_change_reports(flt: Filter, year: int) -> pd.DataFrame:
    """The reports of `year - 1` and `year` of the clusters in the filter (its levels and
    years aside) that changed level between them (`queries.level_change_reports`)."""
    return _run(database_url(), "level_change_reports", flt, year)


def level_summary(flt: Filter) -> pd.DataFrame:
    return _run(database_url(), "level_summary", flt)


def cluster_history(cluster_id: int) -> pd.DataFrame:
    return _run(database_url(), "cluster_history", cluster_id)


def periods(flt: Filter) -> pd.DataFrame:
    return _run(database_url(), "periods", flt)


def member_register(flt: Filter) -> pd.DataFrame:
    return _run(database_url(), "member_register", flt)


def register_counts(flt: Filter, extra: tuple[str, ...] = ()) -> pd.DataFrame:
    """`queries.register_counts`: the register's counts per cluster, with `extra` beside them."""
    return _run(database_url(), "register_counts", flt, tuple(extra))


def clusters(flt: Filter) -> pd.DataFrame:
    return _run(database_url(), "clusters", flt)


def warnings(flt: Filter) -> pd.DataFrame:
    return _run(database_url(), "warnings", flt)


def findings(flt: Filter, jump_factor: float = 3.0) -> pd.DataFrame:
    return _run(database_url(), "findings", flt, jump_factor)


# A few versions per database are enough: older ones are not asked for again.
@st.cache_data(ttl=TTL_SECONDS, max_entries=16, show_spinner=False)
def _options(url: str, version: DataVersion) -> queries.FilterOptions:
    return queries.filter_options(_engine(url))


def filter_options() -> queries.FilterOptions:
    url = database_url()
    return _options(url, _version(url))


@st.cache_data(ttl=TTL_SECONDS, max_entries=16, show_spinner=False)
def _rules(url: str, version: DataVersion) -> Rules:
    return queries.rules(_engine(url))


def rules() -> Rules:
    """The programme's rules the database holds (imported like the data: fresh with them)."""
    url = database_url()
    return _rules(url, _version(url))


@st.cache_data(ttl=TTL_SECONDS, max_entries=16, show_spinner=False)
def _targets(url: str, version: DataVersion) -> tuple[targets.Target, ...]:
    return targets.read(_engine(url))


def programme_targets() -> tuple[targets.Target, ...]:
    """The targets the database holds (imported like the data: fresh with them)."""
    url = database_url()
    return _targets(url, _version(url))


@st.cache_data(ttl=TTL_SECONDS, max_entries=16, show_spinner=False)
def _demo(url: str, version: DataVersion) -> bool:
    engine = _engine(url)
    return has_schema(engine) and is_demo(engine)


def holds_demo_data() -> bool:
    url = database_url()
    return _demo(url, _version(url))


def summary_with_derived(flt: Filter) -> pd.DataFrame:
    """Per level and year: the sums and the derived figures (leverage, shares ...), cached
    with them (not derived again on every rerun)."""
    return _run(database_url(), "summary_with_derived", flt)
