"""Customers, made through the customer use case or posted to the API."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from activities.collection.tasks import set_collector
from activities.master_data.customers import create_customer
from models.master_data.customers import CustomerCreate, CustomerPublic
from models.security.users import Role
from tests.support.api_client import ApiClient

ACME: dict[str, Any] = {
    "code": "ACME",
    "name": "Acme Trading",
    "email": "ap@acme.example",
    "credit_limit": "10000.00",
    "payment_terms_days": 30,
}
# ACME as a sales rep or finance may post it: no credit terms but the defaults (403 otherwise).
NEW_ACME: dict[str, Any] = {k: v for k, v in ACME.items() if k != "credit_limit"}


def customer(
    engine: Engine,
    code: str = "ACME",
    credit_limit: str = "10000.00",
    *,
    name: str | None = None,
    collector: str | None = None,
    **terms: Any,
) -> CustomerPublic:
    """`{code} Ltd`, mailed at ap@{code}.example; `terms` are further fields of CustomerCreate
    (payment terms, credit class, language...); `collector` is the user who collects from it."""
    data = CustomerCreate(
        code=code,
        name=name or f"{code} Ltd",
        email=f"ap@{code.lower()}.example",
        credit_limit=Decimal(credit_limit),
        **terms,
    )
    with Session(engine) as session, session.begin():
        created = create_customer(session, data)
        if collector:
            set_collector(session, created.id, collector)
        return created


async def posted_customer(api: ApiClient, **changes: Any) -> dict[str, Any]:
    """ACME with these changes, created by a credit manager (its credit limit is a credit term)
    through the API; the answer's body."""
    response = await api.post("/customers", Role.CREDIT_MANAGER, {**ACME, **changes}, expect=201)
    return response.json()  # type: ignore[no-any-return]
