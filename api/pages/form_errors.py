"""What a form says when the API's input model refuses what was typed: one message per field,
shown next to it, in the words the API answers 422 with."""

from __future__ import annotations

from collections.abc import Awaitable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from fastapi import Request
from pydantic import BaseModel, ValidationError

from api.pages.actions import attempt
from models.errors import O2CError

Model = TypeVar("Model", bound=BaseModel)
FORM = ""  # the key of a message about the whole form, not one field


def field_errors(error: ValidationError) -> dict[str, str]:
    """The first message for each field the model names, by its path (`email`,
    `lines.0.quantity`); `FORM` for the model's own rules."""
    found: dict[str, str] = {}
    for item in error.errors():
        found.setdefault(".".join(str(part) for part in item["loc"]) or FORM, str(item["msg"]))
    return found


def read_form(model: type[Model], values: Mapping[str, Any]) -> tuple[Model | None, dict[str, str]]:
    """The API's input model from a form's values, or the messages to show beside the fields."""
    try:
        return model.model_validate(dict(values)), {}
    except ValidationError as error:
        return None, field_errors(error)


def whole_number(value: str) -> int | str:
    """A form's number as the API's strict whole-number fields take it; else left to refuse."""
    try:
        return int(value.strip())
    except ValueError:
        return value


@dataclass(frozen=True)
class Refusal:
    message: str | None = None  # None: the action was done
    field: str | None = None  # the form field the message is about, when the use case says


async def attempt_at_field(request: Request, action: Awaitable[object]) -> Refusal:
    """`attempt(request, action)`, also telling which field a refused input concerns (a code
    taken)."""
    field: str | None = None

    async def watched() -> None:
        nonlocal field
        try:
            await action
        except O2CError as error:
            field = error.field
            raise

    message = await attempt(request, watched())
    return Refusal(message, field if message else None)


async def attempt_on_fields(request: Request, action: Awaitable[object]) -> dict[str, str]:
    """As `attempt_at_field`, as the messages beside the fields: none when done."""
    refused = await attempt_at_field(request, action)
    return {refused.field or FORM: refused.message} if refused.message else {}
