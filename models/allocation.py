"""How a payment is spread over a customer's open invoices: oldest due first, never more than
is paid or owed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from models.money import ZERO


@dataclass(frozen=True)
class OpenItem:
    invoice_id: int
    due_date: date
    outstanding: Decimal


def allocate_oldest_first(
    amount: Decimal, items: list[OpenItem]
) -> tuple[list[tuple[int, Decimal]], Decimal]:
    """Returns the (invoice, amount) allocations and what is left unapplied."""
    left = amount
    allocations: list[tuple[int, Decimal]] = []
    for item in sorted(items, key=lambda i: (i.due_date, i.invoice_id)):
        if left <= ZERO:
            break
        share = min(left, item.outstanding)
        if share > ZERO:
            allocations.append((item.invoice_id, share))
            left -= share
    return allocations, left
