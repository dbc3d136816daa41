"""The common approach, for comparison: load the tables with `pd.read_sql` on every rerun
(no cache) and filter and aggregate in pandas.

It answers the overview's question, the per-level sums of every figure for a filter, as
`klynge.queries.level_summary` does in SQL, and `compare` checks that both give the same
numbers before it times them.
"""

from __future__ import annotations

import statistics
import time

import pandas as pd
from sqlalchemy import Engine

from klynge.domain import OUTSIDE_LEVEL
from klynge.queries import SUMMED_FIELDS, Filter, level_summary


def naive_level_summary(engine: Engine, flt: Filter) -> pd.DataFrame:
    with engine.connect() as conn:
        reports = pd.read_sql("SELECT * FROM annual_reports", conn)
        clusters = pd.read_sql("SELECT * FROM clusters", conn)
        periods = pd.read_sql("SELECT * FROM programme_periods", conn)
    # The level each report's cluster had in the report's year.
    spans = reports[["id", "cluster_id", "report_year"]].merge(periods[["cluster_id", "level", "first_year", "last_year"]],
                                                                on="cluster_id")
    spans = spans[(spans["report_year"] >= spans["first_year"]) & (spans["report_year"] <= spans["last_year"])]
    frame = reports.merge(clusters[["id", "region", "sector"]].rename(columns={"id": "cluster_id"}), on="cluster_id")
    frame["level"] = frame["id"].map(spans.set_index("id")["level"]).fillna(OUTSIDE_LEVEL)
    if flt.levels:
        frame = frame[frame["level"].isin(flt.levels)]
    if flt.years is not None:
        frame = frame[frame["report_year"].between(*flt.years)]
    if flt.regions:
        frame = frame[frame["region"].isin(flt.regions)]
    if flt.sectors:
        frame = frame[frame["sector"].isin(flt.sectors)]
    if flt.clusters:
        frame = frame[frame["cluster_id"].isin(flt.clusters)]
    grouped = frame.groupby(["report_year", "level"], as_index=False, sort=True)
    sums = grouped[list(SUMMED_FIELDS)].sum()
    sums.insert(2, "clusters", grouped["cluster_id"].nunique()["cluster_id"])
    return sums


def _same(ours: pd.DataFrame, naive: pd.DataFrame) -> bool:
    columns = ["report_year", "level", "clusters", *SUMMED_FIELDS]
    a = ours[columns].sort_values(["report_year", "level"]).reset_index(drop=True)
    b = naive[columns].sort_values(["report_year", "level"]).reset_index(drop=True)
    if len(a) != len(b) or list(a["level"]) != list(b["level"]):
        return False
    numbers = columns[:1] + columns[2:]
    return bool(((a[numbers].astype(float) - b[numbers].astype(float)).abs() < 1e-6).all().all())


def compare(engine: Engine, filters: list[Filter]) -> dict:
    """Median time per filter of `level_summary` (ours: SQL aggregation, the work of a cache
    miss) and of the naive version, over the same filters."""
    ours, naive, agree = [], [], True
    for flt in filters:
        start = time.perf_counter()
        a = level_summary(engine, flt)
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        b = naive_level_summary(engine, flt)
        naive.append(time.perf_counter() - start)
        agree = agree and _same(a, b)
    ours_ms, naive_ms = statistics.median(ours) * 1000, statistics.median(naive) * 1000
    return {"ours_ms": ours_ms, "naive_ms": naive_ms, "speedup": naive_ms / ours_ms, "same_numbers": agree}
