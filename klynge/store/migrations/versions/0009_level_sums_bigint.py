"""level_sums: the sums of counts as 64-bit integers.

Each report's count is checked to fit an integer column (2,147,483,647 at most), but the
sum of many reports in one year, level, county and sector need not: PostgreSQL refused
such an import with "integer out of range" while SQLite (64-bit integers) took it. The
summed count columns become BIGINT on both.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# The summed counts when this migration was written (level_sums' columns but the amounts).
COUNTS = (
    "steering_members", "steering_business_reps", "steering_women", "mgmt_paid_persons",
    "mgmt_paid_women", "members_total", "partners_total",
    "members_cluster", "members_public", "members_rnd", "members_innovation_company",
    "members_startup", "members_investor", "members_association", "members_established",
    "activities_organised", "activities_unique_participants",
    "international_activities_new", "prog_competence_training", "prog_competence_education", "prog_intl_fairs",
    "prog_intl_training", "prog_intl_market_positions", "prog_innovation_collaboration", "prog_innovation_prestudy",
    "prog_innovation_investment", "prog_with_international_partners", "prog_with_rnd", "prog_new_cluster_collaborations",
    "prog_new_cluster_collaborations_international", "other_competence_projects", "other_intl_projects", "other_innovation_projects",
    "other_with_international_partners", "other_with_rnd", "other_new_cluster_collaborations", "other_new_cluster_collaborations_international",
    "custom_type_projects", "new_startups_assisted", "new_jobs",
)


def _retype(old: sa.types.TypeEngine, new: sa.types.TypeEngine) -> None:
    with op.batch_alter_table("level_sums") as batch:
        for name in COUNTS:
            batch.alter_column(name, existing_type=old, type_=new, existing_nullable=False)


def upgrade() -> None:
    _retype(sa.Integer(), sa.BigInteger())


def downgrade() -> None:
    _retype(sa.BigInteger(), sa.Integer())
