"""Who may change a customer's credit terms: credit managers and admins only, whoever else may
edit the customer. A refused change is a 403 that names the fields."""

from __future__ import annotations

from collections.abc import Collection

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


def check_second_approver(requested_by: str, approver: str) -> None:
    if requested_by == approver:
        raise Forbidden("a credit limit raise is approved by a credit manager other than who asked")
