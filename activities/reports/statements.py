"""Customer statements from the ledger: a customer's balance is what their receivable lines and
their unapplied-credit lines add up to (debit minus credit), so any period can be replayed."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, type_coerce
from sqlmodel import Session, col

from activities.master_data.customers import get_customer
from activities.reports.ageing import ageing_report
from models.columns import MoneyColumn
from models.errors import InvalidInput
from models.money import ZERO, quantize
from models.receivables.ledger import Account, LedgerEntry, LedgerLine
from models.reports.ageing import DEFAULT_BUCKETS, AgeingBasis
from models.reports.statements import CustomerStatement, StatementAgeing, StatementLine

BALANCE_ACCOUNTS = (Account.RECEIVABLES, Account.CUSTOMER_CREDIT)
MAX_PERIOD_DAYS = 3660


def _effect() -> Any:
    return type_coerce(func.sum(LedgerLine.debit - LedgerLine.credit), MoneyColumn())


def _customer_lines(customer_id: int, accounts: tuple[Account, ...] = BALANCE_ACCOUNTS) -> Any:
    return (
        select()
        .select_from(LedgerLine)
        .join(LedgerEntry, col(LedgerEntry.id) == col(LedgerLine.entry_id))
        .where(
            col(LedgerEntry.customer_id) == customer_id,
            col(LedgerLine.account).in_(accounts),
        )
    )


def balance_on(
    session: Session,
    customer_id: int,
    day: date,
    accounts: tuple[Account, ...] = BALANCE_ACCOUNTS,
) -> Decimal:
    """What the customer owes at the end of `day`: open items less unapplied credit."""
    query = _customer_lines(customer_id, accounts).add_columns(_effect())
    value = session.execute(query.where(col(LedgerLine.posted_on) <= day)).scalar_one()
    return value or ZERO


def customer_statement(
    session: Session,
    customer_id: int,
    period_from: date,
    period_to: date,
    bounds: tuple[int, ...] = DEFAULT_BUCKETS,
) -> CustomerStatement:
    if period_from > period_to:
        raise InvalidInput("from: the period starts after it ends", "from")
    if (period_to - period_from).days > MAX_PERIOD_DAYS:
        raise InvalidInput("from: a statement covers ten years at most", "from")
    customer = get_customer(session, customer_id)
    currency = customer.currency
    opening = quantize(balance_on(session, customer_id, period_from - timedelta(days=1)), currency)
    documents = (
        _customer_lines(customer_id)
        .add_columns(
            col(LedgerEntry.posted_on),
            col(LedgerEntry.document),
            col(LedgerEntry.document_id),
            col(LedgerEntry.memo),
            _effect().label("effect"),
        )
        .where(col(LedgerLine.posted_on) >= period_from, col(LedgerLine.posted_on) <= period_to)
        .group_by(col(LedgerEntry.id))
        .order_by(col(LedgerEntry.posted_on), col(LedgerEntry.id))
    )
    balance, lines = opening, []
    for posted_on, document, document_id, memo, effect in session.execute(documents).all():
        effect = quantize(effect or ZERO, currency)
        if not effect:  # e.g. credit applied to an invoice: the balance does not move
            continue
        balance += effect
        lines.append(
            StatementLine(
                date=posted_on,
                document=document,
                document_id=document_id,
                reference=memo or f"{document} {document_id}",
                charges=max(effect, ZERO),
                credits=max(-effect, ZERO),
                balance=balance,
            )
        )
    report = ageing_report(session, period_to, AgeingBasis.DUE_DATE, bounds, customer_id)
    labels = report.buckets
    row = next((c for c in report.customers if c.currency == currency), None)
    zero = quantize(ZERO, currency)
    ageing = StatementAgeing(
        as_of=period_to,
        buckets=labels,
        not_due=row.not_due if row else zero,
        amounts=row.amounts if row else {label: zero for label in labels},
        total=row.total if row else zero,
    )
    return CustomerStatement(
        customer_id=customer_id,
        code=customer.code,
        name=customer.name,
        currency=currency,
        period_from=period_from,
        period_to=period_to,
        opening_balance=opening,
        lines=lines,
        closing_balance=balance,
        unapplied_credit=-quantize(
            balance_on(session, customer_id, period_to, (Account.CUSTOMER_CREDIT,)), currency
        ),
        ageing=ageing,
    )


def statement_tables(
    statement: CustomerStatement,
) -> list[tuple[str, list[str], list[list[Any]]]]:
    """The statement as worksheets: the account's movements, then its ageing."""
    movements: list[list[Any]] = [
        [statement.period_from, "opening_balance", "", None, None, statement.opening_balance]
    ]
    movements += [
        [x.date, x.document, x.reference, x.charges or None, x.credits or None, x.balance]
        for x in statement.lines
    ]
    movements.append(
        [statement.period_to, "closing_balance", "", None, None, statement.closing_balance]
    )
    if statement.unapplied_credit:
        movements.append(
            [statement.period_to, "unapplied_credit", "", None, statement.unapplied_credit, None]
        )
    ageing = statement.ageing
    return [
        (
            "Statement",
            ["date", "document", "reference", "charges", "credits", "balance"],
            movements,
        ),
        (
            "Ageing",
            ["as_of", "not_due", *ageing.buckets, "total"],
            [[ageing.as_of, ageing.not_due, *ageing.amounts.values(), ageing.total]],
        ),
    ]
