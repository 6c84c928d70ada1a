"""audit trail and limit approval: the append-only, hash-chained audit_event table (PostgreSQL
refuses UPDATE and DELETE on it by trigger), and credit limit raises waiting for a second credit
manager (credit_limit_change)

Revision ID: 0012_audit_limit_approval
Revises: 0011_outbox_retry
Create Date: 2026-11-30 03:00:00
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa
import sqlmodel

import models.columns
from models.security.audit import REFUSE_CHANGES_FUNCTION, REFUSE_CHANGES_TRIGGER

revision = '0012_audit_limit_approval'
down_revision = '0011_outbox_retry'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'audit_event',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('occurred_at', models.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column('actor', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('address', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column('request_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column('entity_type', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('entity_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column('before', sa.Text(), nullable=True),
        sa.Column('after', sa.Text(), nullable=True),
        sa.Column('previous_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('hash'),
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_occurred_at'), ['occurred_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_actor'), ['actor'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_entity_type'), ['entity_type'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_entity_id'), ['entity_id'], unique=False)
    op.create_table(
        'credit_limit_change',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('customer_id', sa.Integer(), nullable=False),
        sa.Column('limit_before', models.columns.MoneyColumn(), nullable=False),
        sa.Column('requested_limit', models.columns.MoneyColumn(), nullable=False),
        sa.Column('state', sa.Enum('PENDING', 'APPROVED', name='limitchangestate'), nullable=False),
        sa.Column('requested_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('requested_at', models.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column('approved_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column('approved_at', models.columns.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('credit_limit_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_credit_limit_change_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_credit_limit_change_state'), ['state'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(REFUSE_CHANGES_FUNCTION)
        op.execute(REFUSE_CHANGES_TRIGGER)


def downgrade() -> None:
    op.drop_table('credit_limit_change')
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP TYPE IF EXISTS limitchangestate')
    op.drop_table('audit_event')
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP FUNCTION IF EXISTS audit_event_append_only()')
