"""What a page answers instead of itself: the login page when no one is logged in, a 403 page
that says why when the person may not do this."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import get_database, get_settings_dep
from api.pages.access import LoginRequired, PageForbidden
from api.pages.rendering import render
from api.pages.session import session_holder

LOGIN = "/app/login"


def install(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, _: LoginRequired) -> Response:
        if request.headers.get("HX-Request"):
            # htmx follows a redirect inside the swap; this header makes it load the login page.
            return Response(status_code=401, headers={"HX-Redirect": LOGIN})
        return RedirectResponse(LOGIN, status_code=303)

    @app.exception_handler(PageForbidden)
    async def forbidden(request: Request, exc: PageForbidden) -> HTMLResponse:
        settings = get_settings_dep(request)
        user = await get_database(request).run(session_holder, request, settings)
        context = {"reason": exc.reason}
        return render(request, "app/forbidden.html", settings, user, context, status_code=403)
