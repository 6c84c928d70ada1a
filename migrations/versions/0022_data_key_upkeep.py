"""data key upkeep: stored PDFs kept encrypted with the data keys (the column becomes the text of
every encrypted value; the files already kept are encrypted here, with the keyring `o2c db
upgrade` loaded), the index key of each customer's lookup hashes kept beside them (those made so
far were made with `index`), and an index on the key id of every encrypted column, for the
start-up check

Revision ID: 0022_data_key_upkeep
Revises: 0021_credit_review_rules
Create Date: 2026-11-30 09:30:00
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from alembic import op

from models.security.field_cipher import INDEX_KEY_ID, seal, unseal
from models.security.key_ids import stored_key_id

revision = '0022_data_key_upkeep'
down_revision = '0021_credit_review_rules'
branch_labels = None
depends_on = None

ENCRYPTED = {
    "customer": ["email", "phone", "address", "tax_id"],
    "outbox_message": ["target"],
    "idempotent_response": ["body"],
    "stored_document": ["content"],
}
WHERE = "stored_document.content"
BATCH = 200


def _index_name(table: str, column: str) -> str:
    return f"ix_{table}_{column}_key_id"


def _key_id_indexes(create: bool) -> None:
    dialect = op.get_bind().dialect
    for table, columns in ENCRYPTED.items():
        for column in columns:
            name = _index_name(table, column)
            if not create:
                op.drop_index(name, table_name=table)
                continue
            expression = stored_key_id(sa.column(column, sa.Text()))
            sql = str(expression.compile(dialect=dialect, compile_kwargs={"include_table": False}))
            op.create_index(name, table, [sa.text(sql)])


def _convert_documents(kind: Any, change: Callable[[Any, str], Any]) -> None:
    """Every stored file through `change` into a new column of `kind`, batch by batch, which
    then takes the place of `content`."""
    with op.batch_alter_table("stored_document") as batch:
        batch.add_column(sa.Column("converted", kind, nullable=True))
    documents = sa.table(
        "stored_document",
        sa.column("id", sa.Integer()),
        sa.column("content", sa.Text() if kind is sa.LargeBinary else sa.LargeBinary()),
        sa.column("converted", kind()),
    )
    connection = op.get_bind()
    while True:
        rows = connection.execute(
            sa.select(documents.c.id, documents.c.content)
            .where(documents.c.converted.is_(None))
            .order_by(documents.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        for row in rows:
            converted = change(row.content, WHERE)
            connection.execute(
                documents.update().where(documents.c.id == row.id).values(converted=converted)
            )
    with op.batch_alter_table("stored_document") as batch:
        batch.drop_column("content")
        batch.alter_column(
            "converted", new_column_name="content", existing_type=kind(), nullable=False
        )


def upgrade() -> None:
    with op.batch_alter_table("customer") as batch:
        batch.add_column(sa.Column("index_key", sa.String(length=32), nullable=True))
        batch.create_index("ix_customer_index_key", ["index_key"])
    op.execute(
        sa.text("UPDATE customer SET index_key = :key WHERE email_index IS NOT NULL").bindparams(
            key=INDEX_KEY_ID
        )
    )
    _convert_documents(sa.Text, lambda content, where: seal(bytes(content), where))
    _key_id_indexes(create=True)


def downgrade() -> None:
    _key_id_indexes(create=False)
    _convert_documents(sa.LargeBinary, unseal)
    with op.batch_alter_table("customer") as batch:
        batch.drop_index("ix_customer_index_key")
        batch.drop_column("index_key")
