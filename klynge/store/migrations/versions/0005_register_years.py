"""register_years: each cluster's member register counted in every year the reports cover.

The overview, members and qualification pages count every register in a year, and the
data-quality page compares every report's members by type with its register in the
report's year. Counting from `members` reads every membership: 0.3 s for one year of 5,000
registers of about 100, and 1.5–8 s for the reports of many years, on every filter change.
The counts change only when members or reports are imported, so the importer now keeps them
(klynge/store/derived.py). This migration creates the table and counts every register for
the years from the first report to the last (recorded in `meta` as `register_years`).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# The member types and their report fields when this migration was written.
TYPES = {"cluster": "members_cluster", "public": "members_public", "rnd": "members_rnd",
         "innovation_company": "members_innovation_company", "startup": "members_startup",
         "investor": "members_investor", "association": "members_association", "established": "members_established"}
COMPANY_TYPES = ("established", "startup")


def upgrade() -> None:
    table = op.create_table(
        "register_years",
        sa.Column("cluster_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        *[sa.Column(field, sa.Integer(), nullable=False) for field in TYPES.values()],
        sa.Column("core_members", sa.Integer(), nullable=False),
        sa.Column("core_companies", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["cluster_id"], ["clusters.id"], name="fk_register_years_cluster_id_clusters",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("cluster_id", "year", name="pk_register_years"),
    )
    op.create_index("ix_register_years_year", "register_years", ["year"], unique=False)
    reports = sa.table("annual_reports", sa.column("report_year", sa.Integer))
    meta = sa.table("meta", sa.column("key", sa.String), sa.column("value", sa.Text))
    op.execute(sa.delete(meta).where(meta.c.key == "register_years"))
    first, last = op.get_bind().execute(sa.select(sa.func.min(reports.c.report_year), sa.func.max(reports.c.report_year))).one()
    if first is None:
        return
    members = sa.table("members", sa.column("cluster_id", sa.Integer), sa.column("member_type", sa.String),
                       sa.column("core_member", sa.Boolean), sa.column("joined", sa.Date), sa.column("left", sa.Date))
    years = sa.union_all(*(sa.select(sa.literal(year, sa.Integer).label("year"),
                                     sa.literal(dt.date(year, 1, 1), sa.Date).label("starts"),
                                     sa.literal(dt.date(year, 12, 31), sa.Date).label("ends"))
                           for year in range(first, last + 1))).subquery("years")
    active = sa.and_(members.c.joined <= years.c.ends, sa.or_(members.c.left.is_(None), members.c.left >= years.c.starts))
    core = members.c.core_member.is_(True)
    counted = sa.select(
        members.c.cluster_id, years.c.year,
        *[sa.func.sum(sa.case((members.c.member_type == code, 1), else_=0)).label(field) for code, field in TYPES.items()],
        sa.func.sum(sa.case((core, 1), else_=0)).label("core_members"),
        sa.func.sum(sa.case((sa.and_(core, members.c.member_type.in_(COMPANY_TYPES)), 1), else_=0)).label("core_companies"),
    ).select_from(members.join(years, active)).group_by(members.c.cluster_id, years.c.year)
    op.execute(sa.insert(table).from_select(["cluster_id", "year", *TYPES.values(), "core_members", "core_companies"], counted))
    op.execute(sa.insert(meta).values(key="register_years", value=f"{first}-{last}"))


def downgrade() -> None:
    meta = sa.table("meta", sa.column("key", sa.String))
    op.execute(sa.delete(meta).where(meta.c.key == "register_years"))
    op.drop_index("ix_register_years_year", table_name="register_years")
    op.drop_table("register_years")
