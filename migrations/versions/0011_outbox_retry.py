"""outbox retry: when each workflow message is next tried, and why one was given up (dead)

Revision ID: 0011_outbox_retry
Revises: 0010_user_language
Create Date: 2026-11-30 02:00:00
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa
import sqlmodel

import models.columns

revision = '0011_outbox_retry'
down_revision = '0010_user_language'
branch_labels = None
depends_on = None

STATES = ('PENDING', 'SENT', 'FAILED', 'SENDING', 'SUBMITTING', 'UNCONFIRMED')


def upgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        # A native enum on PostgreSQL: new values are added outside the transaction.
        with op.get_context().autocommit_block():
            op.execute("ALTER TYPE outboxstate ADD VALUE IF NOT EXISTS 'DEAD'")
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_attempt_at', models.columns.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('dead_reason', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    # Rows already waiting are tried in the order they were written.
    op.execute("UPDATE outbox_message SET next_attempt_at = created_at")
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.alter_column('next_attempt_at', existing_type=models.columns.UTCDateTime(timezone=True), nullable=False)
        batch_op.create_index(batch_op.f('ix_outbox_message_next_attempt_at'), ['next_attempt_at'], unique=False)


def downgrade() -> None:
    # PostgreSQL cannot drop an enum value: dead rows go back to pending.
    op.execute("UPDATE outbox_message SET state = 'PENDING' WHERE state = 'DEAD'")
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_message_next_attempt_at'))
        batch_op.drop_column('dead_reason')
        batch_op.drop_column('next_attempt_at')
