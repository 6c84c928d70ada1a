"""Credit review rules: credit managers save a new version; the newest is in force."""

from __future__ import annotations

from fastapi import APIRouter

from activities.credit import review_rule_versions
from api.deps import CurrentUser, DatabaseDep, reader, require
from models.credit.review_rule_versions import ReviewRulesCreate, ReviewRulesPublic
from models.fields import IdParam
from models.security.users import Role

router = APIRouter(prefix="/credit-review-rules", tags=["credit"])
READERS = reader(Role.CREDIT_MANAGER, Role.FINANCE, Role.APPROVER)


@router.get("", dependencies=[READERS])
async def current_review_rules(db: DatabaseDep) -> ReviewRulesPublic:
    """The version in force, its rules in the order they are tried."""
    return await db.run(review_rule_versions.current_review_rules)


@router.post("", status_code=201, dependencies=[require(Role.CREDIT_MANAGER)])
async def save_review_rules(
    body: ReviewRulesCreate, db: DatabaseDep, user: CurrentUser
) -> ReviewRulesPublic:
    """A new version, in force for every review from now on."""
    return await db.run(review_rule_versions.save_review_rules, body, user.username)


@router.get("/{version}", dependencies=[READERS])
async def get_review_rules(version: IdParam, db: DatabaseDep) -> ReviewRulesPublic:
    return await db.run(review_rule_versions.get_review_rules, version)
