"""The routes of a policy kept in versions (the approval policy, credit scorecards): a new version
saved by the roles that may (201), and for its readers every version (newest first, paged), the
version in force (`/current`) and one version by its id. Each policy gives its path, its input
model, its save (with its own checks), its versions, who may save and read, and its names."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Path
from pydantic import BaseModel
from sqlmodel import Session, SQLModel

from activities.policy_versions import PolicyVersions
from api.deps import CurrentUser, DatabaseDep, PagingDep
from api.listing import Page
from models.fields import IdParam

Create = TypeVar("Create", bound=BaseModel)
Public = TypeVar("Public", bound=SQLModel)


def add_version_routes(
    router: APIRouter,
    path: str,
    *,
    create: type[Create],
    save: Callable[[Session, Create, str], Public],
    versions: PolicyVersions[Any, Public],
    saver: Any,
    readers: Any,
    names: tuple[str, str, str],
    saved: str,
) -> None:
    """`saver` and `readers` are the role checks; `names` a version, versions and the id in the
    path (`scorecard`, `scorecards`, `scorecard_id`) as the operations are named (`save_scorecard`,
    `list_scorecards`, ...); `saved` what a save does, for the API's description."""
    one, many, id_name = names

    async def save_version(body: Create, db: DatabaseDep, user: CurrentUser) -> Public:
        return await db.run(save, body, user.username)

    async def list_versions(db: DatabaseDep, paging: PagingDep) -> Page[Public]:
        items, total = await db.run(versions.listed, paging.limit, paging.offset)
        return Page(items=items, total=total)

    async def current_version(db: DatabaseDep) -> Public:
        return await db.run(versions.current)

    async def get_version(version_id: IdParam, db: DatabaseDep) -> Public:
        return await db.run(versions.get, version_id)

    # FastAPI reads the policy's own input model and id name from these, known only here.
    save_version.__annotations__["body"] = create
    get_version.__annotations__["version_id"] = Annotated[IdParam, Path(alias=id_name)]
    public = versions.public
    listing = Page[public]  # type: ignore[valid-type]
    routes = (
        ("", "POST", save_version, 201, saver, public, f"save_{one}", saved),
        ("", "GET", list_versions, None, readers, listing, f"list_{many}", ""),
        ("/current", "GET", current_version, None, readers, public, f"current_{one}", ""),
        (f"/{{{id_name}}}", "GET", get_version, None, readers, public, f"get_{one}", ""),
    )
    for tail, method, endpoint, status, allowed, model, name, description in routes:
        router.add_api_route(
            path + tail,
            endpoint,
            methods=[method],
            status_code=status,
            dependencies=[allowed],
            response_model=model,
            name=name,
            description=description,
        )
