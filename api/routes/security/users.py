"""Users: who am I and changing my password; (admin) create, list and change users, and reset
a user's password. A change of roles, activity or password logs the user out everywhere."""

from __future__ import annotations

from fastapi import APIRouter, Response

from activities.security import accounts, users
from api.deps import CurrentUser, DatabaseDep, PagingDep, require
from api.listing import Page
from models.fields import IdParam
from models.security.users import (
    PasswordChange,
    PasswordReset,
    Role,
    UserCreate,
    UserPublic,
    UserUpdate,
)

router = APIRouter(prefix="/users", tags=["users"])
ADMIN = require(Role.ADMIN)


@router.get("/me")
async def me(user: CurrentUser) -> UserPublic:
    return users.to_public(user)


@router.post("/me/password", status_code=204)
async def change_my_password(body: PasswordChange, user: CurrentUser, db: DatabaseDep) -> Response:
    """Every token and web session of mine ends, this one too: log in with the new password."""
    await db.run(accounts.change_password, user.username, body)
    return Response(status_code=204)


@router.post("", status_code=201, dependencies=[ADMIN])
async def create_user(body: UserCreate, db: DatabaseDep) -> UserPublic:
    return await db.run(users.create_user, body)


@router.get("", dependencies=[require(Role.ADMIN, Role.AUDITOR)])
async def list_users(db: DatabaseDep, paging: PagingDep) -> Page[UserPublic]:
    items, total = await db.run(users.list_users, paging.limit, paging.offset)
    return Page(items=items, total=total)


@router.patch("/{user_id}", dependencies=[ADMIN])
async def update_user(user_id: IdParam, body: UserUpdate, db: DatabaseDep) -> UserPublic:
    return await db.run(accounts.update_user, user_id, body)


@router.post("/{user_id}/reset-password", dependencies=[ADMIN])
async def reset_password(user_id: IdParam, body: PasswordReset, db: DatabaseDep) -> UserPublic:
    return await db.run(accounts.reset_password, user_id, body.new_password)
