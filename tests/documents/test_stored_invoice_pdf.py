"""Invoice PDFs are rendered once per version and kept: a retried mail attaches the stored PDF
without rendering it again, a download is the stored copy, and an invoice that changes in a way
the PDF shows (a payment) gets a new version. Real SMTP server, real PDFs read back."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from activities.documents.mail_delivery import MailServer, deliver
from activities.documents.stored_documents import invoice_document, render_in_thread
from models.documents.stored_documents import StoredDocument
from models.outbox import OutboxState
from models.security.users import Role
from o2c.mailcatcher import MailCatcher
from o2c.pdf_processes import pdf_renderer
from tests import factories
from tests.documents.reading import attached_pdf_text, pdf_text
from tests.documents.test_invoice_mail import queue_invoice_mail, server
from tests.fixtures.databases import on_sqlite_only
from tests.support.api_client import ApiClient
from tests.support.mail import received
from tests.support.ports import free_port


class CountingRenderer:
    """The real renderer, counting how often it is asked to render."""

    def __init__(self) -> None:
        self.renders = 0

    async def __call__(self, html: str) -> bytes:
        self.renders += 1
        return await render_in_thread(html)


def stored_versions(engine: Engine, invoice_id: int) -> list[str]:
    with Session(engine) as session:
        rows = session.exec(
            select(StoredDocument)
            .where(StoredDocument.document == "invoice", StoredDocument.document_id == invoice_id)
            .order_by(col(StoredDocument.id))
        ).all()
        return [row.version for row in rows]


async def test_a_retried_invoice_mail_renders_its_pdf_once_and_still_attaches_it(
    engine: Engine, mail_catcher: MailCatcher
) -> None:
    outbox_id = queue_invoice_mail(engine)
    renderer = CountingRenderer()
    nobody_listens = MailServer("billing@o2c.example", "127.0.0.1", free_port(), "o2c Demo")

    with pytest.raises(OSError):  # the first attempt finds no SMTP server: the activity retries
        await deliver(engine, outbox_id, nobody_listens, renderer)
    sent = await deliver(engine, outbox_id, server(mail_catcher), renderer)

    assert sent == OutboxState.SENT
    assert renderer.renders == 1
    [mail] = received(mail_catcher)
    text = attached_pdf_text(mail)
    assert "INV-2026-" in text and "113.00" in text


async def test_the_pdf_is_rendered_again_only_when_what_it_shows_changes(engine: Engine) -> None:
    buyer = factories.customer(engine, "KEEP")
    billed = factories.invoice(engine, buyer.id, "100.00", tax_rate="0", issued=date(2026, 11, 2))
    renderer = CountingRenderer()

    first = await invoice_document(engine, billed.id, "o2c Demo", renderer)
    again = await invoice_document(engine, billed.id, "o2c Demo", renderer)
    assert renderer.renders == 1 and again.content == first.content
    assert "Please pay" in pdf_text(first.content)

    factories.payment(engine, buyer.id, "100.00", received_on=date(2026, 11, 20))
    paid = await invoice_document(engine, billed.id, "o2c Demo", renderer)

    assert renderer.renders == 2
    assert "This invoice is paid. Thank you." in pdf_text(paid.content).replace("\n", "")
    assert len(stored_versions(engine, billed.id)) == 2


@on_sqlite_only
async def test_a_download_is_the_stored_copy_of_the_invoice_as_it_reads_now(
    engine: Engine, api: ApiClient
) -> None:
    buyer = factories.customer(engine, "DOWN")
    billed = factories.invoice(engine, buyer.id, "100.00", tax_rate="0", issued=date(2026, 11, 2))
    mailed = await invoice_document(engine, billed.id, "o2c Demo Trading Ltd")

    response = await api.call("GET", f"/invoices/{billed.id}/pdf", Role.FINANCE, expect=200)

    assert response.headers["content-type"] == "application/pdf"
    assert response.content == mailed.content  # the very file the mail attached
    assert len(stored_versions(engine, billed.id)) == 1


async def test_the_worker_renders_pdfs_in_a_process_of_its_own(engine: Engine) -> None:
    buyer = factories.customer(engine, "PROC")
    billed = factories.invoice(engine, buyer.id, "100.00", tax_rate="0", issued=date(2026, 11, 2))

    document = await invoice_document(engine, billed.id, "o2c Demo", pdf_renderer(1))

    assert document.filename.endswith(".pdf")
    assert billed.number in pdf_text(document.content)
