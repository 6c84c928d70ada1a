"""Credit scorecard versions: credit managers save a new one; the newest is in force."""

from __future__ import annotations

from fastapi import APIRouter

from activities.credit import scorecards
from api.deps import reader, require
from api.routes.policy_versions import add_version_routes
from models.credit.scorecard_versions import ScorecardCreate
from models.security.users import Role

router = APIRouter(tags=["credit"])
add_version_routes(
    router,
    "/credit-scorecards",
    create=ScorecardCreate,
    save=scorecards.save_scorecard,
    versions=scorecards.VERSIONS,
    saver=require(Role.CREDIT_MANAGER),
    readers=reader(Role.CREDIT_MANAGER, Role.FINANCE, Role.APPROVER),
    names=("scorecard", "scorecards", "scorecard_id"),
    saved="A new version, in force for every score from now on.",
)
