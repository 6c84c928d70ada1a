"""The pure pricing rules: a line discounted then taxed, exact totals, and which price list
price a line gets (customer, credit class, default; validity; quantity breaks)."""

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from models.money import quantize
from models.sales.pricing import PriceOffer, line_amounts, order_totals, select_price

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


# --- which price a line gets -------------------------------------------------------------------

ORDER_DAY = date(2026, 11, 27)


def _offer(audience: str, price: str, **kw: object) -> PriceOffer:
    values: dict[str, object] = {
        "list_id": 1,
        "audience": audience,
        "min_quantity": Decimal(1),
        "unit_price": Decimal(price),
        "valid_from": date(2026, 1, 1),
        "valid_to": None,
    }
    values.update(kw)
    return PriceOffer(**values)  # type: ignore[arg-type]


def test_customer_price_beats_credit_class_price_beats_default_price() -> None:
    default = _offer("default", "10.00")
    by_class = _offer("credit_class", "9.00")
    own = _offer("customer", "8.50")
    assert select_price([default, by_class, own], Decimal(1), ORDER_DAY) == own
    assert select_price([default, by_class], Decimal(1), ORDER_DAY) == by_class
    assert select_price([default], Decimal(1), ORDER_DAY) == default


def test_a_price_outside_its_validity_period_is_not_used() -> None:
    expired = _offer("customer", "5.00", valid_to=date(2026, 11, 26))
    future = _offer("customer", "6.00", valid_from=date(2026, 11, 28))
    default = _offer("default", "10.00")
    assert select_price([expired, future, default], Decimal(1), ORDER_DAY) == default
    last_day = _offer("customer", "7.00", valid_to=ORDER_DAY)
    assert select_price([last_day, default], Decimal(1), ORDER_DAY) == last_day


def test_the_largest_quantity_break_the_line_reaches_applies() -> None:
    one = _offer("default", "10.00")
    ten = _offer("default", "9.00", min_quantity=Decimal(10))
    hundred = _offer("default", "8.00", min_quantity=Decimal(100))
    offers = [one, ten, hundred]
    assert select_price(offers, Decimal(9), ORDER_DAY) == one
    assert select_price(offers, Decimal(10), ORDER_DAY) == ten
    assert select_price(offers, Decimal(250), ORDER_DAY) == hundred


def test_no_valid_price_means_the_product_price_applies() -> None:
    assert (
        select_price([_offer("default", "1.00", min_quantity=Decimal(5))], Decimal(1), ORDER_DAY)
        is None
    )


audiences = st.sampled_from(["customer", "credit_class", "default"])
offers = st.builds(
    _offer,
    audiences,
    st.sampled_from(["1.00", "2.50", "9.99"]),
    min_quantity=st.sampled_from([Decimal(1), Decimal(10), Decimal(100)]),
    valid_from=st.dates(date(2026, 1, 1), date(2026, 12, 31)),
    valid_to=st.one_of(st.none(), st.dates(date(2026, 1, 1), date(2026, 12, 31))),
)


@given(st.lists(offers, max_size=12), st.sampled_from([Decimal(1), Decimal(50), Decimal(500)]))
def test_the_chosen_price_is_valid_and_no_valid_price_is_more_specific(
    candidates: list[PriceOffer], quantity: Decimal
) -> None:
    chosen = select_price(candidates, quantity, ORDER_DAY)
    usable = [o for o in candidates if o.valid_on(ORDER_DAY) and o.min_quantity <= quantity]
    if chosen is None:
        assert usable == []
        return
    assert chosen.valid_on(ORDER_DAY) and chosen.min_quantity <= quantity
    rank = {"customer": 0, "credit_class": 1, "default": 2}
    assert all(rank[chosen.audience] <= rank[o.audience] for o in usable)


@given(
    st.lists(st.tuples(quantities, prices, discounts, rates), min_size=1, max_size=20),
    st.sampled_from(["USD", "JPY", "KWD"]),
)
def test_totals_add_up_in_every_currency_minor_unit(
    lines: list[tuple[Decimal, ...]], currency: str
) -> None:
    amounts = [line_amounts(q, p, d, r, currency) for q, p, d, r in lines]
    totals = order_totals(amounts)
    unit = quantize(Decimal(0), currency)
    assert totals.net + totals.tax == totals.total
    for a in amounts:
        assert a.net == a.net.quantize(unit) and a.tax == a.tax.quantize(unit)
        assert a.total == a.net + a.tax


def test_half_a_cent_rounds_up() -> None:
    # 1 x 0.05 at 10 % tax: tax 0.005 -> 0.01
    assert line_amounts(Decimal(1), Decimal("0.05"), Decimal(0), Decimal("0.10")).tax == Decimal(
        "0.01"
    )
