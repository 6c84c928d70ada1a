"""Who may not approve an order's revision: whoever created the order or amended it into that
revision. The refusal is a 403 that says why."""

from __future__ import annotations

from models.errors import Forbidden


def check_not_an_author(user: str, created_by: str, amended_by: str | None) -> None:
    """`amended_by`: who made the revision waiting for approval (None for the first one)."""
    if user == created_by:
        raise Forbidden("nobody approves an order they created")
    if user == amended_by:
        raise Forbidden("nobody approves a revision they amended")
