"""Users, made through the user use case: one per role for API tests, or named staff with
mailboxes for the workflows that write to people."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy.engine import Engine
from sqlmodel import Session

from activities.security.users import create_user
from models.security.users import Role, UserCreate

PASSWORD = "correct-horse-battery"
# Who works on orders: a rep, a rep who also approves, approvers, finance, a credit manager.
SALES_DESK: dict[str, list[Role]] = {
    "rep": [Role.SALES],
    "boss": [Role.SALES, Role.APPROVER],
    "ann": [Role.APPROVER],
    "fin": [Role.FINANCE],
    "multi": [Role.APPROVER, Role.FINANCE],
    "cm": [Role.CREDIT_MANAGER],
}
# Who collects: two collectors, their manager, and finance who decides write-offs.
COLLECTIONS_TEAM: dict[str, list[Role]] = {
    "carol": [Role.COLLECTOR],
    "colin": [Role.COLLECTOR],
    "max": [Role.CREDIT_MANAGER],
    "fiona": [Role.FINANCE],
}


def user(engine: Engine, username: str, roles: Sequence[Role], email: str | None = None) -> None:
    """A user who logs in with PASSWORD."""
    with Session(engine) as session, session.begin():
        create_user(
            session, UserCreate(username=username, password=PASSWORD, roles=roles, email=email)
        )


def staff(engine: Engine, team: Mapping[str, Sequence[Role]]) -> None:
    """Each member of the team, mailed at {name}@o2c.example."""
    for name, roles in team.items():
        user(engine, name, roles, email=f"{name}@o2c.example")


def one_user_per_role(engine: Engine) -> None:
    """A user named after each role, holding only that role."""
    for role in Role:
        user(engine, role.value, [role])
