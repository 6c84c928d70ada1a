"""token version and event sender: a user's token version, raised to revoke every live token
and web session of the user; who sent each carrier tracking event

Revision ID: 0013_token_version_sender
Revises: 0012_audit_limit_approval
Create Date: 2026-11-30 03:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0013_token_version_sender'
down_revision = '0012_audit_limit_approval'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("user") as batch:
        batch.add_column(
            sa.Column("token_version", sa.Integer(), nullable=False, server_default="0")
        )
    with op.batch_alter_table("tracking_event") as batch:
        batch.add_column(
            sa.Column("sent_by", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("tracking_event") as batch:
        batch.drop_column("sent_by")
    with op.batch_alter_table("user") as batch:
        batch.drop_column("token_version")
