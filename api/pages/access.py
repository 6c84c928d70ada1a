"""Who may open which page: the catalogue the navigation is drawn from and every page checks,
so a link is shown exactly to those the page answers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from api.deps import DatabaseDep, SettingsDep
from api.pages.i18n import N_
from api.pages.session import csrf_valid, session_holder
from models.security.users import Role, User


@dataclass(frozen=True)
class Page:
    key: str
    path: str
    label: str  # English source text; translated when drawn
    roles: frozenset[Role]  # admin may open every page

    def allows(self, user: User) -> bool:
        return bool(user.role_set & (self.roles | {Role.ADMIN}))


EVERYONE = frozenset(Role)
DASHBOARD = Page("dashboard", "/app", N_("Dashboard"), EVERYONE)
# The approval policy names who decides each level (a role or a user); the inbox filters by it.
INBOX = Page("inbox", "/app/inbox", N_("Approvals"), frozenset(Role) - {Role.AUDITOR})
PAGES = (DASHBOARD, INBOX)


def navigation(user: User) -> list[Page]:
    return [page for page in PAGES if page.allows(user)]


class LoginRequired(Exception):
    """No valid session: the person is sent to the login page."""


class PageForbidden(Exception):
    """Logged in, but the page is not for this person's roles, or the CSRF token is missing."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


async def session_user(request: Request, db: DatabaseDep, settings: SettingsDep) -> User:
    user = await db.run(session_holder, request, settings)
    if user is None:
        raise LoginRequired
    return user


SessionUser = Annotated[User, Depends(session_user)]


def page_user(page: Page) -> Callable[..., Awaitable[User]]:
    """The logged-in person, if `page` is for one of their roles."""

    async def check(user: SessionUser) -> User:
        if not page.allows(user):
            raise PageForbidden(N_("This page is not open to your roles."))
        return user

    return check


def form_user(page: Page) -> Callable[..., Awaitable[User]]:
    """As `page_user`, for a request that changes something: it must carry the CSRF token."""
    allowed = page_user(page)

    # A default, not an annotation: annotations are read as text, where `allowed` is unknown.
    async def check(request: Request, settings: SettingsDep, user: User = Depends(allowed)) -> User:
        if not await csrf_valid(request, settings):
            raise PageForbidden(
                N_("The form was stale or not sent by o2c. Reload the page and retry.")
            )
        return user

    return check
