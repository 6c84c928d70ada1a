"""The form that saves a new version of a set of rules kept in versions (a scorecard, the review
rules): what was typed is read through the API's input model, saved through the same use case as
the API's POST, and on a refusal the form comes back with each message beside its field (or the
use case's reason below) and what was typed kept; a saved version sends the browser to the page
of versions, where it is now the one in force."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session
from starlette.datastructures import FormData

from api.deps import Database
from api.pages.access import Page
from api.pages.actions import attempt
from api.pages.form_errors import FORM
from api.pages.rendering import render
from models.security.users import User
from o2c.settings import Settings

Typed = TypeVar("Typed")  # the form's fields as typed, as its template shows them
Body = TypeVar("Body")  # the API's request body


@dataclass(frozen=True)
class VersionForm(Generic[Typed, Body]):
    editors: Page  # who may save a version; its path is the page of versions
    template: str  # the form alone, sent back in place with its refusals
    typed_in: Callable[[FormData], Typed]  # the fields of a sent form, as typed
    read: Callable[[Typed], tuple[Body | None, dict[str, str]]]
    save: Callable[[Session, Body, str], object]  # the API's use case: body, by whom
    names: Mapping[str, Any]  # what else the template uses: field names, choices

    def context(
        self, typed: Typed, errors: Mapping[str, str] | None = None, problem: str | None = None
    ) -> dict[str, Any]:
        """The form's template context: `typed` in its fields, `errors` beside them, `problem`
        (the use case's refusal) below."""
        return {
            "typed": typed,
            "errors": dict(errors or {}),
            "problem": problem,
            **self.names,
            "form_field": FORM,
        }

    def offered_to(self, user: User, typed: Typed) -> dict[str, Any]:
        """The page of versions' part about the form: whether `user` may save a version, and
        the form filled in with `typed` (the version in force, to start from)."""
        return {"can_edit": self.editors.allows(user), **self.context(typed)}

    async def send(
        self, request: Request, db: Database, settings: Settings, user: User
    ) -> Response:
        """What the POST of the form answers: a redirect to the page of versions once saved."""
        typed = self.typed_in(await request.form())
        body, errors = self.read(typed)
        problem = None
        if body is not None:
            problem = await attempt(request, db.run(self.save, body, user.username))
            if problem is None:
                return HTMLResponse("", headers={"HX-Redirect": self.editors.path})
        context = self.context(typed, errors, problem)
        return render(request, self.template, settings, user, context)
