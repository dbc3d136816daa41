"""Tables derived from the imported rows, for reads that would otherwise go through every
membership or every report on each filter change. The importer keeps them in the same
transaction as the rows they come from, so they never disagree with those rows; nothing
else writes them.

- `register_years`: each cluster's member register counted in every year the reports cover.
  `counted` is the definition: a member is in the register in a year when it joined in or
  before that year and had not left before it. Refreshed for the clusters an import
  touches, and for every cluster when the years the reports cover change.
- `level_sums`: per year, level, county and sector ("" for none), the reporting clusters and
  the sum of every figure (`summed` is the definition). Refreshed whole on every import (under a
  second at 100,000 reports), as periods, clusters and reports all move it.
- `year_changes`: each report's watched figures that changed by at least
  `KEPT_JUMP_FACTOR` from the cluster's report the year before (`changed` is the
  definition). Refreshed whole on every import, as any report moves its own row and the
  next year's.
- `register_mismatches`: the reports whose members by type differ from the register that
  year (`mismatched`). Refreshed whole on every import, after `register_years`.
- `suspect_member_names`: members whose name holds a lead character of a misread encoding
  (`suspects`). Refreshed for the clusters an import touches, like `register_years`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import (
    Connection,
    Date,
    Float,
    Integer,
    Select,
    String,
    and_,
    case,
    cast,
    delete,
    distinct,
    func,
    insert,
    literal,
    or_,
    select,
    union_all,
)

from klynge.domain import COMPANY_TYPES, JUMP_FIELDS, KEPT_JUMP_FACTOR, MEMBER_COUNT_FIELDS, MEMBER_TYPES, OUTSIDE_LEVEL
from klynge.encoding import MOJIBAKE_LEADS
from klynge.reports.fields import SUMMED_FIELDS
from klynge.store import schema

R = schema.annual_reports
M = schema.members
C = schema.clusters
P = schema.programme_periods
Y = schema.register_years
S = schema.level_sums
J = schema.year_changes
MM = schema.register_mismatches
SN = schema.suspect_member_names
COUNT_COLUMNS = ["cluster_id", "year", *(t.report_field for t in MEMBER_TYPES), "core_members", "core_companies"]
SUM_COLUMNS = ["report_year", "level", "region", "sector", "clusters", *SUMMED_FIELDS]
YEARS_KEY = "register_years"  # in `meta`: the years `register_years` covers, "2019-2025"
_CHUNK = 500


def counted(first_year: int, last_year: int, cluster_ids: Iterable[int] | Select | None = None) -> Select:
    """Per cluster (of the given ones, a list or a select of ids, or all) and year from
    `first_year` to `last_year` in which it had members: its register's members by type,
    core members and core member companies."""
    # The years as rows (a UNION, as SQLite cannot name the columns of a VALUES list).
    years = union_all(*(select(literal(year, Integer).label("year"), literal(dt.date(year, 1, 1), Date).label("starts"),
                               literal(dt.date(year, 12, 31), Date).label("ends"))
                        for year in range(first_year, last_year + 1))).subquery("years")
    active = and_(M.c.joined <= years.c.ends, or_(M.c.left.is_(None), M.c.left >= years.c.starts))
    core = M.c.core_member.is_(True)
    query = select(
        M.c.cluster_id, years.c.year,
        *[func.sum(case((M.c.member_type == t.code, 1), else_=0)).label(t.report_field) for t in MEMBER_TYPES],
        func.sum(case((core, 1), else_=0)).label("core_members"),
        func.sum(case((and_(core, M.c.member_type.in_(COMPANY_TYPES)), 1), else_=0)).label("core_companies"),
    ).select_from(M.join(years, active))
    if cluster_ids is not None:
        query = query.where(M.c.cluster_id.in_(cluster_ids if isinstance(cluster_ids, Select) else list(cluster_ids)))
    return query.group_by(M.c.cluster_id, years.c.year)


def _year_by_year(query: Select) -> Select:
    """`query` (of `counted`) in year order: written so, a year's rows lie side by side, and
    the pages read a year at a time."""
    return query.order_by(query.selected_columns.year, query.selected_columns.cluster_id)


def summed() -> Select:
    """Per year, level (the cluster's level that year, `utenfor` when none), county and
    sector: the clusters that reported and the sum of every figure."""
    level = func.coalesce(P.c.level, literal(OUTSIDE_LEVEL))
    reports = R.join(C, C.c.id == R.c.cluster_id).outerjoin(
        P, and_(P.c.cluster_id == C.c.id, R.c.report_year >= P.c.first_year, R.c.report_year <= P.c.last_year))
    region, sector = func.coalesce(C.c.region, literal("")), func.coalesce(C.c.sector, literal(""))
    return select(R.c.report_year, level.label("level"), region.label("region"), sector.label("sector"),
                  func.count(distinct(R.c.cluster_id)).label("clusters"),
                  *[func.sum(R.c[name]).label(name) for name in SUMMED_FIELDS]
                  ).select_from(reports).group_by(R.c.report_year, level, region, sector)


# A zero is counted as this, so that a change from 0 to any value is a (large) factor.
NEAR_ZERO = 1e-9


def changed(factor: float = KEPT_JUMP_FACTOR) -> Select:
    """Per report and watched figure (`JUMP_FIELDS`, with the least value that counts): the
    cluster's report of the year before and the change, the larger value over the smaller
    (a zero as NEAR_ZERO), where either value reaches the least that counts and the change
    is at least `factor`. Reports without a report the year before, or a figure missing in
    either year, have none."""
    before = R.alias("before")
    parts = []
    for name, least in JUMP_FIELDS.items():
        now, then = R.c[name], before.c[name]
        high = case((now >= then, now), else_=then)
        low = case((now >= then, then), else_=now)
        # As floating point on every engine (an integer CASE would make NEAR_ZERO a zero).
        change = (cast(high, Float) / case((low > 0, cast(low, Float)), else_=literal(NEAR_ZERO, Float))
                  ).label("change")
        parts.append(select(R.c.id.label("report_id"), literal(name, String(40)).label("field"), before.c.id.label("before_id"),
                            change)
                     .select_from(R.join(before, and_(before.c.cluster_id == R.c.cluster_id,
                                                      before.c.report_year == R.c.report_year - 1)))
                     .where(now.is_not(None), then.is_not(None), high >= least, high >= factor * case((low > 0, low), else_=0)))
    return union_all(*parts)


def mismatched() -> Select:
    """The reports whose members by type differ from their cluster's register (as
    `register_years` counts it) in the report's year; clusters with no register that year
    have none."""
    return select(R.c.id.label("report_id")).select_from(
        R.join(Y, and_(Y.c.cluster_id == R.c.cluster_id, Y.c.year == R.c.report_year))
    ).where(or_(*(Y.c[field] != R.c[field] for field in MEMBER_COUNT_FIELDS)))


def suspects(cluster_ids: Iterable[int] | None = None) -> Select:
    """The members (of the given clusters, or all) whose name holds a lead character of
    UTF-8 read as Windows-1252 (`encoding.MOJIBAKE_LEADS`)."""
    query = select(M.c.id.label("member_id"), M.c.cluster_id).where(
        or_(*(M.c.name.contains(lead, autoescape=True) for lead in MOJIBAKE_LEADS)))
    return query if cluster_ids is None else query.where(M.c.cluster_id.in_(list(cluster_ids)))


def covered_years(conn: Connection) -> tuple[int, int] | None:
    """The years `register_years` holds (None: none yet)."""
    text = conn.execute(select(schema.meta.c.value).where(schema.meta.c.key == YEARS_KEY)).scalar()
    if not text:
        return None
    first, last = text.split("-")
    return int(first), int(last)


def refresh(conn: Connection, cluster_ids: Iterable[int] | None = None) -> None:
    """Derive the tables again after an import that wrote these clusters' rows (None: any)."""
    _refresh_registers(conn, cluster_ids)
    conn.execute(delete(S))
    conn.execute(insert(S).from_select(SUM_COLUMNS, summed()))
    conn.execute(delete(J))
    conn.execute(insert(J).from_select(["report_id", "field", "before_id", "change"], changed()))
    conn.execute(delete(MM))
    conn.execute(insert(MM).from_select(["report_id"], mismatched()))
    _refresh_suspects(conn, cluster_ids)


