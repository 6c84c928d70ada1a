"""Invoices, issued through the issuing use case (without an order): numbered, due after the
customer's payment terms, posted to the ledger."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from itertools import count

from sqlalchemy.engine import Engine
from sqlmodel import Session

from activities.master_data.customers import get_customer
from activities.receivables.invoices import BillLine, issue_invoice, to_public
from models.receivables.invoices import InvoicePublic

_keys = count(1)


def invoice(
    engine: Engine,
    customer_id: int,
    price: str = "100.00",
    *,
    tax_rate: str = "0.10",
    quantity: str = "1",
    issued: date = date(2026, 1, 1),
    due: date | None = None,
    sku: str = "WIDGET",
    description: str = "Widget",
) -> InvoicePublic:
    """`quantity` x `price` plus tax at `tax_rate`, issued on `issued`, or so that it falls due
    on `due` (the payment terms before it)."""
    with Session(engine, expire_on_commit=False) as session, session.begin():
        buyer = get_customer(session, customer_id)
        created, _ = issue_invoice(
            session,
            customer=buyer,
            currency=buyer.currency,
            lines=[
                BillLine(
                    sku=sku,
                    description=description,
                    quantity=Decimal(quantity),
                    unit_price=Decimal(price),
                    tax_rate=Decimal(tax_rate),
                )
            ],
            issue_date=issued if due is None else due - timedelta(buyer.payment_terms_days),
            key=f"test-invoice-{next(_keys)}",
        )
        return to_public(session, created)
