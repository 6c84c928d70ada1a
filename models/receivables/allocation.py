"""How a payment is spread over a customer's open items: oldest due first (each instalment of an
invoice is an item of its own, so within an invoice the earliest instalment goes first), never
more than is paid or owed."""

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
    seq: int = 1  # the instalment's place within its invoice


def allocate_oldest_first(
    amount: Decimal, items: list[OpenItem]
) -> tuple[list[tuple[int, Decimal]], Decimal]:
    """Returns the (invoice, amount) allocations, one per invoice in the order first reached,
    and what is left unapplied."""
    left = amount
    per_invoice: dict[int, Decimal] = {}
    for item in sorted(items, key=lambda i: (i.due_date, i.invoice_id, i.seq)):
        if left <= ZERO:
            break
        share = min(left, item.outstanding)
        if share > ZERO:
            per_invoice[item.invoice_id] = per_invoice.get(item.invoice_id, ZERO) + share
            left -= share
    return list(per_invoice.items()), left
