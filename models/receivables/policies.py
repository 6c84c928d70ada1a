"""Receivables rules that use cases and workflows share, table-free: when a customer is
invoiced, and who may give up how much of an invoice."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum


class InvoicePolicy(StrEnum):
    """When a customer's order is billed: the shipped, delivered or ordered quantities."""

    ON_SHIPMENT = "on_shipment"
    ON_DELIVERY = "on_delivery"
    ON_ORDER = "on_order"


# Credit classes billed differently from the default (on_shipment) unless the customer says so.
INVOICE_POLICY_BY_CREDIT_CLASS: dict[str, InvoicePolicy] = {
    "prepayment": InvoicePolicy.ON_ORDER,
    "cash_in_advance": InvoicePolicy.ON_ORDER,
    "new": InvoicePolicy.ON_ORDER,
}


def default_invoice_policy(credit_class: str) -> InvoicePolicy:
    return INVOICE_POLICY_BY_CREDIT_CLASS.get(credit_class, InvoicePolicy.ON_SHIPMENT)


# Above this amount a write-off needs a finance approver (Update on the invoice's collection).
WRITE_OFF_APPROVAL_ABOVE = Decimal("500.00")
# A payment may leave at most this much open on an invoice and write it off in the same request.
PAYMENT_DIFFERENCE_TOLERANCE = Decimal("5.00")
# Roles that may approve a large write-off (never the user who asked for it).
WRITE_OFF_APPROVER_ROLES = frozenset({"approver", "admin"})
