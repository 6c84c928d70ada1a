"""The index the credit behaviour reads the invoices through (`activities/credit/behaviour.py`):
by customer, then due date, carrying on PostgreSQL every column the payment days need, so the
monthly run sums each customer's invoices in index order (an index-only scan, no sort and no
hash table of 20,000 groups) instead of scanning the table and grouping it in memory."""

from __future__ import annotations

from sqlalchemy import Index
from sqlmodel import col

from models.receivables.invoices import Invoice

# Carried in the index's leaf entries on PostgreSQL (not part of its key): what the payment
# days query reads besides the key.
CREDIT_READ_COLUMNS = ["kind", "status", "total", "outstanding", "settled_on", "dunning_level"]

INVOICE_CREDIT_INDEX = Index(
    "ix_invoice_credit",
    col(Invoice.customer_id),
    col(Invoice.due_date),
    postgresql_include=CREDIT_READ_COLUMNS,
)
