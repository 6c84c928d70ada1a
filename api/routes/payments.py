"""Payments received: allocated to invoices and announced to their collection workflows."""

from __future__ import annotations

from fastapi import APIRouter, Request

from activities import payments
from api.deps import CurrentUser, DatabaseDep, require
from models.payments import PaymentCreate, PaymentPublic
from models.users import Role

router = APIRouter(prefix="/payments", tags=["payments"])


@router.post("", status_code=201, dependencies=[require(Role.FINANCE)])
async def record_payment(
    body: PaymentCreate, db: DatabaseDep, user: CurrentUser, request: Request
) -> PaymentPublic:
    payment = await db.run(payments.record_payment, body, user.username)
    await request.app.state.temporal.flush_outbox()
    return payment
