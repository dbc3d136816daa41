"""The member register counted in each report's year, kept in `report_registers`.

`counted` is the definition: a member is in the register in a year when it joined in or
before that year and had not left before it. `refresh` writes what it gives for some
clusters (or all) and is called by the importer, in the transaction that writes those
clusters' members or reports, so the table never disagrees with the rows it comes from.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, Select, and_, case, delete, func, insert, or_, select

from klynge.domain import MEMBER_TYPES
from klynge.store import schema

R = schema.annual_reports
M = schema.members
T = schema.report_registers
COUNT_COLUMNS = ["cluster_id", "report_year", *(member_type.report_field for member_type in MEMBER_TYPES)]
_CHUNK = 500


def counted(cluster_ids: Iterable[int] | None = None) -> Select:
    """Per report (of the given clusters, or all) whose cluster had members that year: the
    register's members by type in the report's year."""
    active = and_(M.c.cluster_id == R.c.cluster_id, func.extract("year", M.c.joined) <= R.c.report_year,
                  or_(M.c.left.is_(None), func.extract("year", M.c.left) >= R.c.report_year))
    counts = [func.sum(case((M.c.member_type == t.code, 1), else_=0)).label(t.report_field) for t in MEMBER_TYPES]
    query = select(R.c.cluster_id, R.c.report_year, *counts).select_from(R.join(M, active))
    if cluster_ids is not None:
        query = query.where(R.c.cluster_id.in_(list(cluster_ids)))
    return query.group_by(R.c.cluster_id, R.c.report_year)


def refresh(conn: Connection, cluster_ids: Iterable[int] | None = None) -> None:
    """Count the registers of these clusters (None: of every cluster) again."""
    if cluster_ids is None:
        conn.execute(delete(T))
        conn.execute(insert(T).from_select(COUNT_COLUMNS, counted()))
        return
    ids = sorted(set(cluster_ids))
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        conn.execute(delete(T).where(T.c.cluster_id.in_(chunk)))
        conn.execute(insert(T).from_select(COUNT_COLUMNS, counted(chunk)))
