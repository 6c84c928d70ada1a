"""Collection as the collectors see it: an invoice in collection, the dunning steps it
reached, the charges it raised, its collection task; and a customer paying meanwhile."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from temporalio.client import WorkflowHandle

from models.collection.dunning import DunningStep
from models.collection.tasks import CollectionTask
from models.receivables.invoices import Invoice, InvoiceKind, InvoicePublic
from models.sales.messages import COLLECTION_HISTORY_BOUND
from tests import factories
from tests.support.workflows import Flow


async def invoice_in_collection(
    flow: Flow,
    *,
    due_in_days: int = 5,
    total: str = "1000.00",
    code: str = "ACME",
    collector: str | None = None,
    language: str = "en",
    history_bound: int = COLLECTION_HISTORY_BOUND,
) -> tuple[InvoicePublic, WorkflowHandle[Any, Any]]:
    """The customer `code`, dunned by DUNNING_LADDER, owes `total` (no tax) due `due_in_days`
    from today; the invoice's collection workflow runs."""
    factories.dunning_policy(flow.engine)
    customer = factories.customer(flow.engine, code, collector=collector, language=language)
    due = await flow.today() + timedelta(days=due_in_days)
    invoice = factories.invoice(flow.engine, customer.id, total, tax_rate="0", due=due)
    return invoice, await flow.start_collection(invoice, history_bound)


def steps(engine: Engine, invoice: InvoicePublic) -> list[tuple[int, int, Decimal, Decimal]]:
    """(level, days past due, fee, interest) of every step the invoice reached."""
    with Session(engine) as session:
        found = session.exec(
            select(DunningStep)
            .where(DunningStep.invoice_id == invoice.id)
            .order_by(col(DunningStep.level))
        ).all()
        return [(s.level, s.days_past_due, s.fee, s.interest) for s in found]


def charges(engine: Engine, invoice: InvoicePublic) -> list[tuple[str, Decimal, Decimal]]:
    """(kind, total, outstanding) of the fee and interest charges raised on the invoice."""
    with Session(engine) as session:
        found = session.exec(
            select(Invoice).where(Invoice.parent_invoice_id == invoice.id).order_by(col(Invoice.id))
        ).all()
        return [(InvoiceKind(c.kind).value, c.total, c.outstanding) for c in found]


def task_of(engine: Engine, invoice: InvoicePublic) -> CollectionTask | None:
    with Session(engine, expire_on_commit=False) as session:
        return session.exec(
            select(CollectionTask).where(CollectionTask.invoice_id == invoice.id)
        ).first()


async def customer_pays(flow: Flow, invoice: InvoicePublic, amount: str) -> None:
    """Finance records the payment against the invoice; the relay tells its workflow."""
    received = date(2026, 12, 1)
    allocations = {invoice.id: amount}
    factories.payment(
        flow.engine, invoice.customer_id, amount, received_on=received, allocations=allocations
    )
    await flow.relay()
