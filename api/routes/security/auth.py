"""Login: exchange a username and password for an access token."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, status
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel

from activities.security.audit_trail import record_login
from activities.security.users import authenticate
from api.deps import DatabaseDep, SettingsDep
from api.security import issue_token

router = APIRouter(prefix="/auth", tags=["auth"])


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"


@router.post("/token")
async def login(
    form: Annotated[OAuth2PasswordRequestForm, Depends()], db: DatabaseDep, settings: SettingsDep
) -> Token:
    user = await db.run(authenticate, form.username, form.password)
    await db.run(record_login, form.username, user is not None)
    if user is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, detail="wrong username or password")
    return Token(access_token=issue_token(settings, user.username, sorted(user.role_set)))
