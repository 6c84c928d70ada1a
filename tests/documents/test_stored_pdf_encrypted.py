"""A stored invoice PDF prints the customer's name and address, so it is kept encrypted with the
data keys: the database column holds no PDF and no name, while the mailed attachment and the
download still read back with them. Real SMTP server, real PDFs read back, plain SQL for the raw
column."""

from __future__ import annotations

import re
import zlib
from datetime import date

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from activities.documents.mail_delivery import deliver
from activities.receivables.invoices import get_invoice, invoice_lines
from models.master_data.customers import Customer
from models.outbox import OutboxState
from models.security.users import Role
from notifications.outbox import queue_email
from o2c.mailcatcher import MailCatcher
from tests import factories
from tests.documents.reading import attached_pdf_text, pdf_text
from tests.documents.test_invoice_mail import server
from tests.support.api_client import ApiClient
from tests.support.mail import received

NAME = "Quillfeather Zephyr GmbH"
ADDRESS = "Unter den Linden 77, Berlin"


def billed_customer(engine: Engine) -> int:
    buyer = factories.customer(engine, "QUILL", name=NAME, address=ADDRESS)
    return factories.invoice(engine, buyer.id, "100.00", tax_rate="0", issued=date(2026, 11, 2)).id


def queue_invoice_mail(engine: Engine, invoice_id: int) -> int:
    with Session(engine, expire_on_commit=False) as session, session.begin():
        invoice = get_invoice(session, invoice_id)
        mail = queue_email(
            session,
            key=f"invoice-{invoice_id}/email/issued",
            to="ap@quill.example",
            template="invoice_issued",
            language="en",
            context={
                "company": "o2c Demo",
                "customer": session.get(Customer, invoice.customer_id),
                "invoice": invoice,
                "order_number": "SO-2026-000001",
                "lines": invoice_lines(session, invoice_id),
            },
        )
        assert mail.id is not None
        return mail.id


def raw_contents(engine: Engine) -> list[bytes]:
    """The stored files as the database holds them, read without the model's column type."""
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT content FROM stored_document")).scalars().all()
    return [row.encode() if isinstance(row, str) else bytes(row) for row in rows]


def readable_parts(raw: bytes) -> bytes:
    """The bytes, and every zlib stream in them inflated (a PDF's pages are deflated)."""
    parts = [raw]
    for match in re.finditer(rb"stream\r?\n", raw):
        try:
            parts.append(zlib.decompressobj().decompress(raw[match.end() :]))
        except zlib.error:
            continue
    return b"\n".join(parts)


def assert_kept_encrypted(raw: bytes) -> None:
    assert not raw.startswith(b"%PDF")
    assert raw.startswith(b"v1:test1:")  # the data keyring's current key, as fields are
    readable = readable_parts(raw)
    for word in (NAME, "Quillfeather", "Linden"):
        assert word.encode() not in readable
        assert word.encode("utf-16-be") not in readable


async def test_the_mailed_invoice_pdf_is_stored_encrypted_and_arrives_readable(
    engine: Engine, mail_catcher: MailCatcher
) -> None:
    outbox_id = queue_invoice_mail(engine, billed_customer(engine))

    sent = await deliver(engine, outbox_id, server(mail_catcher))

    assert sent == OutboxState.SENT
    [mail] = received(mail_catcher)
    assert NAME in attached_pdf_text(mail)
    [raw] = raw_contents(engine)
    assert_kept_encrypted(raw)


async def test_the_downloaded_invoice_pdf_is_stored_encrypted_and_reads_back(
    engine: Engine, api: ApiClient
) -> None:
    invoice_id = billed_customer(engine)

    response = await api.call("GET", f"/invoices/{invoice_id}/pdf", Role.FINANCE, expect=200)
    again = await api.call("GET", f"/invoices/{invoice_id}/pdf", Role.FINANCE, expect=200)

    assert response.headers["content-type"] == "application/pdf"
    shown = pdf_text(response.content)
    assert NAME in shown and "Linden 77" in shown
    [raw] = raw_contents(engine)
    assert_kept_encrypted(raw)
    assert again.content == response.content  # the stored copy, decrypted
    assert len(raw_contents(engine)) == 1
