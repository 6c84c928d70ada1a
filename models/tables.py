"""Every table module, imported so that SQLModel.metadata knows the whole schema (Alembic)."""

from sqlmodel import SQLModel

from models import (
    credit_notes,
    customers,
    invoices,
    ledger,
    orders,
    outbox,
    payments,
    products,
    shipments,
    stock,
    users,
    write_offs,
)

metadata = SQLModel.metadata

__all__ = [
    "credit_notes",
    "customers",
    "invoices",
    "ledger",
    "metadata",
    "orders",
    "outbox",
    "payments",
    "products",
    "shipments",
    "stock",
    "users",
    "write_offs",
]
