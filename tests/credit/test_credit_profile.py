"""A customer's credit profile: behaviour o2c sees, financials a credit manager records, and the
score with every factor's points; bad financials are refused naming the field."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from models.security.users import Role
from tests import factories
from tests.support.api_client import ApiClient
from tests.support.refusals import assert_refused_naming

FINANCIALS: dict[str, Any] = {
    "currency": "usd",
    "annual_revenue": {"value": "4200000.00", "as_of": "2025-12-31", "source": "audited accounts"},
    "equity": {"value": "800000.00", "as_of": "2025-12-31", "source": "audited accounts"},
    "years_trading": {"value": 12, "as_of": "2026-01-15", "source": "company register"},
    "external_rating": {"value": "bbb", "as_of": "2026-03-01", "source": "S&P"},
}


def points(profile: dict[str, Any]) -> dict[str, int]:
    return {f["factor"]: f["points"] for f in profile["score"]["factors"]}


async def test_a_late_payment_shows_in_the_behaviour_and_costs_points(
    api: ApiClient, engine: Engine
) -> None:
    customer = factories.customer(engine, credit_limit="1000.00")
    late = factories.invoice(engine, customer.id, "100.00", due=date(2026, 3, 1))
    on_time = factories.invoice(engine, customer.id, "300.00", due=date(2026, 4, 1))
    factories.payment(
        engine, customer.id, "110.00", received_on=date(2026, 3, 11), allocations={late.id: "110"}
    )
    factories.payment(
        engine,
        customer.id,
        "330.00",
        received_on=date(2026, 3, 30),
        allocations={on_time.id: "330"},
    )

    profile = await api.get(
        f"/customers/{customer.id}/credit-profile",
        Role.CREDIT_MANAGER,
        params={"as_of": "2026-06-30"},
    )

    behaviour = profile["behaviour"]
    assert (behaviour["invoices_due"], behaviour["average_days_beyond_terms"]) == (2, "5.0")
    assert (behaviour["weighted_days_beyond_terms"], behaviour["late_share"]) == ("2.5", "50.0")
    assert (behaviour["exposure"], behaviour["utilisation"]) == ("0.00", "0.0")
    assert points(profile)["days_beyond_terms"] == 16
    assert points(profile)["late_share"] == 3
    assert profile["score"]["score"] == sum(points(profile).values())
    assert profile["financials"] is None and profile["scorecard_id"] is None


async def test_an_open_invoice_past_due_counts_as_late_until_paid(
    api: ApiClient, engine: Engine
) -> None:
    customer = factories.customer(engine, credit_limit="200.00")
    factories.invoice(engine, customer.id, "100.00", due=date(2026, 6, 10))

    profile = await api.get(
        f"/customers/{customer.id}/credit-profile", Role.AUDITOR, params={"as_of": "2026-06-30"}
    )

    behaviour = profile["behaviour"]
    assert (behaviour["weighted_days_beyond_terms"], behaviour["late_share"]) == ("20.0", "100.0")
    assert (behaviour["overdue"], behaviour["overdue_share"]) == ("110.00", "100.0")
    assert behaviour["utilisation"] == "55.0"


async def test_recorded_financials_read_back_and_score(api: ApiClient, engine: Engine) -> None:
    customer = factories.customer(engine, credit_limit="200000.00")

    saved = await api.call(
        "PUT", f"/customers/{customer.id}/financials", Role.CREDIT_MANAGER, json=FINANCIALS
    )

    assert saved.status_code == 200, saved.text
    body = saved.json()
    assert (body["currency"], body["external_rating"]["value"]) == ("USD", "BBB")
    assert body["equity"] == {
        "value": "800000.00",
        "as_of": "2025-12-31",
        "source": "audited accounts",
    }
    assert body["recorded_by"] == "credit_manager"
    profile = await api.get(f"/customers/{customer.id}/credit-profile", Role.SALES)
    assert profile["financials"] == body
    factors = {f["factor"]: f for f in profile["score"]["factors"]}
    assert (factors["equity_to_limit"]["value"], factors["equity_to_limit"]["points"]) == (
        "4.00",
        4,
    )
    assert (factors["external_rating"]["value"], factors["external_rating"]["points"]) == ("4", 4)
    assert factors["years_trading"]["points"] == 5


async def test_a_new_put_replaces_what_was_recorded(api: ApiClient, engine: Engine) -> None:
    customer = factories.customer(engine)
    path = f"/customers/{customer.id}/financials"
    await api.call("PUT", path, Role.CREDIT_MANAGER, json=FINANCIALS, expect=200)

    again = await api.call("PUT", path, Role.CREDIT_MANAGER, json={"currency": "EUR"}, expect=200)

    assert again.json()["annual_revenue"] is None and again.json()["currency"] == "EUR"
    profile = await api.get(f"/customers/{customer.id}/credit-profile")
    assert profile["financials"]["external_rating"] is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (
            {"annual_revenue": {"value": "-1.00", "as_of": "2025-12-31", "source": "x"}},
            "annual_revenue",
        ),
        (
            {
                "equity": {
                    "value": "10.00",
                    "as_of": str(date.today() + timedelta(days=1)),
                    "source": "x",
                }
            },
            "equity",
        ),
        ({"currency": "XYZ"}, "currency"),
        (
            {"external_rating": {"value": "AAAA", "as_of": "2026-01-01", "source": "x"}},
            "external_rating",
        ),
        (
            {"external_rating": {"value": "E", "as_of": "2026-01-01", "source": "x"}},
            "external_rating",
        ),
        ({"years_trading": {"value": -3, "as_of": "2026-01-01", "source": "x"}}, "years_trading"),
    ],
)
async def test_bad_financials_are_422_naming_the_field_and_nothing_is_written(
    api: ApiClient, engine: Engine, change: dict[str, Any], field: str
) -> None:
    customer = factories.customer(engine)

    response = await api.call(
        "PUT",
        f"/customers/{customer.id}/financials",
        Role.CREDIT_MANAGER,
        json={**FINANCIALS, **change},
    )

    assert response.status_code == 422, response.text
    assert_refused_naming(response, field)
    assert (await api.get(f"/customers/{customer.id}/credit-profile"))["financials"] is None


async def test_only_credit_managers_record_financials(api: ApiClient, engine: Engine) -> None:
    customer = factories.customer(engine)

    for role in (Role.SALES, Role.FINANCE, Role.AUDITOR):
        await api.call(
            "PUT", f"/customers/{customer.id}/financials", role, json=FINANCIALS, expect=403
        )
    await api.call("GET", f"/customers/{customer.id}/credit-profile", Role.WAREHOUSE, expect=403)


async def test_a_saved_scorecard_is_in_force_and_one_that_does_not_sum_to_100_is_refused(
    api: ApiClient, engine: Engine
) -> None:
    customer = factories.customer(engine)
    card = await api.get("/credit-scorecards/current", Role.CREDIT_MANAGER)
    card["factors"][0]["bands"][0]["points"] = 30  # days beyond terms now weighs 30

    refused = await api.post("/credit-scorecards", Role.CREDIT_MANAGER, {**card, "name": "heavy"})
    assert refused.status_code == 422, refused.text
    assert "weights sum to 110, not 100" in refused.text
    card["factors"][1]["bands"] = [{"upto": "5", "points": 5}, {"upto": None, "points": 0}]
    card["factors"][1]["missing"] = 0

    saved = await api.post(
        "/credit-scorecards", Role.CREDIT_MANAGER, {**card, "name": "days first"}, expect=201
    )

    assert saved.json()["in_force"] is True
    profile = await api.get(f"/customers/{customer.id}/credit-profile")
    assert profile["scorecard_id"] == saved.json()["id"]
    assert profile["score"]["factors"][0]["weight"] == 30
    await api.post("/credit-scorecards", Role.SALES, {**card, "name": "x"}, expect=403)
