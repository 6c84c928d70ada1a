"""The history of a customer's credit limit, class and hold: who, when, why, before and after."""

from __future__ import annotations

from fastapi import APIRouter

from activities.master_data.credit_history import credit_history
from activities.master_data.customers import get_customer
from api.deps import DatabaseDep, PagingDep, reader
from api.listing import Page
from models.credit.history import CreditChangePublic
from models.fields import IdParam
from models.security.users import Role

router = APIRouter(prefix="/customers", tags=["credit"])


@router.get(
    "/{customer_id}/credit-history",
    dependencies=[reader(Role.CREDIT_MANAGER, Role.FINANCE, Role.APPROVER)],
)
async def list_credit_history(
    customer_id: IdParam, db: DatabaseDep, paging: PagingDep
) -> Page[CreditChangePublic]:
    """Newest first."""
    await db.run(get_customer, customer_id)
    items, total = await db.run(credit_history, customer_id, paging.limit, paging.offset)
    return Page(items=items, total=total)
