"""Users: who am I, and (admin) create and list users."""

from __future__ import annotations

from fastapi import APIRouter

from activities.security import users
from api.deps import CurrentUser, DatabaseDep, PagingDep, require
from api.listing import Page
from models.security.users import Role, UserCreate, UserPublic

router = APIRouter(prefix="/users", tags=["users"])


@router.get("/me")
async def me(user: CurrentUser) -> UserPublic:
    return users.to_public(user)


@router.post("", status_code=201, dependencies=[require(Role.ADMIN)])
async def create_user(body: UserCreate, db: DatabaseDep) -> UserPublic:
    return await db.run(users.create_user, body)


@router.get("", dependencies=[require(Role.ADMIN, Role.AUDITOR)])
async def list_users(db: DatabaseDep, paging: PagingDep) -> Page[UserPublic]:
    items, total = await db.run(users.list_users, paging.limit, paging.offset)
    return Page(items=items, total=total)
