"""credit review rules: the rules a credit review proposes by, kept as versions (the newest in
force, version 1 the rules built in until now), and on each review the version that proposed

Revision ID: 0021_credit_review_rules
Revises: 0020_open_orders_import
Create Date: 2026-11-30 07:30:00
"""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa
import sqlmodel
import models.columns

revision = '0021_credit_review_rules'
down_revision = '0020_open_orders_import'
branch_labels = None
depends_on = None

# DEFAULT_RULES (models/credit/review_rules.py) as they stood when this migration was written.
FIRST_RULES = [
    {
        "name": "steady payer near its limit",
        "when_grades": ["A"],
        "utilisation_above": "80",
        "days_beyond_terms_above": None,
        "for_months": 3,
        "change_limit_pct": "20",
        "credit_class": None,
        "hold": False,
    },
    {
        "name": "pays late three months running",
        "when_grades": [],
        "utilisation_above": None,
        "days_beyond_terms_above": "15",
        "for_months": 3,
        "change_limit_pct": "-25",
        "credit_class": None,
        "hold": True,
    },
]


def upgrade() -> None:
    rules = op.create_table(
        'credit_review_rules',
        sa.Column('version', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('rules', sa.JSON(), nullable=False),
        sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('created_at', models.columns.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('version'),
    )
    op.bulk_insert(
        rules,
        [
            {
                "version": 1,
                "rules": FIRST_RULES,
                "created_by": "system",
                "created_at": datetime.now(UTC),
            }
        ],
    )
    with op.batch_alter_table("credit_review") as batch:
        batch.add_column(sa.Column("rule_set_version", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("credit_review") as batch:
        batch.drop_column("rule_set_version")
    op.drop_table('credit_review_rules')
