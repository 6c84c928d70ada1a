"""The general ledger as finance reads it: the trial balance on any date."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter

from activities.receivables import ledger
from api.deps import DatabaseDep, reader
from models.fields import Day
from models.receivables.ledger import TrialBalance
from models.security.users import Role

router = APIRouter(prefix="/ledger", tags=["ledger"])


@router.get("/trial-balance", dependencies=[reader(Role.FINANCE)])
async def trial_balance(db: DatabaseDep, as_of: Day | None = None) -> TrialBalance:
    return await db.run(ledger.trial_balance, as_of or date.today())
