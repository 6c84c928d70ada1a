"""What a form says when the API's input model refuses what was typed: one message per field,
shown next to it, in the words the API answers 422 with."""

from __future__ import annotations

from collections.abc import Awaitable, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from api.pages.actions import attempt
from models.errors import O2CError

Model = TypeVar("Model", bound=BaseModel)
FORM = "_form"  # a message about the whole form, not one field


def field_errors(error: ValidationError) -> dict[str, str]:
    """The first message for each field the model names (`_form` for the model's own rules)."""
    found: dict[str, str] = {}
    for item in error.errors():
        field = str(item["loc"][0]) if item["loc"] else FORM
        found.setdefault(field, item["msg"])
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


async def attempt_on_fields(action: Awaitable[object]) -> dict[str, str]:
    """Runs `action` as `attempt` does: no messages when done, else the reason, beside the field
    the refusal names (a code already taken) or for the whole form."""
    named: list[str] = []

    async def noting_the_field() -> None:
        try:
            await action
        except O2CError as error:
            named.extend([error.field] if error.field else [])
            raise

    problem = await attempt(noting_the_field())
    if problem is None:
        return {}
    return {named[0] if named else FORM: problem}
