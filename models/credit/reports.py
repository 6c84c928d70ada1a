"""The credit reports' rows: every customer's credit, the customer distribution, the bad-debt
ratio by period and class, and the risk list."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlmodel import SQLModel

from models.money import Amount, DecimalStr

UNREVIEWED = "unreviewed"


class CreditReportRow(SQLModel):
    customer_id: int
    code: str
    name: str
    currency: str
    credit_class: str
    credit_limit: Amount
    exposure: Amount
    utilisation: DecimalStr | None
    overdue: Amount
    score: int
    grade: str
    on_hold: bool
    last_review: date | None
    open_proposals: int


class CreditReport(SQLModel):
    as_of: date
    rows: list[CreditReportRow]


class DistributionKey(StrEnum):
    REGION = "region"
    SEGMENT = "segment"
    CREDIT_CLASS = "credit_class"
    GRADE = "grade"


class DistributionRow(SQLModel):
    key: str
    currency: str
    customers: int
    sales: Amount  # invoiced in the 12 months before as_of
    open_receivables: Amount


class Distribution(SQLModel):
    by: DistributionKey
    as_of: date
    rows: list[DistributionRow]


class BadDebtRow(SQLModel):
    period: str  # YYYY-MM of the invoice's issue
    credit_class: str
    currency: str
    invoiced: Amount
    written_off: Amount
    ratio_pct: DecimalStr | None


class BadDebtReport(SQLModel):
    period_from: date
    period_to: date
    rows: list[BadDebtRow]
