"""Credit scorecard versions: credit managers save a new one; the newest is in force."""

from __future__ import annotations

from fastapi import APIRouter

from activities.credit import scorecards
from api.deps import CurrentUser, DatabaseDep, PagingDep, reader, require
from api.listing import Page
from models.credit.scorecard_versions import ScorecardCreate, ScorecardPublic
from models.fields import IdParam
from models.security.users import Role

router = APIRouter(prefix="/credit-scorecards", tags=["credit"])
READERS = reader(Role.CREDIT_MANAGER, Role.FINANCE, Role.APPROVER)


@router.post("", status_code=201, dependencies=[require(Role.CREDIT_MANAGER)])
async def save_scorecard(
    body: ScorecardCreate, db: DatabaseDep, user: CurrentUser
) -> ScorecardPublic:
    """A new version, in force for every score from now on."""
    return await db.run(scorecards.save_scorecard, body, user.username)


@router.get("", dependencies=[READERS])
async def list_scorecards(db: DatabaseDep, paging: PagingDep) -> Page[ScorecardPublic]:
    items, total = await db.run(scorecards.list_scorecards, paging.limit, paging.offset)
    return Page(items=items, total=total)


@router.get("/current", dependencies=[READERS])
async def current_scorecard(db: DatabaseDep) -> ScorecardPublic:
    return await db.run(scorecards.current_scorecard)


@router.get("/{scorecard_id}", dependencies=[READERS])
async def get_scorecard(scorecard_id: IdParam, db: DatabaseDep) -> ScorecardPublic:
    return await db.run(scorecards.get_scorecard, scorecard_id)
