"""ageing since index: the receivable ledger lines by posting date, so the ageing as of a past
day reads the lines posted after it as one range

Revision ID: 0015_ageing_since_index
Revises: 0014_customer_encryption
Create Date: 2026-11-30 06:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0015_ageing_since_index'
down_revision = '0014_customer_encryption'
branch_labels = None
depends_on = None

RECEIVABLE = sa.text("account = 'RECEIVABLES'")


def upgrade() -> None:
    op.create_index(
        'ix_ledger_line_receivable_since',
        'ledger_line',
        ['posted_on', 'invoice_id', 'debit', 'credit'],
        unique=False,
        sqlite_where=RECEIVABLE,
        postgresql_where=RECEIVABLE,
    )


def downgrade() -> None:
    op.drop_index('ix_ledger_line_receivable_since', table_name='ledger_line')
