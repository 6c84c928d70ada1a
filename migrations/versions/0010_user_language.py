"""user language: the web pages' language chosen by each user

Revision ID: 0010_user_language
Revises: 0009_collection_task_status
Create Date: 2026-11-30 01:45:00
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0010_user_language'
down_revision = '0009_collection_task_status'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("user") as batch:
        batch.add_column(
            sa.Column(
                "language",
                sqlmodel.sql.sqltypes.AutoString(length=16),
                nullable=False,
                server_default="en",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("user") as batch:
        batch.drop_column("language")
