"""import steps: an import job records each kind it committed, so a retry after a crash goes on
from the next one

Revision ID: 0023_import_steps
Revises: 0022_data_key_upkeep
Create Date: 2026-11-30 09:00:00
"""

from __future__ import annotations

from alembic import op
import sqlalchemy as sa

revision = "0023_import_steps"
down_revision = "0022_data_key_upkeep"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("import_job") as batch:
        batch.add_column(sa.Column("steps", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("import_job") as batch:
        batch.drop_column("steps")
