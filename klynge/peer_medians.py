"""The median of a cluster's peers, read from the middle of each figure's order kept at import.

The cluster profile and the comparison set a cluster beside the median of the other clusters
at its level that year (`metrics.level_medians` is the definition). That median leaves the
chosen clusters out, so it cannot be summed at import as the level sums are; computed from
the reports, it read every report of every year on each visit (1.1-1.3 s of SQL at 5,000
clusters over 20 years).

Leaving m clusters out of n moves the median by at most m/2 places in the order of all n. So
the importer keeps, per figure, year and level, only the `WIDTH` places each side of the
middle of that order (by value, then cluster id), with n (`middles`, the table
`level_middles`). A median without up to `MAX_LEFT_OUT` clusters is then worked out from those
few rows and the left-out clusters' own reports (`from_middles`): a left-out cluster in the
kept middle is struck from it, one below it moves the middle's places down by one, one above
it changes nothing. More clusters left out, a figure not kept, or a table not (yet) filled
for this definition: the median is computed from the reports, as the definition does.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, delete, func, insert, select

from klynge import metrics
from klynge.queries import Filter
from klynge.store import schema
from klynge.summary import reports_with_derived

# The figures the cluster profile and the comparison set beside their peers' medians.
PROFILE_FIGURES: tuple[str, ...] = (
    "members_total", "partners_total", "activities_organised", "activities_unique_participants",
    "funding_national_mnok", "funding_eu_mnok", "international_activities_new", "new_jobs")
COMPARE_FIGURES: tuple[str, ...] = (
    "members_total", "partners_total", "activities_organised", "activities_unique_participants",
    "participants_per_activity", "funding_triggered_mnok", "leverage", "international_activities_new",
    "projects_total", "new_jobs")
KEPT_FIGURES: tuple[str, ...] = tuple(dict.fromkeys((*PROFILE_FIGURES, *COMPARE_FIGURES)))

# Places kept each side of the middle. Leaving m clusters out needs m/2 + 1/2 of them.
WIDTH = 4
MAX_LEFT_OUT = 2 * WIDTH - 1

T = schema.level_middles
COLUMNS = ["figure", "report_year", "level", "position", "cluster_id", "value", "n"]
META_KEY = "level_middles"
# What the table was filled for: a table kept for other figures or another width is not read.
SIGNATURE = f"width {WIDTH}: {' '.join(KEPT_FIGURES)}"
_CHUNK = 5_000


class NotInMiddle(Exception):
    """The kept middle does not hold the median asked for (the rows changed between reads)."""


def middles(derived: pd.DataFrame, figures: Iterable[str], width: int = WIDTH) -> pd.DataFrame:
    """Per figure, year and level: the reports with a value of the figure in their order (by
    value, then cluster id), `position` 0 for the lowest, and `n` of them; only the positions
    from `width` below the lower middle (n - 1) // 2 to `width` above the upper middle n // 2."""
    parts = []
    for figure in figures:
        rows = derived.loc[derived[figure].notna(), ["report_year", "level", "cluster_id", figure]]
        rows = rows.rename(columns={figure: "value"}).astype({"value": float, "report_year": int, "cluster_id": int})
        rows = rows.sort_values(["report_year", "level", "value", "cluster_id"])
        grouped = rows.groupby(["report_year", "level"], sort=False)
        rows["position"] = grouped.cumcount()
        rows["n"] = grouped["value"].transform("size")
        low, high = ((rows["n"] - 1) // 2 - width).clip(lower=0), rows["n"] // 2 + width
        kept = rows[(rows["position"] >= low) & (rows["position"] <= high)]
        parts.append(kept.assign(figure=figure))
    if not parts:
        return pd.DataFrame(columns=COLUMNS)
    return pd.concat(parts)[COLUMNS].reset_index(drop=True)


def _median_without(window: list[tuple[int, float, int]], n: int, left_out: list[tuple[float, int]]) -> tuple[float, int]:
    """The median of the n values whose middle is `window` ((position, value, cluster id) in
    order), without the values `left_out` ((value, cluster id), each one of the n), and how
    many values that leaves."""
    remaining = n - len(left_out)
    if remaining < metrics.MIN_PEERS:
        return math.nan, remaining
    if not left_out:
        start, values = window[0][0], [value for _, value, _ in window]
        return (values[(remaining - 1) // 2 - start] + values[remaining // 2 - start]) / 2, remaining
    in_window = {cluster_id for _, _, cluster_id in window}
    first, last = (window[0][1], window[0][2]), (window[-1][1], window[-1][2])
    below = 0
    for key in left_out:
        if key[1] in in_window or key > last:
            continue
        if key < first:
            below += 1
        else:
            raise NotInMiddle(f"{key} is between the kept places but not among them")
    struck = {cluster_id for _, cluster_id in left_out}
    values = [value for _, value, cluster_id in window if cluster_id not in struck]
    start = window[0][0] - below  # the place of values[0] among the remaining values
    lower, upper = (remaining - 1) // 2 - start, remaining // 2 - start
    if lower < 0 or upper >= len(values):
        raise NotInMiddle(f"places {lower}-{upper} of {len(values)} kept")
    return (values[lower] + values[upper]) / 2, remaining


def from_middles(kept: Iterable[tuple], reports_per_group: Iterable[tuple[int, str, int]], left_out: pd.DataFrame,
                 figures: list[str]) -> pd.DataFrame:
    """`metrics.level_medians` of every report but those in `left_out`, from the kept middles
    (rows of `COLUMNS`, each group's in the order of their places), the reports per year and
    level (year, level, count) and the left-out clusters' reports with their figures
    (`cluster_id`, `report_year`, `level`)."""
    windows: dict[tuple, list[tuple[int, float, int]]] = defaultdict(list)
    sizes: dict[tuple, int] = {}
    for figure, year, level, position, cluster_id, value, n in kept:
        windows[(figure, year, level)].append((position, value, cluster_id))
        sizes[(figure, year, level)] = n
    out_reports: Counter = Counter()
    out_values: dict[tuple, list[tuple[float, int]]] = defaultdict(list)
    if len(left_out):
        for year, level, cluster_id, *values in left_out[["report_year", "level", "cluster_id", *figures]].itertuples(
                index=False, name=None):
            out_reports[(int(year), level)] += 1
            for figure, value in zip(figures, values):
                if pd.notna(value):
                    out_values[(figure, int(year), level)].append((float(value), int(cluster_id)))
    rows = []
    for year, level, count in sorted((int(year), level, int(count)) for year, level, count in reports_per_group):
        if count - out_reports[(year, level)] <= 0:
            continue
        medians, counts = [], []
        for figure in figures:
            key = (figure, year, level)
            window = windows.get(key)
            if not window:
                if out_values.get(key):
                    raise NotInMiddle(f"{key} has a left-out value but nothing kept")
                medians.append(math.nan)
                counts.append(0)
                continue
            median, remaining = _median_without(window, sizes[key], out_values.get(key, []))
            medians.append(median)
            counts.append(remaining)
        rows.append((year, level, *medians, *counts))
    columns = list(zip(*rows)) if rows else [()] * (2 + 2 * len(figures))
    return pd.DataFrame({"report_year": np.array(columns[0], dtype="int64"), "level": list(columns[1]),
                         **{figure: np.array(columns[2 + i], dtype=float) for i, figure in enumerate(figures)},
                         **{f"n_{figure}": np.array(columns[2 + len(figures) + i], dtype="int64")
                            for i, figure in enumerate(figures)}})


def from_reports(bind: Engine | Connection, years: tuple[int, int], figures: tuple[str, ...],
                 exclude: tuple[int, ...] = ()) -> pd.DataFrame:
    """The medians as the definition computes them, from every report of the years."""
    return metrics.level_medians(reports_with_derived(bind, Filter(years=years)), list(figures), tuple(exclude))


def is_filled(conn: Connection) -> bool:
    """Whether `level_middles` holds this definition's middles of the reports."""
    return conn.execute(select(schema.meta.c.value).where(schema.meta.c.key == META_KEY)).scalar() == SIGNATURE


def level_medians(engine: Engine, years: tuple[int, int], figures: tuple[str, ...],
                  exclude: tuple[int, ...] = ()) -> pd.DataFrame:
    """Per year and level: the median of each figure over every report in `years` but those
    of the clusters in `exclude`, with its count (`metrics.level_medians`), read from the
    kept middles where they hold it."""
    figures, exclude = tuple(figures), tuple(sorted(set(exclude)))
    if len(exclude) > MAX_LEFT_OUT or not set(figures) <= set(KEPT_FIGURES):
        return from_reports(engine, years, figures, exclude)
    connection = engine.connect()
    if engine.dialect.name == "postgresql":  # the three reads below see one state of the data
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
    with connection as conn, conn.begin():
        if not is_filled(conn):
            return from_reports(conn, years, figures, exclude)
        kept = conn.execute(select(*T.c[*COLUMNS]).where(T.c.figure.in_(figures), T.c.report_year.between(*years))
                            .order_by(T.c.figure, T.c.report_year, T.c.level, T.c.position)).all()
        S = schema.level_sums
        groups = conn.execute(select(S.c.report_year, S.c.level, func.sum(S.c.clusters))
                              .where(S.c.report_year.between(*years)).group_by(S.c.report_year, S.c.level)).all()
        # Only the figures asked for (and what they are made of) of the left-out clusters.
        left_out = reports_with_derived(conn, Filter(clusters=exclude, years=years), figures) if exclude else pd.DataFrame()
        try:
            return from_middles(kept, groups, left_out, list(figures))
        except NotInMiddle:
            return from_reports(conn, years, figures, exclude)


def refresh(conn: Connection, years: Iterable[int] | None = None) -> None:
    """Keep the middles again from the reports as `conn` sees them (at the end of an import,
    inside its transaction): of the given years, or of every year (None, and whenever the
    table is not filled for this definition). Then mark the table filled."""
    if years is not None and is_filled(conn):
        for year in sorted(set(years)):
            conn.execute(delete(T).where(T.c.report_year == year))
            _keep(conn, reports_with_derived(conn, Filter(years=(year, year))))
        return
    conn.execute(delete(T))
    conn.execute(delete(schema.meta).where(schema.meta.c.key == META_KEY))
    _keep(conn, reports_with_derived(conn, Filter()))
    conn.execute(insert(schema.meta).values(key=META_KEY, value=SIGNATURE))


def _keep(conn: Connection, derived: pd.DataFrame) -> None:
    if derived.empty:
        return
    rows = middles(derived, KEPT_FIGURES).astype(object).to_dict("records")  # Python numbers, for every driver
    for start in range(0, len(rows), _CHUNK):
        conn.execute(insert(T), rows[start:start + _CHUNK])


def fill_if_missing(conn: Connection) -> None:
    """Fill `level_middles` where a migration left it empty or kept for another definition
    (a database without reports is left as it is: its first import fills it)."""
    has_reports = conn.execute(select(schema.annual_reports.c.id).limit(1)).first() is not None
    if has_reports and not is_filled(conn):
        refresh(conn)
