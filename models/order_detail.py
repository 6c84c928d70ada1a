"""The whole order as one read model: lines, approvals, shipments and invoices."""

from __future__ import annotations

from models.credit_policy import CreditHoldPublic
from models.invoices import InvoicePublic
from models.orders import ApprovalPublic, OrderPublic
from models.shipments import ShipmentPublic


class OrderDetail(OrderPublic):
    approvals: list[ApprovalPublic] = []
    shipments: list[ShipmentPublic] = []
    invoices: list[InvoicePublic] = []
    credit_holds: list[CreditHoldPublic] = []
