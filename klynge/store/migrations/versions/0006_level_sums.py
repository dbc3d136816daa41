"""level_sums: per year, level, county and sector ("" for none), the clusters that reported
and the sum of every figure, kept at import.

The overview and most pages show per-level sums over the selected years. Summing them from
the reports reads every report of those years (0.1–0.4 s at 5,000 clusters over 20 years,
on every filter change); the sums per year, level, county and sector are a few thousand
rows that any filter of those four adds up. The importer now keeps them
(klynge/store/derived.py); this migration creates the table and sums every report once.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# The report's figures when this migration was written (all counts but these amounts).
FIGURES = (
    "steering_members", "steering_business_reps", "steering_women", "mgmt_paid_persons",
    "mgmt_paid_women", "mgmt_fte", "members_total", "partners_total",
    "members_cluster", "members_public", "members_rnd", "members_innovation_company",
    "members_startup", "members_investor", "members_association", "members_established",
    "activities_organised", "activities_unique_participants", "funding_national_mnok", "funding_eu_mnok",
    "international_activities_new", "prog_competence_training", "prog_competence_education", "prog_intl_fairs",
    "prog_intl_training", "prog_intl_market_positions", "prog_innovation_collaboration", "prog_innovation_prestudy",
    "prog_innovation_investment", "prog_with_international_partners", "prog_with_rnd", "prog_new_cluster_collaborations",
    "prog_new_cluster_collaborations_international", "other_competence_projects", "other_intl_projects", "other_innovation_projects",
    "other_with_international_partners", "other_with_rnd", "other_new_cluster_collaborations", "other_new_cluster_collaborations_international",
    "custom_type_projects", "new_startups_assisted", "new_jobs",
)
AMOUNTS = ("mgmt_fte", "funding_national_mnok", "funding_eu_mnok")


def _type(name: str) -> sa.types.TypeEngine:
    return sa.Numeric(precision=14, scale=3, asdecimal=False) if name in AMOUNTS else sa.Integer()


def upgrade() -> None:
    table = op.create_table(
        "level_sums",
        sa.Column("report_year", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("region", sa.String(length=100), nullable=False),
        sa.Column("sector", sa.String(length=100), nullable=False),
        sa.Column("clusters", sa.Integer(), nullable=False),
        *[sa.Column(name, _type(name), nullable=False) for name in FIGURES],
        sa.PrimaryKeyConstraint("report_year", "level", "region", "sector", name="pk_level_sums"),
    )
    reports = sa.table("annual_reports", sa.column("cluster_id", sa.Integer), sa.column("report_year", sa.Integer),
                       *[sa.column(name, _type(name)) for name in FIGURES])
    clusters = sa.table("clusters", sa.column("id", sa.Integer), sa.column("region", sa.String), sa.column("sector", sa.String))
    periods = sa.table("programme_periods", sa.column("cluster_id", sa.Integer), sa.column("level", sa.String),
                       sa.column("first_year", sa.Integer), sa.column("last_year", sa.Integer))
    level = sa.func.coalesce(periods.c.level, sa.literal("utenfor"))
    joined = reports.join(clusters, clusters.c.id == reports.c.cluster_id).outerjoin(
        periods, sa.and_(periods.c.cluster_id == clusters.c.id, reports.c.report_year >= periods.c.first_year,
                         reports.c.report_year <= periods.c.last_year))
    region, sector = sa.func.coalesce(clusters.c.region, sa.literal("")), sa.func.coalesce(clusters.c.sector, sa.literal(""))
    summed = sa.select(reports.c.report_year, level.label("level"), region.label("region"), sector.label("sector"),
                       sa.func.count(sa.distinct(reports.c.cluster_id)).label("clusters"),
                       *[sa.func.sum(reports.c[name]).label(name) for name in FIGURES]
                       ).select_from(joined).group_by(reports.c.report_year, level, region, sector)
    op.execute(sa.insert(table).from_select(["report_year", "level", "region", "sector", "clusters", *FIGURES], summed))


def downgrade() -> None:
    op.drop_table("level_sums")
