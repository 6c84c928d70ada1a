"""open orders import: an order brought over from the old system keeps its number there; an
import job names the process running it and keeps its upload for a retry after a crash

Revision ID: 0020_open_orders_import
Revises: 0019_credit_alerts
Create Date: 2026-11-30 07:00:00
"""

from __future__ import annotations

from alembic import op
import sqlalchemy as sa
import sqlmodel

revision = '0020_open_orders_import'
down_revision = '0019_credit_alerts'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sales_order") as batch:
        batch.add_column(
            sa.Column("legacy_number", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True)
        )
        batch.create_index("ix_sales_order_legacy_number", ["legacy_number"], unique=True)
    with op.batch_alter_table("import_job") as batch:
        batch.add_column(
            sa.Column("runner", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True)
        )
        batch.add_column(
            sa.Column("stored_file", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("import_job") as batch:
        batch.drop_column("stored_file")
        batch.drop_column("runner")
    with op.batch_alter_table("sales_order") as batch:
        batch.drop_index("ix_sales_order_legacy_number")
        batch.drop_column("legacy_number")
