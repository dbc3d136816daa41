"""register_mismatches and suspect_member_names: two more data-quality searches kept at import.

The data-quality page compared every report with its cluster's register (0.2-0.6 s at 5,000
clusters over 20 years) and searched every member's name for a lead character of a misread
encoding (0.3-0.7 s over half a million members) on each visit. The importer now keeps the
reports that differ and the members whose names are suspect (klynge/store/derived.py); this
migration creates the two tables and fills them once.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# When this migration was written: the member counts by type (klynge.domain.MEMBER_COUNT_FIELDS)
# and the lead characters of UTF-8 read as Windows-1252 (klynge.encoding.MOJIBAKE_LEADS).
COUNTS = ("members_cluster", "members_public", "members_rnd", "members_innovation_company", "members_startup",
          "members_investor", "members_association", "members_established")
LEADS = "ÃÂâ"


def upgrade() -> None:
    mismatches = op.create_table(
        "register_mismatches",
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["report_id"], ["annual_reports.id"], name="fk_register_mismatches_report_id_annual_reports",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("report_id", name="pk_register_mismatches"),
    )
    suspects = op.create_table(
        "suspect_member_names",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("cluster_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], name="fk_suspect_member_names_member_id_members",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["cluster_id"], ["clusters.id"], name="fk_suspect_member_names_cluster_id_clusters",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("member_id", name="pk_suspect_member_names"),
    )
    op.create_index("ix_suspect_member_names_cluster_id", "suspect_member_names", ["cluster_id"])
    reports = sa.table("annual_reports", sa.column("id", sa.Integer), sa.column("cluster_id", sa.Integer),
                       sa.column("report_year", sa.Integer), *[sa.column(name, sa.Integer) for name in COUNTS])
    registers = sa.table("register_years", sa.column("cluster_id", sa.Integer), sa.column("year", sa.Integer),
                         *[sa.column(name, sa.Integer) for name in COUNTS])
    differing = sa.select(reports.c.id).select_from(
        reports.join(registers, sa.and_(registers.c.cluster_id == reports.c.cluster_id, registers.c.year == reports.c.report_year))
    ).where(sa.or_(*(registers.c[name] != reports.c[name] for name in COUNTS)))
    op.execute(sa.insert(mismatches).from_select(["report_id"], differing))
    members = sa.table("members", sa.column("id", sa.Integer), sa.column("cluster_id", sa.Integer), sa.column("name", sa.String))
    suspect = sa.select(members.c.id, members.c.cluster_id).where(
        sa.or_(*(members.c.name.contains(lead, autoescape=True) for lead in LEADS)))
    op.execute(sa.insert(suspects).from_select(["member_id", "cluster_id"], suspect))


def downgrade() -> None:
    op.drop_index("ix_suspect_member_names_cluster_id", table_name="suspect_member_names")
    op.drop_table("suspect_member_names")
    op.drop_table("register_mismatches")
