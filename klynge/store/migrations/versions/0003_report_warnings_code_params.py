"""report_warnings.code and .params: the kind of consistency check and its figures.

With them the dashboard words a stored warning in the reader's language instead of showing
the English message the CLI prints. Warnings stored before this migration keep their message
and get NULL for both (the dashboard then shows the message as it is).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("report_warnings") as batch:
        batch.add_column(sa.Column("code", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("params", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("report_warnings") as batch:
        batch.drop_column("params")
        batch.drop_column("code")
