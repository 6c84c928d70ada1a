"""The pure allocation rule: a payment settles the oldest due first, never more than owed."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from models.receivables.allocation import OpenItem, allocate_oldest_first


def test_payment_settles_oldest_invoice_first() -> None:
    items = [
        OpenItem(2, date(2026, 12, 1), Decimal("100.00")),
        OpenItem(1, date(2026, 11, 1), Decimal("50.00")),
    ]
    allocations, left = allocate_oldest_first(Decimal("120.00"), items)
    assert allocations == [(1, Decimal("50.00")), (2, Decimal("70.00"))]
    assert left == Decimal("0.00")


def test_what_is_not_owed_stays_unapplied() -> None:
    allocations, left = allocate_oldest_first(
        Decimal("80.00"), [OpenItem(1, date(2026, 11, 1), Decimal("50.00"))]
    )
    assert allocations == [(1, Decimal("50.00"))]
    assert left == Decimal("30.00")


amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100000"), places=2)


@given(amounts, st.lists(st.tuples(st.integers(0, 400), amounts), max_size=30))
def test_allocations_never_exceed_the_payment_or_what_is_owed(
    payment: Decimal, open_items: list[tuple[int, Decimal]]
) -> None:
    items = [
        OpenItem(i, date(2026, 1, 1) + timedelta(days=d), owed)
        for i, (d, owed) in enumerate(open_items)
    ]
    allocations, left = allocate_oldest_first(payment, items)
    owed = {item.invoice_id: item.outstanding for item in items}
    assert sum((a for _, a in allocations), Decimal(0)) + left == payment
    assert left >= 0
    assert all(0 < amount <= owed[invoice] for invoice, amount in allocations)
    if left > 0:
        assert sum((a for _, a in allocations), Decimal(0)) == sum(owed.values(), Decimal(0))


def test_within_an_invoice_the_earliest_instalment_is_paid_first() -> None:
    items = [
        OpenItem(1, date(2026, 3, 1), Decimal("50.00"), seq=2),
        OpenItem(1, date(2026, 2, 1), Decimal("30.00"), seq=1),
        OpenItem(2, date(2026, 2, 15), Decimal("40.00")),
    ]
    allocations, left = allocate_oldest_first(Decimal("100.00"), items)
    # instalment 1 of invoice 1 (Feb 1), invoice 2 (Feb 15), then instalment 2 of invoice 1
    assert allocations == [(1, Decimal("60.00")), (2, Decimal("40.00"))]
    assert left == Decimal("0.00")
