"""Who may open which page: the catalogue the navigation is drawn from and every page checks,
so a link is shown exactly to those the page answers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated, NoReturn

from fastapi import Depends, Request

from activities.security.audit_context import act_as
from activities.security.audit_trail import record_role_denial
from api.deps import Database, get_database, get_settings_dep, get_temporal_link
from api.pages.i18n import N_
from api.pages.session import csrf_valid, session_holder
from api.temporal_link import TemporalLink
from models.security.users import Role, User
from o2c.settings import Settings


@dataclass(frozen=True)
class Page:
    key: str
    path: str
    label: str  # English source text; translated when drawn
    roles: frozenset[Role]  # admin may open every page

    def allows(self, user: User) -> bool:
        return self.opens_to(user.role_set)

    def opens_to(self, held: frozenset[Role]) -> bool:
        return bool(held & (self.roles | {Role.ADMIN}))


EVERYONE = frozenset(Role)
DASHBOARD = Page("dashboard", "/app", N_("Dashboard"), EVERYONE)
# The approval policy names who decides each level (a role or a user); the inbox filters by it.
INBOX = Page("inbox", "/app/inbox", N_("Approvals"), frozenset(Role) - {Role.AUDITOR})
# Work queues open to those the API lets act on them; lists to those it lets read them.
CREDIT_HOLDS = Page(
    "credit-holds", "/app/credit/holds", N_("Credit holds"), frozenset({Role.CREDIT_MANAGER})
)
CREDIT_REVIEWS = Page(
    "credit-reviews", "/app/credit/reviews", N_("Credit reviews"), frozenset({Role.CREDIT_MANAGER})
)
CREDIT_POLICIES = Page(
    "credit-policies",
    "/app/credit/policies",
    N_("Credit policies"),
    frozenset({Role.APPROVER, Role.SALES, Role.CREDIT_MANAGER, Role.FINANCE, Role.AUDITOR}),
)
# As the API's credit reports (`GET /reports/credit`, `/credit-risk`, `/customer-distribution`,
# `/bad-debt`) and the readers of `GET /credit-scorecards` and `GET /credit-review-rules`.
CREDIT_READERS = frozenset({Role.CREDIT_MANAGER, Role.FINANCE, Role.APPROVER, Role.AUDITOR})
CREDIT_REPORT = Page("credit-report", "/app/credit/reports", N_("Credit report"), CREDIT_READERS)
CREDIT_RISK = Page("credit-risk", "/app/credit/reports/risk", N_("Risk list"), CREDIT_READERS)
CREDIT_DISTRIBUTION = Page(
    "credit-distribution",
    "/app/credit/reports/distribution",
    N_("Customer distribution"),
    CREDIT_READERS,
)
CREDIT_BAD_DEBT = Page(
    "credit-bad-debt", "/app/credit/reports/bad-debt", N_("Bad-debt ratio"), CREDIT_READERS
)
CREDIT_SCORECARDS = Page(
    "credit-scorecards", "/app/credit/scorecards", N_("Scorecards"), CREDIT_READERS
)
CREDIT_RULES = Page("credit-rules", "/app/credit/review-rules", N_("Review rules"), CREDIT_READERS)
WAREHOUSE = Page("warehouse", "/app/warehouse", N_("Warehouse"), frozenset({Role.WAREHOUSE}))
CUSTOMERS = Page(
    "customers",
    "/app/customers",
    N_("Customers"),
    frozenset(
        {Role.SALES, Role.FINANCE, Role.CREDIT_MANAGER, Role.COLLECTOR, Role.APPROVER, Role.AUDITOR}
    ),
)
PRODUCTS = Page("products", "/app/products", N_("Products"), EVERYONE)
# As the API's order routes: `GET /orders` for these readers, `POST /orders` for sales.
ORDERS = Page(
    "orders",
    "/app/orders",
    N_("Orders"),
    frozenset(
        {Role.SALES, Role.APPROVER, Role.CREDIT_MANAGER, Role.WAREHOUSE, Role.FINANCE, Role.AUDITOR}
    ),
)
ORDER_ENTRY = Page("order_entry", "/app/orders/new", N_("New order"), frozenset({Role.SALES}))
# Each finance and collection page is open to exactly the roles of the API route behind it.
PAYMENTS = Page(
    "payments", "/app/finance/payments/new", N_("Record a payment"), frozenset({Role.FINANCE})
)
UNAPPLIED = Page(
    "unapplied", "/app/finance/credit", N_("Unapplied cash"), frozenset({Role.FINANCE})
)
CREDIT_NOTES = Page(
    "credit-notes", "/app/finance/credit-notes", N_("Credit notes"), frozenset({Role.FINANCE})
)
WRITE_OFFS = Page(
    "write-offs", "/app/finance/write-offs", N_("Write-offs"), frozenset({Role.APPROVER})
)
AGEING = Page(
    "ageing",
    "/app/finance/ageing",
    N_("Ageing"),
    frozenset({Role.FINANCE, Role.CREDIT_MANAGER, Role.COLLECTOR, Role.AUDITOR}),
)
STATEMENTS = Page(
    "statements",
    "/app/finance/statements",
    N_("Statements"),
    frozenset({Role.FINANCE, Role.CREDIT_MANAGER, Role.COLLECTOR, Role.SALES, Role.AUDITOR}),
)
WORKLIST = Page(
    "worklist", "/app/worklist", N_("Worklist"), frozenset({Role.COLLECTOR, Role.CREDIT_MANAGER})
)
PAGES = (
    DASHBOARD,
    INBOX,
    ORDERS,
    ORDER_ENTRY,
    CREDIT_HOLDS,
    CREDIT_REVIEWS,
    CREDIT_POLICIES,
    CREDIT_REPORT,
    CREDIT_RISK,
    CREDIT_DISTRIBUTION,
    CREDIT_BAD_DEBT,
    CREDIT_SCORECARDS,
    CREDIT_RULES,
    WAREHOUSE,
    CUSTOMERS,
    PRODUCTS,
    PAYMENTS,
    UNAPPLIED,
    CREDIT_NOTES,
    WRITE_OFFS,
    AGEING,
    STATEMENTS,
    WORKLIST,
)


@lru_cache(maxsize=64)
def navigation_of(held: frozenset[Role]) -> tuple[Page, ...]:
    """Drawn on every page: worked out once per combination of roles."""
    return tuple(page for page in PAGES if page.opens_to(held))


class LoginRequired(Exception):
    """No valid session: the person is sent to the login page."""


class PageForbidden(Exception):
    """Logged in, but the page is not for this person's roles, or the CSRF token is missing."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# The pages' dependencies take only the request and read the app's database and settings off
