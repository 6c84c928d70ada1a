"""What a finance or collection form says when its input is refused: pydantic's messages by the
field they name, and a refused action's reason by the field the use case names, if any."""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass

from pydantic import ValidationError

from api.pages.actions import attempt
from api.pages.i18n import N_
from models.errors import O2CError

# Invoice statuses as people read them (translated where shown).
INVOICE_STATUS = {
    "open": N_("open"),
    "partially_paid": N_("partially paid"),
    "paid": N_("paid"),
    "overdue": N_("overdue"),
    "disputed": N_("disputed"),
    "written_off": N_("written off"),
    "void": N_("void"),
}


@dataclass(frozen=True)
class Refusal:
    message: str | None = None  # None: the action was done
    field: str | None = None  # the form field the message is about, when the use case says


def as_input(typed: dict[str, str], ids: tuple[str, ...] = ()) -> dict[str, object]:
    """The fields a person filled in, for the API's input model: ids are numbers there, as
    a JSON body carries them (a chosen option always is one)."""
    values: dict[str, object] = {k: v for k, v in typed.items() if v != ""}
    for name in ids:
        if str(values.get(name, "")).isdigit():
            values[name] = int(str(values[name]))
    return values


def field_errors(error: ValidationError) -> dict[str, str]:
    """The first message for each field of the API's input model that the input broke."""
    found: dict[str, str] = {}
    for problem in error.errors():
        field = str(problem["loc"][0]) if problem["loc"] else ""
        found.setdefault(field, problem["msg"])
    return found


async def attempt_at_field(action: Awaitable[object]) -> Refusal:
    """`attempt(action)`, also telling which field a refused input concerns."""
    field: str | None = None

    async def watched() -> None:
        nonlocal field
        try:
            await action
        except O2CError as error:
            field = error.field
            raise

    message = await attempt(watched())
    return Refusal(message, field if message else None)
