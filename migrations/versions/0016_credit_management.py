"""credit management: customer financials, scorecard versions, the credit history of limit,
class and hold changes, credit reviews and their proposals, credit holds; region and segment on
customers; the reason and review of a pending limit change

Revision ID: 0016_credit_management
Revises: 0015_ageing_since_index
Create Date: 2026-11-30 05:53:49.968556
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa
import sqlmodel
import models.columns

revision = '0016_credit_management'
down_revision = '0015_ageing_since_index'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('credit_scorecard',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('rules', sa.JSON(), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', models.columns.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('credit_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('term', sa.Enum('LIMIT', 'CLASS', 'HOLD', name='creditterm'), nullable=False),
    sa.Column('before', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('after', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('source', sa.Enum('MANUAL', 'LIMIT_APPROVAL', 'REVIEW', name='changesource'), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('changed_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('approved_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('review_id', sa.Integer(), nullable=True),
    sa.Column('at', models.columns.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('credit_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_credit_change_customer_id'), ['customer_id'], unique=False)

    op.create_table('credit_review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('trigger', sa.Enum('SCHEDULE', 'BROKEN_PROMISE', 'LATE_PAYMENT', 'PAYMENT_REVERSED', 'UTILISATION', 'MANUAL', name='reviewtrigger'), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('scorecard_id', sa.Integer(), nullable=True),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('grade', sa.Enum('A', 'B', 'C', 'D', 'E', name='grade'), nullable=False),
    sa.Column('utilisation', models.columns.MoneyColumn(), nullable=True),
    sa.Column('days_beyond_terms', models.columns.MoneyColumn(), nullable=True),
    sa.Column('status', sa.Enum('NO_CHANGE', 'OPEN', 'ACCEPTED', 'ADJUSTED', 'REJECTED', name='reviewstatus'), nullable=False),
    sa.Column('rule', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('limit_before', models.columns.MoneyColumn(), nullable=False),
    sa.Column('class_before', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('hold_before', sa.Boolean(), nullable=False),
    sa.Column('proposed_limit', models.columns.MoneyColumn(), nullable=True),
    sa.Column('proposed_class', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('proposed_hold', sa.Boolean(), nullable=False),
    sa.Column('decided_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('decided_at', models.columns.UTCDateTime(timezone=True), nullable=True),
    sa.Column('comment', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('limit_change_id', sa.Integer(), nullable=True),
    sa.Column('created_at', models.columns.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('credit_review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_credit_review_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_credit_review_status'), ['status'], unique=False)

    op.create_table('customer_credit_hold',
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=True),
    sa.Column('placed_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('placed_at', models.columns.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.PrimaryKeyConstraint('customer_id')
    )
    op.create_table('customer_financials',
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('annual_revenue', models.columns.MoneyColumn(), nullable=True),
    sa.Column('annual_revenue_as_of', sa.Date(), nullable=True),
    sa.Column('annual_revenue_source', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('equity', models.columns.MoneyColumn(), nullable=True),
    sa.Column('equity_as_of', sa.Date(), nullable=True),
    sa.Column('equity_source', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('years_trading', sa.Integer(), nullable=True),
    sa.Column('years_trading_as_of', sa.Date(), nullable=True),
    sa.Column('years_trading_source', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('external_rating', sqlmodel.sql.sqltypes.AutoString(length=4), nullable=True),
    sa.Column('external_rating_as_of', sa.Date(), nullable=True),
    sa.Column('external_rating_source', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('recorded_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('recorded_at', models.columns.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.PrimaryKeyConstraint('customer_id')
    )
    with op.batch_alter_table('credit_limit_change', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column('review_id', sa.Integer(), nullable=True))

    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('region', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.add_column(sa.Column('segment', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.drop_column('segment')
        batch_op.drop_column('region')

    with op.batch_alter_table('credit_limit_change', schema=None) as batch_op:
        batch_op.drop_column('review_id')
        batch_op.drop_column('reason')

    op.drop_table('customer_financials')
    op.drop_table('customer_credit_hold')
    with op.batch_alter_table('credit_review', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_credit_review_status'))
        batch_op.drop_index(batch_op.f('ix_credit_review_customer_id'))

    op.drop_table('credit_review')
    with op.batch_alter_table('credit_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_credit_change_customer_id'))

    op.drop_table('credit_change')
    op.drop_table('credit_scorecard')