# it: FastAPI runs a plain `def` dependency (as api/deps.py's getters) on a worker thread, a
# thread hop each that a page paid on every request for two attribute reads.
async def page_database(request: Request) -> Database:
    return get_database(request)


async def page_settings(request: Request) -> Settings:
    return get_settings_dep(request)


async def page_temporal(request: Request) -> TemporalLink:
    return get_temporal_link(request)


PageDatabase = Annotated[Database, Depends(page_database)]
PageSettings = Annotated[Settings, Depends(page_settings)]
PageTemporal = Annotated[TemporalLink, Depends(page_temporal)]


async def logged_in(request: Request) -> User:
    """The person whose session the request carries (read with their user in one query)."""
    settings = get_settings_dep(request)
    user = await get_database(request).run(session_holder, request, settings)
    if user is None:
        raise LoginRequired
    act_as(user.username)
    return user


async def allowed_to(page: Page, request: Request) -> User:
    """The logged-in person, if `page` is for one of their roles; a refusal is recorded."""
    user = await logged_in(request)
    if not page.allows(user):
        await refuse(request, user)
    return user


async def refuse(request: Request, user: User) -> NoReturn:
    """The 403 page for a person whose roles the page is not for; the refusal is recorded."""
    db = get_database(request)
    await db.run(record_role_denial, user.username, request.method, request.url.path)
    raise PageForbidden(N_("This page is not open to your roles."))


async def session_user(request: Request) -> User:
    return await logged_in(request)


SessionUser = Annotated[User, Depends(session_user)]


def page_user(page: Page) -> Callable[..., Awaitable[User]]:
    """The logged-in person, if `page` is for one of their roles."""

    async def check(request: Request) -> User:
        return await allowed_to(page, request)

    return check


def form_user(page: Page) -> Callable[..., Awaitable[User]]:
    """As `page_user`, for a request that changes something: it must carry the CSRF token."""

    async def check(request: Request) -> User:
        user = await allowed_to(page, request)
        if not await csrf_valid(request, get_settings_dep(request)):
            raise PageForbidden(
                N_("The form was stale or not sent by o2c. Reload the page and retry.")
            )
        return user

    return check
