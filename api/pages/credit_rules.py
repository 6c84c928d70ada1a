"""Credit review rule versions: the one in force, its rules in the order they are tried, and the
older ones newest first (`GET /credit-review-rules` and `/credit-review-rules/{version}`); for a
credit manager a form that saves a new version through the same use case as
`POST /credit-review-rules`, starting from the rules in force."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from activities.credit import review_rule_versions
from api.deps import DatabaseDep, SettingsDep
from api.pages.access import CREDIT_RULES, Page, form_user
from api.pages.credit_rules_form import (
    RULES,
    field,
    read_rules,
    typed_from,
    typed_in,
)
from api.pages.i18n import N_
from api.pages.screens import Screen, screen_of
from api.pages.version_form import VersionForm
from models.credit.review_rule_versions import ReviewRulesPublic
from models.credit.scorecard import Grade
from models.fields import MAX_ID
from models.security.users import Role, User

router = APIRouter()
PAGE_SIZE = 10
# `POST /credit-review-rules` is for credit managers.
RULES_EDITORS = Page(
    "credit-rules-edit", CREDIT_RULES.path, N_("Review rules"), frozenset({Role.CREDIT_MANAGER})
)
RulesEditor = Annotated[User, Depends(form_user(RULES_EDITORS))]


def _versions(session: Session, offset: int) -> tuple[ReviewRulesPublic, list[ReviewRulesPublic]]:
    """The version in force and a page of the older ones, newest first (versions count up from
    1 without gaps)."""
    in_force = review_rule_versions.current_review_rules(session)
    newest = in_force.version - 1 - offset
    older = [
        review_rule_versions.get_review_rules(session, version)
        for version in range(newest, max(newest - PAGE_SIZE, 0), -1)
    ]
    return in_force, older


RULES_FORM = VersionForm(
    editors=RULES_EDITORS,
    template="app/credit_rules_form.html",
    typed_in=typed_in,
    read=read_rules,
    save=review_rule_versions.save_review_rules,
    names={"grades": [grade.value for grade in Grade], "field": field, "rules_field": RULES},
)


@router.get("/credit/review-rules", response_class=HTMLResponse)
async def review_rules_page(
    db: DatabaseDep,
    screen: Annotated[Screen, Depends(screen_of(CREDIT_RULES))],
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> HTMLResponse:
    in_force, older = await db.run(_versions, offset)
    context = {
        "in_force": in_force,
        "older": older,
        "offset": offset,
        "page_size": PAGE_SIZE,
        "more": in_force.version - 1 > offset + PAGE_SIZE,
        **RULES_FORM.offered_to(screen.user, typed_from(in_force.rules)),
    }
    return screen.show("app/credit_rules.html", context)


@router.post("/credit/review-rules", response_class=HTMLResponse)
async def save_review_rules(
    request: Request, db: DatabaseDep, settings: SettingsDep, user: RulesEditor
) -> Response:
    return await RULES_FORM.send(request, db, settings, user)
