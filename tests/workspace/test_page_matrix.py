"""Each page answers 200 to the roles it is for and a 403 page to the rest; the navigation shows
exactly the pages a person may open."""

from __future__ import annotations

from collections.abc import Callable

from api.pages.access import PAGES
from models.security.users import Role
from tests.workspace.pages import Person

# The credit reports, scorecards and review rules: as the API's readers of them.
CREDIT_READERS = {Role.ADMIN, Role.CREDIT_MANAGER, Role.FINANCE, Role.APPROVER, Role.AUDITOR}
ALLOWED = {
    "/app": set(Role),
    "/app/inbox": set(Role) - {Role.AUDITOR},
    "/app/credit/holds": {Role.ADMIN, Role.CREDIT_MANAGER},
    "/app/credit/reviews": {Role.ADMIN, Role.CREDIT_MANAGER},
    "/app/credit/policies": {
        Role.ADMIN,
        Role.APPROVER,
        Role.SALES,
        Role.CREDIT_MANAGER,
        Role.FINANCE,
        Role.AUDITOR,
    },
    "/app/credit/reports": CREDIT_READERS,
    "/app/credit/reports/risk": CREDIT_READERS,
    "/app/credit/reports/distribution": CREDIT_READERS,
    "/app/credit/reports/bad-debt": CREDIT_READERS,
    "/app/credit/scorecards": CREDIT_READERS,
    "/app/credit/review-rules": CREDIT_READERS,
    "/app/warehouse": {Role.ADMIN, Role.WAREHOUSE},
    "/app/customers": {
        Role.ADMIN,
        Role.SALES,
        Role.FINANCE,
        Role.CREDIT_MANAGER,
        Role.COLLECTOR,
        Role.APPROVER,
        Role.AUDITOR,
    },
    "/app/products": set(Role),
    "/app/orders": {
        Role.ADMIN,
        Role.SALES,
        Role.APPROVER,
        Role.CREDIT_MANAGER,
        Role.WAREHOUSE,
        Role.FINANCE,
        Role.AUDITOR,
    },
    "/app/orders/new": {Role.ADMIN, Role.SALES},
    "/app/finance/payments/new": {Role.ADMIN, Role.FINANCE},
    "/app/finance/credit": {Role.ADMIN, Role.FINANCE},
    "/app/finance/credit-notes": {Role.ADMIN, Role.FINANCE},
    "/app/finance/write-offs": {Role.ADMIN, Role.APPROVER},
    "/app/finance/ageing": {
        Role.ADMIN,
        Role.FINANCE,
        Role.CREDIT_MANAGER,
        Role.COLLECTOR,
        Role.AUDITOR,
    },
    "/app/finance/statements": {
        Role.ADMIN,
        Role.FINANCE,
        Role.CREDIT_MANAGER,
        Role.COLLECTOR,
        Role.SALES,
        Role.AUDITOR,
    },
    "/app/worklist": {Role.ADMIN, Role.COLLECTOR, Role.CREDIT_MANAGER},
}


async def test_every_page_answers_each_role_as_it_may(person: Callable[[], Person]) -> None:
    assert {page.path for page in PAGES} == set(ALLOWED)  # a new page joins the matrix
    for role in Role:
        someone = person()
        await someone.log_in(role.value)
        for path, roles in ALLOWED.items():
            answer = await someone.open(path)
            expected = 200 if role in roles else 403
            assert answer.status_code == expected, (role, path)
            if expected == 403:
                assert "This page is not open to your roles." in answer.text
                assert "Traceback" not in answer.text
        home = await someone.open("/app")
        shown = {p for p in ALLOWED if f'href="{p}"' in home.text.split("</nav>")[0]}
        assert shown == {p for p, roles in ALLOWED.items() if role in roles}, role
