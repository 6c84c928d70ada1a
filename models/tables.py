"""Every table module, imported so that SQLModel.metadata knows the whole schema (Alembic)."""

from sqlmodel import SQLModel

from models import (
    approval_policy,
    approvals,
    collection_tasks,
    credit_notes,
    credit_policy,
    customers,
    dunning,
    invoices,
    ledger,
    orders,
    outbox,
    payments,
    price_lists,
    products,
    returns,
    shipments,
    stock,
    users,
    warehouses,
    write_offs,
)

metadata = SQLModel.metadata

__all__ = [
    "credit_notes",
    "approval_policy",
    "approvals",
    "credit_policy",
    "collection_tasks",
    "customers",
    "dunning",
    "invoices",
    "ledger",
    "metadata",
    "orders",
    "outbox",
    "payments",
    "price_lists",
    "products",
    "returns",
    "shipments",
    "stock",
    "users",
    "write_offs",
    "warehouses",
]
