"""What a form says when the API's input model refuses what was typed: one message per field,
shown next to it, in the words the API answers 422 with."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

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
