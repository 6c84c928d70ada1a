"""credit review open: the reviews' status index kept for the proposals that wait alone (a
partial index), not for the thousands of reviews a monthly run writes with nothing proposed

Revision ID: 0026_credit_review_open
Revises: 0025_invoice_settled_on
Create Date: 2026-11-30 19:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0026_credit_review_open"
down_revision = "0025_invoice_settled_on"
branch_labels = None
depends_on = None

OPEN_REVIEW = "status = 'OPEN'"


def upgrade() -> None:
    op.drop_index("ix_credit_review_status", table_name="credit_review")
    where = {"sqlite_where": sa.text(OPEN_REVIEW), "postgresql_where": sa.text(OPEN_REVIEW)}
    op.create_index("ix_credit_review_open", "credit_review", ["customer_id"], **where)


def downgrade() -> None:
    op.drop_index("ix_credit_review_open", table_name="credit_review")
    op.create_index("ix_credit_review_status", "credit_review", ["status"])
