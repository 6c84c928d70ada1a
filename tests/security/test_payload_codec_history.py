"""What the Temporal server keeps of an order's life: after an order goes from entry to closed on
the real dev server, its histories hold no customer e-mail, phone, address or tax id, and the
amounts only encrypted (the codec opens them again, so they are there)."""

from __future__ import annotations

from collections.abc import Iterator

from google.protobuf.json_format import MessageToJson
from google.protobuf.message import Message
from sqlalchemy.engine import Engine
from temporalio.api.common.v1 import Payload
from temporalio.api.history.v1 import History
from temporalio.testing import WorkflowEnvironment

from models.security.users import Role
from o2c.mailcatcher import MailCatcher
from o2c.payload_codec import EncryptionCodec, payload_keys
from o2c.settings import Settings
from o2c.worker import build_worker
from tests import factories
from tests.support.api_client import ApiClient, api_client
from tests.support.polling import eventually

CUSTOMER_DATA = {
    "email": "ap@secret-customer.example",
    "phone": "+44 20 7946 0321",
    "address": "17 Hidden Lane, Lowtown",
    "tax_id": "GB-TAX-778899",
}
# 7 x 19.99 = 139.93, tax 5 % = 7.00; total 146.93
AMOUNTS = ["139.93", "146.93"]


def messages_in(message: Message) -> Iterator[Message]:
    """The message and every message inside it, depth first."""
    yield message
    for field, value in message.ListFields():
        if field.message_type is None:
            continue
        if field.message_type.GetOptions().map_entry:
            items = list(value.values())
        else:
            items = list(value) if field.is_repeated else [value]
        for item in items:
            if isinstance(item, Message):
                yield from messages_in(item)


def without_search_attributes(history: History) -> History:
    """The history as stored, less its search attributes (readable by design: filters)."""
    copy = History()
    copy.CopyFrom(history)
    for message in messages_in(copy):
        if "search_attributes" in message.DESCRIPTOR.fields_by_name and message.HasField(
            "search_attributes"
        ):
            message.ClearField("search_attributes")
    return copy


def stored_bytes(history: History) -> bytes:
    return history.SerializeToString() + MessageToJson(history).encode()


async def close_one_order(api: ApiClient) -> int:
    customer = await factories.posted_customer(api, **CUSTOMER_DATA)
    await factories.posted_product(api)
    await factories.posted_receipt(api, "WIDGET", "100")
    lines = [{"sku": "WIDGET", "quantity": "7"}]
    body = {"customer_id": customer["id"], "lines": lines}
    order = (await api.post("/orders", Role.SALES, body, expect=201)).json()
    assert order["total"] == AMOUNTS[1]
    path = f"/orders/{order['id']}"
    await eventually(lambda: api.get(path), lambda o: o["status"] == "pending_approval")
    await api.post(f"{path}/approve", Role.APPROVER, {}, expect=200)
    await eventually(lambda: api.get(path), lambda o: o["status"] == "awaiting_shipment")
    shipment = (await api.get(path))["shipments"][0]["id"]
    dispatch = {"carrier": "DHL", "tracking_number": "JD7", "eta": "2026-12-01"}
    await api.post(f"/shipments/{shipment}/dispatch", Role.WAREHOUSE, dispatch, expect=200)
    await eventually(lambda: api.get(path), lambda o: o["status"] == "invoiced")
    payment = {
        "customer_id": customer["id"],
        "amount": AMOUNTS[1],
        "received_on": "2026-11-27",
        "reference": "BANK-7",
    }
    await api.post("/payments", Role.FINANCE, payment, expect=201)
    await api.post(f"/shipments/{shipment}/deliver", Role.WAREHOUSE, {}, expect=200)
    await eventually(lambda: api.get(path), lambda o: o["status"] == "closed")
    return int(order["id"])


async def test_histories_on_the_server_hold_no_customer_data_or_amounts_in_plaintext(
    sqlite_engine: Engine,
    dev_server_env: WorkflowEnvironment,
    mail_catcher: MailCatcher,
    worker_settings: Settings,
) -> None:
    engine = sqlite_engine
    factories.one_user_per_role(engine)
    client = dev_server_env.client
    api = api_client(engine, worker_settings, client)
    async with build_worker(client, engine, worker_settings):
        order_id = await close_one_order(api)
    await api.aclose()

    customer_data = [v.encode() for v in CUSTOMER_DATA.values()]
    amounts = [a.encode() for a in AMOUNTS]
    codec = EncryptionCodec(payload_keys(worker_settings))
    opened = b""
    for workflow_id in (f"order-{order_id}", "shipment-1", "invoice-1"):
        fetched = await client.get_workflow_handle(workflow_id).fetch_history()
        history = History(events=fetched.events)
        assert [s for s in customer_data if s in stored_bytes(history)] == []
        # OrderTotal, a search attribute the Temporal UI filters by, is the one readable amount.
        readable = stored_bytes(without_search_attributes(history))
        assert [s for s in amounts if s in readable] == []
        payloads = [m for m in messages_in(history) if isinstance(m, Payload)]
        encrypted = [p for p in payloads if p.metadata.get("encoding") == b"binary/encrypted"]
        assert encrypted
        opened += b"".join(p.SerializeToString() for p in await codec.decode(encrypted))
    # The codec opens them again: the amounts are in the histories, encrypted.
    assert AMOUNTS[1].encode() in opened
