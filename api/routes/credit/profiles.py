"""A customer's credit profile and score, and the financials a credit manager records."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter

from activities.credit import profile
from api.deps import CurrentUser, DatabaseDep, reader, require
from models.credit.financials import FinancialsPublic, FinancialsUpdate
from models.credit.profile import CreditProfile
from models.fields import Day, IdParam
from models.security.users import Role

router = APIRouter(prefix="/customers", tags=["credit"])
READERS = reader(Role.CREDIT_MANAGER, Role.FINANCE, Role.APPROVER, Role.COLLECTOR, Role.SALES)


@router.get("/{customer_id}/credit-profile", dependencies=[READERS])
async def credit_profile(
    customer_id: IdParam, db: DatabaseDep, as_of: Day | None = None
) -> CreditProfile:
    """Behaviour over 12 months, recorded financials and the score with every factor's points."""
    return await db.run(profile.credit_profile, customer_id, as_of or date.today())


@router.put("/{customer_id}/financials", dependencies=[require(Role.CREDIT_MANAGER)])
async def put_financials(
    customer_id: IdParam, body: FinancialsUpdate, db: DatabaseDep, user: CurrentUser
) -> FinancialsPublic:
    return await db.run(profile.put_financials, customer_id, body, user.username)
