"""One order from entry to closed, through the HTTP API, on the real Temporal dev server, the
real database and the real SMTP catcher."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Engine
from temporalio.testing import WorkflowEnvironment

from models.security.users import Role
from o2c.mailcatcher import MailCatcher
from o2c.settings import Settings
from o2c.worker import build_worker
from tests import factories
from tests.support.api_client import api_client
from tests.support.mail import received
from tests.support.polling import eventually, reading
from workflows.search_attributes import ORDER_STATUS


async def test_order_goes_from_entry_to_closed(
    engine: Engine,
    dev_server_env: WorkflowEnvironment,
    mail_catcher: MailCatcher,
    worker_settings: Settings,
) -> None:
    settings = worker_settings
    factories.one_user_per_role(engine)
    client = dev_server_env.client
    api = api_client(engine, settings, client)
    async with build_worker(client, engine, settings):
        customer = await factories.posted_customer(api)
        await factories.posted_product(api)
        await factories.posted_receipt(api, "WIDGET", "100")

        created = (
            await api.post(
                "/orders",
                Role.SALES,
                {
                    "customer_id": customer["id"],
                    "lines": [{"sku": "WIDGET", "quantity": "10", "discount_pct": "10"}],
                },
                expect=201,
            )
        ).json()
        assert created["number"].startswith("SO-")
        # 10 x 19.99 = 199.90, less 10 % = 179.91, tax 5 % = 9.00 (8.9955 half-up)
        assert (created["subtotal"], created["tax"], created["total"]) == (
            "179.91",
            "9.00",
            "188.91",
        )
        order_path = f"/orders/{created['id']}"

        async def order() -> dict[str, Any]:
            return await api.get(order_path)  # type: ignore[no-any-return]

        await eventually(order, lambda o: o["status"] == "pending_approval")
        denied = await api.post(f"{order_path}/approve", Role.SALES, {})
        assert denied.status_code == 403

        approved = await api.post(
            f"{order_path}/approve", Role.APPROVER, {"comment": "fine"}, expect=200
        )
        assert approved.json()["approvals"][0]["decided_by"] == "approver"
        again = await api.post(f"{order_path}/approve", Role.APPROVER, {})
        assert again.status_code == 409

        awaiting = await eventually(order, lambda o: o["status"] == "awaiting_shipment")
        shipment_id = awaiting["shipments"][0]["id"]
        stock = await api.get("/stock", params={"sku": "WIDGET"})
        assert stock["items"][0]["reserved"] == "10.000"

        await api.post(
            f"/shipments/{shipment_id}/dispatch",
            Role.WAREHOUSE,
            {"carrier": "DHL", "tracking_number": "JD0001", "eta": "2026-12-01"},
            expect=200,
        )
        invoiced = await eventually(order, lambda o: o["status"] == "invoiced")
        invoice = invoiced["invoices"][0]
        assert invoice["total"] == "188.91" and invoice["outstanding"] == "188.91"
        assert invoice["number"].startswith("INV-")

        await eventually(reading(mail_catcher.messages), lambda m: len(m) >= 1)
        invoice_mail = received(mail_catcher)[0]
        assert invoice_mail["To"] == "ap@acme.example"
        assert invoice["number"] in invoice_mail["Subject"]

        payment = await api.post(
            "/payments",
            Role.FINANCE,
            {
                "customer_id": customer["id"],
                "amount": "188.91",
                "received_on": "2026-11-27",
                "reference": "BANK-1",
            },
            expect=201,
        )
        assert payment.json()["allocations"] == [{"invoice_id": invoice["id"], "amount": "188.91"}]
        assert payment.json()["unapplied"] == "0.00"
        await eventually(order, lambda o: o["status"] == "paid")

        await api.post(f"/shipments/{shipment_id}/deliver", Role.WAREHOUSE, {}, expect=200)
        closed = await eventually(order, lambda o: o["status"] == "closed")
        assert closed["invoices"][0]["status"] == "paid"

        timeline = await api.get(f"{order_path}/timeline")
        steps = [(e["kind"], e["actor"]) for e in timeline]
        assert ("created", "sales") in steps
        assert ("approved", "approver") in steps
        assert ("dispatched", "warehouse") in steps
        assert [e["status"] for e in timeline if e["status"]][-1] == "closed"

        # Ops find it in the Temporal UI by status.
        described = await client.get_workflow_handle(f"order-{created['id']}").describe()
        assert described.typed_search_attributes.get(ORDER_STATUS) == "closed"
        # The invoice e-mail went out exactly once.
        assert len(mail_catcher.messages()) == 1
    await api.aclose()
