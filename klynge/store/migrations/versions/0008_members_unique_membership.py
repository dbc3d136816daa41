"""members: one row per cluster, organisation and start date, made impossible to break.

The importer always rejected a file listing a membership twice, but two members imports
running at once on PostgreSQL could each write their register and leave the union (fixed
in the importer by an advisory lock). A unique index now makes a duplicate impossible
whatever writes the table. Duplicates already there (from that race) are removed first,
keeping the first row written of each.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DELETE FROM members WHERE id NOT IN "
               "(SELECT first_id FROM (SELECT MIN(id) AS first_id FROM members GROUP BY cluster_id, orgnr, joined) AS firsts)")
    op.create_index("uq_members_membership", "members", ["cluster_id", "orgnr", "joined"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_members_membership", table_name="members")
