"""The page of a master-data record (a customer, a product) and the form that creates or changes
one: the page shows the record with its history, editable by those who may; what was typed goes
through the API's own input model and route, so a refusal is the API's, shown beside the field it
names with what was typed kept, and a save lands on the record's page (htmx's `HX-Redirect`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from fastapi import Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel

from api.deps import Database
from api.pages.access import Page
from api.pages.entity_history import entity_history
from api.pages.form_errors import attempt_on_fields, read_form
from api.pages.rendering import render
from api.pages.screens import Screen
from models.security.users import User
from o2c.settings import Settings

Body = TypeVar("Body", bound=BaseModel)
Saved = TypeVar("Saved")


@dataclass(frozen=True)
class RecordPage:
    kind: str  # "customer": its name in the templates and in the audit trail
    editors: Page  # who may create and change one (as the API's routes allow)

    @property
    def _page_template(self) -> str:
        return f"app/{self.kind}s_edit.html"

    def blank(self, screen: Screen, values: dict[str, Any]) -> HTMLResponse:
        """The form for a new record, with its defaults."""
        context = {self.kind: None, "values": values, "errors": {}, "can_edit": True}
        return screen.show(self._page_template, context)

    async def details(
        self,
        screen: Screen,
        db: Database,
        record_id: int,
        record: BaseModel,
        values: dict[str, Any],
    ) -> HTMLResponse:
        """The record's page: editable by its editors, with its history for those who may
        read the audit trail."""
        user = screen.user
        context = {
            self.kind: record,
            "values": values,
            "errors": {},
            "can_edit": self.editors.allows(user),
            "history": await entity_history(db, user, self.kind, record_id),
        }
        return screen.show(self._page_template, context)

    def refused(
        self,
        request: Request,
        settings: Settings,
        user: User,
        record: BaseModel | None,
        values: dict[str, Any],
        errors: dict[str, str],
    ) -> HTMLResponse:
        """The form again (htmx swaps it in), with what was typed and why it was refused."""
        context = {self.kind: record, "values": values, "errors": errors, "can_edit": True}
        return render(request, f"app/{self.kind}s_form.html", settings, user, context)


async def save_form(
    request: Request,
    model: type[Body],
    sent: Mapping[str, Any],
    save: Callable[[Body], Awaitable[Saved]],
) -> tuple[Saved | None, dict[str, str]]:
    """The form's values through the API's input model and `save` (its route): what it saved,
    or the messages to show beside the fields."""
    body, errors = read_form(model, sent)
    if body is None:
        return None, errors
    saved: list[Saved] = []

    async def saving() -> None:
        saved.append(await save(body))

    errors = await attempt_on_fields(request, saving())
    return (saved[0] if saved else None), errors


def land_on(url: str) -> HTMLResponse:
    """After a save: htmx goes to `url`."""
    return HTMLResponse("", headers={"HX-Redirect": url})
