"""A customer's statement of account: what they owed at the start of a period, each document and
payment in it, what they owe at its end, and how old that is."""

from __future__ import annotations

from datetime import date

from sqlmodel import SQLModel

from models.money import Amount
from models.reports.ageing import AgeingAmounts


class StatementLine(SQLModel):
    date: date
    document: str  # invoice, payment, credit_note, write_off, ...
    document_id: int
    reference: str
    charges: Amount  # what raised the balance (an invoice, a fee)
    credits: Amount  # what lowered it (a payment, a credit note, a write-off)
    balance: Amount


class StatementAgeing(AgeingAmounts):
    as_of: date
    buckets: list[str]


class CustomerStatement(SQLModel):
    customer_id: int
    code: str
    name: str
    currency: str
    period_from: date
    period_to: date
    opening_balance: Amount
    lines: list[StatementLine]
    closing_balance: Amount
    unapplied_credit: Amount  # received and not yet applied: closing = open items - this
    ageing: StatementAgeing
