"""The header's language switch: saved on the user, so every page and visit speaks it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse

from activities.security.users import set_language
from api.deps import DatabaseDep
from api.pages.access import DASHBOARD, form_user
from api.pages.i18n import known
from models.security.users import User

router = APIRouter()


@router.post("/language")
async def switch_language(
    request: Request,
    db: DatabaseDep,
    user: Annotated[User, Depends(form_user(DASHBOARD))],
    language: Annotated[str, Form()],
) -> RedirectResponse:
    await db.run(set_language, user.username, known(language))
    # Back to the page the switch was used on, only if it is one of ours.
    back = request.headers.get("referer", "")
    path = "/" + back.split("/", 3)[3] if back.count("/") >= 3 else DASHBOARD.path
    return RedirectResponse(path if path.startswith("/app") else DASHBOARD.path, status_code=303)