def _refresh_suspects(conn: Connection, cluster_ids: Iterable[int] | None) -> None:
    if cluster_ids is None:
        conn.execute(delete(SN))
        conn.execute(insert(SN).from_select(["member_id", "cluster_id"], suspects()))
        return
    ids = sorted(set(cluster_ids))
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        conn.execute(delete(SN).where(SN.c.cluster_id.in_(chunk)))
        conn.execute(insert(SN).from_select(["member_id", "cluster_id"], suspects(chunk)))


def _refresh_registers(conn: Connection, cluster_ids: Iterable[int] | None) -> None:
    first, last = conn.execute(select(func.min(R.c.report_year), func.max(R.c.report_year))).one()
    years = None if first is None else (int(first), int(last))
    if years != covered_years(conn):  # new years: every register is counted for them all
        cluster_ids = None
        conn.execute(delete(schema.meta).where(schema.meta.c.key == YEARS_KEY))
        if years is not None:
            conn.execute(insert(schema.meta).values(key=YEARS_KEY, value=f"{years[0]}-{years[1]}"))
    if cluster_ids is None:
        conn.execute(delete(Y))
        if years is not None:
            conn.execute(insert(Y).from_select(COUNT_COLUMNS, _year_by_year(counted(*years))))
        return
    ids = sorted(set(cluster_ids))
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        conn.execute(delete(Y).where(Y.c.cluster_id.in_(chunk)))
        if years is not None:
            conn.execute(insert(Y).from_select(COUNT_COLUMNS, _year_by_year(counted(*years, cluster_ids=chunk))))
