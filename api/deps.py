"""Dependencies of every route: the database runner, the command runner that then flushes the
outbox, the current user and their roles, Temporal, settings and paging."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Concatenate, ParamSpec, TypeVar

from fastapi import Depends, HTTPException, Query, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.engine import Engine
from sqlmodel import Session
from temporalio.client import Client

from activities.security.audit_context import act_as
from activities.security.audit_trail import record_role_denial
from activities.transaction import run_command, transaction
from api.idempotent_answer import keep_answer, keyed_request, watch_writes
from api.security import token_holder
from api.temporal_link import TemporalLink
from models.fields import MAX_ID
from models.security.users import Role, User
from o2c.settings import FulfilmentSettings, Settings

P = ParamSpec("P")
T = TypeVar("T")
oauth2 = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


class Database:
    """Runs one command in one transaction on a worker thread: committed if it returns. In a request
    with an Idempotency-Key, the first command that writes keeps the answer in that transaction."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    async def run(
        self,
        command: Callable[Concatenate[Session, P], T],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """`command(session, *args, **kwargs)`, type-checked against the command's signature."""

        def in_transaction() -> T:
            if keyed_request.get() is None:
                return run_command(self.engine, command, *args, **kwargs)
            with transaction(self.engine) as session:
                watch_writes(session)
                result = command(session, *args, **kwargs)
                keep_answer(session, result)
                return result

        return await run_in_threadpool(in_transaction)


class Commands:
    """Runs a command that may queue workflow messages, then hands the outbox to Temporal at once
    (what fails stays pending for the worker's relay), so the workflows hear of it now."""

    def __init__(self, database: Database, temporal: TemporalLink) -> None:
        self.database = database
        self.temporal = temporal

    async def run(
        self,
        command: Callable[Concatenate[Session, P], T],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        result = await self.database.run(command, *args, **kwargs)
        await self.flush_outbox()
        return result

    async def flush_outbox(self) -> None:
        """Also for messages that a workflow Update's activities queued."""
        await self.temporal.flush_outbox()


def get_settings_dep(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def get_fulfilment_settings_dep(request: Request) -> FulfilmentSettings:
    return get_settings_dep(request).fulfilment


def get_database(request: Request) -> Database:
    return request.app.state.database  # type: ignore[no-any-return]


def get_temporal_link(request: Request) -> TemporalLink:
    return request.app.state.temporal  # type: ignore[no-any-return]


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
FulfilmentSettingsDep = Annotated[FulfilmentSettings, Depends(get_fulfilment_settings_dep)]
DatabaseDep = Annotated[Database, Depends(get_database)]
TemporalLinkDep = Annotated[TemporalLink, Depends(get_temporal_link)]


async def get_temporal(link: TemporalLinkDep) -> Client:
    return await link.get()


def get_commands(db: DatabaseDep, temporal: TemporalLinkDep) -> Commands:
    return Commands(db, temporal)


TemporalDep = Annotated[Client, Depends(get_temporal)]
CommandsDep = Annotated[Commands, Depends(get_commands)]


async def current_user(
    token: Annotated[str | None, Depends(oauth2)], db: DatabaseDep, settings: SettingsDep
) -> User:
    unauthorized = HTTPException(
        status.HTTP_401_UNAUTHORIZED,
        detail="not authenticated: send Authorization: Bearer <token> from /api/v1/auth/token",
        headers={"WWW-Authenticate": "Bearer"},
    )
    keyed = keyed_request.get()
    if keyed is not None and token and keyed.token == token:
        user = keyed.caller  # read with the claim, in this request, from this very token
    else:
        user = await db.run(token_holder, settings, token) if token else None
    if user is None:
        raise unauthorized
    act_as(user.username)
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def require(*roles: Role) -> Any:
    """Allows the listed roles (admin always); reads add the auditor themselves."""
    allowed = frozenset(roles) | {Role.ADMIN}

    async def check(user: CurrentUser, request: Request, db: DatabaseDep) -> User:
        if not user.role_set & allowed:
            await db.run(record_role_denial, user.username, request.method, request.url.path)
            needed = ", ".join(sorted(allowed))
            raise HTTPException(status.HTTP_403_FORBIDDEN, detail=f"this needs one of: {needed}")
        return user

    return Depends(check)


def reader(*roles: Role) -> Any:
    return require(*roles, Role.AUDITOR)


class Paging:
    def __init__(
        self,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
    ) -> None:
        self.limit = limit
        self.offset = offset


PagingDep = Annotated[Paging, Depends()]
