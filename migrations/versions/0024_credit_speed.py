"""credit speed: the index the credit behaviour reads the invoices through, by customer and due
date (on PostgreSQL carrying the columns the payment days read, for an index-only scan)

Revision ID: 0024_credit_speed
Revises: 0023_import_steps
Create Date: 2026-11-30 13:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0024_credit_speed"
down_revision = "0023_import_steps"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_invoice_credit",
        "invoice",
        ["customer_id", "due_date"],
        unique=False,
        postgresql_include=["id", "kind", "status", "total", "outstanding", "dunning_level"],
    )


def downgrade() -> None:
    op.drop_index("ix_invoice_credit", table_name="invoice")
