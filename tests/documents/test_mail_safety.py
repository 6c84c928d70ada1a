"""Mail a hostile name cannot turn against its reader or its sender: HTML bodies and documents
are escaped, and a Subject that cannot be written fails its mail once instead of for ever."""

from __future__ import annotations

from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session

from activities.documents.mail_delivery import deliver
from models.outbox import OutboxKind, OutboxMessage, OutboxState
from notifications.outbox import queue_email
from o2c.mailcatcher import MailCatcher
from tests import factories
from tests.documents.reading import attached_pdf_text, html_part
from tests.support.mail import body, catcher_server, queue_invoice_mail, received

HOSTILE = "<img src=x onerror=alert(1)>"


server = catcher_server


def outbox_row(engine: Engine, outbox_id: int) -> OutboxMessage:
    with Session(engine) as session:
        row = session.get(OutboxMessage, outbox_id)
        assert row is not None
        return row


async def test_a_customer_named_like_html_reaches_the_mail_as_text(
    sqlite_engine: Engine, mail_catcher: MailCatcher
) -> None:
    buyer = factories.customer(sqlite_engine, "XSS", name=HOSTILE)
    billed = factories.invoice(sqlite_engine, buyer.id, "100.00", issued=date(2026, 11, 2))
    mail_id = queue_invoice_mail(sqlite_engine, buyer.id, billed.id, "test/xss")

    await deliver(sqlite_engine, mail_id, server(mail_catcher))

    [received_mail] = received(mail_catcher)
    html = html_part(received_mail)
    assert "Dear &lt;img src=x onerror=alert(1)&gt;," in html
    assert "<img" not in html
    assert f"Dear {HOSTILE}," in body(received_mail)  # the text part shows it as it is
    assert HOSTILE in attached_pdf_text(received_mail)  # printed, not an image in the PDF


async def test_a_line_break_in_a_subject_is_flattened_when_the_mail_is_queued(
    sqlite_engine: Engine, mail_catcher: MailCatcher
) -> None:
    with Session(sqlite_engine, expire_on_commit=False) as session, session.begin():
        mail = queue_email(
            session,
            key="test/crlf-reason",
            to="carol@o2c.example",
            template="collection_notice",
            language="en",
            context={
                "task": {"id": 5},
                "invoice": {"number": "INV-1", "currency": "USD", "due_date": date(2026, 1, 1)},
                "outstanding": "10.00",
                "reason": "late\r\nBcc: everyone@o2c.example",
                "user": "carol",
            },
        )

    assert await deliver(sqlite_engine, mail.id or 0, server(mail_catcher)) == OutboxState.SENT

    [received_mail] = received(mail_catcher)
    assert received_mail["Subject"] == ("Collection task 5 (INV-1): late Bcc: everyone@o2c.example")
    assert received_mail["Bcc"] is None


async def test_a_mail_whose_subject_cannot_be_written_fails_once_and_is_not_retried(
    sqlite_engine: Engine, mail_catcher: MailCatcher
) -> None:
    # A row queued before subjects were flattened, or by any other path that skipped it.
    with Session(sqlite_engine, expire_on_commit=False) as session, session.begin():
        row = OutboxMessage(
            key="test/crlf-subject",
            kind=OutboxKind.EMAIL,
            target="ap@acme.example",
            name="Invoice INV-1\r\nBcc: everyone@o2c.example",
            payload={"template": "invoice_issued", "text": "t", "html": "<p>t</p>"},
        )
        session.add(row)
    outbox_id = row.id or 0

    assert await deliver(sqlite_engine, outbox_id, server(mail_catcher)) == OutboxState.FAILED
    assert await deliver(sqlite_engine, outbox_id, server(mail_catcher)) == OutboxState.FAILED

    failed = outbox_row(sqlite_engine, outbox_id)
    assert failed.attempts == 1
    assert "cannot be built" in (failed.last_error or "")
    assert mail_catcher.messages() == []
