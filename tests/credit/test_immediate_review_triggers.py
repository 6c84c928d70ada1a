"""The events that start a customer's credit review at once, on the time-skipping server: a
payment more than O2C_CREDIT_REVIEW_LATE_DAYS late, a bounced payment, and an order let through
that takes the exposure over 90 % of the limit. Each starts credit-review-{customer_id}."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from temporalio.client import WorkflowExecutionStatus

from models.security.users import Role
from models.workflow_ids import credit_review_workflow_id
from o2c.mailcatcher import MailCatcher
from o2c.settings import Settings
from tests import factories
from tests.support.api_client import ApiClient
from tests.support.settings import make_settings
from tests.support.workflows import Flow

DUE = date(2026, 10, 1)
CREDIT_DESK = {"cm": [Role.CREDIT_MANAGER], "fin": [Role.FINANCE]}


@pytest.fixture
def worker_settings(tmp_path: Path, mail_catcher: MailCatcher) -> Settings:
    return make_settings(tmp_path, smtp_port=mail_catcher.port, credit_review_late_days=10)


@pytest.fixture(autouse=True)
def credit_desk(sqlite_engine: Engine) -> None:
    factories.staff(sqlite_engine, CREDIT_DESK)


async def reviews_of(api: ApiClient, customer_id: int) -> list[dict[str, Any]]:
    page = await api.get("/credit-reviews", "cm", params={"customer_id": customer_id})
    return page["items"]  # type: ignore[no-any-return]


async def reviewed_for(flow: Flow, api: ApiClient, customer_id: int) -> str:
    """The trigger of the one review the relay's start of credit-review-{id} made."""
    await flow.relay()
    handle = flow.env.client.get_workflow_handle(credit_review_workflow_id(customer_id))
    await handle.result()
    (made,) = await reviews_of(api, customer_id)
    return str(made["trigger"])


async def never_reviewed(flow: Flow, api: ApiClient, customer_id: int) -> None:
    await flow.relay()
    assert await reviews_of(api, customer_id) == []
    described = flow.env.client.get_workflow_handle(credit_review_workflow_id(customer_id))
    with pytest.raises(Exception, match="not found"):
        await described.describe()


async def pay(api: ApiClient, customer_id: int, amount: str, on: date) -> dict[str, Any]:
    body = {"customer_id": customer_id, "amount": amount, "received_on": on.isoformat()}
    answer = await api.post("/payments", "fin", {**body, "reference": f"BANK-{on}"}, expect=201)
    return answer.json()  # type: ignore[no-any-return]


async def test_a_payment_more_than_the_set_days_late_starts_a_review(
    flow: Flow, live_api: ApiClient
) -> None:
    prompt = factories.customer(flow.engine, "PROMPT", credit_limit="5000.00")
    factories.invoice(flow.engine, prompt.id, "1000.00", due=DUE)
    late = factories.customer(flow.engine, "TARDY", credit_limit="5000.00")
    factories.invoice(flow.engine, late.id, "1000.00", due=DUE)

    await pay(live_api, prompt.id, "1100.00", date(2026, 10, 11))  # 10 days: within the setting
    await pay(live_api, late.id, "1100.00", date(2026, 10, 12))  # 11 days

    assert await reviewed_for(flow, live_api, late.id) == "late_payment"
    await never_reviewed(flow, live_api, prompt.id)


async def test_a_bounced_payment_starts_a_review(flow: Flow, live_api: ApiClient) -> None:
    customer = factories.customer(flow.engine, "BOUNCER", credit_limit="5000.00")
    factories.invoice(flow.engine, customer.id, "1000.00", due=DUE)
    paid = await pay(live_api, customer.id, "1100.00", DUE)
    await never_reviewed(flow, live_api, customer.id)

    await live_api.post(
        f"/payments/{paid['id']}/reverse",
        "fin",
        {"reason": "returned unpaid by the bank", "on": "2026-10-05"},
        expect=200,
    )

    assert await reviewed_for(flow, live_api, customer.id) == "payment_reversed"


async def test_an_order_taking_the_exposure_over_90_percent_starts_a_review(
    flow: Flow, live_api: ApiClient
) -> None:
    factories.product(flow.engine, stock=500)
    near = factories.customer(flow.engine, "NEAR", credit_limit="1000.00")
    over = factories.customer(flow.engine, "OVER", credit_limit="1000.00")

    within = factories.order(flow.engine, near.id, quantity=81)
    beyond = factories.order(flow.engine, over.id, quantity=82)
    assert (within.total, beyond.total) == (Decimal("891.00"), Decimal("902.00"))

    assert await reviewed_for(flow, live_api, over.id) == "utilisation"
    await never_reviewed(flow, live_api, near.id)
    handle = flow.env.client.get_workflow_handle(credit_review_workflow_id(over.id))
    assert (await handle.describe()).status == WorkflowExecutionStatus.COMPLETED
