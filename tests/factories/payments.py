"""Payments, recorded by finance through the payment use case."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from itertools import count
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from activities.receivables.payments import record_payment
from models.receivables.payments import AllocationRequest, PaymentCreate, PaymentPublic

_references = count(1)


def payment(
    engine: Engine,
    customer_id: int,
    amount: str,
    *,
    received_on: date = date(2026, 2, 1),
    reference: str | None = None,
    allocations: Mapping[int, str | Decimal] | None = None,
    **options: Any,
) -> PaymentPublic:
    """`allocations` maps invoice ids to amounts (without them the payment settles the oldest
    due first); `options` are further fields of PaymentCreate (currency, write-off...)."""
    data = PaymentCreate(
        customer_id=customer_id,
        amount=Decimal(amount),
        received_on=received_on,
        reference=reference or f"BANK-{next(_references)}",
        allocations=None
        if allocations is None
        else [AllocationRequest(invoice_id=i, amount=Decimal(a)) for i, a in allocations.items()],
        **options,
    )
    with Session(engine, expire_on_commit=False) as session, session.begin():
        return record_payment(session, data, "finance")
