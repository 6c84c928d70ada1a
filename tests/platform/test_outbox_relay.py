"""The outbox relay settles what cannot be delivered instead of retrying it for ever: a wake-up
to a workflow that finished is delivered, one to a workflow that was terminated is dead-lettered
for ops, one to a workflow not started yet waits for it; stuck rows never hold up new ones; and
a write answers at once while Temporal does not answer."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session
from temporalio.testing import WorkflowEnvironment

from activities.workflow_outbox import queue_signal
from models.outbox import OutboxKind, OutboxMessage, OutboxState
from models.sales.messages import SETTLEMENT_SIGNAL
from models.security.users import Role
from o2c.mailcatcher import MailCatcher
from o2c.relay import BATCH, _not_found, relay_once
from o2c.settings import Settings
from o2c.worker import build_worker
from tests import factories
from tests.fixtures.api import UNREACHABLE_TEMPORAL
from tests.support.api_client import ApiClient, api_client
from tests.support.database import outbox
from tests.support.ports import free_port
from tests.support.settings import make_settings
from tests.support.workflows import start_collection


def backoff_passed(engine: Engine) -> None:
    """As if every waiting message's back-off had run out (the relay waits in real time)."""
    with Session(engine) as session, session.begin():
        session.execute(update(OutboxMessage).values(next_attempt_at=datetime.now(UTC)))


async def test_a_wake_up_to_a_finished_workflow_is_delivered(
    engine: Engine, time_skipping_env: WorkflowEnvironment, settings: Settings
) -> None:
    """Issue 10 C: a payment recorded before the invoice's collection started; the collection
    then found the invoice paid and ended, and the wake-up was retried for ever."""
    customer = factories.customer(engine)
    issued = factories.invoice(engine, customer.id)
    factories.payment(engine, customer.id, "110.00")
    client = time_skipping_env.client
    async with build_worker(client, engine, settings) as worker:
        handle = await start_collection(time_skipping_env, worker.task_queue, issued)
        assert (await handle.result()).outcome == "paid"

        assert await relay_once(client, engine, worker.task_queue) == 1

    [wake_up] = outbox(engine, f"invoice-{issued.id}")
    assert wake_up.state == OutboxState.SENT
    assert wake_up.last_error == f"workflow invoice-{issued.id} had already completed"


async def test_a_signal_to_a_terminated_workflow_is_listed_for_ops_with_its_reason(
    engine: Engine, time_skipping_env: WorkflowEnvironment, api: ApiClient, settings: Settings
) -> None:
    customer = factories.customer(engine)
    issued = factories.invoice(engine, customer.id)
    client = time_skipping_env.client
    handle = await start_collection(time_skipping_env, settings.task_queue, issued)
    await handle.terminate("stopped by hand")
    factories.payment(engine, customer.id, "50.00")

    assert await relay_once(client, engine, settings.task_queue) == 0

    dead = await api.get("/outbox", Role.OPS, params={"state": "dead"})
    assert dead["total"] == 1
    [message] = dead["items"]
    assert (message["target"], message["name"]) == (f"invoice-{issued.id}", SETTLEMENT_SIGNAL)
    reason = f"workflow invoice-{issued.id} had ended (terminated) before settlement arrived"
    assert message["dead_reason"] == reason
    await api.post(f"/outbox/{message['id']}/resend", Role.OPS, expect=403)
    resent = await api.post(f"/outbox/{message['id']}/resend", Role.ADMIN, expect=200)
    assert resent.json()["state"] == "pending"
    assert (await api.get("/outbox", Role.OPS, params={"state": "dead"}))["total"] == 0
    await api.post(f"/outbox/{message['id']}/resend", Role.ADMIN, expect=409)


async def test_a_signal_written_before_its_workflow_starts_still_arrives(
    engine: Engine, time_skipping_env: WorkflowEnvironment, settings: Settings
) -> None:
    customer = factories.customer(engine)
    issued = factories.invoice(engine, customer.id)
    factories.payment(engine, customer.id, "10.00")  # part of it: the collection goes on
    client = time_skipping_env.client

    assert await relay_once(client, engine, settings.task_queue) == 0
    [waiting] = outbox(engine, f"invoice-{issued.id}")
    assert waiting.state == OutboxState.PENDING
    assert waiting.last_error == f"workflow invoice-{issued.id} not started yet"
    assert waiting.next_attempt_at > datetime.now(UTC)  # backs off: not tried on every pass
    assert await relay_once(client, engine, settings.task_queue) == 0

    await start_collection(time_skipping_env, settings.task_queue, issued)
    backoff_passed(engine)
    assert await relay_once(client, engine, settings.task_queue) == 1
    assert outbox(engine, f"invoice-{issued.id}")[0].state == OutboxState.SENT


async def test_a_signal_whose_workflow_starts_while_it_is_tried_waits_for_it(
    engine: Engine, time_skipping_env: WorkflowEnvironment, settings: Settings
) -> None:
    """The lifecycle bench's dead letter: the settlement was NOT_FOUND, the collection started
    before the relay looked why, and the relay read the running workflow as "had ended
    (running)" and gave the settlement up. The look is taken here just after the start."""
    customer = factories.customer(engine)
    issued = factories.invoice(engine, customer.id)
    factories.payment(engine, customer.id, "10.00")
    [settlement] = outbox(engine, f"invoice-{issued.id}")
    await start_collection(time_skipping_env, settings.task_queue, issued)

    outcome = await _not_found(time_skipping_env.client, settlement, datetime.now(UTC))

    assert not outcome.dead
    assert outcome.error == f"workflow invoice-{issued.id} started meanwhile"


