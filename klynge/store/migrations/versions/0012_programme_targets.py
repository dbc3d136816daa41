"""programme_targets and target_revisions: the programme's targets, with their sources.

Måloppnåelse showed each goal's indicators but no target, so it could not say whether a
goal is on track. A target (klynge.targets) is the value an indicator should reach by a year,
for a level or the whole programme, with the decision it comes from; it is imported from a
table, and a target given again replaces the old one, which is kept as a revision. This
migration creates both tables empty: a database holds no target until one is imported.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def _target() -> list[sa.Column]:
    """A target's columns, as in programme_targets and target_revisions."""
    return [
        sa.Column("indicator", sa.String(length=40), nullable=False),
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("target_year", sa.Integer(), nullable=False),
        sa.Column("from_year", sa.Integer(), nullable=True),
        sa.Column("value", sa.Numeric(precision=14, scale=3, asdecimal=False), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "programme_targets",
        *_target(),
        sa.ForeignKeyConstraint(["import_id"], ["import_log.id"], name="fk_programme_targets_import_id_import_log"),
        sa.PrimaryKeyConstraint("indicator", "scope", "target_year", name="pk_programme_targets"),
    )
    op.create_table(
        "target_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        *_target(),
        sa.Column("replaced_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("replaced_by_import", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["import_id"], ["import_log.id"], name="fk_target_revisions_import_id_import_log"),
        sa.ForeignKeyConstraint(["replaced_by_import"], ["import_log.id"],
                                name="fk_target_revisions_replaced_by_import_import_log"),
        sa.PrimaryKeyConstraint("id", name="pk_target_revisions"),
    )
    op.create_index("ix_target_revisions_target", "target_revisions", ["indicator", "scope", "target_year"])


def downgrade() -> None:
    op.drop_index("ix_target_revisions_target", table_name="target_revisions")
    op.drop_table("target_revisions")
    op.drop_table("programme_targets")
