"""Scorecard versions: the one in force with each factor's bands, the older ones newest first
(`GET /credit-scorecards`), and for a credit manager a form that saves a new version through the
same use case as `POST /credit-scorecards`, starting from the version in force."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from activities.credit import scorecards
from api.deps import DatabaseDep, SettingsDep
from api.pages.access import CREDIT_SCORECARDS, Page, form_user
from api.pages.credit_labels import FACTORS
from api.pages.credit_scorecard_form import (
    FACTORS as FACTORS_FIELD,
)
from api.pages.credit_scorecard_form import (
    bands_field,
    bands_text,
    grade_field,
    missing_field,
    read_scorecard,
    typed_from,
    typed_in,
)
from api.pages.i18n import N_
from api.pages.screens import Screen, screen_of
from api.pages.version_form import VersionForm
from models.credit.scorecard import Factor, Grade
from models.credit.scorecard_versions import ScorecardPublic
from models.fields import MAX_ID
from models.security.users import Role, User

router = APIRouter()
PAGE_SIZE = 20
# `POST /credit-scorecards` is for credit managers.
SCORECARD_EDITORS = Page(
    "credit-scorecard-edit",
    CREDIT_SCORECARDS.path,
    N_("Scorecards"),
    frozenset({Role.CREDIT_MANAGER}),
)
ScorecardEditor = Annotated[User, Depends(form_user(SCORECARD_EDITORS))]


def _versions(session: Session, offset: int) -> tuple[ScorecardPublic, list[ScorecardPublic], int]:
    versions, total = scorecards.list_scorecards(session, PAGE_SIZE, offset)
    return scorecards.current_scorecard(session), versions, total


SCORECARD_FORM = VersionForm(
    editors=SCORECARD_EDITORS,
    template="app/credit_scorecard_form.html",
    typed_in=typed_in,
    read=read_scorecard,
    save=scorecards.save_scorecard,
    names={
        "factors": [(f.value, FACTORS[f]) for f in Factor],
        "grades": [g.value for g in Grade],
        "bands_field": bands_field,
        "missing_field": missing_field,
        "grade_field": grade_field,
        "factors_field": FACTORS_FIELD,
    },
)


@router.get("/credit/scorecards", response_class=HTMLResponse)
async def scorecards_page(
    db: DatabaseDep,
    screen: Annotated[Screen, Depends(screen_of(CREDIT_SCORECARDS))],
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> HTMLResponse:
    in_force, versions, total = await db.run(_versions, offset)
    context = {
        "in_force": in_force,
        "versions": versions,
        "total": total,
        "offset": offset,
        "page_size": PAGE_SIZE,
        "labels": FACTORS,
        "bands_text": bands_text,
        **SCORECARD_FORM.offered_to(screen.user, typed_from(in_force)),
    }
    return screen.show("app/credit_scorecards.html", context)


@router.post("/credit/scorecards", response_class=HTMLResponse)
async def save_scorecard(
    request: Request, db: DatabaseDep, settings: SettingsDep, user: ScorecardEditor
) -> Response:
    return await SCORECARD_FORM.send(request, db, settings, user)
