"""Double-entry ledger: every money document posts balanced lines under one idempotency key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel, col

from models.base import money_field, timestamp_field
from models.money import Amount


class Account(StrEnum):
    RECEIVABLES = "1100-receivables"
    CASH = "1000-cash"
    CUSTOMER_CREDIT = "2100-customer-credit"
    TAX_PAYABLE = "2200-tax-payable"
    # The other side of what was owed when o2c went live (imported open invoices).
    OPENING_BALANCE = "3900-opening-balance"
    REVENUE = "4000-revenue"
    FEE_INCOME = "4100-fee-income"
    INTEREST_INCOME = "4200-interest-income"
    BAD_DEBT = "6100-bad-debt"


class LedgerEntry(SQLModel, table=True):
    __tablename__ = "ledger_entry"
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=160)
    posted_on: date = Field(index=True)
    document: str = Field(max_length=32)
    document_id: int
    customer_id: int | None = Field(default=None, index=True)
    memo: str | None = None
    created_at: datetime = timestamp_field()


class LedgerLine(SQLModel, table=True):
    __tablename__ = "ledger_line"
    id: int | None = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="ledger_entry.id", index=True)
    account: Account = Field(index=True)
    debit: Decimal = money_field()
    credit: Decimal = money_field()
    # Receivable lines name their invoice, so any date's open items follow from the ledger.
    invoice_id: int | None = Field(default=None, foreign_key="invoice.id", index=True)
    posted_on: date = Field(index=True)


@dataclass(frozen=True)
class Line:
    """One line of a posting: debit or credit to an account, for an invoice when receivable."""

    account: Account
    debit: Decimal = Decimal(0)
    credit: Decimal = Decimal(0)
    invoice_id: int | None = None


def debit(account: Account, amount: Decimal, invoice_id: int | None = None) -> Line:
    return Line(account, debit=amount, invoice_id=invoice_id)


def credit(account: Account, amount: Decimal, invoice_id: int | None = None) -> Line:
    return Line(account, credit=amount, invoice_id=invoice_id)


def is_balanced(lines: list[Line]) -> bool:
    debits = sum((line.debit for line in lines), Decimal(0))
    return debits == sum((line.credit for line in lines), Decimal(0))


class AccountBalance(SQLModel):
    account: Account
    debit: Amount
    credit: Amount
    balance: Amount = Field(description="debit minus credit")


class TrialBalance(SQLModel):
    as_of: date
    accounts: list[AccountBalance]
    total_debit: Amount
    total_credit: Amount
    balanced: bool


RECEIVABLE_LINE = "account = 'RECEIVABLES'"  # literal, so SQLite uses the partial index
# As-of reports sum each invoice's receivable lines up to a date: this index covers that read.
RECEIVABLE_LINES_INDEX = Index(
    "ix_ledger_line_receivable",
    col(LedgerLine.invoice_id),
    col(LedgerLine.posted_on),
    col(LedgerLine.debit),
    col(LedgerLine.credit),
    sqlite_where=text(RECEIVABLE_LINE),
    postgresql_where=text(RECEIVABLE_LINE),
)
# Ageing as of a past day takes what was posted after it off today's open amounts: this index
# reads those lines as one range, however long the history before the day.
RECEIVABLE_LINES_SINCE_INDEX = Index(
    "ix_ledger_line_receivable_since",
    col(LedgerLine.posted_on),
    col(LedgerLine.invoice_id),
    col(LedgerLine.debit),
    col(LedgerLine.credit),
    sqlite_where=text(RECEIVABLE_LINE),
    postgresql_where=text(RECEIVABLE_LINE),
)
