"""report_registers: the member register counted in each report's year, kept at import.

The data-quality page compares every report's members by type with the register in the
report's year. Counting that from `members` joins each report with its cluster's whole
register: at 5,000 clusters with registers of about 100 and 20 years of reports, 1.5–8 s on
every filter change. The counts change only when members or reports are imported, so the
importer now keeps them (klynge/store/registers.py) and the page reads one row per report.
This migration creates the table and counts every register once.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""

from __future__ import annotations

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


def upgrade() -> None:
    table = op.create_table(
        "report_registers",
        sa.Column("cluster_id", sa.Integer(), nullable=False),
        sa.Column("report_year", sa.Integer(), nullable=False),
        *[sa.Column(field, sa.Integer(), nullable=False) for field in TYPES.values()],
        sa.ForeignKeyConstraint(["cluster_id"], ["clusters.id"], name="fk_report_registers_cluster_id_clusters",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("cluster_id", "report_year", name="pk_report_registers"),
    )
    reports = sa.table("annual_reports", sa.column("cluster_id", sa.Integer), sa.column("report_year", sa.Integer))
    members = sa.table("members", sa.column("cluster_id", sa.Integer), sa.column("member_type", sa.String),
                       sa.column("joined", sa.Date), sa.column("left", sa.Date))
    active = sa.and_(members.c.cluster_id == reports.c.cluster_id,
                     sa.func.extract("year", members.c.joined) <= reports.c.report_year,
                     sa.or_(members.c.left.is_(None), sa.func.extract("year", members.c.left) >= reports.c.report_year))
    counts = [sa.func.sum(sa.case((members.c.member_type == code, 1), else_=0)).label(field) for code, field in TYPES.items()]
    counted = (sa.select(reports.c.cluster_id, reports.c.report_year, *counts)
               .select_from(reports.join(members, active)).group_by(reports.c.cluster_id, reports.c.report_year))
    op.execute(sa.insert(table).from_select(["cluster_id", "report_year", *TYPES.values()], counted))


def downgrade() -> None:
    op.drop_table("report_registers")
