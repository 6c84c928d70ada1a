"""A credit limit raise by more than O2C_CREDIT_LIMIT_APPROVAL_ABOVE_PCT waits for a second
credit manager even below the approval amount; a smaller raise and any cut apply at once."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from models.security.users import Role
from tests import factories
from tests.support.api_client import ApiClient
from tests.support.settings import make_settings


@pytest.fixture
def settings(tmp_path: Any) -> Any:
    """Raises above 50000.00, or by more than 50 %, wait for a second credit manager."""
    return make_settings(
        tmp_path,
        temporal_address="127.0.0.1:1",
        credit_limit_approval_above=Decimal("50000.00"),
        credit_limit_approval_above_pct=Decimal("50"),
    )


async def change_limit(api: ApiClient, customer_id: int, limit: str, expect: int) -> Any:
    answer = await api.call(
        "PATCH",
        f"/customers/{customer_id}",
        Role.CREDIT_MANAGER,
        expect=expect,
        json={"credit_limit": limit},
    )
    return answer.json()


async def limit_seen(api: ApiClient, customer_id: int) -> str:
    return str((await api.get(f"/customers/{customer_id}", Role.SALES))["credit_limit"])


async def test_a_raise_of_half_the_limit_applies_and_more_waits(
    api: ApiClient, engine: Engine
) -> None:
    customer = factories.customer(engine, credit_limit="10000.00")

    applied = await change_limit(api, customer.id, "15000.00", expect=200)  # +50 %
    assert applied["pending_limit_change_id"] is None
    assert await limit_seen(api, customer.id) == "15000.00"

    asked = await change_limit(api, customer.id, "22500.01", expect=202)  # +50.0001 %
    assert await limit_seen(api, customer.id) == "15000.00"
    (waiting,) = (await api.get("/credit-limit-changes", Role.CREDIT_MANAGER))["items"]
    assert (waiting["id"], waiting["requested_limit"], waiting["state"]) == (
        asked["pending_limit_change_id"],
        "22500.01",
        "pending",
    )


async def test_a_cut_never_waits(api: ApiClient, engine: Engine) -> None:
    customer = factories.customer(engine, credit_limit="10000.00")

    await change_limit(api, customer.id, "1000.00", expect=200)

    assert await limit_seen(api, customer.id) == "1000.00"