async def test_two_relays_at_the_same_moment_deliver_a_wake_up_once(
    engine: Engine, time_skipping_env: WorkflowEnvironment, settings: Settings
) -> None:
    """The API relays after each command while the worker relays every second."""
    customer = factories.customer(engine)
    issued = factories.invoice(engine, customer.id)
    handle = await start_collection(time_skipping_env, settings.task_queue, issued)
    factories.payment(engine, customer.id, "10.00")
    client = time_skipping_env.client

    passes = [relay_once(client, engine, settings.task_queue) for _ in range(2)]
    assert sorted(await asyncio.gather(*passes)) == [0, 1]

    history = await handle.fetch_history()
    signals = [
        e for e in history.events if e.HasField("workflow_execution_signaled_event_attributes")
    ]
    assert len(signals) == 1


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
async def test_stuck_messages_never_hold_up_a_new_order(
    engine: Engine, time_skipping_env: WorkflowEnvironment, settings: Settings
) -> None:
    """Issue 10 C: 206 stuck rows, the relay read the oldest 200, a new order never started."""
    with Session(engine) as session, session.begin():
        for n in range(BATCH + 6):
            queue_signal(
                session,
                key=f"stuck-{n}",
                workflow_id=f"invoice-{90000 + n}",
                signal=SETTLEMENT_SIGNAL,
                payload={},
            )
    client = time_skipping_env.client
    assert await relay_once(client, engine, settings.task_queue) == 0  # tried, backing off

    customer = factories.customer(engine)
    factories.product(engine)
    order = factories.order(engine, customer.id)
    assert await relay_once(client, engine, settings.task_queue) == 1

    assert outbox(engine, f"order-{order.id}")[0].state == OutboxState.SENT


async def test_a_mail_left_unconfirmed_is_listed_for_ops_and_resent_once_asked(
    engine: Engine, mail_catcher: MailCatcher, tmp_path: Path
) -> None:
    factories.one_user_per_role(engine)
    with Session(engine) as session, session.begin():
        session.add(
            OutboxMessage(
                key="mail/invoice-1",
                kind=OutboxKind.EMAIL,
                state=OutboxState.UNCONFIRMED,
                target="ap@acme.example",
                name="Invoice INV-1",
                payload={"text": "Your invoice", "html": "<p>Your invoice</p>"},
                last_error="an earlier attempt stopped during SMTP DATA",
            )
        )

    def api_mailing_to(port: int) -> ApiClient:
        settings = make_settings(tmp_path, temporal_address=UNREACHABLE_TEMPORAL, smtp_port=port)
        return api_client(engine, settings)

    async with api_mailing_to(free_port()) as api:  # the mail server is down at first
        listed = await api.get("/outbox", Role.OPS, params={"state": "unconfirmed"})
        [mail] = listed["items"]
        assert (mail["target"], mail["kind"]) == ("ap@acme.example", "email")

        down = await api.post(f"/outbox/{mail['id']}/resend", Role.ADMIN, expect=503)
        assert "resend failed" in down.json()["detail"]
        assert (await api.get("/outbox", Role.OPS, params={"state": "unconfirmed"}))["total"] == 1

    async with api_mailing_to(mail_catcher.port) as api:
        resent = await api.post(f"/outbox/{mail['id']}/resend", Role.ADMIN, expect=200)

        assert resent.json()["state"] == "sent"
        assert len(mail_catcher.messages()) == 1
        assert (await api.get("/outbox", Role.OPS, params={"state": "unconfirmed"}))["total"] == 0


@pytest.fixture
def silent_temporal() -> Iterator[str]:
    """An address that accepts connections and never answers (a hung or firewalled Temporal)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield f"127.0.0.1:{listener.getsockname()[1]}"


async def test_a_write_answers_at_once_while_temporal_does_not_answer(
    engine: Engine, silent_temporal: str, tmp_path: Path
) -> None:
    """Issue 10 D: writes waited for Temporal; now delivery is left to the worker's relay."""
    factories.one_user_per_role(engine)
    customer = factories.customer(engine)
    factories.product(engine)
    settings = make_settings(tmp_path, temporal_address=silent_temporal)
    body = {"customer_id": customer.id, "lines": [{"sku": "WIDGET", "quantity": "1"}]}
    async with api_client(engine, settings) as api:
        for _ in range(2):  # the first finds Temporal silent, the second knows it
            started = time.monotonic()
            response = await asyncio.wait_for(api.post("/orders", Role.SALES, body), 20)
            elapsed = time.monotonic() - started
            assert response.status_code == 201, response.text
            assert elapsed < 3, elapsed
            start = outbox(engine, f"order-{response.json()['id']}")
            assert [(m.state, m.name) for m in start] == [(OutboxState.PENDING, "OrderWorkflow")]
    assert all(m.state == OutboxState.PENDING for m in outbox(engine))
    assert [m.attempts for m in outbox(engine)] == [0, 0]  # none tried: Temporal was silent
