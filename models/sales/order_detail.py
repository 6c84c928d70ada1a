"""The whole order as one read model: lines, approvals, shipments and invoices."""

from __future__ import annotations

from models.fulfilment.shipments import ShipmentPublic
from models.receivables.invoices import InvoicePublic
from models.sales.credit_policy import CreditHoldPublic
from models.sales.orders import ApprovalPublic, OrderPublic


class OrderDetail(OrderPublic):
    approvals: list[ApprovalPublic] = []
    shipments: list[ShipmentPublic] = []
    invoices: list[InvoicePublic] = []
    credit_holds: list[CreditHoldPublic] = []
