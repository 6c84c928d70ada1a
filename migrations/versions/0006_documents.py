"""documents: outbox mail delivery states (sending, submitting, unconfirmed) and claim token

Revision ID: 0006_documents
Revises: 0001
Create Date: 2026-11-27 18:31:08.837212
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0006_documents'
down_revision = '0005_receivables'
branch_labels = None
depends_on = None

OLD = ('PENDING', 'SENT', 'FAILED')
NEW = ('SENDING', 'SUBMITTING', 'UNCONFIRMED')


def create_report_indexes() -> None:
    # Covering, partial indexes for the ageing report: open invoices, receivable ledger lines.
    where = {"sqlite_where": sa.text("outstanding != 0"), "postgresql_where": sa.text("outstanding != 0")}
    op.create_index('ix_invoice_open', 'invoice', ['customer_id', 'currency', 'due_date', 'issue_date', 'outstanding'], unique=False, **where)
    where = {"sqlite_where": sa.text("account = 'RECEIVABLES'"), "postgresql_where": sa.text("account = 'RECEIVABLES'")}
    op.create_index('ix_ledger_line_receivable', 'ledger_line', ['invoice_id', 'posted_on', 'debit', 'credit'], unique=False, **where)


def upgrade() -> None:
    create_report_indexes()
    if op.get_bind().dialect.name == 'postgresql':
        # A native enum on PostgreSQL: new values are added outside the transaction.
        with op.get_context().autocommit_block():
            for value in NEW:
                op.execute(f"ALTER TYPE outboxstate ADD VALUE IF NOT EXISTS '{value}'")
        op.add_column('outbox_message', sa.Column('claim_token', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True))
        return
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claim_token', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True))
        batch_op.alter_column('state',
               existing_type=sa.VARCHAR(length=7),
               type_=sa.Enum(*OLD, *NEW, name='outboxstate'),
               existing_nullable=False)


def downgrade() -> None:
    op.drop_index('ix_ledger_line_receivable', table_name='ledger_line')
    op.drop_index('ix_invoice_open', table_name='invoice')
    if op.get_bind().dialect.name == 'postgresql':
        # PostgreSQL cannot drop enum values; rows in the new states go back to pending.
        op.execute("UPDATE outbox_message SET state = 'PENDING' WHERE state::text IN ('SENDING', 'SUBMITTING', 'UNCONFIRMED')")
        op.drop_column('outbox_message', 'claim_token')
        return
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.alter_column('state',
               existing_type=sa.Enum(*OLD, *NEW, name='outboxstate'),
               type_=sa.VARCHAR(length=7),
               existing_nullable=False)
        batch_op.drop_column('claim_token')
