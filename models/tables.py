"""Every table module, imported so that SQLModel.metadata knows the whole schema (Alembic)."""

from sqlmodel import SQLModel

from models import outbox
from models.collection import dunning
from models.collection import tasks as collection_tasks
from models.credit import (
    alerts,
    financials,
    history,
    indexes,
    review_rule_versions,
    reviews,
    scorecard_versions,
)
from models.documents import stored_documents
from models.fulfilment import returns, shipments, stock, warehouses
from models.imports import jobs as import_jobs
from models.master_data import credit_limit_changes, customers, products
from models.receivables import credit_notes, invoices, ledger, payments, write_offs
from models.sales import approval_policy, approvals, credit_policy, orders, price_lists
from models.security import audit, users
from models.security.key_ids import index_key_ids

metadata = SQLModel.metadata
# Every encrypted column's key ids indexed, for the start-up check (o2c/keys.py).
index_key_ids(metadata)

__all__ = [
    "alerts",
    "audit",
    "credit_notes",
    "approval_policy",
    "approvals",
    "credit_limit_changes",
    "credit_policy",
    "financials",
    "history",
    "indexes",
    "review_rule_versions",
    "reviews",
    "scorecard_versions",
    "collection_tasks",
    "customers",
    "dunning",
    "import_jobs",
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
    "stored_documents",
    "users",
    "write_offs",
    "warehouses",
]
