"""year_changes: each report's watched figures that changed by at least a factor of two from
the cluster's report the year before, kept at import.

The data-quality page searches for year-over-year jumps on every visit. Joining every report
to the cluster's report of the year before cost 0.4-0.6 s at 5,000 clusters over 20 years;
the few changes of a factor of two or more are now kept (klynge/store/derived.py), and a
search for a factor of two or more reads only those. This migration creates the table and
finds the changes in the reports once.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# The watched figures and their least values when this migration was written
# (klynge.domain.JUMP_FIELDS), and the factor kept (KEPT_JUMP_FACTOR).
FIELDS = {"members_total": 10, "partners_total": 10, "activities_organised": 5, "activities_unique_participants": 50,
          "funding_national_mnok": 1.0, "funding_eu_mnok": 1.0, "international_activities_new": 5, "new_jobs": 10}
FACTOR = 2.0
NEAR_ZERO = 1e-9


def upgrade() -> None:
    table = op.create_table(
        "year_changes",
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("before_id", sa.Integer(), nullable=False),
        sa.Column("change", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["report_id"], ["annual_reports.id"], name="fk_year_changes_report_id_annual_reports",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["before_id"], ["annual_reports.id"], name="fk_year_changes_before_id_annual_reports",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("report_id", "field", name="pk_year_changes"),
    )
    op.create_index("ix_year_changes_change", "year_changes", ["change"])
    reports = sa.table("annual_reports", sa.column("id", sa.Integer), sa.column("cluster_id", sa.Integer),
                       sa.column("report_year", sa.Integer), *[sa.column(name, sa.Numeric) for name in FIELDS])
    before = reports.alias("before")
    parts = []
    for name, least in FIELDS.items():
        now, then = reports.c[name], before.c[name]
        high = sa.case((now >= then, now), else_=then)
        low = sa.case((now >= then, then), else_=now)
        # As floating point on every engine (an integer CASE would make NEAR_ZERO a zero).
        change = (sa.cast(high, sa.Float) / sa.case((low > 0, sa.cast(low, sa.Float)), else_=sa.literal(NEAR_ZERO, sa.Float))
                  ).label("change")
        parts.append(sa.select(reports.c.id.label("report_id"), sa.literal(name, sa.String(40)).label("field"),
                               before.c.id.label("before_id"), change)
                     .select_from(reports.join(before, sa.and_(before.c.cluster_id == reports.c.cluster_id,
                                                               before.c.report_year == reports.c.report_year - 1)))
                     .where(now.is_not(None), then.is_not(None), high >= least,
                            high >= FACTOR * sa.case((low > 0, low), else_=0)))
    op.execute(sa.insert(table).from_select(["report_id", "field", "before_id", "change"], sa.union_all(*parts)))


def downgrade() -> None:
    op.drop_index("ix_year_changes_change", table_name="year_changes")
    op.drop_table("year_changes")
