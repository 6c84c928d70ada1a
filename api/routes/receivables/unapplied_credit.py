"""A customer's unapplied credit, applied to one of their open invoices (finance)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter

from activities.receivables import unapplied_credit
from api.deps import CommandsDep, CurrentUser, require
from models.fields import IdParam
from models.receivables.payments import CreditApplication, CreditApplied
from models.security.users import Role

router = APIRouter(prefix="/customers", tags=["customers"])


@router.post("/{customer_id}/credit/apply", dependencies=[require(Role.FINANCE)])
async def apply_credit(
    customer_id: IdParam, body: CreditApplication, commands: CommandsDep, user: CurrentUser
) -> CreditApplied:
    return await commands.run(
        unapplied_credit.apply_credit, customer_id, body, user.username, date.today()
    )
