"""level_middles: the middle of each figure's order per year and level, kept at import.

The cluster profile and the comparison set a cluster beside the median of its peers (the
other clusters at its level that year). That median leaves the chosen clusters out, so it
cannot be summed at import as the level sums are, and each visit read every report of every
year: 1.1-1.3 s of SQL at 5,000 clusters over 20 years. The median without a few clusters
lies in the middle of the order of all of them; the importer now keeps that middle
(klynge/peer_medians.py). Some of the figures are derived with the programme's rules, which
only the application knows, so this migration creates the table empty; `klynge.store.migrate`
fills it with the application's code once the database is at head, and until it is filled
the medians are computed from the reports, as before.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "level_middles",
        sa.Column("figure", sa.String(length=40), nullable=False),
        sa.Column("report_year", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("cluster_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["cluster_id"], ["clusters.id"], name="fk_level_middles_cluster_id_clusters",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("figure", "report_year", "level", "position", name="pk_level_middles"),
    )
    # The new table is empty, whatever a copied `meta` says: it is filled at head.
    op.execute(sa.text("DELETE FROM meta WHERE key = 'level_middles'"))


def downgrade() -> None:
    op.drop_table("level_middles")
    op.execute(sa.text("DELETE FROM meta WHERE key = 'level_middles'"))
