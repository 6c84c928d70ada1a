"""The web session: the API's signed access token kept in an HttpOnly cookie, and the CSRF token
every form and htmx request sends back, derived from that session so it needs no storage."""

from __future__ import annotations

import hashlib
import hmac

from fastapi import Request, Response
from sqlalchemy import Connection, Table, bindparam, select
from sqlmodel import Session

from api.security import holds, read_token, signing_key, token_holder, user_token
from models.security.users import User
from o2c.settings import Settings

COOKIE = "o2c_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
USERS: Table = User.__table__  # type: ignore[attr-defined]
HOLDER = select(USERS).where(USERS.c.username == bindparam("username"))  # built once


def open_session(response: Response, settings: Settings, user: User) -> None:
    """Logs `user` in: the cookie lives exactly as long as the token it carries."""
    token = user_token(settings, user)
    response.set_cookie(
        COOKIE,
        token,
        max_age=settings.token_minutes * 60,
        httponly=True,
        samesite="lax",
        secure=settings.session_cookie_secure,
        path="/",
    )


def close_session(response: Response, settings: Settings) -> None:
    response.delete_cookie(
        COOKIE, path="/", httponly=True, samesite="lax", secure=settings.session_cookie_secure
    )


def session_token(request: Request) -> str | None:
    return request.cookies.get(COOKIE)


def page_holder(connection: Connection, settings: Settings, token: str) -> User | None:
    """As `token_holder` (the active user a valid, unrevoked token names), the user read in one
    plain query: a page asks on every request, and the ORM's select cost it ~0.1 ms more."""
    claims = read_token(settings, token)
    if claims is None:
        return None
    row = connection.execute(HOLDER, {"username": claims.username}).first()
    user = None if row is None else User.model_construct(**row._mapping)
    return user if holds(user, claims) else None


def session_holder(session: Session, request: Request, settings: Settings) -> User | None:
    """The active user whose valid, unexpired and unrevoked session the request carries."""
    token = session_token(request)
    return token_holder(session, settings, token) if token else None


def csrf_token(settings: Settings, token: str) -> str:
    """Unguessable without the signing key, and different for every session."""
    key = signing_key(settings).encode()
    return hmac.new(key, b"csrf:" + token.encode(), hashlib.sha256).hexdigest()


async def csrf_sent(request: Request) -> str | None:
    """The token the request carries: htmx sends it as a header, plain forms as a field."""
    if header := request.headers.get(CSRF_HEADER):
        return header
    form = await request.form()
    value = form.get(CSRF_FIELD)
    return value if isinstance(value, str) else None


async def csrf_valid(request: Request, settings: Settings) -> bool:
    token = session_token(request)
    sent = await csrf_sent(request)
    if not token or not sent:
        return False
    return hmac.compare_digest(csrf_token(settings, token), sent)
