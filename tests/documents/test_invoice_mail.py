"""The invoice e-mail: sent through the outbox with its PDF attached, exactly once, also when the
activity is retried or the worker dies in the middle of the SMTP conversation."""

from __future__ import annotations

import asyncio
import io
import signal
import subprocess
import sys
import threading
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy.engine import Engine
from sqlmodel import Session

from activities.documents import mail_delivery
from activities.documents.mail_delivery import MailServer, deliver
from activities.receivables.invoices import get_invoice, invoice_lines
from models.master_data.customers import Customer
from models.outbox import OutboxMessage, OutboxState
from notifications.outbox import queue_email
from o2c.mailcatcher import MailCatcher
from tests import factories
from tests.support.mail import received


def queue_invoice_mail(engine: Engine) -> int:
    buyer = factories.customer(engine, code="SHMZ", language="zh")
    billed = factories.invoice(
        engine, buyer.id, "100.00", tax_rate="0.13", issued=date(2026, 11, 2)
    )
    invoice_id = billed.id
    with Session(engine, expire_on_commit=False) as session, session.begin():
        row = get_invoice(session, invoice_id)
        mail = queue_email(
            session,
            key=f"invoice-{invoice_id}/email/issued",
            to="ap@shmz.example",
            template="invoice_issued",
            language="zh",
            context={
                "company": "o2c Demo",
                "customer": session.get(Customer, buyer.id),
                "invoice": row,
                "order_number": "SO-2026-000001",
                "lines": invoice_lines(session, invoice_id),
            },
        )
        assert mail.id is not None
        return mail.id


def server(catcher: MailCatcher) -> MailServer:
    return MailServer("billing@o2c.example", "127.0.0.1", catcher.port, "o2c Demo")


def state_of(engine: Engine, outbox_id: int) -> OutboxState:
    with Session(engine) as session:
        mail = session.get(OutboxMessage, outbox_id)
        assert mail is not None
        return mail.state


async def test_invoice_mail_arrives_with_its_pdf_attached(
    engine: Engine, mail_catcher: MailCatcher
) -> None:
    outbox_id = queue_invoice_mail(engine)

    assert await deliver(engine, outbox_id, server(mail_catcher)) == OutboxState.SENT

    [mail] = received(mail_catcher)
    assert mail["To"] == "ap@shmz.example"
    [attachment] = list(mail.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    filename = attachment.get_filename() or ""
    assert filename.startswith("INV-2026-") and filename.endswith(".pdf")
    text = PdfReader(io.BytesIO(attachment.get_content())).pages[0].extract_text()
    assert filename.removesuffix(".pdf") in text
    assert "113.00" in text
    assert state_of(engine, outbox_id) == OutboxState.SENT


async def test_a_retry_after_success_sends_nothing(
    sqlite_engine: Engine, mail_catcher: MailCatcher
) -> None:
    outbox_id = queue_invoice_mail(sqlite_engine)
    await deliver(sqlite_engine, outbox_id, server(mail_catcher))

    assert await deliver(sqlite_engine, outbox_id, server(mail_catcher)) == OutboxState.SENT

    assert len(mail_catcher.messages()) == 1


def run_until_killed(engine: Engine, outbox_id: int, catcher: MailCatcher, stage: str) -> None:
    """A worker process that stops dead at `stage` and is killed there (SIGKILL)."""
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.documents.killable_delivery",
            str(engine.url),
            str(outbox_id),
            str(catcher.port),
            stage,
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert worker.stdout is not None
        assert worker.stdout.readline().strip() == "READY"
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)


async def test_worker_killed_after_the_server_took_the_mail_does_not_send_it_again(
    sqlite_engine: Engine, mail_catcher: MailCatcher
) -> None:
    outbox_id = queue_invoice_mail(sqlite_engine)
    run_until_killed(sqlite_engine, outbox_id, mail_catcher, "after_data")
    assert len(mail_catcher.messages()) == 1  # the server has it; the row does not say so

    retried = await deliver(sqlite_engine, outbox_id, server(mail_catcher))

    assert len(mail_catcher.messages()) == 1
    assert retried == OutboxState.UNCONFIRMED  # left for a person to check, never resent
    assert await deliver(sqlite_engine, outbox_id, server(mail_catcher)) == retried
    assert len(mail_catcher.messages()) == 1


async def test_worker_killed_before_data_is_sent_once_by_the_retry(
    sqlite_engine: Engine, mail_catcher: MailCatcher
) -> None:
    outbox_id = queue_invoice_mail(sqlite_engine)
    run_until_killed(sqlite_engine, outbox_id, mail_catcher, "before_data")
    assert mail_catcher.messages() == []

    assert await deliver(sqlite_engine, outbox_id, server(mail_catcher)) == OutboxState.SENT

    assert len(mail_catcher.messages()) == 1
    assert await deliver(sqlite_engine, outbox_id, server(mail_catcher)) == OutboxState.SENT
    assert len(mail_catcher.messages()) == 1


async def test_of_two_overlapping_attempts_only_the_one_holding_the_row_sends(
    sqlite_engine: Engine, mail_catcher: MailCatcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    outbox_id = queue_invoice_mail(sqlite_engine)
    real_begin_data = mail_delivery.begin_data
    first_waits, go_on = threading.Event(), threading.Event()

    def slow_first_attempt(engine: Engine, row_id: int, token: str) -> bool:
        if not first_waits.is_set():  # the first attempt stalls just before DATA
            first_waits.set()
            go_on.wait(30)
        return real_begin_data(engine, row_id, token)

    monkeypatch.setattr(mail_delivery, "begin_data", slow_first_attempt)
    first = asyncio.create_task(deliver(sqlite_engine, outbox_id, server(mail_catcher)))
    await asyncio.to_thread(first_waits.wait, 30)

    second = await deliver(sqlite_engine, outbox_id, server(mail_catcher))  # a timeout's retry
    go_on.set()

    assert second == OutboxState.SENT
    assert await first == OutboxState.SENT  # it lost the row and sent nothing
    assert len(mail_catcher.messages()) == 1
