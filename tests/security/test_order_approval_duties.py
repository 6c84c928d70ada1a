"""Whoever created or amended an order cannot approve that revision, tried through the API and
the approvals inbox page on the time-skipping server; someone else can."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from models.security.users import Role
from o2c.settings import Settings
from tests import factories
from tests.support.api_client import ApiClient
from tests.support.audit import duty_refusals
from tests.support.orders import level_waiting, status_of
from tests.support.polling import eventually
from tests.support.workflows import Flow
from tests.workspace.pages import Person


@pytest.fixture
def sales_desk(sqlite_engine: Engine) -> None:
    """SALES_DESK's staff, one approval level any approver decides, widgets at 10.00."""
    factories.staff(sqlite_engine, factories.SALES_DESK)
    factories.approval_policy(sqlite_engine, {"name": "manager", "role": "approver"})
    factories.product(sqlite_engine, price="10.00")


async def order_waiting_for_approval(api: ApiClient, engine: Engine, flow: Flow) -> int:
    """An order boss (sales and approver) entered, waiting at its first approval level."""
    customer = factories.customer(engine, credit_limit="1000.00")
    created = await api.post(
        "/orders",
        "boss",
        {"customer_id": customer.id, "lines": [{"sku": "WIDGET", "quantity": "2"}]},
        expect=201,
    )
    order_id: int = created.json()["id"]
    await flow.relay()
    await level_waiting(engine, order_id, 1)
    return order_id


@pytest.mark.usefixtures("sales_desk")
async def test_the_amender_of_a_revision_may_not_approve_it(
    live_api: ApiClient, sqlite_engine: Engine, flow: Flow
) -> None:
    order_id = await order_waiting_for_approval(live_api, sqlite_engine, flow)
    own = await live_api.post(f"/orders/{order_id}/approve", "boss", {})
    assert own.status_code == 403, own.text
    assert own.json()["detail"].startswith("nobody approves")

    factories.user(sqlite_engine, "amy", [Role.SALES, Role.APPROVER])
    await live_api.call(
        "PATCH",
        f"/orders/{order_id}",
        "amy",
        expect=200,
        json={"lines": [{"sku": "WIDGET", "quantity": "3"}]},
    )

    async def inbox() -> list[tuple[int, int]]:
        page = await live_api.get("/approvals?status=pending", "ann")
        return [(t["order_id"], t["revision"]) for t in page["items"]]

    await eventually(inbox, lambda items: items == [(order_id, 2)])
    amended = await live_api.post(f"/orders/{order_id}/approve", "amy", {})

    assert amended.status_code == 403, amended.text
    assert amended.json()["detail"] == "nobody approves a revision they amended"
    approve = f"/api/v1/orders/{order_id}/approve"
    assert duty_refusals(sqlite_engine) == [
        ("boss", approve, own.json()["detail"]),
        ("amy", approve, "nobody approves a revision they amended"),
    ]
    assert (await live_api.get(f"/orders/{order_id}", "rep"))["status"] == "pending_approval"
    await live_api.post(f"/orders/{order_id}/approve", "ann", {}, expect=200)
    await eventually(status_of(sqlite_engine, order_id), lambda s: s != "pending_approval")


@pytest.mark.usefixtures("sales_desk")
async def test_approving_ones_own_order_from_the_inbox_page_is_refused_and_recorded(
    live_api: ApiClient, sqlite_engine: Engine, flow: Flow, worker_settings: Settings
) -> None:
    order_id = await order_waiting_for_approval(live_api, sqlite_engine, flow)
    plain_http = worker_settings.model_copy(update={"secure_cookies": False})
    boss = Person(sqlite_engine, plain_http, flow.env.client)
    await boss.log_in("boss")
    inbox = await boss.open("/app/inbox")
    decision = f"/app/inbox/{order_id}/decision"

    refused = await boss.submit(inbox, decision, verdict="approve")
    await boss.aclose()

    assert "nobody approves" in refused.text
    [(who, route, rule)] = duty_refusals(sqlite_engine)
    assert (who, route) == ("boss", decision) and rule.startswith("nobody approves")
    assert (await live_api.get(f"/orders/{order_id}", "rep"))["status"] == "pending_approval"
