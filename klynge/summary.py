"""The per-level figures every page and `python -m klynge summary` show: the sums per year
and level with their derived figures (triggered money, programme money, leverage ...) under
the programme's rules the database holds. One definition, used by both."""

from __future__ import annotations

import math

import pandas as pd
from sqlalchemy import Connection, Engine

from klynge import metrics, queries
from klynge.queries import Filter

# The keys of `python -m klynge summary --json`, in order.
SUMMARY_KEYS: tuple[str, ...] = (
    "level", "year", "clusters", "members_total", "activities_unique_participants", "funding_national_mnok",
    "funding_eu_mnok", "funding_triggered_mnok", "international_activities_new", "programme_money_mnok", "leverage",
    "clusters_beyond_limit",
)


def level_figures(engine: Engine, flt: Filter = Filter()) -> pd.DataFrame:
    """Per year and level: the reporting clusters, the sum of every figure, the clusters past
    their level's time limit (`clusters_beyond_limit`) and the derived figures, under the
    rules in force each year. Empty when the filter selects no report."""
    summary = queries.level_summary(engine, flt)
    if summary.empty:
        return summary
    rules = queries.rules(engine)
    beyond = queries.beyond_limit(engine, flt, rules)
    # Each year and level's count, 0 where none is past the limit (a few rows: looked up,
    # not joined).
    counts = dict(zip(zip(beyond["report_year"].tolist(), beyond["level"].tolist()), beyond["clusters_beyond_limit"].tolist()))
    summary["clusters_beyond_limit"] = pd.Series(
        [counts.get(key, 0) for key in zip(summary["report_year"].tolist(), summary["level"].tolist())],
        index=summary.index, dtype="int64")
    return metrics.with_derived(summary, rules)


def reports_with_derived(bind: Engine | Connection, flt: Filter = Filter(),
                         figures: tuple[str, ...] | None = None) -> pd.DataFrame:
    """The reports the filter selects with every figure that is summed per level, and their
    derived figures under the rules the database holds (`metrics.with_derived`): the rows
    behind a level's sums and its medians. With `figures` (report fields and derived figures),
    only those and the report fields they read (`metrics.fields_for`): far less to read for
    many reports."""
    columns = queries.SUMMED_FIELDS if figures is None else metrics.fields_for(figures)
    reports = queries.reports(bind, flt, columns=columns)
    if reports.empty:
        return reports
    # The rules are read only for programme money (and the leverage, which reads it).
    derived = metrics.derived_for(metrics.DERIVED if figures is None else figures)
    rules = queries.rules(bind) if "programme_money_mnok" in derived else None
    return metrics.with_derived(reports, rules, figures)


def records(figures: pd.DataFrame) -> list[dict]:
    """`level_figures` as plain objects (the JSON of `summary`): counts as integers, money
    rounded to the thousandth of a MNOK, leverage to three decimals, and None (null) for a
    figure that cannot be computed (programme money where a rule is not set)."""
    out = []
    ordered = figures.sort_values(["report_year", "level"], key=lambda column: column.map(metrics.level_order)
                                  if column.name == "level" else column, kind="stable")
    for row in ordered.to_dict("records"):
        item = {}
        for key in SUMMARY_KEYS:
            value = row["report_year"] if key == "year" else row[key]
            if key == "level":
                item[key] = value
            elif value is None or (isinstance(value, float) and math.isnan(value)):
                item[key] = None
            elif key.endswith("_mnok") or key == "leverage":
                item[key] = round(float(value), 3)
            else:
                item[key] = int(value)
        out.append(item)
    return out
