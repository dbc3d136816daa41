"""report_revisions.import_id: the import that wrote the version a revision keeps.

Before this, a replaced version kept its file and time but lost the link to `import_log`
that the current version has in `annual_reports.import_id`; with it, every version of a
report can be traced to its import. Revisions kept before this migration get NULL (unknown):
the import log does not say reliably which import wrote them.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

FOREIGN_KEY = "fk_report_revisions_import_id_import_log"


def upgrade() -> None:
    with op.batch_alter_table("report_revisions") as batch:
        batch.add_column(sa.Column("import_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(FOREIGN_KEY, "import_log", ["import_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("report_revisions") as batch:
        batch.drop_constraint(FOREIGN_KEY, type_="foreignkey")
        batch.drop_column("import_id")
