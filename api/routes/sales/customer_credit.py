"""A customer's unapplied credit, applied to one of their open invoices (finance)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request

from activities.sales import customer_credit
from api.deps import CurrentUser, DatabaseDep, require
from models.receivables.payments import CreditApplication, CreditApplied
from models.security.users import Role

router = APIRouter(prefix="/customers", tags=["customers"])


@router.post("/{customer_id}/credit/apply", dependencies=[require(Role.FINANCE)])
async def apply_credit(
    customer_id: int, body: CreditApplication, db: DatabaseDep, user: CurrentUser, request: Request
) -> CreditApplied:
    applied = await db.run(
        customer_credit.apply_credit, customer_id, body, user.username, date.today()
    )
    await request.app.state.temporal.flush_outbox()
    return applied
