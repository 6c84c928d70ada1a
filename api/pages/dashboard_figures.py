"""What the dashboard reads, for whom: each figure only for the roles that may read the API
report behind it, read in one transaction and only when the person may see it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from activities.reports.collection_effectiveness import (
    CollectionEffectiveness,
    collection_effectiveness,
)
from activities.reports.credit_utilisation import CreditUse, largest_exposures
from activities.reports.largest_balances import largest_balances
from activities.reports.order_book import (
    MonthBookings,
    StatusCount,
    monthly_bookings,
    orders_by_status,
)
from activities.reports.sales import dso_report
from activities.sales import approvals
from api.pages.access import INBOX
from models.reports.ageing import DEFAULT_BUCKETS, AgeingReport
from models.reports.sales import DsoReport
from models.sales.approvals import TaskStatus
from models.security.users import Role, User

# The API's readers of each source (admin reads everything; the auditor every report).
# GET /reports/ar-aging and /reports/dso (api/routes/reports/reports.py):
RECEIVABLES = frozenset({Role.FINANCE, Role.CREDIT_MANAGER, Role.COLLECTOR, Role.AUDITOR})
# GET /orders (api/routes/sales/orders.py): what was booked and where orders stand.
ORDER_BOOK = frozenset(
    {Role.SALES, Role.APPROVER, Role.CREDIT_MANAGER, Role.WAREHOUSE, Role.FINANCE, Role.AUDITOR}
)
# GET /customers/{id}/credit (api/routes/master_data/customers.py):
CREDIT = frozenset(
    {Role.SALES, Role.FINANCE, Role.CREDIT_MANAGER, Role.COLLECTOR, Role.APPROVER, Role.AUDITOR}
)

DSO_DAYS = 90
CEI_DAYS = 30
SALES_MONTHS = 12
TOP_CUSTOMERS = 10

# What a part of the dashboard needs read: the tiles, or one chart by its key.
TILES = "tiles"
AGEING, OVERDUE, SALES, CREDIT_USE, STATUSES = "ageing", "overdue", "sales", "credit", "statuses"
EVERYTHING = frozenset({TILES, AGEING, OVERDUE, SALES, CREDIT_USE, STATUSES})


def may_read(user: User, readers: frozenset[Role]) -> bool:
    return bool(user.role_set & (readers | {Role.ADMIN}))


@dataclass
class Figures:
    """None: not read, because this person may not see it or it was not asked for."""

    ageing: AgeingReport | None = None
    dso: DsoReport | None = None
    effectiveness: list[CollectionEffectiveness] | None = None
    bookings: list[MonthBookings] | None = None
    statuses: list[StatusCount] | None = None
    credit: list[CreditUse] | None = None
    waiting: int | None = None


# Which reports a person reads (receivables, order book, credit): everyone with the same
# answer sees the same figures.
Sources = tuple[bool, bool, bool]


def read_figures(
    session: Session, user: User, today: date, parts: frozenset[str] = EVERYTHING
) -> Figures:
    figures = read_reports(session, sources(user), today, parts)
    figures.waiting = waiting_for(session, user, parts)
    return figures


def sources(user: User) -> Sources:
    """Which reports this person reads: the same for everyone with the same answer."""
    return may_read(user, RECEIVABLES), may_read(user, ORDER_BOOK), may_read(user, CREDIT)


def active_sources(session: Session) -> set[Sources]:
    """The sets of reports the active people read, each once."""
    return {sources(user) for user in session.exec(select(User).where(col(User.active))).all()}


def waiting_for(session: Session, user: User, parts: frozenset[str]) -> int | None:
    """The orders waiting for this person's decision: theirs alone, so never kept."""
    if INBOX.allows(user) and TILES in parts:
        return approvals.inbox(session, user, TaskStatus.PENDING, 1, 0)[1]
    return None


def read_reports(session: Session, who: Sources, today: date, parts: frozenset[str]) -> Figures:
    """Every figure but the waiting orders: those of the reports `who` reads."""
    receivables, order_book, credit = who
    figures = Figures()
    if receivables and parts & {TILES, AGEING, OVERDUE}:
        figures.ageing = largest_balances(session, today, DEFAULT_BUCKETS, TOP_CUSTOMERS)
        if TILES in parts:
            figures.dso = dso_report(session, today, DSO_DAYS)
            figures.effectiveness = collection_effectiveness(session, figures.ageing, CEI_DAYS)
    if order_book:
        if parts & {TILES, SALES}:
            figures.bookings = monthly_bookings(session, today, SALES_MONTHS)
        if STATUSES in parts:
            figures.statuses = orders_by_status(session)
    if credit and CREDIT_USE in parts:
        figures.credit = largest_exposures(session, TOP_CUSTOMERS)
    return figures
