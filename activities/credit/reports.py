"""Credit reports: every customer's limit, exposure, score and reviews; how customers spread by
region, segment, class and grade; bad debt against what was invoiced; the riskiest exposures."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, text, type_coerce
from sqlmodel import Session, col

from activities.credit.behaviour import behaviours
from activities.credit.reviews import review_context
from models.columns import MoneyColumn
from models.credit.payment_days import WINDOW, share
from models.credit.profile import score_inputs
from models.credit.reports import (
    UNREVIEWED,
    BadDebtReport,
    BadDebtRow,
    CreditReport,
    CreditReportRow,
    Distribution,
    DistributionKey,
    DistributionRow,
)
from models.credit.reviews import OPEN_REVIEW, CreditReview
from models.credit.scorecard import Grade, graded
from models.errors import InvalidInput
from models.master_data.customers import Customer
from models.money import ZERO
from models.receivables.invoices import Invoice, InvoiceKind, InvoiceStatus

RISKY = (Grade.D, Grade.E)


def _sum(column: Any) -> Any:
    return type_coerce(func.sum(column), MoneyColumn())


def credit_report(session: Session, as_of: date) -> CreditReport:
    """Every customer, by code, scored now by the scorecard in force."""
    customers = session.execute(select(Customer).order_by(col(Customer.code))).scalars().all()
    seen = behaviours(session, as_of)
    context = review_context(session, as_of, None)
    _, spec = context.card
    last = dict(
        session.execute(
            select(col(CreditReview.customer_id), func.max(CreditReview.as_of)).group_by(
                col(CreditReview.customer_id)
            )
        ).all()
    )
    waiting = Counter(
        session.execute(select(col(CreditReview.customer_id)).where(text(OPEN_REVIEW))).scalars()
    )
    rows = []
    for customer in customers:
        customer_id = customer.id or 0
        behaviour = seen[customer_id]
        financials = context.financials.get(customer_id)
        points, grade = graded(spec, score_inputs(behaviour, financials, customer.currency))
        rows.append(
            CreditReportRow(
                customer_id=customer_id,
                code=customer.code,
                name=customer.name,
                currency=customer.currency,
                credit_class=customer.credit_class,
                credit_limit=customer.credit_limit,
                exposure=behaviour.exposure,
                utilisation=behaviour.utilisation,
                overdue=behaviour.overdue,
                score=points,
                grade=grade,
                on_hold=customer_id in context.held,
                last_review=last.get(customer_id),
                open_proposals=waiting.get(customer_id, 0),
            )
        )
    return CreditReport(as_of=as_of, rows=rows)


def risk_list(session: Session, as_of: date, top: int) -> CreditReport:
    """Customers graded D or E, the largest exposure first."""
    report = credit_report(session, as_of)
    risky = [row for row in report.rows if row.grade in RISKY]
    risky.sort(key=lambda row: (-row.exposure, row.code))
    return CreditReport(as_of=as_of, rows=risky[:top])


def _latest_grades(session: Session) -> dict[int, str]:
    latest = (
        select(func.max(CreditReview.id)).group_by(col(CreditReview.customer_id)).scalar_subquery()
    )
    query = select(col(CreditReview.customer_id), col(CreditReview.grade)).where(
        col(CreditReview.id).in_(latest)
    )
    return {customer_id: str(grade) for customer_id, grade in session.execute(query).all()}


def distribution(session: Session, by: DistributionKey, as_of: date) -> Distribution:
    """Customers, sales of the last 12 months and open receivables per region, segment, class or
    grade (of the last review), and currency."""
    grades = _latest_grades(session) if by == DistributionKey.GRADE else {}
    invoiced = dict(
        session.execute(
            select(col(Invoice.customer_id), _sum(Invoice.total))
            .where(
                col(Invoice.issue_date) > as_of - WINDOW,
                col(Invoice.issue_date) <= as_of,
                col(Invoice.status) != InvoiceStatus.VOID,
                col(Invoice.kind) == InvoiceKind.INVOICE,
            )
            .group_by(col(Invoice.customer_id))
        ).all()
    )
    owed = dict(
        session.execute(
            select(col(Invoice.customer_id), _sum(Invoice.outstanding))
            .where(col(Invoice.outstanding) > 0)
            .group_by(col(Invoice.customer_id))
        ).all()
    )
    groups: dict[tuple[str, str], list[Decimal]] = defaultdict(lambda: [ZERO, ZERO, ZERO])
    for customer in session.execute(select(Customer)).scalars():
        customer_id = customer.id or 0
        if by == DistributionKey.GRADE:
            key = grades.get(customer_id, UNREVIEWED)
        else:
            key = getattr(customer, by.value) or "-"
        group = groups[(key, customer.currency)]
        group[0] += 1
        group[1] += invoiced.get(customer_id) or ZERO
        group[2] += owed.get(customer_id) or ZERO
    rows = [
        DistributionRow(
            key=key,
            currency=currency,
            customers=int(count),
            sales=sales,
            open_receivables=open_ar,
        )
        for (key, currency), (count, sales, open_ar) in sorted(groups.items())
    ]
    return Distribution(by=by, as_of=as_of, rows=rows)


def bad_debt(session: Session, period_from: date, period_to: date) -> BadDebtReport:
    """Written off against invoiced, by month of issue and credit class."""
    if period_from > period_to:
        raise InvalidInput("from: the period starts after it ends", "from")
    rows_by: dict[tuple[str, str, str], list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    query = (
        select(
            col(Invoice.issue_date),
            col(Customer.credit_class),
            col(Invoice.currency),
            col(Invoice.total),
            col(Invoice.written_off),
        )
        .join(Customer, col(Customer.id) == col(Invoice.customer_id))
        .where(
            col(Invoice.issue_date) >= period_from,
            col(Invoice.issue_date) <= period_to,
            col(Invoice.status) != InvoiceStatus.VOID,
            col(Invoice.kind) == InvoiceKind.INVOICE,
        )
    )
    for issued, credit_class, currency, total, written_off in session.execute(query).all():
        sums = rows_by[(issued.strftime("%Y-%m"), credit_class, currency)]
        sums[0] += total
        sums[1] += written_off
    return BadDebtReport(
        period_from=period_from,
        period_to=period_to,
        rows=[
            BadDebtRow(
                period=period,
                credit_class=credit_class,
                currency=currency,
                invoiced=invoiced,
                written_off=written_off,
                ratio_pct=share(written_off, invoiced),
            )
            for (period, credit_class, currency), (invoiced, written_off) in sorted(rows_by.items())
        ],
    )
