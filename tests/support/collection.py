"""Building blocks of the collection tests: a customer on a known dunning policy, an invoice
falling due at a known moment, its workflow, and readers for what a user would see."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from email import message_from_bytes, policy
from email.message import EmailMessage, Message

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from temporalio.client import WorkflowHandle
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.collection.policies import put_class_policy
from activities.collection.tasks import set_collector
from activities.receivables.ledger import post
from activities.receivables.payments import record_payment
from activities.security.users import create_user
from models.collection.dunning import DunningPolicyIn, DunningStep
from models.collection.dunning_terms import DunningLevelSpec
from models.collection.tasks import CollectionTask
from models.receivables.invoices import Invoice, InvoiceKind
from models.receivables.ledger import Account, credit, debit
from models.receivables.payments import PaymentCreate
from models.sales.messages import InvoiceCollectionInput, InvoiceSettlement
from models.security.users import Role, UserCreate
from o2c.mailcatcher import MailCatcher
from tests import factories
from workflows.collection.invoice_collection import InvoiceCollectionWorkflow

RUN_AT = time(6, 0)
# Reminder 3 days before due; levels at 10, 30 and 60 days past due; escalation at the top.
POLICY = DunningPolicyIn(
    reminder_days_before_due=3,
    levels=[
        DunningLevelSpec(
            level=1,
            days_past_due=10,
            fee_fixed=Decimal("5.00"),
            annual_interest_rate=Decimal("0.10"),
            template="dunning_friendly",
        ),
        DunningLevelSpec(
            level=2,
            days_past_due=30,
            fee_pct=Decimal("2"),
            annual_interest_rate=Decimal("0.10"),
            template="dunning_firm",
            credit_hold=True,
        ),
        DunningLevelSpec(
            level=3,
            days_past_due=60,
            fee_fixed=Decimal("25.00"),
            annual_interest_rate=Decimal("0.12"),
            template="dunning_final",
            credit_hold=True,
            escalate=True,
        ),
    ],
    min_outstanding=Decimal("5.00"),
    run_at=RUN_AT,
    promise_grace_days=2,
    task_remind_after_hours=24,
    task_escalate_after_hours=72,
    write_off_after_days=30,
)


def staff(engine: Engine) -> None:
    """A collector and a collections manager with mailboxes, and finance."""
    with Session(engine) as session, session.begin():
        for name, role in (
            ("carol", Role.COLLECTOR),
            ("colin", Role.COLLECTOR),
            ("max", Role.CREDIT_MANAGER),
            ("fiona", Role.FINANCE),
        ):
            create_user(
                session,
                UserCreate(
                    username=name,
                    password="correct-horse-battery",
                    roles=[role],
                    email=f"{name}@o2c.example",
                ),
            )


def customer(engine: Engine, code: str = "ACME", language: str = "en", collector: str = "") -> int:
    created = factories.customer(engine, code=code, language=language)
    with Session(engine) as session, session.begin():
        put_class_policy(session, "standard", POLICY)
        if collector:
            set_collector(session, created.id, collector)
    return created.id


def invoice(engine: Engine, customer_id: int, due: date, total: str = "1000.00") -> Invoice:
    with Session(engine, expire_on_commit=False) as session, session.begin():
        count = len(session.exec(select(Invoice.id)).all())
        row = Invoice(
            number=f"INV-2026-{count + 1:06d}",
            customer_id=customer_id,
            currency="USD",
            issue_date=due - timedelta(days=30),
            due_date=due,
            subtotal=Decimal(total),
            total=Decimal(total),
            outstanding=Decimal(total),
            key=f"test-invoice-{count + 1}",
        )
        session.add(row)
        session.flush()
        post(
            session,
            key=f"invoice-{row.id}/issue",
            posted_on=row.issue_date,
            document="invoice",
            document_id=row.id or 0,
            customer_id=customer_id,
            lines=[
                debit(Account.RECEIVABLES, row.total, row.id),
                credit(Account.REVENUE, row.total),
            ],
        )
    return row


async def start(env: WorkflowEnvironment, worker: Worker, row: Invoice) -> WorkflowHandle:
    return await env.client.start_workflow(
        InvoiceCollectionWorkflow.run,
        InvoiceCollectionInput(
            invoice_id=row.id or 0,
            customer_id=row.customer_id,
            due_date=row.due_date,
            outstanding=row.total,
        ),
        id=row.workflow_id,
        task_queue=worker.task_queue,
    )


def moment(due: date, days: int, hours: int = 1) -> datetime:
    """An hour after the step `days` from the due date is taken."""
    return datetime.combine(due + timedelta(days=days), RUN_AT, tzinfo=UTC) + timedelta(hours=hours)


async def sleep_until(env: WorkflowEnvironment, at: datetime) -> None:
    now = await env.get_current_time()
    assert at > now, f"{at} is already past ({now})"
    await env.sleep(at - now)


async def pay(
    engine: Engine, handle: WorkflowHandle, row: Invoice, amount: str, ref: str = "BANK"
) -> None:
    """Record a payment allocated to the invoice and tell its workflow (as the relay would)."""
    with Session(engine) as session, session.begin():
        payment = record_payment(
            session,
            PaymentCreate.model_validate(
                {
                    "customer_id": row.customer_id,
                    "amount": amount,
                    "received_on": "2026-12-01",
                    "reference": ref,
                    "allocations": [{"invoice_id": row.id, "amount": amount}],
                }
            ),
            "finance",
        )
    await handle.signal(
        InvoiceCollectionWorkflow.settlement,
        InvoiceSettlement(event_id=f"payment-{payment.id}", invoice_id=row.id or 0),
    )


def steps(engine: Engine, row: Invoice) -> list[tuple[int, int, Decimal, Decimal]]:
    """(level, days past due, fee, interest) of every step the invoice reached."""
    with Session(engine) as session:
        found = session.exec(
            select(DunningStep)
            .where(DunningStep.invoice_id == row.id)
            .order_by(col(DunningStep.level))
        ).all()
        return [(s.level, s.days_past_due, s.fee, s.interest) for s in found]


def charges(engine: Engine, row: Invoice) -> list[tuple[str, Decimal, Decimal]]:
    """(kind, total, outstanding) of the fee and interest charges raised on the invoice."""
    with Session(engine) as session:
        found = session.exec(
            select(Invoice).where(Invoice.parent_invoice_id == row.id).order_by(col(Invoice.id))
        ).all()
        return [(InvoiceKind(c.kind).value, c.total, c.outstanding) for c in found]


def reload(engine: Engine, row: Invoice) -> Invoice:
    with Session(engine, expire_on_commit=False) as session:
        found = session.get(Invoice, row.id)
        assert found is not None
        return found


def task_of(engine: Engine, row: Invoice) -> CollectionTask | None:
    with Session(engine, expire_on_commit=False) as session:
        return session.exec(
            select(CollectionTask).where(CollectionTask.invoice_id == row.id)
        ).first()


def mails(catcher: MailCatcher) -> list[Message]:
    return [message_from_bytes(raw, policy=policy.default) for raw in catcher.messages()]


def body(message: Message) -> str:
    assert isinstance(message, EmailMessage)
    text = message.get_body(preferencelist=("plain",))
    return str(text.get_content()) if text is not None else ""
