"""Property tests on the real database, through the use cases: whatever mix of invoices,
payments, allocations, credit notes, write-offs, reversals and credit applications happens,
the ledger balances, receivables control equals the open items less unapplied credit,
outstanding is never negative, and allocations never exceed their payment."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, col, select

from activities.receivables.credit_notes import issue_credit_note
from activities.receivables.invoice_balance import unapplied_credit
from activities.receivables.ledger import account_balance, trial_balance
from activities.receivables.payments import reverse_payment
from activities.receivables.unapplied_credit import apply_credit
from activities.receivables.write_offs import write_off_invoice
from models.errors import O2CError
from models.receivables.invoices import Invoice, InvoiceInstalment
from models.receivables.ledger import Account, LedgerLine
from models.receivables.payments import (
    CreditApplication,
    Payment,
    PaymentAllocation,
    PaymentReverse,
)
from models.receivables.write_offs import WriteOffCreate
from tests import factories
from tests.support.database import rows

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("900.00"), places=2)
DAY = date(2026, 1, 1)


def _empty(engine: Engine) -> None:
    with engine.begin() as conn:
        for table in reversed(SQLModel.metadata.sorted_tables):
            conn.execute(table.delete())


class Receivables(RuleBasedStateMachine):
    engine: Engine

    def __init__(self) -> None:
        super().__init__()
        _empty(self.engine)
        self.customers = [
            factories.customer(self.engine, code="A").id,
            factories.customer(self.engine, code="B", instalment_plan="30@30,50@60,20@90").id,
        ]
        self.invoices: list[int] = []
        self.payments: list[int] = []
        self.day = DAY
        self.keys = 0

    def _key(self) -> str:
        self.keys += 1
        return f"prop-{self.keys}"

    def _attempt(self, command) -> None:  # type: ignore[no-untyped-def]
        """A refused command must change nothing: same ledger before and after."""
        before = rows(self.engine, LedgerLine)
        try:
            with Session(self.engine) as session, session.begin():
                command(session)
        except O2CError:
            assert rows(self.engine, LedgerLine) == before

    @rule(who=st.integers(0, 1), net=amounts, tax=st.sampled_from(["0", "0.05", "0.13"]))
    def issue(self, who: int, net: Decimal, tax: str) -> None:
        self.day += timedelta(days=1)
        issued = factories.invoice(
            self.engine, self.customers[who], str(net), tax_rate=tax, issued=self.day
        )
        self.invoices.append(issued.id)

    @rule(who=st.integers(0, 1), amount=amounts, difference=st.booleans())
    def pay_oldest_first(self, who: int, amount: Decimal, difference: bool) -> None:
        try:
            paid = factories.payment(
                self.engine, self.customers[who], str(amount), write_off_difference=difference
            )
            self.payments.append(paid.id)
        except O2CError:
            pass

    @rule(who=st.integers(0, 1), amount=amounts, pick=st.integers(0, 50), share=amounts)
    def pay_as_allocated(self, who: int, amount: Decimal, pick: int, share: Decimal) -> None:
        if not self.invoices:
            return
        target = self.invoices[pick % len(self.invoices)]
        before = rows(self.engine, LedgerLine)
        try:
            paid = factories.payment(
                self.engine,
                self.customers[who],
                str(amount),
                allocations={target: share},
            )
            self.payments.append(paid.id)
        except O2CError:
            assert rows(self.engine, LedgerLine) == before

    @rule(pick=st.integers(0, 50), amount=amounts)
    def credit_note(self, pick: int, amount: Decimal) -> None:
        if self.invoices:
            target = self.invoices[pick % len(self.invoices)]
            self._attempt(
                lambda s: issue_credit_note(
                    s, target, amount=amount, reason="r", key=self._key(), on=self.day
                )
            )

    @rule(pick=st.integers(0, 50), amount=st.none() | amounts)
    def write_off(self, pick: int, amount: Decimal | None) -> None:
        if self.invoices:
            target = self.invoices[pick % len(self.invoices)]
            data = WriteOffCreate(amount=amount, reason="r")
            self._attempt(
                lambda s: write_off_invoice(s, target, data, "finance", self.day, self._key())
            )

    @rule(pick=st.integers(0, 50))
    def reverse(self, pick: int) -> None:
        if self.payments:
            target = self.payments[pick % len(self.payments)]
            data = PaymentReverse(reason="bounced")
            self._attempt(lambda s: reverse_payment(s, target, data, "finance", self.day))

    @rule(who=st.integers(0, 1), pick=st.integers(0, 50))
    def apply_credit(self, who: int, pick: int) -> None:
        if self.invoices:
            target = self.invoices[pick % len(self.invoices)]
            data = CreditApplication(invoice_id=target)
            customer = self.customers[who]
            self._attempt(lambda s: apply_credit(s, customer, data, "finance", self.day))

    @invariant()
    def ledger_balances(self) -> None:
        with Session(self.engine) as session:
            assert trial_balance(session, date(2100, 1, 1)).balanced

    @invariant()
    def receivables_control_is_open_items_less_unapplied_credit(self) -> None:
        with Session(self.engine) as session:
            open_items = Decimal(session.exec(select(func.sum(Invoice.outstanding))).one() or 0)
            credit = sum((unapplied_credit(session, c) for c in self.customers), Decimal(0))
            receivables = account_balance(session, Account.RECEIVABLES)
            customer_credit = -account_balance(session, Account.CUSTOMER_CREDIT)
            assert receivables == open_items
            assert customer_credit == credit
            assert receivables - customer_credit == open_items - credit

    @invariant()
    def outstanding_is_never_negative_and_instalments_agree(self) -> None:
        with Session(self.engine) as session:
            for inv in session.exec(select(Invoice)).all():
                assert 0 <= inv.outstanding <= inv.total
                parts = session.exec(
                    select(InvoiceInstalment).where(InvoiceInstalment.invoice_id == inv.id)
                ).all()
                assert all(p.outstanding >= 0 for p in parts)
                assert sum((p.outstanding for p in parts), Decimal(0)) == inv.outstanding
                ar = session.exec(
                    select(func.sum(LedgerLine.debit) - func.sum(LedgerLine.credit)).where(
                        LedgerLine.invoice_id == inv.id, LedgerLine.account == Account.RECEIVABLES
                    )
                ).one()
                assert Decimal(ar) == inv.outstanding

    @invariant()
    def allocations_never_exceed_the_payment(self) -> None:
        with Session(self.engine) as session:
            for payment in session.exec(select(Payment)).all():
                allocated = Decimal(
                    session.exec(
                        select(func.sum(PaymentAllocation.amount)).where(
                            PaymentAllocation.payment_id == payment.id,
                            col(PaymentAllocation.reversed_on).is_(None),
                        )
                    ).one()
                    or 0
                )
                assert payment.unapplied >= 0
                if payment.reversed_on is None:
                    assert allocated + payment.unapplied == payment.amount
                else:
                    assert allocated == 0 and payment.unapplied == 0


def test_receivables_invariants_hold_for_any_mix_of_documents(engine: Engine) -> None:
    Receivables.engine = engine
    run_state_machine_as_test(
        Receivables,
        settings=settings(
            max_examples=15,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
