"""The schema as it was at the first commit (8a413c9), before Alembic managed it.

Written out table by table, so that this migration stays what it is when schema.py changes.
A database created before Alembic (by `metadata.create_all` of that schema) is stamped at
this revision by `klynge.store.migrate`.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TABLES = ("report_warnings", "report_revisions", "annual_reports", "members", "programme_periods",
          "cluster_names", "meta", "import_log", "clusters")  # children before parents


def upgrade() -> None:
    op.create_table("clusters",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("region", sa.String(length=100), nullable=True),
        sa.Column("sector", sa.String(length=100), nullable=True),
        sa.Column("orgnr", sa.String(length=9), nullable=True),
        sa.Column("website", sa.String(length=300), nullable=True),
        sa.Column("esca_label", sa.String(length=20), nullable=True),
        sa.Column("esca_year", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clusters"))
    )
    op.create_index("ix_clusters_region", "clusters", ["region"], unique=False)
    op.create_index("ix_clusters_sector", "clusters", ["sector"], unique=False)

    op.create_table("import_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("files", sa.JSON(), nullable=False),
        sa.Column("reports_new", sa.Integer(), nullable=False),
        sa.Column("reports_replaced", sa.Integer(), nullable=False),
        sa.Column("reports_unchanged", sa.Integer(), nullable=False),
        sa.Column("files_rejected", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_log"))
    )

    op.create_table("meta",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_meta"))
    )

    op.create_table("annual_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cluster_id", sa.Integer(), nullable=False),
        sa.Column("report_year", sa.Integer(), nullable=False),
        sa.Column("cluster_name", sa.Text(), nullable=False),
        sa.Column("leader_name", sa.Text(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("steering_members", sa.Integer(), nullable=False),
        sa.Column("steering_business_reps", sa.Integer(), nullable=False),
        sa.Column("steering_women", sa.Integer(), nullable=False),
        sa.Column("mgmt_paid_persons", sa.Integer(), nullable=False),
        sa.Column("mgmt_paid_women", sa.Integer(), nullable=False),
        sa.Column("mgmt_fte", sa.Numeric(precision=14, scale=3, asdecimal=False), nullable=False),
        sa.Column("members_total", sa.Integer(), nullable=False),
        sa.Column("partners_total", sa.Integer(), nullable=False),
        sa.Column("members_cluster", sa.Integer(), nullable=False),
        sa.Column("members_public", sa.Integer(), nullable=False),
        sa.Column("members_rnd", sa.Integer(), nullable=False),
        sa.Column("members_innovation_company", sa.Integer(), nullable=False),
        sa.Column("members_startup", sa.Integer(), nullable=False),
        sa.Column("members_investor", sa.Integer(), nullable=False),
        sa.Column("members_association", sa.Integer(), nullable=False),
        sa.Column("members_established", sa.Integer(), nullable=False),
        sa.Column("activities_organised", sa.Integer(), nullable=False),
        sa.Column("activities_unique_participants", sa.Integer(), nullable=False),
        sa.Column("funding_national_mnok", sa.Numeric(precision=14, scale=3, asdecimal=False), nullable=False),
        sa.Column("funding_eu_mnok", sa.Numeric(precision=14, scale=3, asdecimal=False), nullable=False),
        sa.Column("international_activities_new", sa.Integer(), nullable=False),
        sa.Column("international_activities_description", sa.Text(), nullable=False),
        sa.Column("prog_competence_training", sa.Integer(), nullable=False),
        sa.Column("prog_competence_education", sa.Integer(), nullable=False),
        sa.Column("prog_intl_fairs", sa.Integer(), nullable=False),
        sa.Column("prog_intl_training", sa.Integer(), nullable=False),
        sa.Column("prog_intl_market_positions", sa.Integer(), nullable=False),
        sa.Column("prog_innovation_collaboration", sa.Integer(), nullable=False),
        sa.Column("prog_innovation_prestudy", sa.Integer(), nullable=False),
        sa.Column("prog_innovation_investment", sa.Integer(), nullable=False),
        sa.Column("prog_with_international_partners", sa.Integer(), nullable=False),
        sa.Column("prog_with_rnd", sa.Integer(), nullable=False),
        sa.Column("prog_new_cluster_collaborations", sa.Integer(), nullable=False),
        sa.Column("prog_new_cluster_collaborations_international", sa.Integer(), nullable=False),
        sa.Column("other_competence_projects", sa.Integer(), nullable=False),
        sa.Column("other_intl_projects", sa.Integer(), nullable=False),
        sa.Column("other_innovation_projects", sa.Integer(), nullable=False),
        sa.Column("other_with_international_partners", sa.Integer(), nullable=False),
        sa.Column("other_with_rnd", sa.Integer(), nullable=False),
        sa.Column("other_new_cluster_collaborations", sa.Integer(), nullable=False),
        sa.Column("other_new_cluster_collaborations_international", sa.Integer(), nullable=False),
        sa.Column("custom_type_projects", sa.Integer(), nullable=False),
        sa.Column("new_startups_assisted", sa.Integer(), nullable=False),
        sa.Column("new_jobs", sa.Integer(), nullable=False),
        sa.Column("story_societal", sa.Text(), nullable=False),
        sa.Column("story_societal_goals", sa.JSON(), nullable=False),
        sa.Column("story_effect", sa.Text(), nullable=False),
        sa.Column("source_file", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["cluster_id"], ["clusters.id"], name=op.f("fk_annual_reports_cluster_id_clusters"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["import_id"], ["import_log.id"], name=op.f("fk_annual_reports_import_id_import_log")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_annual_reports")),
        sa.UniqueConstraint("cluster_id", "report_year", name="uq_annual_reports_cluster_year")
    )
    op.create_index("ix_annual_reports_year", "annual_reports", ["report_year", "cluster_id"], unique=False)

    op.create_table("cluster_names",
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("cluster_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["cluster_id"], ["clusters.id"], name=op.f("fk_cluster_names_cluster_id_clusters"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("name_key", name=op.f("pk_cluster_names"))
    )
    op.create_index("ix_cluster_names_cluster_id", "cluster_names", ["cluster_id"], unique=False)

    op.create_table("members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cluster_id", sa.Integer(), nullable=False),
        sa.Column("orgnr", sa.String(length=9), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("member_type", sa.String(length=30), nullable=False),
        sa.Column("core_member", sa.Boolean(), nullable=False),
        sa.Column("joined", sa.Date(), nullable=False),
        sa.Column("left", sa.Date(), nullable=True),
        sa.CheckConstraint("member_type IN ('cluster', 'public', 'rnd', 'innovation_company', 'startup', 'investor', 'association', 'established')", name=op.f('ck_members_member_type')),
        sa.ForeignKeyConstraint(["cluster_id"], ["clusters.id"], name=op.f("fk_members_cluster_id_clusters"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_members"))
    )
    op.create_index("ix_members_cluster", "members", ["cluster_id", "member_type"], unique=False)

    op.create_table("programme_periods",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cluster_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("first_year", sa.Integer(), nullable=False),
        sa.Column("last_year", sa.Integer(), nullable=False),
        sa.Column("brand", sa.String(length=10), nullable=True),
        sa.CheckConstraint("level IN ('tidligfase', 'arena', 'arena_pro', 'moden')", name=op.f('ck_programme_periods_level')),
        sa.CheckConstraint("first_year <= last_year", name=op.f("ck_programme_periods_years")),
        sa.ForeignKeyConstraint(["cluster_id"], ["clusters.id"], name=op.f("fk_programme_periods_cluster_id_clusters"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_periods"))
    )
    op.create_index("ix_programme_periods_lookup", "programme_periods", ["cluster_id", "first_year", "last_year", "level"], unique=False)

    op.create_table("report_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cluster_id", sa.Integer(), nullable=False),
        sa.Column("report_year", sa.Integer(), nullable=False),
        sa.Column("report_values", sa.JSON(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("source_file", sa.Text(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("replaced_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("replaced_by_file", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["cluster_id"], ["clusters.id"], name=op.f("fk_report_revisions_cluster_id_clusters"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_revisions"))
    )
    op.create_index("ix_report_revisions_cluster_year", "report_revisions", ["cluster_id", "report_year"], unique=False)

    op.create_table("report_warnings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cluster_id", sa.Integer(), nullable=False),
        sa.Column("report_year", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=True),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("source_file", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["cluster_id"], ["clusters.id"], name=op.f("fk_report_warnings_cluster_id_clusters"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_warnings"))
    )
    op.create_index("ix_report_warnings_cluster_year", "report_warnings", ["cluster_id", "report_year"], unique=False)


def downgrade() -> None:
    for table in TABLES:
        op.drop_table(table)
