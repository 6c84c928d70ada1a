"""The behaviour the monthly run reads for every customer at once is, factor by factor, the one a
customer's credit profile and review read for that customer alone (one definition, both ways),
for customers unlike each other, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

import activities.credit.behaviour as behaviour_module
from activities.credit.behaviour import behaviours, behaviours_in_turn
from models.collection.tasks import InvoiceDispute, PaymentPromise, PromiseStatus
from models.credit.payment_days import InvoicePayment, PaymentRecord, payment_record
from models.credit.profile import Behaviour, BehaviourFacts
from models.receivables.invoices import Invoice, InvoiceKind, InvoiceStatus
from models.receivables.payments import PaymentAllocation
from tests import factories

AS_OF = date(2026, 6, 30)


def _promise(session: Session, invoice_id: int, status: PromiseStatus, n: int) -> None:
    session.add(
        PaymentPromise(
            key=f"promise-{invoice_id}-{n}",
            invoice_id=invoice_id,
            promised_date=date(2026, 6, 1),
            amount=Decimal("10.00"),
            settled_before=Decimal(0),
            status=status,
            by="collector",
            at=datetime(2026, 5, 1, tzinfo=UTC),
        )
    )


def _dispute(session: Session, invoice_id: int, n: int, resolved: bool) -> None:
    session.add(
        InvoiceDispute(
            key=f"dispute-{invoice_id}-{n}",
            invoice_id=invoice_id,
            reason="damaged",
            opened_by="collector",
            opened_at=datetime(2026, 4, 1, tzinfo=UTC),
            resolved_at=datetime(2026, 4, 20, tzinfo=UTC) if resolved else None,
        )
    )


def varied_customers(engine: Engine) -> dict[str, int]:
    """A payer late and on time, one overdue across the window with dunning and no limit, one
    with nothing, one with promises, disputes and credit, one with old debt only."""
    payer = factories.customer(engine, "PAYER", credit_limit="1000.00")
    late = factories.invoice(engine, payer.id, "100.00", due=date(2026, 3, 1))
    on_time = factories.invoice(engine, payer.id, "300.00", due=date(2026, 6, 20))
    factories.payment(
        engine, payer.id, "110.00", received_on=date(2026, 3, 11), allocations={late.id: "110"}
    )
    factories.payment(
        engine, payer.id, "330.00", received_on=date(2026, 6, 1), allocations={on_time.id: "330"}
    )
    factories.invoice(engine, payer.id, "50.00", due=date(2026, 7, 15))  # not due yet

    overdue = factories.customer(engine, "OVERDUE", credit_limit="0.00")
    dunned = factories.invoice(engine, overdue.id, "80.00", due=date(2026, 6, 20))
    factories.invoice(engine, overdue.id, "200.00", due=date(2026, 5, 1))
    factories.invoice(engine, overdue.id, "40.00", due=date(2025, 12, 1))

    quiet = factories.customer(engine, "QUIET", credit_limit="500.00")

    talker = factories.customer(engine, "TALKER", credit_limit="2000.00")
    promised = factories.invoice(engine, talker.id, "500.00", due=date(2026, 4, 1))
    credited = factories.invoice(engine, talker.id, "60.00", due=date(2026, 2, 1))

    old = factories.customer(engine, "OLD", credit_limit="300.00")
    factories.invoice(engine, old.id, "90.00", due=date(2025, 3, 1))  # before the window

    with Session(engine) as session, session.begin():
        row = session.get(Invoice, dunned.id)
        assert row is not None
        row.dunning_level = 2
        won = session.get(Invoice, credited.id)
        assert won is not None
        won.credited = Decimal("10.00")
        _promise(session, promised.id, PromiseStatus.KEPT, 1)
        _promise(session, promised.id, PromiseStatus.BROKEN, 2)
        _promise(session, promised.id, PromiseStatus.BROKEN, 3)
        _dispute(session, promised.id, 1, resolved=True)  # lost: no credit on the invoice
        _dispute(session, credited.id, 2, resolved=True)  # upheld: the invoice was credited
        _dispute(session, promised.id, 3, resolved=False)
    return {c.code: c.id for c in (payer, overdue, quiet, talker, old)}


def test_every_customer_reads_the_same_alone_as_in_the_monthly_run(engine: Engine) -> None:
    customers = varied_customers(engine)

    with Session(engine) as session:
        everyone = behaviours(session, AS_OF)
        alone = {code: behaviours(session, AS_OF, [i])[i] for code, i in customers.items()}

    for code, customer_id in customers.items():
        assert alone[code].model_dump() == everyone[customer_id].model_dump(), code
        # Built without validation: the same as the validated model, field for field.
        assert Behaviour.model_validate(alone[code].model_dump()) == alone[code], code
        assert alone[code].model_fields_set == set(Behaviour.model_fields)
    payer, overdue, quiet = alone["PAYER"], alone["OVERDUE"], alone["QUIET"]
    assert (payer.invoices_due, payer.late_share, payer.average_days_beyond_terms) == (
        2,
        Decimal("50.0"),
        Decimal("5.0"),
    )
    assert (payer.open_receivables, payer.overdue, payer.utilisation) == (
        Decimal("55.00"),
        Decimal("0.00"),
        Decimal("5.5"),
    )
    assert (overdue.invoices_due, overdue.highest_dunning_level, overdue.utilisation) == (
        3,
        2,
        None,
    )
    assert (overdue.overdue_share, overdue.payment_trend) == (Decimal("100.0"), "improving")
    assert (quiet.invoices_due, quiet.exposure, quiet.utilisation) == (0, Decimal("0.00"), 0)
    talker = alone["TALKER"]
    assert (talker.promises_kept, talker.promises_broken) == (1, 2)
    assert (talker.disputes_opened, talker.disputes_lost) == (3, 1)
    old = alone["OLD"]
    assert (old.invoices_due, old.overdue, old.overdue_share) == (0, Decimal("99.00"), 100)


def _payments_of(session: Session, customer_id: int) -> list[InvoicePayment]:
    """The customer's invoices as the pure `payment_record` takes them: settled on the last
    allocation (or on time) once nothing is owed, else still open."""
    found = []
    for invoice in session.exec(
        select(Invoice).where(
            Invoice.customer_id == customer_id,
            Invoice.kind == InvoiceKind.INVOICE,
            Invoice.status != InvoiceStatus.VOID,
        )
    ):
        days = session.exec(
            select(col(PaymentAllocation.allocated_on)).where(
                PaymentAllocation.invoice_id == invoice.id,
                col(PaymentAllocation.reversed_on).is_(None),
            )
        ).all()
        settled = max(days, default=invoice.due_date) if invoice.outstanding <= 0 else None
        found.append(InvoicePayment(invoice.due_date, invoice.total, settled))
    return found


# The payment days of a behaviour read, each beside its name in a `PaymentRecord`.
PAYMENT_DAYS = {
    "invoices_due": "invoices_due",
    "average_days_beyond_terms": "average_days",
    "weighted_days_beyond_terms": "weighted_days",
    "month_days_beyond_terms": "month_days",
    "late_share": "late_share",
    "trend_days": "trend_days",
}


def payment_days(seen: Behaviour) -> tuple[object, ...]:
    return tuple(getattr(seen, name) for name in PAYMENT_DAYS)


def record_days(record: PaymentRecord) -> tuple[object, ...]:
    return tuple(getattr(record, name) for name in PAYMENT_DAYS.values())


def test_the_monthly_run_sees_what_its_own_transaction_changed(engine: Engine) -> None:
    # On PostgreSQL the run reads the open amounts on a second connection beside the payment
    # days, but not once its transaction has written: that connection would not see the write.
    customers = varied_customers(engine)
    overdue = customers["OVERDUE"]

    with Session(engine) as session, session.begin():
        invoice = session.exec(select(Invoice).where(Invoice.customer_id == overdue)).first()
        assert invoice is not None
        invoice.outstanding = Decimal("1.00")
        session.add(invoice)
        session.flush()
        everyone = behaviours(session, AS_OF)
        alone = behaviours(session, AS_OF, [overdue])[overdue]

    assert everyone[overdue].open_receivables == alone.open_receivables
    assert everyone[overdue].model_dump() == alone.model_dump()


def test_the_payment_days_summed_in_sql_are_those_of_each_invoice(engine: Engine) -> None:
    """The grouped query (the window, its last 3 months and last 30 days summed per customer)
    gives the record the pure `payment_record` makes invoice by invoice."""
    customers = varied_customers(engine)
    extra = factories.customer(engine, "SPREAD", credit_limit="5000.00")
    for n, (due, amount) in enumerate(
        [(date(2026, 6, 25), "70.00"), (date(2026, 5, 10), "130.00"), (date(2025, 9, 1), "45.50")]
    ):
        owed = factories.invoice(engine, extra.id, amount, due=due)
        if n == 1:
            factories.payment(
                engine,
                extra.id,
                amount,
                received_on=date(2026, 6, 2),
                allocations={owed.id: amount},
            )
    customers["SPREAD"] = extra.id

    with Session(engine) as session:
        everyone = behaviours(session, AS_OF)
        for code, customer_id in customers.items():
            record = payment_record(_payments_of(session, customer_id), AS_OF)
            assert payment_days(everyone[customer_id]) == record_days(record), code
    assert everyone[extra.id].trend_days is not None
    assert everyone[extra.id].month_days_beyond_terms is not None


def test_the_monthly_run_read_a_few_customers_at_a_time_reads_the_same(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On PostgreSQL the monthly run reads the behaviours a range of customers at a time on
    connections of their own (`behaviours_in_turn`): in ranges of two customers here, the first
    and the last alone, each customer's behaviour is the one read alone, and every customer
    comes once, in id order."""
    customers = varied_customers(engine)
    monkeypatch.setattr(behaviour_module, "RANGE_SIZE", 2)
    monkeypatch.setattr(behaviour_module, "EDGE_SIZE", 1)

    with Session(engine) as session:
        parts = list(behaviours_in_turn(session, AS_OF))
        alone = {i: behaviours(session, AS_OF, [i])[i] for i in customers.values()}

    if engine.dialect.name == "postgresql":
        assert [len(part) for part in parts] == [1, 2, 1, 1]
    seen = [(customer_id, b) for part in parts for customer_id, b in part.items()]
    assert [customer_id for customer_id, _ in seen] == sorted(customers.values())
    for customer_id, b in seen:
        assert b._asdict() == alone[customer_id].model_dump(), customer_id


def test_the_values_the_monthly_run_makes_are_those_of_the_model_field_for_field() -> None:
    assert BehaviourFacts._fields == tuple(Behaviour.model_fields)
