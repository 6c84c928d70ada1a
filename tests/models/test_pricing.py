from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from models.pricing import line_amounts, order_totals

quantities = st.decimals(min_value=1, max_value=10_000, places=0)
prices = st.decimals(min_value=0, max_value=100_000, places=2)
discounts = st.decimals(min_value=0, max_value=100, places=2)
rates = st.sampled_from([Decimal("0"), Decimal("0.05"), Decimal("0.13"), Decimal("0.19")])


def test_line_is_discounted_then_taxed_and_rounded_half_up() -> None:
    line = line_amounts(Decimal(10), Decimal("19.99"), Decimal(10), Decimal("0.05"))
    assert (line.net, line.tax, line.total) == (
        Decimal("179.91"),
        Decimal("9.00"),
        Decimal("188.91"),
    )


@given(st.lists(st.tuples(quantities, prices, discounts, rates), min_size=1, max_size=20))
def test_subtotal_plus_tax_is_exactly_the_total(lines: list[tuple[Decimal, ...]]) -> None:
    amounts = [line_amounts(q, p, d, r) for q, p, d, r in lines]
    totals = order_totals(amounts)
    assert totals.net + totals.tax == totals.total
    assert totals.total == sum((a.total for a in amounts), Decimal(0))
    for a in amounts:
        assert a.net == a.net.quantize(Decimal("0.01"))
        assert a.tax == a.tax.quantize(Decimal("0.01"))
        assert a.net >= 0 and a.tax >= 0
