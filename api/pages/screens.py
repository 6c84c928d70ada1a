"""What a page handler needs to answer: the person allowed to open the page, and a way to draw
a template for them in their language."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from api.deps import get_settings_dep
from api.pages.access import Page, allowed_to
from api.pages.rendering import render
from models.security.users import User
from o2c.settings import Settings


@dataclass(frozen=True)
class Screen:
    request: Request
    settings: Settings
    user: User

    def show(self, template: str, context: dict[str, Any] | None = None) -> HTMLResponse:
        return render(self.request, template, self.settings, self.user, context)


def screen_of(page: Page) -> Callable[..., Awaitable[Screen]]:
    """The screen of `page` for the person at it, who must be one the page is for: one
    dependency that takes only the request, so FastAPI solves nothing more per request."""

    async def open_screen(request: Request) -> Screen:
        user = await allowed_to(page, request)
        return Screen(request, get_settings_dep(request), user)

    return open_screen
