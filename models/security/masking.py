"""What the audit trail may show of a value: secrets never, personal contact data partly."""

from __future__ import annotations

from functools import cache
from typing import Any

SECRET_WORDS = ("password", "secret", "token", "hash")
PERSONAL_WORDS = ("email", "e_mail", "phone", "address", "tax_id")
HIDDEN = "***"


@cache
def _kind(field: str) -> str:
    """How a field's values are masked, by its name: worked out once per name (an import's
    batch asks for every row)."""
    name = field.lower()
    if any(word in name for word in SECRET_WORDS):
        return "secret"
    if any(word in name for word in PERSONAL_WORDS):
        return "personal"
    return ""


def masked(field: str, value: Any) -> Any:
    """`value` of the field named `field` as the audit trail keeps it."""
    if value is None:
        return None
    kind = _kind(field)
    if kind == "secret":
        return HIDDEN
    if kind == "personal":
        return partly_masked(str(value))
    return value


def partly_masked(text: str) -> str:
    """Enough to tell two values apart, not enough to contact anyone: an e-mail keeps its first
    letter and its domain, anything else its last two characters."""
    local, at, domain = text.partition("@")
    if at:
        return f"{local[:1]}{HIDDEN}@{domain}"
    return f"{HIDDEN}{text[-2:]}" if len(text) > 4 else HIDDEN


def masked_fields(values: dict[str, Any]) -> dict[str, Any]:
    return {field: masked(field, value) for field, value in values.items()}
