"""Logging in and out of the web pages with the same username and password as the API."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import DatabaseDep, SettingsDep
from api.login_throttle import LoginThrottleDep, TooManyFailedLogins, checked_login, client_address
from api.pages.access import DASHBOARD, form_user
from api.pages.i18n import N_
from api.pages.rendering import render
from api.pages.session import close_session, open_session
from models.security.users import User
from o2c.settings import Settings

router = APIRouter()
# Before a session exists the login form's CSRF token is a random value kept in a cookie of its
# own and sent back in the form (double submit): a foreign site can set neither.
LOGIN_CSRF_COOKIE = "o2c_login_csrf"
Field = Annotated[str, Form()]


def _login_page(request: Request, settings: Settings, error: str | None, status: int) -> Response:
    token = secrets.token_urlsafe(32)
    page = render(
        request, "app/login.html", settings, None, {"login_csrf": token, "error": error}, status
    )
    page.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        max_age=3600,
        httponly=True,
        samesite="lax",
        secure=settings.session_cookie_secure,
        path="/app/login",
    )
    return page


@router.get("/login", response_class=HTMLResponse)
async def login_form(request: Request, settings: SettingsDep) -> Response:
    return _login_page(request, settings, None, 200)


@router.post("/login", response_class=HTMLResponse)
async def log_in(
    request: Request,
    db: DatabaseDep,
    settings: SettingsDep,
    throttle: LoginThrottleDep,
    username: Field,
    password: Field,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not hmac.compare_digest(expected, csrf_token):
        return _login_page(request, settings, N_("The form was stale. Please log in again."), 403)
    try:
        user = await checked_login(db, throttle, username, password, client_address(request))
    except TooManyFailedLogins as exc:
        page = _login_page(request, settings, N_("Too many failed logins. Try again later."), 429)
        page.headers["Retry-After"] = str(exc.retry_after)
        return page
    if user is None:
        return _login_page(request, settings, N_("Wrong username or password."), 401)
    response = RedirectResponse(DASHBOARD.path, status_code=303)
    open_session(response, settings, user)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/app/login")
    return response


@router.post("/logout")
async def log_out(
    settings: SettingsDep, _: Annotated[User, Depends(form_user(DASHBOARD))]
) -> RedirectResponse:
    response = RedirectResponse("/app/login", status_code=303)
    close_session(response, settings)
    return response
