"""collection task status: a PostgreSQL type of its own

0007 declared collection_task.status with the type name `taskstatus`, which 0003 had already
created for approval tasks (PENDING/APPROVED/...): on PostgreSQL a collection task could not be
written. The collection status gets its own type; SQLite stores enums as strings and is unchanged.

Revision ID: 0009_collection_task_status
Revises: 0008_remainder
Create Date: 2026-11-30 00:30:00
"""
from __future__ import annotations

from alembic import op

revision = '0009_collection_task_status'
down_revision = '0008_remainder'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE TYPE collectiontaskstatus AS ENUM ('OPEN', 'CLOSED')")
    op.execute(
        "ALTER TABLE collection_task ALTER COLUMN status TYPE collectiontaskstatus"
        " USING status::text::collectiontaskstatus"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "ALTER TABLE collection_task ALTER COLUMN status TYPE taskstatus"
        " USING status::text::taskstatus"
    )
    op.execute("DROP TYPE collectiontaskstatus")
