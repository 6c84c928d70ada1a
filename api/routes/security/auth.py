"""Login: exchange a username and password for an access token (throttled after failures)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel

from api.deps import DatabaseDep, SettingsDep
from api.login_throttle import LoginThrottleDep, TooManyFailedLogins, checked_login, client_address
from api.security import user_token

router = APIRouter(prefix="/auth", tags=["auth"])


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"


@router.post("/token")
async def login(
    request: Request,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    db: DatabaseDep,
    settings: SettingsDep,
    throttle: LoginThrottleDep,
) -> Token:
    try:
        user = await checked_login(
            db, throttle, form.username, form.password, client_address(request)
        )
    except TooManyFailedLogins as exc:
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            detail="too many failed logins: try again later",
            headers={"Retry-After": str(exc.retry_after)},
        ) from exc
    if user is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, detail="wrong username or password")
    return Token(access_token=user_token(settings, user))
