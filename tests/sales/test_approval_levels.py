"""Which approval levels an order needs: each rule of the policy firing on its own."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from pydantic import ValidationError

from models.master_data.customers import CreditStatus
from models.sales.approval_policy import ApprovalLevelSpec, OrderFacts, required_levels

# The example: sales manager above 10,000; finance director above 100,000 or any
# discount over 15 %; plus credit and override rules.
POLICY = [
    ApprovalLevelSpec(name="sales manager", role="approver", when_total_above=Decimal(10_000)),
    ApprovalLevelSpec(
        name="finance director",
        role="finance",
        when_total_above=Decimal(100_000),
        when_discount_above=Decimal(15),
    ),
    ApprovalLevelSpec(name="pricing", role="admin", when_price_override=True),
    ApprovalLevelSpec(name="credit", role="credit_manager", when_credit_status=[CreditStatus.HOLD]),
]


def facts(
    total: str = "100.00",
    discount: str = "0",
    override: bool = False,
    credit: CreditStatus = CreditStatus.OK,
) -> OrderFacts:
    return OrderFacts(
        total=Decimal(total),
        largest_discount_pct=Decimal(discount),
        price_overridden=override,
        credit_status=credit,
    )


def names(order: OrderFacts) -> list[str]:
    return [level.name for _, level in required_levels(POLICY, order)]


def test_a_small_plain_order_needs_no_level() -> None:
    assert names(facts()) == []


def test_total_above_ten_thousand_needs_the_sales_manager() -> None:
    assert names(facts("10000.00")) == []
    assert names(facts("10000.01")) == ["sales manager"]


def test_total_above_a_hundred_thousand_needs_both_levels_in_order() -> None:
    assert names(facts("100000.01")) == ["sales manager", "finance director"]
    assert [n for n, _ in required_levels(POLICY, facts("100000.01"))] == [1, 2]


def test_any_discount_over_fifteen_percent_needs_the_finance_director() -> None:
    assert names(facts(discount="15")) == []
    assert names(facts(discount="15.5")) == ["finance director"]


def test_a_price_override_needs_its_level() -> None:
    assert names(facts(override=True)) == ["pricing"]


def test_an_order_released_from_credit_hold_needs_the_credit_level() -> None:
    assert names(facts(credit=CreditStatus.HOLD)) == ["credit"]
    assert names(facts(credit=CreditStatus.BLOCKED)) == []


def test_a_level_without_rules_is_always_required() -> None:
    always = [ApprovalLevelSpec(name="anyone", role="approver")]
    assert [lvl.name for _, lvl in required_levels(always, facts())] == ["anyone"]


@pytest.mark.parametrize(
    "bad",
    [
        {"name": "loop", "role": "approver", "escalate_after": "PT1H", "escalate_to": "approver"},
        {"name": "both", "role": "approver", "user": "bob"},
        {"name": "neither"},
        {"name": "half", "role": "approver", "escalate_after": "PT1H"},
        {"name": "negative", "role": "approver", "remind_after": "-PT1H"},
        {"name": "discount", "role": "approver", "when_discount_above": "101"},
        {"name": "discount", "role": "approver", "when_discount_above": "-1"},
    ],
)
def test_an_inconsistent_level_is_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        ApprovalLevelSpec.model_validate(bad)


def test_durations_read_as_iso_8601() -> None:
    level = ApprovalLevelSpec.model_validate(
        {"name": "x", "role": "approver", "remind_after": "P1D", "expire_after": "P3DT12H"}
    )
    assert level.remind_after == timedelta(days=1)
    assert level.expire_after == timedelta(days=3, hours=12)
