"""invoice settled on: the day a settled invoice's last payment allocation was made, kept on the
invoice, so the credit behaviour's payment days read it from the covering index
`ix_invoice_credit` instead of grouping every payment allocation

Revision ID: 0025_invoice_settled_on
Revises: 0024_credit_speed
Create Date: 2026-11-30 16:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0025_invoice_settled_on"
down_revision = "0024_credit_speed"
branch_labels = None
depends_on = None

# The settled invoices, each on its last payment allocation not reversed (none when credited or
# written off), as `activities/receivables/invoice_balance.py` keeps it from now on.
BACKFILL = """
UPDATE invoice SET settled_on = (
    SELECT max(a.allocated_on) FROM payment_allocation a
    WHERE a.invoice_id = invoice.id AND a.reversed_on IS NULL
)
WHERE outstanding <= 0
"""


def _index(include: list[str]) -> None:
    op.create_index(
        "ix_invoice_credit",
        "invoice",
        ["customer_id", "due_date"],
        unique=False,
        postgresql_include=include,
    )


def upgrade() -> None:
    op.add_column("invoice", sa.Column("settled_on", sa.Date(), nullable=True))
    op.execute(BACKFILL)
    if op.get_bind().dialect.name == "postgresql":  # SQLite's index carries no columns
        op.drop_index("ix_invoice_credit", table_name="invoice")
        _index(["kind", "status", "total", "outstanding", "settled_on", "dunning_level"])


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_invoice_credit", table_name="invoice")
        _index(["id", "kind", "status", "total", "outstanding", "dunning_level"])
    with op.batch_alter_table("invoice") as batch:
        batch.drop_column("settled_on")
