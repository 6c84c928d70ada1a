"""Payments received: allocated to invoices, reversed when they bounce, and announced to the
invoices' collection workflows through the outbox."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter

from activities.receivables import payments
from api.deps import CommandsDep, CurrentUser, DatabaseDep, SettingsDep, reader, require
from models.fields import IdParam
from models.receivables.payments import PaymentCreate, PaymentPublic, PaymentReverse
from models.security.users import Role

router = APIRouter(prefix="/payments", tags=["payments"])


@router.post("", status_code=201, dependencies=[require(Role.FINANCE)])
async def record_payment(
    body: PaymentCreate, commands: CommandsDep, user: CurrentUser, settings: SettingsDep
) -> PaymentPublic:
    return await commands.run(
        payments.record_payment, body, user.username, settings.credit_review_late_days
    )


@router.get("/{payment_id}", dependencies=[reader(Role.FINANCE, Role.COLLECTOR)])
async def get_payment(payment_id: IdParam, db: DatabaseDep) -> PaymentPublic:
    return await db.run(payments.payment_public, payment_id)


@router.post("/{payment_id}/reverse", dependencies=[require(Role.FINANCE)])
async def reverse_payment(
    payment_id: IdParam, body: PaymentReverse, commands: CommandsDep, user: CurrentUser
) -> PaymentPublic:
    return await commands.run(
        payments.reverse_payment, payment_id, body, user.username, date.today()
    )
