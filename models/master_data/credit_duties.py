"""Who may change a customer's credit terms: credit managers and admins only, whoever else may
edit the customer. A refused change is a 403 that names the fields."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

from sqlmodel import SQLModel

from models.errors import Forbidden
from models.security.users import Role

CREDIT_FIELDS = frozenset({"credit_limit", "credit_class", "email"})
CREDIT_DECIDERS = frozenset({Role.CREDIT_MANAGER, Role.ADMIN})


def check_credit_fields(changed: Collection[str], roles: Collection[Role]) -> None:
    touched = sorted(CREDIT_FIELDS & set(changed))
    if touched and not CREDIT_DECIDERS & set(roles):
        raise Forbidden(
            f"only a credit manager changes a customer's {', '.join(touched)}", field=touched[0]
        )


def check_new_customer_terms(data: SQLModel, roles: Collection[Role]) -> None:
    """A new customer's credit limit and class other than the defaults are credit terms too; its
    billing e-mail is not a change (a customer cannot be created without one)."""
    defaults = type(data).model_fields
    chosen = [
        name
        for name in CREDIT_FIELDS
        if name in defaults
        and not defaults[name].is_required()
        and getattr(data, name) != defaults[name].default
    ]
    check_credit_fields(chosen, roles)


def check_second_approver(requested_by: str, approver: str) -> None:
    if requested_by == approver:
        raise Forbidden("a credit limit raise is approved by a credit manager other than who asked")


@dataclass(frozen=True)
class RaiseApproval:
    """When a credit limit raise waits for a second approver: the new limit above `above`
    (O2C_CREDIT_LIMIT_APPROVAL_ABOVE), or the raise more than `above_pct` % of the limit before
    (O2C_CREDIT_LIMIT_APPROVAL_ABOVE_PCT; None: by amount only). A cut never waits."""

    above: Decimal = Decimal("50000.00")
    above_pct: Decimal | None = None

    def needs_second_approver(self, before: Decimal, wanted: Decimal) -> bool:
        if wanted <= before:
            return False
        if wanted > self.above:
            return True
        return self.above_pct is not None and (wanted - before) * 100 > before * self.above_pct
