"""Every table module, imported so that SQLModel.metadata knows the whole schema (Alembic)."""

from sqlmodel import SQLModel

from models import (
    customers,
    invoices,
    ledger,
    orders,
    outbox,
    payments,
    products,
    returns,
    shipments,
    stock,
    users,
    warehouses,
)

metadata = SQLModel.metadata

__all__ = [
    "customers",
    "invoices",
    "ledger",
    "metadata",
    "orders",
    "outbox",
    "payments",
    "products",
    "returns",
    "shipments",
    "stock",
    "users",
    "warehouses",
]
