"""customer encryption: a customer's e-mail, phone, address and tax id, a mail's recipient in
the outbox and the answers kept for Idempotency-Key retries stored encrypted (AES-GCM,
`v1:<key id>:<base64>`), so those columns become text; blind indexes of the customer's e-mail
and tax id for exact-match lookups. Existing rows are encrypted here with the keyring that
`o2c db upgrade` loaded (O2C_DATA_KEYS); downgrading decrypts them again.

Revision ID: 0014_customer_encryption
Revises: 0013_token_version_sender
Create Date: 2026-11-30 06:00:00
"""
from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
import sqlmodel
from alembic import op

from models.master_data.customer_lookup import email_index, tax_id_index
from models.security.field_cipher import decrypt, encrypt

revision = '0014_customer_encryption'
down_revision = '0013_token_version_sender'
branch_labels = None
depends_on = None

# table -> encrypted column -> its length before (None: unbounded)
ENCRYPTED: dict[str, dict[str, int | None]] = {
    "customer": {"email": 254, "phone": 40, "address": 500, "tax_id": 40},
    "outbox_message": {"target": 254},
    "idempotent_response": {"body": None},
}
INDEXES = {"email_index": email_index, "tax_id_index": tax_id_index}


def _table(name: str) -> sa.TableClause:
    extra = [sa.column(index, sa.String()) for index in INDEXES] if name == "customer" else []
    columns = [sa.column(column, sa.Text()) for column in ENCRYPTED[name]]
    return sa.table(name, sa.column("id", sa.Integer()), *columns, *extra)


def _convert(name: str, change: Callable[[str, str], str]) -> None:
    """Every value of the table's encrypted columns through `change`, skipping those already
    converted; the customer's blind indexes from the plaintext."""
    table = _table(name)
    encrypting = change is encrypt
    connection = op.get_bind()
    for row in connection.execute(sa.select(table)).mappings().all():
        values = {
            column: change(row[column], f"{name}.{column}")
            for column in ENCRYPTED[name]
            if row[column] is not None and row[column].startswith("v1:") != encrypting
        }
        if values and encrypting and name == "customer":
            plain = {"email_index": row["email"], "tax_id_index": row["tax_id"]}
            values.update({index: INDEXES[index](plain[index]) for index in INDEXES})
        if values:
            connection.execute(table.update().where(table.c.id == row["id"]).values(values))


def _text_columns(name: str, to_text: bool) -> None:
    with op.batch_alter_table(name) as batch:
        for column, length in ENCRYPTED[name].items():
            before = sqlmodel.sql.sqltypes.AutoString(length)
            batch.alter_column(
                column,
                type_=sa.Text() if to_text else before,
                existing_type=before if to_text else sa.Text(),
            )


def upgrade() -> None:
    for name in ENCRYPTED:
        _text_columns(name, to_text=True)
    with op.batch_alter_table("customer") as batch:
        for index in INDEXES:
            batch.add_column(sa.Column(index, sa.String(length=64), nullable=True))
            batch.create_index(f"ix_customer_{index}", [index])
    for name in ENCRYPTED:
        _convert(name, encrypt)


def downgrade() -> None:
    for name in ENCRYPTED:
        _convert(name, decrypt)
    with op.batch_alter_table("customer") as batch:
        for index in INDEXES:
            batch.drop_index(f"ix_customer_{index}")
            batch.drop_column(index)
    for name in ENCRYPTED:
        _text_columns(name, to_text=False)
