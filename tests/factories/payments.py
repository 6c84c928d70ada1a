"""Receivables for document and report tests: invoices posted to the ledger as issuing does,
and payments recorded through the payment use case."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session

from activities.receivables.ledger import post
from activities.receivables.payments import record_payment
from models.master_data.customers import Customer
from models.receivables.invoices import Invoice, InvoiceLine, InvoiceStatus
from models.receivables.ledger import Account, credit, debit
from models.receivables.payments import AllocationRequest, PaymentCreate, PaymentPublic
from tests.helpers import ApiClient, add_users, api_client, make_settings

_numbers = iter(range(1, 10**6))


def invoice(
    engine: Engine,
    customer_id: int,
    issued: date,
    due: date,
    net: str,
    tax: str = "0.00",
    description: str = "Oak chair",
    currency: str = "USD",
) -> int:
    """An issued invoice of one line, posted to receivables, revenue and tax on its issue date."""
    subtotal, tax_amount = Decimal(net), Decimal(tax)
    total = subtotal + tax_amount
    with Session(engine) as session, session.begin():
        number = f"INV-{issued.year}-{next(_numbers):06d}"
        row = Invoice(
            number=number,
            customer_id=customer_id,
            currency=currency,
            issue_date=issued,
            due_date=due,
            subtotal=subtotal,
            tax=tax_amount,
            total=total,
            outstanding=total,
            status=InvoiceStatus.OPEN,
            key=f"test/{number}",
        )
        session.add(row)
        session.flush()
        assert row.id is not None
        session.add(
            InvoiceLine(
                invoice_id=row.id,
                sku="CHAIR",
                description=description,
                quantity=Decimal(2),
                unit_price=subtotal / 2,
                tax_rate=(tax_amount / subtotal).quantize(Decimal("0.0001")),
                net=subtotal,
                tax=tax_amount,
                total=total,
            )
        )
        post(
            session,
            key=f"invoice-{row.id}/issue",
            posted_on=issued,
            document="invoice",
            document_id=row.id,
            customer_id=customer_id,
            lines=[
                debit(Account.RECEIVABLES, total, row.id),
                credit(Account.REVENUE, subtotal),
                credit(Account.TAX_PAYABLE, tax_amount),
            ],
            memo=number,
        )
        return row.id


def pay(
    engine: Engine,
    customer_id: int,
    amount: str,
    received: date,
    allocations: dict[int, str] | None = None,
    reference: str = "BANK",
) -> PaymentPublic:
    data = PaymentCreate(
        customer_id=customer_id,
        amount=Decimal(amount),
        received_on=received,
        reference=reference,
        allocations=None
        if allocations is None
        else [AllocationRequest(invoice_id=i, amount=Decimal(a)) for i, a in allocations.items()],
    )
    with Session(engine) as session, session.begin():
        return record_payment(session, data, "finance")


def rename_customer(engine: Engine, customer_id: int, name: str) -> None:
    with Session(engine) as session, session.begin():
        row = session.get(Customer, customer_id)
        assert row is not None
        row.name = name


def client_with_users(engine: Engine, tmp_path: Path) -> ApiClient:
    add_users(engine)
    return api_client(engine, make_settings(tmp_path))
