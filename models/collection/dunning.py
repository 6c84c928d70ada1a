"""Dunning policies as stored (a credit class's policy or one customer's override; the built-in
default applies when neither exists) and the steps invoices reached. The terms themselves and the
ladder's maths are table-free, in models.collection.dunning_terms."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Column, Time
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from models.base import money_field, timestamp_field
from models.collection.dunning_terms import DunningTerms
from models.money import Amount
from models.receivables.invoices import InvoiceStatus


class DunningPolicy(SQLModel, table=True):
    """A credit class's policy (customer_id empty) or one customer's override."""

    __tablename__ = "dunning_policy"
    id: int | None = SQLField(default=None, primary_key=True)
    credit_class: str | None = SQLField(default=None, unique=True, max_length=32)
    customer_id: int | None = SQLField(default=None, foreign_key="customer.id", unique=True)
    reminder_days_before_due: int | None = None
    levels: list[dict[str, Any]] = SQLField(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    min_outstanding: Decimal = money_field()
    run_at: time = SQLField(sa_column=Column(Time(), nullable=False))
    promise_grace_days: int = 3
    task_remind_after_hours: int = 24
    task_escalate_after_hours: int = 72
    write_off_after_days: int | None = None
    updated_at: datetime = timestamp_field()

    def terms(self) -> DunningTerms:
        return DunningTerms.model_validate(self.model_dump(exclude={"id", "updated_at"}))


class DunningPolicyIn(DunningTerms):
    pass


class DunningPolicyPublic(DunningTerms):
    id: int | None
    credit_class: str | None
    customer_id: int | None


class DunningStep(SQLModel, table=True):
    """An invoice reached a step of the ladder: the row the daily digest e-mails, once."""

    __tablename__ = "dunning_step"
    id: int | None = SQLField(default=None, primary_key=True)
    key: str = SQLField(unique=True, max_length=160)
    invoice_id: int = SQLField(foreign_key="invoice.id", index=True)
    customer_id: int = SQLField(foreign_key="customer.id", index=True)
    level: int  # 0 is the reminder before the due date
    reached_on: date = SQLField(index=True)
    days_past_due: int
    outstanding: Decimal = money_field()
    fee: Decimal = money_field()
    interest: Decimal = money_field()
    template: str = SQLField(max_length=64)
    credit_hold: bool = False
    digest_outbox_id: int | None = SQLField(default=None, index=True)
    created_at: datetime = timestamp_field()


class DunningStepPublic(SQLModel):
    level: int
    reached_on: date
    days_past_due: int
    outstanding: Amount
    fee: Amount
    interest: Amount
    credit_hold: bool
    digested: bool


# An invoice in these states is not dunned and puts nobody on credit hold.
NOT_DUNNED = (
    InvoiceStatus.DISPUTED,
    InvoiceStatus.PAID,
    InvoiceStatus.WRITTEN_OFF,
    InvoiceStatus.VOID,
)
