"""credit alerts: what the credit managers were last told of each customer (utilisation band and
grade), so each crossing of 80 % or 100 % utilisation and each grade drop is mailed once

Revision ID: 0019_credit_alerts
Revises: 0018_stored_documents
Create Date: 2026-11-30 07:00:00
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0019_credit_alerts'
down_revision = '0018_stored_documents'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'credit_alert_state',
        sa.Column('customer_id', sa.Integer(), nullable=False),
        sa.Column(
            'band', sa.Enum('BELOW_80', 'FROM_80', 'ABOVE_100', name='utilisationband'), nullable=False
        ),
        # The type `grade` exists since 0016 (credit_review.grade).
        sa.Column(
            'grade',
            postgresql.ENUM('A', 'B', 'C', 'D', 'E', name='grade', create_type=False),
            nullable=True,
        ),
        sa.Column('updated_on', sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(['customer_id'], ['customer.id']),
        sa.PrimaryKeyConstraint('customer_id'),
    )


def downgrade() -> None:
    op.drop_table('credit_alert_state')
    sa.Enum(name='utilisationband').drop(op.get_bind(), checkfirst=True)
