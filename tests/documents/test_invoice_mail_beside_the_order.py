"""The invoice mail goes out on its own (MailDeliveryWorkflow): an order is paid, delivered and
closed while its invoice mail still waits for the mail server, and the mail arrives once, with its
PDF, when the server answers (time-skipping server, real database, real SMTP server later)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from models.outbox import OutboxKind, OutboxMessage, OutboxState
from models.workflow_ids import mail_workflow_id
from o2c.mailcatcher import MailCatcher
from o2c.settings import Settings
from tests import factories
from tests.documents.reading import attached_pdf_text
from tests.support.mail import received
from tests.support.orders import invoices_of, planned_shipments, status
from tests.support.polling import eventually, reading
from tests.support.ports import free_port
from tests.support.settings import make_settings
from tests.support.workflows import Flow

# Only against hanging for ever: with time skipping, an order waiting for its mail never closes.
GUARD_SECONDS = 120


@pytest.fixture
def smtp_port() -> int:
    """Where the mail server will listen once it is up; nothing answers there at first."""
    return free_port()


@pytest.fixture
def worker_settings(tmp_path: Path, smtp_port: int) -> Settings:
    return make_settings(tmp_path, smtp_port=smtp_port)


def invoice_mail(engine: Engine) -> OutboxMessage:
    with Session(engine) as session:
        [mail] = session.exec(
            select(OutboxMessage).where(OutboxMessage.kind == OutboxKind.EMAIL)
        ).all()
        return mail


async def test_an_order_closes_while_its_invoice_mail_waits_for_the_mail_server(
    flow: Flow, sqlite_engine: Engine, smtp_port: int, tmp_path: Path
) -> None:
    order = factories.widget_order(sqlite_engine, 2, stock=10, invoice_policy="on_order")
    handle = await flow.approved_order(order.id)
    [shipment] = await planned_shipments(sqlite_engine, order.id)
    await eventually(reading(status, sqlite_engine, order.id), lambda s: s == "awaiting_shipment")
    [invoice] = await eventually(reading(invoices_of, sqlite_engine, order.id), lambda i: len(i))
    factories.payment(sqlite_engine, order.customer_id, "22.00")
    factories.dispatch(sqlite_engine, shipment.id or 0)
    factories.deliver(sqlite_engine, shipment.id or 0)
    await flow.relay()

    closed = await asyncio.wait_for(handle.result(), GUARD_SECONDS)

    assert closed.status == "closed"
    mail = invoice_mail(sqlite_engine)
    assert mail.state != OutboxState.SENT  # nobody has taken it yet

    catcher = MailCatcher(tmp_path / "mailbox", port=smtp_port)
    catcher.start()
    try:
        mailing = flow.env.client.get_workflow_handle(mail_workflow_id(mail.id))
        await asyncio.wait_for(mailing.result(), GUARD_SECONDS)

        [sent] = received(catcher)
        assert invoice.number in sent["Subject"]
        assert invoice.number in attached_pdf_text(sent)
        assert invoice_mail(sqlite_engine).state == OutboxState.SENT
    finally:
        catcher.stop()
