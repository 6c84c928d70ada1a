"""customer encryption: a customer's e-mail, phone, address and tax id, and the answers kept
for Idempotency-Key retries, stored encrypted
(AES-GCM, `v1:<key id>:<base64>`), so the columns become text; blind indexes of the e-mail and
tax id for exact-match lookups. Existing rows are encrypted here with the keyring `o2c db
upgrade` loaded (O2C_DATA_KEYS); downgrading decrypts them again.

Revision ID: 0014_customer_encryption
Revises: 0013_token_version_sender
Create Date: 2026-11-30 06:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

from models.master_data.customer_lookup import email_index, tax_id_index
from models.security.field_cipher import decrypt, encrypt

revision = '0014_customer_encryption'
down_revision = '0013_token_version_sender'
branch_labels = None
depends_on = None

ENCRYPTED = {"email": 254, "phone": 40, "address": 500, "tax_id": 40}
customer = sa.table(
    "customer",
    sa.column("id", sa.Integer()),
    *(sa.column(name, sa.Text()) for name in ENCRYPTED),
    sa.column("email_index", sa.String()),
    sa.column("tax_id_index", sa.String()),
)


idempotent_response = sa.table(
    "idempotent_response", sa.column("id", sa.Integer()), sa.column("body", sa.Text())
)


def upgrade() -> None:
    with op.batch_alter_table("idempotent_response") as batch:
        batch.alter_column("body", type_=sa.Text(), existing_type=sqlmodel.sql.sqltypes.AutoString())
    _encrypt_answers(encrypt)
    with op.batch_alter_table("customer") as batch:
        for name, length in ENCRYPTED.items():
            batch.alter_column(
                name, type_=sa.Text(), existing_type=sqlmodel.sql.sqltypes.AutoString(length)
            )
        batch.add_column(sa.Column("email_index", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("tax_id_index", sa.String(length=64), nullable=True))
        batch.create_index("ix_customer_email_index", ["email_index"])
        batch.create_index("ix_customer_tax_id_index", ["tax_id_index"])
    connection = op.get_bind()
    for row in connection.execute(sa.select(customer)).mappings().all():
        values = {
            name: encrypt(row[name], f"customer.{name}")
            for name in ENCRYPTED
            if row[name] is not None and not row[name].startswith("v1:")
        }
        if values:
            values["email_index"] = email_index(row["email"])
            values["tax_id_index"] = tax_id_index(row["tax_id"])
            connection.execute(customer.update().where(customer.c.id == row["id"]).values(values))


def _encrypt_answers(change) -> None:  # type: ignore[no-untyped-def]
    """Answers kept for Idempotency-Key retries (a customer's record among them)."""
    connection = op.get_bind()
    encrypted = change is encrypt
    for row in connection.execute(sa.select(idempotent_response)).mappings().all():
        if row["body"].startswith("v1:") != encrypted:
            body = change(row["body"], "idempotent_response.body")
            connection.execute(
                idempotent_response.update()
                .where(idempotent_response.c.id == row["id"])
                .values(body=body)
            )


def downgrade() -> None:
    _encrypt_answers(decrypt)
    with op.batch_alter_table("idempotent_response") as batch:
        batch.alter_column("body", type_=sqlmodel.sql.sqltypes.AutoString(), existing_type=sa.Text())
    connection = op.get_bind()
    for row in connection.execute(sa.select(customer)).mappings().all():
        values = {
            name: decrypt(row[name], f"customer.{name}")
            for name in ENCRYPTED
            if row[name] is not None and row[name].startswith("v1:")
        }
        if values:
            connection.execute(customer.update().where(customer.c.id == row["id"]).values(values))
    with op.batch_alter_table("customer") as batch:
        batch.drop_index("ix_customer_tax_id_index")
        batch.drop_index("ix_customer_email_index")
        batch.drop_column("tax_id_index")
        batch.drop_column("email_index")
        for name, length in ENCRYPTED.items():
            batch.alter_column(
                name, type_=sqlmodel.sql.sqltypes.AutoString(length), existing_type=sa.Text()
            )
