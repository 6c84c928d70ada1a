"""Test helpers for receivables: invoices issued through the issuing use case (without an
order), payments through the payment use case, and what the ledger and outbox then hold."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from activities.master_data.customers import get_customer
from activities.receivables.invoice_balance import unapplied_credit
from activities.receivables.invoices import BillLine, issue_invoice, to_public
from activities.receivables.ledger import account_balance
from activities.receivables.payments import record_payment
from models.outbox import OutboxMessage
from models.receivables.invoices import Invoice, InvoicePublic
from models.receivables.ledger import Account, LedgerLine
from models.receivables.payments import PaymentCreate, PaymentPublic

_keys = iter(range(1, 10**9))


def invoice(
    engine: Engine,
    customer_id: int,
    net: str = "100.00",
    tax_rate: str = "0.10",
    issued: date = date(2026, 1, 1),
    quantity: str = "1",
) -> InvoicePublic:
    """An invoice of `quantity` x `net` plus tax at `tax_rate`."""
    with Session(engine, expire_on_commit=False) as session, session.begin():
        created, _ = issue_invoice(
            session,
            customer=get_customer(session, customer_id),
            currency=get_customer(session, customer_id).currency,
            lines=[
                BillLine(
                    sku="WIDGET",
                    description="Widget",
                    quantity=Decimal(quantity),
                    unit_price=Decimal(net),
                    tax_rate=Decimal(tax_rate),
                )
            ],
            issue_date=issued,
            key=f"test-invoice-{next(_keys)}",
        )
        return to_public(session, created)


def current(engine: Engine, invoice_id: int) -> InvoicePublic:
    with Session(engine) as session:
        found = session.get(Invoice, invoice_id)
        assert found is not None
        return to_public(session, found)


def pay(engine: Engine, customer_id: int, amount: str, **kw: Any) -> PaymentPublic:
    data = PaymentCreate(
        customer_id=customer_id,
        amount=Decimal(amount),
        received_on=kw.pop("received_on", date(2026, 2, 1)),
        reference=kw.pop("reference", f"BANK-{next(_keys)}"),
        **kw,
    )
    with Session(engine, expire_on_commit=False) as session, session.begin():
        return record_payment(session, data, "finance")


def ledger_lines(engine: Engine) -> int:
    with Session(engine) as session:
        return int(session.exec(select(func.count(col(LedgerLine.id)))).one())


def balance(engine: Engine, account: Account) -> Decimal:
    with Session(engine) as session:
        return account_balance(session, account)


def credit_of(engine: Engine, customer_id: int) -> Decimal:
    with Session(engine) as session:
        return unapplied_credit(session, customer_id)


def outbox(engine: Engine, target: str | None = None) -> list[OutboxMessage]:
    with Session(engine) as session:
        query = select(OutboxMessage).order_by(col(OutboxMessage.id))
        if target:
            query = query.where(OutboxMessage.target == target)
        return list(session.exec(query).all())
