"""user token version: raised to revoke every live token and web session of a user

Revision ID: 0012_user_token_version
Revises: 0011_outbox_retry
Create Date: 2026-11-30 03:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0012_user_token_version'
down_revision = '0011_outbox_retry'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("user") as batch:
        batch.add_column(
            sa.Column("token_version", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("user") as batch:
        batch.drop_column("token_version")
