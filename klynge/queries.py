"""The read API for the pages: named, parameterised selects that return tidy DataFrames.

Every function takes the engine and one `Filter`; aggregation happens in SQL. A report
counts under the level its cluster had in the report's year (`utenfor` when none).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, Select, Text, and_, case, distinct, func, literal, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from klynge.domain import JUMP_FIELDS, KEPT_JUMP_FACTOR, MEMBER_COUNT_FIELDS, MEMBER_TYPES, OUTSIDE_LEVEL
from klynge.reports.fields import FIELD_NAMES, SUMMED_FIELDS
from klynge.rules import Rule, Rules
from klynge.store import derived, schema
from klynge.store.engine import SQLITE_LOWER

R = schema.annual_reports
C = schema.clusters
P = schema.programme_periods
M = schema.members
W = schema.report_warnings
Y = schema.register_years
S = schema.level_sums
G = schema.programme_rules
J = schema.year_changes
MM = schema.register_mismatches
SN = schema.suspect_member_names


@dataclass(frozen=True)
class Filter:
    """What the user selected. Empty tuples and None mean 'all'. Hashable, for caching."""

    levels: tuple[str, ...] = ()
    years: tuple[int, int] | None = None  # inclusive range
    regions: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    clusters: tuple[int, ...] = ()

    def with_(self, **changes) -> Filter:
        return Filter(**{**self.__dict__, **changes})


def _level_join(year_column):
    """The outer join that gives each row the programme period of its cluster in that year."""
    return and_(P.c.cluster_id == C.c.id, year_column >= P.c.first_year, year_column <= P.c.last_year)


LEVEL = func.coalesce(P.c.level, literal(OUTSIDE_LEVEL)).label("level")
# Which year of its programme period a report falls in (1 for the first; none outside the programme).
YEARS_IN_LEVEL = (R.c.report_year - P.c.first_year + 1).label("years_in_level")
# Aliases made once: an alias of a table makes a copy of each of its columns (annual_reports
# has more than 200), 1 ms an alias, on every call that made its own.
_BEFORE, _AFTER = R.alias("before"), R.alias("after")
_BEFORE_PERIOD, _AFTER_PERIOD, _LONG_PERIODS = P.alias("before_period"), P.alias("after_period"), P.alias("long_periods")


def _reports_from():
    return R.join(C, C.c.id == R.c.cluster_id).outerjoin(P, _level_join(R.c.report_year))


def _where(query: Select, flt: Filter, year_column=R.c.report_year) -> Select:
    if flt.levels:
        query = query.where(func.coalesce(P.c.level, literal(OUTSIDE_LEVEL)).in_(flt.levels))
    if flt.years is not None and year_column is not None:
        query = query.where(year_column.between(*flt.years))
    if flt.regions:
        query = query.where(C.c.region.in_(flt.regions))
    if flt.sectors:
        query = query.where(C.c.sector.in_(flt.sectors))
    if flt.clusters:
        query = query.where(C.c.id.in_(flt.clusters))
    return query


class lowered(FunctionElement):
    """lower(text), for searches that ignore case in any alphabet: on SQLite, whose lower()
    knows only ASCII, the one `klynge.store.engine` registers with each connection."""

    type = Text()
    name = "lowered"
    inherit_cache = True


@compiles(lowered)
def _lowered(element, compiler, **kw) -> str:
    return f"lower({compiler.process(element.clauses, **kw)})"


@compiles(lowered, "sqlite")
def _lowered_on_sqlite(element, compiler, **kw) -> str:
    return f"{SQLITE_LOWER}({compiler.process(element.clauses, **kw)})"


@contextmanager
def _connected(bind: Engine | Connection) -> Iterator[Connection]:
    """A connection of the engine, or the connection given (inside its transaction, as an
    import's refresh of the kept tables reads the rows it has just written)."""
    if isinstance(bind, Connection):
        yield bind
        return
    with bind.connect() as conn:
        yield conn


def _rows(engine: Engine | Connection, query: Select) -> tuple[list[str], list]:
    """The names of `query`'s columns and every row it gives."""
    with _connected(engine) as conn:
        result = conn.execute(query)
        return list(result.keys()), result.fetchall()


def _columns(names: list[str], rows: list) -> dict[str, list | np.ndarray]:
    """Each column of `rows` as a list, by name; of no rows, each an empty column of objects,
    as pandas makes it from no rows (from an empty list it makes floats). A frame built from
    these is two to three times faster to make than from rows, with the same dtypes; each a
    list, as pandas makes a tuple into a list first (half again the time)."""
    if not rows:
        return {name: np.empty(0, dtype=object) for name in names}
    return dict(zip(names, map(list, zip(*rows))))


def _frame(engine: Engine | Connection, query: Select) -> pd.DataFrame:
    names, rows = _rows(engine, query)
    if not rows or len(set(names)) < len(names):
        return pd.DataFrame(rows, columns=names)
    return pd.DataFrame(_columns(names, rows), columns=names)


def reports(engine: Engine | Connection, flt: Filter = Filter(), columns: tuple[str, ...] | None = None) -> pd.DataFrame:
    """One row per report: cluster, its region, sector, level and brand that year, and every
    canonical field, or only `report_year` and the canonical fields named in `columns`
    (much less to read for many reports: the free texts are most of a report's bytes); and
    `years_in_level`, the year of the cluster's programme period the report falls in."""
    if columns is None:
        fields = [*[R.c[name] for name in FIELD_NAMES], R.c.source_file, R.c.imported_at]
    else:
        unknown = set(columns) - set(FIELD_NAMES)
        if unknown:
            raise ValueError(f"not canonical fields: {', '.join(sorted(unknown))}")
        fields = [R.c[name] for name in FIELD_NAMES if name in columns or name == "report_year"]
    query = _where(_report_rows(fields), flt).order_by(R.c.report_year, C.c.name)
    return _frame(engine, query)


def _report_rows(fields: list) -> Select:
    """The select of `reports`: each report's cluster, its county, sector, level and brand that
    year, `fields`, and its year of the programme period."""
    return select(R.c.cluster_id, C.c.name.label("cluster"), C.c.region, C.c.sector, LEVEL, P.c.brand, *fields,
                  YEARS_IN_LEVEL).select_from(_reports_from())


def level_summary(engine: Engine, flt: Filter = Filter()) -> pd.DataFrame:
    """Per year and level: the number of reporting clusters and the sum of every figure.
    Added up from the sums kept at import (`level_sums`), unless the filter names clusters."""
    return level_summary_from_reports(engine, flt) if flt.clusters else _level_summary_from_sums(engine, flt)


# The sums of every figure per year and level, before a filter (made once: 50 sums cost
# 0.5 ms to write out on every call).
_LEVEL_SUMS = select(S.c.report_year, S.c.level, func.sum(S.c.clusters).label("clusters"),
                     *[func.sum(S.c[name]).label(name) for name in SUMMED_FIELDS])


def _level_summary_from_sums(engine: Engine, flt: Filter) -> pd.DataFrame:
    query = _sums_where(_LEVEL_SUMS, flt).group_by(S.c.report_year, S.c.level).order_by(S.c.report_year, S.c.level)
    return _summary_frame(engine, query)


def _sums_where(query: Select, flt: Filter) -> Select:
    """`query` of `level_sums` limited to the filter's levels, years, counties and sectors
    (not its clusters: the sums are per level, county and sector)."""
    if flt.levels:
        query = query.where(S.c.level.in_(flt.levels))
    if flt.years is not None:
        query = query.where(S.c.report_year.between(*flt.years))
    if flt.regions:
        query = query.where(S.c.region.in_(flt.regions))
    if flt.sectors:
        query = query.where(S.c.sector.in_(flt.sectors))
    return query


def level_summary_from_reports(engine: Engine, flt: Filter = Filter()) -> pd.DataFrame:
    """`level_summary` summed from the reports themselves (what `level_sums` holds, for any filter)."""
    query = select(
        R.c.report_year, LEVEL,
        func.count(distinct(R.c.cluster_id)).label("clusters"),
        *[func.sum(R.c[name]).label(name) for name in SUMMED_FIELDS],
    ).select_from(_reports_from())
    query = _where(query, flt).group_by(R.c.report_year, LEVEL).order_by(R.c.report_year, LEVEL)
    return _summary_frame(engine, query)


def _beyond(max_years: Rules):
    """Whether a report's year is past its level's time limit: its year of the period (counted
    from the period's first year) is beyond the `max_years` in force in the report's year."""
    return _beyond_spans(tuple(max_years.spans("max_years")))


@lru_cache(maxsize=16)
def _beyond_spans(spans: tuple[tuple[Rule, int | None], ...]):
    """`_beyond` for these versions of `max_years` (made once: a condition of a dozen parts
    costs a millisecond to build, and the overview asks for it on every filter change)."""
    conditions, long_enough = [], []
    periods = _LONG_PERIODS
    for rule, until in spans:
        if rule.value is None:
            continue
        in_force = R.c.report_year >= rule.valid_from if until is None else R.c.report_year.between(rule.valid_from, until)
        conditions.append(and_(P.c.level == rule.scope, in_force, R.c.report_year - P.c.first_year >= int(rule.value)))
        long_enough.append(and_(periods.c.level == rule.scope, periods.c.last_year - periods.c.first_year >= int(rule.value)))
    if not conditions:
        return None
    # Only a period longer than its level's limit can hold a report past it: the few such
    # periods, named first, let the database start from them instead of from every report.
    return and_(P.c.id.in_(select(periods.c.id).where(or_(*long_enough))), or_(*conditions))


def beyond_limit(engine: Engine, flt: Filter, max_years: Rules) -> pd.DataFrame:
    """Per year and level, the reporting clusters past their level's time limit (`max_years`
    of the rules): programme money is counted only for a level's allowed years."""
    condition = _beyond(max_years)
    columns = ["report_year", "level", "clusters_beyond_limit"]
    if condition is None:
        return pd.DataFrame(columns=columns)
    query = select(R.c.report_year, P.c.level, func.count(distinct(R.c.cluster_id)).label("clusters_beyond_limit")
                   ).select_from(R.join(C, C.c.id == R.c.cluster_id).join(P, _level_join(R.c.report_year)))
    query = _where(query, flt).where(condition).group_by(R.c.report_year, P.c.level)
    return _frame(engine, query).reindex(columns=columns)


def _summary_frame(engine: Engine, query: Select) -> pd.DataFrame:
    frame = _frame(engine, query)
    for name in ("funding_national_mnok", "funding_eu_mnok", "mgmt_fte"):
        frame[name] = frame[name].astype(float).round(3)
    return frame


def cluster_history(engine: Engine, cluster_id: int) -> pd.DataFrame:
    """Every report of one cluster, oldest first, with the level it had each year."""
    return reports(engine, Filter(clusters=(cluster_id,)))


def _periods_where(query: Select, flt: Filter) -> Select:
    query = _where(query, flt.with_(levels=()), year_column=None)
    if flt.levels:
        query = query.where(P.c.level.in_(flt.levels))
    if flt.years is not None:
        query = query.where(P.c.first_year <= flt.years[1], P.c.last_year >= flt.years[0])
    return query


def periods(engine: Engine, flt: Filter = Filter()) -> pd.DataFrame:
    """The programme periods of the selected clusters that overlap the selected years."""
    query = select(P.c.cluster_id, C.c.name.label("cluster"), P.c.level, P.c.first_year, P.c.last_year, P.c.brand
                   ).select_from(P.join(C, C.c.id == P.c.cluster_id))
    return _frame(engine, _periods_where(query, flt).order_by(C.c.name, P.c.first_year))


def periods_with_gaps(engine: Engine, flt: Filter, first_year: int, last_year: int) -> pd.DataFrame:
    """The programme periods (as `periods` gives them) in which the cluster filed fewer
    reports than the period has years between `first_year` and `last_year`: the only ones
    the missing-report check needs to look at."""
    first = case((P.c.first_year > first_year, P.c.first_year), else_=literal(first_year))
    last = case((P.c.last_year < last_year, P.c.last_year), else_=literal(last_year))
    query = select(P.c.cluster_id, C.c.name.label("cluster"), P.c.level, P.c.first_year, P.c.last_year, P.c.brand
                   ).select_from(P.join(C, C.c.id == P.c.cluster_id))
    query = _periods_where(query, flt.with_(years=(first_year, last_year))).where(
        select(func.count()).select_from(R).where(R.c.cluster_id == P.c.cluster_id, R.c.report_year.between(first, last))
        .scalar_subquery() < last - first + 1)
    return _frame(engine, query.order_by(C.c.name, P.c.first_year))


def _active_in(first_year: int, last_year: int):
    return and_(M.c.joined <= dt.date(last_year, 12, 31),
                or_(M.c.left.is_(None), M.c.left >= dt.date(first_year, 1, 1)))


def report_year_span(engine: Engine) -> tuple[int, int] | None:
    """The first and last year the reports cover (None: no reports), from the level sums
    kept at import (a row for every year with a report) rather than from every report."""
    with engine.connect() as conn:
        first, last = conn.execute(select(func.min(S.c.report_year), func.max(S.c.report_year))).one()
    return None if first is None else (int(first), int(last))


def _register_year(engine: Engine, flt: Filter) -> int:
    if flt.years is not None:
        return flt.years[1]
    with engine.connect() as conn:
        latest = conn.execute(select(func.max(R.c.report_year))).scalar()
    return latest or dt.date.today().year


def _containing(column, fragments: tuple[str, ...]):
    """`column` holds one of `fragments` (any, when there are none)."""
    return or_(*(column.contains(fragment, autoescape=True) for fragment in fragments)) if fragments else literal(True)


def member_register(engine: Engine, flt: Filter = Filter(), name_contains: tuple[str, ...] = (),
                    suspect_names: bool = False) -> pd.DataFrame:
    """Members of the selected clusters active at some time in the selected years, with the
    level their cluster had in the last of those years; with `name_contains`, only those
    whose name holds one of those fragments (found by the database); with `suspect_names`,
    only those the importer keeps as holding a lead of a misread encoding
    (`suspect_member_names`, the same as `name_contains=tuple(encoding.MOJIBAKE_LEADS)`)."""
    year = _register_year(engine, flt)
    first = flt.years[0] if flt.years else year
    query = select(
        M.c.cluster_id, C.c.name.label("cluster"), LEVEL, M.c.orgnr, M.c.name, M.c.member_type,
        M.c.core_member, M.c.joined, M.c.left,
    ).select_from(M.join(C, C.c.id == M.c.cluster_id).outerjoin(P, _level_join(literal(year))))
    if suspect_names:  # the few kept ids first, so that the database starts from them
        query = query.where(M.c.id.in_(select(SN.c.member_id)))
    query = _where(query, flt, year_column=None).where(_active_in(first, year), _containing(M.c.name, name_contains))
    return _frame(engine, query.order_by(C.c.name, M.c.name))


# The cluster's report for the register's year, if it filed one.
_REPORTED = R.alias("reported")


def _reported_in(year: int):
    return and_(_REPORTED.c.cluster_id == C.c.id, _REPORTED.c.report_year == year)


def _beside_register(extra: tuple[str, ...]) -> list:
    """The columns `extra` names, for `register_counts`: a canonical report field (of the
    cluster's report for the year, missing where it filed none), `brand` (of its programme
    period that year) or a column of the clusters' master data."""
    columns = []
    for name in extra:
        if name in FIELD_NAMES:
            columns.append(_REPORTED.c[name])
        elif name == "brand":
            columns.append(P.c.brand)
        elif name in C.c and name not in ("id", "name"):
            columns.append(C.c[name])
        else:
            raise ValueError(f"not a report field or master data of a cluster: {name}")
    return columns


def register_counts(engine: Engine, flt: Filter = Filter(), extra: tuple[str, ...] = ()) -> pd.DataFrame:
    """Per cluster: members by type in its register in the last selected year (one column a
    type, named as the report's field: `members_startup` ...), their sum `members_total`,
    core members, core member companies (established companies and start-ups), the
    cluster's level that year, and whether it filed a report for it (`reported`); with
    `extra`, the named fields of that report and master data beside them, in the same
    statement. Read from the counts kept at import (`register_years`) for the years the
    reports cover, else counted from the memberships."""
    year = _register_year(engine, flt)
    with engine.connect() as conn:
        covered = derived.covered_years(conn)
    if covered is None or not covered[0] <= year <= covered[1]:
        return register_counts_from_members(engine, flt, extra)
    query = select(
        C.c.id.label("cluster_id"), C.c.name.label("cluster"), C.c.region, C.c.sector, LEVEL,
        literal(year).label("year"), *[Y.c[t.report_field] for t in MEMBER_TYPES], Y.c.core_members, Y.c.core_companies,
        _REPORTED.c.id.is_not(None).label("reported"), *_beside_register(extra),
    ).select_from(C.outerjoin(P, _level_join(literal(year))).outerjoin(Y, and_(Y.c.cluster_id == C.c.id, Y.c.year == year))
                  .outerjoin(_REPORTED, _reported_in(year)))
    return _register_frame(engine, _where(query, flt, year_column=None).order_by(C.c.name))


_REGISTER_COUNTS = (*MEMBER_COUNT_FIELDS, "core_members", "core_companies")


def _register_frame(engine: Engine, query: Select) -> pd.DataFrame:
    """The rows of a register count as a frame: every count an integer (0 where a cluster
    has none), `reported` a bool, and `members_total` the sum of the member types.

    The counts are made whole from the rows, before the frame: filling, converting and
    summing them in pandas afterwards cost twice the rest of the call for a national
    register (45 clusters)."""
    names, rows = _rows(engine, query)
    columns: dict[str, list | np.ndarray] = _columns(names, rows)
    for name in _REGISTER_COUNTS:
        columns[name] = np.array([0 if value is None else int(value) for value in columns[name]], dtype="int64")
    columns["reported"] = np.array([bool(value) for value in columns["reported"]], dtype=bool)
    columns["members_total"] = np.sum([columns[name] for name in MEMBER_COUNT_FIELDS], axis=0, dtype="int64")
    return pd.DataFrame(columns, columns=[*names, "members_total"])


def register_counts_from_members(engine: Engine, flt: Filter = Filter(), extra: tuple[str, ...] = ()) -> pd.DataFrame:
    """`register_counts` counted from the memberships themselves (for any year), by the
    definition the kept counts come from (`derived.counted`)."""
    year = _register_year(engine, flt)
    with_level = C.outerjoin(P, _level_join(literal(year)))
    # The active members are counted per cluster first, for the selected clusters only, and
    # then joined to the clusters: grouping the joined rows instead sorts every membership.
    chosen = _where(select(C.c.id).select_from(with_level), flt, year_column=None)
    counts = derived.counted(year, year, cluster_ids=chosen).subquery()
    query = select(
        C.c.id.label("cluster_id"), C.c.name.label("cluster"), C.c.region, C.c.sector, LEVEL,
        literal(year).label("year"), *[counts.c[t.report_field] for t in MEMBER_TYPES],
        counts.c.core_members, counts.c.core_companies, _REPORTED.c.id.is_not(None).label("reported"),
        *_beside_register(extra),
    ).select_from(with_level.outerjoin(counts, counts.c.cluster_id == C.c.id).outerjoin(_REPORTED, _reported_in(year)))
    return _register_frame(engine, _where(query, flt, year_column=None).order_by(C.c.name))


def clusters(engine: Engine, flt: Filter = Filter(), name_contains: tuple[str, ...] = (),
             region_outside: tuple[str, ...] = ()) -> pd.DataFrame:
    """The selected clusters with their master data and their level in the last selected
    year; with `name_contains`, only those whose name holds one of those fragments; with
    `region_outside`, only those whose county is none of those (or not given)."""
    year = _register_year(engine, flt)
    query = select(
        C.c.id.label("cluster_id"), C.c.name.label("cluster"), LEVEL, P.c.brand, C.c.region, C.c.sector,
        C.c.orgnr, C.c.website, C.c.esca_label, C.c.esca_year,
    ).select_from(C.outerjoin(P, _level_join(literal(year))))
    query = _where(query, flt, year_column=None).where(_containing(C.c.name, name_contains))
    if region_outside:
        query = query.where(or_(C.c.region.is_(None), C.c.region.notin_(region_outside)))
    return _frame(engine, query.order_by(C.c.name))


def warnings(engine: Engine, flt: Filter = Filter()) -> pd.DataFrame:
    """The consistency warnings stored with the current reports."""
    query = select(
        W.c.cluster_id, C.c.name.label("cluster"), W.c.report_year, LEVEL, W.c.field, W.c.message,
        W.c.code, W.c.params, W.c.source_file, W.c.line,
    ).select_from(W.join(C, C.c.id == W.c.cluster_id).outerjoin(P, _level_join(W.c.report_year)))
    query = _where(query, flt, year_column=W.c.report_year)
    return _frame(engine, query.order_by(W.c.report_year, C.c.name, W.c.field))


def level_change_reports(engine: Engine | Connection, flt: Filter, year: int) -> pd.DataFrame:
    """The reports of `year - 1` and `year`, as `reports(..., columns=())` gives them, of the
    clusters in the filter (its levels and years aside) that reported in both years at
    different levels: the only reports `metrics.level_changes` keeps. The database pairs the
    two years' reports; only the few clusters that changed level are read."""
    after, after_period, before, before_period = _AFTER, _AFTER_PERIOD, _BEFORE, _BEFORE_PERIOD
    changed = select(after.c.cluster_id).select_from(
        after.join(before, and_(before.c.cluster_id == after.c.cluster_id, before.c.report_year == year - 1))
        .outerjoin(after_period, and_(after_period.c.cluster_id == after.c.cluster_id,
                                      after.c.report_year.between(after_period.c.first_year, after_period.c.last_year)))
        .outerjoin(before_period, and_(before_period.c.cluster_id == after.c.cluster_id,
                                       before.c.report_year.between(before_period.c.first_year, before_period.c.last_year)))
    ).where(after.c.report_year == year, func.coalesce(after_period.c.level, literal(OUTSIDE_LEVEL))
            != func.coalesce(before_period.c.level, literal(OUTSIDE_LEVEL)))
    query = _where(_report_rows([R.c.report_year]), flt.with_(levels=(), years=(year - 1, year)))
    query = query.where(R.c.cluster_id.in_(changed))
    return _frame(engine, query.order_by(R.c.report_year, C.c.name))


def report_keys(engine: Engine, flt: Filter = Filter()) -> pd.DataFrame:
    """Which cluster filed a report for which year."""
    query = select(R.c.cluster_id, R.c.report_year).select_from(_reports_from())
    return _frame(engine, _where(query, flt))


def reports_outside_programme(engine: Engine, flt: Filter = Filter()) -> pd.DataFrame:
    """The reports in the filter for a year in which their cluster had no programme period."""
    query = select(R.c.cluster_id, C.c.name.label("cluster"), R.c.report_year, LEVEL).select_from(_reports_from())
    query = _where(query, flt).where(P.c.id.is_(None))
    return _frame(engine, query.order_by(R.c.report_year, C.c.name))


@dataclass(frozen=True)
class FilterOptions:
    years: tuple[int, ...]
    regions: tuple[str, ...]
    sectors: tuple[str, ...]
    clusters: tuple[tuple[int, str], ...]


def filter_options(engine: Engine) -> FilterOptions:
    """The values the filters can take, as found in the database."""
    with engine.connect() as conn:
        years = tuple(conn.execute(select(R.c.report_year).distinct().order_by(R.c.report_year)).scalars())
        regions = tuple(conn.execute(select(C.c.region).distinct().where(C.c.region.is_not(None)).order_by(C.c.region)).scalars())
        sectors = tuple(conn.execute(select(C.c.sector).distinct().where(C.c.sector.is_not(None)).order_by(C.c.sector)).scalars())
        names = tuple((row.id, row.name) for row in conn.execute(select(C.c.id, C.c.name).order_by(C.c.name)))
    return FilterOptions(years, regions, sectors, names)


def register_by_report(engine: Engine, flt: Filter = Filter()) -> pd.DataFrame:
    """For each report whose cluster has a member register: the register's members by type
    in the report's year. One row per report, with a column per type named as the report's
    field (`members_startup` ...), as in `register_counts`. The counts are kept at import
    (`register_years`, see `klynge.store.derived`)."""
    counts = [Y.c[field] for field in MEMBER_COUNT_FIELDS]
    query = select(R.c.cluster_id, C.c.name.label("cluster"), R.c.report_year, LEVEL, *counts).select_from(
        _reports_from().join(Y, and_(Y.c.cluster_id == R.c.cluster_id, Y.c.year == R.c.report_year)))
    return _frame(engine, _where(query, flt).order_by(R.c.report_year, C.c.name))


def register_differences(engine: Engine, flt: Filter = Filter(), kept: bool = True) -> pd.DataFrame:
    """The reports whose members by type differ from their cluster's register in the
    report's year: the report's counts (`members_startup` ...) and the register's
    (`register_members_startup` ...). Read from the few reports the importer keeps as
    differing (`register_mismatches`), or with `kept=False` by comparing every report."""
    query = select(R.c.cluster_id, C.c.name.label("cluster"), R.c.report_year, LEVEL,
                   *(R.c[field] for field in MEMBER_COUNT_FIELDS),
                   *(Y.c[field].label(f"register_{field}") for field in MEMBER_COUNT_FIELDS)).select_from(
        _reports_from().join(Y, and_(Y.c.cluster_id == R.c.cluster_id, Y.c.year == R.c.report_year)))
    query = query.where(or_(*(Y.c[field] != R.c[field] for field in MEMBER_COUNT_FIELDS)))
    if kept:  # the few kept ids first, so that the database starts from them
        query = query.where(R.c.id.in_(select(MM.c.report_id)))
    return _frame(engine, _where(query, flt).order_by(R.c.report_year, C.c.name))


def jump_candidates(engine: Engine, flt: Filter, fields: dict[str, float], factor: float) -> pd.DataFrame:
    """The reports in the filter of which some figure in `fields` (name: the least value, in
    either year, that counts) is at least `factor` times, or at most 1/`factor` of, the
    cluster's figure the year before (`candidate` true), and those reports of the year
    before, whatever the filter (`candidate` false unless they are candidates too). Columns
    as `reports(..., columns=fields)`. A superset of the jumps (ties are in), from which
    `quality.jumps` picks them exactly. The watched figures at a factor the importer keeps
    (`year_changes`) are read from there; anything else from the reports."""
    if fields == JUMP_FIELDS and factor >= KEPT_JUMP_FACTOR:
        pairs = select(J.c.report_id.label("now_id"), J.c.before_id).select_from(
            J.join(R, R.c.id == J.c.report_id).join(C, C.c.id == R.c.cluster_id).outerjoin(P, _level_join(R.c.report_year)))
        # The few reports that changed by the factor first (by the index on `change`): without
        # this, SQLite started from every report of the years and looked each one up. And
        # as a WITH, read once for the three places `_pair_reports` names it. At europe
        # scale, 2006-2022, the statement and its frame: at the page's factor of 3, 45 -> 2 ms
        # on SQLite; at its lowest, 2, 119 -> 52 ms (SQLite) and 149 -> 82 ms (PostgreSQL).
        changed = select(J.c.report_id).where(J.c.change >= factor)
        pairs = _where(pairs, flt).where(J.c.change >= factor, R.c.id.in_(changed)).cte("jump_pairs")
    else:
        pairs = _jump_pairs(flt, fields, factor)
    return _pair_reports(engine, pairs, fields)


def jump_candidates_from_reports(engine: Engine, flt: Filter, fields: dict[str, float], factor: float) -> pd.DataFrame:
    """`jump_candidates` read from the reports alone (the definition `year_changes` keeps)."""
    pairs = _jump_pairs(flt, fields, factor)
    return _pair_reports(engine, pairs, fields)


def _pair_reports(engine: Engine, pairs, fields: dict[str, float]) -> pd.DataFrame:
    """The reports of both sides of `pairs` (now_id, before_id), `candidate` on the newer."""
    columns = [R.c[name] for name in FIELD_NAMES if name in fields or name == "report_year"]
    query = select(R.c.cluster_id, C.c.name.label("cluster"), C.c.region, C.c.sector, LEVEL, P.c.brand, *columns,
                   R.c.id.in_(select(pairs.c.now_id)).label("candidate")).select_from(_reports_from())
    query = query.where(R.c.id.in_(select(pairs.c.now_id).union(select(pairs.c.before_id))))
    return _frame(engine, query.order_by(R.c.report_year, C.c.name))


def _jump_pairs(flt: Filter, fields: dict[str, float], factor: float):
    """(now_id, before_id) of the reports in the filter with a figure that changed by at least
    `factor` from the cluster's report the year before."""
    before = _BEFORE
    jumped = or_(*(and_(or_(R.c[name] >= least, before.c[name] >= least),
                        or_(R.c[name] >= factor * before.c[name], before.c[name] >= factor * R.c[name]))
                   for name, least in fields.items()))
    pairs = select(R.c.id.label("now_id"), before.c.id.label("before_id")).select_from(
        _reports_from().join(before, and_(before.c.cluster_id == R.c.cluster_id, before.c.report_year == R.c.report_year - 1)))
    return _where(pairs, flt).where(jumped).subquery()


def report_texts(engine: Engine, flt: Filter, number_field: str, text_field: str, search: str = "",
                 limit: int | None = None) -> pd.DataFrame:
    """The reports in the filter with one of their texts (and a figure beside it), newest
    first, then by cluster; with `search`, only those whose text or cluster name contains
    it, in any case. At most `limit` rows; `matches` on every row is how many there are in
    all. The search and the count run in the database, so a page showing a few of many
    thousand texts reads only those."""
    columns = (R.c.cluster_id, C.c.name.label("cluster"), R.c.report_year, LEVEL, R.c[number_field], R.c[text_field])
    newest_first = (R.c.report_year.desc(), C.c.name)
    if search:
        needle = search.lower()
        query = _where(select(*columns, func.count().over().label("matches")).select_from(_reports_from()), flt)
        query = query.where(or_(lowered(R.c[text_field]).contains(needle, autoescape=True),
                                lowered(C.c.name).contains(needle, autoescape=True))).order_by(*newest_first)
        return _frame(engine, query if limit is None else query.limit(limit))
    # Without a search no text needs reading but the few shown: the reports are counted from
    # the level sums (each report counts its cluster once) and ordered by their keys, and only
    # the first `limit` are read whole. (A count over the rows with their texts read every
    # text in the filter: 0.2 s for 20,000 reports.)
    matching = _where(select(R.c.id).select_from(_reports_from()), flt)
    total = (select(func.count()).select_from(matching.subquery()) if flt.clusters
             else _sums_where(select(func.coalesce(func.sum(S.c.clusters), 0)), flt)).scalar_subquery().label("matches")
    query = select(*columns, total).select_from(_reports_from())
    if limit is None:
        query = _where(query, flt)
    else:
        query = query.where(R.c.id.in_(matching.order_by(*newest_first).limit(limit)))
    return _frame(engine, query.order_by(*newest_first))


def rules(engine: Engine | Connection) -> Rules:
    """The programme's rules the database holds (every version, with its source)."""
    with _connected(engine) as conn:
        rows = conn.execute(select(G.c.rule, G.c.scope, G.c.valid_from, G.c.value, G.c.source, G.c.note)).all()
    return Rules(Rule(row.rule, row.scope, row.valid_from, None if row.value is None else float(row.value), row.source,
                      row.note or "") for row in rows)
