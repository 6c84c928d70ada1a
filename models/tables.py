"""Every table module, imported so that SQLModel.metadata knows the whole schema (Alembic)."""

from sqlmodel import SQLModel

from models import (
    collection_tasks,
    customers,
    dunning,
    invoices,
    ledger,
    orders,
    outbox,
    payments,
    products,
    shipments,
    stock,
    users,
)

metadata = SQLModel.metadata

__all__ = [
    "collection_tasks",
    "customers",
    "dunning",
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
]
